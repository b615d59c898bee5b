#pragma once
// The derived view of one run: every metric the table, JSON and CSV writers print, computed once
// from the raw RunCounters and the arch config. The writers only format; no writer derives a
// number, so the three views cannot disagree. Definitions and units: docs/metrics.md.

#include <cstdint>
#include <string>
#include <vector>

#include "arch/arch_config.h"
#include "sim/stats/energy.h"
#include "sim/stats/run_stats.h"
#include "sim/stats/stall_breakdown.h"

namespace npu::stats {

// The resource whose busy time set a layer's duration. kNone: the layer kept nothing busy (a
// reshape that costs nothing).
enum class Bound { kNone, kCompute, kMemory, kVector };
const char* to_string(Bound bound);

// The largest of the three busy times. Ties resolve compute > memory > vector: a fixed order keeps
// the report deterministic, and a balanced layer is named after the array the design is sized by.
Bound layer_bound(const LayerCounters& layer);

struct LayerReport {
  std::string name;
  std::string op;
  std::vector<int64_t> output_shape;  // including batch
  std::string mapping;                // the tiler's choice, in words
  int64_t macs = 0;
  // Sparsity (docs/sparsity.md): dense_macs = macs; effective_macs those with both operands
  // nonzero; skipped_macs those the array did not schedule (0 unless skipping applies).
  int64_t dense_macs = 0;
  int64_t effective_macs = 0;
  int64_t skipped_macs = 0;
  // Unstructured zero weights the array skipped: reduction rows per fold and weight density (as
  // isa::LayerInfo), and the rows an even spread of the nonzeros would give, floor(R / d), to see
  // what load imbalance cost; 0 when it did not.
  uint32_t skip_rows = 0;
  double skip_density = 0.0;
  uint32_t skip_balanced_rows = 0;
  // The share of nonzero inputs the layer's multiplies read, counted in a functional run and used
  // for effective_macs and energy in place of the declared density; -1 when not measured.
  double measured_activation_density = -1.0;
  int64_t params = 0;
  // Bytes of the activation tensors held while the layer runs (compiler/activation_memory.h);
  // set by attach_activation_memory, 0 until then.
  uint64_t live_activation_bytes = 0;
  uint64_t cycles = 0;
  double macs_per_cycle = 0.0;  // macs / cycles; 0 when cycles is 0
  // The operand precision of its matrix work: the design's or the layer's own (mixed precision).
  arch::Precision precision = arch::Precision::kInt8;
  double peak_macs_per_cycle = 0.0;  // PEs x MACs per PE per cycle at that precision
  double utilization = 0.0;     // macs / (peak MACs per cycle x cycles), in [0, 1]; 0 when cycles is 0
  Bound bound = Bound::kNone;
  uint64_t matrix_busy_cycles = 0;
  uint64_t dram_busy_cycles = 0;
  uint64_t vector_busy_cycles = 0;
  uint64_t dram_read_bytes = 0;
  uint64_t dram_write_bytes = 0;
  uint64_t dram_payload_bytes = 0;  // the data in them; the rest is whole-block overfetch
  double operational_intensity = 0.0;  // macs / DRAM bytes (read + write); 0 without DRAM traffic
  uint64_t executed_macs = 0;
  double mapping_efficiency = 0.0;  // executed_macs / array_pe_cycles; 0 when nothing streamed
  uint64_t array_pe_cycles = 0;     // PE slots offered while streaming
  // Where the cycles went (sim/stats/stall_breakdown.h); adds up to `cycles`.
  ComputeUnit compute_unit = ComputeUnit::kNone;
  CyclesBreakdown cycles_breakdown;
  ComputeSpan compute_span;       // cycles before the compute unit started and after it stopped
  double compute_fraction = 0.0;  // cycles_breakdown.compute / cycles; 0 when cycles is 0
  // array_pe_cycles / (PEs x cycles_breakdown.compute): the share of the compute unit's busy time
  // in which rows streamed through the array (the rest: preload, fill, drain, or vector work).
  // utilization = (macs / executed_macs) x mapping_efficiency x streaming_fraction x
  // compute_fraction whenever executed_macs > 0 (docs/metrics.md).
  double streaming_fraction = 0.0;
  // Roofline: min(peak MACs/cycle, operational_intensity x DRAM bytes/cycle); peak when the layer
  // has MACs but moves no DRAM bytes, 0 when it has no MACs.
  double attainable_macs_per_cycle = 0.0;
  EnergyBreakdown energy;
  double pj_per_mac = 0.0;  // energy / macs; 0 without MACs
  double tops_per_w = 0.0;  // 2 x macs / energy in pJ; 0 without energy
  // The same layer with sparsity support off: what sparsity saved. build_report sets the run's own
  // figures (right whenever sparsity_applies is false); attach_dense_baseline replaces them.
  uint64_t dense_baseline_cycles = 0;
  double dense_baseline_energy_pj = 0.0;
};

// Layer counts by bound, for the one-line summary.
struct BoundCounts {
  int compute = 0;
  int memory = 0;
  int vector = 0;
  int none = 0;
};

struct ReportTotals {
  uint64_t cycles = 0;  // sum of the layers' cycles == RunCounters::total_cycles
  int64_t macs = 0;
  int64_t dense_macs = 0;  // the layers' sums, as in LayerReport
  int64_t effective_macs = 0;
  int64_t skipped_macs = 0;
  int64_t flops = 0;  // 2 x macs: a MAC is counted as two operations
  int64_t params = 0;
  int64_t model_size_bytes = 0;  // params x operand bytes
  // Activation memory (attach_activation_memory): the most bytes any layer holds live, the first
  // layer that holds that many, and every activation tensor's bytes (memory never reused).
  uint64_t peak_activation_bytes = 0;
  std::string peak_activation_layer;
  uint64_t activation_bytes = 0;
  double utilization = 0.0;
  double macs_per_cycle = 0.0;
  double latency_ms = 0.0;        // cycles / f
  double inferences_per_s = 0.0;  // batch / latency
  double peak_tops = 0.0;         // 2 x PEs x MACs per PE per cycle x f
  double achieved_tops = 0.0;     // 2 x macs x f / cycles
  uint64_t dram_read_bytes = 0;
  uint64_t dram_write_bytes = 0;
  uint64_t dram_payload_bytes = 0;
  double operational_intensity = 0.0;
  uint64_t executed_macs = 0;
  uint64_t array_pe_cycles = 0;
  double mapping_efficiency = 0.0;
  CyclesBreakdown cycles_breakdown;        // sums of the layers'
  double compute_fraction = 0.0;           // cycles_breakdown.compute / cycles
  double streaming_fraction = 0.0;         // array_pe_cycles / (PEs x cycles_breakdown.compute)
  double attainable_macs_per_cycle = 0.0;  // the roofline at the model's operational intensity
  EnergyBreakdown energy;
  double pj_per_mac = 0.0;  // total energy / macs
  double tops_per_w = 0.0;  // 2 x macs / energy in pJ (ops per pJ = TOPS/W)
  double inferences_per_j = 0.0;  // batch / energy in J
  BoundCounts bounds;
  uint64_t dense_baseline_cycles = 0;  // as in LayerReport, summed
  double dense_baseline_energy_pj = 0.0;
};

// The design's roofline: what MACs per cycle a layer can attain at a given operational intensity.
struct Roofline {
  double peak_macs_per_cycle = 0.0;   // PEs x MACs per PE per cycle
  double dram_bytes_per_cycle = 0.0;  // bandwidth_gbps x 1000 / freq_mhz
  double ridge_macs_per_byte = 0.0;   // peak / DRAM bytes per cycle

