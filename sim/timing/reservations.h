#pragma once
// The bookings of one shared resource (the DRAM channel, an SRAM port) as disjoint busy intervals,
// kept as a calendar rather than a single busy-until time.
//
// A single busy-until time makes a request wait behind every booking made before it, even one far
// in the future with the resource idle meanwhile. Units here book ahead: the array schedules
// instructions before they run, and a DMA transfer books its start past its setup and any wait.
// With the calendar a request takes the earliest window at or after its ready time that is long
// enough: first come, first served among requests that want the same cycles, and no resource
// held idle by a booking that has not started. When every request books at or after the last
// booking's end (the case with no look-ahead) this is exactly busy-until.

#include <cstdint>
#include <map>
#include <vector>

namespace npu::timing {

class Reservations {
 public:
  // The earliest t >= from such that [t, t + cycles) overlaps no booking (`from` for 0 cycles).
  uint64_t earliest(uint64_t from, uint64_t cycles) const;
  // Books [start, start + cycles), which must be free; 0 cycles books nothing.
  void book(uint64_t start, uint64_t cycles);
  // Books `cycles` at the earliest free window at or after `start`; returns where it went.
  uint64_t book_from(uint64_t start, uint64_t cycles);

 private:
  std::map<uint64_t, uint64_t> m_busy;  // start -> end, disjoint, touching intervals merged
};

// A request for `cycles` of one resource, starting at the same cycle as the others.
struct Claim {
  const Reservations* resource;
  uint64_t cycles;
};

// The earliest t >= from at which every claim's resource is free for its cycles.
uint64_t earliest_common(const std::vector<Claim>& claims, uint64_t from);

}  // namespace npu::timing
