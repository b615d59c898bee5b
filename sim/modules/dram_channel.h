#pragma once
// The DRAM channel all DMA traffic shares. Contention is modelled by reservation: each transfer
// books the channel for its occupancy at the first cycle, at or after it is ready, when both the
// channel and the transfer's SRAM port have room (sim/timing/reservations.h; without SRAM waits
// this is first come, first served after the previous booking). The rule itself is
// npu::timing::schedule_transfer. With memory.ideal a transfer occupies it for 0 cycles, but its
// bytes are still counted.

#include <systemc>

#include <cstdint>

#include "arch/arch_config.h"
#include "sim/timing/dma_timing.h"
#include "sim/timing/reservations.h"

namespace npu::sim {

struct DramChannelStats {
  uint64_t transfers = 0;
  uint64_t bus_bytes = 0;
  uint64_t busy_cycles = 0;
};

class DramChannel : public sc_core::sc_module {
 public:
  DramChannel(sc_core::sc_module_name name, const arch::ArchConfig& arch);

  // Books the channel and the transfer's SRAM port for a transfer of `bus_bytes` issued at
  // `issue_cycle`, whose SRAM side takes `sram_port_cycles` of the port `sram_port`.
  timing::DmaSchedule reserve(uint64_t issue_cycle, uint64_t bus_bytes, uint64_t sram_port_cycles,
                              timing::Reservations& sram_port);
  const DramChannelStats& stats() const { return m_stats; }

 private:
  const arch::ArchConfig& m_arch;
  timing::Reservations m_bookings;
  DramChannelStats m_stats;
};

}  // namespace npu::sim