  // min(peak, intensity x bytes per cycle).
  double attainable(double macs_per_byte) const;
};

struct Report {
  std::string arch_name;
  std::string workload_name;
  int batch = 1;
  // The resolved arch config as YAML text, as the CLI wrote it next to the results; the JSON writer
  // embeds it as an object so a number can be traced to its inputs.
  std::string resolved_arch_yaml;
  // What the human header shows without reparsing the YAML.
  int array_rows = 0;
  int array_cols = 0;
  int64_t pes = 0;
  double freq_mhz = 0.0;
  std::string precision;  // operand precision, e.g. "int8"
  int operand_bits = 8;   // bits per operand element at that precision (int4: 4, packed)
  std::string dataflow;   // e.g. "weight_stationary"
  int vector_lanes = 0;
  Roofline roofline;
  EventCosts energy_costs;  // what each event cost, as charged
  std::vector<LayerReport> layers;
  ReportTotals totals;
  // One sentence or two per layer on why it takes the time it does (sim/stats/explain.h); empty
  // unless asked for, when the JSON writer adds them to the layers as `explanation`.
  std::vector<std::string> explanations;
  std::vector<ModuleCounter> modules;  // each hardware module's own counters, as measured
};

// PEs x the MACs one PE completes per cycle at `precision` (sub-word packing, docs/timing.md);
// peak_tops and each layer's utilization are against it.
double peak_macs_per_cycle(const arch::ArchConfig& arch, arch::Precision precision);

// Whether a run of `program`-like layers on `arch` would differ from the same run with sparsity
// support off: the arch gates or skips and some layer declares zeros.
bool sparsity_applies(const arch::ArchConfig& arch, const RunCounters& counters);

// Records `dense` (the same program and arch with sparsity.support = none) as the baseline of
// `report`, layer by layer. Both must come from the same program.
void attach_dense_baseline(Report& report, const Report& dense);

// Records each layer's live activation bytes (one per report layer, in order) and the totals
// derived from them; `total_bytes` is every activation tensor's bytes.
void attach_activation_memory(Report& report, const std::vector<uint64_t>& live_bytes,
                              uint64_t total_bytes);

// Derives every metric (the dense baseline is the run itself). The layers' cycles must add up to counters.total_cycles (the simulator
// guarantees it; a mismatch is a simulator bug and asserts).
Report build_report(const RunCounters& counters, const arch::ArchConfig& arch,
                    const std::string& workload_name, int batch,
                    const std::string& resolved_arch_yaml);

}  // namespace npu::stats
