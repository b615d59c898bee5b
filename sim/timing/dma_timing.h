#pragma once
// When a DMA transfer starts and finishes, given the shared DRAM channel's state and the SRAM
// port's (derivation in docs/timing.md).
//
// A DMA engine works through its queue in order. For each transfer it spends setup_cycles
// decoding the descriptor, then requests the channel. The channel serves transfers first come,
// first served: a transfer starts when it is ready and the channel has finished the previous
// transfer, and occupies the channel for bus_bytes / bandwidth cycles. The SRAM side must absorb
// (or, for a store, deliver) the bytes as they stream: the transfer also waits until its SRAM port
// is free of other units' bookings, and the engine streams for the longer of occupancy and the
// port time of its SRAM block (sim/timing/sram_timing.h). It may then start on its next transfer
// while the data of this one are still in flight: the DRAM latency is paid once at the end of a
// chain of transfers, not per transfer.
//   ready        = max(issue + setup, channel_free)
//   start        = max(ready, sram_port_free)
//   streaming    = max(occupancy, sram_port_cycles)
//   engine_free  = start + streaming
//   channel_free'= start + occupancy
//   done         = start + latency + streaming
// With memory.ideal every transfer is done the cycle it is issued: start = engine_free = done =
// issue, occupancy 0.

#include <cstdint>

#include "arch/arch_config.h"

namespace npu::timing {

struct DmaSchedule {
  uint64_t ready = 0;  // when it could have started had its SRAM port been free
  uint64_t channel_start = 0;
  uint64_t occupancy = 0;     // cycles the channel is busy with this transfer
  uint64_t channel_free = 0;  // when the channel can serve the next transfer
  uint64_t engine_free = 0;   // when this engine can issue its next transfer
  uint64_t done = 0;          // when the transfer has completed
};

DmaSchedule schedule_transfer(const arch::ArchConfig& arch, uint64_t issue_cycle,
                              uint64_t channel_free, uint64_t bus_bytes, uint64_t sram_port_cycles,
                              uint64_t sram_port_free = 0);

}  // namespace npu::timing
