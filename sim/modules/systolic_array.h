#pragma once
// The weight-stationary systolic MAC array. It executes the matrix stream in order: a preload
// places a block of weights in the PEs, a multiply streams input rows through them into the
// accumulators. One wait per instruction, with the durations of sim/timing/systolic_timing.h.

#include <systemc>

#include <cstdint>

#include "arch/arch_config.h"
#include "sim/modules/controller.h"
#include "sim/modules/dma_engine.h"
#include "sim/modules/execution_context.h"

namespace npu::sim {

struct SystolicArrayStats {
  uint64_t preloads = 0;
  uint64_t multiplies = 0;
  uint64_t busy_cycles = 0;
  uint64_t executed_macs = 0;
};

class SystolicArray : public sc_core::sc_module {
 public:
  SC_HAS_PROCESS(SystolicArray);
  SystolicArray(sc_core::sc_module_name name, const arch::ArchConfig& arch,
                ExecutionContext& context, InstructionQueue& queue, SramBuffers buffers);

  const SystolicArrayStats& stats() const { return m_stats; }

 private:
  void run();
  uint64_t execute(const isa::MatrixPreload& preload, stats::LayerCounters& layer);
  uint64_t execute(const isa::MatrixMultiply& multiply, stats::LayerCounters& layer);

  const arch::ArchConfig& m_arch;
  ExecutionContext& m_context;
  InstructionQueue& m_queue;
  SramBuffers m_buffers;
  SystolicArrayStats m_stats;
};

}  // namespace npu::sim
