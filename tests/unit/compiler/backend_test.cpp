// The compiler back end: fusion, tiling, code generation and the dependency pass, checked on
// small hand-built cases and on every layer of ResNet-50 for every shipped config.

#include <gtest/gtest.h>

#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include "arch/arch_loader.h"
#include "arch/user_error.h"
#include "compiler/compile.h"
#include "compiler/dependencies.h"
#include "compiler/fusion.h"
#include "compiler/gemm_tiling.h"
#include "compiler/row_split.h"
#include "compiler/workload_reader.h"
#include "isa/accesses.h"
#include "isa/asm_parser.h"
#include "isa/asm_printer.h"
#include "tests/common/small_arch.h"
#include "tests/unit/compiler/backend_test_util.h"

namespace npu::compiler {
namespace {

using testing_util::capacity;
using testing_util::kRepo;
using testing_util::loads_of;
using testing_util::tensor_named;
using testing_util::vector_ops_of;

class ShippedConfig : public testing::TestWithParam<std::string> {};

TEST_P(ShippedConfig, EveryResnetTileFitsItsBuffers) {
  const arch::ArchConfig arch = arch::load_arch(kRepo + "/configs/" + GetParam() + ".yaml");
  const Graph graph = read_workload(kRepo + "/workloads/resnet.yaml");
  const isa::Program program = compile(graph, arch);
  ASSERT_FALSE(program.code.empty());
  for (size_t i = 0; i < program.code.size(); ++i) {
    const isa::Accesses accesses =
        isa::sram_accesses(program.code[i], arch::element_bytes(arch.precision.operand));
    for (const auto* regions : {&accesses.reads, &accesses.writes}) {
      for (const isa::SramRegion& region : *regions) {
        ASSERT_LE(region.end, capacity(arch, region.buffer))
            << "instruction " << i << " of layer " << program.layers[program.code[i].layer].name
            << " overruns the " << isa::to_string(region.buffer) << " buffer";
      }
    }
  }
}

TEST_P(ShippedConfig, ArrayExecutesExactlyEachLayersMacs) {
  // Implicit GEMM streams every (pixel, tap, channel) once per output channel: the multiplies'
  // m x k x n must add up to each layer's MAC count, padding taps included.
  const arch::ArchConfig arch = arch::load_arch(kRepo + "/configs/" + GetParam() + ".yaml");
  const isa::Program program = compile(read_workload(kRepo + "/workloads/resnet.yaml"), arch);
  std::vector<int64_t> executed(program.layers.size(), 0);
  for (const isa::Instruction& instruction : program.code) {
    if (const auto* mm = std::get_if<isa::MatrixMultiply>(&instruction.payload)) {
      executed[instruction.layer] += int64_t{mm->m_rows} * mm->k_rows * mm->n_cols;
      EXPECT_LE(mm->k_rows, static_cast<uint32_t>(arch.array.rows));
      EXPECT_LE(mm->n_cols, static_cast<uint32_t>(arch.array.cols));
    }
  }
  for (size_t l = 0; l < program.layers.size(); ++l) {
    EXPECT_EQ(executed[l], program.layers[l].macs) << program.layers[l].name;
  }
}

TEST_P(ShippedConfig, CompiledResnetPrintsAndParsesBack) {
  const arch::ArchConfig arch = arch::load_arch(kRepo + "/configs/" + GetParam() + ".yaml");
  const isa::Program program = compile(read_workload(kRepo + "/workloads/resnet.yaml"), arch);
  const std::string text = isa::to_asm(program);
  EXPECT_TRUE(isa::parse_asm(text, "resnet.asm") == program);
  // Compiling again gives the same program, instruction for instruction.
  EXPECT_EQ(isa::to_asm(compile(read_workload(kRepo + "/workloads/resnet.yaml"), arch)), text);
}

INSTANTIATE_TEST_SUITE_P(Configs, ShippedConfig,
                         testing::Values("int8_32x32", "int8_64x64", "int8_128x128", "fp16_64x64",
                                         "bf16_64x64"));

TEST(Fusion, ConvAbsorbsBatchnormAndRelu) {
  const Graph graph = parse_workload(R"(
name: f
inputs: [{name: x, shape: [8, 8, 4]}]
layers:
  - {name: c, op: conv2d, input: x, out_channels: 8, kernel: 3, padding: 1}
  - {name: b, op: batchnorm, input: c}
  - {name: r, op: relu, input: b}
  - {name: p, op: maxpool, input: r, kernel: 2}
)",
                                     "f.yaml");
  const FusedGraph fused = fuse(graph);
  ASSERT_EQ(fused.layers.size(), 2u);
  EXPECT_EQ(fused.layers[0].name, "c");
  EXPECT_EQ(fused.layers[0].absorbed, (std::vector<int>{2, 3}));
  EXPECT_EQ(fused.layers[0].activation, Activation::kRelu);
  // conv weights 8 x 4 x 3 x 3 = 288, batchnorm 2 x 8 = 16.
  EXPECT_EQ(fused.layers[0].params, 288 + 16);
  EXPECT_EQ(fused.storage_of[1], 3);  // the conv's tensor lives where the relu's does
  EXPECT_EQ(fused.layers[1].kind, LoweringKind::kWindowPool);
}

TEST(Fusion, SharedTensorIsNotAbsorbed) {
  // The conv output feeds both the batchnorm and the add: folding the batchnorm would change what
  // the add sees.
  const Graph graph = parse_workload(R"(
name: f
inputs: [{name: x, shape: [4, 4, 8]}]
layers:
  - {name: c, op: conv2d, input: x, out_channels: 8, kernel: 1}
  - {name: b, op: batchnorm, input: c}
  - {name: s, op: add, inputs: [c, b]}
)",
                                     "f.yaml");
  const FusedGraph fused = fuse(graph);
  ASSERT_EQ(fused.layers.size(), 3u);
  EXPECT_TRUE(fused.layers[0].absorbed.empty());
  EXPECT_EQ(fused.layers[1].op, "batchnorm");
}

