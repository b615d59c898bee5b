#pragma once
// The DRAM channel all DMA traffic shares. Contention is modelled by a busy-until reservation:
// each transfer books the channel for its occupancy after the previous booking (first come, first
// served); the rule itself is npu::timing::schedule_transfer.

#include <systemc>

#include <cstdint>

#include "arch/arch_config.h"
#include "sim/timing/dma_timing.h"

namespace npu::sim {

struct DramChannelStats {
  uint64_t transfers = 0;
  uint64_t bus_bytes = 0;
  uint64_t busy_cycles = 0;
};

class DramChannel : public sc_core::sc_module {
 public:
  DramChannel(sc_core::sc_module_name name, const arch::ArchConfig& arch);

  // Books the channel for a transfer of `bus_bytes` ready at `issue_cycle`.
  timing::DmaSchedule reserve(uint64_t issue_cycle, uint64_t bus_bytes, uint64_t sram_port_cycles);
  const DramChannelStats& stats() const { return m_stats; }

 private:
  const arch::ArchConfig& m_arch;
  uint64_t m_free_at_cycle = 0;
  DramChannelStats m_stats;
};

}  // namespace npu::sim
