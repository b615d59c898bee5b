// The ONNX reader's layout record (compiler/onnx/layout.h): which ONNX axis each IR axis holds,
// the ONNX shape behind an IR shape, and the order in which a flatten of a channels-last feature
// map lists the ONNX features. Plain shapes, so no model is needed.

#include <gtest/gtest.h>

#include <cstdint>
#include <vector>

#include "compiler/onnx/layout.h"

namespace npu::compiler::onnx_import {
namespace {

TEST(OnnxLayout, FeatureMapsHoldTheChannelAxisLast) {
  EXPECT_EQ(channels_last(4), (Layout{0, 2, 3, 1}));
  EXPECT_EQ(channels_last(3), (Layout{0, 2, 1}));
  EXPECT_EQ(identity_layout(3), (Layout{0, 1, 2}));
  EXPECT_TRUE(is_channels_last({0, 2, 3, 1}));
  EXPECT_TRUE(is_identity({0, 1, 2, 3}));
  EXPECT_FALSE(is_channels_last({0, 1, 2, 3}));
  // At rank 2, [0, 1] is both orders: a 2-D tensor counts as held in ONNX order only.
  EXPECT_FALSE(is_channels_last({0, 1}));
  EXPECT_TRUE(is_identity({0, 1}));
  EXPECT_EQ(format_list({0, 2, 3, 1}), "[0,2,3,1]");
}

TEST(OnnxLayout, OnnxOrderPutsTheHeldAxesBack) {
  // IR [N, H, W, C] = [1, 5, 6, 3] held channels last is ONNX [N, C, H, W] = [1, 3, 5, 6].
  EXPECT_EQ(onnx_order({1, 5, 6, 3}, channels_last(4)), (Shape{1, 3, 5, 6}));
  EXPECT_EQ(onnx_order({2, 7}, identity_layout(2)), (Shape{2, 7}));
}

TEST(OnnxLayout, FlattenedChannelsLastListsOnnxFeaturesInHwcOrder) {
  // ONNX [1, C=3, H=2, W=2] held as IR [1, 2, 2, 3]. IR position i walks (h, w, c) row-major;
  // the ONNX position of (c, h, w) is c*H*W + h*W + w = 4c + 2h + w.
  const std::vector<int64_t> expected = {0, 4, 8, 1, 5, 9, 2, 6, 10, 3, 7, 11};
  EXPECT_EQ(flattened_feature_order({1, 2, 2, 3}, channels_last(4)), expected);
}

TEST(OnnxLayout, FlattenedOrdersThatAgreeAreEmpty) {
  // After a global pool (H = W = 1) position c is feature c in either order.
  EXPECT_TRUE(flattened_feature_order({1, 1, 1, 3}, channels_last(4)).empty());
  // With H = 2 the two orders already differ.
  EXPECT_FALSE(flattened_feature_order({1, 2, 1, 3}, channels_last(4)).empty());
  EXPECT_TRUE(flattened_feature_order({1, 4, 3}, identity_layout(3)).empty());
}

}  // namespace
}  // namespace npu::compiler::onnx_import
