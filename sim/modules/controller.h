#pragma once
// The instruction dispatcher. It walks the program in order and hands each instruction to the
// queue of its stream (load, matrix, vector, store). A full queue stalls dispatch, so a stream can
// run ahead of the others by at most queue_depth instructions. Dispatch itself takes no time:
// the model's time is spent in the units.

#include <systemc>

#include <array>
#include <cstdint>
#include <memory>

#include "arch/arch_config.h"
#include "sim/modules/execution_context.h"

namespace npu::sim {

using InstructionQueue = sc_core::sc_fifo<uint32_t>;

struct ControllerStats {
  std::array<uint64_t, isa::kStreamCount> dispatched{};
  uint64_t stall_cycles = 0;  // dispatch blocked on a full queue
};

class Controller : public sc_core::sc_module {
 public:
  SC_HAS_PROCESS(Controller);
  Controller(sc_core::sc_module_name name, const arch::ControllerConfig& config,
             ExecutionContext& context);

  InstructionQueue& queue(isa::Stream stream) { return *m_queues[static_cast<int>(stream)]; }
  const ControllerStats& stats() const { return m_stats; }

 private:
  void dispatch();

  arch::ControllerConfig m_config;
  ExecutionContext& m_context;
  std::array<std::unique_ptr<InstructionQueue>, isa::kStreamCount> m_queues;
  ControllerStats m_stats;
};

}  // namespace npu::sim