TEST(Fusion, ConvFollowedBySigmoidIsNotFused) {
  // Only relu and relu6 are clamps that requantization applies; a sigmoid stays a layer of its
  // own (a vec.act with a lookup table), and so does the tensor between the two.
  const Graph graph = parse_workload(R"(
name: f
inputs: [{name: x, shape: [8, 8, 4]}]
layers:
  - {name: c, op: conv2d, input: x, out_channels: 8, kernel: 3, padding: 1}
  - {name: s, op: sigmoid, input: c}
  - {name: d, op: conv2d, input: s, out_channels: 8, kernel: 1}
  - {name: r6, op: relu6, input: d}
)",
                                     "f.yaml");
  const FusedGraph fused = fuse(graph);
  ASSERT_EQ(fused.layers.size(), 3u);
  EXPECT_EQ(fused.layers[0].name, "c");
  EXPECT_TRUE(fused.layers[0].absorbed.empty());
  EXPECT_EQ(fused.layers[0].activation, Activation::kNone);
  EXPECT_EQ(fused.storage_of[1], 1);  // the conv writes its own tensor
  EXPECT_EQ(fused.layers[1].name, "s");
  EXPECT_EQ(fused.layers[1].op, "sigmoid");
  EXPECT_EQ(fused.layers[1].kind, LoweringKind::kEltwise);
  EXPECT_EQ(fused.layers[1].activation, Activation::kSigmoid);
  // relu6 is a clamp: absorbed.
  EXPECT_EQ(fused.layers[2].name, "d");
  EXPECT_EQ(fused.layers[2].absorbed, (std::vector<int>{4}));
  EXPECT_EQ(fused.layers[2].activation, Activation::kRelu6);
}

TEST(Fusion, NonClampActivationOnAGemmBuiltInCodeIsAnError) {
  // The reader rejects `activation: tanh` on a conv; a graph built in code is checked here.
  Graph graph = parse_workload(R"(
name: f
inputs: [{name: x, shape: [4]}]
layers:
  - {name: fc, op: dense, input: x, out_features: 4}
)",
                               "f.yaml");
  graph.layers[1].activation = Activation::kTanh;
  try {
    fuse(graph);
    FAIL() << "expected a UserError";
  } catch (const UserError& error) {
    EXPECT_NE(std::string(error.what()).find("layer 'fc': activation 'tanh' cannot be fused"),
              std::string::npos)
        << error.what();
  }
}

// Every vector layer but pooling and concat gets a parameter tensor "<layer>.params", loaded into
// the weight buffer once however many row tiles the layer has.
TEST(Compile, VectorLayersLoadTheirParameterBlockOnce) {
  const arch::ArchConfig arch = arch::load_arch(kRepo + "/configs/int8_64x64.yaml");
  const Graph graph = parse_workload(R"(
name: v
inputs: [{name: x, shape: [56, 56, 64]}, {name: t, shape: [64, 96]}]
layers:
  - {name: bn, op: batchnorm, input: x}
  - {name: sum, op: add, inputs: [bn, x], activation: relu}
  - {name: sig, op: sigmoid, input: sum}
  - {name: sm, op: softmax, input: t}
  - {name: ln, op: layernorm, input: t}
  - {name: gate, op: mul, inputs: [sig, x], activation: relu6}
)",
                                     "v.yaml");
  const isa::Program program = compile(graph, arch);
  ASSERT_EQ(program.layers.size(), 6u);
  // Sizes (docs/numerics.md): scale_shift 16 B x 64 channels = 1024; add 48; act table 256;
  // softmax 16; layernorm 32 + 8 x 96 = 800; mul 32.
  const std::vector<std::pair<std::string, uint64_t>> expected = {
      {"bn", 1024}, {"sum", 48}, {"sig", 256}, {"sm", 16}, {"ln", 800}, {"gate", 32}};
  const std::vector<isa::VectorOp> ops = {isa::VectorOp::kScaleShift, isa::VectorOp::kAdd,
                                          isa::VectorOp::kActivation, isa::VectorOp::kSoftmax,
                                          isa::VectorOp::kLayerNorm,  isa::VectorOp::kMul};
  for (uint32_t l = 0; l < expected.size(); ++l) {
    const auto& [name, bytes] = expected[l];
    const isa::DramTensor& params = tensor_named(program, name + ".params");
    EXPECT_EQ(params.bytes, bytes) << name;
    const std::vector<isa::DmaLoad> loads = loads_of(program, params);
    ASSERT_EQ(loads.size(), 1u) << name;
    EXPECT_EQ(loads[0].sram.buffer, isa::Buffer::kWeight) << name;
    EXPECT_EQ(loads[0].row_bytes * loads[0].rows, bytes) << name;
    const std::vector<isa::VectorInstr> vector = vector_ops_of(program, l);
    ASSERT_FALSE(vector.empty()) << name;
    for (const isa::VectorInstr& v : vector) {
      EXPECT_EQ(v.op, ops[l]) << name;
      EXPECT_TRUE(v.has_params) << name;
      EXPECT_EQ(v.params, loads[0].sram) << name;
      EXPECT_EQ(isa::params_bytes(v), bytes) << name;
      // src1 is add's and mul's second operand and nothing else's.
      EXPECT_EQ(v.has_src1, ops[l] == isa::VectorOp::kAdd || ops[l] == isa::VectorOp::kMul) << name;
    }
  }
  // The 56 x 56 x 64 layers are split into several row tiles, all reading the one block.
  EXPECT_GT(vector_ops_of(program, 1).size(), 1u);
  // softmax and layernorm work on whole rows of 96 channels.
  for (uint32_t l : {3u, 4u}) {
    for (const isa::VectorInstr& v : vector_ops_of(program, l)) EXPECT_EQ(v.cols, 96u);
  }
  EXPECT_EQ(program.layers[4].op, "layernorm");
  EXPECT_EQ(program.layers[4].params, 2 * 96);
}

