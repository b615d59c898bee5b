// Every timing rule against values worked out by hand from the rule's derivation
// (docs/timing.md), with boundary cases one short of and at each limit.

#include <gtest/gtest.h>

#include <utility>

#include "arch/arch_config.h"
#include "sim/timing/dma_timing.h"
#include "sim/timing/dram_timing.h"
#include "sim/timing/systolic_timing.h"
#include "sim/timing/vector_timing.h"
#include "tests/common/small_arch.h"

namespace npu::timing {
namespace {

using testing_support::small_arch;

// --- Systolic array (weight stationary) ---

TEST(SystolicTiming, PreloadShiftsWeightsThroughAllRows) {
  const arch::ArchConfig arch = small_arch();
  // The shift chain is R = 4 registers deep whatever block is placed.
  EXPECT_EQ(preload_cycles(arch, 4, 4), 4u);
  EXPECT_EQ(preload_cycles(arch, 1, 1), 4u);
  EXPECT_EQ(preload_cycles(arch, 0, 4), 0u);
}

TEST(SystolicTiming, PreloadLimitedByWeightPort) {
  arch::ArchConfig arch = small_arch();
  // 4x4 int8 = 16 B; at 4 B/cycle the port needs exactly 4 cycles: no longer than the shift.
  arch.sram.weight.bytes_per_cycle = 4;
  EXPECT_EQ(preload_cycles(arch, 4, 4), 4u);
  // At 3 B/cycle: ceil(16 / 3) = 6 cycles > 4.
  arch.sram.weight.bytes_per_cycle = 3;
  EXPECT_EQ(preload_cycles(arch, 4, 4), 6u);
}

TEST(SystolicTiming, CompressedPreloadMovesKeptValuesAndIndices) {
  arch::ArchConfig arch = small_arch();
  const isa::NmCompression two_of_four{2, 4, 2};
  // A 2:4 block of 8 dense rows x 4 columns (the 4x4 array holds 8 / 4 x 2 = 4 kept rows): 4 x 4
  // int8 values = 16 B plus 16 x 2 bits = 4 B of indices, 20 B. At 4 B/cycle: 5 cycles > R = 4.
  arch.sram.weight.bytes_per_cycle = 4;
  EXPECT_EQ(preload_cycles(arch, 8, 4, two_of_four), 5u);
  // Dense, the same 8 x 4 block would need 32 / 4 = 8.
  EXPECT_EQ(preload_cycles(arch, 8, 4), 8u);
  // At 5 B/cycle the 20 B take exactly 4: the shift chain again.
  arch.sram.weight.bytes_per_cycle = 5;
  EXPECT_EQ(preload_cycles(arch, 8, 4, two_of_four), 4u);
}

TEST(SystolicTiming, CompressedWeightsStreamTheirKeptRows) {
  arch::ArchConfig arch = small_arch();  // 4x4, 64 B/cycle ports
  const isa::NmCompression two_of_four{2, 4, 2};
  // Output stationary, m = n = 4, k = 8 dense rows: 8 / 4 x 2 = 4 kept steps: 4 + 4 + 4 - 2 = 10
  // of streaming (dense 14), + 4 of drain.
  arch.array.dataflow = arch::Dataflow::kOutputStationary;
  EXPECT_EQ(multiply_timing(arch, 4, 8, 4, two_of_four).stream, 10u);
  EXPECT_EQ(multiply_timing(arch, 4, 8, 4).stream, 14u);
  // Each step brings ceil(4 x 4 / 2) = 8 input bytes (each row takes its group's 4 inputs per 2
  // steps) and 4 kept weights + ceil(4 x 2 / 8) = 1 byte of indices = 5 B. With a 6 B/cycle
  // input port: ceil(8 / 6) = 2 cycles a step, 4 x 2 + 6 = 14.
  arch.sram.input.bytes_per_cycle = 6;
  EXPECT_EQ(stream_interval(arch, 4, 8, 4, two_of_four), 2u);
  EXPECT_EQ(multiply_timing(arch, 4, 8, 4, two_of_four).stream, 14u);
  // A 4 B/cycle weight port cannot take the 5 B: 2 cycles too (dense, 4 B: 1; its inputs, 4 B,
  // need ceil(4 / 6) = 1).
  arch.sram.input.bytes_per_cycle = 64;
  arch.sram.weight.bytes_per_cycle = 4;
  EXPECT_EQ(stream_interval(arch, 4, 8, 4, two_of_four), 2u);
  EXPECT_EQ(stream_interval(arch, 4, 8, 4), 1u);
  // Input stationary, k = 8 dense rows: a step brings the 4 kept weights and 1 byte of indices,
  // 5 B: 2 cycles through a 4 B/cycle port; dense it would be 8 B, also 2.
  arch.array.dataflow = arch::Dataflow::kInputStationary;
  EXPECT_EQ(stream_interval(arch, 4, 8, 4, two_of_four), 2u);
  arch.sram.weight.bytes_per_cycle = 5;
  EXPECT_EQ(stream_interval(arch, 4, 8, 4, two_of_four), 1u);
  EXPECT_EQ(stream_interval(arch, 4, 8, 4), 2u);
  // Its steps stay n: 4 + 4 + 4 - 2 = 10 of streaming, after the k x m = 32-byte input tile's
  // max(R, ceil(32 / 64)) = 4 cycles of setup.
  EXPECT_EQ(multiply_timing(arch, 4, 8, 4, two_of_four).stream, 10u);
  EXPECT_EQ(multiply_timing(arch, 4, 8, 4, two_of_four).setup, 4u);
}

TEST(SystolicTiming, MultiplyIsStreamPlusFillAndDrain) {
  const arch::ArchConfig arch = small_arch();
  // m + R + C - 2: the last row enters at m - 1, crosses R - 1 rows and C - 1 columns.
  EXPECT_EQ(multiply_cycles(arch, 1, 4, 4), 1u + 4 + 4 - 2);  // a single row streaming: 7
  EXPECT_EQ(multiply_cycles(arch, 10, 4, 4), 16u);
  // A partial fold still crosses the whole array.
  EXPECT_EQ(multiply_cycles(arch, 10, 1, 1), 16u);
  EXPECT_EQ(multiply_cycles(arch, 0, 4, 4), 0u);
}

TEST(SystolicTiming, FoldMatchesClassicCountOn64x64) {
  arch::ArchConfig arch = small_arch();
  arch.array.rows = 64;
  arch.array.cols = 64;
  arch.sram.weight.bytes_per_cycle = 64;
  arch.sram.output.bytes_per_cycle = 256;
  // 2R + C + T - 2 = 128 + 64 + 3136 - 2 = 3326 for a 56x56 output plane.
  EXPECT_EQ(preload_cycles(arch, 64, 64) + multiply_cycles(arch, 3136, 64, 64), 3326u);
  // A tile exactly the array's size and one column more (which needs a second fold).
  EXPECT_EQ(multiply_cycles(arch, 65, 64, 64), 65u + 126);
}

TEST(SystolicTiming, StreamIntervalFollowsTheSlowestPort) {
  arch::ArchConfig arch = small_arch();
  EXPECT_EQ(stream_interval(arch, 10, 4, 4), 1u);
  // 4 int8 operands per row over a 2 B/cycle input port: 2 cycles per row.
  arch.sram.input.bytes_per_cycle = 2;
  EXPECT_EQ(stream_interval(arch, 10, 4, 4), 2u);
  EXPECT_EQ(multiply_cycles(arch, 10, 4, 4), 10u * 2 + 6);
  // At exactly 4 B/cycle the input port keeps up.
  arch.sram.input.bytes_per_cycle = 4;
  EXPECT_EQ(stream_interval(arch, 10, 4, 4), 1u);
  // 4 int32 accumulators = 16 B per row over a 5 B/cycle output port: ceil(16 / 5) = 4.
  arch.sram.output.bytes_per_cycle = 5;
  EXPECT_EQ(stream_interval(arch, 10, 4, 4), 4u);
}

// --- Output and input stationary (4x4 array; each fold's classic count is 2R + C + steps - 2) ---

arch::ArchConfig with_dataflow(arch::Dataflow dataflow) {
  arch::ArchConfig arch = small_arch();
  arch.array.dataflow = dataflow;
  return arch;
}

TEST(SystolicTiming, OutputStationaryStreamsKThenDrains) {
  const arch::ArchConfig arch = with_dataflow(arch::Dataflow::kOutputStationary);
  // Nothing is held before the multiply: the weights stream with it.
  EXPECT_EQ(preload_cycles(arch, 10, 4), 0u);
  // m = 4 rows, n = 4 columns, k = 10 steps: 10 + 4 + 4 - 2 = 16 streaming, then the outputs
  // shift out in R = 4: 20 = 2R + C + T - 2.
  const MultiplyTiming t = multiply_timing(arch, 4, 10, 4);
  EXPECT_EQ(t.setup, 0u);
  EXPECT_EQ(t.stream, 16u);
  EXPECT_EQ(t.drain, 4u);
  EXPECT_EQ(t.total(), 2u * 4 + 4 + 10 - 2);
  // A single step still fills and drains the whole array: 1 + 6 + 4.
  EXPECT_EQ(multiply_cycles(arch, 4, 1, 4), 11u);
  // A partial block (2 x 3 outputs) costs the same as a full one.
  EXPECT_EQ(multiply_cycles(arch, 2, 10, 3), 20u);
}

TEST(SystolicTiming, OutputStationaryPorts) {
  arch::ArchConfig arch = with_dataflow(arch::Dataflow::kOutputStationary);
  // A step needs m = 4 inputs: at 2 B/cycle, 2 cycles per step: 10 x 2 + 6 = 26 streaming.
  arch.sram.input.bytes_per_cycle = 2;
  EXPECT_EQ(stream_interval(arch, 4, 10, 4), 2u);
  EXPECT_EQ(multiply_timing(arch, 4, 10, 4).stream, 26u);
  // The drain moves 4 x 4 int32 = 64 B through an 8 B/cycle output port: 8 cycles > R.
  arch = with_dataflow(arch::Dataflow::kOutputStationary);
  arch.sram.output.bytes_per_cycle = 8;
  EXPECT_EQ(multiply_timing(arch, 4, 10, 4).drain, 8u);
  // ... and exactly R at 16 B/cycle.
  arch.sram.output.bytes_per_cycle = 16;
  EXPECT_EQ(multiply_timing(arch, 4, 10, 4).drain, 4u);
}

TEST(SystolicTiming, InputStationaryLoadsInputsThenStreamsN) {
  const arch::ArchConfig arch = with_dataflow(arch::Dataflow::kInputStationary);
  EXPECT_EQ(preload_cycles(arch, 4, 10), 0u);  // the weights stream
  // k = 4 rows, m = 4 columns, n = 10 steps: inputs shift in (R = 4), 10 + 6 streaming: 20.
  const MultiplyTiming t = multiply_timing(arch, 4, 4, 10);
  EXPECT_EQ(t.setup, 4u);
  EXPECT_EQ(t.stream, 16u);
  EXPECT_EQ(t.drain, 0u);
  EXPECT_EQ(t.total(), 2u * 4 + 4 + 10 - 2);
  EXPECT_EQ(multiply_cycles(arch, 4, 4, 1), 11u);  // a single weight column streaming
}

TEST(SystolicTiming, InputStationaryPorts) {
  arch::ArchConfig arch = with_dataflow(arch::Dataflow::kInputStationary);
  // The 4 x 4 int8 input tile (16 B) through a 2 B/cycle input port: 8 cycles > R.
  arch.sram.input.bytes_per_cycle = 2;
  EXPECT_EQ(multiply_timing(arch, 4, 4, 10).setup, 8u);
  // A step brings k = 4 weights: at 2 B/cycle, 2 cycles per step.
  arch = with_dataflow(arch::Dataflow::kInputStationary);
  arch.sram.weight.bytes_per_cycle = 2;
  EXPECT_EQ(multiply_timing(arch, 4, 4, 10).stream, 10u * 2 + 6);
  // A step takes out m = 4 int32 = 16 B: through a 5 B/cycle output port, 4 cycles.
  arch = with_dataflow(arch::Dataflow::kInputStationary);
  arch.sram.output.bytes_per_cycle = 5;
  EXPECT_EQ(stream_interval(arch, 4, 4, 10), 4u);
}

TEST(SystolicTiming, OutputStationaryResnetFold) {
  // docs/timing.md: a 56x56 3x3 conv 64 -> 64 in OS streams K = 576 per 64 x 64 output block:
  // 576 + 64 + 64 - 2 = 702 streaming + 64 draining = 766 = 2R + C + K - 2.
  arch::ArchConfig arch = small_arch();
  arch.array.rows = arch.array.cols = 64;
  arch.array.dataflow = arch::Dataflow::kOutputStationary;
  arch.sram.input.bytes_per_cycle = arch.sram.weight.bytes_per_cycle = 64;
  arch.sram.output.bytes_per_cycle = 256;
  EXPECT_EQ(multiply_cycles(arch, 64, 576, 64), 766u);
}

TEST(SystolicTiming, FoldLimitsFollowTheDataflow) {
  arch::ArrayConfig array;
  array.rows = 8;
  array.cols = 4;
  array.dataflow = arch::Dataflow::kWeightStationary;
  EXPECT_EQ(arch::fold_limits(array).k, 8);
  EXPECT_EQ(arch::fold_limits(array).n, 4);
  EXPECT_EQ(arch::fold_limits(array).m, 0);  // streams
  array.dataflow = arch::Dataflow::kOutputStationary;
  EXPECT_EQ(arch::fold_limits(array).m, 8);
  EXPECT_EQ(arch::fold_limits(array).n, 4);
  EXPECT_EQ(arch::fold_limits(array).k, 0);
  array.dataflow = arch::Dataflow::kInputStationary;
  EXPECT_EQ(arch::fold_limits(array).k, 8);
  EXPECT_EQ(arch::fold_limits(array).m, 4);
  EXPECT_EQ(arch::fold_limits(array).n, 0);
}

// --- DRAM channel ---

TEST(DramTiming, ContiguousTransferRoundsOutToBlocks) {
  EXPECT_EQ(dram_bus_bytes({0, 1, 64, 64}, 64), 64u);    // one aligned block
  EXPECT_EQ(dram_bus_bytes({0, 1, 65, 65}, 64), 128u);   // one byte more: a second block
  EXPECT_EQ(dram_bus_bytes({1, 1, 64, 64}, 64), 128u);   // misaligned: straddles two blocks
  EXPECT_EQ(dram_bus_bytes({0, 4, 3, 3}, 64), 64u);      // 12 contiguous bytes
  EXPECT_EQ(dram_bus_bytes({0, 0, 64, 64}, 64), 0u);
}

TEST(DramTiming, StridedRunsCostTheBlocksTheyTouch) {
  // Runs of 16 B every 64 B: each run in its own block.
  EXPECT_EQ(dram_bus_bytes({0, 3, 16, 64}, 64), 192u);
  // Runs of 16 B every 32 B: runs 0,1 share block 0 and runs 2,3 share block 1.
  EXPECT_EQ(dram_bus_bytes({0, 4, 16, 32}, 64), 128u);
  // Runs of 8 B every 60 B from address 56: [56,64) [116,124) [176,184): blocks 0, 1, 2.
  EXPECT_EQ(dram_bus_bytes({56, 3, 8, 60}, 64), 192u);
}

TEST(DramTiming, OccupancyIsBytesOverBandwidthRoundedUp) {
  EXPECT_EQ(dram_occupancy_cycles(100, 25.6), 4u);   // 3.9 cycles
  EXPECT_EQ(dram_occupancy_cycles(6144, 25.6), 240u);  // exactly 240, despite 25.6 in binary
  EXPECT_EQ(dram_occupancy_cycles(0, 25.6), 0u);
  // 12.8 GB/s at 480 MHz is 26.666... B/cycle: 64 B take ceil(2.4) = 3 cycles.
  EXPECT_EQ(dram_occupancy_cycles(64, 12.8 * 1000 / 480), 3u);
}

TEST(DramTiming, LatencyInCycles) {
  EXPECT_EQ(ns_to_cycles(100, 480), 48u);  // 100 ns x 0.48 cycles/ns
  EXPECT_EQ(ns_to_cycles(10.5, 1000), 11u);
  EXPECT_EQ(ns_to_cycles(0, 1000), 0u);
}

// --- DMA transfer schedule ---

TEST(DmaTiming, IdleChannel) {
  const arch::ArchConfig arch = small_arch();
  // 16 B at 4 B/cycle = 4 cycles of occupancy; setup 2; latency 10.
  const DmaSchedule s = schedule_transfer(arch, 0, 0, 16, 1);
  EXPECT_EQ(s.channel_start, 2u);
  EXPECT_EQ(s.occupancy, 4u);
  EXPECT_EQ(s.channel_free, 6u);
  EXPECT_EQ(s.engine_free, 6u);
  EXPECT_EQ(s.done, 2u + 10 + 4);
}

TEST(DmaTiming, WaitsForBusyChannel) {
  const arch::ArchConfig arch = small_arch();
  // Ready at 2 but the channel is booked until 50.
  const DmaSchedule s = schedule_transfer(arch, 0, 50, 16, 1);
  EXPECT_EQ(s.channel_start, 50u);
  EXPECT_EQ(s.done, 50u + 10 + 4);
  // Channel free one cycle after the transfer is ready: one cycle of waiting.
  EXPECT_EQ(schedule_transfer(arch, 0, 3, 16, 1).channel_start, 3u);
  EXPECT_EQ(schedule_transfer(arch, 0, 2, 16, 1).channel_start, 2u);
}

TEST(DmaTiming, SlowSramPortStretchesTheTransferNotTheChannel) {
  const arch::ArchConfig arch = small_arch();
  const DmaSchedule s = schedule_transfer(arch, 0, 0, 16, 9);
  EXPECT_EQ(s.channel_free, 2u + 4);  // the bus is released after the occupancy
  EXPECT_EQ(s.engine_free, 2u + 9);   // the engine streams into the port for 9 cycles
  EXPECT_EQ(s.done, 2u + 10 + 9);
}

// --- Vector unit ---

// Rows packed back to back (stride = cols), so each operand is one contiguous block.
isa::VectorInstr vector_op(isa::VectorOp op, uint32_t rows, uint32_t cols) {
  isa::VectorInstr v;
  v.op = op;
  v.rows = rows;
  v.cols = cols;
  v.src0 = {isa::Buffer::kInput, 0};
  v.dst = {isa::Buffer::kOutput, 0};
  v.src_row_stride = cols;
  v.dst_row_stride = cols;
  return v;
}

TEST(VectorTiming, ElementwiseIsLanesPlusLatency) {
  const arch::ArchConfig arch = small_arch();
  // 4 x 4 elements on 4 lanes: 4 cycles, plus 1 of pipeline latency.
  EXPECT_EQ(vector_cycles(arch, vector_op(isa::VectorOp::kAdd, 4, 4)), 5u);
  // 17 elements: ceil(17 / 4) = 5 cycles.
  EXPECT_EQ(vector_cycles(arch, vector_op(isa::VectorOp::kActivation, 1, 17)), 6u);
  EXPECT_EQ(vector_cycles(arch, vector_op(isa::VectorOp::kActivation, 1, 16)), 5u);
}

TEST(VectorTiming, PoolingCostsOneOperationPerTap) {
  const arch::ArchConfig arch = small_arch();
  isa::VectorInstr pool = vector_op(isa::VectorOp::kMaxPool, 4, 4);
  pool.window.kernel_h = 3;
  pool.window.kernel_w = 3;
  // 16 outputs x 9 taps = 144 operations / 4 lanes = 36 cycles + 1.
  EXPECT_EQ(vector_element_ops(pool), 144u);
  EXPECT_EQ(vector_cycles(arch, pool), 37u);
}

TEST(VectorTiming, SoftmaxUsesItsOwnCost) {
  arch::ArchConfig arch = small_arch();
  arch.vector.op_cycles.softmax = 4;
  // 8 elements / 4 lanes = 2 lane-cycles x 4 cycles each + 1.
  EXPECT_EQ(vector_cycles(arch, vector_op(isa::VectorOp::kSoftmax, 1, 8)), 9u);
}

TEST(VectorTiming, LayerNormCostsOneSoftmaxOperationPerElement) {
  arch::ArchConfig arch = small_arch();
  arch.vector.op_cycles.softmax = 4;
  arch.vector.op_cycles.eltwise = 1;
  isa::VectorInstr norm = vector_op(isa::VectorOp::kLayerNorm, 2, 8);
  norm.params = {isa::Buffer::kWeight, 0};
  norm.has_params = true;
  // 2 rows x 8 channels = 16 operations (one per output element, as softmax).
  EXPECT_EQ(vector_element_ops(norm), 16u);
  // Parameters: a 32-byte header + 8 bytes of gamma and beta per channel = 32 + 64 = 96 bytes.
  const SramTraffic traffic = vector_sram_traffic(norm);
  EXPECT_EQ(traffic.read_bytes[static_cast<int>(isa::Buffer::kWeight)], 96u);
  EXPECT_EQ(traffic.read_bytes[static_cast<int>(isa::Buffer::kInput)], 16u);
  EXPECT_EQ(traffic.write_bytes[static_cast<int>(isa::Buffer::kOutput)], 16u);
  // 16 / 4 lanes = 4 lane-cycles x 4 cycles (softmax's class) + 1 = 17.
  EXPECT_EQ(vector_cycles(arch, norm), 17u);
  // Boundary: 15 elements still need ceil(15 / 4) = 4 lane-cycles; 17 need 5 (21 cycles).
  EXPECT_EQ(vector_cycles(arch, vector_op(isa::VectorOp::kLayerNorm, 1, 15)), 17u);
  EXPECT_EQ(vector_cycles(arch, vector_op(isa::VectorOp::kLayerNorm, 1, 17)), 21u);
}

TEST(VectorTiming, AddReadsBothOperandsAndItsParameterBlock) {
  isa::VectorInstr add = vector_op(isa::VectorOp::kAdd, 4, 4);
  add.src1 = {isa::Buffer::kInput, 64};
  add.has_src1 = true;
  add.params = {isa::Buffer::kWeight, 0};
  add.has_params = true;
  const SramTraffic traffic = vector_sram_traffic(add);
  // Two operands of 16 int8 elements, and one 48-byte parameter block.
  EXPECT_EQ(traffic.read_bytes[static_cast<int>(isa::Buffer::kInput)], 2u * 16);
  EXPECT_EQ(traffic.read_bytes[static_cast<int>(isa::Buffer::kWeight)], 48u);
  EXPECT_EQ(traffic.write_bytes[static_cast<int>(isa::Buffer::kOutput)], 16u);
}

TEST(VectorTiming, Src1IsTrafficOnlyForAdd) {
  // A src1 on a unary op is ignored: 8 int8 elements read from the input buffer, nothing else.
  isa::VectorInstr act = vector_op(isa::VectorOp::kActivation, 2, 4);
  act.src1 = {isa::Buffer::kWeight, 0};
  act.has_src1 = true;
  const SramTraffic traffic = vector_sram_traffic(act);
  EXPECT_EQ(traffic.read_bytes[static_cast<int>(isa::Buffer::kInput)], 8u);
  EXPECT_EQ(traffic.read_bytes[static_cast<int>(isa::Buffer::kWeight)], 0u);
}

TEST(VectorTiming, RequantReadsAccumulatorsAndParameters) {
  arch::ArchConfig arch = small_arch();
  isa::VectorInstr requant = vector_op(isa::VectorOp::kRequant, 2, 4);
  requant.src0 = {isa::Buffer::kOutput, 0};
  requant.params = {isa::Buffer::kWeight, 0};
  requant.has_params = true;
  requant.src_type = isa::ElementType::kInt32;
  const SramTraffic traffic = vector_sram_traffic(requant);
  EXPECT_EQ(traffic.read_bytes[static_cast<int>(isa::Buffer::kOutput)], 2u * 4 * 4);  // int32
  EXPECT_EQ(traffic.read_bytes[static_cast<int>(isa::Buffer::kWeight)], 4u * 12);     // per column
  EXPECT_EQ(traffic.write_bytes[static_cast<int>(isa::Buffer::kOutput)], 8u);         // int8
  // 8 elements on 4 lanes: 2 cycles. Narrow the output port to 4 B/cycle: 32 B read take 8.
  EXPECT_EQ(vector_cycles(arch, requant), 3u);
  arch.sram.output.bytes_per_cycle = 4;
  EXPECT_EQ(vector_cycles(arch, requant), 9u);
}

TEST(VectorTiming, FloatRequantReadsFp32AndWritesTwoByteElements) {
  arch::ArchConfig arch = small_arch();
  isa::VectorInstr requant = vector_op(isa::VectorOp::kRequant, 2, 4);
  requant.src0 = {isa::Buffer::kOutput, 0};
  requant.params = {isa::Buffer::kWeight, 0};
  requant.has_params = true;
  requant.src_type = isa::ElementType::kFp32;
  for (isa::ElementType out : {isa::ElementType::kFp16, isa::ElementType::kBf16}) {
    requant.dst_type = out;
    const SramTraffic traffic = vector_sram_traffic(requant);
    // 8 fp32 accumulators = 32 B, 4 records of float32 bias, lo, hi = 48 B, 8 results x 2 B = 16 B.
    EXPECT_EQ(traffic.read_bytes[static_cast<int>(isa::Buffer::kOutput)], 32u);
    EXPECT_EQ(traffic.read_bytes[static_cast<int>(isa::Buffer::kWeight)], 48u);
    EXPECT_EQ(traffic.write_bytes[static_cast<int>(isa::Buffer::kOutput)], 16u);
  }
  // The output port carries 32 B read and 16 B written. At 4 B/cycle the read takes 8 cycles
  // (+1 latency = 9); at 8 B/cycle 4 (+1 = 5), the writes 2: the reads bound it.
  arch.sram.output.bytes_per_cycle = 4;
  EXPECT_EQ(vector_cycles(arch, requant), 9u);
  arch.sram.output.bytes_per_cycle = 8;
  EXPECT_EQ(vector_cycles(arch, requant), 5u);
}

TEST(VectorTiming, TrafficFollowsElementTypes) {
  // 2 x 4 elements: fp16 and bf16 move 16 B each way, fp32 32 B, int8 8 B.
  for (const auto& [type, bytes] : {std::pair{isa::ElementType::kInt8, 8u},
                                    std::pair{isa::ElementType::kFp16, 16u},
                                    std::pair{isa::ElementType::kBf16, 16u},
                                    std::pair{isa::ElementType::kFp32, 32u}}) {
    isa::VectorInstr copy = vector_op(isa::VectorOp::kCopy, 2, 4);
    copy.src_type = type;
    copy.dst_type = type;
    const SramTraffic traffic = vector_sram_traffic(copy);
    EXPECT_EQ(traffic.read_bytes[static_cast<int>(isa::Buffer::kInput)], bytes)
        << isa::to_string(type);
    EXPECT_EQ(traffic.write_bytes[static_cast<int>(isa::Buffer::kOutput)], bytes)
        << isa::to_string(type);
  }
}

TEST(VectorTiming, FloatParameterBlocksFollowTheOutputType) {
  isa::VectorInstr add = vector_op(isa::VectorOp::kAdd, 4, 4);
  add.src1 = {isa::Buffer::kInput, 64};
  add.has_src1 = true;
  add.params = {isa::Buffer::kWeight, 0};
  add.has_params = true;
  add.src_type = isa::ElementType::kFp16;
  add.dst_type = isa::ElementType::kFp16;
  // Two operands of 16 fp16 elements (32 B each), an 8-byte float32 lo/hi block, 32 B written.
  SramTraffic traffic = vector_sram_traffic(add);
  EXPECT_EQ(traffic.read_bytes[static_cast<int>(isa::Buffer::kInput)], 2u * 32);
  EXPECT_EQ(traffic.read_bytes[static_cast<int>(isa::Buffer::kWeight)], 8u);
  EXPECT_EQ(traffic.write_bytes[static_cast<int>(isa::Buffer::kOutput)], 32u);
  // A float activation has no table: nothing is read from the weight buffer even with has_params.
  isa::VectorInstr act = vector_op(isa::VectorOp::kActivation, 4, 4);
  act.params = {isa::Buffer::kWeight, 0};
  act.has_params = true;
  act.src_type = isa::ElementType::kBf16;
  act.dst_type = isa::ElementType::kBf16;
  traffic = vector_sram_traffic(act);
  EXPECT_EQ(traffic.read_bytes[static_cast<int>(isa::Buffer::kWeight)], 0u);
  EXPECT_EQ(traffic.read_bytes[static_cast<int>(isa::Buffer::kInput)], 32u);
}

TEST(VectorTiming, MulIsElementwiseWithTwoOperandsAndItsBlock) {
  const arch::ArchConfig arch = small_arch();
  isa::VectorInstr mul = vector_op(isa::VectorOp::kMul, 4, 4);
  mul.src1 = {isa::Buffer::kInput, 64};
  mul.has_src1 = true;
  mul.params = {isa::Buffer::kWeight, 0};
  mul.has_params = true;
  // As add: 16 elements on 4 lanes at the eltwise cost of 1: 4 cycles, plus 1 of latency.
  EXPECT_EQ(vector_cycles(arch, mul), 5u);
  // Two operands of 16 int8 elements and the 32-byte int8 block; an fp16 mul reads 8 bytes.
  SramTraffic traffic = vector_sram_traffic(mul);
  EXPECT_EQ(traffic.read_bytes[static_cast<int>(isa::Buffer::kInput)], 2u * 16);
  EXPECT_EQ(traffic.read_bytes[static_cast<int>(isa::Buffer::kWeight)], 32u);
  EXPECT_EQ(traffic.write_bytes[static_cast<int>(isa::Buffer::kOutput)], 16u);
  mul.src_type = mul.dst_type = isa::ElementType::kFp16;
  traffic = vector_sram_traffic(mul);
  EXPECT_EQ(traffic.read_bytes[static_cast<int>(isa::Buffer::kInput)], 2u * 32);
  EXPECT_EQ(traffic.read_bytes[static_cast<int>(isa::Buffer::kWeight)], 8u);
}

TEST(VectorTiming, TransposeWritesColsRowsOfRowsElements) {
  arch::ArchConfig arch = small_arch();
  // An 8 x 2 int8 source, rows 2 apart, becomes 2 rows of 8 at the destination, 16 apart.
  isa::VectorInstr t = vector_op(isa::VectorOp::kTranspose, 8, 2);
  t.dst_row_stride = 16;
  // One operation per element: 16 on 4 lanes, eltwise cost 1: 4 cycles + 1.
  EXPECT_EQ(vector_element_ops(t), 16u);
  EXPECT_EQ(vector_cycles(arch, t), 5u);
  const SramBlocks blocks = vector_sram_blocks(t);
  const auto& writes = blocks.writes[static_cast<int>(isa::Buffer::kOutput)];
  ASSERT_EQ(writes.size(), 1u);
  EXPECT_EQ(writes[0].rows, 2u);
  EXPECT_EQ(writes[0].row_bytes, 8u);
  EXPECT_EQ(writes[0].stride, 16u);
  // A 4 B/cycle output port (one bank, 4-byte words): rows at 0 and 16 of 8 bytes are words
  // 0-1 and 4-5, 4 cycles, under the 4 of compute. Rows of the source's shape (8 rows of 2 bytes,
  // 16 apart) would have touched 8 words.
  arch.sram.output.bytes_per_cycle = 4;
  EXPECT_EQ(vector_cycles(arch, t), 5u);
  // At 2 B/cycle the 8 words of 2 bytes bound it: 8 + 1.
  arch.sram.output.bytes_per_cycle = 2;
  EXPECT_EQ(vector_cycles(arch, t), 9u);
  // Each element is read and written once, whatever the shape.
  const SramTraffic traffic = vector_sram_traffic(t);
  EXPECT_EQ(traffic.read_bytes[static_cast<int>(isa::Buffer::kInput)], 16u);
  EXPECT_EQ(traffic.write_bytes[static_cast<int>(isa::Buffer::kOutput)], 16u);
}

}  // namespace
}  // namespace npu::timing
