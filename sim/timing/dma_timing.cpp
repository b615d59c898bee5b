#include "sim/timing/dma_timing.h"

#include <algorithm>

#include "sim/timing/dram_timing.h"

namespace npu::timing {

DmaSchedule schedule_transfer(const arch::ArchConfig& arch, uint64_t issue_cycle,
                              uint64_t channel_free, uint64_t bus_bytes, uint64_t sram_port_cycles,
                              uint64_t sram_port_free) {
  DmaSchedule schedule;
  if (arch.memory.ideal) {
    // No setup, no channel, no latency, no port: the data are there when asked for.
    schedule.ready = schedule.channel_start = schedule.channel_free = issue_cycle;
    schedule.engine_free = schedule.done = issue_cycle;
    return schedule;
  }
  schedule.occupancy = dram_occupancy_cycles(bus_bytes, arch.dram_bytes_per_cycle());
  schedule.ready = std::max(issue_cycle + arch.dma.setup_cycles, channel_free);
  schedule.channel_start = std::max(schedule.ready, sram_port_free);
  schedule.channel_free = schedule.channel_start + schedule.occupancy;
  const uint64_t streaming = std::max(schedule.occupancy, sram_port_cycles);
  schedule.engine_free = schedule.channel_start + streaming;
  schedule.done =
      schedule.channel_start + ns_to_cycles(arch.dram.latency_ns, arch.clock.freq_mhz) + streaming;
  return schedule;
}

}  // namespace npu::timing
