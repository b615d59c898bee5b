#pragma once
// Timing rules of the DRAM channel, as pure functions (the SystemC channel in sim/modules applies
// them with a busy-until reservation).
//
// A DMA transfer's bytes on the bus are the whole access blocks it touches (arch/dram_blocks.h,
// shared with the compiler's estimate). The channel is occupied for bus_bytes / bytes_per_cycle
// cycles, rounded up; the latency is paid once per transfer, on top of its occupancy.

#include <cstdint>

#include "arch/dram_blocks.h"

namespace npu::timing {

using arch::dram_bus_bytes;
using arch::StridedTransfer;

// Cycles the channel is busy carrying `bus_bytes` at `bytes_per_cycle` (ceil).
uint64_t dram_occupancy_cycles(uint64_t bus_bytes, double bytes_per_cycle);

// A duration in nanoseconds as whole clock cycles (ceil).
uint64_t ns_to_cycles(double ns, double freq_mhz);

// ceil(a / b) for positive integers.
constexpr uint64_t ceil_div(uint64_t a, uint64_t b) { return (a + b - 1) / b; }

}  // namespace npu::timing
