#pragma once
// Timing rules of the DRAM channel, as pure functions (the SystemC channel in sim/modules applies
// them with a busy-until reservation).
//
// A DMA transfer moves `rows` runs of `row_bytes` bytes, run r starting at addr + r * stride. The
// DRAM moves whole aligned blocks of `access_bytes`, so each run costs every block it touches;
// consecutive runs that touch the same block share it (a contiguous transfer costs its bytes
// rounded out to block boundaries). The channel is occupied for bus_bytes / bytes_per_cycle
// cycles, rounded up; the latency is paid once per transfer, on top of its occupancy.

#include <cstdint>

namespace npu::timing {

struct StridedTransfer {
  uint64_t addr = 0;
  uint64_t rows = 1;
  uint64_t row_bytes = 0;
  uint64_t stride = 0;
};

// Bytes the DRAM bus carries for the transfer: the distinct access blocks it touches, times
// access_bytes.
uint64_t dram_bus_bytes(const StridedTransfer& transfer, uint64_t access_bytes);

// Cycles the channel is busy carrying `bus_bytes` at `bytes_per_cycle` (ceil).
uint64_t dram_occupancy_cycles(uint64_t bus_bytes, double bytes_per_cycle);

// A duration in nanoseconds as whole clock cycles (ceil).
uint64_t ns_to_cycles(double ns, double freq_mhz);

// ceil(a / b) for positive integers.
constexpr uint64_t ceil_div(uint64_t a, uint64_t b) { return (a + b - 1) / b; }

}  // namespace npu::timing