// A layer applying another's weights reads the owner's packed tensor when both are tiled alike
// (the same problem on the same design), and every step still loads it: weights are not kept in
// SRAM across layers.
TEST(Compile, SharedWeightsAreOneTensorLoadedByEachLayer) {
  const arch::ArchConfig arch = arch::load_arch(kRepo + "/configs/int8_64x64.yaml");
  const Graph graph = parse_workload(R"(
name: r
inputs: [{name: x0, shape: [96]}, {name: x1, shape: [96]}]
layers:
  - {name: a0, op: dense, input: x0, out_features: 80}
  - {name: a1, op: dense, input: x1, out_features: 80, weights_of: a0}
  - {name: a2, op: dense, input: a1, out_features: 80}
)",
                                     "r.yaml");
  const CompiledModel model = compile_model(graph, arch);
  const isa::DramTensor& shared = tensor_named(model.program, "a0.weight");
  EXPECT_EQ(shared.bytes, 96u * 80u);
  EXPECT_EQ(model.layers[0].weights, model.layers[1].weights);
  EXPECT_NE(model.layers[2].weights, model.layers[0].weights);
  for (const isa::DramTensor& tensor : model.program.tensors) EXPECT_NE(tensor.name, "a1.weight");
  // Loaded by a0 and by a1: twice the tensor's bytes.
  uint64_t loaded = 0;
  for (const isa::DmaLoad& load : loads_of(model.program, shared))
    loaded += load.row_bytes * load.rows;
  EXPECT_EQ(loaded, 2u * 96u * 80u);
}

// A concat along axis 0 at batch 1 stacks its inputs whole: the cache (a graph input) and the new
// row (a dense output) are placed inside the concat's output, 5 x 4 = 20 B apart, and the concat
// emits nothing. A second concat of a tensor that has another reader must copy it.
TEST(Compile, ConcatOfWholeTensorsIsWrittenInPlace) {
  const arch::ArchConfig arch = arch::load_arch(kRepo + "/configs/int8_64x64.yaml");
  const Graph graph = parse_workload(R"(
name: kv
inputs: [{name: x, shape: [1, 8]}, {name: cache, shape: [5, 4]}, {name: other, shape: [2, 4]}]
layers:
  - {name: k, op: dense, input: x, out_features: 4}
  - {name: keys, op: concat, inputs: [cache, k], axis: 0}
  - {name: twice, op: concat, inputs: [other, keys], axis: 0}
  - {name: also, op: relu, input: keys}
)",
                                     "kv.yaml");
  const CompiledModel model = compile_model(graph, arch);
  const isa::DramTensor& keys = tensor_named(model.program, "keys");
  EXPECT_EQ(keys.bytes, 24u);
  EXPECT_EQ(tensor_named(model.program, "cache").addr, keys.addr);
  EXPECT_EQ(tensor_named(model.program, "k").addr, keys.addr + 20);
  int keys_instructions = 0, twice_instructions = 0;
  for (const isa::Instruction& instruction : model.program.code) {
    const std::string& name = model.program.layers[instruction.layer].name;
    keys_instructions += name == "keys" ? 1 : 0;
    twice_instructions += name == "twice" ? 1 : 0;
  }
  EXPECT_EQ(keys_instructions, 0);
  EXPECT_NE(model.program.layers[1].mapping.find("in place"), std::string::npos);
  // 'keys' is also read by 'also', so 'twice' copies both inputs (a load and a store each).
  EXPECT_EQ(twice_instructions, 4);
}

