#include "sim/stats/report_table.h"

#include <algorithm>
#include <cassert>
#include <iterator>
#include <vector>

#include "sim/stats/text_format.h"

namespace npu::stats {
namespace {

double to_uj(double pj) { return pj * 1e-6; }

double percent(double part, double whole) { return whole == 0.0 ? 0.0 : 100.0 * part / whole; }

// One column of the layer table; cells[0] is its header.
struct Column {
  bool right_aligned = false;
  size_t width_cap = kTableWidth;  // text columns are truncated past this
  std::vector<std::string> cells;
  size_t width = 0;
};

constexpr size_t kColumnGap = 2;
// The name column never shrinks below this, even if the rows then overflow the terminal.
constexpr size_t kMinNameWidth = 16;

void write_row(std::ostream& out, const std::vector<Column>& columns, size_t row) {
  for (size_t c = 0; c < columns.size(); ++c) {
    const Column& column = columns[c];
    if (c > 0) out << std::string(kColumnGap, ' ');
    const std::string cell = truncate_middle(column.cells[row], column.width);
    const std::string padding(column.width - cell.size(), ' ');
    // The last column is right-aligned, so no line ends in spaces.
    out << (column.right_aligned ? padding + cell : cell + padding);
  }
  out << '\n';
}

void write_layers(std::ostream& out, const Report& report) {
  std::vector<Column> columns = {
      {false, kTableWidth, {"layer"}},
      {false, 14, {"op"}},
      {false, 16, {"output"}},
      {true, kTableWidth, {"MACs"}},
      {true, kTableWidth, {"cycles"}},
      {true, kTableWidth, {"MAC/cyc"}},
      {true, kTableWidth, {"util%"}},
      {true, kTableWidth, {"comp%"}},
      {false, kTableWidth, {"bound"}},
      {true, kTableWidth, {"DRAM r+w"}},
      {true, kTableWidth, {"energy uJ"}},
  };
  for (const LayerReport& layer : report.layers) {
    const std::string cells[] = {
        layer.name,
        layer.op,
        shape_text(layer.output_shape),
        si_count(static_cast<double>(layer.macs)),
        grouped(layer.cycles),
        format("%.1f", layer.macs_per_cycle),
        format("%.1f", 100.0 * layer.utilization),
        format("%.1f", 100.0 * layer.compute_fraction),
        to_string(layer.bound),
        binary_bytes(layer.dram_read_bytes + layer.dram_write_bytes),
        format("%.3f", to_uj(layer.energy.total_pj())),
    };
    static_assert(std::size(cells) == 11);
    for (size_t c = 0; c < columns.size(); ++c) columns[c].cells.push_back(cells[c]);
  }

  // Every column but the name takes its widest cell (up to its cap); the name column takes the
  // rest of the 120 columns, or less when its longest name is shorter.
  size_t others = 0;
  for (Column& column : columns) {
    for (const std::string& cell : column.cells) column.width = std::max(column.width, cell.size());
    column.width = std::min(column.width, std::max(column.width_cap, column.cells[0].size()));
    others += column.width + kColumnGap;
  }
  Column& name = columns[0];
  others -= name.width + kColumnGap;  // now the line width minus the name column's
  const size_t room = kTableWidth > others ? kTableWidth - others : 0;
  name.width = std::min(name.width, std::max({room, kMinNameWidth, name.cells[0].size()}));

  write_row(out, columns, 0);
  out << std::string(name.width + others, '-') << '\n';
  for (size_t row = 1; row < name.cells.size(); ++row) write_row(out, columns, row);
}

// "  label             value" lines of the totals block.
void write_total(std::ostream& out, const std::string& label, const std::string& value) {
  out << format("  %-18s %s\n", label.c_str(), value.c_str());
}

void write_energy_part(std::ostream& out, const char* label, double pj, double total_pj) {
  out << format("    %-16s %12.3f uJ  %5.1f %%\n", label, to_uj(pj), percent(pj, total_pj));
}

// A component's share, indented under its part.
void write_energy_detail(std::ostream& out, const char* label, double pj, double total_pj) {
  out << format("      %-14s %12.3f uJ  %5.1f %%\n", label, to_uj(pj), percent(pj, total_pj));
}

// Integer arithmetic is counted in operations, float in floating-point operations; both are 2 per
// MAC (docs/metrics.md), so only the unit's name differs.
const char* ops_unit(const Report& report) {
  return report.precision.rfind("fp", 0) == 0 || report.precision == "bf16" ? "TFLOPS" : "TOPS";
}

void write_totals(std::ostream& out, const Report& report) {
  const ReportTotals& t = report.totals;
  const EnergyBreakdown& e = t.energy;
  const double energy_pj = e.total_pj();
  out << "totals\n";
  write_total(out, "cycles", grouped(t.cycles));
  write_total(out, "latency",
              format("%.4g ms (%.1f inferences/s at batch %d)", t.latency_ms, t.inferences_per_s,
                     report.batch));
  write_total(out, ops_unit(report),
              format("peak %.4g, achieved %.4g", t.peak_tops, t.achieved_tops));
  write_total(out, "utilization",
              format("%.1f %% (%.1f MACs/cycle of %lld PEs), mapping efficiency %.1f %%",
                     100.0 * t.utilization, t.macs_per_cycle, static_cast<long long>(report.pes),
                     100.0 * t.mapping_efficiency));
  const CyclesBreakdown& split = t.cycles_breakdown;
  const double cycles = static_cast<double>(t.cycles);
  write_total(out, "cycle split",
              format("compute %.1f %%, DRAM wait %.1f %%, SRAM wait %.1f %%, vector wait %.1f %%, "
                     "dependency %.1f %%",
                     percent(static_cast<double>(split.compute), cycles),
                     percent(static_cast<double>(split.dram_wait), cycles),
                     percent(static_cast<double>(split.sram_wait), cycles),
                     percent(static_cast<double>(split.vector_wait), cycles),
                     percent(static_cast<double>(split.dependency_wait), cycles)));
  if (t.executed_macs > 0) {
    // The identity of docs/metrics.md: each factor is one way the array's peak is lost.
    // MACs over executed MACs is below 100 % when padding taps were multiplied, and above when
    // skipped zero weights count as done without being executed: say which.
    const double useful = percent(static_cast<double>(t.macs), static_cast<double>(t.executed_macs));
    write_total(out, "utilization split",
                format("%.1f %% = %s %.1f %% x mapping %.1f %% x streaming %.1f %% x "
                       "compute %.1f %%",
                       100.0 * t.utilization, useful > 100.0 ? "dense-equivalent" : "useful",
                       useful, 100.0 * t.mapping_efficiency, 100.0 * t.streaming_fraction,
                       100.0 * t.compute_fraction));
  }
  const Roofline& roof = report.roofline;
  write_total(
      out, "roofline",
      format("peak %.0f MACs/cycle / DRAM %.2f B/cycle = ridge %.1f MACs/B",
             roof.peak_macs_per_cycle, roof.dram_bytes_per_cycle, roof.ridge_macs_per_byte));
  write_total(out, "intensity",
              format("%.1f MACs/B: attainable %.0f MACs/cycle, achieved %.1f",
                     t.operational_intensity, t.attainable_macs_per_cycle, t.macs_per_cycle));
  write_total(
      out, "MACs",
      format("%s (flops = 2 x MACs = %s), executed %s",
             grouped(static_cast<uint64_t>(t.macs)).c_str(),
             grouped(static_cast<uint64_t>(t.flops)).c_str(), grouped(t.executed_macs).c_str()));
  write_total(out, "params",
              format("%.3f M, model size %.2f MiB at %s", static_cast<double>(t.params) * 1e-6,
                     static_cast<double>(t.model_size_bytes) / (1024.0 * 1024.0),
                     report.precision.c_str()));
  if (!t.peak_activation_layer.empty()) {
    write_total(out, "activations",
                format("peak %s live at %s; %s if no tensor were freed",
                       binary_bytes(t.peak_activation_bytes).c_str(),
                       t.peak_activation_layer.c_str(), binary_bytes(t.activation_bytes).c_str()));
  }
  write_total(out, "DRAM traffic",
              format("read %s, write %s", binary_bytes(t.dram_read_bytes).c_str(),
                     binary_bytes(t.dram_write_bytes).c_str()));
  write_total(out, "energy", format("%.3f uJ", to_uj(energy_pj)));
  write_energy_part(out, "MAC", e.mac_pj, energy_pj);
  write_energy_part(out, "SRAM", e.sram_pj, energy_pj);
  write_energy_detail(out, "input", e.sram_by_buffer.input_pj, energy_pj);
  write_energy_detail(out, "weight", e.sram_by_buffer.weight_pj, energy_pj);
  write_energy_detail(out, "output", e.sram_by_buffer.output_pj, energy_pj);
  write_energy_part(out, "DRAM", e.dram_pj, energy_pj);
  write_energy_part(out, "vector", e.vector_pj, energy_pj);
  write_energy_part(out, "static", e.static_pj, energy_pj);
  const StaticEnergyByBlock& leak = e.static_by_block;
  write_energy_detail(out, "array", leak.array_pj, energy_pj);
  write_energy_detail(out, "vector", leak.vector_pj, energy_pj);
  write_energy_detail(out, "input buffer", leak.input_buffer_pj, energy_pj);
  write_energy_detail(out, "weight buffer", leak.weight_buffer_pj, energy_pj);
  write_energy_detail(out, "output buffer", leak.output_buffer_pj, energy_pj);
  write_energy_detail(out, "DMA", leak.dma_pj, energy_pj);
  write_energy_detail(out, "controller", leak.controller_pj, energy_pj);
  write_total(out, "efficiency",
              format("%.3f pJ/MAC, %.4g %s/W, %.4g inferences/J", t.pj_per_mac, t.tops_per_w,
                     ops_unit(report),
                     t.inferences_per_j));
  // Only a workload that declares zeros gets the line, so dense reports read as they did.
  if (t.effective_macs != t.dense_macs) {
    const double saved_pj = t.dense_baseline_energy_pj - energy_pj;
    write_total(out, "sparsity",
                format("effective MACs %s of %s, skipped %s; vs sparsity off: cycles %s -> %s, "
                       "energy -%.1f %%",
                       grouped(static_cast<uint64_t>(t.effective_macs)).c_str(),
                       grouped(static_cast<uint64_t>(t.dense_macs)).c_str(),
                       grouped(static_cast<uint64_t>(t.skipped_macs)).c_str(),
                       grouped(t.dense_baseline_cycles).c_str(), grouped(t.cycles).c_str(),
                       percent(saved_pj, t.dense_baseline_energy_pj)));
  }
  // A functional run measured its conv/dense layers' activation zeros (docs/sparsity.md): say so,
  // as a MAC-weighted density, since effective MACs rest on it rather than on the declaration.
  double measured_macs = 0, nonzero_macs = 0;
  for (const LayerReport& layer : report.layers) {
    if (layer.measured_activation_density < 0) continue;
    measured_macs += static_cast<double>(layer.macs);
    nonzero_macs += static_cast<double>(layer.macs) * layer.measured_activation_density;
  }
  if (measured_macs > 0) {
    write_total(out, "activations",
                format("density %.3f measured from the data (MAC-weighted over conv/dense layers)",
                       nonzero_macs / measured_macs));
  }
  write_total(out, "layers by bound",
              format("compute %d, memory %d, vector %d, none %d", t.bounds.compute, t.bounds.memory,
                     t.bounds.vector, t.bounds.none));
}

// `text` as lines of at most `width` characters, broken at spaces; every line but the first starts
// with `indent`. A word longer than a line stays whole.
std::vector<std::string> wrap(const std::string& text, size_t width, const std::string& indent) {
  std::vector<std::string> lines(1);
  size_t start = 0;
  while (start < text.size()) {
    size_t end = text.find(' ', start);
    if (end == std::string::npos) end = text.size();
    const std::string word = text.substr(start, end - start);
    start = end + 1;
    if (word.empty()) continue;
    std::string& line = lines.back();
    const bool fresh = line.empty() || line == indent;
    if (!fresh && line.size() + 1 + word.size() > width) {
      lines.push_back(indent + word);
    } else {
      line += (fresh ? "" : " ") + word;
    }
  }
  return lines;
}

// Each layer's explanation under its name, shape and cycles, wrapped to the table's width.
void write_explanations(std::ostream& out, const Report& report) {
  out << "\nexplanations\n";
  for (size_t i = 0; i < report.layers.size(); ++i) {
    const LayerReport& layer = report.layers[i];
    const std::string text = format("%s (%s, %s, %s cycles): %s", layer.name.c_str(),
                                    layer.op.c_str(), shape_text(layer.output_shape).c_str(),
                                    grouped(layer.cycles).c_str(), report.explanations[i].c_str());
    for (const std::string& line : wrap(text, kTableWidth - 2, "    ")) out << "  " << line << '\n';
  }
}

}  // namespace

std::string truncate_middle(const std::string& text, size_t width) {
  if (text.size() <= width) return text;
  if (width <= 2) return text.substr(0, width);
  const size_t kept = width - 2;
  const size_t head = (kept + 1) / 2;
  return text.substr(0, head) + ".." + text.substr(text.size() - (kept - head));
}

void write_table(std::ostream& out, const Report& report) {
  out << format("npusim report: arch '%s', workload '%s', batch %d\n", report.arch_name.c_str(),
                report.workload_name.c_str(), report.batch);
  out << format("array %dx%d PEs (%lld), %s, %g MHz, peak %.4g %s\n\n", report.array_rows,
                report.array_cols, static_cast<long long>(report.pes), report.precision.c_str(),
                report.freq_mhz, report.totals.peak_tops, ops_unit(report));
  write_layers(out, report);
  out << '\n';
  write_totals(out, report);
  assert(report.explanations.empty() || report.explanations.size() == report.layers.size());
  if (!report.explanations.empty()) write_explanations(out, report);
}

}  // namespace npu::stats
