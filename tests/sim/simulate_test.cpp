// The SystemC model on hand-built programs whose cycle counts are derived by hand from the rules
// in docs/timing.md (each derivation is in the test's comment).

#include <gtest/gtest.h>

#include "isa/program.h"
#include "sim/simulate.h"
#include "tests/common/hand_programs.h"
#include "tests/common/small_arch.h"

namespace npu::sim {
namespace {

using isa::Buffer;

using testing_support::small_arch;
using testing_support::at;
using testing_support::load;
using testing_support::one_fold_dense;
using testing_support::store;


TEST(Simulate, OneFoldDenseLayerCyclesByHand) {
  // Load stream (one engine, pipelined: the next transfer issues once the previous has streamed):
  //   0: ready 0, setup 2 -> channel 2..3 (4 B / 4 B/cycle = 1), done 2 + 10 + 1 = 13
  //   1: issued 3, setup -> 5, channel 5..9 (16 B = 4 cycles), done 5 + 10 + 4 = 19
  //   2: issued 9, setup -> 11, channel 11..23 (48 B = 12 cycles), done 11 + 10 + 12 = 33
  // Matrix stream: preload waits for 1 (19), takes R = 4 -> 23;
  //   multiply (input from 0, done 13) starts 23, takes m + R + C - 2 = 1 + 4 + 4 - 2 = 7 -> 30
  // Vector: requant waits for 2 (33) and 4 (30): 33, takes 1 + ceil(4 / 4) = 2 -> 35
  // Store: issued 35, setup -> 37 (channel free since 23), 1 cycle, done 37 + 10 + 1 = 48
  const stats::RunCounters counters = simulate(small_arch(), one_fold_dense());
  EXPECT_EQ(counters.total_cycles, 48u);
  ASSERT_EQ(counters.layers.size(), 1u);
  const stats::LayerCounters& fc = counters.layers[0];
  EXPECT_EQ(fc.cycles, 48u);
  EXPECT_EQ(fc.first_issue_cycle, 0u);
  EXPECT_EQ(fc.matrix_busy_cycles, 4u + 7);
  EXPECT_EQ(fc.vector_busy_cycles, 2u);
  EXPECT_EQ(fc.dram_busy_cycles, 1u + 4 + 12 + 1);
  EXPECT_EQ(fc.dram_read_bytes, 4u + 16 + 48);
  EXPECT_EQ(fc.dram_write_bytes, 4u);
  EXPECT_EQ(fc.executed_macs, 16u);
  EXPECT_EQ(fc.array_pe_cycles, 16u);  // 1 row streamed past 16 PEs
  EXPECT_EQ(fc.vector_element_ops, 4u);
  EXPECT_EQ(fc.instructions, 7u);
  // SRAM: weights read by the preload (16 B) and parameters by the requant (48 B); accumulators
  // written by the multiply (16 B) and read by the requant (16 B); result written (4 B), stored.
  EXPECT_EQ(fc.sram_read_bytes[static_cast<int>(Buffer::kWeight)], 16u + 48);
  EXPECT_EQ(fc.sram_write_bytes[static_cast<int>(Buffer::kWeight)], 16u + 48);
  EXPECT_EQ(fc.sram_read_bytes[static_cast<int>(Buffer::kInput)], 4u);
  EXPECT_EQ(fc.sram_write_bytes[static_cast<int>(Buffer::kOutput)], 16u + 4);
  EXPECT_EQ(fc.sram_read_bytes[static_cast<int>(Buffer::kOutput)], 16u + 4);
}

// A sweep in one process runs many simulations: each run's kernel context (with every thread's
// coroutine stack) is freed with it, so the ten-thousandth run still starts, and gives the same
// answer as the first. (Leaked, the contexts exhausted the process's memory mappings after a few
// thousand runs.)
TEST(Simulate, TenThousandRunsInOneProcess) {
  for (int run = 0; run < 10'000; ++run) {
    ASSERT_EQ(simulate(small_arch(), one_fold_dense()).total_cycles, 48u) << "run " << run;
  }
}

uint64_t module_counter(const stats::RunCounters& counters, const std::string& module,
                        const std::string& name) {
  for (const stats::ModuleCounter& counter : counters.modules) {
    if (counter.module == module && counter.name == name) return counter.value;
  }
  ADD_FAILURE() << "no counter " << module << "." << name;
  return 0;
}

TEST(Simulate, ModuleCountersOfTheOneFoldLayer) {
  // Same program as above: 3 loads + 1 store over the channel, 4 + 16 + 48 + 4 = 72 bus bytes,
  // occupying it 1 + 4 + 12 + 1 = 18 cycles; one preload (4) and one multiply (7).
  const stats::RunCounters counters = simulate(small_arch(), one_fold_dense());
  EXPECT_EQ(module_counter(counters, "npu.dram", "transfers"), 4u);
  EXPECT_EQ(module_counter(counters, "npu.dram", "bus_bytes"), 72u);
  EXPECT_EQ(module_counter(counters, "npu.dram", "busy_cycles"), 18u);
  EXPECT_EQ(module_counter(counters, "npu.dma", "loads"), 3u);
  EXPECT_EQ(module_counter(counters, "npu.dma", "stores"), 1u);
  EXPECT_EQ(module_counter(counters, "npu.array", "preloads"), 1u);
  EXPECT_EQ(module_counter(counters, "npu.array", "busy_cycles"), 11u);
  EXPECT_EQ(module_counter(counters, "npu.vector", "busy_cycles"), 2u);
  EXPECT_EQ(module_counter(counters, "npu.controller", "matrix_dispatched"), 2u);
  EXPECT_EQ(module_counter(counters, "npu.weight_buffer", "read_bytes"), 16u + 48);
}

TEST(Simulate, LoadsAndStoresShareTheDramChannel) {
  // A load and a store with no dependencies, both ready at 0 with 40 B (10 cycles) each. Whichever
  // books the channel first runs 2..12 and is done at 2 + 10 + 10 = 22; the other waits for the
  // channel, runs 12..22 and is done at 12 + 10 + 10 = 32.
  isa::Program program;
  program.layers.push_back({"copy", "concat", {1, 40}, 0, 0, ""});
  program.code = {at(load(0, {Buffer::kInput, 0}, 40)),
                  at(store({Buffer::kOutput, 0}, 64, 40))};
  const stats::RunCounters counters = simulate(small_arch(), program);
  EXPECT_EQ(counters.total_cycles, 32u);
  EXPECT_EQ(counters.layers[0].dram_busy_cycles, 20u);
}

TEST(Simulate, StridedRunsCountTheirBlocksAndTheirData) {
  // A load of 4 runs of 3 B, 6 B apart, from address 2, on 4-byte blocks: runs [2,5) [8,11)
  // [14,17) [20,23) touch blocks 0-1, 2, 3-4, 5: 6 blocks, 24 bus bytes for 12 bytes of data. A
  // store of 8 contiguous bytes to address 66: blocks 16-18, 12 bus bytes for 8.
  isa::Program program;
  program.layers.push_back({"copy", "concat", {1, 12}, 0, 0, ""});
  isa::DmaLoad strided = load(2, {Buffer::kInput, 0}, 3);
  strided.rows = 4;
  strided.dram_stride = 6;
  program.code = {at(strided), at(store({Buffer::kOutput, 0}, 66, 8))};
  const stats::RunCounters counters = simulate(small_arch(), program);
  EXPECT_EQ(counters.layers[0].dram_read_bytes, 24u);
  EXPECT_EQ(counters.layers[0].dram_write_bytes, 12u);
  EXPECT_EQ(counters.layers[0].dram_payload_bytes, 12u + 8u);
}

TEST(Simulate, BackToBackLoadsPipelineTheLatency) {
  // Three 40 B loads on one engine: channel 2..12, 14..24, 26..36 (setup 2 between them, since
  // the engine issues the next as soon as the previous has streamed); the last is done at
  // 26 + 10 + 10 = 46, not 3 x 22 = 66 as it would be if each waited for its data.
  isa::Program program;
  program.layers.push_back({"copy", "concat", {1, 120}, 0, 0, ""});
  program.code = {at(load(0, {Buffer::kInput, 0}, 40)), at(load(40, {Buffer::kInput, 40}, 40)),
                  at(load(80, {Buffer::kInput, 80}, 40))};
  EXPECT_EQ(simulate(small_arch(), program).total_cycles, 46u);
}

TEST(Simulate, LayersChargedFromPreviousCompletion) {
  // Two layers, each one 40 B load, the second depending on nothing (no barrier: that is the
  // compiler's to add): layer 0 ends at 22; layer 1's load issues at 12, runs on the channel
  // 14..24 and is done at 14 + 10 + 10 = 34, so it is charged 34 - 22 = 12 cycles.
  isa::Program program;
  program.layers.push_back({"a", "concat", {1, 40}, 0, 0, ""});
  program.layers.push_back({"b", "concat", {1, 40}, 0, 0, ""});
  program.code = {at(load(0, {Buffer::kInput, 0}, 40)), at(load(40, {Buffer::kInput, 40}, 40))};
  program.code[1].layer = 1;
  const stats::RunCounters counters = simulate(small_arch(), program);
  EXPECT_EQ(counters.total_cycles, 34u);
  EXPECT_EQ(counters.layers[0].cycles, 22u);
  EXPECT_EQ(counters.layers[1].cycles, 12u);
}

// Two folds back to back on the 4x4 array, nothing to wait for but the array itself.
isa::Program two_folds(uint32_t m, uint32_t k, uint32_t n) {
  isa::Program program;
  program.layers.push_back({"gemm", "dense", {m, n}, 0, 0, ""});
  isa::MatrixPreload preload;
  preload.weights = {Buffer::kWeight, 0};
  preload.k_rows = k;
  preload.n_cols = n;
  preload.row_stride = n;
  isa::MatrixMultiply multiply;
  multiply.input = {Buffer::kInput, 0};
  multiply.window.patch_h = m;
  multiply.window.patch_c = k;
  multiply.m_rows = m;
  multiply.k_rows = k;
  multiply.n_cols = n;
  multiply.acc = {Buffer::kOutput, 0};
  multiply.acc_row_stride = n;
  program.code = {at(preload), at(multiply), at(preload), at(multiply)};
  return program;
}

uint64_t two_fold_cycles(arch::Dataflow dataflow, arch::StationaryPreload preload, uint32_t m,
                         uint32_t k, uint32_t n) {
  arch::ArchConfig arch = small_arch();
  arch.array.dataflow = dataflow;
  arch.array.stationary_preload = preload;
  return simulate(arch, two_folds(m, k, n)).total_cycles;
}

TEST(Simulate, WeightStationaryPreloadSerialOrDoubleBuffered) {
  using arch::Dataflow;
  using arch::StationaryPreload;
  // Serial: (R + m + R + C - 2) per fold = (4 + 16) x 2 = 40.
  EXPECT_EQ(two_fold_cycles(Dataflow::kWeightStationary, StationaryPreload::kSerial, 10, 4, 4), 40u);
  // Double-buffered: the second preload [4, 8) hides under the first fold's streaming [4, 20);
  // the second fold streams [20, 36).
  EXPECT_EQ(
      two_fold_cycles(Dataflow::kWeightStationary, StationaryPreload::kDoubleBuffered, 10, 4, 4),
      36u);
}

TEST(Simulate, OutputStationaryDrainOverlapsNextFold) {
  using arch::Dataflow;
  using arch::StationaryPreload;
  // Serial: (k + R + C - 2 + R) per fold = 20 x 2 = 40.
  EXPECT_EQ(two_fold_cycles(Dataflow::kOutputStationary, StationaryPreload::kSerial, 4, 10, 4), 40u);
  // Double-buffered: fold 1 streams [0, 16) and drains [16, 20) while fold 2 streams [16, 32);
  // fold 2 drains [32, 36).
  EXPECT_EQ(
      two_fold_cycles(Dataflow::kOutputStationary, StationaryPreload::kDoubleBuffered, 4, 10, 4),
      36u);
}

TEST(Simulate, InputStationaryLoadOverlapsPreviousFold) {
  using arch::Dataflow;
  using arch::StationaryPreload;
  // Serial: (R + n + R + C - 2) per fold = 20 x 2 = 40.
  EXPECT_EQ(two_fold_cycles(Dataflow::kInputStationary, StationaryPreload::kSerial, 4, 4, 10), 40u);
  // Double-buffered: fold 1 loads [0, 4) and streams [4, 20); fold 2's inputs load [4, 8) in the
  // shadow registers and it streams [20, 36).
  EXPECT_EQ(
      two_fold_cycles(Dataflow::kInputStationary, StationaryPreload::kDoubleBuffered, 4, 4, 10),
      36u);
}

TEST(Simulate, DoubleBufferingNeverLetsAFoldOutrunItsStationaryLoad) {
  // m = 1: streaming (1 + 6 = 7) is longer than the preload (4), so double buffering saves
  // every preload but the first: 4 + 7 + 7 = 18 against (4 + 7) x 2 = 22 serial.
  EXPECT_EQ(two_fold_cycles(arch::Dataflow::kWeightStationary, arch::StationaryPreload::kSerial, 1,
                            4, 4),
            22u);
  EXPECT_EQ(two_fold_cycles(arch::Dataflow::kWeightStationary,
                            arch::StationaryPreload::kDoubleBuffered, 1, 4, 4),
            18u);
}

TEST(Simulate, ChainedMultipliesOnTheSameWeightsStreamWithoutRefilling) {
  // One preload, then two multiplies of 5 rows each on the same weights: preload [0, 4); the
  // first streams rows from 4 and drains by 4 + 5 + 6 = 15; the second's rows enter right behind,
  // from 9, and drain by 9 + 5 + 6 = 20: exactly one multiply of 10 rows (4 + 16 = 20).
  isa::Program program = two_folds(5, 4, 4);
  program.code.erase(program.code.begin() + 2);  // drop the second preload
  EXPECT_EQ(simulate(small_arch(), program).total_cycles, 20u);
  // Without the chain (a preload between), each multiply pays its fill: (4 + 11) x 2 = 30.
  EXPECT_EQ(simulate(small_arch(), two_folds(5, 4, 4)).total_cycles, 30u);
}

TEST(Simulate, RepeatedRunsInOneProcessAgree) {
  const arch::ArchConfig arch = small_arch();
  const isa::Program program = one_fold_dense();
  const uint64_t first = simulate(arch, program).total_cycles;
  for (int i = 0; i < 3; ++i) EXPECT_EQ(simulate(arch, program).total_cycles, first);
}

}  // namespace
}  // namespace npu::sim
