// int4 in the compiler: packed tensors (rows rounded up to whole bytes), the fold reach of a packed
// PE row, and per-layer precision overrides (docs/workloads.md, "Mixed precision"): where each
// tensor's format comes from, what the .layer directive carries, and the one-line errors.

#include <gtest/gtest.h>

#include <string>
#include <variant>

#include "arch/user_error.h"
#include "compiler/compile.h"
#include "compiler/workload_reader.h"
#include "isa/asm_parser.h"
#include "isa/asm_printer.h"
#include "tests/common/small_arch.h"
#include "tests/unit/compiler/backend_test_util.h"

namespace npu::compiler {
namespace {

using testing_util::tensor_named;
using testing_util::vector_ops_of;

arch::ArchConfig int4_design(int macs_per_pe) {
  arch::ArchConfig arch = testing_support::small_arch();
  arch.precision.operand = arch::Precision::kInt4;
  arch.array.macs_per_pe_per_cycle.int4 = macs_per_pe;
  return arch;
}

std::vector<isa::MatrixPreload> preloads_of(const isa::Program& program) {
  std::vector<isa::MatrixPreload> preloads;
  for (const isa::Instruction& instruction : program.code) {
    if (const auto* p = std::get_if<isa::MatrixPreload>(&instruction.payload)) preloads.push_back(*p);
  }
  return preloads;
}

uint32_t layer_index(const isa::Program& program, const std::string& name) {
  for (uint32_t i = 0; i < program.layers.size(); ++i) {
    if (program.layers[i].name == name) return i;
  }
  ADD_FAILURE() << "no layer " << name;
  return 0;
}

std::string compile_error(const std::string& workload, const arch::ArchConfig& arch) {
  try {
    compile(parse_workload(workload, "w.yaml"), arch);
  } catch (const UserError& error) {
    return error.what();
  }
  return "";
}

TEST(PackedInt4, OddRowsRoundUpToWholeBytes) {
  // dense 3 -> 5 at batch 1: x is one row of 3 int4 = 2 B (a padding nibble); the weights are 3
  // rows (K) of 5 output channels = 3 B each, 9 B; the output one row of 5 = 3 B.
  const Graph graph = parse_workload(
      "name: w\ninputs: [{name: x, shape: [3]}]\nlayers:\n"
      "  - {name: d, op: dense, input: x, out_features: 5}\n",
      "w.yaml");
  const isa::Program program = compile(graph, int4_design(2));
  EXPECT_EQ(program.operand_type, isa::ElementType::kInt4);
  EXPECT_EQ(tensor_named(program, "x").bytes, 2u);
  EXPECT_EQ(tensor_named(program, "d.weight").bytes, 9u);
  EXPECT_EQ(tensor_named(program, "d").bytes, 3u);
  // The requantization writes int4.
  EXPECT_EQ(vector_ops_of(program, 0).at(0).dst_type, isa::ElementType::kInt4);
}

TEST(PackedInt4, TwoMacsPerPeDoubleTheFoldReach) {
  // dense 8 -> 4 on 4 PE rows: K = 8. Packed two per PE row, one fold holds all 8 reduction rows
  // (one preload of k = 8); unpacked, ceil(8 / 4) = 2 folds of 4.
  const Graph graph = parse_workload(
      "name: w\ninputs: [{name: x, shape: [8]}]\nlayers:\n"
      "  - {name: d, op: dense, input: x, out_features: 4}\n",
      "w.yaml");
  const std::vector<isa::MatrixPreload> packed = preloads_of(compile(graph, int4_design(2)));
  ASSERT_EQ(packed.size(), 1u);
  EXPECT_EQ(packed[0].k_rows, 8u);
  const std::vector<isa::MatrixPreload> unpacked = preloads_of(compile(graph, int4_design(1)));
  ASSERT_EQ(unpacked.size(), 2u);
  EXPECT_EQ(unpacked[0].k_rows, 4u);
}

const char* kThreeConvs =
    "name: w\ninputs: [{name: x, shape: [4, 4, 8]}]\nlayers:\n"
    "  - {name: c1, op: conv2d, input: x, out_channels: 8, kernel: 1}\n"
    "  - {name: c2, op: conv2d, input: c1, out_channels: 8, kernel: 1, precision: int4}\n"
    "  - {name: c3, op: conv2d, input: c2, out_channels: 8, kernel: 1}\n";

arch::ArchConfig mixed_design() {
  arch::ArchConfig arch = testing_support::small_arch();
  arch.precision.other_operands = {"int4"};
  return arch;
}

TEST(MixedPrecision, ALayersInputIsStoredAtItsPrecision) {
  // c2 computes at int4, so c1's output (what c2 reads) is stored packed: 16 pixels x 8 channels
  // / 2 = 64 B, and c1's requantization writes int4. c2's output feeds the int8 c3: 16 x 8 =
  // 128 B, written as int8 by c2's requantization. c2's weights are 8 x 8 int4 = 32 B; c1's and
  // c3's 64 B.
  const isa::Program program = compile(parse_workload(kThreeConvs, "w.yaml"), mixed_design());
  EXPECT_EQ(tensor_named(program, "c1").bytes, 64u);
  EXPECT_EQ(tensor_named(program, "c2").bytes, 128u);
  EXPECT_EQ(tensor_named(program, "c2.weight").bytes, 32u);
  EXPECT_EQ(tensor_named(program, "c1.weight").bytes, 64u);
  const uint32_t c1 = layer_index(program, "c1"), c2 = layer_index(program, "c2");
  EXPECT_EQ(vector_ops_of(program, c1).at(0).dst_type, isa::ElementType::kInt4);
  EXPECT_EQ(vector_ops_of(program, c2).at(0).dst_type, isa::ElementType::kInt8);
  // Only the overriding layer carries a precision; the others are the program's int8.
  EXPECT_EQ(program.layers[c2].precision, isa::ElementType::kInt4);
  EXPECT_FALSE(program.layers[c1].precision.has_value());
  EXPECT_EQ(program.operand_type_of(c2), isa::ElementType::kInt4);
  EXPECT_EQ(program.operand_type_of(c1), isa::ElementType::kInt8);
}

TEST(MixedPrecision, TheLayerDirectiveCarriesThePrecision) {
  const isa::Program program = compile(parse_workload(kThreeConvs, "w.yaml"), mixed_design());
  const std::string text = isa::to_asm(program);
  EXPECT_NE(text.find("precision=int4"), std::string::npos);
  EXPECT_EQ(isa::parse_asm(text, "w.asm"), program);
}

TEST(MixedPrecision, APrecisionTheDesignDoesNotExecuteIsAnError) {
  EXPECT_EQ(compile_error(kThreeConvs, testing_support::small_arch()),
            "w.yaml:5:5: layer 'c2': precision int4 is not executed by the design (precision.operand "
            "int8, precision.other_operands [])");
}

TEST(MixedPrecision, ReadersOfOneTensorMustAgree) {
  EXPECT_EQ(compile_error("name: w\ninputs: [{name: x, shape: [4, 4, 8]}]\nlayers:\n"
                          "  - {name: a, op: conv2d, input: x, out_channels: 8, kernel: 1, "
                          "precision: int4}\n"
                          "  - {name: b, op: conv2d, input: x, out_channels: 8, kernel: 1}\n",
                          mixed_design()),
            "w.yaml:5:5: layer 'b': reads 'x' at int8 but 'a' reads it at int4; a tensor is "
            "stored in one precision, so give its readers the same");
}

TEST(MixedPrecision, OnlyAGemmOrAnInputCanProduceAnotherPrecision) {
  EXPECT_EQ(compile_error("name: w\ninputs: [{name: x, shape: [4, 4, 8]}]\nlayers:\n"
                          "  - {name: p, op: maxpool, input: x, kernel: 2}\n"
                          "  - {name: c, op: conv2d, input: p, out_channels: 8, kernel: 1, "
                          "precision: int4}\n",
                          mixed_design()),
            "w.yaml:5:5: layer 'c': reads 'p' at int4, but maxpool writes the design's int8; only "
            "a conv2d, dense or matmul (or a model input) can produce another precision");
}

}  // namespace
}  // namespace npu::compiler
