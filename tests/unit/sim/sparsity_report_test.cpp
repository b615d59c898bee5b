// Sparsity in energy and the report (docs/sparsity.md): a gating or skipping array spends MAC
// energy only on MACs whose operands are both nonzero; nothing else changes in this slice. Values
// worked by hand from report_fixture.h.

#include <gtest/gtest.h>

#include "sim/stats/energy.h"
#include "sim/stats/report.h"
#include "tests/unit/sim/report_fixture.h"

namespace npu::stats {
namespace {

using fixture::tiny_arch;
using fixture::tiny_counters;

// conv1 of the fixture declares 2:4 weights and activations at density 0.8: of its 1600 MACs,
// 1600 x 0.5 x 0.8 = 640 have two nonzero operands, so 960 have a zero one.
LayerCounters sparse_conv() {
  LayerCounters conv = tiny_counters().layers[0];
  conv.zero_operand_macs = 960;
  return conv;
}

TEST(SparsityEnergy, NoSupportChargesEveryExecutedMac) {
  // support: none multiplies zeros like any value: 1800 executed MACs x 1 pJ, as dense.
  EXPECT_DOUBLE_EQ(layer_energy(sparse_conv(), tiny_arch()).mac_pj, 1800.0);
}

TEST(SparsityEnergy, GatingChargesOnlyTheNonzeroShare) {
  arch::ArchConfig arch = tiny_arch();
  arch.sparsity.support = arch::SparsitySupport::kGating;
  const EnergyBreakdown dense = layer_energy(tiny_counters().layers[0], arch);
  const EnergyBreakdown gated = layer_energy(sparse_conv(), arch);
  // The 1800 executed MACs (200 of them padding taps) toggle at the declared density 640 / 1600
  // = 0.4: 720 pJ, a cut of 1080 pJ = 1800 x the zero fraction 0.6.
  EXPECT_DOUBLE_EQ(gated.mac_pj, 720.0);
  EXPECT_DOUBLE_EQ(dense.mac_pj - gated.mac_pj, 1800.0 * 0.6);
  // Everything else is untouched: SRAM, DRAM, vector and static energy (cycles) are the same.
  EXPECT_DOUBLE_EQ(gated.sram_pj, dense.sram_pj);
  EXPECT_DOUBLE_EQ(gated.dram_pj, dense.dram_pj);
  EXPECT_DOUBLE_EQ(gated.vector_pj, dense.vector_pj);
  EXPECT_DOUBLE_EQ(gated.static_pj, dense.static_pj);
  // A dense layer under gating costs what it did without it.
  EXPECT_DOUBLE_EQ(dense.mac_pj, 1800.0);
}

TEST(SparsityEnergy, SkippingGatesAsWell) {
  arch::ArchConfig arch = tiny_arch();
  arch.sparsity.support = arch::SparsitySupport::kSkipping;
  EXPECT_DOUBLE_EQ(layer_energy(sparse_conv(), arch).mac_pj, 720.0);
}

TEST(SparsityEnergy, UnstructuredSkippingGatesWhatItExecuted) {
  // conv1 with weight density 0.5 skipped unstructured (round(k x 0.5) of each multiply's k rows
  // executed: 800 of 1600) and activations at 0.8: effective 1600 x 0.5 x 0.8 = 640, zero-operand
  // 960. The array scheduled macs x d = 800 MACs, of which 640 / 800 = 0.8 toggle: 800 x 0.8 x
  // 1 pJ = 640 pJ, against 1800 pJ dense.
  arch::ArchConfig arch = tiny_arch();
  arch.sparsity.support = arch::SparsitySupport::kSkipping;
  arch.sparsity.skip_unstructured_weights = true;
  LayerCounters conv = sparse_conv();
  conv.skip_rows = 9;
  conv.skip_density = 0.5;
  conv.executed_macs = 800;
  conv.skipped_macs = 800;
  EXPECT_DOUBLE_EQ(layer_energy(conv, arch).mac_pj, 640.0);
  // The report's balanced fold: floor(R / d) = floor(4 / 0.5) = 8 rows on the 4-row array.
  RunCounters run = tiny_counters();
  run.layers[0] = conv;
  const Report report = build_report(run, arch, "w", 1, "");
  EXPECT_EQ(report.layers[0].skip_rows, 9u);
  EXPECT_EQ(report.layers[0].skip_balanced_rows, 8u);
  EXPECT_EQ(report.layers[0].skipped_macs, 800);
}

TEST(SparsityReport, MacCountsAndTheDenseBaseline) {
  arch::ArchConfig arch = tiny_arch();
  arch.sparsity.support = arch::SparsitySupport::kGating;
  RunCounters run = tiny_counters();
  EXPECT_FALSE(sparsity_applies(arch, run));  // nothing declared
  run.layers[0].zero_operand_macs = 960;
  EXPECT_TRUE(sparsity_applies(arch, run));
  arch::ArchConfig off = arch;
  off.sparsity.support = arch::SparsitySupport::kNone;
  EXPECT_FALSE(sparsity_applies(off, run));

  Report report = build_report(run, arch, "w", 1, "");
  const LayerReport& conv = report.layers[0];
  EXPECT_EQ(conv.dense_macs, 1600);
  EXPECT_EQ(conv.effective_macs, 640);
  EXPECT_EQ(conv.skipped_macs, 0);  // gating schedules every MAC
  // Without an attached baseline the run is its own.
  EXPECT_EQ(conv.dense_baseline_cycles, 200u);
  EXPECT_DOUBLE_EQ(conv.dense_baseline_energy_pj, conv.energy.total_pj());

  const Report dense = build_report(run, off, "w", 1, "");
  attach_dense_baseline(report, dense);
  // conv1: 18,300 pJ dense (report_test.cpp, BuildReport.ComputeBoundLayer); gating saves 1080.
  EXPECT_DOUBLE_EQ(report.layers[0].dense_baseline_energy_pj, 18300.0);
  EXPECT_DOUBLE_EQ(report.layers[0].energy.total_pj(), 18300.0 - 1080.0);
  EXPECT_EQ(report.layers[0].dense_baseline_cycles, report.layers[0].cycles);
  EXPECT_DOUBLE_EQ(report.totals.dense_baseline_energy_pj - report.totals.energy.total_pj(),
                   1080.0);
  EXPECT_EQ(report.totals.dense_macs, report.totals.macs);
  EXPECT_EQ(report.totals.effective_macs, report.totals.macs - 960);
  EXPECT_EQ(report.totals.skipped_macs, 0);
}

}  // namespace
}  // namespace npu::stats
