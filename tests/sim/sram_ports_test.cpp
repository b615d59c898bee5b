// SRAM ports shared between units, bank conflicts stretching DMA transfers, and the ideal-memory
// mode, on hand-built programs whose cycles are derived by hand from docs/timing.md ("SRAM
// buffers", "Ideal memory"); the derivation of each value is in the test's comment.

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "arch/arch_loader.h"
#include "compiler/compile.h"
#include "compiler/workload_reader.h"
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

// A strided load: `rows` runs of `row_bytes`, contiguous in DRAM, `sram_stride` apart in SRAM.
isa::DmaLoad load(uint64_t dram, isa::SramAddr sram, uint32_t rows, uint32_t row_bytes,
                  uint32_t sram_stride) {
  isa::DmaLoad l;
  l.dram_addr = dram;
  l.sram = sram;
  l.rows = rows;
  l.row_bytes = row_bytes;
  l.dram_stride = row_bytes;  // contiguous in DRAM
  l.sram_stride = sram_stride;
  return l;
}

// One row of `bytes` int8 elements copied from `from` to `to`.
isa::VectorInstr copy(isa::SramAddr from, isa::SramAddr to, uint32_t bytes) {
  isa::VectorInstr v;
  v.op = isa::VectorOp::kCopy;
  v.src0 = from;
  v.dst = to;
  v.rows = 1;
  v.cols = bytes;
  v.src_row_stride = bytes;
  v.dst_row_stride = bytes;
  return v;
}

isa::Program one_layer(std::vector<isa::Instruction> code) {
  isa::Program program;
  program.layers.push_back({"l", "concat", {1, 40}, 0, 0, ""});
  program.code = std::move(code);
  return program;
}

// The small design with a 4 B/cycle input buffer (one bank: 4-byte words), so that moving 40 B
// through either of its ports takes 10 cycles.
arch::ArchConfig narrow_input() {
  arch::ArchConfig arch = small_arch();
  arch.sram.input.bytes_per_cycle = 4;
  return arch;
}

uint64_t stall_cycles(const stats::RunCounters& counters) {
  uint64_t total = 0;
  for (const stats::LayerTimeline& timeline : counters.timelines) {
    for (const stats::Interval& interval :
         timeline.intervals[static_cast<int>(stats::Activity::kSramStall)]) {
      total += interval.end - interval.start;
    }
  }
  return total;
}

TEST(SramPorts, StoreWaitsForTheReadPortAVectorOpHolds) {
  // Loads 0 and 1 (4 B each into the weight buffer) only pace the other two:
  //   0: channel 2..3, done 2 + 10 + 1 = 13;  1: issued 3, channel 5..6, done 16.
  // 2 (vector, after 0): copies 40 B out of the input buffer from 13: its read port for
  //   40 / 4 = 10 cycles [13, 23); 40 elements on 4 lanes = 10; 1 + 10 = 11 cycles -> 24.
  // 3 (store, after 1): issued 16, ready 18; reads 8 B of the input buffer = 2 cycles of the same
  //   read port, booked until 23: it waits 18..23 (5 cycles of SRAM stall), streams 23..25,
  //   done 23 + 10 + 2 = 35 (30 with the port to itself).
  const isa::Program program = one_layer({
      at(load(0, {Buffer::kWeight, 0}, 4)),
      at(load(4, {Buffer::kWeight, 4}, 4)),
      at(copy({Buffer::kInput, 0}, {Buffer::kOutput, 0}, 40), {0}),
      at(store({Buffer::kInput, 64}, 100, 8), {1}),
  });
  const stats::RunCounters counters = simulate(narrow_input(), program);
  EXPECT_EQ(counters.total_cycles, 35u);
  EXPECT_EQ(counters.layers[0].sram_wait_cycles, 5u);
  EXPECT_EQ(stall_cycles(counters), 5u);
  const auto& stalls =
      counters.timelines[0].intervals[static_cast<int>(stats::Activity::kSramStall)];
  ASSERT_EQ(stalls.size(), 1u);
  EXPECT_EQ(stalls[0].start, 18u);
  EXPECT_EQ(stalls[0].end, 23u);
}

