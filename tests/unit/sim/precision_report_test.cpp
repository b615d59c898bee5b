// The report of a mixed-precision run (docs/metrics.md): each layer's utilization against its own
// precision's peak (PEs x MACs per PE per cycle), the model size at each layer's width, MAC energy
// at each layer's precision, and `precision` in the JSON. Hand-built counters, values by hand.

#include <gtest/gtest.h>

#include "sim/stats/report.h"
#include "sim/stats/report_json.h"
#include "tests/common/small_arch.h"

namespace npu::stats {
namespace {

// 4x4 = 16 PEs at 1 GHz, int8 with int4 layers allowed, two int4 MACs per PE per cycle.
// Only MAC energy is nonzero: 1 pJ at int8, 0.25 pJ at int4.
arch::ArchConfig mixed_arch() {
  arch::ArchConfig arch = testing_support::small_arch();
  arch.precision.other_operands = {"int4"};
  arch.array.macs_per_pe_per_cycle.int4 = 2;
  arch.energy.mac_pj.int8 = 1.0;
  arch.energy.mac_pj.int4 = 0.25;
  arch.energy.dram_pj_per_bit = 0.0;
  arch.energy.vector_op_pj = 0;
  arch.energy.static_mw = {0, 0, 0, 0, 0, 0, 0};
  for (arch::SramEnergy* e : {&arch.energy.sram.input, &arch.energy.sram.weight,
                              &arch.energy.sram.output}) {
    e->read_pj_per_byte = 0;
    e->write_pj_per_byte = 0;
  }
  return arch;
}

LayerCounters layer(const char* name, int64_t macs, uint64_t cycles) {
  LayerCounters counters;
  counters.name = name;
  counters.op = "conv2d";
  counters.macs = macs;
  counters.executed_macs = static_cast<uint64_t>(macs);
  counters.params = 10;
  counters.cycles = cycles;
  counters.matrix_busy_cycles = cycles;
  return counters;
}

TEST(MixedPrecisionReport, EachLayerAgainstItsOwnPeak) {
  RunCounters counters;
  counters.layers.push_back(layer("a", 160, 20));  // the design's int8
  counters.layers.push_back(layer("b", 320, 20));
  counters.layers.back().precision = arch::Precision::kInt4;
  counters.total_cycles = 40;
  const Report report = build_report(counters, mixed_arch(), "mixed", 1, "");
  // a: 160 / (16 PEs x 1 x 20) = 0.5; b: 320 / (16 x 2 x 20) = 0.5, not 1.0.
  EXPECT_DOUBLE_EQ(report.layers[0].utilization, 0.5);
  EXPECT_DOUBLE_EQ(report.layers[1].utilization, 0.5);
  // The run: 480 / (16 x 20 + 32 x 20 = 960) = 0.5; 480 / 40 = 12 MACs per cycle.
  EXPECT_DOUBLE_EQ(report.totals.utilization, 0.5);
  EXPECT_DOUBLE_EQ(report.totals.macs_per_cycle, 12.0);
  // The peak is the design's precision's: 2 x 16 x 1 x 1 GHz = 0.032 TOPS.
  EXPECT_DOUBLE_EQ(report.totals.peak_tops, 0.032);
  // 10 params at 8 bits + 10 at 4 bits = 120 bits = 15 bytes.
  EXPECT_EQ(report.totals.model_size_bytes, 15);
  // MAC energy 160 x 1 + 320 x 0.25 = 240 pJ.
  EXPECT_DOUBLE_EQ(report.totals.energy.mac_pj, 240.0);
  EXPECT_EQ(layer_to_json(report.layers[0])["precision"], "int8");
  EXPECT_EQ(layer_to_json(report.layers[1])["precision"], "int4");
}

TEST(MixedPrecisionReport, PackedDesignPeakDoubles) {
  // The same array with int4 operands: 2 x 16 x 2 x 1 GHz = 0.064 TOPS.
  arch::ArchConfig arch = mixed_arch();
  arch.precision.operand = arch::Precision::kInt4;
  arch.precision.other_operands = {};
  const Report report = build_report(RunCounters{}, arch, "empty", 1, "");
  EXPECT_DOUBLE_EQ(report.totals.peak_tops, 0.064);
  EXPECT_EQ(report.operand_bits, 4);
}

}  // namespace
}  // namespace npu::stats
