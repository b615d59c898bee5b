#pragma once
// The energy model: what one layer's counted events cost, in picojoules.
//
// Energy is computed after the run, never on the hot path: each event count in LayerCounters times
// its cost from the arch's energy table (resolved by arch/energy_table.h), plus each block's static
// power for the layer's duration. Every entry of the table has exactly one event and every
// energy-bearing event has one entry; energy.cpp stops the build if the table grows an entry this
// model does not charge. The model, its defaults and their sources: docs/energy.md.

#include "arch/arch_config.h"
#include "arch/energy_table.h"
#include "sim/stats/run_stats.h"

namespace npu::stats {

// SRAM energy by buffer: bytes read and written x that buffer's per-byte costs.
struct SramEnergyByBuffer {
  double input_pj = 0.0;
  double weight_pj = 0.0;
  double output_pj = 0.0;

  double total_pj() const { return input_pj + weight_pj + output_pj; }
};

// Static energy by block: each block's static power x the layer's duration.
struct StaticEnergyByBlock {
  double array_pj = 0.0;
  double vector_pj = 0.0;
  double input_buffer_pj = 0.0;
  double weight_buffer_pj = 0.0;
  double output_buffer_pj = 0.0;
  double dma_pj = 0.0;
  double controller_pj = 0.0;

  double total_pj() const {
    return array_pj + vector_pj + input_buffer_pj + weight_buffer_pj + output_buffer_pj + dma_pj +
           controller_pj;
  }
};

// Picojoules by the kind of event that spent them. sram_pj and static_pj are the totals of their
// detail below; layer_energy keeps them equal.
struct EnergyBreakdown {
  // executed_macs x the MAC cost of the operand precision (padding taps the array multiplied
  // included); with sparsity support (gating or skipping) the MACs with a zero operand cost only
  // gated_mac_fraction of it.
  double mac_pj = 0.0;
  double sram_pj = 0.0;    // sram_by_buffer summed
  double dram_pj = 0.0;    // bytes over the DRAM bus (whole access blocks) x pJ per byte
  double vector_pj = 0.0;  // lane-element operations x vector_op_pj
  double static_pj = 0.0;  // static_by_block summed
  SramEnergyByBuffer sram_by_buffer;
  StaticEnergyByBlock static_by_block;

  double total_pj() const { return mac_pj + sram_pj + dram_pj + vector_pj + static_pj; }
  EnergyBreakdown& operator+=(const EnergyBreakdown& other);
};

// What each event costs on this design, as layer_energy charges it: the energy table with `auto`
// entries derived and tech_scale applied (arch/energy_table.h). The report prints it, so a derived
// cost can be read rather than recomputed.
struct EventCosts {
  double mac_pj = 0.0;        // at the design's operand precision
  double gated_mac_pj = 0.0;  // gated_mac_fraction x mac_pj
  arch::SramCosts input, weight, output;
  double dram_pj_per_byte = 0.0;
  double vector_op_pj = 0.0;
  double static_mw = 0.0;  // all blocks
};
EventCosts event_costs(const arch::ArchConfig& arch);

// The share of executed MACs whose operands are all nonzero, so that toggle at full energy: 1
// without sparsity support or declared zeros.
double toggling_share(const LayerCounters& layer, const arch::ArchConfig& arch);

// Event counts x pJ from the table + static power x time (mW x cycles / MHz x 1e3 pJ). A layer
// whose cycles are 0 (hidden under the previous one) still pays for its events but no static
// energy.
EnergyBreakdown layer_energy(const LayerCounters& layer, const arch::ArchConfig& arch);

}  // namespace npu::stats
