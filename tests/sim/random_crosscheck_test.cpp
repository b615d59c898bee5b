// The random workloads and designs of tests/common/random_workload.h through both halves of the
// simulator: what the functional interpreter executes, the timing model must charge (MACs and DRAM
// bus bytes, per layer), and the timing run must keep its own invariants on every one of them
// (layers add up to the run, none beats the array's peak, ideal memory is never slower).

#include <gtest/gtest.h>

#include <string>

#include "arch/arch_loader.h"
#include "arch/user_error.h"
#include "compiler/compile.h"
#include "compiler/workload_reader.h"
#include "sim/simulate.h"
#include "tests/common/random_workload.h"
#include "tools/functional/data_generator.h"
#include "tools/functional/functional_run.h"

namespace npu {
namespace {

TEST(RandomCrossCheck, InterpreterAndTimingModelAgreeOnRandomWorkloads) {
  int ran = 0;
  for (uint32_t seed = 1; seed <= 120; ++seed) {
    const testing_support::RandomCase c = testing_support::random_case(seed);
    SCOPED_TRACE(c.description);
    const compiler::Graph graph = compiler::parse_workload(c.workload, "random.yaml");
    const functional::ModelData data = functional::generate_model_data(graph, c.arch);
    compiler::CompileOptions options = functional::compile_options_for(data);
    if (c.traffic_objective) options.objective = compiler::MappingObjective::kDramTraffic;
    const compiler::CompiledModel model = compiler::compile_model(graph, c.arch, options);
    const functional::FunctionalRun run = functional::run_functional(graph, model, data, c.arch);
    const stats::RunCounters timing = sim::simulate(c.arch, model.program);

    uint64_t read = 0, written = 0, cycles = 0;
    for (size_t l = 0; l < timing.layers.size(); ++l) {
      const stats::LayerCounters& layer = timing.layers[l];
      EXPECT_EQ(layer.executed_macs, run.counts.layer_executed_macs[l]) << layer.name;
      // No layer beats the array's peak on what it executed (packed int4 PEs do p MACs a cycle).
      const uint64_t peak_per_cycle =
          static_cast<uint64_t>(c.arch.pes()) *
          static_cast<uint64_t>(arch::macs_per_pe_per_cycle(c.arch.array, c.arch.precision.operand));
      EXPECT_LE(layer.executed_macs, layer.cycles * peak_per_cycle) << layer.name;
      read += layer.dram_read_bytes;
      written += layer.dram_write_bytes;
      cycles += layer.cycles;
    }
    EXPECT_EQ(read, run.counts.dram_read_bus_bytes);
    EXPECT_EQ(written, run.counts.dram_write_bus_bytes);
    EXPECT_EQ(cycles, timing.total_cycles);
    // The same program with perfect memory takes no longer.
    arch::ArchConfig ideal = c.arch;
    ideal.memory.ideal = true;
    EXPECT_LE(sim::simulate(ideal, model.program).total_cycles, timing.total_cycles);
    ++ran;
  }
  EXPECT_EQ(ran, 120);
}

}  // namespace
}  // namespace npu