// A slice copies, from each row of its input, the run it keeps: channels 4..9 of a [5, 12] int8
// input at batch 2 are 10 rows of 6 B at offset 4 B of each 12 B row (one strided load, one store
// per tile); rows 1..3 are one run of 3 x 12 = 36 B per image at offset 12 B.
TEST(Compile, SliceCopiesOneRunPerRow) {
  const arch::ArchConfig arch = arch::load_arch(kRepo + "/configs/int8_64x64.yaml");
  const Graph graph = parse_workload(R"(
name: s
batch: 2
inputs: [{name: x, shape: [5, 12]}]
layers:
  - {name: c, op: slice, input: x, begin: 4, size: 6}
  - {name: r, op: slice, input: x, axis: 0, begin: 1, size: 3}
)",
                                     "s.yaml");
  const CompiledModel model = compile_model(graph, arch);
  const isa::DramTensor& x = tensor_named(model.program, "x");
  uint64_t loaded[2] = {0, 0};
  for (const isa::Instruction& instruction : model.program.code) {
    if (const auto* load = std::get_if<isa::DmaLoad>(&instruction.payload)) {
      loaded[instruction.layer] += uint64_t{load->rows} * load->row_bytes;
      if (instruction.layer == 0) {
        EXPECT_EQ(load->row_bytes, 6u);
        EXPECT_EQ(load->dram_stride, 12u);
        EXPECT_EQ((load->dram_addr - x.addr) % 12, 4u);
      } else {
        EXPECT_EQ(load->row_bytes, 36u);
        EXPECT_EQ(load->dram_stride, 60u);
        EXPECT_EQ((load->dram_addr - x.addr) % 60, 12u);
      }
    }
  }
  EXPECT_EQ(loaded[0], 10u * 6u);
  EXPECT_EQ(loaded[1], 2u * 36u);
  EXPECT_EQ(tensor_named(model.program, "c").bytes, 60u);
  EXPECT_EQ(tensor_named(model.program, "r").bytes, 72u);
}

// A depthwise conv packs its channels' 3x3 filters into the diagonal blocks of one weight matrix:
// on a 64-column array, 64 channels per packed group, K = 9 x 64 = 576, N = 64. The packed tensor
// holds the zeros: 2 packed groups x 576 x 64 B = 73,728 B for 128 channels (the layer's own
// weights are 128 x 9 = 1,152). Without packing each channel took a fold of its own (128 folds);
// now each packed group takes 9 (18), and the DRAM runs are 64 channels wide instead of one.
TEST(Compile, DepthwiseConvPacksGroupsBlockDiagonally) {
  const arch::ArchConfig arch = arch::load_arch(kRepo + "/configs/int8_64x64.yaml");
  const Graph graph = parse_workload(R"(
name: dw
inputs: [{name: x, shape: [28, 28, 128]}]
layers:
  - {name: dw, op: conv2d, input: x, out_channels: 128, kernel: 3, padding: 1, groups: 128}
)",
                                     "dw.yaml");
  const CompiledModel model = compile_model(graph, arch);
  ASSERT_EQ(model.layers.size(), 1u);
  EXPECT_EQ(model.layers[0].problem.groups, 2);
  EXPECT_EQ(model.layers[0].problem.packed_groups, 64);
  EXPECT_EQ(model.layers[0].problem.layer_cin_per_group(), 1);
  EXPECT_EQ(tensor_named(model.program, "dw.weight").bytes, 2u * 576u * 64u);
  EXPECT_NE(model.program.layers[0].mapping.find("64 groups each, block-diagonal"),
            std::string::npos);
  int preloads = 0;
  for (const isa::Instruction& instruction : model.program.code) {
    preloads += std::holds_alternative<isa::MatrixPreload>(instruction.payload) ? 1 : 0;
  }
  EXPECT_EQ(preloads, 2 * 9);
}

// The tiler charges the load engine's setup once per transfer (docs/compiler.md). Dense
// 2048 -> 64 at batch 1 on int8_64x64 at 3.2 GB/s: 131 KB of weights take 19,660 cycles against
// 32 folds x 191 = 6,112 of array time, so the layer is memory-bound and its steady term is the
// memory time. The tiler cuts K into 8 chunks of 256 channels; every chunk loads its weights one
// fold's 64 rows at a time (4 transfers) and its 256-byte slice of the input (1), and the last
// chunk also the parameter records: 8 x 5 + 1 = 41 transfers. Going from setup 16 to 18 cycles
// adds exactly 41 x 2 = 82 cycles to the estimate. (From 20 cycles on it takes 512-channel chunks:
// 4 x 9 + 1 = 37 transfers.)
TEST(Tiling, EstimateChargesSetupPerTransfer) {
  arch::ArchConfig arch = arch::load_arch(kRepo + "/configs/int8_64x64.yaml");
  arch.dram.bandwidth_gbps = 3.2;
  GemmProblem problem;
  problem.in_c = 2048;
  problem.out_c = 64;
  arch.dma.setup_cycles = 16;
  const GemmTiling cheap_setup = choose_gemm_tiling(problem, arch, "fc");
  arch.dma.setup_cycles = 18;
  const GemmTiling dear_setup = choose_gemm_tiling(problem, arch, "fc");
  for (const GemmTiling& tiling : {cheap_setup, dear_setup}) {
    ASSERT_EQ(tiling.in_channels, 256);
    ASSERT_EQ(tiling.out_channels, 64);
    ASSERT_EQ(tiling.out_rows, 1);
  }
  EXPECT_DOUBLE_EQ(dear_setup.estimated_cycles - cheap_setup.estimated_cycles, 41 * 2);
}

