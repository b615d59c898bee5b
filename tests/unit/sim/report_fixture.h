#pragma once
// A hand-sized run shared by the report tests: a 4x4 array at 100 MHz with round energy costs, and
// three layers whose derived numbers are worked out by hand in the tests.

#include <string>

#include "arch/arch_config.h"
#include "sim/stats/run_stats.h"

namespace npu::stats::fixture {

// 16 PEs at 100 MHz (f = 1e8 Hz; one cycle is 10 ns). Energy costs are small integers per event so
// every component is exact in binary floating point. DRAM 0.8 GB/s = 800e6 B/s / 1e8 Hz = 8 B per
// cycle: the roofline's ridge is 16 MACs/cycle / 8 B/cycle = 2 MACs/B.
inline arch::ArchConfig tiny_arch() {
  arch::ArchConfig arch;
  arch.name = "tiny";
  arch.clock.freq_mhz = 100.0;
  arch.array.rows = 4;
  arch.array.cols = 4;
  arch.energy.mac_pj.int8 = 1.0;
  // Ideal gating: a gated MAC costs nothing, so the sparsity tests count toggling MACs only;
  // energy_test.cpp tests the residual.
  arch.energy.gated_mac_fraction = 0.0;
  arch.energy.sram.input = {1.0, 2.0};  // read, write pJ per byte
  arch.energy.sram.weight = {3.0, 4.0};
  arch.energy.sram.output = {5.0, 6.0};
  arch.energy.dram_pj_per_bit = 1.25;  // 10 pJ per byte
  arch.energy.vector_op_pj = 0.5;
  // 1 mW in all: array 1/2, vector and weight buffer 1/8 each, the other four blocks 1/16 each.
  arch.energy.static_mw = {0.5, 0.125, 0.0625, 0.125, 0.0625, 0.0625, 0.0625};
  arch.dram.bandwidth_gbps = 0.8;
  return arch;
}

// The config as the CLI would write it next to the results.
inline const char* tiny_arch_yaml() {
  return "name: tiny\n"
         "clock:\n"
         "  freq_mhz: 100.5\n"
         "array:\n"
         "  rows: 4\n"
         "  cols: 4\n"
         "  dataflow: weight_stationary\n"
         "tag: '8'\n"
         "flags: [true, ~, -3]\n";
}

// conv1: compute bound; downsample: memory and vector tie (memory wins); flatten: costs nothing.
// The timelines say what each unit did when, consistent with the busy times. conv1's window is
// [0, 200):
//   array  [10, 100) [110, 170)      = 150 cycles, its matrix_busy_cycles
//   DMA    [0, 60) [90, 130) [160, 200)
//   vector [170, 190)                = 20 cycles, its vector_busy_cycles
//   SRAM stall [100, 105)
// Sweep: [0,10) DMA only: dram 10; [10,100) array: compute 90; [100,105) stall under DMA: sram 5;
// [105,110) DMA: dram 5; [110,170) array: compute 60; [170,190) vector under DMA: vector 20;
// [190,200) DMA: dram 10. compute 150, dram_wait 25, sram_wait 5, vector_wait 20,
// dependency_wait 0: 200.
// downsample's window is [200, 300): array [200, 250) (50), DMA [200, 290), vector [210, 300) (90).
// [200,250) array: compute 50; [250,300) vector: vector 50. flatten does nothing.
inline RunCounters tiny_counters() {
  RunCounters run;
  LayerCounters conv;
  conv.name = "conv1";
  conv.op = "conv2d";
  conv.output_shape = {2, 8, 8, 4};
  conv.macs = 1600;
  conv.params = 100;
  conv.mapping = "k-fold 1, n-fold 1";
  conv.cycles = 200;
  conv.end_cycle = 200;
  conv.matrix_busy_cycles = 150;
  conv.dram_busy_cycles = 100;
  conv.vector_busy_cycles = 20;
  conv.executed_macs = 1800;
  conv.array_pe_cycles = 2400;
  conv.dram_read_bytes = 1000;
  conv.dram_write_bytes = 200;
  conv.sram_read_bytes = {100, 200, 300};  // input, weight, output
  conv.sram_write_bytes = {10, 20, 30};
  conv.vector_element_ops = 40;
  run.layers.push_back(conv);

  LayerCounters down;
  down.name = "layer4.2.downsample.0";
  down.op = "conv2d";
  down.output_shape = {2, 4, 4, 8};
  down.macs = 800;
  down.params = 32;
  down.cycles = 100;
  down.end_cycle = 300;
  down.matrix_busy_cycles = 50;
  down.dram_busy_cycles = 90;
  down.vector_busy_cycles = 90;
  down.executed_macs = 800;
  down.array_pe_cycles = 800;
  down.dram_read_bytes = 500;
  down.dram_write_bytes = 300;
  down.sram_read_bytes = {40, 0, 0};
  down.sram_write_bytes = {0, 0, 80};
  run.layers.push_back(down);

  LayerCounters flatten;
  flatten.name = "flat, \"view\"";  // a comma and quotes, for the CSV quoting
  flatten.op = "flatten";
  flatten.output_shape = {2, 128};
  flatten.end_cycle = 300;
  run.layers.push_back(flatten);

  run.timelines.resize(run.layers.size());
  auto& conv_activity = run.timelines[0].intervals;
  conv_activity[static_cast<int>(Activity::kArray)] = {{10, 100}, {110, 170}};
  conv_activity[static_cast<int>(Activity::kDma)] = {{0, 60}, {90, 130}, {160, 200}};
  conv_activity[static_cast<int>(Activity::kVector)] = {{170, 190}};
  conv_activity[static_cast<int>(Activity::kSramStall)] = {{100, 105}};
  auto& down_activity = run.timelines[1].intervals;
  down_activity[static_cast<int>(Activity::kArray)] = {{200, 250}};
  down_activity[static_cast<int>(Activity::kDma)] = {{200, 290}};
  down_activity[static_cast<int>(Activity::kVector)] = {{210, 300}};

  run.total_cycles = 300;
  return run;
}

}  // namespace npu::stats::fixture
