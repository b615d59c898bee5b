// Pins the text form: one printed line per instruction kind, and a whole small program with its
// column alignment. A change here is a change to the format docs/isa.md describes.

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "arch/user_error.h"
#include "isa/asm_parser.h"
#include "isa/asm_printer.h"
#include "tests/unit/isa/sample_program.h"

namespace npu::isa {
namespace {

using testing::instruction;

// A 1x224x224x3 image through a 7x7/2 conv (pad 3) to 112x112x64: the first matrix tile covers
// output rows 0..3 (m = 4 * 112 = 448), which read input rows -3..9 (13 rows, 3 of them padding).
Program conv1_program() {
  Program p;
  p.layers = {{"conv1", "conv2d", {1, 112, 112, 64}, 118013952, 9472, "ws k=147 n=64"},
              {"pool1", "maxpool", {1, 56, 56, 64}, 0, 0, ""}};
  p.tensors = {{"image", 0x0, 150528}, {"conv1.weight", 0x24c00, 9408}};

  DmaLoad load;
  load.dram_addr = 0x24c00;
  load.sram = {Buffer::kWeight, 0x0};
  load.rows = 147;
  load.row_bytes = 64;
  load.dram_stride = 64;
  load.sram_stride = 64;
  p.code.push_back(instruction(load, 0, {}));

  MatrixPreload preload;
  preload.weights = {Buffer::kWeight, 0x0};
  preload.k_rows = 147;
  preload.n_cols = 64;
  preload.row_stride = 64;
  p.code.push_back(instruction(preload, 0, {0}));

  MatrixMultiply mm;
  mm.input = {Buffer::kInput, 0x0};
  mm.window = {224, 224, -3, 13, 3, 7, 7, 2, 2, 1, 1, 3, 3, 0, 112};
  mm.m_rows = 448;
  mm.k_begin = 0;
  mm.k_rows = 147;
  mm.n_cols = 64;
  mm.acc = {Buffer::kOutput, 0x0};
  mm.acc_row_stride = 64;
  p.code.push_back(instruction(mm, 0, {}));

  VectorInstr requant;
  requant.op = VectorOp::kRequant;
  requant.activation = VectorActivation::kRelu;
  requant.src0 = {Buffer::kOutput, 0x0};
  requant.params = {Buffer::kWeight, 0x24c0};
  requant.has_params = true;
  requant.dst = {Buffer::kOutput, 0x1c000};
  requant.rows = 448;
  requant.cols = 64;
  requant.src_row_stride = 64;
  requant.dst_row_stride = 64;
  requant.src_type = ElementType::kInt32;
  requant.dst_type = ElementType::kInt8;
  p.code.push_back(instruction(requant, 0, {2}));

  VectorInstr pool;
  pool.op = VectorOp::kMaxPool;
  pool.src0 = {Buffer::kOutput, 0x1c000};
  pool.dst = {Buffer::kOutput, 0x23000};
  pool.rows = 56;
  pool.cols = 64;
  pool.src_row_stride = 64;
  pool.dst_row_stride = 64;
  pool.window = {112, 112, -1, 3, 64, 3, 3, 2, 2, 1, 1, 1, 1, 0, 56};
  p.code.push_back(instruction(pool, 1, {}));

  VectorInstr act;
  act.op = VectorOp::kActivation;
  act.activation = VectorActivation::kRelu6;
  act.src0 = {Buffer::kOutput, 0x23000};
  act.params = {Buffer::kWeight, 0x2800};  // the 256-byte lookup table
  act.has_params = true;
  act.dst = {Buffer::kOutput, 0x23000};
  act.rows = 56;
  act.cols = 64;
  act.src_row_stride = 64;
  act.dst_row_stride = 64;
  p.code.push_back(instruction(act, 1, {}));

  DmaStore store;
  store.sram = {Buffer::kOutput, 0x23000};
  store.dram_addr = 0x27100;
  store.rows = 56;
  store.row_bytes = 64;
  store.sram_stride = 64;
  store.dram_stride = 3584;
  p.code.push_back(instruction(store, 1, {5}));
  return p;
}

std::string line(const Program& program, uint32_t index) {
  return to_asm(program.code.at(index), index, program);
}

TEST(AsmGolden, DmaLoad) {
  EXPECT_EQ(line(conv1_program(), 0),
            "0  @0  load.dma dram=0x24c00 sram=weight+0x0 rows=147 row_bytes=64 dram_stride=64 "
            "sram_stride=64  ; conv1");
}

TEST(AsmGolden, MatrixPreload) {
  EXPECT_EQ(line(conv1_program(), 1),
            "1  @0  mx.preload w=weight+0x0 k=147 n=64 stride=64 deps=0  ; conv1");
}

TEST(AsmGolden, CompressedMatrixPreloadRoundTrips) {
  Program p = conv1_program();
  auto& preload = std::get<MatrixPreload>(p.code[1].payload);
  preload.compression = {2, 4, 2};
  EXPECT_EQ(
      line(p, 1),
      "1  @0  mx.preload w=weight+0x0 k=147 n=64 stride=64 nm=2:4 index_bits=2 deps=0  ; conv1");
  EXPECT_EQ(parse_asm(to_asm(p), "nm.asm"), p);
  // Indices that cannot number the group's positions, and indices without a pattern.
  const std::string head =
      ".layer 0 name=\"a\" op=\"dense\" shape=1 macs=4 params=0 mapping=\"\"\n";
  EXPECT_THROW(
      parse_asm(head + "0 @0 mx.preload w=weight+0x0 k=8 n=1 stride=1 nm=2:8 index_bits=2\n",
                "bad.asm"),
      UserError);
  EXPECT_THROW(
      parse_asm(head + "0 @0 mx.preload w=weight+0x0 k=8 n=1 stride=1 index_bits=2\n", "bad.asm"),
      UserError);
  EXPECT_NO_THROW(parse_asm(
      head + "0 @0 mx.preload w=weight+0x0 k=8 n=1 stride=1 nm=2:8 index_bits=3\n", "ok.asm"));
}

TEST(AsmGolden, MatrixMultiply) {
  EXPECT_EQ(line(conv1_program(), 2),
            "2  @0  mx.matmul in=input+0x0 m=448 k=0+147 n=64 acc=output+0x0 acc_stride=64 "
            "win=img224x224:rows-3+13:ch3:k7x7:s2x2:d1x1:pad3x3:orow0:ow112  ; conv1");
}

TEST(AsmGolden, MatrixMultiplyAccumulating) {
  Program p = conv1_program();
  // The last of three K folds on a 64-row array (0+64, 64+64, 128+19), adding to the partial sums.
  auto& mm = std::get<MatrixMultiply>(p.code[2].payload);
  mm.accumulate = true;
  mm.k_begin = 128;
  mm.k_rows = 19;
  p.code[2].deps = {0};
  EXPECT_EQ(line(p, 2),
            "2  @0  mx.matmul in=input+0x0 m=448 k=128+19 n=64 acc=output+0x0 acc_stride=64 "
            "accumulate deps=0 win=img224x224:rows-3+13:ch3:k7x7:s2x2:d1x1:pad3x3:orow0:ow112  "
            "; conv1");
}

TEST(AsmGolden, MatrixMultiplyWithPadValue) {
  Program p = conv1_program();
  // An input with zero point -3: padding taps read -3, the real value 0.
  std::get<MatrixMultiply>(p.code[2].payload).window.pad_value = -3;
  EXPECT_EQ(line(p, 2),
            "2  @0  mx.matmul in=input+0x0 m=448 k=0+147 n=64 acc=output+0x0 acc_stride=64 "
            "win=img224x224:rows-3+13:ch3:k7x7:s2x2:d1x1:pad3x3:orow0:ow112:pv-3  ; conv1");
  std::get<MatrixMultiply>(p.code[2].payload).window.pad_value = 127;
  EXPECT_EQ(line(p, 2),
            "2  @0  mx.matmul in=input+0x0 m=448 k=0+147 n=64 acc=output+0x0 acc_stride=64 "
            "win=img224x224:rows-3+13:ch3:k7x7:s2x2:d1x1:pad3x3:orow0:ow112:pv127  ; conv1");
}

TEST(AsmGolden, MatrixMultiplyWithChannelSlice) {
  Program p = conv1_program();
  // Channels 1..2 of the 3-channel pixels (a group's slice of a shared patch): chs follows ch.
  // Without a slice (channels 0) nothing is printed, as above.
  auto& window = std::get<MatrixMultiply>(p.code[2].payload).window;
  window.channel_offset = 1;
  window.channels = 2;
  EXPECT_EQ(line(p, 2),
            "2  @0  mx.matmul in=input+0x0 m=448 k=0+147 n=64 acc=output+0x0 acc_stride=64 "
            "win=img224x224:rows-3+13:ch3:chs1+2:k7x7:s2x2:d1x1:pad3x3:orow0:ow112  ; conv1");
  window.pad_value = -3;
  EXPECT_EQ(line(p, 2),
            "2  @0  mx.matmul in=input+0x0 m=448 k=0+147 n=64 acc=output+0x0 acc_stride=64 "
            "win=img224x224:rows-3+13:ch3:chs1+2:k7x7:s2x2:d1x1:pad3x3:orow0:ow112:pv-3  ; conv1");
}

TEST(AsmGolden, VectorRequantWithParameters) {
  EXPECT_EQ(line(conv1_program(), 3),
            "3  @0  vec.requant src0=output+0x0 params=weight+0x24c0 dst=output+0x1c000 rows=448 "
            "cols=64 src_stride=64 dst_stride=64 src_type=int32 dst_type=int8 act=relu deps=2  ; conv1");
}

TEST(AsmGolden, VectorRequantToAFloatFormat) {
  // An fp16 model: fp32 accumulators in, fp16 out.
  Program p = conv1_program();
  auto& requant = std::get<VectorInstr>(p.code[3].payload);
  requant.src_type = ElementType::kFp32;
  requant.dst_type = ElementType::kFp16;
  EXPECT_EQ(line(p, 3),
            "3  @0  vec.requant src0=output+0x0 params=weight+0x24c0 dst=output+0x1c000 rows=448 "
            "cols=64 src_stride=64 dst_stride=64 src_type=fp32 dst_type=fp16 act=relu deps=2  "
            "; conv1");
  requant.dst_type = ElementType::kBf16;
  EXPECT_EQ(line(p, 3),
            "3  @0  vec.requant src0=output+0x0 params=weight+0x24c0 dst=output+0x1c000 rows=448 "
            "cols=64 src_stride=64 dst_stride=64 src_type=fp32 dst_type=bf16 act=relu deps=2  "
            "; conv1");
}

TEST(AsmGolden, VectorAddWithSecondOperandAndParameters) {
  Program p = conv1_program();
  auto& add = std::get<VectorInstr>(p.code[5].payload);
  add.op = VectorOp::kAdd;
  add.activation = VectorActivation::kNone;
  add.src1 = {Buffer::kInput, 0x3800};
  add.has_src1 = true;
  add.params = {Buffer::kWeight, 0x0};
  add.has_params = true;
  EXPECT_EQ(line(p, 5),
            "5  @1  vec.add src0=output+0x23000 src1=input+0x3800 params=weight+0x0 "
            "dst=output+0x23000 rows=56 cols=64 src_stride=64 dst_stride=64 src_type=int8 "
            "dst_type=int8 act=none  ; pool1");
}

TEST(AsmGolden, VectorLayerNorm) {
  Program p = conv1_program();
  auto& norm = std::get<VectorInstr>(p.code[5].payload);
  norm.op = VectorOp::kLayerNorm;
  norm.activation = VectorActivation::kNone;
  norm.params = {Buffer::kWeight, 0x8000};
  norm.has_params = true;
  EXPECT_EQ(line(p, 5),
            "5  @1  vec.layernorm src0=output+0x23000 params=weight+0x8000 dst=output+0x23000 "
            "rows=56 cols=64 src_stride=64 dst_stride=64 src_type=int8 dst_type=int8 act=none  "
            "; pool1");
}

TEST(AsmGolden, VectorPoolWithWindow) {
  EXPECT_EQ(line(conv1_program(), 4),
            "4  @1  vec.maxpool src0=output+0x1c000 dst=output+0x23000 rows=56 cols=64 "
            "src_stride=64 dst_stride=64 src_type=int8 dst_type=int8 act=none "
            "win=img112x112:rows-1+3:ch64:k3x3:s2x2:d1x1:pad1x1:orow0:ow56  ; pool1");
}

TEST(AsmGolden, VectorUnaryWithoutSrc1) {
  EXPECT_EQ(line(conv1_program(), 5),
            "5  @1  vec.act src0=output+0x23000 params=weight+0x2800 dst=output+0x23000 rows=56 "
            "cols=64 src_stride=64 dst_stride=64 src_type=int8 dst_type=int8 act=relu6  ; pool1");
}

TEST(AsmGolden, VectorUnusedSrc1IsKept) {
  Program p = conv1_program();
  std::get<VectorInstr>(p.code[5].payload).src1 = {Buffer::kInput, 0x40};
  EXPECT_EQ(line(p, 5),
            "5  @1  vec.act src0=output+0x23000 src1_unused=input+0x40 params=weight+0x2800 "
            "dst=output+0x23000 rows=56 cols=64 src_stride=64 dst_stride=64 src_type=int8 "
            "dst_type=int8 act=relu6  ; pool1");
}

TEST(AsmGolden, VectorUnusedParamsAreKept) {
  Program p = conv1_program();
  std::get<VectorInstr>(p.code[5].payload).has_params = false;
  EXPECT_EQ(line(p, 5),
            "5  @1  vec.act src0=output+0x23000 params_unused=weight+0x2800 dst=output+0x23000 "
            "rows=56 cols=64 src_stride=64 dst_stride=64 src_type=int8 dst_type=int8 act=relu6  "
            "; pool1");
}

TEST(AsmGolden, DmaStore) {
  EXPECT_EQ(line(conv1_program(), 6),
            "6  @1  store.dma sram=output+0x23000 dram=0x27100 rows=56 row_bytes=64 "
            "sram_stride=64 dram_stride=3584 deps=5  ; pool1");
}

TEST(AsmGolden, OutOfRangeLayerStillPrints) {
  Program p = conv1_program();
  p.code[0].layer = 7;
  EXPECT_EQ(line(p, 0),
            "0  @7  load.dma dram=0x24c00 sram=weight+0x0 rows=147 row_bytes=64 dram_stride=64 "
            "sram_stride=64  ; (no such layer)");
}

TEST(AsmGolden, WholeProgramIsAlignedInColumns) {
  const std::string expected =
      "; npusim assembly: 2 layers, 2 DRAM tensors, 7 instructions\n"
      ".layer 0 name=\"conv1\" op=\"conv2d\"  shape=1x112x112x64 macs=118013952 params=9472 "
      "mapping=\"ws k=147 n=64\"\n"
      ".layer 1 name=\"pool1\" op=\"maxpool\" shape=1x56x56x64   macs=0         params=0    "
      "mapping=\"\"\n"
      ".tensor name=\"image\"        addr=0x0     bytes=150528\n"
      ".tensor name=\"conv1.weight\" addr=0x24c00 bytes=9408\n"
      "\n"
      "0  @0  load.dma    dram=0x24c00 sram=weight+0x0 rows=147 row_bytes=64 dram_stride=64 "
      "sram_stride=64  ; conv1\n"
      "1  @0  mx.preload  w=weight+0x0 k=147 n=64 stride=64 deps=0  ; conv1\n"
      "2  @0  mx.matmul   in=input+0x0 m=448 k=0+147 n=64 acc=output+0x0 acc_stride=64 "
      "win=img224x224:rows-3+13:ch3:k7x7:s2x2:d1x1:pad3x3:orow0:ow112  ; conv1\n"
      "3  @0  vec.requant src0=output+0x0     params=weight+0x24c0 dst=output+0x1c000 rows=448 "
      "cols=64 src_stride=64 dst_stride=64 src_type=int32 dst_type=int8 act=relu  deps=2  ; conv1\n"
      "4  @1  vec.maxpool src0=output+0x1c000                      dst=output+0x23000 rows=56  "
      "cols=64 src_stride=64 dst_stride=64 src_type=int8  dst_type=int8 act=none         "
      "win=img112x112:rows-1+3:ch64:k3x3:s2x2:d1x1:pad1x1:orow0:ow56  ; pool1\n"
      "5  @1  vec.act     src0=output+0x23000 params=weight+0x2800 dst=output+0x23000 rows=56  "
      "cols=64 src_stride=64 dst_stride=64 src_type=int8  dst_type=int8 act=relu6  ; pool1\n"
      "6  @1  store.dma   sram=output+0x23000 dram=0x27100 rows=56 row_bytes=64 sram_stride=64 "
      "dram_stride=3584 deps=5  ; pool1\n";
  EXPECT_EQ(to_asm(conv1_program()), expected);
  EXPECT_TRUE(parse_asm(expected, "golden.asm") == conv1_program());
}

// docs/isa.md's example listing is exactly what the printer produces for it, so the page cannot
// drift from the format.
TEST(AsmGolden, DocsExampleIsPrinterOutput) {
  std::ifstream file(std::string(NPUSIM_SOURCE_DIR) + "/docs/isa.md");
  ASSERT_TRUE(file) << "cannot open docs/isa.md";
  std::stringstream contents;
  contents << file.rdbuf();
  const std::string doc = contents.str();
  const size_t begin = doc.find("```\n; npusim assembly");
  ASSERT_NE(begin, std::string::npos) << "no example listing in docs/isa.md";
  const size_t end = doc.find("```", begin + 3);
  const std::string listing = doc.substr(begin + 4, end - begin - 4);
  EXPECT_EQ(to_asm(parse_asm(listing, "docs/isa.md")), listing);
}

}  // namespace
}  // namespace npu::isa
