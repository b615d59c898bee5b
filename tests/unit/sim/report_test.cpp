// Derived metrics and energy, checked against values worked out by hand from report_fixture.h.

#include "sim/stats/report.h"

#include <gtest/gtest.h>

#include <utility>

#include "sim/stats/energy.h"
#include "tests/unit/sim/report_fixture.h"

namespace npu::stats {
namespace {

using fixture::tiny_arch;
using fixture::tiny_counters;

Report tiny_report() { return build_report(tiny_counters(), tiny_arch(), "tiny_net", 2, ""); }

TEST(LayerEnergy, EachComponentIsCountTimesCost) {
  const EnergyBreakdown e = layer_energy(tiny_counters().layers[0], tiny_arch());
  // mac: 1800 executed MACs x 1 pJ.
  EXPECT_DOUBLE_EQ(e.mac_pj, 1800.0);
  // sram: input 100 x 1 + 10 x 2 = 120; weight 200 x 3 + 20 x 4 = 680; output 300 x 5 + 30 x 6
  // = 1680; sum 2480.
  EXPECT_DOUBLE_EQ(e.sram_pj, 2480.0);
  // dram: (1000 + 200) bytes x 10 pJ.
  EXPECT_DOUBLE_EQ(e.dram_pj, 12000.0);
  // vector: 40 lane-element ops x 0.5 pJ.
  EXPECT_DOUBLE_EQ(e.vector_pj, 20.0);
  // static: 1 mW x 200 cycles / 100 MHz = 1e-3 W x 2e-6 s = 2e-9 J = 2000 pJ.
  EXPECT_DOUBLE_EQ(e.static_pj, 2000.0);
  EXPECT_DOUBLE_EQ(e.total_pj(), 18300.0);
}

TEST(LayerEnergy, EachSramBufferUsesItsOwnCosts) {
  // One byte read and one written in a single buffer at a time isolates that buffer's pair of
  // costs.
  const arch::ArchConfig arch = tiny_arch();
  for (size_t buffer = 0; buffer < 3; ++buffer) {
    LayerCounters layer;
    layer.sram_read_bytes[buffer] = 1;
    layer.sram_write_bytes[buffer] = 1;
    // input 1 + 2, weight 3 + 4, output 5 + 6.
    EXPECT_DOUBLE_EQ(layer_energy(layer, arch).sram_pj, 4.0 * buffer + 3.0) << "buffer " << buffer;
  }
}

TEST(LayerEnergy, HiddenLayerHasNoStaticEnergy) {
  LayerCounters layer;
  layer.executed_macs = 10;
  const EnergyBreakdown e = layer_energy(layer, tiny_arch());
  EXPECT_DOUBLE_EQ(e.static_pj, 0.0);
  EXPECT_DOUBLE_EQ(e.total_pj(), 10.0);
}

TEST(LayerEnergy, StaticScalesWithPowerAndInverseFrequency) {
  arch::ArchConfig arch = tiny_arch();
  arch.energy.static_mw = {250.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0};
  arch.clock.freq_mhz = 1000.0;
  LayerCounters layer;
  layer.cycles = 4000;
  // 0.25 W x 4000 cycles / 1e9 Hz = 0.25 x 4e-6 s = 1e-6 J = 1e6 pJ.
  EXPECT_DOUBLE_EQ(layer_energy(layer, arch).static_pj, 1e6);
  EXPECT_DOUBLE_EQ(layer_energy(layer, arch).static_by_block.array_pj, 1e6);
}

TEST(EnergyBreakdown, AddsComponentWise) {
  EnergyBreakdown a{1, 2, 3, 4, 5, {0.5, 0.75, 0.75}, {1, 0, 0, 0, 0, 2, 2}};
  a += EnergyBreakdown{10, 20, 30, 40, 50, {5, 7.5, 7.5}, {10, 0, 0, 0, 0, 20, 20}};
  EXPECT_DOUBLE_EQ(a.mac_pj, 11);
  EXPECT_DOUBLE_EQ(a.sram_pj, 22);
  EXPECT_DOUBLE_EQ(a.dram_pj, 33);
  EXPECT_DOUBLE_EQ(a.vector_pj, 44);
  EXPECT_DOUBLE_EQ(a.static_pj, 55);
  EXPECT_DOUBLE_EQ(a.total_pj(), 165);
  EXPECT_DOUBLE_EQ(a.sram_by_buffer.input_pj, 5.5);
  EXPECT_DOUBLE_EQ(a.sram_by_buffer.total_pj(), a.sram_pj);
  EXPECT_DOUBLE_EQ(a.static_by_block.dma_pj, 22);
  EXPECT_DOUBLE_EQ(a.static_by_block.total_pj(), a.static_pj);
}

LayerCounters busy(uint64_t matrix, uint64_t dram, uint64_t vector) {
  LayerCounters layer;
  layer.matrix_busy_cycles = matrix;
  layer.dram_busy_cycles = dram;
  layer.vector_busy_cycles = vector;
  return layer;
}

TEST(LayerBound, LargestBusyTimeWins) {
  EXPECT_EQ(layer_bound(busy(10, 5, 5)), Bound::kCompute);
  EXPECT_EQ(layer_bound(busy(5, 10, 5)), Bound::kMemory);
  EXPECT_EQ(layer_bound(busy(5, 5, 10)), Bound::kVector);
  EXPECT_EQ(layer_bound(busy(0, 0, 1)), Bound::kVector);
  // One cycle short of a tie still loses.
  EXPECT_EQ(layer_bound(busy(9, 10, 0)), Bound::kMemory);
  EXPECT_EQ(layer_bound(busy(0, 9, 10)), Bound::kVector);
}

TEST(LayerBound, TiesResolveComputeThenMemoryThenVector) {
  EXPECT_EQ(layer_bound(busy(7, 7, 7)), Bound::kCompute);
  EXPECT_EQ(layer_bound(busy(7, 7, 0)), Bound::kCompute);
  EXPECT_EQ(layer_bound(busy(7, 0, 7)), Bound::kCompute);
  EXPECT_EQ(layer_bound(busy(0, 7, 7)), Bound::kMemory);
}

TEST(LayerBound, NothingBusyIsNone) {
  EXPECT_EQ(layer_bound(busy(0, 0, 0)), Bound::kNone);
  EXPECT_STREQ(to_string(Bound::kNone), "none");
  EXPECT_STREQ(to_string(Bound::kCompute), "compute");
  EXPECT_STREQ(to_string(Bound::kMemory), "memory");
  EXPECT_STREQ(to_string(Bound::kVector), "vector");
}

TEST(BuildReport, CopiesIdentityAndDesign) {
  const Report r = build_report(tiny_counters(), tiny_arch(), "tiny_net", 2, "name: tiny\n");
  EXPECT_EQ(r.arch_name, "tiny");
  EXPECT_EQ(r.workload_name, "tiny_net");
  EXPECT_EQ(r.batch, 2);
  EXPECT_EQ(r.resolved_arch_yaml, "name: tiny\n");
  EXPECT_EQ(r.array_rows, 4);
  EXPECT_EQ(r.array_cols, 4);
  EXPECT_EQ(r.pes, 16);
  EXPECT_DOUBLE_EQ(r.freq_mhz, 100.0);
  EXPECT_EQ(r.precision, "int8");
  ASSERT_EQ(r.layers.size(), 3u);
  EXPECT_EQ(r.layers[0].name, "conv1");
  EXPECT_EQ(r.layers[0].op, "conv2d");
  EXPECT_EQ(r.layers[0].output_shape, (std::vector<int64_t>{2, 8, 8, 4}));
  EXPECT_EQ(r.layers[0].mapping, "k-fold 1, n-fold 1");
  EXPECT_EQ(r.layers[0].params, 100);
}

TEST(BuildReport, ComputeBoundLayer) {
  const Report r = tiny_report();  // held: a reference into a temporary would dangle
  const LayerReport& l = r.layers[0];
  EXPECT_EQ(l.macs, 1600);
  EXPECT_EQ(l.cycles, 200u);
  EXPECT_DOUBLE_EQ(l.macs_per_cycle, 8.0);  // 1600 / 200
  EXPECT_DOUBLE_EQ(l.utilization, 0.5);     // 1600 / (16 PEs x 200)
  EXPECT_EQ(l.bound, Bound::kCompute);      // matrix 150 > dram 100 > vector 20
  EXPECT_EQ(l.matrix_busy_cycles, 150u);
  EXPECT_EQ(l.dram_busy_cycles, 100u);
  EXPECT_EQ(l.vector_busy_cycles, 20u);
  EXPECT_EQ(l.dram_read_bytes, 1000u);
  EXPECT_EQ(l.dram_write_bytes, 200u);
  EXPECT_DOUBLE_EQ(l.operational_intensity, 1600.0 / 1200.0);
  EXPECT_EQ(l.executed_macs, 1800u);
  EXPECT_DOUBLE_EQ(l.mapping_efficiency, 0.75);    // 1800 / 2400
  EXPECT_DOUBLE_EQ(l.energy.total_pj(), 18300.0);  // LayerEnergy.EachComponentIsCountTimesCost
}

TEST(BuildReport, MemoryBoundLayerWinsTieWithVector) {
  const Report r = tiny_report();  // held: a reference into a temporary would dangle
  const LayerReport& l = r.layers[1];
  EXPECT_DOUBLE_EQ(l.macs_per_cycle, 8.0);         // 800 / 100
  EXPECT_DOUBLE_EQ(l.utilization, 0.5);            // 800 / (16 x 100)
  EXPECT_EQ(l.bound, Bound::kMemory);              // dram 90 == vector 90 > matrix 50
  EXPECT_DOUBLE_EQ(l.operational_intensity, 1.0);  // 800 / (500 + 300)
  EXPECT_DOUBLE_EQ(l.mapping_efficiency, 1.0);     // 800 / 800
  // mac 800 x 1; sram input read 40 x 1 + output write 80 x 6 = 520; dram 800 x 10; static 1 mW x
  // 100 cycles / 100 MHz = 1e-9 J = 1000 pJ.
  EXPECT_DOUBLE_EQ(l.energy.mac_pj, 800.0);
  EXPECT_DOUBLE_EQ(l.energy.sram_pj, 520.0);
  EXPECT_DOUBLE_EQ(l.energy.dram_pj, 8000.0);
  EXPECT_DOUBLE_EQ(l.energy.vector_pj, 0.0);
  EXPECT_DOUBLE_EQ(l.energy.static_pj, 1000.0);
}

TEST(BuildReport, LayerThatCostsNothingDividesByNothing) {
  const Report r = tiny_report();  // held: a reference into a temporary would dangle
  const LayerReport& l = r.layers[2];
  EXPECT_EQ(l.cycles, 0u);
  EXPECT_DOUBLE_EQ(l.macs_per_cycle, 0.0);
  EXPECT_DOUBLE_EQ(l.utilization, 0.0);
  EXPECT_DOUBLE_EQ(l.operational_intensity, 0.0);
  EXPECT_DOUBLE_EQ(l.mapping_efficiency, 0.0);
  EXPECT_EQ(l.bound, Bound::kNone);
  EXPECT_DOUBLE_EQ(l.energy.total_pj(), 0.0);
}

TEST(BuildReport, HiddenLayerWithWorkHasZeroRatesButKeepsItsBound) {
  // A layer whose work overlapped the previous one entirely: it did compute, but its share of the
  // run's time is 0 cycles.
  RunCounters run;
  LayerCounters layer;
  layer.macs = 64;
  layer.matrix_busy_cycles = 30;
  layer.executed_macs = 64;
  layer.array_pe_cycles = 128;
  run.layers.push_back(layer);
  const Report r = build_report(run, tiny_arch(), "hidden", 1, "");
  const LayerReport& l = r.layers[0];
  EXPECT_DOUBLE_EQ(l.utilization, 0.0);
  EXPECT_DOUBLE_EQ(l.macs_per_cycle, 0.0);
  EXPECT_EQ(l.bound, Bound::kCompute);
  EXPECT_DOUBLE_EQ(l.mapping_efficiency, 0.5);
  // The whole run took no time: every rate is 0, nothing is inf or NaN.
  EXPECT_DOUBLE_EQ(r.totals.latency_ms, 0.0);
  EXPECT_DOUBLE_EQ(r.totals.inferences_per_s, 0.0);
  EXPECT_DOUBLE_EQ(r.totals.achieved_tops, 0.0);
  EXPECT_DOUBLE_EQ(r.totals.utilization, 0.0);
  EXPECT_DOUBLE_EQ(r.totals.tops_per_w, 2.0 * 64 / 64.0);  // only MAC energy: 64 x 1 pJ
}

TEST(BuildReport, Totals) {
  const ReportTotals t = tiny_report().totals;
  EXPECT_EQ(t.cycles, 300u);                // 200 + 100 + 0
  EXPECT_EQ(t.macs, 2400);                  // 1600 + 800
  EXPECT_EQ(t.flops, 4800);                 // 2 x macs
  EXPECT_EQ(t.params, 132);                 // 100 + 32
  EXPECT_EQ(t.model_size_bytes, 132);       // int8: 1 byte per parameter
  EXPECT_DOUBLE_EQ(t.utilization, 0.5);     // 2400 / (16 x 300)
  EXPECT_DOUBLE_EQ(t.macs_per_cycle, 8.0);  // 2400 / 300
  // 300 cycles / 1e8 Hz = 3e-6 s = 0.003 ms; batch 2 / 3e-6 s = 666,666.67 inferences/s.
  EXPECT_DOUBLE_EQ(t.latency_ms, 0.003);
  EXPECT_DOUBLE_EQ(t.inferences_per_s, 2.0 / 3e-6);
  // peak: 2 x 16 PEs x 1 MAC/PE/cycle x 1e8 Hz = 3.2e9 ops/s = 0.0032 TOPS.
  EXPECT_DOUBLE_EQ(t.peak_tops, 0.0032);
  // achieved: 2 x 2400 x 1e8 / 300 = 1.6e9 ops/s = 0.0016 TOPS (utilization x peak).
  EXPECT_DOUBLE_EQ(t.achieved_tops, 0.0016);
  EXPECT_EQ(t.dram_read_bytes, 1500u);             // 1000 + 500
  EXPECT_EQ(t.dram_write_bytes, 500u);             // 200 + 300
  EXPECT_DOUBLE_EQ(t.operational_intensity, 1.2);  // 2400 / 2000
  EXPECT_EQ(t.executed_macs, 2600u);
  EXPECT_EQ(t.array_pe_cycles, 3200u);
  EXPECT_DOUBLE_EQ(t.mapping_efficiency, 0.8125);  // 2600 / 3200
  // Sums of the layers: mac 1800 + 800, sram 2480 + 520, dram 12000 + 8000, vector 20 + 0,
  // static 2000 + 1000 (= 1 mW over 300 cycles at 100 MHz).
  EXPECT_DOUBLE_EQ(t.energy.mac_pj, 2600.0);
  EXPECT_DOUBLE_EQ(t.energy.sram_pj, 3000.0);
  EXPECT_DOUBLE_EQ(t.energy.dram_pj, 20000.0);
  EXPECT_DOUBLE_EQ(t.energy.vector_pj, 20.0);
  EXPECT_DOUBLE_EQ(t.energy.static_pj, 3000.0);
  EXPECT_DOUBLE_EQ(t.energy.total_pj(), 28620.0);
  EXPECT_DOUBLE_EQ(t.pj_per_mac, 11.925);  // 28620 / 2400
  // 1.6e9 ops/s over (28620e-12 J / 3e-6 s = 9.54e-3 W) = 1.677e11 ops/s/W; equivalently
  // 4800 ops / 28620 pJ.
  EXPECT_DOUBLE_EQ(t.tops_per_w, 4800.0 / 28620.0);
  EXPECT_NEAR(t.tops_per_w, 1.6e9 / 9.54e-3 / 1e12, 1e-12);
  // Batch 2 for 28620 pJ = 2.862e-8 J: 69.88 M inferences per joule.
  EXPECT_NEAR(t.inferences_per_j, 2.0 / 28620e-12, 1e-3);
  EXPECT_EQ(t.bounds.compute, 1);
  EXPECT_EQ(t.bounds.memory, 1);
  EXPECT_EQ(t.bounds.vector, 0);
  EXPECT_EQ(t.bounds.none, 1);
}

TEST(BuildReport, FloatFormatsNameTheFormatAndSizeTheModelByIt) {
  // 132 parameters: 2 bytes each for fp16 and bf16, 4 for fp32. Nothing else depends on the format:
  // cycles, MACs and traffic are what the run counted.
  const std::pair<arch::Precision, int64_t> formats[] = {
      {arch::Precision::kFp16, 264}, {arch::Precision::kBf16, 264}, {arch::Precision::kFp32, 528}};
  for (const auto& [precision, bytes] : formats) {
    arch::ArchConfig arch = tiny_arch();
    arch.precision.operand = precision;
    const Report r = build_report(tiny_counters(), arch, "tiny_net", 2, "");
    EXPECT_EQ(r.precision, arch::to_string(precision));
    EXPECT_EQ(r.totals.model_size_bytes, bytes) << r.precision;
    EXPECT_EQ(r.totals.cycles, tiny_report().totals.cycles) << r.precision;
    EXPECT_EQ(r.totals.dram_read_bytes, tiny_report().totals.dram_read_bytes) << r.precision;
    EXPECT_DOUBLE_EQ(r.totals.peak_tops, tiny_report().totals.peak_tops) << r.precision;
  }
}

TEST(BuildReport, EmptyRunIsAllZeros) {
  const Report r = build_report(RunCounters{}, tiny_arch(), "empty", 1, "");
  EXPECT_TRUE(r.layers.empty());
  EXPECT_EQ(r.totals.cycles, 0u);
  EXPECT_DOUBLE_EQ(r.totals.pj_per_mac, 0.0);
  EXPECT_DOUBLE_EQ(r.totals.tops_per_w, 0.0);
  EXPECT_DOUBLE_EQ(r.totals.peak_tops, 0.0032);  // a property of the design, not the run
}

// ---- Cycle breakdown, utilization identity, roofline -------------------------------------------

TEST(BuildReport, CycleBreakdownOfEachLayerAddsUpToItsCycles) {
  const Report r = tiny_report();
  // conv1, worked in report_fixture.h: compute 150, dram 25, sram 5, vector 20, dependency 0.
  const CyclesBreakdown& conv = r.layers[0].cycles_breakdown;
  EXPECT_EQ(conv.compute, 150u);
  EXPECT_EQ(conv.dram_wait, 25u);
  EXPECT_EQ(conv.sram_wait, 5u);
  EXPECT_EQ(conv.vector_wait, 20u);
  EXPECT_EQ(conv.dependency_wait, 0u);
  EXPECT_EQ(r.layers[0].compute_unit, ComputeUnit::kArray);
  EXPECT_DOUBLE_EQ(r.layers[0].compute_fraction, 0.75);  // 150 / 200
  // Array busy [10,100) and [110,170): starts 10 cycles in, stops 30 before the end.
  EXPECT_EQ(r.layers[0].compute_span.lead_in, 10u);
  EXPECT_EQ(r.layers[0].compute_span.tail, 30u);
  // downsample: array [200,250) then only the vector unit to 300.
  EXPECT_EQ(r.layers[1].cycles_breakdown.compute, 50u);
  EXPECT_EQ(r.layers[1].cycles_breakdown.vector_wait, 50u);
  EXPECT_EQ(r.layers[2].cycles_breakdown.total(), 0u);
  EXPECT_EQ(r.layers[2].compute_unit, ComputeUnit::kNone);
  for (const LayerReport& layer : r.layers) {
    EXPECT_EQ(layer.cycles_breakdown.total(), layer.cycles) << layer.name;
  }
  EXPECT_EQ(r.totals.cycles_breakdown.total(), r.totals.cycles);
  EXPECT_EQ(r.totals.cycles_breakdown.vector_wait, 70u);  // 20 + 50
  EXPECT_DOUBLE_EQ(r.totals.compute_fraction, 200.0 / 300.0);
  // Every PE slot of the fixture's streaming holds work and the array streams all its busy time:
  // 3200 / (16 x 200) = 1; utilization 0.5 = useful 2400/2600 x 0.8125 x 1 x 2/3.
  EXPECT_DOUBLE_EQ(r.totals.streaming_fraction, 1.0);
}

TEST(BuildReport, CountersWithoutTimelinesWaitAllTheirCycles) {
  RunCounters run = tiny_counters();
  run.timelines.clear();
  const Report r = build_report(run, tiny_arch(), "tiny_net", 2, "");
  EXPECT_EQ(r.layers[0].cycles_breakdown.dependency_wait, 200u);
  EXPECT_EQ(r.totals.cycles_breakdown.dependency_wait, 300u);
  EXPECT_DOUBLE_EQ(r.layers[0].streaming_fraction, 0.0);  // no compute: 0, not inf
}

// A run worked by hand for the utilization identity, on the tiny 4x4 array (16 PEs):
//   conv: window [0, 250), macs 1200, executed 1280 (80 padding taps), array_pe_cycles 1600
//         (100 rows streamed x 16 PEs). Array [20,80) [100,165) = 125 cycles; DMA [0,30) [70,120)
//         [200,240); vector [160,210); SRAM stall [90,100). Sweep:
//           [0,20) DMA: dram 20        [20,80) array: compute 60    [80,90) DMA: dram 10
//           [90,100) stall: sram 10    [100,165) array: compute 65  [165,210) vector: vector 45
//           [210,240) DMA: dram 30     [240,250) nothing: dependency 10
//         compute 125, dram 60, sram 10, vector 45, dependency 10 = 250.
//   pool: window [250, 300), no MACs. DMA [250,270) [285,300); vector [260,290). Sweep:
//           [250,260) DMA: dram 10     [260,290) vector: compute 30  [290,300) DMA: dram 10
//         compute 30, dram 20 = 50.
RunCounters identity_counters() {
  RunCounters run;
  LayerCounters conv;
  conv.name = "conv";
  conv.macs = 1200;
  conv.executed_macs = 1280;
  conv.array_pe_cycles = 1600;
  conv.matrix_busy_cycles = 125;
  conv.vector_busy_cycles = 50;
  conv.dram_busy_cycles = 60;
  conv.dram_read_bytes = 500;
  conv.dram_write_bytes = 100;
  conv.end_cycle = 250;
  conv.cycles = 250;
  LayerCounters pool;
  pool.name = "pool";
  pool.vector_busy_cycles = 30;
  pool.dram_busy_cycles = 25;
  pool.dram_read_bytes = 200;
  pool.end_cycle = 300;
  pool.cycles = 50;
  run.layers = {conv, pool};
  run.timelines.resize(2);
  auto& c = run.timelines[0].intervals;
  c[static_cast<int>(Activity::kArray)] = {{20, 80}, {100, 165}};
  c[static_cast<int>(Activity::kDma)] = {{0, 30}, {70, 120}, {200, 240}};
  c[static_cast<int>(Activity::kVector)] = {{160, 210}};
  c[static_cast<int>(Activity::kSramStall)] = {{90, 100}};
  auto& p = run.timelines[1].intervals;
  p[static_cast<int>(Activity::kDma)] = {{250, 270}, {285, 300}};
  p[static_cast<int>(Activity::kVector)] = {{260, 290}};
  run.total_cycles = 300;
  return run;
}

TEST(UtilizationIdentity, LayerFactorsMultiplyToUtilization) {
  const Report r = build_report(identity_counters(), tiny_arch(), "identity", 1, "");
  const LayerReport& conv = r.layers[0];
  const CyclesBreakdown& b = conv.cycles_breakdown;
  EXPECT_EQ(b.compute, 125u);
  EXPECT_EQ(b.dram_wait, 60u);
  EXPECT_EQ(b.sram_wait, 10u);
  EXPECT_EQ(b.vector_wait, 45u);
  EXPECT_EQ(b.dependency_wait, 10u);
  // utilization 1200 / (16 x 250) = 0.3
  //   = useful 1200/1280 = 0.9375 x mapping 1280/1600 = 0.8 x streaming 1600/(16 x 125) = 0.8
  //     x compute 125/250 = 0.5
  EXPECT_DOUBLE_EQ(conv.utilization, 0.3);
  EXPECT_DOUBLE_EQ(conv.mapping_efficiency, 0.8);
  EXPECT_DOUBLE_EQ(conv.streaming_fraction, 0.8);
  EXPECT_DOUBLE_EQ(conv.compute_fraction, 0.5);
  EXPECT_DOUBLE_EQ(
      1200.0 / 1280.0 * conv.mapping_efficiency * conv.streaming_fraction * conv.compute_fraction,
      conv.utilization);

  // The pool layer computes on the vector unit: 30 of 50 cycles, nothing streamed.
  const LayerReport& pool = r.layers[1];
  EXPECT_EQ(pool.compute_unit, ComputeUnit::kVector);
  EXPECT_EQ(pool.cycles_breakdown.compute, 30u);
  EXPECT_EQ(pool.cycles_breakdown.dram_wait, 20u);
  EXPECT_DOUBLE_EQ(pool.compute_fraction, 0.6);
  EXPECT_DOUBLE_EQ(pool.streaming_fraction, 0.0);
  EXPECT_DOUBLE_EQ(pool.utilization, 0.0);
}

TEST(UtilizationIdentity, ModelFactorsMultiplyToUtilization) {
  const ReportTotals t = build_report(identity_counters(), tiny_arch(), "identity", 1, "").totals;
  // compute 125 + 30 = 155 of 300 cycles; dram 80, sram 10, vector 45, dependency 10.
  EXPECT_EQ(t.cycles_breakdown.compute, 155u);
  EXPECT_EQ(t.cycles_breakdown.dram_wait, 80u);
  EXPECT_EQ(t.cycles_breakdown.total(), 300u);
  // utilization 1200 / (16 x 300) = 0.25 = 0.9375 x 0.8 x streaming 1600/(16 x 155) = 100/155
  //   x compute 155/300.
  EXPECT_DOUBLE_EQ(t.utilization, 0.25);
  EXPECT_DOUBLE_EQ(t.streaming_fraction, 100.0 / 155.0);
  EXPECT_DOUBLE_EQ(t.compute_fraction, 155.0 / 300.0);
  EXPECT_NEAR(1200.0 / 1280.0 * t.mapping_efficiency * t.streaming_fraction * t.compute_fraction,
              t.utilization, 1e-15);
}

TEST(Roofline, RidgeAndAttainable) {
  const Report r = tiny_report();
  // 16 PEs x 1 MAC; 0.8 GB/s at 100 MHz = 8 B/cycle; ridge 16 / 8 = 2 MACs/B.
  EXPECT_DOUBLE_EQ(r.roofline.peak_macs_per_cycle, 16.0);
  EXPECT_DOUBLE_EQ(r.roofline.dram_bytes_per_cycle, 8.0);
  EXPECT_DOUBLE_EQ(r.roofline.ridge_macs_per_byte, 2.0);
  // conv1: 1600 MACs / 1200 B = 4/3 MACs/B, below the ridge: 4/3 x 8 = 10.67 MACs/cycle.
  EXPECT_DOUBLE_EQ(r.layers[0].attainable_macs_per_cycle, 1600.0 / 1200.0 * 8.0);
  // downsample: 800 / 800 = 1 MAC/B: 8 MACs/cycle. flatten: no MACs, attains nothing.
  EXPECT_DOUBLE_EQ(r.layers[1].attainable_macs_per_cycle, 8.0);
  EXPECT_DOUBLE_EQ(r.layers[2].attainable_macs_per_cycle, 0.0);
  // The model: 2400 / 2000 = 1.2 MACs/B: 9.6 MACs/cycle.
  EXPECT_DOUBLE_EQ(r.totals.attainable_macs_per_cycle, 9.6);
}

TEST(Roofline, AtAndAboveTheRidgeThePeakIsTheLimit) {
  const Roofline roof{16.0, 8.0, 2.0};
  EXPECT_DOUBLE_EQ(roof.attainable(1.999), 1.999 * 8.0);  // just below: the memory roof
  EXPECT_DOUBLE_EQ(roof.attainable(2.0), 16.0);           // at the ridge both roofs meet
  EXPECT_DOUBLE_EQ(roof.attainable(100.0), 16.0);
  // A layer with MACs but no DRAM traffic has an unbounded intensity: it can attain the peak.
  RunCounters run;
  LayerCounters layer;
  layer.macs = 64;
  run.layers.push_back(layer);
  EXPECT_DOUBLE_EQ(
      build_report(run, tiny_arch(), "on_chip", 1, "").layers[0].attainable_macs_per_cycle, 16.0);
}

TEST(BuildReport, DesignFactsForTheHumanViews) {
  const Report r = tiny_report();
  EXPECT_EQ(r.dataflow, "weight_stationary");
  EXPECT_EQ(r.vector_lanes, tiny_arch().vector.lanes);
  EXPECT_EQ(r.operand_bits, 8);
}

TEST(BuildReport, LayerCyclesMustAddUpToTheRun) {
#ifdef NDEBUG
  GTEST_SKIP() << "assertions are compiled out in this build";
#else
  RunCounters run = tiny_counters();
  run.total_cycles = 301;
  EXPECT_DEATH(build_report(run, tiny_arch(), "tiny_net", 1, ""), "total_cycles");
#endif
}

}  // namespace
}  // namespace npu::stats
