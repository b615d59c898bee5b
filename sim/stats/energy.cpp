#include "sim/stats/energy.h"

#include <algorithm>
#include <cassert>

#include "isa/instruction.h"

namespace npu::stats {
namespace {

// A trip-wire for "an entry with no event is an error": the table is ten doubles (mac, int4 mac,
// six SRAM read/write costs, DRAM, vector) plus static power. A new entry changes the size and
// stops the build here until layer_energy() charges it to an event.
static_assert(sizeof(arch::EnergyConfig) == 11 * sizeof(double),
              "arch::EnergyConfig changed: charge the new entry to an event in layer_energy()");

double buffer_pj(const arch::SramEnergy& cost, const LayerCounters& layer, isa::Buffer buffer) {
  const auto index = static_cast<size_t>(buffer);
  return static_cast<double>(layer.sram_read_bytes[index]) * cost.read_pj_per_byte +
         static_cast<double>(layer.sram_write_bytes[index]) * cost.write_pj_per_byte;
}

}  // namespace

EnergyBreakdown& EnergyBreakdown::operator+=(const EnergyBreakdown& other) {
  mac_pj += other.mac_pj;
  sram_pj += other.sram_pj;
  dram_pj += other.dram_pj;
  vector_pj += other.vector_pj;
  static_pj += other.static_pj;
  return *this;
}

EnergyBreakdown layer_energy(const LayerCounters& layer, const arch::ArchConfig& arch) {
  assert(arch.clock.freq_mhz > 0);
  const arch::EnergyConfig& table = arch.energy;
  EnergyBreakdown energy;
  // A gated MAC whose operand is zero does not toggle, so it spends (to first order) nothing; a
  // skipped one is not executed at all. Either way only the nonzero share of what the array
  // executed costs energy. The share is the declared density, spread evenly over the executed
  // MACs (padding taps included: the model does not see which taps are padding zeros).
  // Skipped MACs were never executed, so the nonzero share of what was is effective MACs over the
  // dense MACs the skipping left: macs x N/M when the N:M weights were skipped.
  double toggling = 1.0;
  if (arch.sparsity.support != arch::SparsitySupport::kNone && layer.macs > 0) {
    const double scheduled = layer.skip_m == 0 ? static_cast<double>(layer.macs)
                                               : static_cast<double>(layer.macs) * layer.skip_n /
                                                     static_cast<double>(layer.skip_m);
    toggling = std::min(1.0, static_cast<double>(layer.macs - layer.zero_operand_macs) / scheduled);
  }
  // Each MAC at the layer's own precision (an int4 layer's packed sub-word MACs: int4_mac_pj).
  energy.mac_pj =
      static_cast<double>(layer.executed_macs) * toggling *
      arch::mac_pj(table, layer.precision.value_or(arch.precision.operand));
  energy.sram_pj = buffer_pj(table.sram.input, layer, isa::Buffer::kInput) +
                   buffer_pj(table.sram.weight, layer, isa::Buffer::kWeight) +
                   buffer_pj(table.sram.output, layer, isa::Buffer::kOutput);
  energy.dram_pj =
      static_cast<double>(layer.dram_read_bytes + layer.dram_write_bytes) * table.dram_pj_per_byte;
  energy.vector_pj = static_cast<double>(layer.vector_element_ops) * table.vector_op_pj;
  // mW x 1e-3 W/mW x (cycles / (MHz x 1e6)) s x 1e12 pJ/J = mW x cycles / MHz x 1e3.
  energy.static_pj =
      table.static_mw * static_cast<double>(layer.cycles) / arch.clock.freq_mhz * 1e3;
  return energy;
}

}  // namespace npu::stats
