// The cycle breakdown of a layer's window, on hand-built timelines worked out stretch by stretch.

#include "sim/stats/stall_breakdown.h"

#include <gtest/gtest.h>

#include <initializer_list>

namespace npu::stats {
namespace {

struct Spans {
  std::initializer_list<Interval> array;
  std::initializer_list<Interval> vector;
  std::initializer_list<Interval> dma;
  std::initializer_list<Interval> stall;
};

LayerTimeline timeline(const Spans& spans) {
  LayerTimeline t;
  t.intervals[static_cast<int>(Activity::kArray)] = spans.array;
  t.intervals[static_cast<int>(Activity::kVector)] = spans.vector;
  t.intervals[static_cast<int>(Activity::kDma)] = spans.dma;
  t.intervals[static_cast<int>(Activity::kSramStall)] = spans.stall;
  return t;
}

void expect_breakdown(const CyclesBreakdown& b, uint64_t compute, uint64_t dram, uint64_t sram,
                      uint64_t vector, uint64_t dependency) {
  EXPECT_EQ(b.compute, compute);
  EXPECT_EQ(b.dram_wait, dram);
  EXPECT_EQ(b.sram_wait, sram);
  EXPECT_EQ(b.vector_wait, vector);
  EXPECT_EQ(b.dependency_wait, dependency);
}

TEST(StallBreakdown, OverlappingUnitsWorkedByHand) {
  // Window [0, 40). Array [0,10) and [20,30); DMA [5,25); vector [28,35); SRAM stall [12,14).
  //   [0,10)  array (DMA from 5)            compute 10
  //   [10,12) DMA only                      dram 2
  //   [12,14) stall, DMA                    sram 2
  //   [14,20) DMA only                      dram 6   (dram 8)
  //   [20,30) array (DMA to 25, vector 28)  compute 10 (compute 20)
  //   [30,35) vector only                   vector 5
  //   [35,40) nothing                       dependency 5
  const LayerTimeline t = timeline({{{0, 10}, {20, 30}}, {{28, 35}}, {{5, 25}}, {{12, 14}}});
  const CyclesBreakdown b = stall_breakdown(t, 0, 40);
  expect_breakdown(b, 20, 8, 2, 5, 5);
  EXPECT_EQ(b.total(), 40u);
}

TEST(StallBreakdown, PriorityComputeThenSramThenVectorThenDram) {
  // All four cover [0,10): the array wins.
  expect_breakdown(stall_breakdown(timeline({{{0, 10}}, {{0, 10}}, {{0, 10}}, {{0, 10}}}), 0, 10),
                   10, 0, 0, 0, 0);
  // Without the array: the SRAM stall wins over the vector unit and DMA.
  expect_breakdown(stall_breakdown(timeline({{{20, 21}}, {{0, 10}}, {{0, 10}}, {{0, 10}}}), 0, 10),
                   0, 0, 10, 0, 0);
  // Vector over DMA, when the array is the compute unit.
  expect_breakdown(stall_breakdown(timeline({{{20, 21}}, {{0, 10}}, {{0, 10}}, {}}), 0, 10), 0, 0,
                   0, 10, 0);
  // DMA over nothing.
  expect_breakdown(stall_breakdown(timeline({{{20, 21}}, {}, {{0, 10}}, {}}), 0, 10), 0, 10, 0, 0,
                   0);
}

TEST(StallBreakdown, OverlappingIntervalsOfOneActivityCountOnce) {
  // Two transfers in flight together, [0,10) and [5,15), then a gap, then one ending at the
  // window's end: DMA covers [0,15) and [18,20) = 17 cycles; [15,18) is idle.
  const LayerTimeline t = timeline({{}, {}, {{0, 10}, {5, 15}, {18, 20}}, {}});
  expect_breakdown(stall_breakdown(t, 0, 20), 0, 17, 0, 0, 3);
  // Intervals that only touch ([0,5) then [5,10)) leave no gap.
  expect_breakdown(stall_breakdown(timeline({{{0, 5}, {5, 10}}, {}, {}, {}}), 0, 10), 10, 0, 0, 0,
                   0);
}

TEST(StallBreakdown, IntervalsAreClippedToTheWindow) {
  // Window [100, 120): the array interval [90,105) counts 5 cycles, DMA [110,130) counts 10, the
  // vector interval [50,60) none; [105,110) is idle.
  const LayerTimeline t = timeline({{{90, 105}}, {{50, 60}}, {{110, 130}}, {}});
  expect_breakdown(stall_breakdown(t, 100, 120), 5, 10, 0, 0, 5);
}

TEST(StallBreakdown, EmptyTimelineIsAllDependencyWait) {
  expect_breakdown(stall_breakdown(LayerTimeline{}, 100, 130), 0, 0, 0, 0, 30);
  // An empty window (a layer hidden under its predecessor) has nothing to split.
  expect_breakdown(stall_breakdown(timeline({{{0, 10}}, {}, {{0, 10}}, {}}), 10, 10), 0, 0, 0, 0,
                   0);
  EXPECT_EQ(compute_unit(LayerTimeline{}), ComputeUnit::kNone);
}

TEST(StallBreakdown, VectorOnlyLayerComputesOnTheVectorUnit) {
  // A pooling layer: DMA [0,10), vector [2,8), window [0,12). The vector unit is the compute unit,
  // so its busy time is compute, never vector_wait: compute 6, dram 2 + 2, dependency 2.
  const LayerTimeline t = timeline({{}, {{2, 8}}, {{0, 10}}, {}});
  EXPECT_EQ(compute_unit(t), ComputeUnit::kVector);
  expect_breakdown(stall_breakdown(t, 0, 12), 6, 4, 0, 0, 2);
}

TEST(StallBreakdown, CopyOnlyLayerHasNoCompute) {
  // A concat: two transfers [0,6) and [4,10) in a window [0,10).
  const LayerTimeline t = timeline({{}, {}, {{0, 6}, {4, 10}}, {}});
  EXPECT_EQ(compute_unit(t), ComputeUnit::kNone);
  expect_breakdown(stall_breakdown(t, 0, 10), 0, 10, 0, 0, 0);
}

TEST(StallBreakdown, ComputeUnitIsTheArrayWhenTheLayerUsedIt) {
  EXPECT_EQ(compute_unit(timeline({{{3, 4}}, {{0, 10}}, {}, {}})), ComputeUnit::kArray);
  // An empty interval is no activity.
  EXPECT_EQ(compute_unit(timeline({{{3, 3}}, {{0, 10}}, {}, {}})), ComputeUnit::kVector);
  EXPECT_STREQ(to_string(ComputeUnit::kArray), "array");
  EXPECT_STREQ(to_string(ComputeUnit::kVector), "vector");
  EXPECT_STREQ(to_string(ComputeUnit::kNone), "none");
}

TEST(StallBreakdown, AddsUp) {
  CyclesBreakdown a{1, 2, 3, 4, 5};
  a += CyclesBreakdown{10, 20, 30, 40, 50};
  expect_breakdown(a, 11, 22, 33, 44, 55);
  EXPECT_EQ(a.total(), 165u);
}

TEST(ComputeSpan, LeadInAndTailAroundTheComputeUnitsBusyTime) {
  // Window [0, 40), array [0,10) and [20,30): starts at once, stops 10 cycles before the end.
  const LayerTimeline t = timeline({{{0, 10}, {20, 30}}, {{28, 35}}, {{5, 25}}, {}});
  const ComputeSpan span = compute_span(t, 0, 40);
  EXPECT_TRUE(span.computed);
  EXPECT_EQ(span.lead_in, 0u);
  EXPECT_EQ(span.tail, 10u);
  // Clipped to a window [5, 25): first busy at 5, last at 25.
  const ComputeSpan clipped = compute_span(t, 5, 25);
  EXPECT_EQ(clipped.lead_in, 0u);
  EXPECT_EQ(clipped.tail, 0u);
  // A vector-only layer: vector [2,8) in [0,12).
  const ComputeSpan vector = compute_span(timeline({{}, {{2, 8}}, {{0, 10}}, {}}), 0, 12);
  EXPECT_EQ(vector.lead_in, 2u);
  EXPECT_EQ(vector.tail, 4u);
  // Nothing computed.
  const ComputeSpan none = compute_span(timeline({{}, {}, {{0, 10}}, {}}), 0, 10);
  EXPECT_FALSE(none.computed);
  EXPECT_EQ(none.lead_in + none.tail, 0u);
}

}  // namespace
}  // namespace npu::stats
