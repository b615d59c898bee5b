// Max, average and global average pooling against outputs worked out by hand.

#include <gtest/gtest.h>

#include <stdexcept>
#include <vector>

#include "tests/reference/reference_ops.h"

namespace npu::reference {
namespace {

using compiler::Window;

Window square_window(int kernel, int stride, int pad) {
  Window w;
  w.kernel_h = w.kernel_w = kernel;
  w.stride_h = w.stride_w = stride;
  w.pad_top = w.pad_bottom = w.pad_left = w.pad_right = pad;
  return w;
}

std::vector<int> values(const QTensor& t) { return {t.data.begin(), t.data.end()}; }

TEST(ReferenceMaxPool, AllNegativeValuesAtAPaddedBorder) {
  // 1x2x2x1 [[-100,-90],[-80,-70]], zero point -5, 2x2 kernel, stride 1, padding 1: a 3x3 output.
  // Padding taps are skipped, so a corner window holds one real tap; were padding read as the
  // zero point (-5) or as 0 it would win every border window.
  //   (0,0) {-100} = -100   (0,1) {-100,-90} = -90   (0,2) {-90} = -90
  //   (1,0) {-100,-80} = -80  (1,1) all = -70   (1,2) {-90,-70} = -70
  //   (2,0) {-80} = -80     (2,1) {-80,-70} = -70    (2,2) {-70} = -70
  const QTensor in{{1, 2, 2, 1}, {-100, -90, -80, -70}, {0.5f, -5}};
  const QTensor out = max_pool(in, square_window(2, 1, 1));
  EXPECT_EQ(out.shape, (std::vector<int64_t>{1, 3, 3, 1}));
  EXPECT_EQ(out.quant, in.quant);
  EXPECT_EQ(values(out), (std::vector<int>{-100, -90, -90, -80, -70, -70, -80, -70, -70}));
}

TEST(ReferenceMaxPool, ChannelsAndBatchesAreIndependent) {
  // 2x2x2x2, 2x2 kernel, stride 2: one output per sample and channel, the largest of 4 taps.
  //   sample 0: channel 0 {1,5,-3,2} -> 5, channel 1 {-1,-5,-7,-2} -> -1
  //   sample 1: channel 0 {0,0,0,127} -> 127, channel 1 {-128,-128,-128,-128} -> -128
  const QTensor in{
      {2, 2, 2, 2}, {1, -1, 5, -5, -3, -7, 2, -2, 0, -128, 0, -128, 0, -128, 127, -128}, {1.0f, 0}};
  const QTensor out = max_pool(in, square_window(2, 2, 0));
  EXPECT_EQ(out.shape, (std::vector<int64_t>{2, 1, 1, 2}));
  EXPECT_EQ(values(out), (std::vector<int>{5, -1, 127, -128}));
}

TEST(ReferenceAvgPool, HalvesRoundAwayFromZeroOnBothSides) {
  // 1x1x4x1 [1, 2, -1, -2], kernel 1x2, stride 1x2: sums 3 and -3 over n = 2 taps.
  //   (3 + 1) / 2 = 2 (1.5 -> 2);  (-3 - 1) / 2 = -2 (-1.5 -> -2)
  // and [1, 4, -1, -4]: 5 / 2 = 2.5 -> 3, -2.5 -> -3.
  Window w;
  w.kernel_w = w.stride_w = 2;
  EXPECT_EQ(values(avg_pool({{1, 1, 4, 1}, {1, 2, -1, -2}, {1.0f, 0}}, w)),
            (std::vector<int>{2, -2}));
  EXPECT_EQ(values(avg_pool({{1, 1, 4, 1}, {1, 4, -1, -4}, {1.0f, 0}}, w)),
            (std::vector<int>{3, -3}));
  // Sums 1 and -1 are ties at the smallest size: 0.5 -> 1 and -0.5 -> -1 ((-1 - 1) / 2); 0 stays 0.
  EXPECT_EQ(values(avg_pool({{1, 1, 6, 1}, {0, 1, 0, -1, 5, -5}, {1.0f, 0}}, w)),
            (std::vector<int>{1, -1, 0}));
}

TEST(ReferenceAvgPool, CountsOnlyValidTapsAtBorders) {
  // 1x3x3x1 [[1,2,3],[4,5,6],[7,8,9]], 3x3 kernel, stride 1, padding 1: corners average 4 taps,
  // edges 6, the centre 9.
  //   (0,0) 12/4 = 3        (0,1) 21/6 = 3.5 -> 4   (0,2) 16/4 = 4
  //   (1,0) 27/6 = 4.5 -> 5 (1,1) 45/9 = 5          (1,2) 33/6 = 5.5 -> 6
  //   (2,0) 24/4 = 6        (2,1) 39/6 = 6.5 -> 7   (2,2) 28/4 = 7
  // Dividing by 9 everywhere would give (0,0) = 12/9 -> 1. The negated input gives the negated
  // output (rounding is symmetric). The zero point plays no part: pooling keeps the quantization.
  const QTensor in{{1, 3, 3, 1}, {1, 2, 3, 4, 5, 6, 7, 8, 9}, {0.1f, 7}};
  const QTensor out = avg_pool(in, square_window(3, 1, 1));
  EXPECT_EQ(out.shape, (std::vector<int64_t>{1, 3, 3, 1}));
  EXPECT_EQ(out.quant, in.quant);
  EXPECT_EQ(values(out), (std::vector<int>{3, 4, 4, 5, 5, 6, 6, 7, 7}));

  const QTensor negated{{1, 3, 3, 1}, {-1, -2, -3, -4, -5, -6, -7, -8, -9}, {0.1f, 7}};
  EXPECT_EQ(values(avg_pool(negated, square_window(3, 1, 1))),
            (std::vector<int>{-3, -4, -4, -5, -5, -6, -6, -7, -7}));
}

TEST(ReferencePool, RejectsWindowEntirelyInPadding) {
  // 1x1 kernel with padding 1 on a 1x1 input: the corner outputs see no input tap.
  const QTensor in{{1, 1, 1, 1}, {3}, {1.0f, 0}};
  EXPECT_THROW(max_pool(in, square_window(1, 1, 1)), std::invalid_argument);
  EXPECT_THROW(avg_pool(in, square_window(1, 1, 1)), std::invalid_argument);
}

TEST(ReferenceGlobalAvgPool, AveragesEveryPixelPerChannel) {
  // 2x2x2x2. Sample 0: channel 0 {1,2,3,5} = 11/4 = 2.75 -> 3, channel 1 {-1,-2,-3,-4} = -10/4 =
  // -2.5 -> -3. Sample 1: channel 0 {4,4,4,6} = 18/4 = 4.5 -> 5, channel 1 {0,0,0,-1} = -0.25 -> 0.
  const QTensor in{{2, 2, 2, 2}, {1, -1, 2, -2, 3, -3, 5, -4, 4, 0, 4, 0, 4, 0, 6, -1}, {0.5f, -3}};
  const QTensor out = global_avg_pool(in);
  EXPECT_EQ(out.shape, (std::vector<int64_t>{2, 1, 1, 2}));
  EXPECT_EQ(out.quant, in.quant);
  EXPECT_EQ(values(out), (std::vector<int>{3, -3, 5, 0}));
}

}  // namespace
}  // namespace npu::reference