// A transpose too big for a buffer half is cut into tiles in both directions; each tile is loaded
// with the source's row stride and stored transposed with the result's. The 4x4 test design:
// 1 KiB buffers, so halves of 512 B; DRAM blocks of 4 B (4 int8 elements).
TEST(Compile, TransposeTilesEachSliceAndStoresTheTileTransposed) {
  const Graph graph = parse_workload(R"(
name: t
inputs: [{name: y, shape: [37, 150]}, {name: x, shape: [3, 7, 13]}]
layers:
  - {name: ty, op: transpose, input: y}
  - {name: tx, op: transpose, input: x}
)",
                                     "t.yaml");
  const CompiledModel model = compile_model(graph, testing_support::small_arch());
  const isa::Program& program = model.program;
  ASSERT_EQ(program.layers.size(), 2u);
  // ty: whole rows of 150 leave 512 / 150 = 3 rows, under one 4-element block per stored run,
  // so square tiles: sqrt(512) = 22 -> 20 (whole blocks) columns, 512 / 20 = 25 rows, and 512 /
  // 25 = 20 columns again. 37 = 25 + 12 rows x 150 = 7 x 20 + 10 columns: 2 x 8 = 16 tiles.
  EXPECT_EQ(program.layers[0].mapping,
            "vector transpose of 1 slice(s) of 37x150 in tiles of 25x20");
  EXPECT_EQ(program.layers[0].macs, 0);
  // tx: a 7x13 slice fits whole (its 7 rows fill more than a block per stored run); 3 slices.
  EXPECT_EQ(program.layers[1].mapping, "vector transpose of 3 slice(s) of 7x13 in tiles of 7x13");

  std::vector<isa::DmaLoad> loads;
  std::vector<isa::VectorInstr> ops;
  std::vector<isa::DmaStore> stores;
  for (const isa::Instruction& instruction : program.code) {
    if (instruction.layer != 0) continue;
    if (const auto* load = std::get_if<isa::DmaLoad>(&instruction.payload)) loads.push_back(*load);
    if (const auto* v = std::get_if<isa::VectorInstr>(&instruction.payload)) ops.push_back(*v);
    if (const auto* store = std::get_if<isa::DmaStore>(&instruction.payload)) {
      stores.push_back(*store);
    }
  }
  ASSERT_EQ(loads.size(), 16u);
  ASSERT_EQ(ops.size(), 16u);
  ASSERT_EQ(stores.size(), 16u);
  const uint64_t in = model.layers[0].inputs[0];
  const uint64_t out = model.layers[0].output;
  // Tile 1: rows 0-24, columns 20-39. Loaded from y + 20 in runs of 20 B, 150 B apart; stored as
  // 20 rows of 25 B at ty + 20 x 37 = 740, 37 B apart.
  EXPECT_EQ(loads[1].dram_addr, in + 20);
  EXPECT_EQ(loads[1].rows, 25u);
  EXPECT_EQ(loads[1].row_bytes, 20u);
  EXPECT_EQ(loads[1].dram_stride, 150u);
  EXPECT_EQ(loads[1].sram_stride, 20u);
  EXPECT_EQ(ops[1].op, isa::VectorOp::kTranspose);
  EXPECT_EQ(ops[1].rows, 25u);
  EXPECT_EQ(ops[1].cols, 20u);
  EXPECT_EQ(ops[1].src_row_stride, 20u);
  EXPECT_EQ(ops[1].dst_row_stride, 25u);
  EXPECT_FALSE(ops[1].has_src1);
  EXPECT_FALSE(ops[1].has_params);
  EXPECT_EQ(stores[1].sram, ops[1].dst);
  EXPECT_EQ(stores[1].dram_addr, out + 740);
  EXPECT_EQ(stores[1].rows, 20u);
  EXPECT_EQ(stores[1].row_bytes, 25u);
  EXPECT_EQ(stores[1].sram_stride, 25u);
  EXPECT_EQ(stores[1].dram_stride, 37u);
  // The last tile: rows 25-36 x columns 140-149, from y + 25 x 150 + 140 = 3890; stored as 10
  // rows of 12 B at ty + 140 x 37 + 25 = 5205.
  EXPECT_EQ(loads[15].dram_addr, in + 3890);
  EXPECT_EQ(loads[15].rows, 12u);
  EXPECT_EQ(loads[15].row_bytes, 10u);
  EXPECT_EQ(ops[15].rows, 12u);
  EXPECT_EQ(ops[15].cols, 10u);
  EXPECT_EQ(stores[15].dram_addr, out + 5205);
  EXPECT_EQ(stores[15].rows, 10u);
  EXPECT_EQ(stores[15].row_bytes, 12u);
  // Every tile fits its halves: 25 x 20 = 500 <= 512 bytes in and out.
  for (const isa::VectorInstr& v : ops) EXPECT_LE(v.rows * v.cols, 512u);
}

TEST(Compile, RequantReadsItsRecordsThroughParams) {
  const arch::ArchConfig arch = arch::load_arch(kRepo + "/configs/int8_64x64.yaml");
  const Graph graph = parse_workload(R"(
name: g
inputs: [{name: x, shape: [8, 8, 16]}]
layers:
  - {name: c, op: conv2d, input: x, out_channels: 32, kernel: 3, padding: 1, activation: relu}
)",
                                     "g.yaml");
  const isa::Program program = compile(graph, arch);
  EXPECT_EQ(tensor_named(program, "c.params").bytes, 32u * 12);
  const std::vector<isa::VectorInstr> requants = vector_ops_of(program, 0);
  ASSERT_FALSE(requants.empty());
  for (const isa::VectorInstr& v : requants) {
    EXPECT_EQ(v.op, isa::VectorOp::kRequant);
    EXPECT_TRUE(v.has_params);
    EXPECT_FALSE(v.has_src1);
    EXPECT_EQ(v.params.buffer, isa::Buffer::kWeight);
  }
}