TEST(SramPorts, VectorOpWaitsForTheReadPortAStoreHolds) {
  // The other way round: the store asks first.
  //   0: done 13 (as above);  1: done 16.
  // 2 (store, after 0): issued 13, ready 15; 40 B = 10 cycles of channel and of the input read
  //   port [15, 25); done 15 + 10 + 10 = 35.
  // 3 (vector, after 1): ready 16, needs the read port for 10 cycles: free at 25, so it waits
  //   16..25 (9 cycles) and runs 11 cycles -> 36.
  const isa::Program program = one_layer({
      at(load(0, {Buffer::kWeight, 0}, 4)),
      at(load(4, {Buffer::kWeight, 4}, 4)),
      at(store({Buffer::kInput, 64}, 100, 40), {0}),
      at(copy({Buffer::kInput, 0}, {Buffer::kOutput, 0}, 40), {1}),
  });
  const stats::RunCounters counters = simulate(narrow_input(), program);
  EXPECT_EQ(counters.total_cycles, 36u);
  EXPECT_EQ(counters.layers[0].sram_wait_cycles, 9u);
}

TEST(SramPorts, LoadWritingWhileAVectorOpReadsTheSameBufferDoesNotWait) {
  // Each bank has a read port and a write port.
  // 0 (load 40 B into the input buffer): ready 2, channel 2..12, write port [2, 12), done 22.
  // 1 (vector, no deps): reads 40 B of the input buffer from 0, read port [0, 10), done 11.
  // No SRAM wait: 22 cycles (30 if the two shared one port: the load would start at 10).
  const isa::Program program = one_layer({
      at(load(0, {Buffer::kInput, 0}, 40)),
      at(copy({Buffer::kInput, 64}, {Buffer::kOutput, 0}, 40)),
  });
  const stats::RunCounters counters = simulate(narrow_input(), program);
  EXPECT_EQ(counters.total_cycles, 22u);
  EXPECT_EQ(counters.layers[0].sram_wait_cycles, 0u);
}

TEST(SramPorts, LoadIntoOneBufferAndStoreFromAnotherDoNotConflict) {
  // A load writing the input buffer and a store reading the output buffer, both 40 B, both ready
  // at 2, with 4 B/cycle ports on both buffers (10 cycles each): different ports, so only the
  // DRAM channel orders them: one runs 2..12 (done 22), the other 12..22 (done 32).
  arch::ArchConfig arch = narrow_input();
  arch.sram.output.bytes_per_cycle = 4;
  const isa::Program program = one_layer({
      at(load(0, {Buffer::kInput, 0}, 40)),
      at(store({Buffer::kOutput, 0}, 64, 40)),
  });
  const stats::RunCounters counters = simulate(arch, program);
  EXPECT_EQ(counters.total_cycles, 32u);
  EXPECT_EQ(counters.layers[0].sram_wait_cycles, 0u);
  EXPECT_EQ(stall_cycles(counters), 0u);
}

// The small design with a 4-bank, 16 B/cycle input buffer (4-byte words, word x in bank x % 4)
// and an 8 B/cycle DRAM channel.
arch::ArchConfig banked_input() {
  arch::ArchConfig arch = small_arch();
  arch.sram.input.banks = 4;
  arch.sram.input.bytes_per_cycle = 16;
  arch.dram.bandwidth_gbps = 8;
  return arch;
}

uint64_t strided_then_contiguous(uint32_t sram_stride) {
  return simulate(banked_input(), one_layer({at(load(0, {Buffer::kInput, 0}, 8, 4, sram_stride)),
                                             at(load(32, {Buffer::kInput, 512}, 32))}))
      .total_cycles;
}

