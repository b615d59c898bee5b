#include "sim/stats/explain.h"

#include <algorithm>
#include <cmath>
#include <cstdio>

#include "sim/stats/text_format.h"

namespace npu::stats {
namespace {

// The array counts as efficient when macs / (PEs x array busy cycles) reaches this; below it, each
// factor (mapping, streaming, useful share) under kNamedLoss gets a sentence.
constexpr double kEfficientArray = 0.8;
constexpr double kNamedLoss = 0.85;
// A fold streaming fewer than this many times (rows + cols) elements is "short": its fill and drain
// (about rows + cols cycles) cost it more than a fifth of its time.
constexpr double kShortStream = 4.0;
// A dataflow is suggested only if it fills at least this share of the array...
constexpr double kSensibleFill = 0.5;
// ...and its estimated array efficiency beats the layer's by this factor.
constexpr double kClearlyBetter = 1.25;
// Shares of the layer's cycles above which a kind of waiting gets a sentence.
constexpr double kNotableWait = 0.10;
constexpr double kNotableIdle = 0.15;
// Two busy times within this ratio are "balanced"; a resource this close behind the bottleneck
// takes over as soon as the bottleneck gets faster.
constexpr double kBalanced = 0.9;
constexpr double kCloseBehind = 0.8;
// A memory-bound layer whose bus bytes carry less data than this share of them gets a sentence
// on block overfetch.
constexpr double kOverfetchWorthSaying = 0.15;

double as_double(uint64_t value) { return static_cast<double>(value); }
double as_double(int64_t value) { return static_cast<double>(value); }
double share(double part, double whole) { return whole == 0.0 ? 0.0 : part / whole; }
std::string percent(double fraction) { return format("%.0f%%", 100.0 * fraction); }
std::string count(int64_t value) {
  return grouped(static_cast<uint64_t>(std::max<int64_t>(value, 0)));
}
std::string cycles_text(uint64_t cycles) { return grouped(cycles); }
std::string plural(int64_t n, const char* word) {
  return count(n) + " " + word + (n == 1 ? "" : "s");
}

// "a, b or c"
std::string join_or(const std::vector<std::string>& items) {
  std::string text;
  for (size_t i = 0; i < items.size(); ++i) {
    if (i > 0) text += i + 1 == items.size() ? " or " : ", ";
    text += items[i];
  }
  return text;
}

// The GEMM the compiler's mapping text states: "implicit GEMM M=49 K=4608 N=512[ xG]; tile 7 rows
// (49 px) x ...". Not valid for vector and copy layers.
struct Gemm {
  bool valid = false;
  int64_t m = 0, k = 0, n = 0;
  int64_t tile_px = 0;  // output pixels (streamed rows) per tile; 0 if not stated
};

Gemm parse_gemm(const std::string& mapping) {
  Gemm gemm;
  const size_t at = mapping.find("implicit GEMM M=");
  if (at == std::string::npos) return gemm;
  long long m = 0, k = 0, n = 0;
  if (std::sscanf(mapping.c_str() + at, "implicit GEMM M=%lld K=%lld N=%lld", &m, &k, &n) != 3) {
    return gemm;
  }
  gemm.valid = m > 0 && k > 0 && n > 0;
  gemm.m = m, gemm.k = k, gemm.n = n;
  long long rows = 0, px = 0;
  const size_t tile = mapping.find("; tile ", at);
  if (tile != std::string::npos &&
      std::sscanf(mapping.c_str() + tile, "; tile %lld rows (%lld px)", &rows, &px) == 2) {
    gemm.tile_px = px;
  }
  return gemm;
}

// How a dataflow lays a GEMM on the array: one dimension along the rows, one along the columns,
// the third streamed through time (arch::Dataflow).
struct Layout {
  const char* dataflow;
  const char* words;  // as a sentence names it
  char row_dim, col_dim, stream_dim;
};
constexpr Layout kLayouts[] = {
    {"weight_stationary", "a weight-stationary dataflow", 'K', 'N', 'M'},
    {"output_stationary", "an output-stationary dataflow", 'M', 'N', 'K'},
    {"input_stationary", "an input-stationary dataflow", 'K', 'M', 'N'},
};

const Layout* layout_of(const std::string& dataflow) {
  for (const Layout& layout : kLayouts) {
    if (dataflow == layout.dataflow) return &layout;
  }
  return nullptr;
}

// What one streamed element of a dimension is, as a sentence counts them.
const char* stream_unit(char name) {
  return name == 'M' ? "row" : name == 'K' ? "reduction step" : "output channel";
}

int64_t dim(const Gemm& gemm, char name) {
  return name == 'M' ? gemm.m : name == 'K' ? gemm.k : gemm.n;
}

// The share of `slots` a dimension of `size` fills, cut into ceil(size / slots) pieces.
double fill(int64_t size, int64_t slots) {
  const int64_t pieces = (size + slots - 1) / slots;
  return share(as_double(size), as_double(pieces * slots));
}

double spatial_fill(const Gemm& gemm, const Layout& layout, int rows, int cols) {
  return fill(dim(gemm, layout.row_dim), rows) * fill(dim(gemm, layout.col_dim), cols);
}

// A rough array efficiency of a layout: the share of PEs it fills times the share of each fold
// spent streaming, taking fill and drain as about rows + cols cycles per fold whatever the
// dataflow. Only used to decide whether another dataflow is worth naming.
// With sub-word packing a PE row holds `packing` reduction elements, so a layout with K on the
// rows has that many row slots per PE row; fill and drain still cross the physical rows.
double estimated_efficiency(const Gemm& gemm, const Layout& layout, int rows, int cols,
                            int64_t packing, int64_t streamed_per_fold) {
  const double streamed = as_double(streamed_per_fold);
  const int row_slots = layout.row_dim == 'K' ? rows * static_cast<int>(packing) : rows;
  return spatial_fill(gemm, layout, row_slots, cols) * share(streamed, streamed + rows + cols);
}

// The MACs one PE does per cycle at the layer's precision (sub-word packing), from its peak.
int64_t layer_packing(const Report& report, const LayerReport& layer) {
  return report.pes > 0
             ? std::max<int64_t>(1, static_cast<int64_t>(layer.peak_macs_per_cycle) / report.pes)
             : 1;
}

// The other dataflow that would clearly use the array better, if any. Output stationary cannot
// pack sub-words (its PEs accumulate one output each; arch validation rejects it), so a packed
// layer is never pointed there.
const Layout* better_layout(const Report& report, const Gemm& gemm, const Layout& current,
                            double current_efficiency, int64_t packing) {
  const Layout* best = nullptr;
  double best_efficiency = kClearlyBetter * current_efficiency;
  for (const Layout& other : kLayouts) {
    if (&other == &current) continue;
    if (packing > 1 && std::string(other.dataflow) == "output_stationary") continue;
    const int row_slots =
        other.row_dim == 'K' ? report.array_rows * static_cast<int>(packing) : report.array_rows;
    if (spatial_fill(gemm, other, row_slots, report.array_cols) < kSensibleFill) continue;
    const double efficiency =
        estimated_efficiency(gemm, other, report.array_rows, report.array_cols, packing,
                             dim(gemm, other.stream_dim));
    if (efficiency > best_efficiency) {
      best = &other;
      best_efficiency = efficiency;
    }
  }
  return best;
}

std::string layout_text(const Gemm& gemm, const Layout& layout) {
  return format("%s (%c by %c across the array, streaming %c = %s)", layout.words, layout.row_dim,
                layout.col_dim, layout.stream_dim, count(dim(gemm, layout.stream_dim)).c_str());
}

// "K = 147 takes 3 folds of 64 rows, filling 147 of 192 row slots"
std::string fill_text(char name, int64_t size, int64_t slots, const char* axis) {
  const int64_t pieces = (size + slots - 1) / slots;
  if (pieces == 1) {
    return format("%c = %s fills %s of the %s %ss", name, count(size).c_str(), count(size).c_str(),
                  count(slots).c_str(), axis);
  }
  return format("%c = %s takes %s of %s %ss, filling %s of %s %s slots", name, count(size).c_str(),
                plural(pieces, "fold").c_str(), count(slots).c_str(), axis, count(size).c_str(),
                count(pieces * slots).c_str(), axis);
}

uint64_t dram_bytes(const LayerReport& layer) {
  return layer.dram_read_bytes + layer.dram_write_bytes;
}

uint64_t output_bytes(const Report& report, const LayerReport& layer) {
  int64_t elements = layer.output_shape.empty() ? 0 : 1;
  for (int64_t d : layer.output_shape) elements *= d;
  return (static_cast<uint64_t>(std::max<int64_t>(elements, 0)) *
              static_cast<uint64_t>(report.operand_bits) + 7) / 8;
}

// The requantization block a GEMM layer loads next to its weights: 12 B per output channel at
// every precision (docs/compiler.md, "Parameter tensors").
constexpr uint64_t kRequantParamsBytesPerChannel = 12;

// An estimate of the DRAM bytes of a layer's weights: its parameters at the operand width, plus,
// for a GEMM layer, the per-channel requantization block (which also holds the bias, so biases are
// counted twice: a few bytes per channel against the weights' K per channel).
uint64_t weight_bytes(const Report& report, const LayerReport& layer, const Gemm& gemm) {
  uint64_t bytes = (static_cast<uint64_t>(std::max<int64_t>(layer.params, 0)) *
                       static_cast<uint64_t>(report.operand_bits) + 7) / 8;
  if (gemm.valid && layer.params > 0) {
    bytes += kRequantParamsBytesPerChannel * static_cast<uint64_t>(gemm.n);
  }
  return bytes;
}

// "1.05 MiB over DRAM, 41,143 cycles of channel time at 26.67 B/cycle"
std::string traffic_text(const Report& report, const LayerReport& layer) {
  return format("%s over DRAM, %s cycles of channel time at %.2f B/cycle",
                binary_bytes(dram_bytes(layer)).c_str(),
                cycles_text(layer.dram_busy_cycles).c_str(), report.roofline.dram_bytes_per_cycle);
}

// A dense layer's batch rows are its GEMM's M: a larger batch streams more rows per fold and uses
// each weight more often. A convolution's images stream one after another through each staged
// weight block of a tile they share (compiler/gemm_tiling.h, images_per_tile), which does the same.
bool batch_is_m(const LayerReport& layer) { return layer.op == "dense"; }

std::string reuse_remedy(const LayerReport& layer) {
  return batch_is_m(layer) ? "a larger batch"
                           : "a larger batch (its images stream through each weight block)";
}

// Where a layer's DRAM bytes come from, and what would cut them.
std::string bytes_origin_text(const Report& report, const LayerReport& layer, const Gemm& gemm) {
  const uint64_t weights = weight_bytes(report, layer, gemm);
  if (as_double(weights) >= 0.5 * as_double(dram_bytes(layer))) {
    const std::string uses =
        batch_is_m(layer) && gemm.valid ? ", each used for " + plural(gemm.m, "row") : "";
    return format("the bytes are mostly weights (%s%s), which %s would reuse",
                  binary_bytes(weights).c_str(), uses.c_str(), reuse_remedy(layer).c_str());
  }
  return format(
      "the bytes are mostly activations (the weights are only %s, the output %s), "
      "which keeping its input or output on chip (fusing it with a neighbour) would "
      "save",
      binary_bytes(weights).c_str(), binary_bytes(output_bytes(report, layer)).c_str());
}

std::string memory_bound_array_text(const Report& report, const LayerReport& layer) {
  const Roofline& roof = report.roofline;
  std::string text = "Memory-bound: it moves " + traffic_text(report, layer);
  if (as_double(layer.matrix_busy_cycles) >= kBalanced * as_double(layer.dram_busy_cycles)) {
    text += format(
        ", and the array needs %s: the two are balanced, so both would have to get "
        "faster.",
        cycles_text(layer.matrix_busy_cycles).c_str());
  } else {
    text +=
        format(", while the array needs only %s.", cycles_text(layer.matrix_busy_cycles).c_str());
  }
  if (layer.operational_intensity < roof.ridge_macs_per_byte) {
    text += format(
        " Its intensity, %.1f MACs/B, is below the ridge of %.1f, so it can attain at "
        "most %.0f MACs/cycle (it achieves %.0f): more DRAM bandwidth would help; %s.",
        layer.operational_intensity, roof.ridge_macs_per_byte, layer.attainable_macs_per_cycle,
        layer.macs_per_cycle, bytes_origin_text(report, layer, parse_gemm(layer.mapping)).c_str());
  } else {
    // Above the ridge, bytes / bandwidth <= MACs / peak <= the array's busy time; the channel can
    // exceed it only by rounding each transfer up to whole access blocks and cycles.
    text += format(
        " Its intensity, %.1f MACs/B, is above the ridge of %.1f, so its bytes alone "
        "would fit under the array's time: the excess is many small transfers, each "
        "rounded up to whole access blocks and cycles.",
        layer.operational_intensity, roof.ridge_macs_per_byte);
  }
  return text;
}

// Why the array's busy time exceeds MACs / PEs, and what would shorten it.
std::string array_losses_text(const Report& report, const LayerReport& layer) {
  const Gemm gemm = parse_gemm(layer.mapping);
  const Layout* layout = gemm.valid ? layout_of(report.dataflow) : nullptr;
  const double useful = share(as_double(layer.macs), as_double(layer.executed_macs));
  const double efficiency = useful * layer.mapping_efficiency * layer.streaming_fraction;
  if (efficiency >= kEfficientArray) {
    return format(
        " The array itself runs efficiently (%s of its PE slots hold real work, %s of "
        "its busy time streams rows): only a larger array or a faster clock would "
        "shorten its busy time.",
        percent(layer.mapping_efficiency).c_str(), percent(layer.streaming_fraction).c_str());
  }
  std::string text;
  const Layout* alternative =
      layout != nullptr
          ? better_layout(report, gemm, *layout, efficiency, layer_packing(report, layer))
          : nullptr;
  bool named_alternative = false;
  if (layer.streaming_fraction < kNamedLoss) {
    text += format(
        " Only %s of that time streams operands through the array; the rest is preload, "
        "fill and drain, which every fold pays whatever its size",
        percent(layer.streaming_fraction).c_str());
    const char stream = layout != nullptr ? layout->stream_dim : 'M';
    const bool tiled = stream == 'M' && gemm.tile_px > 0 && gemm.tile_px < gemm.m;
    const int64_t per_fold = tiled ? gemm.tile_px : dim(gemm, stream);
    // Only a short stream explains the loss: a long one amortizes fill and drain by itself.
    const bool short_stream =
        as_double(per_fold) < kShortStream * (report.array_rows + report.array_cols);
    if (layout != nullptr && short_stream) {
      text += format(", and each fold here streams only %s (%c = %s%s)",
                     plural(per_fold, stream_unit(stream)).c_str(), stream,
                     count(dim(gemm, stream)).c_str(),
                     stream == 'M' && !batch_is_m(layer) ? " output pixels per image" : "");
      std::vector<std::string> remedies;
      if (tiled) remedies.push_back("larger tiles (up to all " + count(gemm.m) + " rows)");
      if (stream == 'M') remedies.push_back(reuse_remedy(layer));
      if (alternative != nullptr) {
        remedies.push_back(layout_text(gemm, *alternative));
        named_alternative = true;
      }
      if (!remedies.empty()) text += ": " + join_or(remedies) + " would amortize it";
    }
    text += ".";
  }
  if (layer.mapping_efficiency > 0.0 && layer.mapping_efficiency < kNamedLoss) {
    text += format(" Only %s of its PE slots hold real work",
                   percent(layer.mapping_efficiency).c_str());
    if (layout != nullptr) {
      // With sub-word packing each PE row holds p reduction elements (docs/timing.md); the row
      // slots are then p per PE row, as mapping_efficiency counts them.
      text += ": " +
              fill_text(layout->row_dim, dim(gemm, layout->row_dim),
                        report.array_rows * layer_packing(report, layer), "row") +
              ", and " +
              fill_text(layout->col_dim, dim(gemm, layout->col_dim), report.array_cols, "column");
    }
    text += "; ";
    text += alternative != nullptr && !named_alternative
                ? layout_text(gemm, *alternative) + " would fill it better."
                : std::string("a smaller array would waste less of it.");
  }
  if (layer.executed_macs > 0 && useful < kNamedLoss) {
    text += format(" %s of the multiplies it executes are padding taps.",
                   percent(1.0 - useful).c_str());
  }
  return text;
}

std::string compute_bound_text(const Report& report, const LayerReport& layer) {
  const Roofline& roof = report.roofline;
  const double ideal = share(as_double(layer.macs), roof.peak_macs_per_cycle);
  const uint64_t busy = layer.cycles_breakdown.compute;
  std::string text = format(
      "Compute-bound: the array is busy %s of its %s cycles, %.1fx the %s cycles its %s MACs would "
      "take with every PE working every cycle.",
      cycles_text(busy).c_str(), cycles_text(layer.cycles).c_str(), share(as_double(busy), ideal),
      cycles_text(static_cast<uint64_t>(std::ceil(ideal))).c_str(),
      si_count(as_double(layer.macs)).c_str());
  text += array_losses_text(report, layer);
  if (layer.operational_intensity < roof.ridge_macs_per_byte && dram_bytes(layer) > 0) {
    text += format(
        " Past that, DRAM would limit it: its intensity, %.1f MACs/B, is below the "
        "ridge of %.1f, so even a perfect array would attain only %.0f MACs/cycle here "
        "(it achieves %.0f); %s.",
        layer.operational_intensity, roof.ridge_macs_per_byte, layer.attainable_macs_per_cycle,
        layer.macs_per_cycle, bytes_origin_text(report, layer, parse_gemm(layer.mapping)).c_str());
  } else if (as_double(layer.dram_busy_cycles) >=
             kCloseBehind * as_double(layer.matrix_busy_cycles)) {
    // The bound is the configured design's: say how little it takes to flip it, since a sweep
    // that halves the bandwidth doubles the channel's time (and a layer near the ridge feels it).
    text += format(
        " DRAM is close behind (%s cycles of channel time, %s of the array's): a faster "
        "array, or half the bandwidth (%s cycles), would make it memory-bound.",
        cycles_text(layer.dram_busy_cycles).c_str(),
        percent(share(as_double(layer.dram_busy_cycles), as_double(layer.matrix_busy_cycles)))
            .c_str(),
        cycles_text(2 * layer.dram_busy_cycles).c_str());
  }
  return text;
}

std::string vector_bound_text(const Report& report, const LayerReport& layer) {
  if (layer.compute_unit == ComputeUnit::kArray) {
    return format(
        "Vector-bound: the vector unit (requantization, activation) is busy %s cycles "
        "against the array's %s: more than its %d lanes would shorten it.",
        cycles_text(layer.vector_busy_cycles).c_str(),
        cycles_text(layer.matrix_busy_cycles).c_str(), report.vector_lanes);
  }
  return format(
      "Vector-bound: the vector unit is busy %s of its %s cycles producing a %s output "
      "on %d lanes (the layer has no MACs): more lanes, or fusing it into the layer "
      "that produces its input, would shorten it.",
      cycles_text(layer.cycles_breakdown.compute).c_str(), cycles_text(layer.cycles).c_str(),
      shape_text(layer.output_shape).c_str(), report.vector_lanes);
}

// Latency, not bandwidth: DRAM transfers were the only thing in flight for much longer than the
// channel carried data.
bool latency_dominated(const LayerReport& layer) {
  const uint64_t wait = layer.cycles_breakdown.dram_wait;
  return share(as_double(wait), as_double(layer.cycles)) >= kNotableIdle &&
         as_double(wait) > 2.0 * as_double(layer.dram_busy_cycles);
}

std::string data_movement_text(const Report& report, const LayerReport& layer) {
  std::string text;
  if (layer.compute_unit == ComputeUnit::kVector) {
    const bool balanced =
        as_double(layer.vector_busy_cycles) >= kBalanced * as_double(layer.dram_busy_cycles);
    text = format(
        "Memory-bound data movement: it has no MACs and moves %s (its output alone is "
        "%s), while the vector unit needs %s%s cycles.",
        traffic_text(report, layer).c_str(), binary_bytes(output_bytes(report, layer)).c_str(),
        balanced ? "" : "only ", cycles_text(layer.vector_busy_cycles).c_str());
  } else {
    text = format("Data movement only: it copies %s with no compute.",
                  traffic_text(report, layer).c_str());
  }
  if (latency_dominated(layer)) return text;  // waits_text says what would help
  text += " More DRAM bandwidth would help; ";
  text += layer.compute_unit == ComputeUnit::kVector
              ? "doing this work while its input is still on chip (fused into the layer that "
                "produces it) would remove the round trip."
              : "producers writing straight into place would remove it.";
  return text;
}

// Sentences on waiting large enough to matter, whatever bounded the layer.
std::string waits_text(const LayerReport& layer) {
  const CyclesBreakdown& b = layer.cycles_breakdown;
  const double cycles = as_double(layer.cycles);
  std::string text;
  const ComputeSpan& span = layer.compute_span;
  if (span.computed && share(as_double(span.lead_in + span.tail), cycles) >= kNotableWait) {
    text += format(
        " Its %s starts %s cycles into the layer (loading the first tile) and stops %s "
        "cycles before its end (finishing the last outputs): the barrier between layers "
        "keeps that time from overlapping its neighbours' work.",
        layer.compute_unit == ComputeUnit::kArray ? "array" : "vector unit",
        cycles_text(span.lead_in).c_str(), cycles_text(span.tail).c_str());
  }
  if (share(as_double(b.sram_wait), cycles) >= kNotableWait) {
    text += format(
        " %s of its cycles an instruction waited for a busy SRAM port: more banks or "
        "wider ports would recover them.",
        percent(share(as_double(b.sram_wait), cycles)).c_str());
  }
  if (share(as_double(b.vector_wait), cycles) >= kNotableWait) {
    text += format(
        " %s of its cycles the array was idle while the vector unit requantized and "
        "activated outputs.",
        percent(share(as_double(b.vector_wait), cycles)).c_str());
  }
  if (latency_dominated(layer)) {
    text += format(
        " Its DRAM wait is latency, not bandwidth: for %s cycles only transfers were in "
        "flight, but the channel carried data for %s of them; more transfers in flight "
        "would hide it, more bandwidth would not.",
        cycles_text(b.dram_wait).c_str(), cycles_text(layer.dram_busy_cycles).c_str());
  }
  if (share(as_double(b.dependency_wait), cycles) >= kNotableIdle) {
    text += format(
        " %s of its cycles nothing of it was busy (waiting on dependencies with "
        "nothing in flight).",
        percent(share(as_double(b.dependency_wait), cycles)).c_str());
  }
  return text;
}

// What load imbalance cost a layer whose unstructured zero weights the array skipped
// (docs/sparsity.md): each column packs its nonzeros, but a fold ends where its busiest column
// runs out of PE rows, so it covers skip_rows reduction rows rather than the R / d an even spread
// would give. The array's time scales with the K folds, so the balanced figure is its busy time
// scaled by the fold counts.
std::string unstructured_skip_text(const Report& report, const LayerReport& layer) {
  if (layer.skip_rows == 0 || layer.output_shape.empty()) return "";
  int64_t outputs = 1;
  for (int64_t d : layer.output_shape) outputs *= d;
  if (outputs == 0) return "";
  const int64_t k = layer.macs / outputs;  // reduction length per output
  const int64_t rows = report.array_rows;
  const int64_t balanced_rows = layer.skip_balanced_rows;
  const auto folds = [k](int64_t per_fold) { return (k + per_fold - 1) / per_fold; };
  const int64_t skipped = folds(layer.skip_rows), balanced = folds(balanced_rows);
  return format(
      " It skips its unstructured zero weights (density %.2f): each column packs its nonzeros, but "
      "a fold's columns wait for the busiest, so a fold covers %lld reduction rows, not the %lld "
      "an even spread would give (%lld dense). K = %lld takes %s against %lld balanced and %lld "
      "dense: the array's %s busy cycles would be about %s without the imbalance; with sparsity "
      "off the layer took %s cycles.",
      layer.skip_density, static_cast<long long>(layer.skip_rows),
      static_cast<long long>(balanced_rows), static_cast<long long>(rows),
      static_cast<long long>(k), plural(skipped, "fold").c_str(),
      static_cast<long long>(balanced), static_cast<long long>(folds(rows)),
      cycles_text(layer.matrix_busy_cycles).c_str(),
      cycles_text(layer.matrix_busy_cycles * static_cast<uint64_t>(balanced) /
                  static_cast<uint64_t>(skipped))
          .c_str(),
      cycles_text(layer.dense_baseline_cycles).c_str());
}

// A functional run counts the zero inputs a conv/dense layer multiplies (docs/sparsity.md).
std::string measured_activation_text(const LayerReport& layer) {
  if (layer.measured_activation_density < 0) return "";
  return format(
      " Measured activation density %.3f: %s of the inputs its multiplies read were zero (padding "
      "taps included); effective MACs and MAC energy use this, not the declared density.",
      layer.measured_activation_density,
      percent(1.0 - layer.measured_activation_density).c_str());
}

// A memory-bound layer whose bus bytes are well above the data they carry: strided runs that
// straddle access blocks, or fall short of filling them, fetch whole blocks anyway.
std::string overfetch_text(const LayerReport& layer) {
  const uint64_t bus = dram_bytes(layer);
  if (layer.bound != Bound::kMemory || layer.dram_payload_bytes == 0 ||
      layer.dram_payload_bytes >= bus) {
    return "";
  }
  const double waste = 1.0 - as_double(layer.dram_payload_bytes) / as_double(bus);
  if (waste < kOverfetchWorthSaying) return "";
  return format(
      " %s of those bytes carry no data (%s of data in %s): its transfers are strided runs "
      "that straddle or do not fill the DRAM's access blocks, which move whole; whole-pixel "
      "or block-aligned runs would save them.",
      percent(waste).c_str(), binary_bytes(layer.dram_payload_bytes).c_str(),
      binary_bytes(bus).c_str());
}

std::string explain_layer(const Report& report, const LayerReport& layer) {
  if (layer.cycles == 0) {
    if (layer.bound == Bound::kNone) {
      return "Takes no time: " +
             (layer.mapping.empty() ? std::string("it does no work") : layer.mapping) + ".";
    }
    return format(
        "Takes no cycles of its own: its work (array %s, DRAM %s, vector %s cycles) "
        "overlapped the layers before it.",
        cycles_text(layer.matrix_busy_cycles).c_str(), cycles_text(layer.dram_busy_cycles).c_str(),
        cycles_text(layer.vector_busy_cycles).c_str());
  }
  std::string text;
  switch (layer.bound) {
    case Bound::kNone:
      return format("Nothing was busy during its %s cycles: it only waited on dependencies.",
                    cycles_text(layer.cycles).c_str());
    case Bound::kCompute:
      text = compute_bound_text(report, layer);
      break;
    case Bound::kMemory:
      text = layer.compute_unit == ComputeUnit::kArray ? memory_bound_array_text(report, layer)
                                                       : data_movement_text(report, layer);
      break;
    case Bound::kVector:
      text = vector_bound_text(report, layer);
      break;
  }
  return text + overfetch_text(layer) + waits_text(layer) + unstructured_skip_text(report, layer) +
         measured_activation_text(layer);
}

}  // namespace

std::vector<std::string> explain_layers(const Report& report) {
  std::vector<std::string> explanations;
  explanations.reserve(report.layers.size());
  for (const LayerReport& layer : report.layers) {
    explanations.push_back(explain_layer(report, layer));
  }
  return explanations;
}

}  // namespace npu::stats
