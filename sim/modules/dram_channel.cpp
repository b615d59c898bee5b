#include "sim/modules/dram_channel.h"

namespace npu::sim {

DramChannel::DramChannel(sc_core::sc_module_name name, const arch::ArchConfig& arch)
    : sc_core::sc_module(name), m_arch(arch) {}

timing::DmaSchedule DramChannel::reserve(uint64_t issue_cycle, uint64_t bus_bytes,
                                         uint64_t sram_port_cycles,
                                         timing::Reservations& sram_port) {
  // When the transfer is ready and how long it holds the channel, then the first window the
  // channel alone leaves it, then the first window the SRAM port leaves as well.
  const timing::DmaSchedule unconstrained =
      timing::schedule_transfer(m_arch, issue_cycle, 0, bus_bytes, sram_port_cycles);
  const uint64_t channel_free = m_bookings.earliest(unconstrained.ready, unconstrained.occupancy);
  const uint64_t both_free = timing::earliest_common(
      {{&m_bookings, unconstrained.occupancy}, {&sram_port, sram_port_cycles}}, channel_free);
  const timing::DmaSchedule schedule = timing::schedule_transfer(
      m_arch, issue_cycle, channel_free, bus_bytes, sram_port_cycles, both_free);
  m_bookings.book(schedule.channel_start, schedule.occupancy);
  sram_port.book(schedule.channel_start, sram_port_cycles);
  ++m_stats.transfers;
  m_stats.bus_bytes += bus_bytes;
  m_stats.busy_cycles += schedule.occupancy;
  return schedule;
}

}  // namespace npu::sim