TEST(SramPorts, StrideHittingOneBankStretchesTheTransfer) {
  // Load 0: 8 rows of 4 B, contiguous in DRAM (32 B: 4 cycles of channel), 16 B = banks x word
  // apart in SRAM: words 0, 4, ..., 28, all in bank 0: 8 rows x 1 word = 8 cycles of write port.
  // Ready 2; streams max(4, 8) = 8 cycles: engine free at 10, done 2 + 10 + 8 = 20.
  // Load 1 (32 B contiguous at 512 = words 128..135, 2 per bank: 2 cycles): issued 10, ready 12,
  // streams 4, done 12 + 10 + 4 = 26.
  EXPECT_EQ(strided_then_contiguous(16), 26u);
  // 20 B = word x (banks + 1) apart: words 0, 5, 10, ..., 35 in banks 0, 1, 2, 3, 0, ...: 2 per
  // bank, 2 cycles, hidden under the 4 of the channel. Load 0 done 2 + 10 + 4 = 16, engine free 6;
  // load 1 ready 8, done 8 + 10 + 4 = 22.
  EXPECT_EQ(strided_then_contiguous(20), 22u);
}

// --- Ideal memory ---


TEST(IdealMemory, OnlyTheArrayAndVectorUnitTakeTime) {
  // Every transfer is done the cycle it is issued: the loads at 0, so the preload runs 0..4
  // (R = 4), the multiply 4..11 (1 + 4 + 4 - 2), the requant 11..13 (1 + ceil(4 / 4)), and the
  // store is done at 13 (48 with real memory). The 72 bytes still cross the DRAM bus; the
  // channel is never busy.
  arch::ArchConfig arch = small_arch();
  arch.memory.ideal = true;
  const stats::RunCounters counters = simulate(arch, one_fold_dense());
  EXPECT_EQ(counters.total_cycles, 13u);
  const stats::LayerCounters& fc = counters.layers[0];
  EXPECT_EQ(fc.dram_read_bytes, 4u + 16 + 48);
  EXPECT_EQ(fc.dram_write_bytes, 4u);
  EXPECT_EQ(fc.dram_busy_cycles, 0u);
  EXPECT_EQ(fc.matrix_busy_cycles, 4u + 7);
  EXPECT_EQ(fc.vector_busy_cycles, 2u);
  EXPECT_EQ(fc.sram_wait_cycles, 0u);
  EXPECT_EQ(simulate(small_arch(), one_fold_dense()).total_cycles, 48u);
}

TEST(IdealMemory, NoPortLimitsOrConflicts) {
  // The conflicting program of StoreWaitsForTheReadPortAVectorOpHolds, ideal: loads done at 0,
  // the copy runs 0..11 (1 + 10 lanes-cycles, its 10-cycle port no longer counts but compute
  // is 10 too) and the store is done when issued at 0: 11 cycles, no stall.
  arch::ArchConfig arch = narrow_input();
  arch.memory.ideal = true;
  const isa::Program program = one_layer({
      at(load(0, {Buffer::kWeight, 0}, 4)),
      at(load(4, {Buffer::kWeight, 4}, 4)),
      at(copy({Buffer::kInput, 0}, {Buffer::kOutput, 0}, 40), {0}),
      at(store({Buffer::kInput, 64}, 100, 8), {1}),
  });
  const stats::RunCounters counters = simulate(arch, program);
  EXPECT_EQ(counters.total_cycles, 11u);
  EXPECT_EQ(counters.layers[0].sram_wait_cycles, 0u);
  EXPECT_EQ(stall_cycles(counters), 0u);
}

// In ideal-memory mode cycles depend only on the array, the dataflow, the vector unit and the
// layer shapes. Run the way the CLI runs (every design compiled for itself: under memory.ideal the
// tilers plan for a memory that costs nothing, compiler/planning_design.h), ResNet-50 on
// int8_64x64 takes the same cycles in every layer whatever the DRAM, DMA and SRAM port parameters,
// and moves the same bytes. SRAM sizes are kept: they shape the tiles.
stats::RunCounters compile_and_simulate(const compiler::Graph& graph, const arch::ArchConfig& arch) {
  return simulate(arch, compiler::compile(graph, arch));
}

