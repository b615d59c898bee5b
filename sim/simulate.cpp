#include "sim/simulate.h"

#include <stdexcept>

#include "sim/modules/npu_top.h"
#include "sim/timing/operand_precision.h"

namespace npu::sim {
namespace {

stats::RunCounters empty_counters(const isa::Program& program) {
  stats::RunCounters counters;
  counters.layers.reserve(program.layers.size());
  for (const isa::LayerInfo& info : program.layers) {
    stats::LayerCounters layer;
    layer.name = info.name;
    layer.op = info.op;
    layer.output_shape = info.output_shape;
    layer.macs = info.macs;
    layer.zero_operand_macs = info.zero_operand_macs;
    layer.skip_n = info.skip_n;
    layer.skip_m = info.skip_m;
    layer.skip_rows = info.skip_rows;
    layer.skip_density = info.skip_density;
    if (info.precision) layer.precision = timing::operand_precision(*info.precision);
    layer.params = info.params;
    layer.mapping = info.mapping;
    counters.layers.push_back(std::move(layer));
  }
  counters.timelines.resize(program.layers.size());
  return counters;
}

// Layers overlap in time (a layer's loads may start while the previous one computes). Charging
// each layer from the completion of everything before it to its own completion makes the layers'
// cycles add up to the total; work hidden under earlier layers costs nothing.
void assign_layer_cycles(stats::RunCounters& counters) {
  uint64_t finished = 0;
  for (stats::LayerCounters& layer : counters.layers) {
    const uint64_t end = std::max(finished, layer.end_cycle);
    layer.cycles = end - finished;
    finished = end;
  }
  counters.total_cycles = finished;
}

}  // namespace

stats::RunCounters simulate(const arch::ArchConfig& arch, const isa::Program& program,
                            const SimulateOptions& options) {
  // Each run elaborates into a fresh kernel context, so one process can simulate many programs
  // (tests, sweeps). The context is deleted once the run's modules are: it holds every thread's
  // coroutine stack, and thousands of runs in one process would otherwise exhaust the mappings.
  sc_core::sc_simcontext* kernel = new sc_core::sc_simcontext();
  sc_core::sc_curr_simcontext = kernel;
  sc_core::sc_default_global_context = kernel;
  stats::RunCounters counters = empty_counters(program);
  bool all_done = false;
  {
    ExecutionContext context{program, ClockDomain(arch.clock.freq_mhz), Scoreboard(program),
                             counters, options.trace};
    NpuTop top("npu", arch, context);
    sc_core::sc_start();
    all_done = context.scoreboard.all_done();
    counters.modules = top.module_counters();
  }
  delete kernel;
  sc_core::sc_curr_simcontext = nullptr;
  sc_core::sc_default_global_context = nullptr;
  if (!all_done) {
    throw std::logic_error("simulation stopped with instructions outstanding: dependency cycle");
  }
  assign_layer_cycles(counters);
  return counters;
}

}  // namespace npu::sim
