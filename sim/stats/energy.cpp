#include "sim/stats/energy.h"

#include <algorithm>
#include <cassert>

#include "isa/instruction.h"

namespace npu::stats {
namespace {

// A trip-wire for "an entry with no event is an error": the table is the tech scale, five MAC
// entries, the gated share, six SRAM costs and the DRAM cost (each may be `auto`), the vector cost
// and seven static powers. A new entry changes the size and stops the build here until
// layer_energy() charges it to an event.
static_assert(sizeof(arch::MacEnergyTable) == 5 * sizeof(double) &&
                  sizeof(arch::StaticPowerTable) == 7 * sizeof(double) &&
                  sizeof(arch::SramEnergyTable) == 6 * sizeof(std::optional<double>) &&
                  sizeof(arch::EnergyConfig) == 3 * sizeof(double) + sizeof(arch::MacEnergyTable) +
                                                    sizeof(arch::SramEnergyTable) +
                                                    sizeof(std::optional<double>) +
                                                    sizeof(arch::StaticPowerTable),
              "arch::EnergyConfig changed: charge the new entry to an event in layer_energy()");

double buffer_pj(const arch::SramCosts& costs, const LayerCounters& layer, isa::Buffer which) {
  const auto index = static_cast<size_t>(which);
  return static_cast<double>(layer.sram_read_bytes[index]) * costs.read_pj_per_byte +
         static_cast<double>(layer.sram_write_bytes[index]) * costs.write_pj_per_byte;
}

}  // namespace

EnergyBreakdown& EnergyBreakdown::operator+=(const EnergyBreakdown& other) {
  mac_pj += other.mac_pj;
  sram_pj += other.sram_pj;
  dram_pj += other.dram_pj;
  vector_pj += other.vector_pj;
  static_pj += other.static_pj;
  sram_by_buffer.input_pj += other.sram_by_buffer.input_pj;
  sram_by_buffer.weight_pj += other.sram_by_buffer.weight_pj;
  sram_by_buffer.output_pj += other.sram_by_buffer.output_pj;
  StaticEnergyByBlock& mine = static_by_block;
  const StaticEnergyByBlock& theirs = other.static_by_block;
  mine.array_pj += theirs.array_pj;
  mine.vector_pj += theirs.vector_pj;
  mine.input_buffer_pj += theirs.input_buffer_pj;
  mine.weight_buffer_pj += theirs.weight_buffer_pj;
  mine.output_buffer_pj += theirs.output_buffer_pj;
  mine.dma_pj += theirs.dma_pj;
  mine.controller_pj += theirs.controller_pj;
  return *this;
}

EventCosts event_costs(const arch::ArchConfig& arch) {
  const arch::EnergyConfig& table = arch.energy;
  EventCosts costs;
  costs.mac_pj = arch::mac_pj(table, arch.precision.operand);
  costs.gated_mac_pj = costs.mac_pj * table.gated_mac_fraction;
  costs.input = arch::sram_costs(table, table.sram.input, arch.sram.input);
  costs.weight = arch::sram_costs(table, table.sram.weight, arch.sram.weight);
  costs.output = arch::sram_costs(table, table.sram.output, arch.sram.output);
  costs.dram_pj_per_byte = arch::dram_pj_per_byte(arch);
  costs.vector_op_pj = arch::vector_op_pj(table);
  costs.static_mw = arch::total_static_mw(table.static_mw);
  return costs;
}

double toggling_share(const LayerCounters& layer, const arch::ArchConfig& arch) {
  // The share is the declared density, spread evenly over the executed MACs (padding taps
  // included: the model does not see which taps are padding zeros). Skipped MACs were never
  // executed, so the nonzero share of what was is effective MACs over the dense MACs the skipping
  // left: macs x N/M when the N:M weights were skipped, macs x d when unstructured ones were.
  if (arch.sparsity.support == arch::SparsitySupport::kNone || layer.macs <= 0) return 1.0;
  const double macs = static_cast<double>(layer.macs);
  const double scheduled = layer.skip_rows != 0 ? macs * layer.skip_density
                           : layer.skip_m == 0  ? macs
                                                : macs * layer.skip_n / static_cast<double>(layer.skip_m);
  return std::min(1.0, static_cast<double>(layer.macs - layer.zero_operand_macs) / scheduled);
}

EnergyBreakdown layer_energy(const LayerCounters& layer, const arch::ArchConfig& arch) {
  assert(arch.clock.freq_mhz > 0);
  const arch::EnergyConfig& table = arch.energy;
  EnergyBreakdown energy;
  // A gated MAC whose operand is zero does not toggle the multiplier and adder, but its zero
  // detection, registers and clock still spend gated_mac_fraction of a MAC; a skipped one is not
  // executed at all.
  const EventCosts costs = event_costs(arch);
  const double toggling = toggling_share(layer, arch);
  // Each MAC at the layer's own precision (an int4 layer's packed sub-word MACs: mac_pj.int4).
  const double mac_pj = arch::mac_pj(table, layer.precision.value_or(arch.precision.operand));
  energy.mac_pj = static_cast<double>(layer.executed_macs) * mac_pj *
                  (toggling + (1.0 - toggling) * table.gated_mac_fraction);

  SramEnergyByBuffer& sram = energy.sram_by_buffer;
  sram.input_pj = buffer_pj(costs.input, layer, isa::Buffer::kInput);
  sram.weight_pj = buffer_pj(costs.weight, layer, isa::Buffer::kWeight);
  sram.output_pj = buffer_pj(costs.output, layer, isa::Buffer::kOutput);
  energy.sram_pj = sram.total_pj();

  energy.dram_pj =
      static_cast<double>(layer.dram_read_bytes + layer.dram_write_bytes) * costs.dram_pj_per_byte;
  energy.vector_pj = static_cast<double>(layer.vector_element_ops) * costs.vector_op_pj;

  // mW x 1e-3 W/mW x (cycles / (MHz x 1e6)) s x 1e12 pJ/J = mW x cycles / MHz x 1e3.
  const double pj_per_mw = static_cast<double>(layer.cycles) / arch.clock.freq_mhz * 1e3;
  const arch::StaticPowerTable& power = table.static_mw;
  StaticEnergyByBlock& leak = energy.static_by_block;
  leak.array_pj = power.array * pj_per_mw;
  leak.vector_pj = power.vector * pj_per_mw;
  leak.input_buffer_pj = power.input_buffer * pj_per_mw;
  leak.weight_buffer_pj = power.weight_buffer * pj_per_mw;
  leak.output_buffer_pj = power.output_buffer * pj_per_mw;
  leak.dma_pj = power.dma * pj_per_mw;
  leak.controller_pj = power.controller * pj_per_mw;
  energy.static_pj = leak.total_pj();
  return energy;
}

}  // namespace npu::stats
