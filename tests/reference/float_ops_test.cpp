// The float reference ops (fp32, fp16, bf16) against outputs worked out by hand.
//
// Format facts used below. fp16 has 10 fraction bits: on [1, 2) its values are 1 + k 2^-10, so
// 1 + 2^-11 lies halfway between 1 (k = 0, even) and 1 + 2^-10 (k = 1, odd) and rounds to 1, and
// 1 + 3 2^-11 lies halfway between 1 + 2^-10 (odd) and 1 + 2^-9 (even) and rounds to 1 + 2^-9.
// bf16 has 7 fraction bits: on [256, 512) its values are 256 + 2k, so 257 rounds to 256 (k = 0)
// and 259 to 260 (k = 2); on [128, 256) they are 128 + k, so 129.5 rounds to 130. fp32 keeps
// every float32. Products of fp16 or bf16 values and the short sums below are exact in float32,
// so each expected value is the exact result rounded once.

#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <stdexcept>
#include <string>
#include <vector>

#include "tests/reference/reference_float_ops.h"

namespace npu::reference {
namespace {

using arch::Precision;
using compiler::Activation;
using compiler::Window;

const float kHalfUlp16 = std::ldexp(1.0f, -11);  // half of fp16's spacing on [1, 2)
const float kUlp16 = std::ldexp(1.0f, -10);
const float kInf = std::numeric_limits<float>::infinity();

QTensor tensor(std::vector<int64_t> shape, std::vector<float> values) {
  QTensor t;
  t.shape = std::move(shape);
  t.values = std::move(values);
  return t;
}

Window window(int kernel_h, int kernel_w, int stride = 1, int pad = 0) {
  Window w;
  w.kernel_h = kernel_h;
  w.kernel_w = kernel_w;
  w.stride_h = w.stride_w = stride;
  w.pad_top = w.pad_bottom = w.pad_left = w.pad_right = pad;
  return w;
}

template <typename F>
void expect_error(F&& run, const std::string& fragment) {
  try {
    run();
    ADD_FAILURE() << "no error, expected one containing '" << fragment << "'";
  } catch (const std::invalid_argument& e) {
    EXPECT_NE(std::string(e.what()).find(fragment), std::string::npos) << e.what();
  }
}

TEST(ReferenceFloatConv, Fp16RoundsHalfwayResultsToEven) {
  // 1x1 kernel over one pixel x = [1, 2^-11]; weights [1, 1], [1, 3], [-1, -3]:
  // acc = 1 + 2^-11, 1 + 3 2^-11, -(1 + 3 2^-11), exact in float32.
  const QTensor in = tensor({1, 1, 1, 2}, {1.0f, kHalfUlp16});
  const std::vector<float> weights{1, 1, 1, 3, -1, -3};
  const QTensor fp16 =
      conv2d_float(in, weights, {}, window(1, 1), 1, 3, Activation::kNone, Precision::kFp16);
  EXPECT_EQ(fp16.shape, (std::vector<int64_t>{1, 1, 1, 3}));
  EXPECT_EQ(fp16.values, (std::vector<float>{1.0f, 1.0f + 2 * kUlp16, -1.0f - 2 * kUlp16}));
  EXPECT_TRUE(fp16.data.empty());
  // fp32 keeps the sums; bf16 (spacing 2^-7 on [1, 2)) rounds all three to +-1.
  const QTensor fp32 =
      conv2d_float(in, weights, {}, window(1, 1), 1, 3, Activation::kNone, Precision::kFp32);
  EXPECT_EQ(fp32.values,
            (std::vector<float>{1.0f + kHalfUlp16, 1.0f + 3 * kHalfUlp16, -1.0f - 3 * kHalfUlp16}));
  const QTensor bf16_in = tensor({1, 1, 1, 2}, {1.0f, std::ldexp(1.0f, -8)});
  const QTensor bf16 =
      conv2d_float(bf16_in, weights, {}, window(1, 1), 1, 3, Activation::kNone, Precision::kBf16);
  // 1 + 2^-8 (a tie, to 1), 1 + 3 2^-8 (a tie between 1 + 2^-7 and 1 + 2^-6, to the even one).
  EXPECT_EQ(bf16.values,
            (std::vector<float>{1.0f, 1.0f + std::ldexp(1.0f, -6), -1.0f - std::ldexp(1.0f, -6)}));
}

TEST(ReferenceFloatConv, BiasJoinsTheFloat32SumBeforeTheOneRounding) {
  // acc = 1 + 2^-11 (not an fp16 value), bias 2^-11: acc + bias = 1 + 2^-10 exactly. Rounding acc
  // to fp16 first would give 1, and 1 + 2^-11 would round to 1 again.
  const QTensor in = tensor({1, 1, 1, 2}, {1.0f, kHalfUlp16});
  const QTensor out = conv2d_float(in, {1, 1}, {kHalfUlp16}, window(1, 1), 1, 1, Activation::kNone,
                                   Precision::kFp16);
  EXPECT_EQ(out.values, (std::vector<float>{1.0f + kUlp16}));
}

TEST(ReferenceFloatConv, BiasIsAnyFloat32) {
  // vec.requant's record holds a float32 bias: 0.1f is not a bf16 value, but 1 + 0.1f is rounded
  // once, to bf16 1.1015625 (1 + 13/128; 12.8 rounds up).
  const QTensor out = conv2d_float(tensor({1, 1, 1, 1}, {1}), {1}, {0.1f}, window(1, 1), 1, 1,
                                   Activation::kNone, Precision::kBf16);
  EXPECT_EQ(out.values, (std::vector<float>{1.1015625f}));
}

TEST(ReferenceFloatConv, PaddingTapsAddNothingAndReluClamps) {
  // 3x3 input 1..9, 3x3 kernel, padding 1, bf16. Channel 0: weights all 1, bias 0.5: the window
  // sums over the taps inside the image (12 21 16 / 27 45 33 / 24 39 28) + 0.5, all bf16 values
  // (at most 8 significant bits). Channel 1: weights all -1, bias 20, relu: 20 - sum, so
  // 8, -1, 4, -7, -25, -13, -4, -19, -8 clamp to 8, 0, 4, 0, ...
  const QTensor in = tensor({1, 3, 3, 1}, {1, 2, 3, 4, 5, 6, 7, 8, 9});
  std::vector<float> weights(9, 1.0f);
  weights.resize(18, -1.0f);
  const QTensor out = conv2d_float(in, weights, {0.5f, 20.0f}, window(3, 3, 1, 1), 1, 2,
                                   Activation::kRelu, Precision::kBf16);
  EXPECT_EQ(out.shape, (std::vector<int64_t>{1, 3, 3, 2}));
  EXPECT_EQ(out.values, (std::vector<float>{12.5f, 8, 21.5f, 0, 16.5f, 4, 27.5f, 0, 45.5f, 0, 33.5f,
                                            0, 24.5f, 0, 39.5f, 0, 28.5f, 0}));
}

TEST(ReferenceFloatConv, DepthwiseStrideTwoReadsEachGroupsChannel) {
  // [1,3,3,2], channel 0 = 1..9, channel 1 = 10 x that; depthwise (groups 2) 2x2 kernel, stride 2,
  // no padding: (3 - 2) / 2 + 1 = one output, from rows and columns 0-1 (values 1, 2, 4, 5).
  // Channel 0 weights [1, 2, 3, 4]: 1 + 2x2 + 3x4 + 4x5 = 37; channel 1 weights 0.5:
  // 0.5 (10 + 20 + 40 + 50) = 60.
  std::vector<float> values;
  for (int i = 1; i <= 9; ++i) {
    values.push_back(static_cast<float>(i));
    values.push_back(10.0f * i);
  }
  const std::vector<float> weights{1, 2, 3, 4, 0.5f, 0.5f, 0.5f, 0.5f};
  const QTensor out = conv2d_float(tensor({1, 3, 3, 2}, values), weights, {}, window(2, 2, 2), 2, 2,
                                   Activation::kNone, Precision::kFp32);
  EXPECT_EQ(out.shape, (std::vector<int64_t>{1, 1, 1, 2}));
  EXPECT_EQ(out.values, (std::vector<float>{37, 60}));
}

TEST(ReferenceFloatConv, RejectsDataNotInTheFormat) {
  const QTensor in = tensor({1, 1, 1, 2}, {1.0f, kHalfUlp16});
  expect_error(
      [&] {
        conv2d_float(tensor({1, 1, 1, 1}, {1.0f + kHalfUlp16}), {1}, {}, window(1, 1), 1, 1,
                     Activation::kNone, Precision::kFp16);
      },
      "input value 1.00048828 at index 0 is not representable in fp16");
  expect_error(
      [&] {
        conv2d_float(in, {1, 0.1f}, {}, window(1, 1), 1, 1, Activation::kNone, Precision::kFp16);
      },
      "weight value 0.100000001 at index 1 is not representable in fp16");
  expect_error(
      [&] {
        conv2d_float(in, {1, 1}, {}, window(1, 1), 1, 1, Activation::kNone, Precision::kInt8);
      },
      "needs a float format (fp32, fp16, bf16), got int8");
  expect_error(
      [&] {
        conv2d_float(in, {1, 1}, {}, window(1, 1), 1, 1, Activation::kGelu, Precision::kFp32);
      },
      "only none, relu and relu6");
  expect_error(
      [&] {
        conv2d_float(in, {1, 1, 1}, {}, window(1, 1), 1, 1, Activation::kNone, Precision::kFp32);
      },
      "needs 2 weights");
  // NaN and infinities are values of every format.
  EXPECT_NO_THROW(conv2d_float(tensor({1, 1, 1, 2}, {kInf, std::nanf("")}), {1, 1}, {},
                               window(1, 1), 1, 1, Activation::kNone, Precision::kBf16));
}

TEST(ReferenceFloatDense, Bf16RoundsToEvenWithBias) {
  // Row 0, x = [256, 1, 2]: [1,1,0] -> 257 -> 256; [1,1,1] -> 259 -> 260;
  //   [0.5,0,0] + 1.5 -> 129.5 -> 130; [-1,0,0] - 0.5 -> -256.5 -> -256 (spacing 2, not a tie).
  // Row 1, x = [1, 2, 4]: 3, 7, 2, -1.5, all exact.
  const QTensor in = tensor({2, 3}, {256, 1, 2, 1, 2, 4});
  const std::vector<float> weights{1, 1, 0, 1, 1, 1, 0.5f, 0, 0, -1, 0, 0};
  const QTensor out =
      dense_float(in, weights, {0, 0, 1.5f, -0.5f}, 4, Activation::kNone, Precision::kBf16);
  EXPECT_EQ(out.shape, (std::vector<int64_t>{2, 4}));
  EXPECT_EQ(out.values, (std::vector<float>{256, 260, 130, -256, 3, 7, 2, -1.5f}));
}

TEST(ReferenceFloatDense, EveryTokenIsARow) {
  // The rows above as [1,2,3] tokens: [1,2,4] with the same values.
  const QTensor in = tensor({1, 2, 3}, {256, 1, 2, 1, 2, 4});
  const std::vector<float> weights{1, 1, 0, 1, 1, 1, 0.5f, 0, 0, -1, 0, 0};
  const QTensor out =
      dense_float(in, weights, {0, 0, 1.5f, -0.5f}, 4, Activation::kNone, Precision::kBf16);
  EXPECT_EQ(out.shape, (std::vector<int64_t>{1, 2, 4}));
  EXPECT_EQ(out.values, (std::vector<float>{256, 260, 130, -256, 3, 7, 2, -1.5f}));
}

TEST(ReferenceFloatDense, ReluAndRelu6Clamp) {
  // x = [3, -2]; rows [3,0] -> 9, [1,1] -> 1, [0,1] -> -2, [1,0] -> 3.
  const QTensor in = tensor({1, 2}, {3, -2});
  const std::vector<float> weights{3, 0, 1, 1, 0, 1, 1, 0};
  EXPECT_EQ(dense_float(in, weights, {}, 4, Activation::kRelu6, Precision::kFp16).values,
            (std::vector<float>{6, 1, 0, 3}));
  EXPECT_EQ(dense_float(in, weights, {}, 4, Activation::kRelu, Precision::kFp16).values,
            (std::vector<float>{9, 1, 0, 3}));
  EXPECT_EQ(dense_float(in, weights, {}, 4, Activation::kNone, Precision::kFp16).values,
            (std::vector<float>{9, 1, -2, 3}));
}

TEST(ReferenceFloatDense, Fp32KeepsTheFloat32Sum) {
  // 1 + 2^-20 is a float32 but neither an fp16 nor a bf16 value (both round it to 1).
  const float tiny = std::ldexp(1.0f, -20);
  const QTensor in = tensor({1, 2}, {1, tiny});
  EXPECT_EQ(dense_float(in, {1, 1}, {}, 1, Activation::kNone, Precision::kFp32).values,
            (std::vector<float>{1.0f + tiny}));
  EXPECT_EQ(dense_float(in, {1, 1}, {}, 1, Activation::kNone, Precision::kFp16).values,
            (std::vector<float>{1.0f}));
  EXPECT_EQ(dense_float(in, {1, 1}, {}, 1, Activation::kNone, Precision::kBf16).values,
            (std::vector<float>{1.0f}));
}

TEST(ReferenceFloatMatmul, Fp16PerLeadingIndexWithRelu) {
  // Batch 0: [[1, 2^-11], [2, -3]] x [[1, 0], [1, 1]] = [[1 + 2^-11, 2^-11], [-1, -3]]
  //   -> fp16 [[1, 2^-11], [-1, -3]] (2^-11 is an fp16 value); relu zeroes the second row.
  // Batch 1: [[1, 1], [1, 1]] x [[2, 3], [4, 5]] = [[6, 8], [6, 8]].
  const QTensor a = tensor({2, 2, 2}, {1, kHalfUlp16, 2, -3, 1, 1, 1, 1});
  const QTensor b = tensor({2, 2, 2}, {1, 0, 1, 1, 2, 3, 4, 5});
  const QTensor none = matmul_float(a, b, Activation::kNone, Precision::kFp16);
  EXPECT_EQ(none.shape, (std::vector<int64_t>{2, 2, 2}));
  EXPECT_EQ(none.values, (std::vector<float>{1, kHalfUlp16, -1, -3, 6, 8, 6, 8}));
  EXPECT_EQ(matmul_float(a, b, Activation::kRelu, Precision::kFp16).values,
            (std::vector<float>{1, kHalfUlp16, 0, 0, 6, 8, 6, 8}));
  expect_error(
      [&] {
        matmul_float(a, tensor({2, 3, 1}, {1, 2, 3, 4, 5, 6}), Activation::kNone, Precision::kFp16);
      },
      "[..,M,K] x [..,K,N]");
}

TEST(ReferenceFloatPool, MaxSkipsPaddingTaps) {
  // 2x2 input, all negative, 2x2 kernel, stride 1, padding bottom and right: the windows hold
  // {all}, {-3, -4}, {-2, -4}, {-4}. A padding tap counted as 0 would make every output 0.
  const QTensor in = tensor({1, 2, 2, 1}, {-1.5f, -3, -2, -4});
  Window w = window(2, 2);
  w.pad_bottom = w.pad_right = 1;
  const QTensor out = max_pool_float(in, w, Precision::kFp16);
  EXPECT_EQ(out.shape, (std::vector<int64_t>{1, 2, 2, 1}));
  EXPECT_EQ(out.values, (std::vector<float>{-1.5f, -3, -2, -4}));
}

TEST(ReferenceFloatPool, AverageDividesBySumOfValidTaps) {
  // The same geometry over 1, 2, 3, 4: (1+2+3+4)/4, (2+4)/2, (3+4)/2, 4/1.
  const QTensor in = tensor({1, 2, 2, 1}, {1, 2, 3, 4});
  Window w = window(2, 2);
  w.pad_bottom = w.pad_right = 1;
  EXPECT_EQ(avg_pool_float(in, w, Precision::kFp16).values, (std::vector<float>{2.5f, 3, 3.5f, 4}));
}

TEST(ReferenceFloatPool, AverageRoundsOnceToTheFormat) {
  // A 1x3 window over [1, 1, 2]: 4 / 3 = 1.0101010101..b. float32: 4.0f / 3.0f; fp16 keeps 10
  // fraction bits, 1.0101010101|01.. -> down to 1 + 341/1024; bf16 keeps 7, 1.0101010|10.. -> up
  // to 1 + 43/128.
  const QTensor in = tensor({1, 1, 3, 1}, {1, 1, 2});
  EXPECT_EQ(avg_pool_float(in, window(1, 3), Precision::kFp32).values,
            (std::vector<float>{4.0f / 3.0f}));
  EXPECT_EQ(avg_pool_float(in, window(1, 3), Precision::kFp16).values,
            (std::vector<float>{1.3330078125f}));
  EXPECT_EQ(avg_pool_float(in, window(1, 3), Precision::kBf16).values,
            (std::vector<float>{1.3359375f}));
  // [1 + 2^-10, 1 + 2^-10, 1, 1]: float32 sum 4 + 2^-9, / 4 = 1 + 2^-11, a tie -> 1; with three
  // of them, 1 + 3 2^-12 -> 1 + 2^-10.
  const float up = 1.0f + kUlp16;
  EXPECT_EQ(
      avg_pool_float(tensor({1, 1, 4, 1}, {up, up, 1, 1}), window(1, 4), Precision::kFp16).values,
      (std::vector<float>{1.0f}));
  EXPECT_EQ(
      avg_pool_float(tensor({1, 1, 4, 1}, {up, up, up, 1}), window(1, 4), Precision::kFp16).values,
      (std::vector<float>{up}));
}

TEST(ReferenceFloatPool, GlobalAverageOverAllPixels) {
  // [1,1,3,2]: channel 0 = [1, 1, 2] -> 4/3 (as above); channel 1 = [1+2^-10, 1+2^-10, 1]:
  // (3 + 2^-9) / 3 = 1 + (2/3) 2^-10 -> fp16 1 + 2^-10. Batch 1 = twice batch 0: exact doubles.
  const float up = 1.0f + kUlp16;
  const QTensor in = tensor({2, 1, 3, 2}, {1, up, 1, up, 2, 1, 2, 2 * up, 2, 2 * up, 4, 2});
  const QTensor out = global_avg_pool_float(in, Precision::kFp16);
  EXPECT_EQ(out.shape, (std::vector<int64_t>{2, 1, 1, 2}));
  EXPECT_EQ(out.values, (std::vector<float>{1.3330078125f, up, 2 * 1.3330078125f, 2 * up}));
}

TEST(ReferenceFloatAdd, RoundsTiesToEvenAndClamps) {
  // fp16: 1 + 2^-11 -> 1; (1 + 2^-10) + 2^-11 = 1 + 3 2^-11 -> 1 + 2^-9; 4 + 3 = 7; -1 + 0.5.
  const QTensor a = tensor({2, 2}, {1, 1 + kUlp16, 4, -1});
  const QTensor b = tensor({2, 2}, {kHalfUlp16, kHalfUlp16, 3, 0.5f});
  EXPECT_EQ(add_float(a, b, Activation::kNone, Precision::kFp16).values,
            (std::vector<float>{1, 1 + 2 * kUlp16, 7, -0.5f}));
  EXPECT_EQ(add_float(a, b, Activation::kRelu6, Precision::kFp16).values,
            (std::vector<float>{1, 1 + 2 * kUlp16, 6, 0}));
  // bf16: 256 + 1 = 257 -> 256, 256 + 3 = 259 -> 260.
  EXPECT_EQ(
      add_float(tensor({2}, {256, 256}), tensor({2}, {1, 3}), Activation::kNone, Precision::kBf16)
          .values,
      (std::vector<float>{256, 260}));
  expect_error(
      [&] {
        add_float(a, tensor({4}, {1, 2, 3, 4}), Activation::kNone, Precision::kFp16);
      },
      "needs equal shapes");
}

TEST(ReferenceFloatMul, RoundsTiesToEvenAndClamps) {
  // fp16: (1 + 2^-10) x 1.5 = 1.5 + 2^-10 + 2^-11, halfway between 1.5 + 2^-10 (odd) and
  // 1.5 + 2^-9 (even) -> 1.5 + 2^-9; 3 x 3 = 9; -2 x 0.5 = -1; 0.5 x 0.5 = 0.25.
  const QTensor a = tensor({1, 2, 2}, {1 + kUlp16, 3, -2, 0.5f});
  const QTensor b = tensor({1, 2, 2}, {1.5f, 3, 0.5f, 0.5f});
  EXPECT_EQ(mul_float(a, b, Activation::kNone, Precision::kFp16).values,
            (std::vector<float>{1.5f + 2 * kUlp16, 9, -1, 0.25f}));
  EXPECT_EQ(mul_float(a, b, Activation::kRelu, Precision::kFp16).values,
            (std::vector<float>{1.5f + 2 * kUlp16, 9, 0, 0.25f}));
  EXPECT_EQ(mul_float(a, b, Activation::kRelu6, Precision::kFp16).values,
            (std::vector<float>{1.5f + 2 * kUlp16, 6, 0, 0.25f}));
  // bf16: 18.5 x 7 = 129.5 lies halfway between 129 (odd) and 130 (even) -> 130; fp32 keeps it.
  EXPECT_EQ(
      mul_float(tensor({1, 1}, {18.5f}), tensor({1, 1}, {7}), Activation::kNone, Precision::kBf16)
          .values,
      (std::vector<float>{130}));
  EXPECT_EQ(
      mul_float(tensor({1, 1}, {18.5f}), tensor({1, 1}, {7}), Activation::kNone, Precision::kFp32)
          .values,
      (std::vector<float>{129.5f}));
  expect_error(
      [&] {
        mul_float(a, tensor({4}, {1, 2, 3, 4}), Activation::kNone, Precision::kFp16);
      },
      "needs equal shapes");
}

TEST(ReferenceFloatTranspose, MovesValuesUnchanged) {
  // [1,2,3] -> [1,3,2]; a value no format could hold is moved as it is.
  const QTensor in = tensor({1, 2, 3}, {1, 2, 3, 4, 5, 0.1f});
  const QTensor out = transpose_float(in);
  EXPECT_EQ(out.shape, (std::vector<int64_t>{1, 3, 2}));
  EXPECT_EQ(out.values, (std::vector<float>{1, 4, 2, 5, 3, 0.1f}));
  expect_error([&] { transpose_float(tensor({2, 3}, {1, 2, 3, 4, 5, 6})); }, "[N,...,A,B]");
}

TEST(ReferenceFloatActivation, EachFunctionInFloat32ThenRounded) {
  auto run = [](Activation f, std::vector<float> x, Precision format) {
    const auto count = static_cast<int64_t>(x.size());
    return activation_float(tensor({count}, std::move(x)), f, format).values;
  };
  EXPECT_EQ(run(Activation::kNone, {-2, 0.5f}, Precision::kFp16), (std::vector<float>{-2, 0.5f}));
  EXPECT_EQ(run(Activation::kRelu, {-2, 0.5f}, Precision::kFp16), (std::vector<float>{0, 0.5f}));
  EXPECT_EQ(run(Activation::kRelu6, {7, -1, 3}, Precision::kBf16), (std::vector<float>{6, 0, 3}));
  // sigmoid(0) = 1 / (1 + 1) = 0.5; sigmoid(-inf) = 1 / (1 + inf) = 0; sigmoid(20) =
  // 1 / (1 + 2.06e-9) = 1 in float32. sigmoid(1) = 0.7310586 (float32) -> fp16 0.73095703125
  // (0x3DD9), bf16 0.73046875 (0x3F3B).
  EXPECT_EQ(run(Activation::kSigmoid, {0, -kInf, 20}, Precision::kFp16),
            (std::vector<float>{0.5f, 0, 1}));
  EXPECT_EQ(run(Activation::kSigmoid, {1}, Precision::kFp16), (std::vector<float>{0.73095703125f}));
  EXPECT_EQ(run(Activation::kSigmoid, {1}, Precision::kBf16), (std::vector<float>{0.73046875f}));
  EXPECT_FLOAT_EQ(run(Activation::kSigmoid, {1}, Precision::kFp32)[0], 0.7310586f);
  // tanh(0) = 0, tanhf(10) = 1 in float32.
  EXPECT_EQ(run(Activation::kTanh, {0, 10, -10}, Precision::kBf16), (std::vector<float>{0, 1, -1}));
  // gelu(0) = 0; erff(8 / sqrt 2) = 1 in float32, so gelu(8) = 8 and gelu(-8) = -0;
  // gelu(1) = 0.5 (1 + erf(0.7071)) = 0.8413447 -> fp16 0.84130859375, bf16 0.83984375.
  EXPECT_EQ(run(Activation::kGelu, {0, 8, -8}, Precision::kFp16), (std::vector<float>{0, 8, 0}));
  EXPECT_EQ(run(Activation::kGelu, {1}, Precision::kFp16), (std::vector<float>{0.84130859375f}));
  EXPECT_EQ(run(Activation::kGelu, {1}, Precision::kBf16), (std::vector<float>{0.83984375f}));
}

TEST(ReferenceFloatBatchnorm, ScaleAndShiftInFloat32ThenRounded) {
  // bf16, channels a = [1, 3, 1], b = [2^-8, 1, 0.1f]; row x = [1, 86, 0]:
  // 1 + 2^-8 (a tie on bf16's 2^-7 spacing) -> 1; 3 x 86 + 1 = 259 -> 260; 0.1f -> bf16
  // 0.10009765625 (0x3DCD): a and b are float32 constants, only the result is rounded.
  const QTensor in = tensor({2, 3}, {1, 86, 0, 2, -1, 4});
  const QTensor out =
      batchnorm_float(in, {1, 3, 1}, {std::ldexp(1.0f, -8), 1, 0.1f}, Precision::kBf16);
  // Row 2: 2 + 2^-8 -> 2 (spacing 2^-6 on [2, 4)); -3 + 1 = -2; 4 + 0.1f -> 4.09375 (spacing
  // 2^-5 on [4, 8): 4.1 = 4 + 3.2 2^-5 -> 4 + 3 2^-5).
  EXPECT_EQ(out.values, (std::vector<float>{1, 260, 0.10009765625f, 2, -2, 4.09375f}));
  expect_error([&] { batchnorm_float(in, {1, 3}, {0, 0, 0}, Precision::kBf16); }, "needs 3 scales");
}

TEST(ReferenceFloatSoftmax, EqualValuesShareOneEvenly) {
  // Each row's maximum is subtracted first: without it expf(1000) = inf and inf / inf = NaN.
  const QTensor big = tensor({1, 4}, {1000, 1000, 1000, 1000});
  EXPECT_EQ(softmax_float(big, Precision::kFp16).values,
            (std::vector<float>{0.25f, 0.25f, 0.25f, 0.25f}));
  // Two rows of 8 equal values: 1/8 each.
  const QTensor eights = tensor({2, 8}, std::vector<float>(16, -3.5f));
  EXPECT_EQ(softmax_float(eights, Precision::kBf16).values, std::vector<float>(16, 0.125f));
  // exp(-inf) = 0: [0, 0, -inf] -> [0.5, 0.5, 0].
  EXPECT_EQ(softmax_float(tensor({3}, {0, 0, -kInf}), Precision::kFp16).values,
            (std::vector<float>{0.5f, 0.5f, 0}));
  // Three equal values: 1.0f / 3.0f, rounded: fp16 0.333251953125 (0x3555), bf16 0.333984375
  // (0x3EAB).
  const QTensor thirds = tensor({3}, {2, 2, 2});
  EXPECT_EQ(softmax_float(thirds, Precision::kFp32).values, std::vector<float>(3, 1.0f / 3.0f));
  EXPECT_EQ(softmax_float(thirds, Precision::kFp16).values, std::vector<float>(3, 0.333251953125f));
  EXPECT_EQ(softmax_float(thirds, Precision::kBf16).values, std::vector<float>(3, 0.333984375f));
}

TEST(ReferenceFloatLayerNorm, ConstantRowGivesBeta) {
  // x - mean = 0 everywhere, so y = 0 / sqrtf(0 + eps) x gamma + beta = beta, rounded to the
  // format: beta 0.1f -> fp16 0.0999755859375 (0x2E66).
  const QTensor in = tensor({1, 3}, {5, 5, 5});
  EXPECT_EQ(layer_norm_float(in, {2, -1, 3}, {0.1f, 0.5f, -2}, 1e-5f, Precision::kFp16).values,
            (std::vector<float>{0.0999755859375f, 0.5f, -2}));
}

TEST(ReferenceFloatLayerNorm, NormalizesEachRow) {
  // Row 0 = [2, 4, 6, 8]: mean 5, var (9 + 1 + 1 + 9) / 4 = 5, eps 4: sqrtf(9) = 3;
  // (x - mean) / 3 = -1, -1/3, 1/3, 1 (float32), x gamma 3: -3, -1.00000003 -> -1.0f (float32),
  // 1, 3. Row 1 = [1, 1, 1, 5]: mean 2, var (1 + 1 + 1 + 9) / 4 = 3, sqrtf(3 + 4) = 2.6457512.
  const QTensor in = tensor({2, 4}, {2, 4, 6, 8, 1, 1, 1, 5});
  const QTensor out = layer_norm_float(in, {3, 3, 3, 3}, {0, 0, 0, 0}, 4.0f, Precision::kFp16);
  ASSERT_EQ(out.values.size(), 8u);
  EXPECT_EQ(std::vector<float>(out.values.begin(), out.values.begin() + 4),
            (std::vector<float>{-3, -1, 1, 3}));
  // -1 / 2.6457512 x 3 = -1.1338935 -> fp16 -(1 + 137/1024) = -1.1337890625 (137.1 rounds down);
  // 3 / 2.6457512 x 3 = 3.4016805 -> fp16 2 (1 + 718/1024) = 3.40234375 (717.7 rounds up).
  EXPECT_EQ(std::vector<float>(out.values.begin() + 4, out.values.end()),
            (std::vector<float>{-1.1337890625f, -1.1337890625f, -1.1337890625f, 3.40234375f}));
  // fp32, [1, -1], eps 0: mean 0, var 1, y = [1, -1] x gamma [2, 3] + beta [0.5, 0].
  EXPECT_EQ(
      layer_norm_float(tensor({2}, {1, -1}), {2, 3}, {0.5f, 0}, 0.0f, Precision::kFp32).values,
      (std::vector<float>{2.5f, -3}));
  expect_error(
      [&] {
        layer_norm_float(in, {1}, {0, 0, 0, 0}, 4.0f, Precision::kFp16);
      },
      "needs 4 gammas");
}

TEST(ReferenceFloatConcat, JoinsRowsAlongTheLastAxis) {
  const QTensor a = tensor({2, 1}, {1, 2});
  const QTensor b = tensor({2, 2}, {3, 4, 5, 6});
  const QTensor out = concat_float({a, b}, 1);
  EXPECT_EQ(out.shape, (std::vector<int64_t>{2, 3}));
  EXPECT_EQ(out.values, (std::vector<float>{1, 3, 4, 2, 5, 6}));
  expect_error([&] { concat_float({a, tensor({1, 2}, {3, 4})}, 1); }, "all other dimensions");
  expect_error([&] { concat_float({}, 0); }, "at least one input");
}

TEST(ReferenceFloatConcat, JoinsAlongAnEarlierAxis) {
  // [2, 1] over [1, 1] along axis 0: the rows one after another.
  const QTensor a = tensor({2, 1}, {1, 2});
  const QTensor b = tensor({1, 1}, {3});
  const QTensor out = concat_float({a, b}, 0);
  EXPECT_EQ(out.shape, (std::vector<int64_t>{3, 1}));
  EXPECT_EQ(out.values, (std::vector<float>{1, 2, 3}));
}

}  // namespace
}  // namespace npu::reference