// A conv2d, dense or matmul's padding taps read its input's zero point.
TEST(Compile, PadValueIsTheInputsZeroPoint) {
  const arch::ArchConfig arch = arch::load_arch(kRepo + "/configs/int8_64x64.yaml");
  const Graph graph = parse_workload(R"(
name: z
inputs: [{name: x, shape: [8, 8, 4]}]
layers:
  - {name: c, op: conv2d, input: x, out_channels: 8, kernel: 3, padding: 1}
  - {name: r, op: relu, input: c}
  - {name: p, op: maxpool, input: r, kernel: 2}
  - {name: f, op: flatten, input: p}
  - {name: fc, op: dense, input: f, out_features: 4}
)",
                                     "z.yaml");
  // Graph tensors: x 0, c 1, r 2 (absorbed into c), p 3, f 4 (alias of p), fc 5.
  CompileOptions options;
  options.zero_points = {-5, 3, -128, 7, 7, 1};
  const isa::Program program = compile(graph, arch, options);
  std::vector<int> pad_values(program.layers.size(), 1000);
  for (const isa::Instruction& instruction : program.code) {
    if (const auto* mm = std::get_if<isa::MatrixMultiply>(&instruction.payload)) {
      pad_values[instruction.layer] = mm->window.pad_value;
    }
    if (const auto* v = std::get_if<isa::VectorInstr>(&instruction.payload)) {
      EXPECT_EQ(v->window.pad_value, 0) << "pooling skips padding taps";
    }
  }
  ASSERT_EQ(program.layers.size(), 4u);  // c(+r), p, f, fc
  EXPECT_EQ(pad_values[0], -5);          // x's zero point
  EXPECT_EQ(pad_values[3], 7);           // f's, the flatten of p
  // Without options every zero point is 0.
  for (const isa::Instruction& instruction : compile(graph, arch).code) {
    if (const auto* mm = std::get_if<isa::MatrixMultiply>(&instruction.payload)) {
      EXPECT_EQ(mm->window.pad_value, 0);
    }
  }
  CompileOptions wrong;
  wrong.zero_points = {0, 0};
  EXPECT_THROW(compile(graph, arch, wrong), std::invalid_argument);
  CompileOptions too_large;
  too_large.zero_points = {40000, 0, 0, 0, 0, 0};
  EXPECT_THROW(compile(graph, arch, too_large), UserError);
}

TEST(Compile, ManifestDescribesEveryProgramLayer) {
  const arch::ArchConfig arch = arch::load_arch(kRepo + "/configs/int8_64x64.yaml");
  const Graph graph = read_workload(kRepo + "/workloads/tiny_cnn.yaml");
  // Graph tensors: image 0, conv1 1, conv2 2, bn2 3, residual 4, pool 5, flatten 6, fc 7.
  const CompiledModel model = compile_model(graph, arch);
  const isa::Program& program = model.program;
  EXPECT_TRUE(program == compile(graph, arch));
  ASSERT_EQ(model.layers.size(), program.layers.size());
  ASSERT_EQ(model.layers.size(), 6u);  // conv1, conv2(+bn2), residual, pool, flatten, fc
  auto name_of = [&](int64_t index) { return program.tensors.at(static_cast<size_t>(index)).name; };
  auto addr_of = [&](const std::string& name) { return tensor_named(program, name).addr; };
  for (size_t l = 0; l < model.layers.size(); ++l) {
    EXPECT_EQ(model.layers[l].fused.name, program.layers[l].name);
  }

  const LayerManifest& conv2 = model.layers[1];
  EXPECT_TRUE(conv2.is_gemm);
  EXPECT_EQ(conv2.fused.absorbed, (std::vector<int>{3}));
  EXPECT_EQ(conv2.problem.in_c, 8);
  EXPECT_EQ(conv2.problem.out_c, 8);
  EXPECT_EQ(conv2.problem.window.kernel_h, 3);
  EXPECT_GE(conv2.tiling.out_rows, 1);
  EXPECT_EQ(conv2.inputs, (std::vector<uint64_t>{addr_of("conv1")}));
  EXPECT_EQ(conv2.output, addr_of("bn2"));  // the absorbed batchnorm's tensor
  EXPECT_EQ(name_of(conv2.weights), "conv2.weight");
  EXPECT_EQ(name_of(conv2.params), "conv2.params");

  const LayerManifest& residual = model.layers[2];
  EXPECT_FALSE(residual.is_gemm);
  EXPECT_EQ(residual.inputs, (std::vector<uint64_t>{addr_of("conv1"), addr_of("bn2")}));
  EXPECT_EQ(residual.output, addr_of("residual"));
  EXPECT_EQ(residual.weights, -1);
  EXPECT_EQ(name_of(residual.params), "residual.params");

  const LayerManifest& pool = model.layers[3];
  EXPECT_EQ(pool.params, -1);
  EXPECT_EQ(pool.weights, -1);

  const LayerManifest& flatten = model.layers[4];
  EXPECT_EQ(flatten.fused.kind, LoweringKind::kAlias);
  EXPECT_EQ(flatten.inputs, (std::vector<uint64_t>{addr_of("pool")}));
  EXPECT_EQ(flatten.output, 0u);

  const LayerManifest& fc = model.layers[5];
  EXPECT_TRUE(fc.is_gemm);
  EXPECT_EQ(fc.inputs, (std::vector<uint64_t>{addr_of("pool")}));  // through the alias

  // Absorbed and aliased tensors live in their fused layer's or source's storage.
  ASSERT_EQ(model.tensor_of.size(), graph.layers.size());
  const std::vector<std::string> storage = {"image",    "conv1", "bn2",  "bn2",
                                            "residual", "pool",  "pool", "fc"};
  for (size_t t = 0; t < storage.size(); ++t) {
    EXPECT_EQ(name_of(model.tensor_of[t]), storage[t]) << graph.layers[t].name;
  }
}

