#pragma once
// The vector unit: `lanes` elements per cycle for requantization, activations, residual adds,
// pooling and softmax. Executes the vector stream in order, one wait per instruction, with the
// durations of sim/timing/vector_timing.h. An instruction starts once every SRAM port it uses has
// room for it (sim/modules/sram_buffer.h); the wait is an SRAM stall.

#include <systemc>

#include <cstdint>

#include "arch/arch_config.h"
#include "sim/modules/controller.h"
#include "sim/modules/dma_engine.h"
#include "sim/modules/execution_context.h"

namespace npu::sim {

struct VectorUnitStats {
  uint64_t instructions = 0;
  uint64_t busy_cycles = 0;
  uint64_t element_ops = 0;
};

class VectorUnit : public sc_core::sc_module {
 public:
  SC_HAS_PROCESS(VectorUnit);
  VectorUnit(sc_core::sc_module_name name, const arch::ArchConfig& arch, ExecutionContext& context,
             InstructionQueue& queue, SramBuffers buffers);

  const VectorUnitStats& stats() const { return m_stats; }

 private:
  void run();

  const arch::ArchConfig& m_arch;
  ExecutionContext& m_context;
  InstructionQueue& m_queue;
  SramBuffers m_buffers;
  VectorUnitStats m_stats;
};

}  // namespace npu::sim
