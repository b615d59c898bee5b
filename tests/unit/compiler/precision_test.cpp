// The back end at every operand precision: vector instructions carry the element types the arch's
// precision implies, parameter tensors have the size of their op's block for the output type (none
// when it is 0 bytes), and everything measured in operands (tensors, DMA transfers, tiles) scales
// with the element size.

#include <gtest/gtest.h>

#include <string>
#include <utility>
#include <vector>

#include "arch/arch_loader.h"
#include "compiler/compile.h"
#include "compiler/element_types.h"
#include "compiler/workload_reader.h"
#include "isa/accesses.h"
#include "tests/unit/compiler/backend_test_util.h"

namespace npu::compiler {
namespace {

using testing_util::dma_bytes;
using testing_util::has_tensor;
using testing_util::kRepo;
using testing_util::loads_of;
using testing_util::tensor_named;
using testing_util::vector_ops_of;

// The edge design at each precision: the shipped int4, int8, fp16 and bf16 configs, and fp32 by
// --set.
arch::ArchConfig edge_design(arch::Precision precision) {
  switch (precision) {
    case arch::Precision::kInt4:
      return arch::load_arch(kRepo + "/configs/int4_64x64.yaml");
    case arch::Precision::kInt8:
      return arch::load_arch(kRepo + "/configs/int8_64x64.yaml");
    case arch::Precision::kFp16:
      return arch::load_arch(kRepo + "/configs/fp16_64x64.yaml");
    case arch::Precision::kBf16:
      return arch::load_arch(kRepo + "/configs/bf16_64x64.yaml");
    case arch::Precision::kFp32:
      return arch::load_arch(kRepo + "/configs/fp16_64x64.yaml", {"precision.operand=fp32"});
  }
  return {};
}

constexpr arch::Precision kPrecisions[] = {arch::Precision::kInt8, arch::Precision::kFp16,
                                           arch::Precision::kBf16, arch::Precision::kFp32};

// One of every vector layer kind after a conv and a dense.
Graph every_vector_layer() {
  return parse_workload(R"(
name: v
inputs: [{name: x, shape: [8, 8, 16]}, {name: t, shape: [24]}]
layers:
  - {name: c, op: conv2d, input: x, out_channels: 32, kernel: 3, padding: 1}
  - {name: bn, op: batchnorm, input: c}
  - {name: sum, op: add, inputs: [bn, c], activation: relu}
  - {name: sig, op: sigmoid, input: sum}
  - {name: mp, op: maxpool, input: sig, kernel: 2}
  - {name: gp, op: global_avgpool, input: mp}
  - {name: sm, op: softmax, input: t}
  - {name: ln, op: layernorm, input: t}
  - {name: fc, op: dense, input: ln, out_features: 8}
)",
                        "v.yaml");
}

TEST(ElementTypes, FromThePrecision) {
  EXPECT_EQ(operand_type(arch::Precision::kInt8), isa::ElementType::kInt8);
  EXPECT_EQ(operand_type(arch::Precision::kFp16), isa::ElementType::kFp16);
  EXPECT_EQ(operand_type(arch::Precision::kBf16), isa::ElementType::kBf16);
  EXPECT_EQ(operand_type(arch::Precision::kFp32), isa::ElementType::kFp32);
  EXPECT_EQ(accumulator_type(arch::Precision::kInt8), isa::ElementType::kInt32);
  for (arch::Precision precision :
       {arch::Precision::kFp16, arch::Precision::kBf16, arch::Precision::kFp32}) {
    EXPECT_EQ(accumulator_type(precision), isa::ElementType::kFp32);
  }
  for (arch::Precision precision : kPrecisions) {
    EXPECT_EQ(isa::element_bytes(operand_type(precision)), arch::element_bytes(precision));
  }
}

// requant turns accumulators into operands; every other vector op stays in the operand type.
TEST(ElementTypes, VectorInstructionsCarryThePrecisionsTypes) {
  for (arch::Precision precision : kPrecisions) {
    SCOPED_TRACE(arch::to_string(precision));
    const isa::Program program = compile(every_vector_layer(), edge_design(precision));
    const isa::ElementType operand = operand_type(precision);
    int requants = 0, others = 0;
    for (const isa::Instruction& instruction : program.code) {
      const auto* v = std::get_if<isa::VectorInstr>(&instruction.payload);
      if (!v) continue;
      if (v->op == isa::VectorOp::kRequant) {
        ++requants;
        EXPECT_EQ(v->src_type, accumulator_type(precision));
      } else {
        ++others;
        EXPECT_EQ(v->src_type, operand) << isa::to_string(v->op);
      }
      EXPECT_EQ(v->dst_type, operand) << isa::to_string(v->op);
    }
    EXPECT_GT(requants, 0);
    EXPECT_GT(others, 0);
  }
}

// Parameter tensors for fp16 (docs/numerics.md, "Floating point"): requant 12 B per channel,
// scale_shift 8 B per channel, add 8 B, act and softmax nothing, layernorm 32 + 8 B per channel.
TEST(ParameterTensors, FloatModelsUseTheFloatBlocks) {
  const arch::ArchConfig arch = edge_design(arch::Precision::kFp16);
  const CompiledModel model = compile_model(every_vector_layer(), arch);
  const isa::Program& program = model.program;
  // Program layers: c 0, bn 1, sum 2, sig 3, mp 4, gp 5, sm 6, ln 7, fc 8.
  ASSERT_EQ(program.layers.size(), 9u);
  const std::vector<std::pair<std::string, uint64_t>> with_block = {
      {"c", 32 * 12}, {"bn", 32 * 8}, {"sum", 8}, {"ln", 32 + 24 * 8}, {"fc", 8 * 12}};
  for (const auto& [name, bytes] : with_block) {
    const isa::DramTensor& params = tensor_named(program, name + ".params");
    EXPECT_EQ(params.bytes, bytes) << name;
    EXPECT_FALSE(loads_of(program, params).empty()) << name;
  }
  for (uint32_t l : {1u, 2u, 7u}) {
    for (const isa::VectorInstr& v : vector_ops_of(program, l)) {
      EXPECT_TRUE(v.has_params) << program.layers[l].name;
      EXPECT_EQ(isa::params_bytes(v),
                tensor_named(program, program.layers[l].name + ".params").bytes);
    }
  }
  // A float sigmoid and softmax compute from the instruction alone: no tensor, no load, no block.
  for (uint32_t l : {3u, 6u}) {
    const std::string& name = program.layers[l].name;
    EXPECT_FALSE(has_tensor(program, name + ".params")) << name;
    EXPECT_EQ(model.layers[l].params, -1) << name;
    const std::vector<isa::VectorInstr> ops = vector_ops_of(program, l);
    ASSERT_FALSE(ops.empty()) << name;
    for (const isa::VectorInstr& v : ops) {
      EXPECT_FALSE(v.has_params) << name;
      EXPECT_EQ(v.params, isa::SramAddr{}) << name;
    }
  }
  // Pooling has no parameters at any precision.
  EXPECT_EQ(model.layers[4].params, -1);
  EXPECT_EQ(model.layers[5].params, -1);
}

TEST(ParameterTensors, Int8KeepsTheFixedPointBlocks) {
  const CompiledModel model =
      compile_model(every_vector_layer(), edge_design(arch::Precision::kInt8));
  const std::vector<std::pair<std::string, uint64_t>> blocks = {
      {"c", 32 * 12}, {"bn", 32 * 16},     {"sum", 48},   {"sig", 256},
      {"sm", 16},     {"ln", 32 + 24 * 8}, {"fc", 8 * 12}};
  for (const auto& [name, bytes] : blocks) {
    EXPECT_EQ(tensor_named(model.program, name + ".params").bytes, bytes) << name;
  }
}

// One 1x1 conv, 8x8x16 -> 8x8x32 (K = 16: one fold, no halo rows): however the tiler splits the
// rows, each tensor is loaded or stored exactly once. Bytes by hand with eb = element bytes: input
// 8 x 8 x 16 x eb = 1024 eb, weights 16 x 32 x eb = 512 eb, parameters 32 x 12 = 384 (float32 or
// int32 fields either way), output 8 x 8 x 32 x eb = 2048 eb.
TEST(ElementBytes, TensorsAndTransfersScale) {
  const Graph graph = parse_workload(R"(
name: g
inputs: [{name: x, shape: [8, 8, 16]}]
layers:
  - {name: c, op: conv2d, input: x, out_channels: 32, kernel: 1, activation: relu}
)",
                                     "g.yaml");
  for (arch::Precision precision : kPrecisions) {
    SCOPED_TRACE(arch::to_string(precision));
    const uint32_t eb = static_cast<uint32_t>(arch::element_bytes(precision));
    const isa::Program program = compile(graph, edge_design(precision));
    EXPECT_EQ(tensor_named(program, "x").bytes, 1024u * eb);
    EXPECT_EQ(tensor_named(program, "c.weight").bytes, 512u * eb);
    EXPECT_EQ(tensor_named(program, "c.params").bytes, 384u);
    EXPECT_EQ(tensor_named(program, "c").bytes, 2048u * eb);
    EXPECT_EQ(dma_bytes(program), (1024u + 512u + 2048u) * eb + 384u);
    for (const isa::Instruction& instruction : program.code) {
      if (const auto* load = std::get_if<isa::DmaLoad>(&instruction.payload)) {
        // Input rows are the 16 channels of a pixel, weight rows the 32 output channels.
        if (load->sram.buffer == isa::Buffer::kInput) {
          EXPECT_EQ(load->row_bytes, 16 * eb);
        }
      }
      // A stored row is a chunk of the 32 output channels (the tiler picks the chunk), at the
      // tensor's 32-channel pixel stride.
      if (const auto* store = std::get_if<isa::DmaStore>(&instruction.payload)) {
        EXPECT_EQ(store->row_bytes % eb, 0u);
        EXPECT_LE(store->row_bytes, 32 * eb);
        EXPECT_EQ(store->dram_stride, 32 * eb);
      }
      if (const auto* preload = std::get_if<isa::MatrixPreload>(&instruction.payload)) {
        EXPECT_EQ(preload->k_rows, 16u);
        EXPECT_LE(preload->n_cols, 32u);
      }
    }
  }
}

