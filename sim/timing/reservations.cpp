#include "sim/timing/reservations.h"

#include <algorithm>
#include <cassert>
#include <iterator>

namespace npu::timing {

uint64_t Reservations::earliest(uint64_t from, uint64_t cycles) const {
  if (cycles == 0) return from;
  uint64_t t = from;
  auto next = m_busy.upper_bound(t);  // the first booking starting after t
  if (next != m_busy.begin()) t = std::max(t, std::prev(next)->second);
  for (; next != m_busy.end() && next->first < t + cycles; ++next) t = std::max(t, next->second);
  return t;
}

void Reservations::book(uint64_t start, uint64_t cycles) {
  if (cycles == 0) return;
  assert(earliest(start, cycles) == start && "booking over a busy window");
  uint64_t end = start + cycles;
  auto next = m_busy.lower_bound(start);
  if (next != m_busy.end() && next->first == end) {  // touches the following booking: merge
    end = next->second;
    next = m_busy.erase(next);
  }
  if (next != m_busy.begin()) {
    auto previous = std::prev(next);
    if (previous->second == start) {  // touches the preceding booking: extend it
      previous->second = end;
      return;
    }
  }
  m_busy.emplace_hint(next, start, end);
}

uint64_t Reservations::book_from(uint64_t start, uint64_t cycles) {
  const uint64_t at = earliest(start, cycles);
  book(at, cycles);
  return at;
}

uint64_t earliest_common(const std::vector<Claim>& claims, uint64_t from) {
  for (uint64_t t = from;;) {
    uint64_t next = t;
    for (const Claim& claim : claims) {
      next = std::max(next, claim.resource->earliest(t, claim.cycles));
    }
    if (next == t) return t;
    t = next;
  }
}

}  // namespace npu::timing
