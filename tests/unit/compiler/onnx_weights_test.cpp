// An ONNX model's own weights: the reader's values per layer (OHWI conv weights, dense rows
// permuted from ONNX's C,H,W flatten order to the IR's H,W,C), their use in functional runs (fp32
// and int8) checked against an independent reference with ONNX's NCHW semantics, stripped models
// falling back to generated data, and measured weight density.

#include "tools/functional/onnx_weights.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <string>
#include <vector>

#include "compiler/compile.h"
#include "compiler/model_weights.h"
#include "compiler/onnx_reader.h"
#include "tests/common/onnx_model_builder.h"
#include "tests/common/small_arch.h"
#include "tools/functional/data_generator.h"
#include "tools/functional/functional_run.h"

namespace npu::compiler {
namespace {

using testing_support::ModelBuilder;
using testing_support::Weights;

// The model: x [1, 2, 5, 5] -> Conv 3x3, 3 outputs, stride 2, pads 1, bias -> BatchNormalization
// -> Relu -> Flatten (27 features, NCHW order) -> Gemm (transB, alpha 0.5, beta 2) or
// MatMul [27, 4] + Add, to 4 outputs.
constexpr int kCin = 2, kH = 5, kW = 5, kCout = 3, kOut = 4, kHo = 3, kWo = 3;
constexpr int kFeatures = kCout * kHo * kWo;

// Deterministic values with exact zeros (one in `zero_every`, none when 0), spread around zero.
std::vector<float> values(size_t count, float step, int salt, int zero_every) {
  std::vector<float> result(count);
  for (size_t i = 0; i < count; ++i) {
    int k = static_cast<int>((i * 37 + static_cast<size_t>(salt) * 11) % 22) - 11;  // -11 .. 10
    if (k >= 0) ++k;  // never zero: the zeros are where `zero_every` puts them
    result[i] = (zero_every > 0 && i % static_cast<size_t>(zero_every) == 0) ? 0.0f : step * k;
  }
  return result;
}

struct Model {
  std::vector<float> conv_w = values(kCout * kCin * 9, 0.02f, 1, 5);  // OIHW
  std::vector<float> conv_b = values(kCout, 0.05f, 2, 0);
  std::vector<float> gamma = {1.25f, 0.75f, 1.0f}, beta = {0.1f, -0.2f, 0.3f};
  std::vector<float> mean = {0.05f, -0.1f, 0.0f}, var = {0.5f, 1.5f, 1.0f};
  std::vector<float> fc_w = values(kOut * kFeatures, 0.01f, 3, 4);  // [M, K] (transB)
  std::vector<float> fc_b = values(kOut, 0.1f, 4, 0);
  float alpha = 0.5f, beta_gemm = 2.0f;
  bool matmul = false;  // MatMul [K, M] + Add instead of Gemm: no alpha/beta

  ModelBuilder build(Weights weights = Weights::kData) const {
    ModelBuilder b(13, weights);
    b.input("x", {1, kCin, kH, kW});
    auto weight = [&](const std::string& name, const std::vector<int64_t>& dims,
                      const std::vector<float>& data) {
      if (weights == Weights::kData) {
        b.constant(name, dims, data);
      } else {
        b.weight(name, dims);
      }
    };
    weight("conv.w", {kCout, kCin, 3, 3}, conv_w);
    weight("conv.b", {kCout}, conv_b);
    b.node("Conv", "conv", {"x", "conv.w", "conv.b"})
        .ints("kernel_shape", {3, 3})
        .ints("strides", {2, 2})
        .ints("pads", {1, 1, 1, 1});
    weight("bn.g", {kCout}, gamma);
    weight("bn.b", {kCout}, beta);
    weight("bn.m", {kCout}, mean);
    weight("bn.v", {kCout}, var);
    b.node("BatchNormalization", "bn", {"conv", "bn.g", "bn.b", "bn.m", "bn.v"})
        .f("epsilon", 1e-5f);
    b.node("Relu", "relu", {"bn"});
    b.node("Flatten", "flat", {"relu"}).i("axis", 1);
    if (matmul) {
      std::vector<float> km(fc_w.size());  // [K, M]
      for (int m = 0; m < kOut; ++m)
        for (int k = 0; k < kFeatures; ++k) km[k * kOut + m] = fc_w[m * kFeatures + k];
      weight("fc.w", {kFeatures, kOut}, km);
      weight("fc.b", {kOut}, fc_b);
      b.node("MatMul", "fc", {"flat", "fc.w"});
      b.node("Add", "fc_bias", {"fc", "fc.b"});
      b.output("fc_bias");
    } else {
      weight("fc.w", {kOut, kFeatures}, fc_w);
      weight("fc.b", {kOut}, fc_b);
      b.node("Gemm", "fc", {"flat", "fc.w", "fc.b"})
          .i("transB", 1)
          .f("alpha", alpha)
          .f("beta", beta_gemm);
      b.output("fc");
    }
    return b;
  }