// Requant reads the 4-byte accumulators the multiplies wrote and writes its result after them,
// never over them: also for int8 with accumulator_bits 16, whose timing charges 2-byte partial
// sums but whose program, like every other, holds int32 accumulators.
TEST(ElementBytes, RequantReadsTheAccumulatorsTheArrayWrote) {
  std::vector<arch::ArchConfig> designs;
  for (arch::Precision precision : kPrecisions) designs.push_back(edge_design(precision));
  designs.push_back(
      arch::load_arch(kRepo + "/configs/int8_64x64.yaml", {"precision.accumulator_bits=16"}));
  const Graph graph = read_workload(kRepo + "/workloads/tiny_cnn.yaml");
  for (const arch::ArchConfig& arch : designs) {
    SCOPED_TRACE(std::string(arch::to_string(arch.precision.operand)) + " acc" +
                 std::to_string(arch.precision.accumulator_bits));
    const int eb = arch::element_bytes(arch.precision.operand);
    const isa::Program program = compile(graph, arch);
    // Accumulators the multiplies of the current tile wrote; a tile's requants (one per row
    // sub-band) each read a part of them.
    std::vector<isa::SramRegion> written;
    bool after_requant = false;
    for (const isa::Instruction& instruction : program.code) {
      const isa::Accesses accesses = isa::sram_accesses(instruction, eb);
      if (std::holds_alternative<isa::MatrixMultiply>(instruction.payload)) {
        if (after_requant) written.clear();  // the next tile
        after_requant = false;
        written.insert(written.end(), accesses.writes.begin(), accesses.writes.end());
      }
      const auto* v = std::get_if<isa::VectorInstr>(&instruction.payload);
      if (!v || v->op != isa::VectorOp::kRequant) continue;
      after_requant = true;
      const isa::SramRegion& src = accesses.reads.front();
      ASSERT_FALSE(written.empty());
      uint32_t lowest = UINT32_MAX, highest = 0;
      for (const isa::SramRegion& acc : written) {
        EXPECT_EQ(acc.buffer, src.buffer);
        lowest = std::min(lowest, acc.begin);
        highest = std::max(highest, acc.end);
      }
      EXPECT_GE(src.begin, lowest);
      EXPECT_LE(src.end, highest);
      EXPECT_FALSE(isa::overlaps(src, accesses.writes.front()));
    }
  }
}

