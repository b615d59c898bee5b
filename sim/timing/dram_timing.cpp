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
