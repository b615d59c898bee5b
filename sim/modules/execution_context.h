#pragma once
// What every unit of the NPU shares during one run: the program, the clock, the scoreboard and
// the per-layer counters the units add their events to. Owned by NpuTop; units hold a reference.

#include <algorithm>
#include <cstdint>

#include "isa/program.h"
#include "sim/modules/clock_domain.h"
#include "sim/modules/scoreboard.h"
#include "sim/stats/run_stats.h"

namespace npu::sim {

struct ExecutionContext {
  const isa::Program& program;
  ClockDomain clock;
  Scoreboard scoreboard;
  stats::RunCounters& counters;
  bool trace = false;  // keep every interval with its instruction (costs memory; off by default)

  stats::LayerCounters& layer_of(uint32_t index) {
    return counters.layers[program.code[index].layer];
  }
  // Records that a unit was busy with instruction `index` over [start, end).
  void record(uint32_t index, stats::Activity activity, uint64_t start, uint64_t end) {
    if (end <= start) return;
    counters.timelines[program.code[index].layer].intervals[static_cast<int>(activity)].push_back(
        {start, end});
    if (trace) counters.trace.push_back({index, activity, start, end});
  }
  // Records an instruction's span in its layer's time window.
  void record_span(uint32_t index, uint64_t start_cycle, uint64_t end_cycle) {
    stats::LayerCounters& layer = layer_of(index);
    if (layer.instructions == 0 || start_cycle < layer.first_issue_cycle) {
      layer.first_issue_cycle = start_cycle;
    }
    layer.end_cycle = std::max(layer.end_cycle, end_cycle);
    ++layer.instructions;
  }
};

}  // namespace npu::sim
