#include "sim/modules/dram_channel.h"

namespace npu::sim {

DramChannel::DramChannel(sc_core::sc_module_name name, const arch::ArchConfig& arch)
    : sc_core::sc_module(name), m_arch(arch) {}

timing::DmaSchedule DramChannel::reserve(uint64_t issue_cycle, uint64_t bus_bytes,
                                         uint64_t sram_port_cycles) {
  timing::DmaSchedule schedule =
      timing::schedule_transfer(m_arch, issue_cycle, m_free_at_cycle, bus_bytes, sram_port_cycles);
  m_free_at_cycle = schedule.channel_free;
  ++m_stats.transfers;
  m_stats.bus_bytes += bus_bytes;
  m_stats.busy_cycles += schedule.occupancy;
  return schedule;
}

}  // namespace npu::sim
