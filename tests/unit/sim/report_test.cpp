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
  arch.energy.static_mw = 250.0;
  arch.clock.freq_mhz = 1000.0;
  LayerCounters layer;
  layer.cycles = 4000;
  // 0.25 W x 4000 cycles / 1e9 Hz = 0.25 x 4e-6 s = 1e-6 J = 1e6 pJ.
  EXPECT_DOUBLE_EQ(layer_energy(layer, arch).static_pj, 1e6);
}

TEST(EnergyBreakdown, AddsComponentWise) {
  EnergyBreakdown a{1, 2, 3, 4, 5};
  a += EnergyBreakdown{10, 20, 30, 40, 50};
  EXPECT_DOUBLE_EQ(a.mac_pj, 11);
  EXPECT_DOUBLE_EQ(a.sram_pj, 22);
  EXPECT_DOUBLE_EQ(a.dram_pj, 33);
  EXPECT_DOUBLE_EQ(a.vector_pj, 44);
  EXPECT_DOUBLE_EQ(a.static_pj, 55);
  EXPECT_DOUBLE_EQ(a.total_pj(), 165);
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
  const LayerReport& l = tiny_report().layers[0];
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
  const LayerReport& l = tiny_report().layers[1];
  EXPECT_DOUBLE_EQ(l.macs_per_cycle, 8.0);         // 800 / 100
  EXPECT_DOUBLE_EQ(l.utilization, 0.5);            // 800 / (16 x 100)
  EXPECT_EQ(l.bound, Bound::kMemory);              // dram 90 == vector 90 > matrix 50
  EXPECT_DOUBLE_EQ(l.operational_intensity, 1.0);  // 800 / (500 + 300)
  EXPECT_DOUBLE_EQ(l.mapping_efficiency, 0.5);     // 800 / 1600
  // mac 800 x 1; sram input read 40 x 1 + output write 80 x 6 = 520; dram 800 x 10; static 1 mW x
  // 100 cycles / 100 MHz = 1e-9 J = 1000 pJ.
  EXPECT_DOUBLE_EQ(l.energy.mac_pj, 800.0);
  EXPECT_DOUBLE_EQ(l.energy.sram_pj, 520.0);
  EXPECT_DOUBLE_EQ(l.energy.dram_pj, 8000.0);
  EXPECT_DOUBLE_EQ(l.energy.vector_pj, 0.0);
  EXPECT_DOUBLE_EQ(l.energy.static_pj, 1000.0);
}

TEST(BuildReport, LayerThatCostsNothingDividesByNothing) {
  const LayerReport& l = tiny_report().layers[2];
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
  EXPECT_EQ(t.array_pe_cycles, 4000u);
  EXPECT_DOUBLE_EQ(t.mapping_efficiency, 0.65);  // 2600 / 4000
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
  EXPECT_EQ(t.bounds.compute, 1);
  EXPECT_EQ(t.bounds.memory, 1);
  EXPECT_EQ(t.bounds.vector, 0);
  EXPECT_EQ(t.bounds.none, 1);
}

TEST(BuildReport, FloatFormatsNameTheFormatAndSizeTheModelByIt) {
  // 132 parameters: 2 bytes each for fp16 and bf16, 4 for fp32. Nothing else depends on the format:
  // cycles, MACs and traffic are what the run counted.
  const std::pair<arch::Precision, int64_t> formats[] = {{arch::Precision::kFp16, 264},
                                                         {arch::Precision::kBf16, 264},
                                                         {arch::Precision::kFp32, 528}};
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
