// Compiled programs compute the right answer: every layer type, compiled for a design and executed
// by the functional interpreter, must equal the plain-loop reference bit for bit. Each case also runs
// on a tiny-SRAM design that splits every layer into many tiles along every dimension, so a tiling
// or addressing mistake anywhere shows up as a wrong value, not just a plausible cycle count.

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <string>
#include <vector>

#include "arch/arch_loader.h"
#include "arch/user_error.h"
#include "compiler/compile.h"
#include "compiler/workload_reader.h"
#include "sim/functional/interpreter.h"
#include "tests/common/float_tolerance.h"
#include "tests/common/small_arch.h"
#include "tests/common/valid_design_compile.h"
#include "tests/reference/reference_graph.h"
#include "tools/functional/data_generator.h"
#include "tools/functional/functional_run.h"
#include "tools/functional/weight_pruning.h"

namespace npu::functional {
namespace {

const std::string kRepo = NPU_REPO_DIR;

struct Case {
  const char* name;
  const char* workload;  // YAML
};

// Shapes chosen so no dimension is a multiple of the arrays' 4 or 8.
const Case kCases[] = {
    {"conv1x1", R"(
name: t
inputs: [{name: x, shape: [5, 7, 9]}]
layers:
  - {name: c, op: conv2d, input: x, out_channels: 11, kernel: 1, bias: true}
)"},
    {"conv3x3_padded", R"(
name: t
inputs: [{name: x, shape: [9, 10, 6]}]
layers:
  - {name: c, op: conv2d, input: x, out_channels: 13, kernel: 3, padding: 1}
)"},
    {"conv7x7_stride2", R"(
name: t
inputs: [{name: x, shape: [17, 15, 3]}]
layers:
  - {name: c, op: conv2d, input: x, out_channels: 10, kernel: 7, stride: 2, padding: 3, bias: true}
)"},
    {"conv_stride2_asymmetric", R"(
name: t
inputs: [{name: x, shape: [12, 11, 5]}]
layers:
  - {name: c, op: conv2d, input: x, out_channels: 7, kernel: [3, 2], stride: 2, padding: [1, 0, 0, 1]}
)"},
    {"conv_dilated", R"(
name: t
inputs: [{name: x, shape: [13, 13, 4]}]
layers:
  - {name: c, op: conv2d, input: x, out_channels: 6, kernel: 3, dilation: 2, padding: 2}
)"},
    {"conv_grouped", R"(
name: t
inputs: [{name: x, shape: [8, 9, 12]}]
layers:
  - {name: c, op: conv2d, input: x, out_channels: 9, kernel: 3, padding: 1, groups: 3}
)"},
    {"conv_depthwise", R"(
name: t
inputs: [{name: x, shape: [10, 9, 6]}]
layers:
  - {name: c, op: conv2d, input: x, out_channels: 6, kernel: 3, stride: 2, padding: 1, groups: 6}
)"},
    // Groups whose 3-channel runs straddle the 4-byte DRAM blocks, and little compute per input
    // pixel (stride 3): both designs load each band's patch once as whole pixels for both groups
    // (GroupedConv.BothDesignsShareWholePixelPatches).
    {"conv_grouped_shared_patch", R"(
name: t
inputs: [{name: x, shape: [12, 10, 6]}]
layers:
  - {name: c, op: conv2d, input: x, out_channels: 6, kernel: 3, stride: 3, padding: 1, groups: 2}
)"},
    {"conv_bn_relu", R"(
name: t
inputs: [{name: x, shape: [7, 6, 5]}]
layers:
  - {name: c, op: conv2d, input: x, out_channels: 9, kernel: 3, padding: 1}
  - {name: b, op: batchnorm, input: c}
  - {name: r, op: relu, input: b}
)"},
    // Images sharing a tile: all three on the roomy design, 2 + 1 on the tiny one.
    {"conv_batched", R"(
name: t
batch: 3
inputs: [{name: x, shape: [6, 7, 5]}]
layers:
  - {name: c, op: conv2d, input: x, out_channels: 9, kernel: 3, stride: 2, padding: 1, bias: true}
  - {name: p, op: conv2d, input: c, out_channels: 4, kernel: 1, activation: relu}
)"},
    // A decoder's attention over a KV cache of 5 rows: the new key and value join their caches by
    // concats along axis 0, which the compiler does in place; the scores are keys x query column.
    {"kv_cache_in_place", R"(
name: t
inputs: [{name: x, shape: [1, 8]}, {name: kc, shape: [5, 4]}, {name: vc, shape: [5, 4]}]
layers:
  - {name: q, op: dense, input: x, out_features: 4}
  - {name: k, op: dense, input: x, out_features: 4}
  - {name: v, op: dense, input: x, out_features: 4}
  - {name: keys, op: concat, inputs: [kc, k], axis: 0}
  - {name: qc, op: reshape, input: q, shape: [4, 1]}
  - {name: sc, op: matmul, inputs: [keys, qc]}
  - {name: s, op: reshape, input: sc, shape: [1, 6]}
  - {name: p, op: softmax, input: s}
  - {name: values, op: concat, inputs: [vc, v], axis: 0}
  - {name: o, op: matmul, inputs: [p, values]}
)"},
    // Concats along axis 0 and a middle axis that must copy: the batch of 2 interleaves the parts.
    {"concat_axes_copied", R"(
name: t
batch: 2
inputs: [{name: a, shape: [3, 5]}, {name: b, shape: [2, 5]}, {name: x, shape: [3, 2, 4]}, {name: y, shape: [3, 1, 4]}]
layers:
  - {name: rows, op: concat, inputs: [a, b], axis: 0}
  - {name: middle, op: concat, inputs: [x, y], axis: -2}
)"},
    // Slices along the channels (a run of every row), the rows (whole rows) and a middle axis,
    // each feeding a layer that reads it.
    {"slices", R"(
name: t
batch: 2
inputs: [{name: x, shape: [5, 12]}, {name: y, shape: [3, 4, 6]}]
layers:
  - {name: c, op: slice, input: x, axis: -1, begin: 4, size: 6}
  - {name: r, op: slice, input: x, axis: 0, begin: 1, size: 3}
  - {name: m, op: slice, input: y, axis: 1, begin: 2, size: 2}
  - {name: d, op: dense, input: c, out_features: 5}
  - {name: a, op: add, inputs: [r, r]}
)"},
    {"dense_batch1", R"(
name: t
inputs: [{name: x, shape: [37]}]
layers:
  - {name: d, op: dense, input: x, out_features: 19}
)"},
    {"dense_batch_over_array", R"(
name: t
batch: 21
inputs: [{name: x, shape: [13]}]
layers:
  - {name: d, op: dense, input: x, out_features: 10, activation: relu6}
)"},
    {"residual_add_relu", R"(
name: t
inputs: [{name: x, shape: [6, 7, 5]}]
layers:
  - {name: c, op: conv2d, input: x, out_channels: 5, kernel: 3, padding: 1}
  - {name: s, op: add, inputs: [c, x]}
  - {name: r, op: relu, input: s}
)"},
    {"pools", R"(
name: t
inputs: [{name: x, shape: [11, 10, 6]}]
layers:
  - {name: mp, op: maxpool, input: x, kernel: 3, stride: 2, padding: 1}
  - {name: ap, op: avgpool, input: mp, kernel: 2, stride: 2, padding: 1}
  - {name: gp, op: global_avgpool, input: ap}
)"},
    {"activations", R"(
name: t
inputs: [{name: x, shape: [5, 13]}]
layers:
  - {name: s, op: sigmoid, input: x}
  - {name: t2, op: tanh, input: s}
  - {name: g, op: gelu, input: t2}
)"},
    {"softmax", R"(
name: t
batch: 3
inputs: [{name: x, shape: [17]}]
layers:
  - {name: d, op: dense, input: x, out_features: 10}
  - {name: p, op: softmax, input: d}
)"},
    {"layernorm", R"(
name: t
inputs: [{name: x, shape: [6, 24]}]
layers:
  - {name: n, op: layernorm, input: x}
)"},
    {"standalone_batchnorm_and_concat", R"(
name: t
inputs: [{name: x, shape: [6, 5, 4]}]
layers:
  - {name: b, op: batchnorm, input: x}
  - {name: c, op: conv2d, input: x, out_channels: 3, kernel: 1}
  - {name: j, op: concat, inputs: [b, c]}
)"},
    // Operands at different scales: sigmoid's 1/256 (zero point -128) times y's 1/32, then that
    // product (1/64) times x with a fused relu.
    {"mul", R"(
name: t
batch: 2
inputs: [{name: x, shape: [5, 13]}, {name: y, shape: [5, 13]}]
layers:
  - {name: g, op: sigmoid, input: x}
  - {name: m, op: mul, inputs: [g, y]}
  - {name: r, op: mul, inputs: [m, x], activation: relu}
)"},
    // Six 7x13 slices, and two 37x150 slices that the tiny design cuts in rows and columns.
    {"transpose", R"(
name: t
batch: 2
inputs: [{name: x, shape: [3, 7, 13]}, {name: y, shape: [37, 150]}]
layers:
  - {name: tx, op: transpose, input: x}
  - {name: ty, op: transpose, input: y}
)"},
    {"dense_tokens", R"(
name: t
batch: 3
inputs: [{name: x, shape: [5, 17]}]
layers:
  - {name: d, op: dense, input: x, out_features: 11, activation: relu}
)"},
    // Two steps of a recurrent cell: the second applies the first's weights (weights_of), so both
    // read one packed weight tensor and its data must be the first's.
    {"recurrent", R"(
name: t
batch: 2
inputs: [{name: x0, shape: [12]}, {name: x1, shape: [12]}, {name: h0, shape: [9]}]
layers:
  - {name: a0, op: dense, input: x0, out_features: 9}
  - {name: b0, op: dense, input: h0, out_features: 9}
  - {name: s0, op: add, inputs: [a0, b0]}
  - {name: h1, op: tanh, input: s0}
  - {name: a1, op: dense, input: x1, out_features: 9, weights_of: a0}
  - {name: b1, op: dense, input: h1, out_features: 9, weights_of: b0}
  - {name: s1, op: add, inputs: [a1, b1]}
  - {name: g1, op: sigmoid, input: s1}
  - {name: h2, op: mul, inputs: [g1, h1]}
)"},
    // A conv applied twice, the second time followed by a batchnorm folded into it: the weights
    // are shared, the bias is that layer's own.
    {"shared_conv", R"(
name: t
inputs: [{name: x, shape: [6, 6, 5]}]
layers:
  - {name: c0, op: conv2d, input: x, out_channels: 5, kernel: 3, padding: 1, activation: relu}
  - {name: c1, op: conv2d, input: c0, out_channels: 5, kernel: 3, padding: 1, weights_of: c0}
  - {name: n1, op: batchnorm, input: c1}
)"},
    // One attention head from the new ops: softmax(q k^T) v.
    {"attention", R"(
name: t
inputs: [{name: x, shape: [6, 8]}]
layers:
  - {name: q, op: dense, input: x, out_features: 8}
  - {name: k, op: dense, input: x, out_features: 8}
  - {name: v, op: dense, input: x, out_features: 8}
  - {name: kt, op: transpose, input: k}
  - {name: s, op: matmul, inputs: [q, kt]}
  - {name: p, op: softmax, input: s}
  - {name: o, op: matmul, inputs: [p, v]}
)"},
};

void PrintTo(const Case& c, std::ostream* out) { *out << c.name; }

enum class Design { kRoomy, kTinySram };
void PrintTo(Design d, std::ostream* out) { *out << (d == Design::kRoomy ? "roomy" : "tiny SRAM"); }

arch::ArchConfig design(Design which) {
  arch::ArchConfig arch = testing_support::small_arch();  // 4x4 array, 1 KiB buffers
  if (which == Design::kRoomy) {
    arch.array.rows = 8;
    arch.array.cols = 8;
    arch.sram.input.size_kib = arch.sram.weight.size_kib = arch.sram.output.size_kib = 64;
  }
  return arch;
}

// Compiles `graph` for `arch`, runs it on `data` and requires every layer's output to equal the
// reference's bit for bit, and each layer to execute exactly its MACs.
void expect_compiled_equals_reference(const compiler::Graph& graph, const arch::ArchConfig& arch,
                                      const ModelData& data) {
  const compiler::CompiledModel model =
      testing_support::compile_for_valid_design(graph, arch, compile_options_for(data));
  const FunctionalRun run = run_functional(graph, model, data, arch);
  const std::vector<QTensor> expected = reference::run_graph(graph, data);

  ASSERT_FALSE(run.outputs.empty());
  for (const LayerOutput& output : run.outputs) {
    const QTensor& want = expected[static_cast<size_t>(output.tensor)];
    ASSERT_EQ(output.value.shape, want.shape) << output.name;
    size_t mismatches = 0;
    size_t first = 0;
    for (size_t i = 0; i < want.data.size(); ++i) {
      if (output.value.data[i] != want.data[i] && mismatches++ == 0) first = i;
    }
    EXPECT_EQ(mismatches, 0u) << "layer '" << output.name << "': " << mismatches << " of "
                              << want.data.size() << " values differ, first at " << first << ": "
                              << int{output.value.data[first]} << " vs reference "
                              << int{want.data[first]};
  }
  // The array executed exactly each layer's MACs: implicit GEMM wastes no multiplies on tiling.
  for (size_t l = 0; l < model.program.layers.size(); ++l) {
    EXPECT_EQ(static_cast<int64_t>(run.counts.layer_executed_macs[l]), model.program.layers[l].macs)
        << model.program.layers[l].name;
  }
}

class CompiledEqualsReference
    : public testing::TestWithParam<std::tuple<Case, Design, arch::Dataflow>> {};

TEST_P(CompiledEqualsReference, BitExact) {
  const auto& [test_case, which, dataflow] = GetParam();
  const compiler::Graph graph = compiler::parse_workload(test_case.workload, test_case.name);
  arch::ArchConfig arch = design(which);
  arch.array.dataflow = dataflow;
  expect_compiled_equals_reference(graph, arch, generate_model_data(graph));
}

// The batched case exercises what it is for: images sharing a tile (and its weights). On the roomy
// design c takes all three images per tile, and p two and then the last one alone (a partial
// block): whole 9-channel pixels, 255 cycles, beat three images in 3-channel chunks, whose runs
// straddle the 4-byte DRAM blocks (285). The tiny design takes two images per tile for both.
TEST(BatchedConv, RoomyDesignSharesTilesAcrossImages) {
  const Case& batched = *std::find_if(std::begin(kCases), std::end(kCases), [](const Case& c) {
    return std::string(c.name) == "conv_batched";
  });
  const compiler::Graph graph = compiler::parse_workload(batched.workload, batched.name);
  const compiler::CompiledModel roomy = compiler::compile_model(graph, design(Design::kRoomy));
  const compiler::CompiledModel tiny = compiler::compile_model(graph, design(Design::kTinySram));
  ASSERT_EQ(roomy.layers.size(), 2u);
  EXPECT_EQ(roomy.layers[0].tiling.images_per_tile, 3);
  EXPECT_EQ(roomy.layers[1].tiling.images_per_tile, 2);
  for (size_t l = 0; l < tiny.layers.size(); ++l) {
    EXPECT_EQ(tiny.layers[l].tiling.images_per_tile, 2) << tiny.program.layers[l].name;
  }
}

// Grouped layers may share one whole-pixel patch per band among their groups, each multiply
// reading its group's channels through the window's slice. Every dataflow on both designs takes it
// for conv_grouped_shared_patch, so the bit-exact runs above check the slices; conv_depthwise
// takes it only on the roomy design in weight and output stationary (the tiny one is compute-bound
// enough that the whole-pixel patch's longer first load costs more than it saves).
TEST(GroupedConv, BothDesignsShareWholePixelPatches) {
  for (const char* name : {"conv_grouped_shared_patch", "conv_depthwise"}) {
    const Case& grouped = *std::find_if(std::begin(kCases), std::end(kCases), [&](const Case& c) {
      return std::string(c.name) == name;
    });
    const compiler::Graph graph = compiler::parse_workload(grouped.workload, grouped.name);
    for (Design which : {Design::kRoomy, Design::kTinySram}) {
      for (arch::Dataflow dataflow : {arch::Dataflow::kWeightStationary,
                                      arch::Dataflow::kOutputStationary,
                                      arch::Dataflow::kInputStationary}) {
        arch::ArchConfig arch = design(which);
        arch.array.dataflow = dataflow;
        const compiler::CompiledModel model = compiler::compile_model(graph, arch);
        const bool expected = std::string(name) == "conv_grouped_shared_patch" ||
                              (which == Design::kRoomy &&
                               dataflow != arch::Dataflow::kInputStationary);
        EXPECT_EQ(model.layers[0].tiling.shared_patch, expected)
            << name << " " << (which == Design::kRoomy ? "roomy " : "tiny ")
            << arch::to_string(dataflow);
        if (!expected) continue;
        // Every multiply reads one group's 3 (or 1) channels of the whole pixels.
        const int64_t cin_per_group = std::string(name) == "conv_depthwise" ? 1 : 3;
        for (const isa::Instruction& instruction : model.program.code) {
          if (const auto* mm = std::get_if<isa::MatrixMultiply>(&instruction.payload)) {
            EXPECT_EQ(mm->window.patch_c, 6u);
            EXPECT_EQ(mm->window.channels, static_cast<uint32_t>(cin_per_group));
            EXPECT_EQ(mm->window.channel_offset % cin_per_group, 0u);
          }
        }
      }
    }
  }
}

// "<case>_<design>_<dataflow or format>".
template <typename Variant>
std::string case_name(const testing::TestParamInfo<std::tuple<Case, Design, Variant>>& info) {
  return std::string(std::get<0>(info.param).name) +
         (std::get<1>(info.param) == Design::kRoomy ? "_roomy_" : "_tiny_sram_") +
         arch::to_string(std::get<2>(info.param));
}

INSTANTIATE_TEST_SUITE_P(Layers, CompiledEqualsReference,
                         testing::Combine(testing::ValuesIn(kCases),
                                          testing::Values(Design::kRoomy, Design::kTinySram),
                                          testing::Values(arch::Dataflow::kWeightStationary,
                                                          arch::Dataflow::kOutputStationary,
                                                          arch::Dataflow::kInputStationary)),
                         case_name<arch::Dataflow>);

// --- int4: the same cases on int4 designs, bit-exact (docs/numerics.md, "int4") ---

// Every tensor and layer int4, packed two per byte; with `macs_per_pe` 2 each PE does two int4
// MACs a cycle, so a fold covers twice the array's rows of K.
arch::ArchConfig int4_design(Design which, arch::Dataflow dataflow, int macs_per_pe) {
  arch::ArchConfig arch = design(which);
  arch.array.dataflow = dataflow;
  arch.precision.operand = arch::Precision::kInt4;
  arch.array.macs_per_pe_per_cycle.int4 = macs_per_pe;
  return arch;
}

// The cases int4 runs: all but those the compiler cannot tile at int4 (groups of odd channel
// counts would start inside a byte) or the functional run refuses (Int4Refusals below), plus a
// grouped convolution whose groups fill whole bytes.
std::vector<Case> int4_cases() {
  std::vector<Case> cases;
  for (const Case& c : kCases) {
    const std::string name = c.name;
    if (name != "conv_grouped" && name != "conv_depthwise" &&
        name != "conv_grouped_shared_patch" && name != "kv_cache_in_place") {
      cases.push_back(c);
    }
  }
  cases.push_back({"conv_grouped_whole_bytes", R"(
name: t
inputs: [{name: x, shape: [8, 9, 12]}]
layers:
  - {name: c, op: conv2d, input: x, out_channels: 6, kernel: 3, padding: 1, groups: 3, bias: true}
)"});
  return cases;
}

class Int4CompiledEqualsReference
    : public testing::TestWithParam<std::tuple<Case, Design, arch::Dataflow, int>> {};

TEST_P(Int4CompiledEqualsReference, BitExact) {
  const auto& [test_case, which, dataflow, macs_per_pe] = GetParam();
  const compiler::Graph graph = compiler::parse_workload(test_case.workload, test_case.name);
  const arch::ArchConfig arch = int4_design(which, dataflow, macs_per_pe);
  ASSERT_NO_THROW(arch::validate(arch, "the int4 test design"));
  const ModelData data = generate_model_data(graph, arch);
  for (const Quant& quant : data.quant) ASSERT_EQ(quant.bits, 4);
  expect_compiled_equals_reference(graph, arch, data);
}

// Two int4 MACs per PE only where the reduction is on the PE rows: validation rejects packing
// under output stationary (docs/timing.md, "Sub-word packing").
std::vector<std::tuple<Case, Design, arch::Dataflow, int>> int4_parameters() {
  std::vector<std::tuple<Case, Design, arch::Dataflow, int>> parameters;
  for (const Case& c : int4_cases()) {
    for (Design which : {Design::kRoomy, Design::kTinySram}) {
      for (arch::Dataflow dataflow :
           {arch::Dataflow::kWeightStationary, arch::Dataflow::kOutputStationary,
            arch::Dataflow::kInputStationary}) {
        for (int macs_per_pe : {1, 2}) {
          if (dataflow == arch::Dataflow::kOutputStationary && macs_per_pe != 1) continue;
          parameters.emplace_back(c, which, dataflow, macs_per_pe);
        }
      }
    }
  }
  return parameters;
}

INSTANTIATE_TEST_SUITE_P(
    Layers, Int4CompiledEqualsReference, testing::ValuesIn(int4_parameters()),
    [](const testing::TestParamInfo<std::tuple<Case, Design, arch::Dataflow, int>>& info) {
      return std::string(std::get<0>(info.param).name) +
             (std::get<1>(info.param) == Design::kRoomy ? "_roomy_" : "_tiny_sram_") +
             arch::to_string(std::get<2>(info.param)) + "_int4x" +
             std::to_string(std::get<3>(info.param));
    });

// Mixed precision (docs/workloads.md): int4 layers in an int8 design, whose producers requantize
// straight to int4 and which requantize to int8 for their int8 readers, and the reverse, an int8
// stem in an int4 design. Odd channel counts leave padding nibbles in every int4 row.
struct MixedCase {
  const char* name;
  arch::Precision design;
  const char* workload;
};

const MixedCase kMixedCases[] = {
    {"int4_layers_in_int8_design", arch::Precision::kInt8, R"(
name: t
inputs: [{name: x, shape: [9, 8, 6]}]
layers:
  - {name: c1, op: conv2d, input: x, out_channels: 9, kernel: 1, activation: relu}
  - {name: c2, op: conv2d, input: c1, out_channels: 8, kernel: 3, padding: 1, precision: int4, activation: relu}
  - {name: d, op: dense, input: c1, out_features: 7, precision: int4, bias: true}
  - {name: c3, op: conv2d, input: c2, out_channels: 6, kernel: 1, bias: true}
  - {name: s, op: add, inputs: [c3, x]}
)"},
    {"int8_stem_in_int4_design", arch::Precision::kInt4, R"(
name: t
inputs: [{name: x, shape: [10, 9, 3]}]
layers:
  - {name: stem, op: conv2d, input: x, out_channels: 7, kernel: 3, stride: 2, padding: 1, precision: int8, activation: relu}
  - {name: c, op: conv2d, input: stem, out_channels: 5, kernel: 3, padding: 1}
  - {name: p, op: maxpool, input: c, kernel: 2, stride: 2}
)"},
    // The usual int4 recipe keeps the classifier at int8: the global average pool writes its int4
    // mean as int8 (same scale and zero point) for the int8 dense that reads it.
    {"int8_classifier_in_int4_design", arch::Precision::kInt4, R"(
name: t
batch: 2
inputs: [{name: x, shape: [6, 5, 8]}]
layers:
  - {name: c, op: conv2d, input: x, out_channels: 13, kernel: 3, padding: 1, activation: relu}
  - {name: g, op: global_avgpool, input: c}
  - {name: f, op: flatten, input: g}
  - {name: fc, op: dense, input: f, out_features: 10, precision: int8}
)"},
};

void PrintTo(const MixedCase& c, std::ostream* out) { *out << c.name; }

class MixedPrecisionEqualsReference
    : public testing::TestWithParam<std::tuple<MixedCase, Design, arch::Dataflow>> {};

TEST_P(MixedPrecisionEqualsReference, BitExact) {
  const auto& [test_case, which, dataflow] = GetParam();
  const compiler::Graph graph = compiler::parse_workload(test_case.workload, test_case.name);
  arch::ArchConfig arch = design(which);
  arch.array.dataflow = dataflow;
  arch.precision.operand = test_case.design;
  arch.precision.other_operands = {test_case.design == arch::Precision::kInt8 ? "int4" : "int8"};
  // Packing where the dataflow allows it (validation rejects it under output stationary).
  arch.array.macs_per_pe_per_cycle.int4 = dataflow == arch::Dataflow::kOutputStationary ? 1 : 2;
  ASSERT_NO_THROW(arch::validate(arch, "the mixed-precision test design"));
  const ModelData data = generate_model_data(graph, arch);
  // Both widths really occur.
  int int4_tensors = 0, int8_tensors = 0;
  for (const Quant& quant : data.quant) (quant.bits == 4 ? int4_tensors : int8_tensors) += 1;
  EXPECT_GT(int4_tensors, 0);
  EXPECT_GT(int8_tensors, 0);
  expect_compiled_equals_reference(graph, arch, data);
}

INSTANTIATE_TEST_SUITE_P(
    Layers, MixedPrecisionEqualsReference,
    testing::Combine(testing::ValuesIn(kMixedCases),
                     testing::Values(Design::kRoomy, Design::kTinySram),
                     testing::Values(arch::Dataflow::kWeightStationary,
                                     arch::Dataflow::kOutputStationary,
                                     arch::Dataflow::kInputStationary)),
    [](const testing::TestParamInfo<std::tuple<MixedCase, Design, arch::Dataflow>>& info) {
      return std::string(std::get<0>(info.param).name) +
             (std::get<1>(info.param) == Design::kRoomy ? "_roomy_" : "_tiny_sram_") +
             arch::to_string(std::get<2>(info.param));
    });

// What int4 cannot run says so, naming the layer, rather than computing something else.
std::string int4_error(const char* workload) {
  const compiler::Graph graph = compiler::parse_workload(workload, "w");
  const arch::ArchConfig arch = int4_design(Design::kRoomy, arch::Dataflow::kWeightStationary, 1);
  try {
    const ModelData data = generate_model_data(graph, arch);
    run_functional(graph, testing_support::compile_for_valid_design(graph, arch, compile_options_for(data)), data,
                   arch);
  } catch (const UserError& error) {
    return error.what();
  }
  return "";
}

TEST(Int4Refusals, ReshapeThatMovesPaddingNibbles) {
  const std::string error = int4_error(R"(
name: t
inputs: [{name: x, shape: [1, 4]}]
layers:
  - {name: q, op: dense, input: x, out_features: 4}
  - {name: qc, op: reshape, input: q, shape: [4, 1]}
  - {name: s, op: matmul, inputs: [x, qc]}
)");
  // The compiler refuses it, for timing as for a functional run: the bytes cannot be relabelled.
  EXPECT_NE(error.find("layer 'qc': reshape of packed int4 rows of 4 into rows of 1: an odd row "
                       "carries a padding nibble"),
            std::string::npos)
      << error;
}

TEST(Int4Refusals, ConcatInputStartingInsideAByte) {
  const std::string error = int4_error(R"(
name: t
inputs: [{name: x, shape: [3, 3]}, {name: y, shape: [3, 4]}]
layers:
  - {name: j, op: concat, inputs: [x, y]}
)");
  EXPECT_EQ(
      error.rfind("--functional: layer 'j': input 'y' starts at int4 channel 3, inside a byte", 0),
      0u)
      << error;
}

// --- Float formats: the same cases, compared with the tolerance of docs/numerics.md ---

using testing_support::ulp;

class FloatCompiledMatchesReference
    : public testing::TestWithParam<std::tuple<Case, Design, arch::Precision>> {};

TEST_P(FloatCompiledMatchesReference, WithinTolerance) {
  const auto& [test_case, which, format] = GetParam();
  const compiler::Graph graph = compiler::parse_workload(test_case.workload, test_case.name);
  arch::ArchConfig arch = design(which);
  arch.precision.operand = format;
  if (which == Design::kTinySram) {
    // Wider elements need room for the smallest tile of the 7x7 case.
    arch.sram.input.size_kib = arch.sram.weight.size_kib = arch.sram.output.size_kib = 2;
  }
  const ModelData data = generate_model_data(graph, kDefaultSeed, format);
  const compiler::CompiledModel model =
      testing_support::compile_for_valid_design(graph, arch, compile_options_for(data));
  const FunctionalRun run = run_functional(graph, model, data, arch);
  const std::vector<QTensor> expected = reference::run_graph(graph, data);

  ASSERT_FALSE(run.outputs.empty());
  for (const LayerOutput& output : run.outputs) {
    const std::vector<float>& want = expected[static_cast<size_t>(output.tensor)].values;
    const std::vector<float>& got = output.value.values;
    ASSERT_EQ(got.size(), want.size()) << output.name;
    double largest = 0;
    for (float v : want) largest = std::max(largest, std::fabs(static_cast<double>(v)));
    size_t outside = 0;
    for (size_t i = 0; i < want.size(); ++i) {
      const double tolerance = 2 * ulp(format, std::fabs(want[i])) + std::ldexp(largest, -16);
      if (!(std::fabs(static_cast<double>(got[i]) - want[i]) <= tolerance) && outside++ == 0) {
        ADD_FAILURE() << "layer '" << output.name << "' value " << i << ": " << got[i]
                      << " vs reference " << want[i] << " (tolerance " << tolerance << ")";
      }
    }
    EXPECT_EQ(outside, 0u) << output.name;
  }
}

INSTANTIATE_TEST_SUITE_P(Layers, FloatCompiledMatchesReference,
                         testing::Combine(testing::ValuesIn(kCases),
                                          testing::Values(Design::kRoomy, Design::kTinySram),
                                          testing::Values(arch::Precision::kFp16,
                                                          arch::Precision::kBf16,
                                                          arch::Precision::kFp32)),
                         case_name<arch::Precision>);

// Every layer's output of a whole network must match, on the shipped designs and the test ones.
class WholeNetwork : public testing::TestWithParam<std::string> {};

TEST_P(WholeNetwork, ResnetBasicBlocksBitExact) {
  const compiler::Graph graph = compiler::read_workload(kRepo + "/workloads/resnet8_cifar.yaml");
  // "<design>" or "<design>_os" / "<design>_is" for the other dataflows.
  std::string which = GetParam();
  arch::Dataflow dataflow = arch::Dataflow::kWeightStationary;
  if (which.size() > 3 && which.compare(which.size() - 3, 3, "_os") == 0) {
    dataflow = arch::Dataflow::kOutputStationary;
    which.resize(which.size() - 3);
  } else if (which.size() > 3 && which.compare(which.size() - 3, 3, "_is") == 0) {
    dataflow = arch::Dataflow::kInputStationary;
    which.resize(which.size() - 3);
  }
  arch::ArchConfig arch = which == "tiny_sram"  ? design(Design::kTinySram)
                          : which == "roomy"    ? design(Design::kRoomy)
                                                : arch::load_arch(kRepo + "/configs/" + which + ".yaml");
  arch.array.dataflow = dataflow;
  // Validation allows sub-word packing only with the reduction on the PE rows.
  if (dataflow == arch::Dataflow::kOutputStationary) arch.array.macs_per_pe_per_cycle.int4 = 1;
  // int8 designs: int8 data; int4_64x64: every tensor int4, packed.
  const ModelData data = generate_model_data(graph, arch);
  const compiler::CompiledModel model =
      testing_support::compile_for_valid_design(graph, arch, compile_options_for(data));
  const FunctionalRun run = run_functional(graph, model, data, arch);
  const std::vector<QTensor> expected = reference::run_graph(graph, data);
  ASSERT_EQ(run.outputs.size(), model.program.layers.size());
  for (const LayerOutput& output : run.outputs) {
    EXPECT_EQ(output.value.data, expected[static_cast<size_t>(output.tensor)].data) << output.name;
  }
  EXPECT_EQ(static_cast<int64_t>(run.counts.executed_macs), graph.total_macs());
}

INSTANTIATE_TEST_SUITE_P(Designs, WholeNetwork,
                         testing::Values("roomy", "tiny_sram", "int8_32x32", "int8_64x64",
                                         "int8_128x128", "tiny_sram_os", "tiny_sram_is",
                                         "int8_64x64_os", "int8_64x64_is", "int4_64x64",
                                         "int4_64x64_os", "int4_64x64_is"),
                         [](const testing::TestParamInfo<std::string>& info) {
                           return info.param;
                         });

// A skipping array tiles a 2:4 layer for R / 2 x 4 reduction rows per fold (weight and input
// stationary) or streams only the kept rows (output stationary), from compressed weight blocks
// (docs/sparsity.md). The generated weights are pruned to each layer's pattern, so the program,
// decoding kept values and indices, must compute the reference's result bit for bit while the
// array executes only the kept weights' MACs.
TEST(Skipping, SkippedTilingStillMatchesTheReference) {
  const char* workload =
      "name: sk\n"
      "inputs: [{name: x, shape: [6, 6, 12]}]\n"
      "layers:\n"
      "  - {name: c, op: conv2d, input: x, out_channels: 8, kernel: 3, padding: 1, bias: true,\n"
      "     weight_pattern: \"2:4\", activation: relu}\n"
      "  - {name: f, op: flatten, input: c}\n"
      "  - {name: d, op: dense, input: f, out_features: 10, weight_pattern: \"1:4\"}\n";
  for (const auto& [which, dataflow] :
       {std::pair{Design::kRoomy, arch::Dataflow::kWeightStationary},
        std::pair{Design::kTinySram, arch::Dataflow::kWeightStationary},
        std::pair{Design::kRoomy, arch::Dataflow::kOutputStationary},
        std::pair{Design::kTinySram, arch::Dataflow::kOutputStationary},
        std::pair{Design::kRoomy, arch::Dataflow::kInputStationary},
        std::pair{Design::kTinySram, arch::Dataflow::kInputStationary}}) {
    SCOPED_TRACE(arch::to_string(dataflow));
    const compiler::Graph graph = compiler::parse_workload(workload, "sk.yaml");
    arch::ArchConfig arch = design(which);
    arch.array.dataflow = dataflow;
    arch.sparsity.support = arch::SparsitySupport::kSkipping;
    arch.sparsity.structured_patterns = {"2:4", "1:4"};
    arch.sparsity.metadata_bits_per_nonzero = 2;
    const ModelData data = generate_model_data(graph);
    const compiler::CompiledModel model =
        testing_support::compile_for_valid_design(graph, arch, compile_options_for(data));
    const FunctionalRun run = run_functional(graph, model, data, arch);
    const std::vector<QTensor> expected = reference::run_graph(graph, data);
    for (const LayerOutput& output : run.outputs) {
      EXPECT_TRUE(output.value.data == expected[static_cast<size_t>(output.tensor)].data)
          << output.name;
    }
    EXPECT_EQ(nm_pattern_violation(graph, graph.layers[1], data.layers[1]), "");
    EXPECT_EQ(nm_pattern_violation(graph, graph.layers[3], data.layers[3]), "");
    // Every weight block is compressed.
    for (const isa::Instruction& instruction : model.program.code) {
      if (const auto* preload = std::get_if<isa::MatrixPreload>(&instruction.payload)) {
        EXPECT_TRUE(preload->compression.compressed());
        EXPECT_EQ(preload->compression.index_bits, 2u);
      }
    }
    // Input-channel chunks hold whole groups and folds whole groups, so each multiply of k rows
    // executes exactly k x N/M of them: conv 6 x 6 x 8 x 108 = 31,104 MACs, half executed; dense
    // 288 x 10 = 2880, a quarter.
    std::vector<uint64_t> by_instructions(model.program.layers.size(), 0);
    for (const isa::Instruction& instruction : model.program.code) {
      if (const auto* mm = std::get_if<isa::MatrixMultiply>(&instruction.payload)) {
        by_instructions[instruction.layer] +=
            uint64_t{mm->m_rows} * model.program.layers[instruction.layer].executed_k(mm->k_rows) *
            mm->n_cols;
      }
    }
    for (size_t l = 0; l < model.program.layers.size(); ++l) {
      const isa::LayerInfo& info = model.program.layers[l];
      EXPECT_EQ(run.counts.layer_executed_macs[l], by_instructions[l]) << info.name;
      if (info.name == "c") {
        EXPECT_EQ(info.skip_m, 4u);
        EXPECT_EQ(run.counts.layer_executed_macs[l], 31'104u / 2);
      }
      if (info.name == "d") {
        EXPECT_EQ(info.skip_n, 1u);
        EXPECT_EQ(run.counts.layer_executed_macs[l], 2'880u / 4);
      }
    }
  }
}

// Compressed weight tiles shared by a batch: in weight stationary the roomy design puts the three
// images in one tile of the 2:4 conv (each decoded weight block streams every image; the other
// dataflows gain nothing from chaining and keep one), the tiny one splits them; all must still
// match the reference bit for bit.
TEST(Skipping, BatchedImagesShareCompressedWeightTiles) {
  const char* workload =
      "name: skb\n"
      "batch: 3\n"
      "inputs: [{name: x, shape: [5, 6, 8]}]\n"
      "layers:\n"
      "  - {name: c, op: conv2d, input: x, out_channels: 6, kernel: 3, padding: 1, bias: true,\n"
      "     weight_pattern: \"2:4\"}\n";
  for (const Design which : {Design::kRoomy, Design::kTinySram}) {
    for (const arch::Dataflow dataflow :
         {arch::Dataflow::kWeightStationary, arch::Dataflow::kOutputStationary,
          arch::Dataflow::kInputStationary}) {
      SCOPED_TRACE(std::string(which == Design::kRoomy ? "roomy " : "tiny ") +
                   arch::to_string(dataflow));
      const compiler::Graph graph = compiler::parse_workload(workload, "skb.yaml");
      arch::ArchConfig arch = design(which);
      arch.array.dataflow = dataflow;
      arch.sparsity.support = arch::SparsitySupport::kSkipping;
      arch.sparsity.structured_patterns = {"2:4"};
      arch.sparsity.metadata_bits_per_nonzero = 2;
      const ModelData data = generate_model_data(graph);
      const compiler::CompiledModel model =
          testing_support::compile_for_valid_design(graph, arch, compile_options_for(data));
      if (which == Design::kRoomy && dataflow == arch::Dataflow::kWeightStationary) {
        EXPECT_EQ(model.layers[0].tiling.images_per_tile, 3);
      }
      EXPECT_EQ(model.program.layers[0].skip_m, 4u);
      const FunctionalRun run = run_functional(graph, model, data, arch);
      const std::vector<QTensor> expected = reference::run_graph(graph, data);
      for (const LayerOutput& output : run.outputs) {
        EXPECT_TRUE(output.value.data == expected[static_cast<size_t>(output.tensor)].data)
            << output.name;
      }
      // 3 images x 30 pixels x 6 channels x 72 taps = 38,880 MACs, half of them executed.
      EXPECT_EQ(run.counts.layer_executed_macs[0], 38'880u / 2);
    }
  }
}

TEST(Interpreter, ReadOfUnwrittenSramNamesTheInstruction) {
  isa::Program program;
  program.layers.push_back({"broken", "dense", {1, 4}, 16, 0, ""});
  isa::MatrixPreload preload;  // reads weights nobody loaded
  preload.weights = {isa::Buffer::kWeight, 0};
  preload.k_rows = 4;
  preload.n_cols = 4;
  preload.row_stride = 4;
  isa::Instruction instruction;
  instruction.payload = preload;
  program.code.push_back(instruction);
  MemoryImage dram("DRAM", 64);
  Interpreter interpreter(testing_support::small_arch(), program, dram);
  try {
    interpreter.run();
    FAIL() << "expected a ProgramError";
  } catch (const ProgramError& error) {
    EXPECT_STREQ(error.what(),
                 "instruction 0 (mx.preload, layer 'broken') weights: reads the weight buffer "
                 "byte 0x0 that nothing wrote");
  }
}

TEST(Interpreter, WriteBeyondABufferNamesTheInstruction) {
  isa::Program program;
  program.layers.push_back({"overflow", "concat", {1, 8}, 0, 0, ""});
  isa::DmaLoad load;
  load.dram_addr = 0;
  load.sram = {isa::Buffer::kInput, 1020};  // 8 bytes into a 1 KiB buffer at 1020
  load.rows = 1;
  load.row_bytes = 8;
  load.dram_stride = 8;
  load.sram_stride = 8;
  isa::Instruction instruction;
  instruction.payload = load;
  program.code.push_back(instruction);
  MemoryImage dram("DRAM", 64);
  const std::vector<uint8_t> zeros(64, 0);
  dram.write(0, zeros.data(), zeros.size());
  Interpreter interpreter(testing_support::small_arch(), program, dram);
  try {
    interpreter.run();
    FAIL() << "expected a ProgramError";
  } catch (const ProgramError& error) {
    EXPECT_STREQ(error.what(),
                 "instruction 0 (load.dma, layer 'overflow') destination: writes the input buffer "
                 "bytes [0x3fc, 0x404) beyond its 1024 bytes");
  }
}

}  // namespace
}  // namespace npu::functional
