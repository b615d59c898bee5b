// The reference at int4 (docs/numerics.md, "int4"): the int8 rules with every output saturated to
// its tensor's range, [-8, 7] for a 4-bit Quant, worked out by hand.

#include <gtest/gtest.h>

#include <stdexcept>
#include <vector>

#include "tests/reference/reference_ops.h"

namespace npu::reference {
namespace {

using compiler::Activation;

constexpr int kInt4 = 4;

std::vector<int> values(const QTensor& t) { return {t.data.begin(), t.data.end()}; }

TEST(ReferenceInt4, DenseSaturatesToTheInt4Range) {
  // Three rows of one feature, q = 7, -8, 0 with z_in = 1: x - z = 6, -9, -1; weight 7, all
  // scales 1, so acc = 42, -63, -7 and out = z_out + acc clamped. int4 (z_out 0): 7, -8, -7;
  // the same at int8: 42, -63, -7.
  const QTensor in{{3, 1}, {7, -8, 0}, {1.0f, 1, kInt4}};
  const QTensor int4 = dense(in, {7}, {1.0f}, {}, 1, {1.0f, 0, kInt4}, Activation::kNone);
  EXPECT_EQ(values(int4), (std::vector<int>{7, -8, -7}));
  EXPECT_EQ(int4.quant.bits, kInt4);
  const QTensor int8 = dense(in, {7}, {1.0f}, {}, 1, {1.0f, 0}, Activation::kNone);
  EXPECT_EQ(values(int8), (std::vector<int>{42, -63, -7}));
}

TEST(ReferenceInt4, FusedReluAndRelu6ClampWithinInt4) {
  // x - z_in = 6, -9, -1, 6; z_out = -3, s_out = 1. Weight 1: acc = x - z_in;
  // none: clamp(-3 + acc, -8, 7) = 3, -8, -4, 3; relu: [max(-8, -3), 7] -> 3, -3, -3, 3.
  // Weight 2 with relu6: [-3, min(7, -3 + 6)] = [-3, 3].
  const QTensor in{{4, 1}, {7, -8, 0, 7}, {1.0f, 1, kInt4}};
  const Quant out{1.0f, -3, kInt4};
  EXPECT_EQ(values(dense(in, {1}, {1.0f}, {}, 1, out, Activation::kNone)),
            (std::vector<int>{3, -8, -4, 3}));
  EXPECT_EQ(values(dense(in, {1}, {1.0f}, {}, 1, out, Activation::kRelu)),
            (std::vector<int>{3, -3, -3, 3}));
  EXPECT_EQ(values(dense(in, {2}, {1.0f}, {}, 1, out, Activation::kRelu6)),
            (std::vector<int>{3, -3, -3, 3}));  // acc 12, -18, -2, 12 -> -3 + acc in [-3, 3]
}

TEST(ReferenceInt4, Int8InputRequantizedToAnInt4Output) {
  // A mixed-precision producer: int8 in (120, -100), weight 1, s_out 16 -> m = 1/16 = 0.5 x 2^-3.
  // 120: high mul (120 x 2^30 + 2^30) / 2^31 = 60 (truncating 60.5), then 60 / 8 = 7.5 -> 8,
  // saturated to 7; -100: (-100 x 2^30 + 1 - 2^30) / 2^31 = -50, then -6.25 -> -6.
  const QTensor in{{2, 1}, {120, -100}, {1.0f, 0}};
  const QTensor out = dense(in, {1}, {1.0f}, {}, 1, {16.0f, 0, kInt4}, Activation::kNone);
  EXPECT_EQ(values(out), (std::vector<int>{7, -6}));
}

TEST(ReferenceInt4, ActivationTableSaturatesToInt4) {
  // sigmoid, s_in 1/2, z_in 0; out 1/16, -8: round(16 sigmoid(q / 2)) - 8.
  // q = 7: 16 x 0.9707 = 15.53 -> 16 - 8 = 8, saturated to 7; q = 0: 8 - 8 = 0;
  // q = -8: 16 x 0.0180 = 0.29 -> 0 - 8 = -8.
  const QTensor in{{3}, {7, 0, -8}, {0.5f, 0, kInt4}};
  const QTensor out = activation(in, Activation::kSigmoid, {1.0f / 16, -8, kInt4});
  EXPECT_EQ(values(out), (std::vector<int>{7, 0, -8}));
}

TEST(ReferenceInt4, RejectsValuesOutsideTheRange) {
  const QTensor in{{2, 1}, {9, 0}, {1.0f, 0, kInt4}};
  EXPECT_THROW(dense(in, {1}, {1.0f}, {}, 1, {1.0f, 0, kInt4}, Activation::kNone),
               std::invalid_argument);
  const QTensor bad_zero_point{{1, 1}, {0}, {1.0f, 8, kInt4}};
  EXPECT_THROW(dense(bad_zero_point, {1}, {1.0f}, {}, 1, {1.0f, 0, kInt4}, Activation::kNone),
               std::invalid_argument);
}

}  // namespace
}  // namespace npu::reference
