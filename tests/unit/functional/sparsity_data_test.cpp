// Functional runs with sparse data (docs/sparsity.md, "Functional runs"): declared unstructured
// weight densities are met by magnitude pruning, and the zero inputs a conv/dense layer multiplies
// are counted by the interpreter, on hand-made data whose zeros are known.

#include <gtest/gtest.h>

#include <cstdint>
#include <string>
#include <vector>

#include "compiler/compile.h"
#include "compiler/workload_reader.h"
#include "tests/common/small_arch.h"
#include "tests/common/valid_design_compile.h"
#include "tests/reference/reference_graph.h"
#include "tools/functional/data_generator.h"
#include "tools/functional/functional_run.h"
#include "tools/functional/measured_activations.h"
#include "tools/functional/unstructured_pruning.h"

namespace npu::functional {
namespace {

TEST(PruneByMagnitude, KeepsTheLargestMagnitudes) {
  // d = 0.5 of 8 keeps 4: |-8|, 7, 5, 4.
  std::vector<int8_t> weights{5, -3, 0, 7, -1, 2, -8, 4};
  prune_by_magnitude(weights, 0.5);
  EXPECT_EQ(weights, (std::vector<int8_t>{5, 0, 0, 7, 0, 0, -8, 4}));
  // Ties go to the earlier index; -128 is the largest magnitude int8 holds. round(0.5 x 4) = 2.
  std::vector<int8_t> ties{3, -3, 3, -128};
  prune_by_magnitude(ties, 0.5);
  EXPECT_EQ(ties, (std::vector<int8_t>{3, 0, 0, -128}));
  // Density 1 keeps everything.
  std::vector<int8_t> dense{1, -1, 2};
  prune_by_magnitude(dense, 1.0);
  EXPECT_EQ(dense, (std::vector<int8_t>{1, -1, 2}));
}

TEST(PruneByMagnitude, FloatWeights) {
  // d = 0.3 of 10 keeps round(3.0) = 3.
  std::vector<float> weights{0.5f, -2.0f, 0.25f, 1.0f, -0.75f, 0.1f, 0.0f, -1.5f, 0.2f, 0.3f};
  prune_by_magnitude(weights, 0.3);
  EXPECT_EQ(weights, (std::vector<float>{0, -2.0f, 0, 1.0f, 0, 0, 0, -1.5f, 0, 0}));
}

TEST(PruneUnstructuredWeights, PrunesOnlyLayersThatDeclareADensity) {
  const compiler::Graph graph = compiler::parse_workload(
      "name: p\ninputs: [{name: x, shape: [6, 6, 8]}]\nlayers:\n"
      "  - {name: c, op: conv2d, input: x, out_channels: 10, kernel: 3, weight_density: 0.25}\n"
      "  - {name: f, op: flatten, input: c}\n"
      "  - {name: d, op: dense, input: f, out_features: 4}\n",
      "p.yaml");
  ModelData data = generate_model_data(graph);
  const std::vector<int8_t> dense_before = data.layers[3].weights;
  prune_unstructured_weights(graph, data);
  // conv: 10 x 3 x 3 x 8 = 720 weights, round(0.25 x 720) = 180 kept.
  const std::vector<int8_t>& conv = data.layers[1].weights;
  ASSERT_EQ(conv.size(), 720u);
  EXPECT_EQ(720 - std::count(conv.begin(), conv.end(), int8_t{0}), 180);
  EXPECT_EQ(data.layers[3].weights, dense_before);
}

// Compiles `workload` for the 4x4 test design, runs it on `data` and returns the measured
// activation density of each program layer.
std::vector<double> measure(const std::string& workload, const ModelData& data,
                            compiler::CompiledModel* model_out = nullptr) {
  const compiler::Graph graph = compiler::parse_workload(workload, "m.yaml");
  const arch::ArchConfig arch = testing_support::small_arch();
  compiler::CompiledModel model = testing_support::compile_for_valid_design(graph, arch, compile_options_for(data));
  const FunctionalRun run = run_functional(graph, model, data, arch);
  std::vector<double> density = measured_activation_density(graph, model, run.counts);
  if (model_out != nullptr) {
    use_measured_activation_density(graph, density, model);
    *model_out = std::move(model);
  }
  return density;
}

const char* kDense =
    "name: m\ninputs: [{name: x, shape: [8]}]\nlayers:\n"
    "  - {name: d, op: dense, input: x, out_features: 6, weight_density: 0.5}\n";

TEST(MeasuredActivations, CountsInputsEqualToTheZeroPoint) {
  // Eight int8 inputs, five of them at the input's zero point (the quantized 0.0): density 3/8.
  const compiler::Graph graph = compiler::parse_workload(kDense, "m.yaml");
  ModelData data = generate_model_data(graph);
  const int32_t zp = data.quant[0].zero_point;
  const int8_t other = static_cast<int8_t>(zp > 0 ? zp - 5 : zp + 5);
  const int8_t z = static_cast<int8_t>(zp);
  data.inputs[0].data = {z, z, other, z, other, z, z, other};
  compiler::CompiledModel model;
  const std::vector<double> density = measure(kDense, data, &model);
  ASSERT_EQ(density.size(), 1u);
  EXPECT_DOUBLE_EQ(density[0], 3.0 / 8.0);
  // macs 8 x 6 = 48; effective round(48 x 0.5 x 0.375) = 9, so 39 have a zero operand.
  EXPECT_EQ(model.program.layers[0].zero_operand_macs, 39);
}

TEST(MeasuredActivations, FloatZerosAreZero) {
  const compiler::Graph graph = compiler::parse_workload(kDense, "m.yaml");
  ModelData data = generate_model_data(graph, 1, arch::Precision::kFp32);
  data.inputs[0].values = {0.0f, 1.5f, -0.0f, 0.0f, 2.0f, 0.0f, 0.25f, -1.0f};
  arch::ArchConfig arch = testing_support::small_arch();
  arch.precision.operand = arch::Precision::kFp32;
  compiler::CompiledModel model = testing_support::compile_for_valid_design(graph, arch, compile_options_for(data));
  const FunctionalRun run = run_functional(graph, model, data, arch);
  // Four zeros (-0.0 among them) of eight.
  EXPECT_DOUBLE_EQ(measured_activation_density(graph, model, run.counts)[0], 0.5);
}

TEST(MeasuredActivations, PaddingTapsAreZeros) {
  // A 3x3 conv, padding 1, over a 3x3 single-channel image with no zero value: 9 outputs x 9 taps
  // = 81 operands, of which the in-image ones number 4 corners x 4 + 4 edges x 6 + 1 centre x 9 =
  // 49. The other 32 read padding, the zero point: density 49/81. (The layer's macs, 81 per
  // output channel, count the padding taps too.)
  const char* conv =
      "name: m\ninputs: [{name: x, shape: [3, 3, 1]}]\nlayers:\n"
      "  - {name: c, op: conv2d, input: x, out_channels: 2, kernel: 3, padding: 1}\n";
  const compiler::Graph graph = compiler::parse_workload(conv, "m.yaml");
  ModelData data = generate_model_data(graph);
  const int32_t zp = data.quant[0].zero_point;
  for (int8_t& v : data.inputs[0].data) v = static_cast<int8_t>(zp > 0 ? zp - 7 : zp + 7);
  EXPECT_DOUBLE_EQ(measure(conv, data)[0], 49.0 / 81.0);
}

TEST(MeasuredActivations, OnlyConvAndDenseAreMeasured) {
  const char* net =
      "name: m\ninputs: [{name: x, shape: [4, 4, 4]}]\nlayers:\n"
      "  - {name: c, op: conv2d, input: x, out_channels: 4, kernel: 1, activation: relu}\n"
      "  - {name: c2, op: conv2d, input: c, out_channels: 4, kernel: 1}\n"
      "  - {name: p, op: maxpool, input: c2, kernel: 2}\n";
  const compiler::Graph graph = compiler::parse_workload(net, "m.yaml");
  const ModelData data = generate_model_data(graph);
  const std::vector<double> density = measure(net, data);
  ASSERT_EQ(density.size(), 3u);
  EXPECT_GE(density[0], 0.0);
  // c2 reads a relu's output: of its 64 values (generated data, fixed seed) some are clamped to
  // the zero point, not all.
  EXPECT_GT(density[1], 0.0);
  EXPECT_LT(density[1], 1.0);
  EXPECT_EQ(density[2], -1.0);  // the pool multiplies nothing
}

TEST(SkippingUnstructured, PrunedDataOnTheSkippedTilingMatchesTheReference) {
  // On the 4x4 design (R = C = 4) with unstructured skipping: the conv (d = 0.3, 6 output
  // channels, so 4 columns share a fold) packs 8 reduction rows a fold (E[max of 4
  // Binomial(8, 0.3)] = 3.74 <= 4 < 4.13 at 9); the dense (d = 0.5) 5 (3.62 <= 4 < 4.23 at 6).
  // Pruned weights on that tiling must give the reference's answer bit for bit.
  const char* workload =
      "name: sk\ninputs: [{name: x, shape: [5, 5, 6]}]\nlayers:\n"
      "  - {name: c, op: conv2d, input: x, out_channels: 6, kernel: 3, padding: 1, bias: true,\n"
      "     weight_density: 0.3, activation: relu}\n"
      "  - {name: f, op: flatten, input: c}\n"
      "  - {name: d, op: dense, input: f, out_features: 7, weight_density: 0.5}\n";
  const compiler::Graph graph = compiler::parse_workload(workload, "sk.yaml");
  arch::ArchConfig arch = testing_support::small_arch();
  arch.sram.input.size_kib = arch.sram.weight.size_kib = arch.sram.output.size_kib = 16;
  arch.sparsity.support = arch::SparsitySupport::kSkipping;
  arch.sparsity.skip_unstructured_weights = true;
  ModelData data = generate_model_data(graph);
  prune_unstructured_weights(graph, data);
  const compiler::CompiledModel model =
      testing_support::compile_for_valid_design(graph, arch, compile_options_for(data));
  ASSERT_EQ(model.program.layers.size(), 3u);
  EXPECT_EQ(model.program.layers[0].skip_rows, 8u);
  EXPECT_EQ(model.program.layers[2].skip_rows, 5u);
  const FunctionalRun run = run_functional(graph, model, data, arch);
  const std::vector<QTensor> expected = reference::run_graph(graph, data);
  for (const LayerOutput& output : run.outputs) {
    EXPECT_TRUE(output.value.data == expected[static_cast<size_t>(output.tensor)].data)
        << output.name;
  }
}

}  // namespace
}  // namespace npu::functional