isa::Instruction at(isa::Payload payload, uint32_t layer = 0) {
  isa::Instruction instruction;
  instruction.payload = std::move(payload);
  instruction.layer = layer;
  return instruction;
}

isa::DmaLoad load_input(uint64_t dram, uint32_t offset, uint32_t bytes) {
  isa::DmaLoad load;
  load.dram_addr = dram;
  load.sram = {isa::Buffer::kInput, offset};
  load.row_bytes = bytes;
  load.dram_stride = bytes;
  load.sram_stride = bytes;
  return load;
}

isa::VectorInstr relu(uint32_t src, uint32_t dst, uint32_t n) {
  isa::VectorInstr v;
  v.op = isa::VectorOp::kActivation;
  v.src0 = {isa::Buffer::kInput, src};
  v.dst = {isa::Buffer::kOutput, dst};
  v.rows = 1;
  v.cols = n;
  v.src_row_stride = n;
  v.dst_row_stride = n;
  return v;
}

isa::DmaStore store_output(uint32_t offset, uint64_t dram, uint32_t bytes) {
  isa::DmaStore store;
  store.sram = {isa::Buffer::kOutput, offset};
  store.dram_addr = dram;
  store.row_bytes = bytes;
  store.sram_stride = bytes;
  store.dram_stride = bytes;
  return store;
}

TEST(Dependencies, ReadAfterWriteWriteAfterReadAcrossStreams) {
  isa::Program program;
  program.layers.resize(1);
  program.code = {
      at(load_input(0, 0, 64)),         // 0
      at(load_input(64, 64, 64)),       // 1: other half, independent of 0
      at(relu(0, 0, 64)),               // 2: reads [0,64): RAW on 0
      at(store_output(0, 1000, 64)),    // 3: reads output [0,64): RAW on 2
      at(load_input(128, 0, 64)),       // 4: rewrites [0,64): WAR on 2 (its last reader)
      at(relu(64, 0, 64)),              // 5: reads 1, rewrites output [0,64): WAR on 3
      at(load_input(1000, 64, 64)),     // 6: DRAM RAW on store 3; WAR on 5's read of [64,128)
  };
  add_dependencies(program);
  EXPECT_TRUE(program.code[0].deps.empty());
  EXPECT_TRUE(program.code[1].deps.empty());
  EXPECT_EQ(program.code[2].deps, (std::vector<uint32_t>{0}));
  EXPECT_EQ(program.code[3].deps, (std::vector<uint32_t>{2}));
  EXPECT_EQ(program.code[4].deps, (std::vector<uint32_t>{2}));
  // Same-stream order is implied: 5 needs 1 (load stream) and 3 (store stream), not 2.
  EXPECT_EQ(program.code[5].deps, (std::vector<uint32_t>{1, 3}));
  EXPECT_EQ(program.code[6].deps, (std::vector<uint32_t>{3, 5}));
}

TEST(Dependencies, LayerBarrier) {
  // Layer 1's first load touches nothing of layer 0, yet waits for layer 0's last instruction
  // in every other stream.
  isa::Program program;
  program.layers.resize(2);
  program.code = {at(load_input(0, 0, 64)), at(relu(0, 0, 64)), at(store_output(0, 1000, 64)),
                  at(load_input(2000, 128, 64), 1)};
  add_dependencies(program);
  EXPECT_EQ(program.code[3].deps, (std::vector<uint32_t>{1, 2}));
}

TEST(Tiling, InfeasibleDesignNamesTheLayer) {
  arch::ArchConfig arch;
  arch.sram.input.size_kib = 1;  // a 512 B half cannot hold one 224-pixel row of 3 channels
  const Graph graph = parse_workload(R"(
name: big
inputs: [{name: image, shape: [224, 224, 3]}]
layers:
  - {name: stem, op: conv2d, input: image, out_channels: 64, kernel: 7, stride: 2, padding: 3}
)",
                                     "big.yaml");
  try {
    compile(graph, arch);
    FAIL() << "expected a UserError";
  } catch (const UserError& error) {
    EXPECT_NE(std::string(error.what()).find("layer 'stem': no tile fits the SRAM buffers"),
              std::string::npos)
        << error.what();
  }
}

