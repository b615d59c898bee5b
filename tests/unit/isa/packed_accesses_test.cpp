// Access sets of packed int4 operands (docs/isa.md, "Buffers and addresses"): two elements per
// byte, every row starting on a byte, so a row of n elements spans ceil(n / 2) bytes and a stride
// of s elements moves ceil(s / 2) bytes.

#include <gtest/gtest.h>

#include <stdexcept>

#include "isa/accesses.h"
#include "tests/unit/isa/sample_program.h"

namespace npu::isa {
namespace {

using Regions = std::vector<SramRegion>;

TEST(PackedInt4, ElementSizes) {
  EXPECT_EQ(element_bits(ElementType::kInt4), 4);
  EXPECT_EQ(packed_bytes(ElementType::kInt4, 3), 2u);
  EXPECT_EQ(packed_bytes(ElementType::kInt4, 4), 2u);
  EXPECT_EQ(packed_bytes(ElementType::kInt8, 3), 3u);
  EXPECT_EQ(packed_bytes(ElementType::kFp16, 3), 6u);
  EXPECT_THROW(element_bytes(ElementType::kInt4), std::logic_error);
}

TEST(PackedInt4, PreloadReadsPackedRows) {
  // 147 rows of 63 weights, 65 apart, from weight+0x1000 = 4096. Rows start ceil(65 / 2) = 33 B
  // apart and the last is ceil(63 / 2) = 32 B: 146 x 33 + 32 = 4850 B, [4096, 8946). At int8 the
  // same preload reads 146 x 65 + 63 = 9553 B.
  const Instruction preload = testing::instruction(testing::matrix_preload(), 0, {});
  EXPECT_EQ(sram_accesses(preload, ElementType::kInt4).reads,
            (Regions{{Buffer::kWeight, 4096, 8946}}));
  EXPECT_EQ(sram_accesses(preload, ElementType::kInt8).reads,
            (Regions{{Buffer::kWeight, 4096, 13649}}));
}

TEST(PackedInt4, RequantWritesPackedRows) {
  // int32 accumulators in, int4 out: 448 rows of 63 written 64 apart from input+0x800 = 2048:
  // 447 x 32 + 32 = 14,336 B, [2048, 16384). The source is 448 int32 rows 66 apart:
  // 447 x 264 + 252 = 118,260 B from output+0x100 = 256.
  VectorInstr requant = testing::vector_instr(VectorOp::kRequant, VectorActivation::kNone, false);
  requant.src_type = ElementType::kInt32;
  requant.dst_type = ElementType::kInt4;
  const Accesses a = sram_accesses(testing::instruction(requant, 0, {}), ElementType::kInt4);
  EXPECT_EQ(a.writes, (Regions{{Buffer::kInput, 2048, 16384}}));
  EXPECT_EQ(a.reads, (Regions{{Buffer::kOutput, 256, 256 + 118'260}}));
}

}  // namespace
}  // namespace npu::isa
