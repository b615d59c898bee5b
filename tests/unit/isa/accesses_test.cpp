// SRAM access sets per opcode, each range worked out by hand from the rules in docs/isa.md.

#include "isa/accesses.h"

#include <gtest/gtest.h>

#include <limits>
#include <ostream>

#include "tests/unit/isa/sample_program.h"

namespace npu::isa {

// Lets gtest print a failing region readably.
void PrintTo(const SramRegion& region, std::ostream* os) {
  *os << to_string(region.buffer) << "[" << region.begin << ", " << region.end << ")";
}

namespace {

using testing::instruction;
using testing::vector_instr;
using Regions = std::vector<SramRegion>;

Accesses accesses(const Payload& payload, int operand_bytes = 1) {
  return sram_accesses(instruction(payload, 0, {}), operand_bytes);
}

TEST(SramAccesses, DmaLoadWritesItsStridedBlock) {
  // sram weight+0x40 = 64; last row starts 671 * 4 = 2684 later and is 3 bytes long:
  // [64, 64 + 2684 + 3) = [64, 2751).
  const Accesses a = accesses(testing::dma_load());
  EXPECT_EQ(a.reads, Regions{});
  EXPECT_EQ(a.writes, (Regions{{Buffer::kWeight, 64, 2751}}));
}

TEST(SramAccesses, DmaLoadEdgeCases) {
  DmaLoad load = testing::dma_load();
  load.rows = 1;  // one row: the stride does not matter, [64, 67)
  EXPECT_EQ(accesses(load).writes, (Regions{{Buffer::kWeight, 64, 67}}));
  load.rows = 5;
  load.row_bytes = 8;
  load.sram_stride = 0;  // every row lands on the same 8 bytes
  EXPECT_EQ(accesses(load).writes, (Regions{{Buffer::kWeight, 64, 72}}));
  load.rows = 0;
  EXPECT_EQ(accesses(load).writes, Regions{});
  load.rows = 5;
  load.row_bytes = 0;
  EXPECT_EQ(accesses(load).writes, Regions{});
}

TEST(SramAccesses, DmaStoreReadsItsStridedBlock) {
  // output+0x200 = 512; 512 + 55 * 72 + 64 = 4536.
  const Accesses a = accesses(testing::dma_store());
  EXPECT_EQ(a.reads, (Regions{{Buffer::kOutput, 512, 4536}}));
  EXPECT_EQ(a.writes, Regions{});
  DmaStore empty = testing::dma_store();
  empty.rows = 0;
  EXPECT_EQ(accesses(empty).reads, Regions{});
}

TEST(SramAccesses, MatrixPreloadReadsKRowsOfNElements) {
  // weight+0x1000 = 4096; (146 * 65 + 63) elements = 9553; int8: [4096, 13649).
  EXPECT_EQ(accesses(testing::matrix_preload()).reads, (Regions{{Buffer::kWeight, 4096, 13649}}));
  // 2-byte operands: 9553 * 2 = 19106 bytes, [4096, 23202).
  EXPECT_EQ(accesses(testing::matrix_preload(), 2).reads,
            (Regions{{Buffer::kWeight, 4096, 23202}}));
  EXPECT_EQ(accesses(testing::matrix_preload()).writes, Regions{});
  MatrixPreload empty = testing::matrix_preload();
  empty.k_rows = 0;
  EXPECT_EQ(accesses(empty).reads, Regions{});
}

TEST(SramAccesses, CompressedPreloadReadsKeptRowsThenIndices) {
  // 128 dense rows of 64 columns in 2:4 with 2-bit indices: 64 kept rows of 64 int8 values =
  // 4096 B, then 64 x 64 indices x 2 bits / 8 = 1024 B: [4096, 4096 + 5120) = [4096, 9216).
  MatrixPreload preload;
  preload.weights = {Buffer::kWeight, 4096};
  preload.k_rows = 128;
  preload.n_cols = 64;
  preload.row_stride = 64;
  preload.compression = {2, 4, 2};
  EXPECT_EQ(accesses(preload).reads, (Regions{{Buffer::kWeight, 4096, 9216}}));
  // fp16: 64 x 64 x 2 = 8192 B of values, the same 1024 B of indices: [4096, 13312).
  EXPECT_EQ(accesses(preload, 2).reads, (Regions{{Buffer::kWeight, 4096, 13312}}));
  // 6 rows x 3 columns: kept 2 + min(2, 2) = 4 rows, 12 values (12 B) and 24 bits of indices (3 B).
  preload.k_rows = 6;
  preload.n_cols = 3;
  preload.row_stride = 3;
  EXPECT_EQ(accesses(preload).reads, (Regions{{Buffer::kWeight, 4096, 4111}}));
  // 5 rows, 1 column, 3-bit indices: 3 kept values, 9 bits round up to 2 B: 3 + 2 = 5 B.
  preload.k_rows = 5;
  preload.n_cols = 1;
  preload.row_stride = 1;
  preload.compression.index_bits = 3;
  EXPECT_EQ(accesses(preload).reads, (Regions{{Buffer::kWeight, 4096, 4101}}));
}

// A 3x3 conv window (stride 1, padding 1) over a patch of image rows 2..5 (4 rows x 10 columns x 3
// channels, 30 bytes a row) at input+100, for output rows from 2 on, 10 pixels wide.
MatrixMultiply conv_rows_multiply() {
  MatrixMultiply mm;
  mm.input = {Buffer::kInput, 100};
  mm.window.image_h = 8;
  mm.window.image_w = 10;
  mm.window.patch_row0 = 2;
  mm.window.patch_h = 4;
  mm.window.patch_c = 3;
  mm.window.kernel_h = mm.window.kernel_w = 3;
  mm.window.pad_top = mm.window.pad_left = 1;
  mm.window.out_row0 = 2;
  mm.window.out_w = 10;
  mm.m_begin = 10;  // output row 3
  mm.m_rows = 10;
  mm.k_begin = 0;   // all 27 taps
  mm.k_rows = 27;
  mm.n_cols = 4;
  mm.acc = {Buffer::kOutput, 256};
  mm.acc_row_stride = 4;
  return mm;
}

TEST(SramAccesses, MatrixMultiplyReadsOnlyThePatchRowsItsRowsAndTapsReach) {
  // Output row 3 with kernel rows 0..2 reads image rows 3 - 1 + 0 = 2 to 3 - 1 + 2 = 4: patch rows
  // 0..2, bytes [100, 100 + 3 x 30). Accumulators (9 x 4 + 4) x 4 = 160 bytes at 256.
  const Accesses a = accesses(conv_rows_multiply());
  EXPECT_EQ(a.reads, (Regions{{Buffer::kInput, 100, 190}}));
  EXPECT_EQ(a.writes, (Regions{{Buffer::kOutput, 256, 416}}));
  // Kernel row 2 only (taps 18..26): image row 4 = patch row 2, [160, 190).
  MatrixMultiply last_row = conv_rows_multiply();
  last_row.k_begin = 18;
  last_row.k_rows = 9;
  EXPECT_EQ(accesses(last_row).reads, (Regions{{Buffer::kInput, 160, 190}}));
  // 2-byte operands double the patch bytes, not the 4-byte accumulators.
  const Accesses wide = accesses(conv_rows_multiply(), 2);
  EXPECT_EQ(wide.reads, (Regions{{Buffer::kInput, 100, 280}}));
  EXPECT_EQ(wide.writes, (Regions{{Buffer::kOutput, 256, 416}}));
  // Output rows 2..3 (m 0..19): image rows 1..4, clipped to the patch's first row (2): patch rows
  // 0..2 again.
  MatrixMultiply two_rows = conv_rows_multiply();
  two_rows.m_begin = 0;
  two_rows.m_rows = 20;
  EXPECT_EQ(accesses(two_rows).reads, (Regions{{Buffer::kInput, 100, 190}}));
}

TEST(SramAccesses, ChannelSliceSplitsColumnsOverItsChannelsButReadsWholePatchRows) {
  // The same window over 6-channel pixels (60 bytes a patch row), reading channels 3..5: columns
  // decompose over the slice's 3 channels, so k 18..26 is still kernel row 2, image row 4 =
  // patch row 2, and the whole row is read: [100 + 2 x 60, 100 + 3 x 60) = [220, 280). Split
  // over all 6 channels instead, k 18..26 would be kernel row 1 (patch row 1, [160, 220)).
  MatrixMultiply mm = conv_rows_multiply();
  mm.window.patch_c = 6;
  mm.window.channel_offset = 3;
  mm.window.channels = 3;
  mm.k_begin = 18;
  mm.k_rows = 9;
  EXPECT_EQ(accesses(mm).reads, (Regions{{Buffer::kInput, 220, 280}}));
  // All 27 taps: patch rows 0..2, [100, 280).
  mm.k_begin = 0;
  mm.k_rows = 27;
  EXPECT_EQ(accesses(mm).reads, (Regions{{Buffer::kInput, 100, 280}}));
}

TEST(SramAccesses, AccumulatingMatrixMultiplyAlsoReadsAccumulators) {
  MatrixMultiply mm = conv_rows_multiply();
  mm.accumulate = true;
  const Accesses a = accesses(mm);
  EXPECT_EQ(a.reads, (Regions{{Buffer::kInput, 100, 190}, {Buffer::kOutput, 256, 416}}));
  EXPECT_EQ(a.writes, (Regions{{Buffer::kOutput, 256, 416}}));
}

TEST(SramAccesses, MatrixMultiplyEdgeCases) {
  MatrixMultiply mm = testing::matrix_multiply(true);
  mm.k_rows = 0;  // empty sums: accumulators still written (and read back), no input streamed
  EXPECT_EQ(accesses(mm).reads, (Regions{{Buffer::kOutput, 256, 118516}}));
  EXPECT_EQ(accesses(mm).writes, (Regions{{Buffer::kOutput, 256, 118516}}));
  mm = testing::matrix_multiply(true);
  mm.m_rows = 0;
  EXPECT_EQ(accesses(mm).reads, Regions{});
  EXPECT_EQ(accesses(mm).writes, Regions{});
  mm = testing::matrix_multiply(false);
  mm.n_cols = 0;
  EXPECT_EQ(accesses(mm).reads, Regions{});
  EXPECT_EQ(accesses(mm).writes, Regions{});
  mm = testing::matrix_multiply(false);
  mm.m_rows = 1;
  mm.n_cols = 1;  // a single accumulator: 4 bytes
  EXPECT_EQ(accesses(mm).writes, (Regions{{Buffer::kOutput, 256, 260}}));
  mm.window.patch_h = 0;  // an all-padding tile reads no SRAM
  EXPECT_EQ(accesses(mm).reads, Regions{});
}

// The sample vector operands: src0 output+0x100 = 256, src1 weight+0x2000 = 8192, params
// weight+0x3000 = 12288, dst input+0x800 = 2048; 448 rows x 63 cols; src rows 66 fp32 elements
// (4 bytes) apart, dst rows 64 bf16 elements (2 bytes) apart.
// src0: (447 * 66 + 63) * 4 = 118260 bytes -> [256, 118516)
// dst:  (447 * 64 + 63) * 2 = 57342 bytes  -> [2048, 59390)
// With an int8 dst: (447 * 64 + 63) * 1 = 28671 bytes -> [2048, 30719)
const SramRegion kSrc0{Buffer::kOutput, 256, 118516};
const SramRegion kDst{Buffer::kInput, 2048, 59390};
const SramRegion kInt8Dst{Buffer::kInput, 2048, 30719};
constexpr uint32_t kParams = 12288;

Accesses vector_accesses(VectorOp op, bool has_src1, bool has_params = false) {
  return accesses(vector_instr(op, VectorActivation::kNone, has_src1, has_params));
}

// The sample operands writing `dst_type` (the parameter block's layout follows it).
Accesses vector_accesses_to(ElementType dst_type, VectorOp op, bool has_src1 = false) {
  VectorInstr v = vector_instr(op, VectorActivation::kNone, has_src1, true);
  v.dst_type = dst_type;
  return accesses(v);
}

constexpr ElementType kAllTypes[] = {ElementType::kInt8, ElementType::kInt32, ElementType::kFp16,
                                     ElementType::kBf16, ElementType::kFp32};
constexpr ElementType kFloatTypes[] = {ElementType::kFp16, ElementType::kBf16, ElementType::kFp32};

TEST(ElementTypes, SizesAndNames) {
  EXPECT_EQ(element_bytes(ElementType::kInt8), 1);
  EXPECT_EQ(element_bytes(ElementType::kInt32), 4);
  EXPECT_EQ(element_bytes(ElementType::kFp16), 2);
  EXPECT_EQ(element_bytes(ElementType::kBf16), 2);
  EXPECT_EQ(element_bytes(ElementType::kFp32), 4);
  EXPECT_FALSE(is_float(ElementType::kInt8));
  EXPECT_FALSE(is_float(ElementType::kInt32));
  for (ElementType type : kFloatTypes) EXPECT_TRUE(is_float(type)) << to_string(type);
  EXPECT_STREQ(to_string(ElementType::kInt8), "int8");
  EXPECT_STREQ(to_string(ElementType::kInt32), "int32");
  EXPECT_STREQ(to_string(ElementType::kFp16), "fp16");
  EXPECT_STREQ(to_string(ElementType::kBf16), "bf16");
  EXPECT_STREQ(to_string(ElementType::kFp32), "fp32");
}

TEST(ParamsBytes, Int8OutputBlocks) {
  constexpr ElementType kInt8 = ElementType::kInt8;
  // Per-channel records: requant 12 B, scale_shift 16 B per column; 63 columns.
  EXPECT_EQ(params_bytes(VectorOp::kRequant, 63, kInt8), 63u * 12);
  EXPECT_EQ(params_bytes(VectorOp::kScaleShift, 63, kInt8), 63u * 16);
  // Whole-op blocks do not depend on the columns.
  for (uint32_t cols : {0u, 1u, 63u}) {
    EXPECT_EQ(params_bytes(VectorOp::kAdd, cols, kInt8), 48u);
    EXPECT_EQ(params_bytes(VectorOp::kMul, cols, kInt8), 32u);
    EXPECT_EQ(params_bytes(VectorOp::kActivation, cols, kInt8), 256u);
    EXPECT_EQ(params_bytes(VectorOp::kSoftmax, cols, kInt8), 16u);
  }
  // layernorm: a 32-byte header, then gamma and beta (2 x float32) per column: 32 + 8 x 63 = 536.
  EXPECT_EQ(params_bytes(VectorOp::kLayerNorm, 63, kInt8), 536u);
  EXPECT_EQ(params_bytes(VectorOp::kLayerNorm, 0, kInt8), 32u);
  EXPECT_EQ(params_bytes(VectorOp::kRequant, 0, kInt8), 0u);
  for (VectorOp op : {VectorOp::kMaxPool, VectorOp::kAvgPool, VectorOp::kGlobalAvgPool,
                      VectorOp::kCopy, VectorOp::kTranspose}) {
    EXPECT_EQ(params_bytes(op, 63, kInt8), 0u) << to_string(op);
  }
  EXPECT_EQ(kRequantParamBytes, 12u);
  EXPECT_EQ(kScaleShiftParamBytes, 16u);
  EXPECT_EQ(kAddParamBytes, 48u);
  // mul: int32 z1, z2, M0, shift, z_out, q_min, q_max and one unused: 8 x 4.
  EXPECT_EQ(kMulParamBytes, 32u);
  EXPECT_EQ(kActivationTableBytes, 256u);
  // softmax: float32 s_in, int32 z_in, float32 1/s_out, int32 z_out.
  EXPECT_EQ(kSoftmaxParamBytes, 16u);
  EXPECT_EQ(kLayerNormHeaderBytes, 32u);
  EXPECT_EQ(kLayerNormChannelBytes, 8u);
}

TEST(ParamsBytes, FloatOutputBlocks) {
  for (ElementType type : kFloatTypes) {
    SCOPED_TRACE(to_string(type));
    // requant: float32 bias, lo, hi per column, 12 B like int8's record.
    EXPECT_EQ(params_bytes(VectorOp::kRequant, 63, type), 63u * 12);
    // scale_shift: float32 a, b per column.
    EXPECT_EQ(params_bytes(VectorOp::kScaleShift, 63, type), 63u * 8);
    for (uint32_t cols : {0u, 1u, 63u}) {
      EXPECT_EQ(params_bytes(VectorOp::kAdd, cols, type), 8u);  // float32 lo, hi
      EXPECT_EQ(params_bytes(VectorOp::kMul, cols, type), 8u);  // float32 lo, hi
      // act and softmax compute in float32 from the instruction alone: no block.
      EXPECT_EQ(params_bytes(VectorOp::kActivation, cols, type), 0u);
      EXPECT_EQ(params_bytes(VectorOp::kSoftmax, cols, type), 0u);
    }
    // layernorm keeps the int8 layout (only eps and gamma/beta are used): 32 + 8 x 63.
    EXPECT_EQ(params_bytes(VectorOp::kLayerNorm, 63, type), 536u);
    for (VectorOp op : {VectorOp::kMaxPool, VectorOp::kAvgPool, VectorOp::kGlobalAvgPool,
                        VectorOp::kCopy, VectorOp::kTranspose}) {
      EXPECT_EQ(params_bytes(op, 63, type), 0u) << to_string(op);
    }
  }
  EXPECT_EQ(kFloatScaleShiftParamBytes, 8u);
  EXPECT_EQ(kFloatAddParamBytes, 8u);
  EXPECT_EQ(kFloatMulParamBytes, 8u);
}

TEST(ParamsBytes, InstructionUsesItsOpColumnsAndOutputType) {
  for (VectorOp op :
       {VectorOp::kRequant, VectorOp::kAdd, VectorOp::kActivation, VectorOp::kScaleShift,
        VectorOp::kMaxPool, VectorOp::kAvgPool, VectorOp::kGlobalAvgPool, VectorOp::kSoftmax,
        VectorOp::kCopy, VectorOp::kLayerNorm, VectorOp::kMul, VectorOp::kTranspose}) {
    for (ElementType src : kAllTypes) {
      for (ElementType dst : kAllTypes) {
        VectorInstr v;
        v.op = op;
        v.cols = 63;
        v.src_type = src;
        v.dst_type = dst;
        // The source type does not matter: requant reads int32 or fp32 with the same record size.
        EXPECT_EQ(params_bytes(v), params_bytes(op, 63, dst))
            << to_string(op) << " " << to_string(src) << " -> " << to_string(dst);
      }
    }
  }
}

TEST(ParamsBytes, SaturatesInsteadOfWrapping) {
  constexpr uint32_t kTop = std::numeric_limits<uint32_t>::max();
  // (2^32 - 1) x 12 and 32 + (2^32 - 1) x 8 exceed 32 bits.
  EXPECT_EQ(params_bytes(VectorOp::kRequant, kTop, ElementType::kInt8), kTop);
  EXPECT_EQ(params_bytes(VectorOp::kLayerNorm, kTop, ElementType::kFp16), kTop);
  EXPECT_EQ(params_bytes(VectorOp::kScaleShift, kTop, ElementType::kBf16), kTop);
  // The largest block that still fits: 357913941 x 12 = 4294967292 < 2^32 - 1.
  EXPECT_EQ(params_bytes(VectorOp::kRequant, 357913941, ElementType::kInt8), 4294967292u);
}

TEST(SramAccesses, RequantReadsTwelveByteParametersPerColumn) {
  // 63 * 12 = 756 -> [12288, 13044), to int8 and to a float format alike.
  const Accesses to_int8 = vector_accesses_to(ElementType::kInt8, VectorOp::kRequant);
  EXPECT_EQ(to_int8.reads, (Regions{kSrc0, {Buffer::kWeight, kParams, 13044}}));
  EXPECT_EQ(to_int8.writes, Regions{kInt8Dst});
  const Accesses to_bf16 = vector_accesses(VectorOp::kRequant, false, true);
  EXPECT_EQ(to_bf16.reads, (Regions{kSrc0, {Buffer::kWeight, kParams, 13044}}));
  EXPECT_EQ(to_bf16.writes, Regions{kDst});
}

TEST(SramAccesses, ScaleShiftReadsSixteenOrEightByteParametersPerColumn) {
  // int8: 63 * 16 = 1008 -> [12288, 13296); float: 63 * 8 = 504 -> [12288, 12792)
  const Accesses to_int8 = vector_accesses_to(ElementType::kInt8, VectorOp::kScaleShift);
  EXPECT_EQ(to_int8.reads, (Regions{kSrc0, {Buffer::kWeight, kParams, 13296}}));
  EXPECT_EQ(to_int8.writes, Regions{kInt8Dst});
  const Accesses to_bf16 = vector_accesses(VectorOp::kScaleShift, false, true);
  EXPECT_EQ(to_bf16.reads, (Regions{kSrc0, {Buffer::kWeight, kParams, 12792}}));
  EXPECT_EQ(to_bf16.writes, Regions{kDst});
}

TEST(SramAccesses, AddReadsTwoOperandsOfTheSameShapeAndItsParameters) {
  // src1 like src0: 118260 bytes -> [8192, 126452); then the parameters: int8 48 bytes ->
  // [12288, 12336), float 8 bytes -> [12288, 12296).
  const Accesses to_int8 = vector_accesses_to(ElementType::kInt8, VectorOp::kAdd, true);
  EXPECT_EQ(to_int8.reads,
            (Regions{kSrc0, {Buffer::kWeight, 8192, 126452}, {Buffer::kWeight, kParams, 12336}}));
  EXPECT_EQ(to_int8.writes, Regions{kInt8Dst});
  const Accesses to_bf16 = vector_accesses(VectorOp::kAdd, true, true);
  EXPECT_EQ(to_bf16.reads,
            (Regions{kSrc0, {Buffer::kWeight, 8192, 126452}, {Buffer::kWeight, kParams, 12296}}));
  EXPECT_EQ(to_bf16.writes, Regions{kDst});
}

TEST(SramAccesses, MulReadsTwoOperandsOfTheSameShapeAndItsParameters) {
  // As add: src1 like src0 -> [8192, 126452); then the parameters: int8 32 bytes ->
  // [12288, 12320), float 8 bytes -> [12288, 12296).
  const Accesses to_int8 = vector_accesses_to(ElementType::kInt8, VectorOp::kMul, true);
  EXPECT_EQ(to_int8.reads,
            (Regions{kSrc0, {Buffer::kWeight, 8192, 126452}, {Buffer::kWeight, kParams, 12320}}));
  EXPECT_EQ(to_int8.writes, Regions{kInt8Dst});
  const Accesses to_bf16 = vector_accesses(VectorOp::kMul, true, true);
  EXPECT_EQ(to_bf16.reads,
            (Regions{kSrc0, {Buffer::kWeight, 8192, 126452}, {Buffer::kWeight, kParams, 12296}}));
  EXPECT_EQ(to_bf16.writes, Regions{kDst});
  // A mul without has_src1 names no second operand.
  EXPECT_EQ(vector_accesses(VectorOp::kMul, false, false).reads, Regions{kSrc0});
}

TEST(SramAccesses, TransposeWritesColsRowsOfRowsElements) {
  // src0 as every element-wise op: 448 x 63 fp32, rows 66 apart -> [256, 118516). dst: the
  // transpose, 63 rows of 448 bf16 elements, 450 apart: (62 * 450 + 448) * 2 = 56696 ->
  // [2048, 58744).
  VectorInstr v = vector_instr(VectorOp::kTranspose, VectorActivation::kNone, false);
  v.dst_row_stride = 450;
  EXPECT_EQ(accesses(v).reads, Regions{kSrc0});
  EXPECT_EQ(accesses(v).writes, (Regions{{Buffer::kInput, 2048, 58744}}));
  // The bound covers the overlapping rows of a stride below rows too: (62 * 64 + 448) * 2 = 8832.
  v.dst_row_stride = 64;
  EXPECT_EQ(accesses(v).writes, (Regions{{Buffer::kInput, 2048, 10880}}));
  // One source row becomes one column: 63 rows of 1 element, 450 apart: (62 * 450 + 1) * 2.
  v.rows = 1;
  v.dst_row_stride = 450;
  EXPECT_EQ(accesses(v).writes, (Regions{{Buffer::kInput, 2048, 2048 + 55802}}));
  // Neither a second operand nor parameters.
  EXPECT_EQ(vector_accesses(VectorOp::kTranspose, true, true).reads, Regions{kSrc0});
}

TEST(SramAccesses, WholeOpParameterBlocks) {
  // int8: act the 256-byte table -> [12288, 12544); softmax 16 bytes -> [12288, 12304).
  EXPECT_EQ(vector_accesses_to(ElementType::kInt8, VectorOp::kActivation).reads,
            (Regions{kSrc0, {Buffer::kWeight, kParams, 12544}}));
  EXPECT_EQ(vector_accesses_to(ElementType::kInt8, VectorOp::kSoftmax).reads,
            (Regions{kSrc0, {Buffer::kWeight, kParams, 12304}}));
  // Float act and softmax have a 0-byte block: nothing is read even with has_params.
  for (ElementType type : kFloatTypes) {
    EXPECT_EQ(vector_accesses_to(type, VectorOp::kActivation).reads, Regions{kSrc0});
    EXPECT_EQ(vector_accesses_to(type, VectorOp::kSoftmax).reads, Regions{kSrc0});
  }
  // layernorm, any output: 32 + 8 * 63 = 536 bytes -> [12288, 12824).
  for (ElementType type : {ElementType::kInt8, ElementType::kFp16, ElementType::kFp32}) {
    EXPECT_EQ(vector_accesses_to(type, VectorOp::kLayerNorm).reads,
              (Regions{kSrc0, {Buffer::kWeight, kParams, 12824}}));
  }
  EXPECT_EQ(vector_accesses(VectorOp::kLayerNorm, false, true).writes, Regions{kDst});
}

TEST(SramAccesses, OperandExtentsFollowElementTypes) {
  // One row of 63 elements: int8 63 B, fp16/bf16 126 B, int32/fp32 252 B, for src and dst alike.
  for (ElementType type : kAllTypes) {
    VectorInstr v = vector_instr(VectorOp::kCopy, VectorActivation::kNone, false);
    v.rows = 1;
    v.src_type = type;
    v.dst_type = type;
    const uint32_t bytes = 63u * static_cast<uint32_t>(element_bytes(type));
    const Accesses a = accesses(v);
    EXPECT_EQ(a.reads, (Regions{{Buffer::kOutput, 256, 256 + bytes}})) << to_string(type);
    EXPECT_EQ(a.writes, (Regions{{Buffer::kInput, 2048, 2048 + bytes}})) << to_string(type);
  }
}

TEST(SramAccesses, ParametersAreReadOnlyWhenNamed) {
  // Without has_params the block is not read, whatever the op needs.
  for (VectorOp op : {VectorOp::kRequant, VectorOp::kScaleShift, VectorOp::kActivation,
                      VectorOp::kSoftmax, VectorOp::kLayerNorm}) {
    EXPECT_EQ(vector_accesses(op, false, false).reads, Regions{kSrc0}) << to_string(op);
  }
  // An op without parameters reads none even when has_params is set (its block is 0 bytes).
  EXPECT_EQ(vector_accesses(VectorOp::kCopy, false, true).reads, Regions{kSrc0});
}

TEST(SramAccesses, Src1IsReadOnlyByAddAndMul) {
  // requant, scale_shift and the unary ops have no second operand: a src1 is not read.
  for (VectorOp op :
       {VectorOp::kRequant, VectorOp::kScaleShift, VectorOp::kActivation, VectorOp::kSoftmax,
        VectorOp::kLayerNorm, VectorOp::kCopy, VectorOp::kTranspose}) {
    EXPECT_EQ(vector_accesses(op, true, false).reads, Regions{kSrc0}) << to_string(op);
  }
  // An add without has_src1 names no second operand.
  EXPECT_EQ(vector_accesses(VectorOp::kAdd, false, false).reads, Regions{kSrc0});
}

TEST(SramAccesses, UnaryElementwiseOps) {
  for (VectorOp op :
       {VectorOp::kActivation, VectorOp::kSoftmax, VectorOp::kCopy, VectorOp::kLayerNorm}) {
    const Accesses a = vector_accesses(op, false);
    EXPECT_EQ(a.reads, Regions{kSrc0}) << to_string(op);
    EXPECT_EQ(a.writes, Regions{kDst}) << to_string(op);
  }
  // Unused src1 and params addresses are not read.
  VectorInstr copy = vector_instr(VectorOp::kCopy, VectorActivation::kNone, false);
  copy.src1 = {Buffer::kWeight, 0};
  copy.params = {Buffer::kWeight, 0};
  EXPECT_EQ(accesses(copy).reads, Regions{kSrc0});
}

TEST(SramAccesses, WindowedPoolingReadsThePatch) {
  // Patch 9 x 226 x 3 elements of 4 bytes = 24408 -> [256, 24664); dst as element-wise.
  for (VectorOp op : {VectorOp::kMaxPool, VectorOp::kAvgPool}) {
    const Accesses a = vector_accesses(op, false);
    EXPECT_EQ(a.reads, (Regions{{Buffer::kOutput, 256, 24664}})) << to_string(op);
    EXPECT_EQ(a.writes, Regions{kDst}) << to_string(op);
    // Pooling has neither a second operand nor parameters: a src1 or params is not read.
    EXPECT_EQ(vector_accesses(op, true, true).reads, (Regions{{Buffer::kOutput, 256, 24664}}))
        << to_string(op);
  }
}

TEST(SramAccesses, GlobalAvgPoolWritesOneRow) {
  // dst 1 x 63 elements of 2 bytes = 126 -> [2048, 2174)
  const Accesses a = vector_accesses(VectorOp::kGlobalAvgPool, false);
  EXPECT_EQ(a.reads, Regions{kSrc0});
  EXPECT_EQ(a.writes, (Regions{{Buffer::kInput, 2048, 2174}}));
}

TEST(SramAccesses, VectorOpsWithNoOutputElementsTouchNothing) {
  for (VectorOp op :
       {VectorOp::kRequant, VectorOp::kAdd, VectorOp::kActivation, VectorOp::kScaleShift,
        VectorOp::kMaxPool, VectorOp::kAvgPool, VectorOp::kGlobalAvgPool, VectorOp::kSoftmax,
        VectorOp::kCopy, VectorOp::kLayerNorm, VectorOp::kMul, VectorOp::kTranspose}) {
    VectorInstr v = vector_instr(op, VectorActivation::kNone, true, true);
    v.rows = 0;
    EXPECT_EQ(accesses(v).reads, Regions{}) << to_string(op);
    EXPECT_EQ(accesses(v).writes, Regions{}) << to_string(op);
    v.rows = 1;
    v.cols = 0;
    EXPECT_EQ(accesses(v).reads, Regions{}) << to_string(op);
    EXPECT_EQ(accesses(v).writes, Regions{}) << to_string(op);
  }
}

TEST(SramAccesses, SingleRowIgnoresStrides) {
  VectorInstr v = vector_instr(VectorOp::kAdd, VectorActivation::kNone, true);
  v.rows = 1;  // src 63 * 4 = 252 bytes, dst 63 * 2 = 126 bytes
  const Accesses a = accesses(v);
  EXPECT_EQ(a.reads, (Regions{{Buffer::kOutput, 256, 508}, {Buffer::kWeight, 8192, 8444}}));
  EXPECT_EQ(a.writes, (Regions{{Buffer::kInput, 2048, 2174}}));
}

TEST(SramAccesses, EndsSaturateAtTheTopOfTheAddressSpace) {
  constexpr uint32_t kTop = std::numeric_limits<uint32_t>::max();
  DmaLoad load;
  load.sram = {Buffer::kInput, 0xffffff00u};
  load.rows = 2;
  load.row_bytes = 0x200;
  load.sram_stride = 0x100;  // would end at 0x1'0000'0200
  EXPECT_EQ(accesses(load).writes, (Regions{{Buffer::kInput, 0xffffff00u, kTop}}));
  MatrixMultiply mm;
  mm.window.patch_h = kTop;
  mm.window.image_w = kTop;
  mm.window.patch_c = kTop;  // 2^96 elements: the 64-bit product saturates too
  mm.m_rows = 1;
  mm.k_rows = 1;
  mm.n_cols = 1;
  EXPECT_EQ(accesses(mm).reads, (Regions{{Buffer::kInput, 0, kTop}}));
}

TEST(SramAccesses, Overlaps) {
  const SramRegion a{Buffer::kOutput, 0, 4};
  EXPECT_FALSE(overlaps(a, {Buffer::kOutput, 4, 8}));  // adjacent, half-open
  EXPECT_TRUE(overlaps(a, {Buffer::kOutput, 3, 8}));
  EXPECT_TRUE(overlaps({Buffer::kOutput, 3, 8}, a));
  EXPECT_TRUE(overlaps(a, {Buffer::kOutput, 1, 2}));  // contained
  EXPECT_FALSE(overlaps(a, {Buffer::kInput, 0, 4}));  // another buffer
}

}  // namespace
}  // namespace npu::isa