// A program is held whole in memory, so its length is capped: exactly the cap compiles, one
// fewer is refused naming the layer whose instruction would pass it (the last one emitted).
TEST(Compile, ProgramLongerThanMaxInstructionsIsAUserErrorNamingTheLayer) {
  const Graph graph = parse_workload(R"(
name: two
inputs: [{name: x, shape: [8, 8, 16]}]
layers:
  - {name: first, op: conv2d, input: x, out_channels: 16, kernel: 3, padding: 1}
  - {name: second, op: conv2d, input: first, out_channels: 16, kernel: 3, padding: 1}
)",
                                     "two.yaml");
  const arch::ArchConfig arch = testing_support::small_arch();
  const size_t length = compile(graph, arch).code.size();
  ASSERT_GT(length, 10u);
  CompileOptions exact;
  exact.max_instructions = length;
  EXPECT_EQ(compile(graph, arch, exact).code.size(), length);
  CompileOptions one_short;
  one_short.max_instructions = length - 1;
  try {
    compile(graph, arch, one_short);
    FAIL() << "expected a UserError";
  } catch (const UserError& error) {
    const std::string message = error.what();
    EXPECT_EQ(message.rfind("layer 'second': the program passes ", 0), 0u) << message;
    EXPECT_NE(message.find(" instructions (--max-instructions"), std::string::npos) << message;
  }
}

TEST(RowSplit, BalancesPipelineAgainstPerTileCost) {
  // 8 rows; per row 1 cycle each to load, compute and store.
  RowCosts costs;
  costs.load_per_row = costs.vector_per_row = costs.store_per_row = 1;
  // No per-tile cost: estimate(r) = (8 / r) x max(2r, r) + 3r = 16 + 3r, least at r = 1.
  EXPECT_EQ(choose_rows_per_tile(8, 8, costs), 1);
  // 10 cycles per tile to start a load: estimate(r) = (8 / r)(10 + 2r) + 10 + 3r:
  // r = 1: 109, 2: 72, 3: 67 (3 tiles), 4: 58, 8: 60. Four rows per tile.
  costs.load_per_tile = 10;
  EXPECT_EQ(choose_rows_per_tile(8, 8, costs), 4);
  // Never more than fits.
  EXPECT_EQ(choose_rows_per_tile(8, 3, costs), 3);
}

TEST(RowSplit, TrafficObjectiveTakesTheFewestHaloRereads) {
  // The costs above with a 10-cycle halo load per tile: the latency objective takes 4 rows
  // (estimate 58 against 60 for one tile of 8), the traffic objective the one tile of 8, since
  // every extra tile loads its 100 halo bytes again: 1 tile x 100 B against 2 x 100 B.
  RowCosts costs;
  costs.load_per_row = costs.vector_per_row = costs.store_per_row = 1;
  costs.load_per_tile = 10;
  costs.extra_bytes_per_tile = 100;
  EXPECT_EQ(choose_rows_per_tile(8, 8, costs, MappingObjective::kLatency), 4);
  EXPECT_EQ(choose_rows_per_tile(8, 8, costs, MappingObjective::kDramTraffic), 8);
  // No halo: every split moves the same bytes, so time decides as before.
  costs.extra_bytes_per_tile = 0;
  EXPECT_EQ(choose_rows_per_tile(8, 8, costs, MappingObjective::kDramTraffic), 4);
}

// ResNet-50's layer3.1.conv1 (1x1, 1024 -> 256 on 14x14) on int8_64x64 with twice the bandwidth.
// The latency objective cuts N into 64-channel chunks and reads the 200,704-byte input once per
// chunk (about 1.1 MB in all) to expose less of the last tile's stores; the traffic objective
// keeps all 256 output channels in one chunk, reading the input once: 200,704 B of input, 262,144
// of weights, 50,176 of output and 3,072 of parameter records, 516,096 B.
TEST(Tiling, TrafficObjectiveReadsTheInputOnce) {
  arch::ArchConfig arch = arch::load_arch(kRepo + "/configs/int8_64x64.yaml");
  arch.dram.bandwidth_gbps = 25.6;
  GemmProblem problem;
  problem.in_h = problem.in_w = problem.out_h = problem.out_w = 14;
  problem.in_c = 1024;
  problem.out_c = 256;
  const GemmTiling fastest = choose_gemm_tiling(problem, arch, "conv", MappingObjective::kLatency);
  const GemmTiling leanest =
      choose_gemm_tiling(problem, arch, "conv", MappingObjective::kDramTraffic);
  EXPECT_EQ(fastest.out_channels, 64);
  EXPECT_EQ(leanest.out_channels, 256);
  EXPECT_EQ(leanest.estimated_dram_bytes, 200704 + 262144 + 50176 + 3072);
  EXPECT_GT(leanest.estimated_cycles, fastest.estimated_cycles);
}

TEST(Tiling, FootprintOfOneTileByHand) {
  // 3x3 conv, 56x56x64 -> 56x56x64, int8; a band of 4 output rows needs 4 + 2 = 6 input rows:
  // 6 x 56 x 64 = 21504 B of input; weights 9 x 64 x 64 = 36864 B + 64 x 12 B of parameters;
  // accumulators 4 x 56 x 64 x (4 + 1) B = 71680 B.
  GemmProblem p;
  p.in_h = p.in_w = p.out_h = p.out_w = 56;
  p.in_c = p.out_c = 64;
  p.window.kernel_h = p.window.kernel_w = 3;
  p.window.pad_top = p.window.pad_bottom = p.window.pad_left = p.window.pad_right = 1;
  const TileFootprint f = gemm_footprint(p, arch::ArchConfig{}, 4, 64, 64);
  EXPECT_EQ(f.input_bytes, 21504);
  EXPECT_EQ(f.weight_bytes, 36864 + 768);
  EXPECT_EQ(f.output_bytes, 71680);
}

}  // namespace
}  // namespace npu::compiler
