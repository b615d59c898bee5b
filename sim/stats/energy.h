#pragma once
// The energy model: what one layer's counted events cost, in picojoules.
//
// Energy is computed after the run, never on the hot path: each event count in LayerCounters times
// its entry in the arch's energy table (arch::EnergyConfig), plus static power for the layer's
// duration. Every entry of the table has exactly one event and every energy-bearing event has one
// entry; energy.cpp stops the build if the table grows an entry this model does not charge.

#include "arch/arch_config.h"
#include "sim/stats/run_stats.h"

namespace npu::stats {

// Picojoules by the kind of event that spent them.
struct EnergyBreakdown {
  // executed_macs x mac_pj (padding taps the array multiplied included); with sparsity support
  // (gating or skipping) only the share with nonzero operands, effective / dense MACs, toggles.
  double mac_pj = 0.0;
  double sram_pj = 0.0;    // bytes read and written in each buffer x that buffer's per-byte cost
  double dram_pj = 0.0;    // bytes over the DRAM bus (whole access blocks) x dram_pj_per_byte
  double vector_pj = 0.0;  // lane-element operations x vector_op_pj
  double static_pj = 0.0;  // static_mw x the layer's duration

  double total_pj() const { return mac_pj + sram_pj + dram_pj + vector_pj + static_pj; }
  EnergyBreakdown& operator+=(const EnergyBreakdown& other);
};

// Event counts x pJ from the table + static power x time (static_mw * cycles / freq). A layer whose
// cycles are 0 (hidden under the previous one) still pays for its events but no static energy.
EnergyBreakdown layer_energy(const LayerCounters& layer, const arch::ArchConfig& arch);

}  // namespace npu::stats
