#pragma once
// Where a layer's cycles went: every cycle of the layer's time window is charged to exactly one of
// five categories, so the five add up to the layer's `cycles` (docs/metrics.md, "Cycle breakdown").
//
// Input: the intervals the SystemC modules recorded for the layer (LayerTimeline: array busy,
// vector busy, DMA transfers in flight, SRAM port stalls). A sweep over the union of their
// endpoints classifies each stretch between two consecutive endpoints by what covered it, in
// priority order:
//
//   compute          the layer's compute unit is busy (the array if the layer used it at all,
//                    else the vector unit if it used that; a copy-only layer has none)
//   sram_wait        an instruction is held back by a busy SRAM port
//   vector_wait      the vector unit is busy (only when the compute unit is the array)
//   dram_wait        a DMA transfer is in flight (channel wait, occupancy or latency)
//   dependency_wait  nothing of this layer is busy: pipeline start-up, the layer barrier, gaps
//
// The priority reads as "what would have to get faster for this cycle to disappear": a cycle in
// which the array computes is the array's, whatever else overlaps it; a cycle the array sits idle
// while a port is contended is the port's; and so on down to cycles in which nothing was busy.

#include <cstdint>

#include "sim/stats/run_stats.h"

namespace npu::stats {

// The unit whose busy time counts as a layer's compute.
enum class ComputeUnit { kNone, kArray, kVector };
const char* to_string(ComputeUnit unit);

// kArray if the timeline has any array interval, else kVector if it has any vector interval, else
// kNone (a copy-only layer such as concat, or a layer that does nothing).
ComputeUnit compute_unit(const LayerTimeline& timeline);

struct CyclesBreakdown {
  uint64_t compute = 0;
  uint64_t dram_wait = 0;
  uint64_t sram_wait = 0;
  uint64_t vector_wait = 0;
  uint64_t dependency_wait = 0;

  uint64_t total() const { return compute + dram_wait + sram_wait + vector_wait + dependency_wait; }
  CyclesBreakdown& operator+=(const CyclesBreakdown& other);
};

// When the layer's compute unit first started and last stopped within the window: `lead_in` cycles
// from the window's start to its first busy cycle, `tail` cycles from its last busy cycle to the
// window's end (the loads before the first tile, and the last outputs' stores). `computed` is
// false, and both 0, when the compute unit was never busy in the window.
struct ComputeSpan {
  bool computed = false;
  uint64_t lead_in = 0;
  uint64_t tail = 0;
};
ComputeSpan compute_span(const LayerTimeline& timeline, uint64_t window_start, uint64_t window_end);

// Splits the window [window_start, window_end) of a layer. Intervals are clipped to the window
// (under the layer barrier none reaches outside it); intervals of one activity may overlap each
// other (several DMA transfers in flight). The result adds up to window_end - window_start.
CyclesBreakdown stall_breakdown(const LayerTimeline& timeline, uint64_t window_start,
                                uint64_t window_end);

}  // namespace npu::stats
