#include "sim/stats/stall_breakdown.h"

#include <algorithm>
#include <array>
#include <cassert>
#include <vector>

namespace npu::stats {
namespace {

// One endpoint of a clipped interval: at `at`, one more (+1) or one fewer (-1) interval of
// `activity` covers the timeline.
struct Edge {
  uint64_t at = 0;
  int activity = 0;
  int delta = 0;
};

int index_of(Activity activity) { return static_cast<int>(activity); }

bool has_any(const LayerTimeline& timeline, Activity activity) {
  for (const Interval& interval : timeline.intervals[index_of(activity)]) {
    if (interval.end > interval.start) return true;
  }
  return false;
}

// The category of a stretch of time over which `active` (intervals covering it, per activity)
// does not change.
uint64_t& category(CyclesBreakdown& breakdown, ComputeUnit unit,
                   const std::array<int, kActivityCount>& active) {
  const bool array = active[index_of(Activity::kArray)] > 0;
  const bool vector = active[index_of(Activity::kVector)] > 0;
  const bool compute_busy =
      (unit == ComputeUnit::kArray && array) || (unit == ComputeUnit::kVector && vector);
  if (compute_busy) return breakdown.compute;
  if (active[index_of(Activity::kSramStall)] > 0) return breakdown.sram_wait;
  // With the vector unit as the compute unit, a busy vector unit was caught above; with none, the
  // layer has no vector interval at all.
  if (vector) return breakdown.vector_wait;
  if (active[index_of(Activity::kDma)] > 0) return breakdown.dram_wait;
  return breakdown.dependency_wait;
}

}  // namespace

const char* to_string(ComputeUnit unit) {
  switch (unit) {
    case ComputeUnit::kNone:
      return "none";
    case ComputeUnit::kArray:
      return "array";
    case ComputeUnit::kVector:
      return "vector";
  }
  return "?";
}

ComputeUnit compute_unit(const LayerTimeline& timeline) {
  if (has_any(timeline, Activity::kArray)) return ComputeUnit::kArray;
  if (has_any(timeline, Activity::kVector)) return ComputeUnit::kVector;
  return ComputeUnit::kNone;
}

CyclesBreakdown& CyclesBreakdown::operator+=(const CyclesBreakdown& other) {
  compute += other.compute;
  dram_wait += other.dram_wait;
  sram_wait += other.sram_wait;
  vector_wait += other.vector_wait;
  dependency_wait += other.dependency_wait;
  return *this;
}

ComputeSpan compute_span(const LayerTimeline& timeline, uint64_t window_start,
                         uint64_t window_end) {
  ComputeSpan span;
  const ComputeUnit unit = compute_unit(timeline);
  if (unit == ComputeUnit::kNone) return span;
  const Activity activity = unit == ComputeUnit::kArray ? Activity::kArray : Activity::kVector;
  uint64_t first = window_end;
  uint64_t last = window_start;
  for (const Interval& interval : timeline.intervals[index_of(activity)]) {
    const uint64_t start = std::max(interval.start, window_start);
    const uint64_t end = std::min(interval.end, window_end);
    if (start >= end) continue;
    span.computed = true;
    first = std::min(first, start);
    last = std::max(last, end);
  }
  if (!span.computed) return span;
  span.lead_in = first - window_start;
  span.tail = window_end - last;
  return span;
}

CyclesBreakdown stall_breakdown(const LayerTimeline& timeline, uint64_t window_start,
                                uint64_t window_end) {
  assert(window_start <= window_end);
  const ComputeUnit unit = compute_unit(timeline);
  std::vector<Edge> edges;
  for (int activity = 0; activity < kActivityCount; ++activity) {
    for (const Interval& interval : timeline.intervals[activity]) {
      const uint64_t start = std::max(interval.start, window_start);
      const uint64_t end = std::min(interval.end, window_end);
      if (start >= end) continue;
      edges.push_back({start, activity, +1});
      edges.push_back({end, activity, -1});
    }
  }
  std::sort(edges.begin(), edges.end(), [](const Edge& a, const Edge& b) { return a.at < b.at; });

  CyclesBreakdown breakdown;
  std::array<int, kActivityCount> active{};
  uint64_t position = window_start;
  for (size_t i = 0; i < edges.size();) {
    const uint64_t at = edges[i].at;
    category(breakdown, unit, active) += at - position;
    // Apply every edge at this instant before classifying what follows it.
    for (; i < edges.size() && edges[i].at == at; ++i) active[edges[i].activity] += edges[i].delta;
    position = at;
  }
  category(breakdown, unit, active) += window_end - position;
  assert(breakdown.total() == window_end - window_start);
  return breakdown;
}

}  // namespace npu::stats