// Float models have no zero points: padding reads +0.0 (pad_value 0) whatever the options say.
TEST(ElementBytes, FloatPaddingIsPositiveZero) {
  const Graph graph = parse_workload(R"(
name: z
inputs: [{name: x, shape: [8, 8, 4]}]
layers:
  - {name: c, op: conv2d, input: x, out_channels: 8, kernel: 3, padding: 1}
)",
                                     "z.yaml");
  CompileOptions options;
  options.zero_points = {-5, 3};
  for (arch::Precision precision : kPrecisions) {
    SCOPED_TRACE(arch::to_string(precision));
    const int expected = arch::is_float(precision) ? 0 : -5;
    int multiplies = 0;
    for (const isa::Instruction& instruction :
         compile(graph, edge_design(precision), options).code) {
      if (const auto* mm = std::get_if<isa::MatrixMultiply>(&instruction.payload)) {
        EXPECT_EQ(mm->window.pad_value, expected);
        ++multiplies;
      }
    }
    EXPECT_GT(multiplies, 0);
  }
}

// The same network in 2-byte operands moves more bytes: twice the activations and weights, and
// smaller tiles on the same buffers reload more.
TEST(ElementBytes, Fp16ResnetMovesMoreDramBytesThanInt8) {
  const Graph graph = read_workload(kRepo + "/workloads/resnet.yaml");
  const uint64_t int8 = dma_bytes(compile(graph, edge_design(arch::Precision::kInt8)));
  const uint64_t fp16 = dma_bytes(compile(graph, edge_design(arch::Precision::kFp16)));
  const uint64_t bf16 = dma_bytes(compile(graph, edge_design(arch::Precision::kBf16)));
  EXPECT_GT(fp16, int8);
  // Parameters (12 B per output channel) do not double, so not quite 2x; but well above 1.5x.
  EXPECT_GT(static_cast<double>(fp16), 1.5 * static_cast<double>(int8));
  // fp16 and bf16 are both 2 bytes: the same program shape, the same bytes.
  EXPECT_EQ(fp16, bf16);
}

}  // namespace
}  // namespace npu::compiler
