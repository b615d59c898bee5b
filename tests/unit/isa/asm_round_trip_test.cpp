// parse_asm(to_asm(p)) == p: every field of every instruction kind survives the text form.

#include <gtest/gtest.h>

#include <limits>
#include <string>
#include <utility>

#include "arch/user_error.h"
#include "isa/asm_parser.h"
#include "isa/asm_printer.h"
#include "tests/unit/isa/sample_program.h"

namespace npu::isa {
namespace {

using testing::instruction;
using testing::sample_program;
using testing::vector_instr;

constexpr VectorOp kAllOps[] = {
    VectorOp::kRequant, VectorOp::kAdd,       VectorOp::kActivation,    VectorOp::kScaleShift,
    VectorOp::kMaxPool, VectorOp::kAvgPool,   VectorOp::kGlobalAvgPool, VectorOp::kSoftmax,
    VectorOp::kCopy,    VectorOp::kLayerNorm, VectorOp::kMul,           VectorOp::kTranspose,
};
constexpr ElementType kAllElementTypes[] = {ElementType::kInt8, ElementType::kInt32,
                                            ElementType::kFp16, ElementType::kBf16,
                                            ElementType::kFp32};
constexpr VectorActivation kAllActivations[] = {
    VectorActivation::kNone,    VectorActivation::kRelu, VectorActivation::kRelu6,
    VectorActivation::kSigmoid, VectorActivation::kTanh, VectorActivation::kGelu,
};

// Reports the first differing instruction by its text, which is far easier to read than a
// failed operator== on the whole program.
void expect_round_trip(const Program& program) {
  const std::string text = to_asm(program);
  const Program parsed = parse_asm(text, "round_trip.asm");
  ASSERT_EQ(parsed.layers.size(), program.layers.size()) << text;
  ASSERT_EQ(parsed.code.size(), program.code.size()) << text;
  for (size_t i = 0; i < program.code.size(); ++i) {
    EXPECT_EQ(parsed.code[i], program.code[i])
        << "expected " << to_asm(program.code[i], static_cast<uint32_t>(i), program)
        << "\n     got " << to_asm(parsed.code[i], static_cast<uint32_t>(i), parsed);
  }
  EXPECT_TRUE(parsed.layers == program.layers) << text;
  EXPECT_TRUE(parsed.tensors == program.tensors) << text;
  EXPECT_TRUE(parsed == program) << text;
  // Printing is a function of the program alone, so the reparsed program prints identically.
  EXPECT_EQ(to_asm(parsed), text);
}

TEST(AsmRoundTrip, SampleProgramWithEveryOpcodeAndField) { expect_round_trip(sample_program()); }

TEST(AsmRoundTrip, EmptyProgram) {
  expect_round_trip(Program{});
  EXPECT_TRUE(parse_asm("", "empty.asm") == Program{});
}

TEST(AsmRoundTrip, EveryVectorOpWithEveryActivationWithAndWithoutSrc1AndParams) {
  Program program;
  program.layers.push_back({"v", "vector", {1}, 0, 0, ""});
  for (VectorOp op : kAllOps) {
    for (VectorActivation activation : kAllActivations) {
      for (bool has_src1 : {false, true}) {
        for (bool has_params : {false, true}) {
          program.code.push_back(
              instruction(vector_instr(op, activation, has_src1, has_params), 0, {}));
        }
      }
    }
  }
  ASSERT_EQ(program.code.size(), 12u * 6u * 2u * 2u);
  expect_round_trip(program);
}

TEST(AsmRoundTrip, EveryPairOfElementTypes) {
  Program program;
  program.layers.push_back({"v", "vector", {1}, 0, 0, ""});
  for (ElementType src : kAllElementTypes) {
    for (ElementType dst : kAllElementTypes) {
      VectorInstr v = vector_instr(VectorOp::kRequant, VectorActivation::kNone, false, true);
      v.src_type = src;
      v.dst_type = dst;
      program.code.push_back(instruction(v, 0, {}));
    }
  }
  ASSERT_EQ(program.code.size(), 5u * 5u);
  expect_round_trip(program);
}

TEST(AsmRoundTrip, ElementTypesPrintByName) {
  const std::pair<ElementType, const char*> names[] = {{ElementType::kInt8, "int8"},
                                                       {ElementType::kInt32, "int32"},
                                                       {ElementType::kFp16, "fp16"},
                                                       {ElementType::kBf16, "bf16"},
                                                       {ElementType::kFp32, "fp32"}};
  Program program;
  program.layers.push_back({"v", "vector", {1}, 0, 0, ""});
  for (const auto& [type, name] : names) {
    EXPECT_STREQ(to_string(type), name);
    VectorInstr v;
    v.src_type = type;
    v.dst_type = type;
    const std::string line = to_asm(instruction(v, 0, {}), 0, program);
    EXPECT_NE(line.find(std::string("src_type=") + name + " dst_type=" + name), std::string::npos)
        << line;
  }
}

TEST(AsmRoundTrip, DefaultFieldsOfEveryKind) {
  Program program;
  program.layers.push_back({});
  program.tensors.push_back({});
  for (const Payload& payload : {Payload{DmaLoad{}}, Payload{DmaStore{}}, Payload{MatrixPreload{}},
                                 Payload{MatrixMultiply{}}, Payload{VectorInstr{}}}) {
    program.code.push_back(instruction(payload, 0, {}));
  }
  // Pooling with a default window: the window is printed anyway since pooling needs one.
  VectorInstr pool;
  pool.op = VectorOp::kMaxPool;
  program.code.push_back(instruction(pool, 0, {}));
  expect_round_trip(program);
}

TEST(AsmRoundTrip, ExtremeValues) {
  constexpr uint32_t kMax32 = std::numeric_limits<uint32_t>::max();
  constexpr uint16_t kMax16 = std::numeric_limits<uint16_t>::max();
  Program program;
  program.layers.push_back({"x", "y", {std::numeric_limits<int64_t>::min(), 0}, -1, 0, "\x01\x7f"});
  DmaLoad load;
  load.dram_addr = std::numeric_limits<uint64_t>::max();
  load.sram = {Buffer::kOutput, kMax32};
  load.rows = 0;
  load.row_bytes = kMax32;
  load.dram_stride = std::numeric_limits<uint64_t>::max();
  load.sram_stride = kMax32;
  program.code.push_back(instruction(load, 0, {}));
  MatrixMultiply mm;
  mm.window = {kMax32, kMax32, std::numeric_limits<int32_t>::min(),
               kMax32, kMax32, kMax16,
               kMax16, kMax16, kMax16,
               kMax16, kMax16, kMax16,
               kMax16, kMax32, kMax32,
               std::numeric_limits<int16_t>::min()};
  mm.k_begin = kMax32;
  mm.k_rows = kMax32;
  program.code.push_back(instruction(mm, 0, {0}));
  VectorInstr v;
  v.src_type = ElementType::kFp32;
  v.dst_type = ElementType::kBf16;
  v.window.patch_row0 = std::numeric_limits<int32_t>::max();
  v.window.pad_value = std::numeric_limits<int16_t>::max();
  v.params = {Buffer::kOutput, kMax32};  // unused (has_params false), still kept
  program.code.push_back(instruction(v, 0, {0, 1}));
  expect_round_trip(program);
}

TEST(AsmRoundTrip, LayerIndexIsAuthoritativeWhenNamesRepeat) {
  Program program;
  program.layers = {{"same", "a", {1}, 1, 1, ""}, {"same", "b", {1}, 2, 2, ""}};
  program.code.push_back(instruction(DmaLoad{}, 1, {}));
  program.code.push_back(instruction(DmaLoad{}, 0, {}));
  const Program parsed = parse_asm(to_asm(program), "names.asm");
  EXPECT_EQ(parsed.code[0].layer, 1u);
  EXPECT_EQ(parsed.code[1].layer, 0u);
}

// A sparse layer's zero-operand MACs (docs/sparsity.md) survive; a dense layer prints none, so
// dense programs read as they did before sparsity existed.
TEST(AsmRoundTrip, ZeroOperandMacsOnlyOnSparseLayers) {
  Program program;
  program.layers = {{"dense", "dense", {1}, 16, 1, ""}, {"sparse", "dense", {1}, 16, 1, ""}};
  program.layers[1].zero_operand_macs = 12;
  const std::string text = to_asm(program);
  EXPECT_NE(text.find("mapping=\"\" zero_operand_macs=12"), std::string::npos) << text;
  EXPECT_EQ(text.find("zero_operand_macs"), text.rfind("zero_operand_macs"));
  const Program parsed = parse_asm(text, "sparse.asm");
  EXPECT_EQ(parsed.layers[0].zero_operand_macs, 0);
  EXPECT_EQ(parsed.layers[1].zero_operand_macs, 12);
  EXPECT_EQ(parsed.layers[1].effective_macs(), 4);
  // A skipped layer's N:M pattern, and what a multiply of k rows executes under it.
  program.layers[1].skip_n = 2;
  program.layers[1].skip_m = 4;
  const Program skipped = parse_asm(to_asm(program), "skip.asm");
  EXPECT_NE(to_asm(program).find("zero_operand_macs=12 skip=2:4"), std::string::npos);
  EXPECT_EQ(skipped.layers[1].skip_n, 2u);
  EXPECT_EQ(skipped.layers[1].skip_m, 4u);
  EXPECT_EQ(skipped.layers[1].executed_k(128), 64u);
  EXPECT_EQ(skipped.layers[1].executed_k(6), 4u);  // a last group of 2 keeps both
  EXPECT_EQ(skipped.layers[1].executed_k(5), 3u);  // a last group of 1 keeps its one row
  EXPECT_EQ(skipped.layers[0].executed_k(5), 5u);
  EXPECT_THROW(parse_asm(".layer 0 name=\"a\" op=\"dense\" shape=1 macs=4 params=0 mapping=\"\" "
                         "skip=4:4\n",
                         "bad.asm"),
               UserError);
  // Unstructured skipping: rows per fold and a density that reads back exactly; a multiply of k
  // rows executes round(k x d).
  program.layers[1].skip_n = program.layers[1].skip_m = 0;
  program.layers[1].skip_rows = 166;
  program.layers[1].skip_density = 0.3;
  const std::string unstructured_text = to_asm(program);
  EXPECT_NE(unstructured_text.find("skip_rows=166 skip_density=0.29999999999999999"),
            std::string::npos)
      << unstructured_text;
  const Program unstructured = parse_asm(unstructured_text, "skip.asm");
  EXPECT_EQ(unstructured.layers[1].skip_rows, 166u);
  EXPECT_EQ(unstructured.layers[1].skip_density, 0.3);
  EXPECT_EQ(unstructured.layers[1].executed_k(166), 50u);  // 49.8
  EXPECT_EQ(unstructured.layers[1].executed_k(5), 2u);     // 1.5 rounds away from zero
  EXPECT_THROW(parse_asm(".layer 0 name=\"a\" op=\"dense\" shape=1 macs=4 params=0 mapping=\"\" "
                         "skip_rows=8 skip_density=1.5\n",
                         "bad.asm"),
               UserError);
  EXPECT_THROW(parse_asm(".layer 0 name=\"a\" op=\"dense\" shape=1 macs=4 params=0 mapping=\"\" "
                         "skip_rows=8\n",
                         "bad.asm"),
               UserError);
  // More zero-operand MACs than MACs is a malformed program.
  EXPECT_THROW(parse_asm(".layer 0 name=\"a\" op=\"dense\" shape=1 macs=4 params=0 mapping=\"\" "
                         "zero_operand_macs=5\n",
                         "bad.asm"),
               UserError);
}

TEST(AsmRoundTrip, SingleLineFormParsesBack) {
  const Program program = sample_program();
  Program header = program;
  header.code.clear();
  std::string text = to_asm(header);
  for (size_t i = 0; i < program.code.size(); ++i) {
    text += to_asm(program.code[i], static_cast<uint32_t>(i), program) + "\n";
  }
  EXPECT_TRUE(parse_asm(text, "lines.asm") == program) << text;
}

TEST(AsmRoundTrip, HandWrittenVariantsParse) {
  // Decimal where the printer uses hex and vice versa, tabs, CRLF line ends, fields in another
  // order, comments everywhere, unquoted strings, and directives after the code.
  const std::string text =
      "; hand written\r\n"
      "\t0\t@0 load.dma sram_stride=0x4 sram=weight+64 dram=305419896 rows=672 row_bytes=3 "
      "dram_stride=678;no space before the comment\r\n"
      "\n"
      "  1 @0 mx.preload   w=weight+0x1000 k=147 n=0x3f stride=65 deps=0 ; conv\n"
      ".layer 0 name=conv op=conv2d shape=1x2 macs=0x10 params=-2 mapping=\"\"\n";
  const Program program = parse_asm(text, "hand.asm");
  ASSERT_EQ(program.code.size(), 2u);
  EXPECT_EQ(program.code[0].payload, Payload{testing::dma_load()});
  MatrixPreload preload = testing::matrix_preload();
  preload.n_cols = 63;
  EXPECT_EQ(program.code[1].payload, Payload{preload});
  EXPECT_EQ(program.code[1].deps, std::vector<uint32_t>{0});
  ASSERT_EQ(program.layers.size(), 1u);
  EXPECT_EQ(program.layers[0].name, "conv");
  EXPECT_EQ(program.layers[0].output_shape, (std::vector<int64_t>{1, 2}));
  EXPECT_EQ(program.layers[0].macs, 16);
  EXPECT_EQ(program.layers[0].params, -2);
}

TEST(AsmRoundTrip, PadValueAndParamsParse) {
  // pv may come anywhere in the window and defaults to 0; params and params_unused both set the
  // address, only params sets has_params.
  const std::string text =
      ".layer 0 name=l op=o shape=1 macs=0 params=0 mapping=\"\"\n"
      "0 @0 mx.matmul in=input+0x0 m=4 k=0+4 n=4 acc=output+0x0 acc_stride=4 "
      "win=pv-7:img1x1:rows0+4:ch4:k1x1:s1x1:d1x1:pad0x0:orow0:ow1\n"
      "1 @0 mx.matmul in=input+0x0 m=4 k=0+4 n=4 acc=output+0x0 acc_stride=4 "
      "win=img1x1:rows0+4:ch4:k1x1:s1x1:d1x1:pad0x0:orow0:ow1:pv0\n"
      "2 @0 vec.softmax src0=output+0x0 params=weight+64 dst=output+0x0 rows=1 cols=4 "
      "src_stride=4 dst_stride=4 src_type=int8 dst_type=int8 act=none\n"
      "3 @0 vec.copy src0=output+0x0 params_unused=weight+0x40 dst=output+0x0 rows=1 cols=4 "
      "src_stride=4 dst_stride=4 src_type=int8 dst_type=int8 act=none\n";
  const Program program = parse_asm(text, "pv.asm");
  ASSERT_EQ(program.code.size(), 4u);
  EXPECT_EQ(std::get<MatrixMultiply>(program.code[0].payload).window.pad_value, -7);
  EXPECT_EQ(std::get<MatrixMultiply>(program.code[1].payload).window.pad_value, 0);
  const auto& softmax = std::get<VectorInstr>(program.code[2].payload);
  EXPECT_TRUE(softmax.has_params);
  EXPECT_EQ(softmax.params, (SramAddr{Buffer::kWeight, 64}));
  EXPECT_FALSE(softmax.has_src1);
  const auto& copy = std::get<VectorInstr>(program.code[3].payload);
  EXPECT_FALSE(copy.has_params);
  EXPECT_EQ(copy.params, (SramAddr{Buffer::kWeight, 64}));
}

TEST(AsmRoundTrip, QuoteEscapesWhatWouldBreakTheLine) {
  EXPECT_EQ(quote("a \"b\" \\c"), R"("a \"b\" \\c")");
  EXPECT_EQ(quote("x\ny\tz\r\x01"), R"("x\ny\tz\r\x01")");
  EXPECT_EQ(quote("é;"), "\"é;\"");
}

TEST(AsmRoundTrip, MnemonicsNameTheirStream) {
  EXPECT_EQ(mnemonic(DmaLoad{}), "load.dma");
  EXPECT_EQ(mnemonic(DmaStore{}), "store.dma");
  EXPECT_EQ(mnemonic(MatrixPreload{}), "mx.preload");
  EXPECT_EQ(mnemonic(MatrixMultiply{}), "mx.matmul");
  for (VectorOp op : kAllOps) {
    EXPECT_EQ(mnemonic(vector_instr(op, VectorActivation::kNone, false)),
              std::string("vec.") + to_string(op));
  }
}

}  // namespace
}  // namespace npu::isa

namespace npu::isa {
namespace {

TEST(AsmOperands, FloatProgramsSayWhatTheirOperandsAre) {
  Program program;
  program.operand_type = ElementType::kBf16;
  program.layers.push_back({"fc", "dense", {1, 4}, 16, 20, ""});
  const std::string text = to_asm(program);
  EXPECT_NE(text.find("\n.operands bf16\n"), std::string::npos) << text;
  EXPECT_TRUE(parse_asm(text, "p.asm") == program);
  // int8, the default, is left out.
  program.operand_type = ElementType::kInt8;
  EXPECT_EQ(to_asm(program).find(".operands"), std::string::npos);
}

TEST(AsmOperands, UnknownTypeIsAnError) {
  try {
    parse_asm(".operands fp61\n", "p.asm");
    FAIL() << "expected a UserError";
  } catch (const npu::UserError& error) {
    EXPECT_NE(std::string(error.what()).find("p.asm:1: .operands: "), std::string::npos)
        << error.what();
    EXPECT_NE(std::string(error.what()).find("fp16"), std::string::npos) << error.what();
  }
}

}  // namespace
}  // namespace npu::isa
