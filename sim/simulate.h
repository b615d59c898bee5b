#pragma once
// Runs a compiled program on the SystemC model of the NPU and returns what it measured.
//
// SystemC allows one elaboration per process, so simulate() may be called once per process; the
// CLI and each simulation test run in their own process.

#include "arch/arch_config.h"
#include "isa/program.h"
#include "sim/stats/run_stats.h"

namespace npu::sim {

stats::RunCounters simulate(const arch::ArchConfig& arch, const isa::Program& program);

}  // namespace npu::sim