uint64_t dram_bytes(const stats::RunCounters& run) {
  uint64_t bytes = 0;
  for (const stats::LayerCounters& layer : run.layers) {
    bytes += layer.dram_read_bytes + layer.dram_write_bytes;
  }
  return bytes;
}

TEST(IdealMemory, ResNet50CyclesIgnoreEveryMemoryTimingParameter) {
  const std::string repo = NPU_REPO_DIR;
  const std::string config = repo + "/configs/int8_64x64.yaml";
  const compiler::Graph graph = compiler::read_workload(repo + "/workloads/resnet.yaml");

  const std::vector<std::string> ideal = {"memory.ideal=true"};
  const stats::RunCounters reference = compile_and_simulate(graph, arch::load_arch(config, ideal));
  for (const stats::LayerCounters& layer : reference.layers) {
    EXPECT_EQ(layer.dram_busy_cycles, 0u) << layer.name;
    EXPECT_EQ(layer.sram_wait_cycles, 0u) << layer.name;
  }
  EXPECT_GT(dram_bytes(reference), 0u);

  const std::vector<std::vector<std::string>> variants = {
      {"dram.bandwidth_gbps=1.6"},
      {"dram.bandwidth_gbps=51.2"},
      {"dram.latency_ns=2000"},
      {"dma.setup_cycles=500"},
      {"sram.input.bytes_per_cycle=8", "sram.input.banks=8"},
      {"sram.weight.bytes_per_cycle=4", "sram.weight.banks=2"},
      {"sram.output.bytes_per_cycle=16", "sram.output.banks=16"},
      {"dram.bandwidth_gbps=1.6", "dram.latency_ns=2000", "dma.setup_cycles=500",
       "sram.input.bytes_per_cycle=1", "sram.input.banks=1", "sram.weight.bytes_per_cycle=2",
       "sram.weight.banks=1", "sram.output.bytes_per_cycle=4", "sram.output.banks=4"},
  };
  for (const std::vector<std::string>& changes : variants) {
    std::vector<std::string> overrides = ideal;
    overrides.insert(overrides.end(), changes.begin(), changes.end());
    const stats::RunCounters run = compile_and_simulate(graph, arch::load_arch(config, overrides));
    std::string what;
    for (const std::string& change : changes) what += change + " ";
    EXPECT_EQ(run.total_cycles, reference.total_cycles) << what;
    ASSERT_EQ(run.layers.size(), reference.layers.size()) << what;
    for (size_t l = 0; l < run.layers.size(); ++l) {
      EXPECT_EQ(run.layers[l].cycles, reference.layers[l].cycles) << what << run.layers[l].name;
    }
    EXPECT_EQ(dram_bytes(run), dram_bytes(reference)) << what;
  }
}

// The ideal run bounds every real run of the design from below, whatever its DRAM: a program
// planned around a fast DRAM cannot beat the array's own bound. (Planned for the configured DRAM,
// the ideal run used to depend on it: 2.73 M cycles at 6.4 GB/s, while a real run at 51.2 GB/s
// took 2.45 M.) Not vacuous: the real runs all differ, and the slowest DRAM costs the most.
TEST(IdealMemory, BoundsEveryRealRunFromBelow) {
  const std::string repo = NPU_REPO_DIR;
  const std::string config = repo + "/configs/int8_64x64.yaml";
  const compiler::Graph graph = compiler::read_workload(repo + "/workloads/resnet.yaml");
  const uint64_t ideal =
      compile_and_simulate(graph, arch::load_arch(config, {"memory.ideal=true"})).total_cycles;
  uint64_t previous = 0;
  for (const char* bandwidth : {"1000", "51.2", "12.8", "6.4"}) {
    const uint64_t real =
        compile_and_simulate(
            graph, arch::load_arch(config, {std::string("dram.bandwidth_gbps=") + bandwidth}))
            .total_cycles;
    EXPECT_GT(real, ideal) << bandwidth << " GB/s";
    EXPECT_GT(real, previous) << bandwidth << " GB/s";
    previous = real;
  }
}

}  // namespace
}  // namespace npu::sim