  // ONNX semantics on an NCHW input, in double: what the model computes.
  std::vector<double> reference(const std::vector<double>& x_nchw,
                                double relu_max = INFINITY) const {
    std::vector<double> flat(kFeatures);
    for (int o = 0; o < kCout; ++o) {
      const double a = gamma[o] / std::sqrt(static_cast<double>(var[o]) + 1e-5);
      for (int i = 0; i < kHo; ++i) {
        for (int j = 0; j < kWo; ++j) {
          double sum = conv_b[o];
          for (int c = 0; c < kCin; ++c)
            for (int y = 0; y < 3; ++y)
              for (int x = 0; x < 3; ++x) {
                const int h = i * 2 + y - 1, w = j * 2 + x - 1;
                if (h < 0 || h >= kH || w < 0 || w >= kW) continue;
                sum += conv_w[((o * kCin + c) * 3 + y) * 3 + x] * x_nchw[(c * kH + h) * kW + w];
              }
          const double normalised = a * (sum - mean[o]) + beta[o];
          flat[(o * kHo + i) * kWo + j] = std::min(std::max(normalised, 0.0), relu_max);
        }
      }
    }
    const double scale = matmul ? 1.0 : alpha, bias_scale = matmul ? 1.0 : beta_gemm;
    std::vector<double> out(kOut);
    for (int m = 0; m < kOut; ++m) {
      double sum = 0;
      for (int k = 0; k < kFeatures; ++k) sum += fc_w[m * kFeatures + k] * flat[k];
      out[m] = scale * sum + bias_scale * fc_b[m];
    }
    return out;
  }
};

int index_of(const Graph& graph, const std::string& name) {
  for (size_t i = 0; i < graph.layers.size(); ++i) {
    if (graph.layers[i].name == name) return static_cast<int>(i);
  }
  throw std::out_of_range("no layer " + name);
}

Graph read(const Model& model, ModelWeights& weights, Weights storage = Weights::kData) {
  std::vector<std::string> warnings;
  Graph graph = parse_onnx(model.build(storage).bytes(), "model.onnx", warnings, &weights);
  EXPECT_TRUE(warnings.empty());
  return graph;
}

arch::ArchConfig design(arch::Precision format) {
  arch::ArchConfig arch = testing_support::small_arch();  // 4x4 array, 1 KiB buffers
  arch.precision.operand = format;
  arch.sram.input.size_kib = arch.sram.weight.size_kib = arch.sram.output.size_kib = 4;
  return arch;
}

// The output of layer `name` of a functional run.
const functional::QTensor& output_of(const functional::FunctionalRun& run,
                                     const std::string& name) {
  for (const functional::LayerOutput& output : run.outputs) {
    if (output.name == name) return output.value;
  }
  throw std::out_of_range("no output " + name);
}

TEST(OnnxWeightValues, ConvWeightsAreOhwiAndDenseRowsFollowTheIrFeatureOrder) {
  const Model model;
  ModelWeights weights;
  const Graph graph = read(model, weights);
  ASSERT_TRUE(weights.complete()) << weights.missing;
  ASSERT_EQ(weights.layers.size(), graph.layers.size());
  const LayerWeights& conv = weights.layers[static_cast<size_t>(index_of(graph, "conv"))];
  ASSERT_EQ(conv.weights.size(), model.conv_w.size());
  for (int o = 0; o < kCout; ++o)
    for (int c = 0; c < kCin; ++c)
      for (int y = 0; y < 3; ++y)
        for (int x = 0; x < 3; ++x) {
          EXPECT_EQ(conv.weights[((o * 3 + y) * 3 + x) * kCin + c],
                    model.conv_w[((o * kCin + c) * 3 + y) * 3 + x]);
        }
  EXPECT_EQ(conv.bias, model.conv_b);
  // The batchnorm stays the model's own: a and b, folded later by the functional side.
  const LayerWeights& bn = weights.layers[static_cast<size_t>(index_of(graph, "bn"))];
  ASSERT_EQ(bn.scale.size(), 3u);
  EXPECT_FLOAT_EQ(bn.scale[1], 0.75f / std::sqrt(1.5f + 1e-5f));
  EXPECT_FLOAT_EQ(bn.shift[1], -0.2f + 0.1f * bn.scale[1]);
  // IR feature (h, w, c) at (h * 3 + w) * 3 + c holds ONNX feature (c, h, w) at (c * 3 + h) * 3 +
  // w; alpha 0.5 and beta 2 applied.
  const LayerWeights& fc = weights.layers[static_cast<size_t>(index_of(graph, "fc"))];
  ASSERT_EQ(fc.weights.size(), model.fc_w.size());
  for (int m = 0; m < kOut; ++m)
    for (int h = 0; h < kHo; ++h)
      for (int w = 0; w < kWo; ++w)
        for (int c = 0; c < kCout; ++c) {
          EXPECT_EQ(fc.weights[m * kFeatures + (h * kWo + w) * kCout + c],
                    0.5f * model.fc_w[m * kFeatures + (c * kHo + h) * kWo + w]);
        }
  ASSERT_EQ(fc.bias.size(), 4u);
  for (int m = 0; m < kOut; ++m) EXPECT_EQ(fc.bias[m], 2.0f * model.fc_b[m]);
}

TEST(OnnxWeightValues, MatMulWeightsAndAFoldedBiasAndScale) {
  Model model;
  model.matmul = true;
  ModelWeights weights;
  const Graph graph = read(model, weights);
  ASSERT_TRUE(weights.complete()) << weights.missing;
  const LayerWeights& fc = weights.layers[static_cast<size_t>(index_of(graph, "fc"))];
  ASSERT_EQ(fc.weights.size(), model.fc_w.size());
  EXPECT_EQ(fc.weights[1 * kFeatures + (2 * kWo + 1) * kCout + 2],
            model.fc_w[1 * kFeatures + (2 * kHo + 2) * kWo + 1]);
  EXPECT_EQ(fc.bias, model.fc_b);  // the Add folded into the dense's bias
}

TEST(OnnxWeightValues, RawDataReadsAsFloatData) {
  const Model model;
  ModelBuilder b = model.build();
  for (onnx::TensorProto& tensor : *b.graph()->mutable_initializer()) {
    if (tensor.name() != "conv.w") continue;
    std::string raw(static_cast<size_t>(tensor.float_data_size()) * sizeof(float), '\0');
    std::memcpy(raw.data(), tensor.float_data().data(), raw.size());
    tensor.clear_float_data();
    tensor.set_raw_data(raw);
  }
  std::vector<std::string> warnings;
  ModelWeights from_raw, from_fields;
  const Graph graph = parse_onnx(b.bytes(), "model.onnx", warnings, &from_raw);
  read(model, from_fields);
  ASSERT_TRUE(from_raw.complete()) << from_raw.missing;
  const size_t conv = static_cast<size_t>(index_of(graph, "conv"));
  EXPECT_EQ(from_raw.layers[conv].weights, from_fields.layers[conv].weights);
  EXPECT_EQ(from_raw.layers[conv].weights.size(), model.conv_w.size());
}

TEST(OnnxWeightValues, StrippedOrExternalWeightsSayWhichIsMissing) {
  for (Weights storage : {Weights::kDimsOnly, Weights::kExternal, Weights::kGraphInputs}) {
    ModelWeights weights;
    const Graph graph = read(Model(), weights, storage);
    EXPECT_FALSE(weights.complete());
    EXPECT_EQ(weights.missing,
              "model.onnx: node 'conv' (Conv): weight 'conv.w' holds no values (stripped, stored "
              "externally, or of a type npusim does not decode)");
    EXPECT_EQ(graph.total_macs(), 486 + kFeatures * kOut);  // 3*3*3 outputs x 18 taps
  }
}

TEST(OnnxWeightValues, ShapesOnlyReadsCollectNothing) {
  std::vector<std::string> warnings;
  const Graph with = parse_onnx(Model().build().bytes(), "model.onnx", warnings);
  ModelWeights weights;
  const Graph also = read(Model(), weights);
  EXPECT_EQ(with.total_macs(), also.total_macs());
  EXPECT_EQ(with.total_params(), also.total_params());
}

TEST(OnnxWeightValues, MeasuredDensityCountsTheZeros) {
  const Model model;
  ModelWeights weights;
  const Graph graph = read(model, weights);
  // conv: 54 weights, every 5th zero (0, 5, ..., 50): 11 zeros. fc: 108, every 4th: 27 zeros.
  const LayerWeights& conv = weights.layers[static_cast<size_t>(index_of(graph, "conv"))];
  const LayerWeights& fc = weights.layers[static_cast<size_t>(index_of(graph, "fc"))];
  EXPECT_EQ(zero_weight_count(conv), 11);
  EXPECT_DOUBLE_EQ(weight_density(conv), 43.0 / 54);
  EXPECT_EQ(zero_weight_count(fc), 27);
  EXPECT_DOUBLE_EQ(weight_density(fc), 81.0 / 108);
  EXPECT_DOUBLE_EQ(weight_density(LayerWeights{}), 1.0);
}

class OnnxWeightsFunctional : public testing::TestWithParam<bool> {};

TEST_P(OnnxWeightsFunctional, Fp32MatchesTheOnnxReference) {
  Model model;
  model.matmul = GetParam();
  ModelWeights weights;
  const Graph graph = read(model, weights);
  ASSERT_TRUE(weights.complete()) << weights.missing;
  const arch::ArchConfig arch = design(arch::Precision::kFp32);
  functional::ModelData data =
      functional::generate_model_data(graph, functional::kDefaultSeed, arch::Precision::kFp32);
  functional::apply_model_weights(graph, weights, data);
  const CompiledModel compiled = compile_model(graph, arch, functional::compile_options_for(data));
  const functional::FunctionalRun run = functional::run_functional(graph, compiled, data, arch);

  // The generated input is NHWC; the reference reads it as ONNX's NCHW.
  const std::vector<float>& x = data.inputs[0].values;
  std::vector<double> x_nchw(x.size());
  for (int c = 0; c < kCin; ++c)
    for (int h = 0; h < kH; ++h)
      for (int w = 0; w < kW; ++w) x_nchw[(c * kH + h) * kW + w] = x[(h * kW + w) * kCin + c];
  const std::vector<double> expected = model.reference(x_nchw);
  const functional::QTensor& out = output_of(run, "fc");
  ASSERT_EQ(out.values.size(), expected.size());
  for (size_t m = 0; m < expected.size(); ++m) {
    EXPECT_NEAR(out.values[m], expected[m], 1e-5 + 1e-5 * std::fabs(expected[m])) << m;
  }
}

TEST_P(OnnxWeightsFunctional, Int8MatchesTheOnnxReferenceWithinQuantizationError) {
  Model model;
  model.matmul = GetParam();
  ModelWeights weights;
  const Graph graph = read(model, weights);
  ASSERT_TRUE(weights.complete()) << weights.missing;
  const arch::ArchConfig arch = design(arch::Precision::kInt8);
  functional::ModelData data = functional::generate_model_data(graph);
  functional::apply_model_weights(graph, weights, data);
  const CompiledModel compiled = compile_model(graph, arch, functional::compile_options_for(data));
  const functional::FunctionalRun run = functional::run_functional(graph, compiled, data, arch);

  const functional::QTensor& in = data.inputs[0];
  std::vector<double> x_nchw(in.data.size());
  for (int c = 0; c < kCin; ++c)
    for (int h = 0; h < kH; ++h)
      for (int w = 0; w < kW; ++w) {
        const int8_t q = in.data[(h * kW + w) * kCin + c];
        x_nchw[(c * kH + h) * kW + w] = in.quant.scale * (q - in.quant.zero_point);
      }
  // The conv's int8 output (relu fused, zero point -128) tops out at 255 steps.
  const functional::Quant conv_q = data.quant[static_cast<size_t>(index_of(graph, "relu"))];
  const double relu_max = conv_q.scale * (127 - conv_q.zero_point);
  const std::vector<double> expected = model.reference(x_nchw, relu_max);
  const functional::QTensor& out = output_of(run, "fc");
  ASSERT_EQ(out.data.size(), expected.size());
  // Error budget: the output's own rounding (half a step), the conv output's rounding carried
  // through the dense (sum |w| x half a step), and both layers' weight rounding (half a weight
  // step per tap, times the largest activation) — bounded generously by two output steps.
  const double step = out.quant.scale;
  double spread = 0;
  for (size_t m = 0; m < expected.size(); ++m) {
    const double real = step * (out.data[m] - out.quant.zero_point);
    EXPECT_NEAR(real, expected[m], 2 * step) << m;
    spread = std::max(spread, std::fabs(expected[m]));
  }
  EXPECT_GT(spread, 10 * step);  // the outputs span many steps, so the check means something
}

// Tokens: x [1, 4, 8] -> MatMul [8, 6] -> Mul by a per-channel [6] (folds into the weights) ->
// Add [6] (folds into the bias) -> LayerNormalization (gamma, beta) -> output, on an fp32 design.
TEST(OnnxWeightsFunctional, TokensDenseWithFoldedScaleAndBiasThenLayerNorm) {
  constexpr int kT = 4, kK = 8, kN = 6;
  const std::vector<float> w = values(kK * kN, 0.05f, 5, 7), s = values(kN, 0.1f, 6, 0),
                           b = values(kN, 0.05f, 7, 0), g = values(kN, 0.08f, 8, 0),
                           beta = values(kN, 0.03f, 9, 0);
  ModelBuilder builder(17);
  builder.input("x", {1, kT, kK});
  builder.constant("w", {kK, kN}, w);
  builder.constant("s", {kN}, s);
  builder.constant("b", {kN}, b);
  builder.constant("g", {kN}, g);
  builder.constant("beta", {kN}, beta);
  builder.node("MatMul", "fc", {"x", "w"});
  builder.node("Mul", "scaled", {"fc", "s"});
  builder.node("Add", "biased", {"scaled", "b"});
  builder.node("LayerNormalization", "ln", {"biased", "g", "beta"}).f("epsilon", 1e-5f);
  builder.output("ln");
  std::vector<std::string> warnings;
  ModelWeights weights;
  const Graph graph = parse_onnx(builder.bytes(), "model.onnx", warnings, &weights);
  ASSERT_TRUE(weights.complete()) << weights.missing;
  const arch::ArchConfig arch = design(arch::Precision::kFp32);
  functional::ModelData data =
      functional::generate_model_data(graph, functional::kDefaultSeed, arch::Precision::kFp32);
  functional::apply_model_weights(graph, weights, data);
  const CompiledModel compiled = compile_model(graph, arch, functional::compile_options_for(data));
  const functional::FunctionalRun run = functional::run_functional(graph, compiled, data, arch);

  const std::vector<float>& x = data.inputs[0].values;  // [T, K]: tokens held in ONNX order
  const functional::QTensor& out = output_of(run, "ln");
  ASSERT_EQ(out.values.size(), static_cast<size_t>(kT * kN));
  for (int t = 0; t < kT; ++t) {
    std::vector<double> y(kN);
    double mean = 0, var = 0;
    for (int n = 0; n < kN; ++n) {
      double sum = 0;
      for (int k = 0; k < kK; ++k) sum += x[t * kK + k] * static_cast<double>(w[k * kN + n]);
      y[n] = sum * s[n] + b[n];
      mean += y[n] / kN;
    }
    for (int n = 0; n < kN; ++n) var += (y[n] - mean) * (y[n] - mean) / kN;
    for (int n = 0; n < kN; ++n) {
      const double expected = (y[n] - mean) / std::sqrt(var + 1e-5) * g[n] + beta[n];
      EXPECT_NEAR(out.values[t * kN + n], expected, 1e-4) << t << "," << n;
    }
  }
}

// A batchnorm over the flattened features (BatchNorm1d after Flatten) stays a layer of its own:
// its per-feature a and b must follow the IR's H,W,C order as the dense rows do. x [1, 2, 3, 3]
// -> Conv 1x1 (3 outputs) -> Relu -> Flatten (27) -> BatchNormalization -> Gemm [2, 27] transB.
TEST(OnnxWeightsFunctional, BatchnormOverFlattenedFeaturesFollowsTheirOrder) {
  constexpr int kC = 2, kS = 3, kO = 3, kF = kO * kS * kS, kM = 2;
  const std::vector<float> cw = values(kO * kC, 0.3f, 1, 0), gamma = values(kF, 0.1f, 2, 0),
                           beta = values(kF, 0.05f, 3, 0), mean = values(kF, 0.02f, 4, 0),
                           fw = values(kM * kF, 0.04f, 5, 0);
  std::vector<float> var(kF);
  for (int f = 0; f < kF; ++f) var[f] = 0.5f + 0.05f * static_cast<float>(f);
  ModelBuilder builder(13);
  builder.input("x", {1, kC, kS, kS});
  builder.constant("cw", {kO, kC, 1, 1}, cw);
  builder.node("Conv", "conv", {"x", "cw"});
  builder.node("Relu", "relu", {"conv"});
  builder.node("Flatten", "flat", {"relu"}).i("axis", 1);
  builder.constant("g", {kF}, gamma);
  builder.constant("bt", {kF}, beta);
  builder.constant("m", {kF}, mean);
  builder.constant("v", {kF}, var);
  builder.node("BatchNormalization", "bn", {"flat", "g", "bt", "m", "v"}).f("epsilon", 1e-5f);
  builder.constant("fw", {kM, kF}, fw);
  builder.node("Gemm", "fc", {"bn", "fw"}).i("transB", 1);
  builder.output("fc");
  std::vector<std::string> warnings;
  ModelWeights weights;
  const Graph graph = parse_onnx(builder.bytes(), "model.onnx", warnings, &weights);
  ASSERT_TRUE(weights.complete()) << weights.missing;
  const arch::ArchConfig arch = design(arch::Precision::kFp32);
  functional::ModelData data =
      functional::generate_model_data(graph, functional::kDefaultSeed, arch::Precision::kFp32);
  functional::apply_model_weights(graph, weights, data);
  const CompiledModel compiled = compile_model(graph, arch, functional::compile_options_for(data));
  const functional::FunctionalRun run = functional::run_functional(graph, compiled, data, arch);

  const std::vector<float>& x = data.inputs[0].values;  // NHWC
  std::vector<double> flat(kF);                         // ONNX order: (o, h, w)
  for (int o = 0; o < kO; ++o)
    for (int p = 0; p < kS * kS; ++p) {
      double sum = 0;
      for (int c = 0; c < kC; ++c) sum += cw[o * kC + c] * static_cast<double>(x[p * kC + c]);
      const int f = o * kS * kS + p;
      const double a = gamma[f] / std::sqrt(static_cast<double>(var[f]) + 1e-5);
      flat[f] = a * (std::max(sum, 0.0) - mean[f]) + beta[f];
    }
  const functional::QTensor& out = output_of(run, "fc");
  ASSERT_EQ(out.values.size(), static_cast<size_t>(kM));
  for (int m = 0; m < kM; ++m) {
    double expected = 0;
    for (int f = 0; f < kF; ++f) expected += fw[m * kF + f] * flat[f];
    EXPECT_NEAR(out.values[m], expected, 1e-4) << m;
  }
}

TEST(OnnxWeightValues, AScalarMulOfAnActivationMakesTheWeightsIncomplete) {
  ModelBuilder builder(13);
  builder.input("x", {1, 8});
  builder.scalar("half", 0.5f);
  builder.node("Mul", "scaled", {"x", "half"});
  builder.constant("w", {8, 3}, values(24, 0.1f, 1, 0));
  builder.node("MatMul", "fc", {"scaled", "w"});
  builder.output("fc");
  std::vector<std::string> warnings;
  ModelWeights weights;
  parse_onnx(builder.bytes(), "model.onnx", warnings, &weights);
  EXPECT_EQ(weights.missing,
            "model.onnx: node 'scaled' (Mul): a scalar multiple of an activation that follows no "
            "conv or dense is a change of quantization scale to npusim, which a functional run "
            "does not apply");
}

INSTANTIATE_TEST_SUITE_P(GemmOrMatMul, OnnxWeightsFunctional, testing::Bool(),
                         [](const testing::TestParamInfo<bool>& info) {
                           return std::string(info.param ? "MatMul" : "Gemm");
                         });

}  // namespace
}  // namespace npu::compiler
