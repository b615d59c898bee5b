#include "sim/timing/dram_timing.h"

#include <cassert>
#include <cmath>

namespace npu::timing {
namespace {

// Ratios like 6144 bytes / 25.6 bytes per cycle are exact integers mathematically but not in
// binary floating point; a relative slack far below one cycle keeps ceil() from adding one.
uint64_t ceil_ratio(double numerator, double denominator) {
  double ratio = numerator / denominator;
  return static_cast<uint64_t>(std::ceil(ratio * (1.0 - 1e-12)));
}

}  // namespace

uint64_t dram_bus_bytes(const StridedTransfer& transfer, uint64_t access_bytes) {
  assert(access_bytes > 0);
  if (transfer.rows == 0 || transfer.row_bytes == 0) return 0;
  const uint64_t a = access_bytes;
  if (transfer.rows == 1 || transfer.stride == transfer.row_bytes) {
    uint64_t first = transfer.addr / a;
    uint64_t last = (transfer.addr + transfer.rows * transfer.row_bytes - 1) / a;
    return (last - first + 1) * a;
  }
  // Runs are visited in address order; a run shares a block with the previous one only when it
  // begins in the block where the previous one ended.
  uint64_t blocks = 0;
  uint64_t previous_last_block = UINT64_MAX;
  for (uint64_t r = 0; r < transfer.rows; ++r) {
    uint64_t begin = transfer.addr + r * transfer.stride;
    uint64_t first = begin / a;
    uint64_t last = (begin + transfer.row_bytes - 1) / a;
    blocks += last - first + 1;
    if (first == previous_last_block) --blocks;
    previous_last_block = last;
  }
  return blocks * a;
}

uint64_t dram_occupancy_cycles(uint64_t bus_bytes, double bytes_per_cycle) {
  assert(bytes_per_cycle > 0);
  if (bus_bytes == 0) return 0;
  return ceil_ratio(static_cast<double>(bus_bytes), bytes_per_cycle);
}

uint64_t ns_to_cycles(double ns, double freq_mhz) {
  if (ns <= 0) return 0;
  return ceil_ratio(ns * freq_mhz, 1000.0);
}

}  // namespace npu::timing
