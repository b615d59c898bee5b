#include "sim/stats/report.h"

#include <cassert>

namespace npu::stats {
namespace {

// a / b, or 0 when b is 0: a layer fully hidden under its predecessor has 0 cycles, a reshape moves
// no bytes, and neither may turn a report into NaN or inf (JSON cannot carry them).
double ratio(double a, double b) { return b == 0.0 ? 0.0 : a / b; }

double to_double(uint64_t value) { return static_cast<double>(value); }
double to_double(int64_t value) { return static_cast<double>(value); }

LayerReport derive_layer(const LayerCounters& layer, const arch::ArchConfig& arch) {
  LayerReport report;
  report.name = layer.name;
  report.op = layer.op;
  report.output_shape = layer.output_shape;
  report.mapping = layer.mapping;
  report.macs = layer.macs;
  report.params = layer.params;
  report.cycles = layer.cycles;
  report.macs_per_cycle = ratio(to_double(layer.macs), to_double(layer.cycles));
  report.utilization =
      ratio(to_double(layer.macs), to_double(arch.pes()) * to_double(layer.cycles));
  report.bound = layer_bound(layer);
  report.matrix_busy_cycles = layer.matrix_busy_cycles;
  report.dram_busy_cycles = layer.dram_busy_cycles;
  report.vector_busy_cycles = layer.vector_busy_cycles;
  report.dram_read_bytes = layer.dram_read_bytes;
  report.dram_write_bytes = layer.dram_write_bytes;
  report.operational_intensity =
      ratio(to_double(layer.macs), to_double(layer.dram_read_bytes + layer.dram_write_bytes));
  report.executed_macs = layer.executed_macs;
  report.mapping_efficiency =
      ratio(to_double(layer.executed_macs), to_double(layer.array_pe_cycles));
  report.energy = layer_energy(layer, arch);
  return report;
}

void count_bound(Bound bound, BoundCounts& counts) {
  switch (bound) {
    case Bound::kCompute:
      ++counts.compute;
      return;
    case Bound::kMemory:
      ++counts.memory;
      return;
    case Bound::kVector:
      ++counts.vector;
      return;
    case Bound::kNone:
      ++counts.none;
      return;
  }
}

}  // namespace

const char* to_string(Bound bound) {
  switch (bound) {
    case Bound::kNone:
      return "none";
    case Bound::kCompute:
      return "compute";
    case Bound::kMemory:
      return "memory";
    case Bound::kVector:
      return "vector";
  }
  return "?";
}

Bound layer_bound(const LayerCounters& layer) {
  const uint64_t compute = layer.matrix_busy_cycles;
  const uint64_t memory = layer.dram_busy_cycles;
  const uint64_t vector = layer.vector_busy_cycles;
  if (compute == 0 && memory == 0 && vector == 0) return Bound::kNone;
  if (compute >= memory && compute >= vector) return Bound::kCompute;
  if (memory >= vector) return Bound::kMemory;
  return Bound::kVector;
}

int macs_per_pe_per_cycle(const arch::ArchConfig& arch) {
  // A PE does one MAC per cycle in every supported format; sub-word packing of narrower operands
  // (int4, issue 5) will raise this.
  (void)arch;
  return 1;
}

Report build_report(const RunCounters& counters, const arch::ArchConfig& arch,
                    const std::string& workload_name, int batch,
                    const std::string& resolved_arch_yaml) {
  assert(arch.clock.freq_mhz > 0);
  assert(arch.pes() > 0);
  Report report;
  report.arch_name = arch.name;
  report.workload_name = workload_name;
  report.batch = batch;
  report.resolved_arch_yaml = resolved_arch_yaml;
  report.modules = counters.modules;
  report.array_rows = arch.array.rows;
  report.array_cols = arch.array.cols;
  report.pes = arch.pes();
  report.freq_mhz = arch.clock.freq_mhz;
  report.precision = arch::to_string(arch.precision.operand);

  ReportTotals& totals = report.totals;
  report.layers.reserve(counters.layers.size());
  for (const LayerCounters& layer : counters.layers) {
    report.layers.push_back(derive_layer(layer, arch));
    const LayerReport& derived = report.layers.back();
    totals.cycles += layer.cycles;
    totals.macs += layer.macs;
    totals.params += layer.params;
    totals.dram_read_bytes += layer.dram_read_bytes;
    totals.dram_write_bytes += layer.dram_write_bytes;
    totals.executed_macs += layer.executed_macs;
    totals.array_pe_cycles += layer.array_pe_cycles;
    totals.energy += derived.energy;
    count_bound(derived.bound, totals.bounds);
  }
  // Each layer's cycles run from the end of everything before it to its own last completion, so
  // they tile the run exactly; anything else means the simulator lost or double-counted time.
  assert(totals.cycles == counters.total_cycles);

  const double f_hz = arch.clock.freq_mhz * 1e6;
  const double cycles = to_double(totals.cycles);
  const double macs = to_double(totals.macs);
  const double energy_pj = totals.energy.total_pj();
  totals.flops = 2 * totals.macs;
  totals.model_size_bytes = totals.params * arch::element_bytes(arch.precision.operand);
  totals.utilization = ratio(macs, to_double(arch.pes()) * cycles);
  totals.macs_per_cycle = ratio(macs, cycles);
  totals.latency_ms = cycles / f_hz * 1e3;
  totals.inferences_per_s = ratio(batch, cycles / f_hz);
  totals.peak_tops = 2.0 * to_double(arch.pes()) * macs_per_pe_per_cycle(arch) * f_hz / 1e12;
  totals.achieved_tops = ratio(2.0 * macs * f_hz, cycles) / 1e12;
  totals.operational_intensity =
      ratio(macs, to_double(totals.dram_read_bytes + totals.dram_write_bytes));
  totals.mapping_efficiency =
      ratio(to_double(totals.executed_macs), to_double(totals.array_pe_cycles));
  totals.pj_per_mac = ratio(energy_pj, macs);
  // (2 x macs) ops / (energy_pj x 1e-12) J / 1e12 = 2 x macs / energy_pj: ops per pJ is TOPS/W.
  totals.tops_per_w = ratio(2.0 * macs, energy_pj);
  return report;
}

}  // namespace npu::stats
