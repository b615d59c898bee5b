// The SRAM bank rule, port reservations, the DMA schedule's SRAM and ideal-memory terms and the
// vector unit's port terms, against values worked out by hand (docs/timing.md, "SRAM buffers" and
// "Ideal memory").

#include <gtest/gtest.h>

#include <vector>

#include "arch/arch_config.h"
#include "sim/timing/dma_timing.h"
#include "sim/timing/reservations.h"
#include "sim/timing/sram_timing.h"
#include "sim/timing/systolic_timing.h"
#include "sim/timing/vector_timing.h"
#include "tests/common/small_arch.h"

namespace npu::timing {
namespace {

using testing_support::small_arch;

// 4 banks, 16 B/cycle: words of w = 4 bytes; byte a is in bank (a / 4) % 4.
arch::SramBufferConfig four_banks() {
  arch::SramBufferConfig buffer;
  buffer.size_kib = 1;
  buffer.banks = 4;
  buffer.bytes_per_cycle = 16;
  return buffer;
}

uint64_t cycles(const SramAccess& access) { return sram_access_cycles(four_banks(), access); }

// --- Bank rule ---

TEST(SramTiming, ContiguousAlignedRunIsBytesOverThePort) {
  // 64 B from 0: words 0..15, 4 in each bank: 4 cycles = 64 / 16.
  EXPECT_EQ(cycles({0, 1, 64, 64}), 4u);
  // One byte short and one over the boundary: 63 B still 16 words (4); 65 B is word 16 more,
  // in bank 0, which then serves 5.
  EXPECT_EQ(cycles({0, 1, 63, 63}), 4u);
  EXPECT_EQ(cycles({0, 1, 65, 65}), 5u);
  // The same 64 B as 4 rows of 16 packed back to back (stride = row): one contiguous run.
  EXPECT_EQ(cycles({0, 4, 16, 16}), 4u);
  // Nothing to move.
  EXPECT_EQ(cycles({0, 0, 16, 16}), 0u);
  EXPECT_EQ(cycles({0, 4, 0, 16}), 0u);
}

TEST(SramTiming, MisalignedRunTouchesOneWordMore) {
  // 16 B from byte 2: bytes 2..17 = words 0..4; bank 0 holds words 0 and 4: 2 cycles, where the
  // aligned 16 B (words 0..3, one per bank) take 1.
  EXPECT_EQ(cycles({2, 1, 16, 16}), 2u);
  EXPECT_EQ(cycles({0, 1, 16, 16}), 1u);
  // 14 B from byte 2: bytes 2..15 = words 0..3, still one per bank.
  EXPECT_EQ(cycles({2, 1, 14, 14}), 1u);
}

TEST(SramTiming, StrideOfBanksTimesWordIsABankConflict) {
  // 8 rows of one word, 16 B = B x w apart: words 0, 4, 8, ..., 28, all in bank 0: 8 cycles
  // (one per row), where 32 contiguous bytes take 2.
  EXPECT_EQ(cycles({0, 8, 4, 16}), 8u);
  EXPECT_EQ(cycles({0, 1, 32, 32}), 2u);
  // Rows of two words, 32 B apart: words 8r (bank 0) and 8r + 1 (bank 1): 8 each, 8 cycles.
  EXPECT_EQ(cycles({0, 8, 8, 32}), 8u);
}

TEST(SramTiming, StrideOfBanksPlusOneWordSpreadsTheRows) {
  // 8 one-word rows, w x (B + 1) = 20 B apart: words 0, 5, 10, ..., 35 = banks 0, 1, 2, 3, 0, 1,
  // 2, 3: 2 each, 2 cycles, as fast as the same 32 B contiguous.
  EXPECT_EQ(cycles({0, 8, 4, 20}), 2u);
  // Three words apart (12 B): banks 0, 3, 2, 1, 0, 3, 2, 1: also 2.
  EXPECT_EQ(cycles({0, 8, 4, 12}), 2u);
  // Two words apart (8 B): banks 0, 2, 0, 2, ...: 4 each, 4 cycles.
  EXPECT_EQ(cycles({0, 8, 4, 8}), 4u);
}

TEST(SramTiming, TinyRowsShareWords) {
  // 4 one-byte rows 2 B apart: bytes 0, 2, 4, 6 = words 0, 0, 1, 1: 2 distinct words in 2 banks.
  EXPECT_EQ(cycles({0, 4, 1, 2}), 1u);
  // 8 one-byte rows 2 B apart (bytes 0..14): words 0..3, one per bank: 1 cycle, not 8.
  EXPECT_EQ(cycles({0, 8, 1, 2}), 1u);
  // 16 one-byte rows 4 B apart: words 0..15: 4 per bank, 4 cycles.
  EXPECT_EQ(cycles({0, 16, 1, 4}), 4u);
  // Two-byte rows 3 B apart: [0,2) [3,5) [6,8) [9,11) [12,14) = words 0 | 0,1 | 1 | 2 | 3: four
  // distinct words, 1 cycle.
  EXPECT_EQ(cycles({0, 5, 2, 3}), 1u);
  // 16 one-byte rows 16 B apart: one word per row, all in bank 0: 16 cycles.
  EXPECT_EQ(cycles({0, 16, 1, 16}), 16u);
}

TEST(SramTiming, OverlappingRowsCoverOneRange) {
  // Stride 0: the same 16 B four times = words 0..3 once: 1 cycle.
  EXPECT_EQ(cycles({0, 4, 16, 0}), 1u);
  // Stride 8 with 16 B rows: bytes 0..39 = words 0..9: bank 0 and 1 serve 3: 3 cycles.
  EXPECT_EQ(cycles({0, 4, 16, 8}), 3u);
}

TEST(SramTiming, OneBankIsPlainBytesOverThePort) {
  arch::SramBufferConfig one = four_banks();
  one.banks = 1;                                           // a 16-byte word
  EXPECT_EQ(sram_access_cycles(one, {0, 1, 40, 40}), 3u);  // words 0..2
  EXPECT_EQ(sram_access_cycles(one, {8, 1, 16, 16}), 2u);  // bytes 8..23: words 0, 1
  EXPECT_EQ(sram_access_cycles(one, {0, 8, 4, 16}), 8u);   // a word per row
}

TEST(SramTiming, SeveralAccessesOfOnePortAddUpPerBank) {
  // Two 16 B operands at 0 and 64: words 0..3 and 16..19, one of each in every bank: 2 cycles.
  BankLoad load(four_banks());
  load.add({0, 1, 16, 16});
  load.add({64, 1, 16, 16});
  EXPECT_EQ(load.cycles(), 2u);
  // A conflicting operand on top (4 words in bank 0) makes bank 0 serve 6.
  load.add({0, 4, 4, 16});
  EXPECT_EQ(load.cycles(), 6u);
}

TEST(SramTiming, ResNetRequantBlock) {
  // 1568 rows of 64 int32 accumulators (256 B) packed back to back in a 32-bank 512 B/cycle
  // buffer (16-byte words): 401,408 B contiguous = 25,088 words, 784 per bank.
  arch::SramBufferConfig output;
  output.size_kib = 2048;
  output.banks = 32;
  output.bytes_per_cycle = 512;
  EXPECT_EQ(sram_access_cycles(output, {0, 1568, 256, 256}), 784u);
  // The same rows 512 B apart: each row's 16 words fill banks 0..15 only, 1568 each.
  EXPECT_EQ(sram_access_cycles(output, {0, 1568, 256, 512}), 1568u);
}

TEST(SramTiming, IdealMemoryHasNoPortTime) {
  arch::ArchConfig arch = small_arch();
  arch.sram.input = four_banks();
  EXPECT_EQ(sram_port_cycles(arch, isa::Buffer::kInput, {{0, 8, 4, 16}}), 8u);
  EXPECT_EQ(sram_stream_cycles(arch, isa::Buffer::kInput, 33), 3u);
  arch.memory.ideal = true;
  EXPECT_EQ(sram_port_cycles(arch, isa::Buffer::kInput, {{0, 8, 4, 16}}), 0u);
  EXPECT_EQ(sram_stream_cycles(arch, isa::Buffer::kInput, 33), 0u);
}

// --- Reservations ---

TEST(Reservations, EarliestWindowFillsGaps) {
  Reservations r;
  r.book(10, 5);                      // [10, 15)
  r.book(20, 10);                     // [20, 30)
  EXPECT_EQ(r.earliest(0, 10), 0u);   // [0, 10) ends where the first booking starts
  EXPECT_EQ(r.earliest(0, 11), 30u);  // one cycle more fits neither gap
  EXPECT_EQ(r.earliest(12, 5), 15u);  // [15, 20) exactly
  EXPECT_EQ(r.earliest(12, 6), 30u);
  EXPECT_EQ(r.earliest(25, 1), 30u);
  EXPECT_EQ(r.earliest(12, 0), 12u);   // nothing to book: no wait
  EXPECT_EQ(r.book_from(0, 11), 30u);  // [30, 41), merged with [20, 30)
  EXPECT_EQ(r.earliest(16, 4), 16u);   // [16, 20) still free
  EXPECT_EQ(r.earliest(16, 5), 41u);
  EXPECT_EQ(r.book_from(0, 7), 0u);  // [0, 7) was free all along
}

TEST(Reservations, BookingsBackToBackAreBusyUntil) {
  // Every request at or after the last booking's end: the calendar is a busy-until time.
  Reservations r;
  r.book(2, 10);
  EXPECT_EQ(r.earliest(3, 10), 12u);
  r.book(12, 10);
  EXPECT_EQ(r.earliest(4, 1), 22u);
}

TEST(Reservations, CommonWindowOfSeveralResources) {
  Reservations a, b;
  a.book(0, 10);  // a busy [0, 10)
  b.book(12, 4);  // b busy [12, 16)
  // 5 cycles of both: a is free from 10, b is not free for 5 cycles until 16.
  EXPECT_EQ(earliest_common({{&a, 5}, {&b, 5}}, 0), 16u);
  // 2 cycles of both fit [10, 12).
  EXPECT_EQ(earliest_common({{&a, 2}, {&b, 2}}, 0), 10u);
  // b not needed (0 cycles): a alone.
  EXPECT_EQ(earliest_common({{&a, 5}, {&b, 0}}, 0), 10u);
}

// --- DMA: SRAM port and ideal memory ---

TEST(DmaTiming, WaitsForItsSramPort) {
  const arch::ArchConfig arch = small_arch();
  // Ready at 0 + 2 (setup), channel idle, but the SRAM port is booked until 20: the transfer
  // starts at 20: 16 B = 4 cycles of occupancy, done 20 + 10 + 4 = 34.
  DmaSchedule s = schedule_transfer(arch, 0, 0, 16, 4, 20);
  EXPECT_EQ(s.ready, 2u);
  EXPECT_EQ(s.channel_start, 20u);
  EXPECT_EQ(s.channel_free, 24u);
  EXPECT_EQ(s.done, 34u);
  // Port free the cycle the transfer is ready, and one cycle later.
  EXPECT_EQ(schedule_transfer(arch, 0, 0, 16, 4, 2).channel_start, 2u);
  EXPECT_EQ(schedule_transfer(arch, 0, 0, 16, 4, 3).channel_start, 3u);
}

TEST(DmaTiming, IdealMemoryTransferTakesNoTime) {
  arch::ArchConfig arch = small_arch();
  arch.memory.ideal = true;
  // Issued at 5 with the channel "busy" until 50 and a 9-cycle SRAM side: done at 5, no setup,
  // no occupancy, no latency.
  const DmaSchedule s = schedule_transfer(arch, 5, 50, 16, 9, 70);
  EXPECT_EQ(s.ready, 5u);
  EXPECT_EQ(s.channel_start, 5u);
  EXPECT_EQ(s.occupancy, 0u);
  EXPECT_EQ(s.engine_free, 5u);
  EXPECT_EQ(s.done, 5u);
}

// --- Vector unit ports ---

isa::VectorInstr copy_rows(uint32_t rows, uint32_t cols, uint32_t src_stride) {
  isa::VectorInstr v;
  v.op = isa::VectorOp::kCopy;
  v.rows = rows;
  v.cols = cols;
  v.src0 = {isa::Buffer::kInput, 0};
  v.dst = {isa::Buffer::kOutput, 0};
  v.src_row_stride = src_stride;
  v.dst_row_stride = cols;
  return v;
}

TEST(VectorTiming, StridedOperandPaysItsBankConflicts) {
  arch::ArchConfig arch = small_arch();
  arch.sram.input = four_banks();
  arch.vector.lanes = 32;
  // 8 rows of 4 int8, 16 B apart: every row in bank 0, 8 cycles of read port; 32 elements on
  // 32 lanes take 1; the 32 B written to the output buffer (64 B/cycle, 1 bank) take 1:
  // 1 (latency) + 8 = 9.
  EXPECT_EQ(vector_port_cycles(arch, copy_rows(8, 4, 16)).read[0], 8u);
  EXPECT_EQ(vector_cycles(arch, copy_rows(8, 4, 16)), 9u);
  // 20 B apart (5 words): 2 per bank: 1 + 2 = 3.
  EXPECT_EQ(vector_cycles(arch, copy_rows(8, 4, 20)), 3u);
  // Ideal memory: compute alone, 1 + 1.
  arch.memory.ideal = true;
  EXPECT_EQ(vector_cycles(arch, copy_rows(8, 4, 16)), 2u);
}

TEST(VectorTiming, PoolingReadsItsPatchRowsOnce) {
  arch::ArchConfig arch = small_arch();
  arch.sram.input = four_banks();
  arch.vector.lanes = 64;
  // 3x3 max pooling, stride 1, padding 1, over a 4x4 image of 16 int8 channels: 16 outputs x 16
  // channels x 9 taps = 2304 operations on 64 lanes = 36 cycles. The patch is 4 image rows x 4
  // pixels x 16 channels = 256 B, read once: 64 words, 16 per bank, 16 cycles (every tap
  // through the port would be 2304 / 16 = 144). Writes: 256 B over 64 B/cycle = 4. 1 + 36 = 37.
  isa::VectorInstr pool;
  pool.op = isa::VectorOp::kMaxPool;
  pool.rows = 16;
  pool.cols = 16;
  pool.src0 = {isa::Buffer::kInput, 0};
  pool.dst = {isa::Buffer::kOutput, 0};
  pool.src_row_stride = 16;
  pool.dst_row_stride = 16;
  pool.window.image_h = 4;
  pool.window.image_w = 4;
  pool.window.patch_h = 4;
  pool.window.patch_c = 16;
  pool.window.kernel_h = 3;
  pool.window.kernel_w = 3;
  pool.window.pad_top = 1;
  pool.window.pad_left = 1;
  pool.window.out_w = 4;
  const SramPortCycles ports = vector_port_cycles(arch, pool);
  EXPECT_EQ(ports.read[static_cast<int>(isa::Buffer::kInput)], 16u);
  EXPECT_EQ(ports.write[static_cast<int>(isa::Buffer::kOutput)], 4u);
  EXPECT_EQ(vector_cycles(arch, pool), 37u);
}

TEST(VectorTiming, OperandsOfOneBufferShareItsPort) {
  arch::ArchConfig arch = small_arch();
  arch.sram.input = four_banks();
  // add: two 16 B operands in the input buffer, at 0 and 64 (words 0..3 and 16..19): 2 cycles
  // on the read port; 16 elements on 4 lanes: 4 cycles. 1 + 4 = 5.
  isa::VectorInstr add = copy_rows(1, 16, 16);
  add.op = isa::VectorOp::kAdd;
  add.src1 = {isa::Buffer::kInput, 64};
  add.has_src1 = true;
  EXPECT_EQ(vector_port_cycles(arch, add).read[0], 2u);
  EXPECT_EQ(vector_cycles(arch, add), 5u);
}

// --- Array ports ---

TEST(SramTiming, MatrixInstructionsBookTheBandwidthTheyUse) {
  arch::ArchConfig arch = small_arch();
  isa::MatrixPreload preload;
  preload.weights = {isa::Buffer::kWeight, 0};
  preload.k_rows = 4;
  preload.n_cols = 4;
  // 4 x 4 int8 = 16 B over a 3 B/cycle weight port: ceil(16 / 3) = 6 cycles (the preload's own
  // port term).
  arch.sram.weight.bytes_per_cycle = 3;
  std::vector<SramPortUse> uses = matrix_port_use(arch, preload);
  ASSERT_EQ(uses.size(), 1u);
  EXPECT_EQ(uses[0].buffer, isa::Buffer::kWeight);
  EXPECT_EQ(uses[0].port, SramPort::kRead);
  EXPECT_EQ(uses[0].cycles, 6u);

  isa::MatrixMultiply multiply;
  multiply.input = {isa::Buffer::kInput, 0};
  multiply.acc = {isa::Buffer::kOutput, 0};
  multiply.m_rows = 10;
  multiply.k_rows = 4;
  multiply.n_cols = 4;
  multiply.accumulate = true;
  // The bandwidth the 10 rows need: 10 x 4 operands = 40 B through the 64 B/cycle input port
  // (1 cycle); 10 x 16 B = 160 B of accumulators through each 64 B/cycle output port (3 cycles).
  // The rest of each port's time stays free for other units.
  uses = matrix_port_use(arch, multiply);
  ASSERT_EQ(uses.size(), 3u);
  EXPECT_EQ(uses[0].buffer, isa::Buffer::kInput);
  EXPECT_EQ(uses[0].cycles, 1u);
  EXPECT_EQ(uses[1].port, SramPort::kWrite);
  EXPECT_EQ(uses[1].cycles, 3u);
  EXPECT_EQ(uses[2].port, SramPort::kRead);
  // A 5 B/cycle output port: 160 B take 32 cycles — never more than the multiply itself, whose
  // rows the port paces at ceil(16 / 5) = 4 cycles each (40).
  arch.sram.output.bytes_per_cycle = 5;
  EXPECT_EQ(matrix_port_use(arch, multiply)[1].cycles, 32u);
  EXPECT_EQ(stream_interval(arch, 10, 4, 4), 4u);
  // Ideal memory books nothing.
  arch.memory.ideal = true;
  EXPECT_TRUE(matrix_port_use(arch, multiply).empty());
  EXPECT_TRUE(matrix_port_use(arch, preload).empty());
}

TEST(SystolicTiming, IdealMemoryPortsNeverLimitTheArray) {
  arch::ArchConfig arch = small_arch();
  arch.sram.weight.bytes_per_cycle = 3;  // a 6-cycle preload port term, as above
  arch.sram.input.bytes_per_cycle = 2;   // 2 cycles a row
  EXPECT_EQ(preload_cycles(arch, 4, 4), 6u);
  EXPECT_EQ(stream_interval(arch, 10, 4, 4), 2u);
  arch.memory.ideal = true;
  // R = 4 for the shift, one row a cycle: the array alone.
  EXPECT_EQ(preload_cycles(arch, 4, 4), 4u);
  EXPECT_EQ(stream_interval(arch, 10, 4, 4), 1u);
}

}  // namespace
}  // namespace npu::timing
