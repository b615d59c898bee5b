// The compiler back end: fusion, tiling, code generation and the dependency pass, checked on
// small hand-built cases and on every layer of ResNet-50 for every shipped config.

#include <gtest/gtest.h>

#include <string>
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

namespace npu::compiler {
namespace {

const std::string kRepo = NPU_REPO_DIR;

uint64_t capacity(const arch::ArchConfig& arch, isa::Buffer buffer) {
  switch (buffer) {
    case isa::Buffer::kInput:
      return arch.sram.input.size_kib * 1024;
    case isa::Buffer::kWeight:
      return arch.sram.weight.size_kib * 1024;
    case isa::Buffer::kOutput:
      return arch.sram.output.size_kib * 1024;
  }
  return 0;
}

class ShippedConfig : public testing::TestWithParam<std::string> {};

TEST_P(ShippedConfig, EveryResnetTileFitsItsBuffers) {
  const arch::ArchConfig arch = arch::load_arch(kRepo + "/configs/" + GetParam() + ".yaml");
  const Graph graph = read_workload(kRepo + "/workloads/resnet.yaml");
  const isa::Program program = compile(graph, arch);
  ASSERT_FALSE(program.code.empty());
  for (size_t i = 0; i < program.code.size(); ++i) {
    const isa::Accesses accesses = isa::sram_accesses(program.code[i], 1);
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
                         testing::Values("int8_32x32", "int8_64x64", "int8_128x128"));

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
  add_dependencies(program, 1);
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
  add_dependencies(program, 1);
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
