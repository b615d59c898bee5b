// The systolic timing rules with packed int4 operands and sub-word packing (docs/timing.md,
// "Sub-word packing"), on the 4x4 test design: what the packed bytes change in the port terms,
// and that fill and drain still cross the physical R rows.

#include <gtest/gtest.h>

#include "arch/arch_config.h"
#include "sim/timing/systolic_timing.h"
#include "tests/common/small_arch.h"

namespace npu::timing {
namespace {

// The 4x4 design with int4 operands and two int4 MACs per PE per cycle: a fold's K reach is
// 2 x 4 = 8 reduction rows.
arch::ArchConfig packed_int4() {
  arch::ArchConfig arch = testing_support::small_arch();
  arch.precision.operand = arch::Precision::kInt4;
  arch.array.macs_per_pe_per_cycle.int4 = 2;
  return arch;
}

TEST(PackingTiming, FillAndDrainCrossThePhysicalRows) {
  // k = 8 reduction rows on 4 PE rows (2 per row), m = 10 steps: 10 + R + C - 2 = 10 + 6 = 16,
  // exactly an int8 fold of k = 4: packing doubles the K a fold covers, not its length.
  const arch::ArchConfig arch = packed_int4();
  EXPECT_EQ(multiply_cycles(arch, 10, 8, 4), 16u);
  // The preload still shifts through R = 4 registers.
  EXPECT_EQ(preload_cycles(arch, 8, 4), 4u);
}

TEST(PackingTiming, InputPortTermCountsPackedBytes) {
  arch::ArchConfig arch = packed_int4();
  // A step brings k = 8 int4 inputs = 4 B. At 4 B/cycle the port keeps up (interval 1) exactly
  // at the limit; the same 8 inputs at int8 would need 8 B, 2 cycles.
  arch.sram.input.bytes_per_cycle = 4;
  EXPECT_EQ(stream_interval(arch, 10, 8, 4), 1u);
  // At 3 B/cycle: ceil(4 / 3) = 2, so 10 steps take 20 and the multiply 20 + 6 = 26. One row short
  // of the limit, k = 6 (3 B), keeps up: 10 + 6 = 16.
  arch.sram.input.bytes_per_cycle = 3;
  EXPECT_EQ(stream_interval(arch, 10, 8, 4), 2u);
  EXPECT_EQ(multiply_cycles(arch, 10, 8, 4), 26u);
  EXPECT_EQ(multiply_cycles(arch, 10, 6, 4), 16u);
  // An odd k rounds up to a whole byte: k = 7 is 4 B, like k = 8.
  EXPECT_EQ(stream_interval(arch, 10, 7, 4), 2u);
}

TEST(PackingTiming, PreloadPortTermCountsPackedRows) {
  arch::ArchConfig arch = packed_int4();
  // 8 rows of 4 int4 weights = 8 x 2 B = 16 B: at 4 B/cycle 4 cycles, no longer than the shift;
  // at 3 B/cycle ceil(16 / 3) = 6.
  arch.sram.weight.bytes_per_cycle = 4;
  EXPECT_EQ(preload_cycles(arch, 8, 4), 4u);
  arch.sram.weight.bytes_per_cycle = 3;
  EXPECT_EQ(preload_cycles(arch, 8, 4), 6u);
  // Rows of 3 weights still take 2 B each (each row starts on a byte): 16 B, 6 cycles, not the
  // ceil(12 / 3) = 4 that unpadded nibbles would give.
  EXPECT_EQ(preload_cycles(arch, 8, 3), 6u);
}

}  // namespace
}  // namespace npu::timing
