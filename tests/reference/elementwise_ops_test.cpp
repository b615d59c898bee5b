// add, mul, activation tables, batchnorm (scale_shift), softmax, layer norm, concat and transpose
// against outputs worked out by hand.

#include <gtest/gtest.h>

#include <cmath>
#include <random>
#include <stdexcept>
#include <vector>

#include "sim/functional/numerics.h"
#include "tests/reference/reference_ops.h"

namespace npu::reference {
namespace {

using compiler::Activation;

std::vector<int> values(const QTensor& t) { return {t.data.begin(), t.data.end()}; }

// s1 = 0.5, z1 = 1; s2 = 0.25, z2 = -2; s_out = 1, z_out = 3. Then s_twice = 2 x 0.5 = 1 and
//   M1 = quantize_multiplier(0.5) = (2^30, 0), M2 = (0.25) = (2^30, -1),
//   M_out = quantize_multiplier(1 / 2^20) = (2^30, -19).
// Element by element (a, b are the operands in 2^20 / s_twice units):
//   q1 5, q2 6:    4 x 0.5 + 8 x 0.25 = 4: a = b = 2^21, a + b = 2^22 -> 2^22 / 2^20 = 4   -> 7
//   q1 2, q2 -2:   0.5:  a = 2^19, b = 0 -> 2^19 / 2^20 = 0.5 -> 1 (half away from zero)    -> 4
//   q1 0, q2 -2:  -0.5:  a = -2^19 -> rounding_divide_by_pot(-2^18, 19) = -1                 -> 2
//   q1 1, q2 -5:  -0.75: b = -3 x 2^18 -> -0.75 -> -1                                       -> 2
//   q1 127, q2 127: 126 x 0.5 + 129 x 0.25 = 95.25: (63 + 32.25) x 2^20 -> 95               -> 98
//   q1 -9, q2 -2: -5                                                                        -> -2
const QTensor kAddA{{1, 6}, {5, 2, 0, 1, 127, -9}, {0.5f, 1}};
const QTensor kAddB{{1, 6}, {6, -2, -2, -5, 127, -2}, {0.25f, -2}};

TEST(ReferenceAdd, DifferentScalesAndZeroPoints) {
  const QTensor out = add(kAddA, kAddB, {1.0f, 3}, Activation::kNone);
  EXPECT_EQ(out.shape, kAddA.shape);
  EXPECT_EQ(values(out), (std::vector<int>{7, 4, 2, 2, 98, -2}));
}

TEST(ReferenceAdd, FusedClamps) {
  // relu: below z_out = 3 becomes 3; relu6 also caps at 3 + round(6 / 1) = 9.
  EXPECT_EQ(values(add(kAddA, kAddB, {1.0f, 3}, Activation::kRelu)),
            (std::vector<int>{7, 4, 3, 3, 98, 3}));
  EXPECT_EQ(values(add(kAddA, kAddB, {1.0f, 3}, Activation::kRelu6)),
            (std::vector<int>{7, 4, 3, 3, 9, 3}));
  // At s_out = 0.5, 95.25 / 0.5 = 190.5 saturates.
  EXPECT_EQ(values(add(kAddA, kAddB, {0.5f, 3}, Activation::kNone))[4], 127);
  EXPECT_THROW(add(kAddA, kAddB, {1.0f, 3}, Activation::kTanh), std::invalid_argument);
  EXPECT_THROW(add(kAddA, {{6, 1}, kAddB.data, kAddB.quant}, {1.0f, 3}, Activation::kNone),
               std::invalid_argument);
}

TEST(ReferenceAdd, AgreesWithFloatWithinOneLsbOnRandomData) {
  std::mt19937 rng(777);
  std::uniform_int_distribution<int> int8_dist(-128, 127);
  QTensor a{{1, 512}, {}, {0.07f, -6}};
  QTensor b{{1, 512}, {}, {0.031f, 8}};
  for (int i = 0; i < 512; ++i) {
    a.data.push_back(static_cast<int8_t>(int8_dist(rng)));
    b.data.push_back(static_cast<int8_t>(int8_dist(rng)));
  }
  const Quant out_quant{0.09f, 2};
  const QTensor out = add(a, b, out_quant, Activation::kNone);
  for (int i = 0; i < 512; ++i) {
    const double real = double(a.quant.scale) * (a.data[i] - a.quant.zero_point) +
                        double(b.quant.scale) * (b.data[i] - b.quant.zero_point);
    const int64_t expected = functional::saturate_int8(
        functional::round_away(real / out_quant.scale) + out_quant.zero_point);
    EXPECT_LE(std::abs(out.data[i] - expected), 1) << "element " << i;
  }
}

// s1 = 0.5, z1 = 1; s2 = 0.25, z2 = -2; s_out = 0.5, z_out = 3. M = 0.5 x 0.25 / 0.5 = 0.25:
// quantize_multiplier gives (2^30, -1), so multiply_by_quantized_multiplier(x) halves x with
// saturating_rounding_doubling_high_mul (x 2^30 x 2 / 2^32) and halves the result again with
// rounding_divide_by_pot(., 1), each step rounding (TFLite's two roundings).
//   q1 5,    q2 6:   4 x 8 = 32        -> 16 -> 8                                   -> 11
//   q1 2,    q2 -2:  1 x 0 = 0                                                      -> 3
//   q1 0,    q2 0:   -1 x 2 = -2       -> -1 -> -0.5, half away from zero: -1        -> 2
//   q1 3,    q2 -7:  2 x -5 = -10      -> -5 -> -2.5 -> -3                           -> 0
//   q1 4,    q2 1:   3 x 3 = 9         -> 4.5 -> 5 -> 2.5 -> 3 (9/4 = 2.25 rounds twice) -> 6
//   q1 127,  q2 127: 126 x 129 = 16254 -> 4064, saturates                           -> 127
//   q1 -128, q2 127: -129 x 129 = -16641 -> -4160, saturates                        -> -128
const QTensor kMulA{{1, 7}, {5, 2, 0, 3, 4, 127, -128}, {0.5f, 1}};
const QTensor kMulB{{1, 7}, {6, -2, 0, -7, 1, 127, 127}, {0.25f, -2}};

TEST(ReferenceMul, DifferentScalesAndZeroPoints) {
  const QTensor out = mul(kMulA, kMulB, {0.5f, 3}, Activation::kNone);
  EXPECT_EQ(out.shape, kMulA.shape);
  EXPECT_EQ(out.quant, (Quant{0.5f, 3}));
  EXPECT_EQ(values(out), (std::vector<int>{11, 3, 2, 0, 6, 127, -128}));
}

TEST(ReferenceMul, FusedClampsAndShapes) {
  // relu: below z_out = 3 becomes 3; relu6 also caps at 3 + round(6 / 0.5) = 15.
  EXPECT_EQ(values(mul(kMulA, kMulB, {0.5f, 3}, Activation::kRelu)),
            (std::vector<int>{11, 3, 3, 3, 6, 127, 3}));
  EXPECT_EQ(values(mul(kMulA, kMulB, {0.5f, 3}, Activation::kRelu6)),
            (std::vector<int>{11, 3, 3, 3, 6, 15, 3}));
  EXPECT_THROW(mul(kMulA, kMulB, {0.5f, 3}, Activation::kSigmoid), std::invalid_argument);
  // Element-wise: no broadcasting, equal shapes only.
  EXPECT_THROW(mul(kMulA, {{7, 1}, kMulB.data, kMulB.quant}, {0.5f, 3}, Activation::kNone),
               std::invalid_argument);
}

TEST(ReferenceMul, AgreesWithFloatWithinOneLsbOnRandomData) {
  // The two roundings of the fixed-point rescale are at most one output step from the real
  // product rounded once.
  std::mt19937 rng(4242);
  std::uniform_int_distribution<int> int8_dist(-128, 127);
  QTensor a{{1, 512}, {}, {0.07f, -6}};
  QTensor b{{1, 512}, {}, {1.0f / 256, -128}};
  for (int i = 0; i < 512; ++i) {
    a.data.push_back(static_cast<int8_t>(int8_dist(rng)));
    b.data.push_back(static_cast<int8_t>(int8_dist(rng)));
  }
  const Quant out_quant{0.05f, 2};
  const QTensor out = mul(a, b, out_quant, Activation::kNone);
  for (int i = 0; i < 512; ++i) {
    const double real = double(a.quant.scale) * (a.data[i] - a.quant.zero_point) *
                        double(b.quant.scale) * (b.data[i] - b.quant.zero_point);
    const int64_t expected = functional::saturate_int8(
        functional::round_away(real / out_quant.scale) + out_quant.zero_point);
    EXPECT_LE(std::abs(out.data[i] - expected), 1) << "element " << i;
  }
}

TEST(ReferenceTranspose, SwapsTheLastTwoAxesOfEverySlice) {
  // [2,1,2,3]: two slices [[1,2,3],[4,5,6]] and [[-1,-2,-3],[-4,-5,-6]] -> [2,1,3,2].
  const Quant quant{0.3f, -4};
  const QTensor in{{2, 1, 2, 3}, {1, 2, 3, 4, 5, 6, -1, -2, -3, -4, -5, -6}, quant};
  const QTensor out = transpose(in);
  EXPECT_EQ(out.shape, (std::vector<int64_t>{2, 1, 3, 2}));
  EXPECT_EQ(out.quant, quant);  // values move, nothing is rescaled
  EXPECT_EQ(values(out), (std::vector<int>{1, 4, 2, 5, 3, 6, -1, -4, -2, -5, -3, -6}));
  // Twice is the identity.
  EXPECT_EQ(transpose(out).data, in.data);
  // [N,F]: the batch never moves, so there is nothing to swap.
  EXPECT_THROW(transpose({{2, 3}, {1, 2, 3, 4, 5, 6}, quant}), std::invalid_argument);
}

TEST(ReferenceActivation, ReluTableIsAClampAtTheZeroPoint) {
  // Equal quantizations: T = round(max(r, 0) / s) + z = max(q, z) for every q (s (q - z) / s is
  // exact in double: a float scale times an integer below 2^8).
  const Quant quant{0.1f, -7};
  const auto table = activation_table(Activation::kRelu, quant, quant);
  for (int q = -128; q <= 127; ++q) EXPECT_EQ(table[q + 128], std::max(q, -7)) << q;
  QTensor in{{1, 256}, {}, quant};
  for (int q = -128; q <= 127; ++q) in.data.push_back(static_cast<int8_t>(q));
  const QTensor out = activation(in, Activation::kRelu, quant);
  for (int q = -128; q <= 127; ++q) EXPECT_EQ(out.data[q + 128], std::max(q, -7));
}

TEST(ReferenceActivation, Relu6TableBound) {
  // s = 0.25, z = -100: relu6 caps at z + 6 / 0.25 = -76.
  const Quant quant{0.25f, -100};
  const auto table = activation_table(Activation::kRelu6, quant, quant);
  for (int q = -128; q <= 127; ++q) EXPECT_EQ(table[q + 128], std::min(std::max(q, -100), -76));
}

TEST(ReferenceActivation, SigmoidTanhGeluAndRequantization) {
  QTensor in{{1, 5}, {0, 16, -16, 127, -128}, {1.0f / 16, 0}};
  // sigmoid to 1/256, -128: r = 0, 1, -1, 7.9375, -8
  //   0.5 x 256 = 128 -> 0; 0.731059 x 256 = 187.15 -> 59; 0.268941 x 256 = 68.85 -> -59;
  //   0.999643 x 256 = 255.9 -> 256 - 128 = 128 saturates to 127; 0.000335 x 256 = 0.09 -> -128.
  EXPECT_EQ(values(activation(in, Activation::kSigmoid, {1.0f / 256, -128})),
            (std::vector<int>{0, 59, -59, 127, -128}));

  // tanh, s_in 1/8 to 1/128: r = 1 -> 0.761594 x 128 = 97.48 -> 97, r = -1 -> -97,
  // r = 15.875 -> 128 saturates to 127, r = -16 -> -128.
  in = {{1, 4}, {8, -8, 127, -128}, {0.125f, 0}};
  EXPECT_EQ(values(activation(in, Activation::kTanh, {1.0f / 128, 0})),
            (std::vector<int>{97, -97, 127, -128}));

  // gelu 0.5 r (1 + erf(r / sqrt 2)), s_in = s_out = 1/8: r = 1 -> 0.841345 x 8 = 6.73 -> 7;
  // r = -1 -> -0.158655 x 8 = -1.27 -> -1; r = 3 -> 2.995950 x 8 = 23.97 -> 24;
  // r = -3 -> -0.004050 x 8 = -0.03 -> 0; r = 0 -> 0.
  in = {{1, 5}, {8, -8, 24, -24, 0}, {0.125f, 0}};
  EXPECT_EQ(values(activation(in, Activation::kGelu, {0.125f, 0})),
            (std::vector<int>{7, -1, 24, 0, 0}));

  // none is a requantization rounded in double, half away from zero: s 0.5 -> 1 halves
  // 3 -> 1.5 -> 2 and -3 -> -1.5 -> -2; the zero points shift (z_in 1, z_out -1).
  in = {{1, 3}, {4, -2, 1}, {0.5f, 1}};
  EXPECT_EQ(values(activation(in, Activation::kNone, {1.0f, -1})), (std::vector<int>{1, -3, -1}));
}

TEST(ReferenceBatchnorm, ScaleShiftRule) {
  // s_in 0.5, z_in 2; s_out 0.25, z_out -1; channels (a, b) = (1.5, 0.5) and (-0.75, -0.3).
  // Channel 0: |0.5 x 1.5 / 0.25| = 3 = 0.75 x 2^2 -> (1610612736, 2); offset 0.5 / 0.25 = 2.
  //   q 10:  x - z = 8  -> 24 exactly    -> -1 + 2 + 24 = 25
  //   q -50: x - z = -52 -> -156         -> -155 saturates to -128
  // Channel 1: |0.5 x -0.75 / 0.25| = 1.5 -> (1610612736, 1), negated; offset round(-1.2) = -1.
  //   q 3: x - z = 1 -> 1.5 x -1 = -1.5: the doubling high mul of 2 and -1610612736 is
  //        (-3221225472 + 1 - 2^30) / 2^31 = -1.99.. truncated to -1 -> -1 - 1 - 1 = -3
  //        (the float value -1.5 - 1.2 = -2.7 would round to -3 and give -4: the integer rule
  //        rounds the product and the offset separately)
  //   q 4: x - z = 2 -> -3                -> -1 - 1 - 3 = -5
  const QTensor in{{1, 1, 2, 2}, {10, 3, -50, 4}, {0.5f, 2}};
  const QTensor out = batchnorm(in, {1.5f, -0.75f}, {0.5f, -0.3f}, {0.25f, -1});
  EXPECT_EQ(out.shape, in.shape);
  EXPECT_EQ(values(out), (std::vector<int>{25, -3, -128, -5}));
  EXPECT_THROW(batchnorm(in, {1.0f}, {0.0f}, {0.25f, -1}), std::invalid_argument);
}

TEST(ReferenceSoftmax, EqualValuesGiveOneOverC) {
  // p = 1/C: C = 4 -> 256/4 - 128 = -64; C = 2 -> 0; C = 1 -> 256 - 128 saturates to 127.
  const QTensor four{{2, 4}, {3, 3, 3, 3, -100, -100, -100, -100}, {0.1f, 5}};
  const QTensor out = softmax(four);
  EXPECT_EQ(out.shape, four.shape);
  EXPECT_EQ(out.quant, (Quant{1.0f / 256, -128}));
  EXPECT_EQ(values(out), std::vector<int>(8, -64));
  EXPECT_EQ(values(softmax({{1, 2}, {9, 9}, {1.0f, 0}})), (std::vector<int>{0, 0}));
  EXPECT_EQ(values(softmax({{1, 1}, {-40}, {1.0f, 0}})), (std::vector<int>{127}));
}

TEST(ReferenceSoftmax, FloatRule) {
  // x = [0, 1] (q - z with z = 5, s = 1): e = [e^-1, 1], S = 1.367879,
  // p = [0.268941, 0.731059] -> x 256 = 68.85, 187.15 -> 69 - 128 = -59, 187 - 128 = 59.
  EXPECT_EQ(values(softmax({{1, 2}, {5, 6}, {1.0f, 5}})), (std::vector<int>{-59, 59}));
  // x = [-128, 127]: expf(-255) underflows to 0, so p = [0, 1] -> -128, 127 (saturated).
  EXPECT_EQ(values(softmax({{1, 2}, {-128, 127}, {1.0f, 0}})), (std::vector<int>{-128, 127}));
}

TEST(ReferenceSoftmax, OutputQuantizationOfAMatmulOperand) {
  // 1/128, 0 (the generator's choice when a matmul reads the probabilities): out = round(128 p).
  // p = 1/4 -> 32; p = 1 -> 128 saturates to 127; x = [0, 1]: p = [0.268941, 0.731059]
  // -> 34.42, 93.58 -> 34, 94.
  const Quant quant{1.0f / 128, 0};
  const QTensor four{{1, 4}, {3, 3, 3, 3}, {0.1f, 5}};
  const QTensor out = softmax(four, quant);
  EXPECT_EQ(out.quant, quant);
  EXPECT_EQ(values(out), std::vector<int>(4, 32));
  EXPECT_EQ(values(softmax({{1, 1}, {-40}, {1.0f, 0}}, quant)), (std::vector<int>{127}));
  EXPECT_EQ(values(softmax({{1, 2}, {5, 6}, {1.0f, 5}}, quant)), (std::vector<int>{34, 94}));
  // The default is TFLite's 1/256, -128.
  EXPECT_EQ(values(softmax(four, softmax_output_quant())), values(softmax(four)));
}

TEST(ReferenceLayerNorm, ConstantRowGivesBeta) {
  // x = 0.5 x (7 - 1) = 3 everywhere: x - mean = 0, so y = beta = [0.5, -1, 2];
  // out = round(beta / 0.5) + 1 = [2, -1, 5].
  const QTensor in{{2, 3}, {7, 7, 7, -20, -20, -20}, {0.5f, 1}};
  const QTensor out = layer_norm(in, {1.0f, 2.0f, 3.0f}, {0.5f, -1.0f, 2.0f}, 1e-5f, {0.5f, 1});
  EXPECT_EQ(out.shape, in.shape);
  EXPECT_EQ(values(out), (std::vector<int>{2, -1, 5, 2, -1, 5}));
}

TEST(ReferenceLayerNorm, NormalizesEachRow) {
  // x = [1, 2, 3, 6]: mean 3, var (4 + 1 + 0 + 9) / 4 = 3.5, sqrt = 1.870829; eps 0.
  // (x - mean) / 1.870829 = [-1.069045, -0.534522, 0, 1.603567].
  // gamma 1, beta 0, s_out 1/32: x 32 = -34.21, -17.10, 0, 51.31 -> [-34, -17, 0, 51].
  // gamma [2, 1, 1, -1], beta [0, 0.5, 0, 0]: y = [-2.138090, -0.034522, 0, -1.603567]
  // -> x 32 = -68.42, -1.10, 0, -51.31 -> [-68, -1, 0, -51].
  const QTensor in{{1, 4}, {1, 2, 3, 6}, {1.0f, 0}};
  EXPECT_EQ(values(layer_norm(in, {1, 1, 1, 1}, {0, 0, 0, 0}, 0.0f, {1.0f / 32, 0})),
            (std::vector<int>{-34, -17, 0, 51}));
  EXPECT_EQ(values(layer_norm(in, {2, 1, 1, -1}, {0, 0.5f, 0, 0}, 0.0f, {1.0f / 32, 0})),
            (std::vector<int>{-68, -1, 0, -51}));
  // x = [-1, 1]: y = [-1, 1] x gamma 3 = [-3, 3], / (1/64) = -192, 192 -> saturated.
  EXPECT_EQ(values(layer_norm({{1, 2}, {-1, 1}, {1.0f, 0}}, {3, 3}, {0, 0}, 0.0f, {1.0f / 64, 0})),
            (std::vector<int>{-128, 127}));
}

TEST(ReferenceConcat, JoinsAlongTheLastAxis) {
  // [1,1,2,2] rows [1,2], [3,4]; [1,1,2,1] rows [5], [6]; [1,1,2,2] rows [7,8], [9,10].
  const Quant quant{0.2f, 4};
  const QTensor a{{1, 1, 2, 2}, {1, 2, 3, 4}, quant};
  const QTensor b{{1, 1, 2, 1}, {5, 6}, quant};
  const QTensor c{{1, 1, 2, 2}, {7, 8, 9, 10}, quant};
  const QTensor out = concat({a, b, c}, 3);
  EXPECT_EQ(out.shape, (std::vector<int64_t>{1, 1, 2, 5}));
  EXPECT_EQ(out.quant, quant);
  EXPECT_EQ(values(out), (std::vector<int>{1, 2, 5, 7, 8, 3, 4, 6, 9, 10}));

  EXPECT_THROW(concat({a, {b.shape, b.data, {0.2f, 5}}}, 3), std::invalid_argument);
  EXPECT_THROW(concat({a, {{1, 2, 1, 1}, {5, 6}, quant}}, 3), std::invalid_argument);
  // Along axis 2 (rows of a [1, 1, rows, 2] tensor): a's two rows, then c's two.
  const QTensor rows = concat({a, c}, 2);
  EXPECT_EQ(rows.shape, (std::vector<int64_t>{1, 1, 4, 2}));
  EXPECT_EQ(values(rows), (std::vector<int>{1, 2, 3, 4, 7, 8, 9, 10}));
}

}  // namespace
}  // namespace npu::reference
