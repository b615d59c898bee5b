// conv2d, dense and matmul against outputs worked out by hand, and conv2d against a float
// computation on random data.
//
// Multipliers used below (quantize_multiplier, docs/numerics.md):
//   1     = 0.5 x 2^1:  M0 = 2^30, shift 1  -> multiply_by_quantized_multiplier(x) = x exactly
//   0.5   = 0.5 x 2^0:  M0 = 2^30, shift 0  -> (x 2^30 + nudge) / 2^31: x/2, ties toward +inf
//                                              (3 -> 2, -3 -> -1), the doubling high mul's rounding
//   0.25  = 0.5 x 2^-1: M0 = 2^30, shift -1 -> that, then / 2 half away from zero
//   0.125 = 0.5 x 2^-2: M0 = 2^30, shift -2 -> that, then / 4 half away from zero

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <random>
#include <stdexcept>
#include <vector>

#include "sim/functional/numerics.h"
#include "tests/reference/reference_ops.h"

namespace npu::reference {
namespace {

using compiler::Activation;
using compiler::Window;

Window square_window(int kernel, int stride = 1, int pad = 0, int dilation = 1) {
  Window w;
  w.kernel_h = w.kernel_w = kernel;
  w.stride_h = w.stride_w = stride;
  w.dilation_h = w.dilation_w = dilation;
  w.pad_top = w.pad_bottom = w.pad_left = w.pad_right = pad;
  return w;
}

std::vector<int> values(const QTensor& t) { return {t.data.begin(), t.data.end()}; }

TEST(ReferenceConv, PaddingTapsAddNothingWithNonzeroInputZeroPoint) {
  // 1x3x3x1, z_in = 2, so x - z_in = [[1,2,3],[4,5,6],[7,8,9]]; 3x3 kernel of ones, padding 1.
  // s_in 0.5 x s_w 1 / s_out 0.5 = 1: out = z_out + acc exactly, acc = window sum + bias (-20).
  // Window sums over the taps inside the image only:
  //   12 21 16      (0,0) = 1+2+4+5 = 12 (a padding tap read as q = 0 would add 5 x (0 - 2) = -10)
  //   27 45 33
  //   24 39 28
  // out = sum - 20 - 3 (z_out).
  const QTensor in{{1, 3, 3, 1}, {3, 4, 5, 6, 7, 8, 9, 10, 11}, {0.5f, 2}};
  const std::vector<int8_t> weights(9, 1);
  const QTensor out = conv2d(in, weights, {1.0f}, {-20}, square_window(3, 1, 1), 1, 1, {0.5f, -3},
                             Activation::kNone);
  EXPECT_EQ(out.shape, (std::vector<int64_t>{1, 3, 3, 1}));
  EXPECT_EQ(out.quant, (Quant{0.5f, -3}));
  EXPECT_EQ(values(out), (std::vector<int>{-11, -2, -7, 4, 22, 10, 1, 16, 5}));
}

TEST(ReferenceConv, StrideTwoWithDistinctWeights) {
  // 1x5x5x1, q[i][j] = 5i + j, z_in = 0; 3x3 kernel w[kh][kw] = 3kh + kw + 1 (OHWI, applied
  // without flipping), stride 2, no padding: a 2x2 output.
  // acc(oh,ow) = sum w x (5(2oh+kh) + 2ow+kw) = 45 (10oh + 2ow) + sum w (5kh + kw), and
  // sum w (5kh + kw) = (0,1,2).(1,2,3) + (5,6,7).(4,5,6) + (10,11,12).(7,8,9) = 8 + 92 + 266 = 366.
  // acc = 366, 456, 816, 906; s_out = 8 gives m = 1/8: 45.75 -> 46, 57, 102, 113.25 -> 113.
  QTensor in{{1, 5, 5, 1}, {}, {1.0f, 0}};
  for (int i = 0; i < 25; ++i) in.data.push_back(static_cast<int8_t>(i));
  std::vector<int8_t> weights;
  for (int i = 1; i <= 9; ++i) weights.push_back(static_cast<int8_t>(i));
  const QTensor out =
      conv2d(in, weights, {1.0f}, {}, square_window(3, 2), 1, 1, {8.0f, 0}, Activation::kNone);
  EXPECT_EQ(out.shape, (std::vector<int64_t>{1, 2, 2, 1}));
  EXPECT_EQ(values(out), (std::vector<int>{46, 57, 102, 113}));
}

TEST(ReferenceConv, DilationTwo) {
  // The same 5x5 input and weights with dilation 2: the kernel spans 5x5, one output, taps at
  // rows and columns 0, 2, 4: q = 10kh + 2kw.
  // acc = (0,2,4).(1,2,3) + (10,12,14).(4,5,6) + (20,22,24).(7,8,9) = 16 + 184 + 532 = 732.
  // m = 1/8: 91.5; the integer rule gives (732 x 2^30 + 2^30) / 2^31 = 366, then 366 / 4 = 91.5
  // rounded half away from zero = 92.
  QTensor in{{1, 5, 5, 1}, {}, {1.0f, 0}};
  for (int i = 0; i < 25; ++i) in.data.push_back(static_cast<int8_t>(i));
  std::vector<int8_t> weights;
  for (int i = 1; i <= 9; ++i) weights.push_back(static_cast<int8_t>(i));
  const QTensor out = conv2d(in, weights, {1.0f}, {}, square_window(3, 1, 0, 2), 1, 1, {8.0f, 0},
                             Activation::kNone);
  EXPECT_EQ(out.shape, (std::vector<int64_t>{1, 1, 1, 1}));
  EXPECT_EQ(values(out), (std::vector<int>{92}));
}

TEST(ReferenceConv, AsymmetricPadding) {
  // 1x2x2x1, x - z_in = [[1,2],[3,4]] with z_in = -5; 2x2 kernel [[1,2],[4,8]]; padding top 1,
  // bottom 0, left 0, right 1: out = (2 + 1 - 2) + 1 = 2 per axis; input row = oh - 1 + kh,
  // column = ow + kw.
  //   (0,0): row 0: 1x4 + 2x8 = 20           (0,1): row 0: 2x4 (column 2 is padding) = 8
  //   (1,0): 1x1 + 2x2 + 3x4 + 4x8 = 49      (1,1): 2x1 + 4x4 = 18
  const QTensor in{{1, 2, 2, 1}, {-4, -3, -2, -1}, {1.0f, -5}};
  Window w = square_window(2);
  w.pad_top = 1;
  w.pad_right = 1;
  const QTensor out = conv2d(in, {1, 2, 4, 8}, {1.0f}, {}, w, 1, 1, {1.0f, 0}, Activation::kNone);
  EXPECT_EQ(out.shape, (std::vector<int64_t>{1, 2, 2, 1}));
  EXPECT_EQ(values(out), (std::vector<int>{20, 8, 49, 18}));
}

TEST(ReferenceConv, GroupsWithPerChannelScales) {
  // 1x1x1x4 input [1,2,3,4], 1x1 kernel, 4 outputs in 2 groups: outputs 0-1 read channels 0-1,
  // outputs 2-3 read channels 2-3. Weights [4][1][1][2]: [1,1], [1,-1], [1,1], [2,1].
  //   acc = 1+2 = 3, 1-2 = -1, 3+4 = 7, 6+4 = 10 (ignoring groups, output 2 would be 3)
  // s_w = 1, 1, 0.5, 0.25 with s_in = s_out = 1: 3, -1, 3.5 -> 4, 2.5 -> 3.
  const QTensor in{{1, 1, 1, 4}, {1, 2, 3, 4}, {1.0f, 0}};
  const QTensor out = conv2d(in, {1, 1, 1, -1, 1, 1, 2, 1}, {1.0f, 1.0f, 0.5f, 0.25f}, {},
                             square_window(1), 2, 4, {1.0f, 0}, Activation::kNone);
  EXPECT_EQ(out.shape, (std::vector<int64_t>{1, 1, 1, 4}));
  EXPECT_EQ(values(out), (std::vector<int>{3, -1, 4, 3}));
}

TEST(ReferenceConv, DepthwiseWithChannelMultiplier) {
  // 1x3x3x2 input, x - z_in = 1 in channel 0 and 2 in channel 1 (z_in = 1); groups = 2 = Cin,
  // 4 outputs: outputs 0-1 filter channel 0, outputs 2-3 channel 1. 3x3 kernels, no padding:
  //   out 0: ones         -> 9 x 1 = 9        out 1: centre 3 -> 3 x 1 = 3
  //   out 2: ones         -> 9 x 2 = 18       out 3: centre 3 -> 3 x 2 = 6
  QTensor in{{1, 3, 3, 2}, {}, {1.0f, 1}};
  for (int i = 0; i < 9; ++i) {
    in.data.push_back(2);
    in.data.push_back(3);
  }
  std::vector<int8_t> ones(9, 1);
  std::vector<int8_t> centre(9, 0);
  centre[4] = 3;
  std::vector<int8_t> weights;
  for (const auto* filter : {&ones, &centre, &ones, &centre}) {
    weights.insert(weights.end(), filter->begin(), filter->end());
  }
  const QTensor out = conv2d(in, weights, std::vector<float>(4, 1.0f), {}, square_window(3), 2, 4,
                             {1.0f, 0}, Activation::kNone);
  EXPECT_EQ(out.shape, (std::vector<int64_t>{1, 1, 1, 4}));
  EXPECT_EQ(values(out), (std::vector<int>{9, 3, 18, 6}));
}

TEST(ReferenceConv, FusedReluAndRelu6Clamp) {
  // One input value x - z_in = 1 and three 1x1 filters -10, 10, 100: acc = -10, 10, 100.
  // s_in 0.25 x s_w 1 / s_out 0.25 = 1, z_out = 5: z_out + acc = -5, 15, 105.
  // relu clamps below at z_out = 5; relu6 also above at z_out + round(6 / 0.25) = 5 + 24 = 29.
  const QTensor in{{1, 1, 1, 1}, {1}, {0.25f, 0}};
  const std::vector<int8_t> weights{-10, 10, 100};
  const std::vector<float> scales(3, 1.0f);
  const Quant out{0.25f, 5};
  auto run = [&](Activation fused) {
    return values(conv2d(in, weights, scales, {}, square_window(1), 1, 3, out, fused));
  };
  EXPECT_EQ(run(Activation::kNone), (std::vector<int>{-5, 15, 105}));
  EXPECT_EQ(run(Activation::kRelu), (std::vector<int>{5, 15, 105}));
  EXPECT_EQ(run(Activation::kRelu6), (std::vector<int>{5, 15, 29}));
  EXPECT_THROW(run(Activation::kSigmoid), std::invalid_argument);
}

TEST(ReferenceConv, RejectsWeightsThatDoNotFit) {
  const QTensor in{{1, 2, 2, 2}, std::vector<int8_t>(8, 0), {1.0f, 0}};
  // 2 outputs x 1x1 x 2 inputs = 4 weights, not 3.
  EXPECT_THROW(
      conv2d(in, {1, 2, 3}, {1.0f, 1.0f}, {}, square_window(1), 1, 2, {1.0f, 0}, Activation::kNone),
      std::invalid_argument);
  EXPECT_THROW(
      conv2d(in, {1, 2, 3, 4}, {1.0f}, {}, square_window(1), 1, 2, {1.0f, 0}, Activation::kNone),
      std::invalid_argument);
  // A 3x3 kernel does not fit a 2x2 input without padding.
  EXPECT_THROW(conv2d(in, std::vector<int8_t>(18, 1), {1.0f}, {}, square_window(3), 1, 1, {1.0f, 0},
                      Activation::kNone),
               std::invalid_argument);
}

// The integer path against dequantize -> double arithmetic -> requantize (round half away from
// zero): the quantized multiplier carries 31 bits, so the two may differ only where the exact
// value lies next to a rounding boundary, by 1.
TEST(ReferenceConv, AgreesWithFloatWithinOneLsbOnRandomData) {
  std::mt19937 rng(12345);
  std::uniform_int_distribution<int> int8_dist(-128, 127);
  std::uniform_int_distribution<int> weight_dist(-127, 127);
  std::uniform_real_distribution<double> unit(0.0, 1.0);

  struct Case {
    std::vector<int64_t> shape;
    Window window;
    int groups;
    int out_channels;
    Activation fused;
  };
  Window asymmetric = square_window(3, 2);
  asymmetric.pad_top = 1;
  asymmetric.pad_left = 2;
  asymmetric.pad_right = 1;
  Window dilated = square_window(3, 1, 2, 2);
  dilated.kernel_w = 2;
  const std::vector<Case> cases{
      {{2, 7, 7, 6}, asymmetric, 2, 4, Activation::kNone},
      {{1, 9, 8, 4}, dilated, 1, 5, Activation::kRelu},
      {{1, 6, 6, 8}, square_window(3, 1, 1), 8, 8, Activation::kRelu6},
  };
  for (const Case& c : cases) {
    QTensor in{c.shape, {}, {0.05f, 3}};
    for (int64_t i = 0; i < compiler::element_count(c.shape); ++i) {
      in.data.push_back(static_cast<int8_t>(int8_dist(rng)));
    }
    const int64_t group_in = c.shape[3] / c.groups;
    const int64_t k = group_in * c.window.kernel_h * c.window.kernel_w;
    std::vector<int8_t> weights;
    for (int64_t i = 0; i < c.out_channels * k; ++i) {
      weights.push_back(static_cast<int8_t>(weight_dist(rng)));
    }
    // docs/numerics.md, generated data: s_w = (0.5 + u) / (73.3 sqrt(K)), bias in [-64K, 64K].
    std::vector<float> scales;
    std::vector<int32_t> bias;
    std::uniform_int_distribution<int32_t> bias_dist(static_cast<int32_t>(-64 * k),
                                                     static_cast<int32_t>(64 * k));
    for (int o = 0; o < c.out_channels; ++o) {
      scales.push_back(static_cast<float>((0.5 + unit(rng)) / (73.3 * std::sqrt(double(k)))));
      bias.push_back(bias_dist(rng));
    }
    const Quant out_quant{0.05f, -4};
    const QTensor out =
        conv2d(in, weights, scales, bias, c.window, c.groups, c.out_channels, out_quant, c.fused);

    const Window& w = c.window;
    const int64_t in_h = c.shape[1], in_w = c.shape[2], in_c = c.shape[3];
    const int64_t out_h = out.shape[1], out_w = out.shape[2];
    const double six = 6.0 / out_quant.scale;
    int64_t inside = 0;
    for (int64_t n = 0; n < c.shape[0]; ++n) {
      for (int64_t oh = 0; oh < out_h; ++oh) {
        for (int64_t ow = 0; ow < out_w; ++ow) {
          for (int64_t oc = 0; oc < c.out_channels; ++oc) {
            const double s_acc = double(in.quant.scale) * scales[oc];
            double real = bias[oc] * s_acc;
            const int64_t first_in = oc / (c.out_channels / c.groups) * group_in;
            for (int kh = 0; kh < w.kernel_h; ++kh) {
              for (int kw = 0; kw < w.kernel_w; ++kw) {
                const int64_t ih = oh * w.stride_h - w.pad_top + kh * w.dilation_h;
                const int64_t iw = ow * w.stride_w - w.pad_left + kw * w.dilation_w;
                if (ih < 0 || ih >= in_h || iw < 0 || iw >= in_w) continue;
                for (int64_t ic = 0; ic < group_in; ++ic) {
                  const double x =
                      in.quant.scale *
                      double(in.data[((n * in_h + ih) * in_w + iw) * in_c + first_in + ic] -
                             in.quant.zero_point);
                  real += x * weights[((oc * w.kernel_h + kh) * w.kernel_w + kw) * group_in + ic] *
                          scales[oc];
                }
              }
            }
            if (c.fused != Activation::kNone) real = std::max(real, 0.0);
            double q = real / out_quant.scale;
            if (c.fused == Activation::kRelu6) q = std::min(q, std::round(six));
            const int64_t expected =
                std::clamp<int64_t>(functional::round_away(q) + out_quant.zero_point, -128, 127);
            const int64_t got = out.data[((n * out_h + oh) * out_w + ow) * c.out_channels + oc];
            EXPECT_LE(std::abs(got - expected), 1) << "output " << oh << "," << ow << "," << oc;
            inside += (expected > -128 && expected < 127) ? 1 : 0;
          }
        }
      }
    }
    // The check means little if everything saturates.
    EXPECT_GT(inside, static_cast<int64_t>(out.data.size()) / 2);
  }
}

TEST(ReferenceDense, AccumulatesAndRequantizesPerFeature) {
  // in [2,3] with z_in = 1: x - z_in = [1,2,3] and [-1,-2,0]; weights [[1,2,3],[-1,0,1]],
  // bias [5,-5], s_w = [1, 0.5], s_in = s_out = 1, z_out = -2.
  //   row 0: 1+4+9 + 5 = 19 -> 17;   -1+3 - 5 = -3, x 0.5 = -1.5 -> -1 (doubling high mul ties
  //          toward +inf: (-3 x 2^30 + 1 - 2^30) / 2^31 truncates to -1) -> -3
  //   row 1: -1-4 + 5 = 0 -> -2;     1 - 5 = -4, x 0.5 = -2 -> -4
  const QTensor in{{2, 3}, {2, 3, 4, 0, -1, 1}, {1.0f, 1}};
  const QTensor out =
      dense(in, {1, 2, 3, -1, 0, 1}, {1.0f, 0.5f}, {5, -5}, 2, {1.0f, -2}, Activation::kNone);
  EXPECT_EQ(out.shape, (std::vector<int64_t>{2, 2}));
  EXPECT_EQ(values(out), (std::vector<int>{17, -3, -2, -4}));
}

TEST(ReferenceDense, EveryTokenIsARow) {
  // The same two rows as above as [1,2,3] tokens: the result is [1,2,2] with the same values.
  const QTensor in{{1, 2, 3}, {2, 3, 4, 0, -1, 1}, {1.0f, 1}};
  const QTensor out =
      dense(in, {1, 2, 3, -1, 0, 1}, {1.0f, 0.5f}, {5, -5}, 2, {1.0f, -2}, Activation::kNone);
  EXPECT_EQ(out.shape, (std::vector<int64_t>{1, 2, 2}));
  EXPECT_EQ(values(out), (std::vector<int>{17, -3, -2, -4}));
}

TEST(ReferenceMatmul, BatchedProducts) {
  // s_a 0.5 x s_b 0.5 / s_out 0.25 = 1, z_out = 3.
  //   [[1,2],[3,4]] x [[5,6],[7,8]] = [[19,22],[43,50]] -> +3
  //   [[-1,0],[0,1]] x [[1,2],[3,4]] = [[-1,-2],[3,4]]  -> +3
  const QTensor a{{2, 2, 2}, {1, 2, 3, 4, -1, 0, 0, 1}, {0.5f, 0}};
  const QTensor b{{2, 2, 2}, {5, 6, 7, 8, 1, 2, 3, 4}, {0.5f, 0}};
  const QTensor out = matmul(a, b, {0.25f, 3}, Activation::kNone);
  EXPECT_EQ(out.shape, (std::vector<int64_t>{2, 2, 2}));
  EXPECT_EQ(values(out), (std::vector<int>{22, 25, 46, 53, 2, 1, 6, 7}));
}

TEST(ReferenceMatmul, NonSquareAndRelu) {
  // [1,3] x [3,2]: [1,-2,3] x [[1,0],[0,1],[-1,1]] = [1-3, -2+3] = [-2, 1]; m = 1, z_out = 0,
  // relu clamps -2 to 0.
  const QTensor a{{1, 3}, {1, -2, 3}, {1.0f, 0}};
  const QTensor b{{3, 2}, {1, 0, 0, 1, -1, 1}, {1.0f, 0}};
  const QTensor out = matmul(a, b, {1.0f, 0}, Activation::kRelu);
  EXPECT_EQ(out.shape, (std::vector<int64_t>{1, 2}));
  EXPECT_EQ(values(out), (std::vector<int>{0, 1}));
}

TEST(ReferenceMatmul, RejectsNonzeroZeroPointsAndMismatchedShapes) {
  const QTensor a{{1, 2}, {1, 2}, {1.0f, 0}};
  const QTensor b{{2, 1}, {1, 2}, {1.0f, 0}};
  EXPECT_NO_THROW(matmul(a, b, {1.0f, 0}, Activation::kNone));
  EXPECT_THROW(matmul({{1, 2}, {1, 2}, {1.0f, 1}}, b, {1.0f, 0}, Activation::kNone),
               std::invalid_argument);
  EXPECT_THROW(matmul(a, {{2, 1}, {1, 2}, {1.0f, -1}}, {1.0f, 0}, Activation::kNone),
               std::invalid_argument);
  EXPECT_THROW(matmul(a, a, {1.0f, 0}, Activation::kNone), std::invalid_argument);
}

}  // namespace
}  // namespace npu::reference
