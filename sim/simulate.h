#pragma once
// Runs a compiled program on the SystemC model of the NPU and returns what it measured.
//
// Each call elaborates a fresh NPU in a fresh SystemC kernel context, so a process may simulate
// any number of programs one after another (not concurrently).

#include "arch/arch_config.h"
#include "isa/program.h"
#include "sim/stats/run_stats.h"

namespace npu::sim {

struct SimulateOptions {
  bool trace = false;  // fill RunCounters::trace with every instruction's busy intervals
};

stats::RunCounters simulate(const arch::ArchConfig& arch, const isa::Program& program,
                            const SimulateOptions& options = {});

}  // namespace npu::sim
