#include "sim/stats/report.h"

#include <algorithm>
#include <cassert>
#include <cmath>

namespace npu::stats {
namespace {

// a / b, or 0 when b is 0: a layer fully hidden under its predecessor has 0 cycles, a reshape moves
// no bytes, and neither may turn a report into NaN or inf (JSON cannot carry them).
double ratio(double a, double b) { return b == 0.0 ? 0.0 : a / b; }

double to_double(uint64_t value) { return static_cast<double>(value); }
double to_double(int64_t value) { return static_cast<double>(value); }

// The roofline at a layer's (or the model's) traffic: a layer with MACs and no DRAM bytes has an
// unbounded intensity and can attain the peak; one without MACs attains nothing.
double attainable_macs_per_cycle(const Roofline& roofline, int64_t macs, uint64_t dram_bytes) {
  if (macs <= 0) return 0.0;
  if (dram_bytes == 0) return roofline.peak_macs_per_cycle;
  return roofline.attainable(to_double(macs) / to_double(dram_bytes));
}

// The window [start, start + cycles) of a layer is split by stall_breakdown; the fractions and the
// roofline follow from it.
void derive_time_split(const LayerTimeline& timeline, uint64_t window_start,
                       const arch::ArchConfig& arch, const Roofline& roofline,
                       LayerReport& report) {
  report.compute_unit = compute_unit(timeline);
  report.cycles_breakdown = stall_breakdown(timeline, window_start, window_start + report.cycles);
  assert(report.cycles_breakdown.total() == report.cycles);
  report.compute_span = compute_span(timeline, window_start, window_start + report.cycles);
  const double compute = to_double(report.cycles_breakdown.compute);
  report.compute_fraction = ratio(compute, to_double(report.cycles));
  report.streaming_fraction =
      ratio(to_double(report.array_pe_cycles), peak_macs_per_cycle(arch, report.precision) * compute);
  report.attainable_macs_per_cycle = attainable_macs_per_cycle(
      roofline, report.macs, report.dram_read_bytes + report.dram_write_bytes);
}

LayerReport derive_layer(const LayerCounters& layer, const arch::ArchConfig& arch) {
  LayerReport report;
  report.name = layer.name;
  report.op = layer.op;
  report.output_shape = layer.output_shape;
  report.mapping = layer.mapping;
  report.macs = layer.macs;
  report.dense_macs = layer.macs;
  report.effective_macs = layer.macs - layer.zero_operand_macs;
  report.skipped_macs = static_cast<int64_t>(layer.skipped_macs);
  report.skip_rows = layer.skip_rows;
  report.skip_density = layer.skip_density;
  if (layer.skip_rows != 0) {
    report.skip_balanced_rows =
        static_cast<uint32_t>(std::floor(arch.array.rows / layer.skip_density));
  }
  report.params = layer.params;
  report.cycles = layer.cycles;
  report.macs_per_cycle = ratio(to_double(layer.macs), to_double(layer.cycles));
  report.precision = layer.precision.value_or(arch.precision.operand);
  report.peak_macs_per_cycle = peak_macs_per_cycle(arch, report.precision);
  report.utilization =
      ratio(to_double(layer.macs), report.peak_macs_per_cycle * to_double(layer.cycles));
  report.bound = layer_bound(layer);
  report.matrix_busy_cycles = layer.matrix_busy_cycles;
  report.dram_busy_cycles = layer.dram_busy_cycles;
  report.vector_busy_cycles = layer.vector_busy_cycles;
  report.dram_read_bytes = layer.dram_read_bytes;
  report.dram_write_bytes = layer.dram_write_bytes;
  report.dram_payload_bytes = layer.dram_payload_bytes;
  report.operational_intensity =
      ratio(to_double(layer.macs), to_double(layer.dram_read_bytes + layer.dram_write_bytes));
  report.executed_macs = layer.executed_macs;
  report.mapping_efficiency =
      ratio(to_double(layer.executed_macs), to_double(layer.array_pe_cycles));
  report.array_pe_cycles = layer.array_pe_cycles;
  report.energy = layer_energy(layer, arch);
  const double energy_pj = report.energy.total_pj();
  report.pj_per_mac = ratio(energy_pj, to_double(layer.macs));
  report.tops_per_w = ratio(2.0 * to_double(layer.macs), energy_pj);
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

double Roofline::attainable(double macs_per_byte) const {
  return std::min(peak_macs_per_cycle, macs_per_byte * dram_bytes_per_cycle);
}

bool sparsity_applies(const arch::ArchConfig& arch, const RunCounters& counters) {
  if (arch.sparsity.support == arch::SparsitySupport::kNone) return false;
  for (const LayerCounters& layer : counters.layers) {
    if (layer.zero_operand_macs > 0) return true;
  }
  return false;
}

void attach_dense_baseline(Report& report, const Report& dense) {
  assert(report.layers.size() == dense.layers.size());
  for (size_t i = 0; i < report.layers.size(); ++i) {
    assert(report.layers[i].name == dense.layers[i].name);
    report.layers[i].dense_baseline_cycles = dense.layers[i].cycles;
    report.layers[i].dense_baseline_energy_pj = dense.layers[i].energy.total_pj();
  }
  report.totals.dense_baseline_cycles = dense.totals.cycles;
  report.totals.dense_baseline_energy_pj = dense.totals.energy.total_pj();
}

double peak_macs_per_cycle(const arch::ArchConfig& arch, arch::Precision precision) {
  return to_double(arch.pes()) * arch::macs_per_pe_per_cycle(arch.array, precision);
}

void attach_activation_memory(Report& report, const std::vector<uint64_t>& live_bytes,
                              uint64_t total_bytes) {
  assert(live_bytes.size() == report.layers.size());
  ReportTotals& totals = report.totals;
  totals.activation_bytes = total_bytes;
  totals.peak_activation_bytes = 0;
  totals.peak_activation_layer.clear();
  for (size_t i = 0; i < report.layers.size(); ++i) {
    report.layers[i].live_activation_bytes = live_bytes[i];
    if (live_bytes[i] > totals.peak_activation_bytes) {
      totals.peak_activation_bytes = live_bytes[i];
      totals.peak_activation_layer = report.layers[i].name;
    }
  }
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
  report.operand_bits = arch::element_bits(arch.precision.operand);
  report.dataflow = arch::to_string(arch.array.dataflow);
  report.vector_lanes = arch.vector.lanes;
  report.energy_costs = event_costs(arch);
  Roofline& roofline = report.roofline;
  roofline.peak_macs_per_cycle = peak_macs_per_cycle(arch, arch.precision.operand);
  roofline.dram_bytes_per_cycle = arch.dram_bytes_per_cycle();
  roofline.ridge_macs_per_byte = ratio(roofline.peak_macs_per_cycle, roofline.dram_bytes_per_cycle);

  // Hand-built counters may come without timelines; a layer without one waited all its cycles.
  assert(counters.timelines.empty() || counters.timelines.size() == counters.layers.size());
  const LayerTimeline no_activity;
  ReportTotals& totals = report.totals;
  // MAC slots the array offered over the run, each layer at its own precision's peak.
  double peak_mac_cycles = 0.0;
  // Each layer's parameters at its own precision (mixed precision), in bits.
  int64_t model_bits = 0;
  report.layers.reserve(counters.layers.size());
  for (size_t i = 0; i < counters.layers.size(); ++i) {
    const LayerCounters& layer = counters.layers[i];
    report.layers.push_back(derive_layer(layer, arch));
    LayerReport& derived = report.layers.back();
    // The layers' windows tile the run in program order (sim/simulate.cpp): this one starts where
    // the layers before it ended.
    derive_time_split(counters.timelines.empty() ? no_activity : counters.timelines[i],
                      totals.cycles, arch, roofline, derived);
    totals.cycles_breakdown += derived.cycles_breakdown;
    totals.cycles += layer.cycles;
    totals.macs += layer.macs;
    totals.dense_macs += derived.dense_macs;
    totals.effective_macs += derived.effective_macs;
    totals.skipped_macs += derived.skipped_macs;
    totals.params += layer.params;
    totals.dram_read_bytes += layer.dram_read_bytes;
    totals.dram_write_bytes += layer.dram_write_bytes;
    totals.dram_payload_bytes += layer.dram_payload_bytes;
    totals.executed_macs += layer.executed_macs;
    totals.array_pe_cycles += layer.array_pe_cycles;
    totals.energy += derived.energy;
    peak_mac_cycles += derived.peak_macs_per_cycle * to_double(layer.cycles);
    model_bits += layer.params * arch::element_bits(derived.precision);
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
  totals.model_size_bytes = (model_bits + 7) / 8;
  totals.utilization = ratio(macs, peak_mac_cycles);
  totals.macs_per_cycle = ratio(macs, cycles);
  totals.latency_ms = cycles / f_hz * 1e3;
  totals.inferences_per_s = ratio(batch, cycles / f_hz);
  totals.peak_tops = 2.0 * roofline.peak_macs_per_cycle * f_hz / 1e12;
  totals.achieved_tops = ratio(2.0 * macs * f_hz, cycles) / 1e12;
  totals.operational_intensity =
      ratio(macs, to_double(totals.dram_read_bytes + totals.dram_write_bytes));
  totals.mapping_efficiency =
      ratio(to_double(totals.executed_macs), to_double(totals.array_pe_cycles));
  totals.compute_fraction = ratio(to_double(totals.cycles_breakdown.compute), cycles);
  totals.streaming_fraction =
      ratio(to_double(totals.array_pe_cycles),
            to_double(arch.pes()) * to_double(totals.cycles_breakdown.compute));
  totals.attainable_macs_per_cycle = attainable_macs_per_cycle(
      roofline, totals.macs, totals.dram_read_bytes + totals.dram_write_bytes);
  totals.pj_per_mac = ratio(energy_pj, macs);
  // (2 x macs) ops / (energy_pj x 1e-12) J / 1e12 = 2 x macs / energy_pj: ops per pJ is TOPS/W.
  totals.tops_per_w = ratio(2.0 * macs, energy_pj);
  totals.inferences_per_j = ratio(batch, energy_pj * 1e-12);
  attach_dense_baseline(report, report);
  return report;
}

}  // namespace npu::stats
