#pragma once
// The systolic MAC array. It executes the matrix stream in order: a preload stages a block of
// weights, a multiply streams input rows against it into the accumulators. Durations come from
// sim/timing/systolic_timing.h for the configured dataflow.
//
// Two paths model the PEs' registers: the streaming path (fill, steps, drain through the array)
// and the stationary path (weights or inputs shifting in, outputs shifting out). With serial
// stationary loads both are one resource and every fold costs the classic 2R + C + steps - 2.
// With double-buffered registers the stationary path works on the next (or previous) fold while
// the current one streams; it may start once the fold before has begun streaming, because that
// fold's register set is then the only one in use. The array issues ahead and its instructions
// retire in program order, so a waiter on any of them also sees every earlier one done.

#include <map>
#include <systemc>

#include <cstdint>
#include <ostream>

#include "arch/arch_config.h"
#include "sim/modules/controller.h"
#include "sim/modules/dma_engine.h"
#include "sim/modules/execution_context.h"

namespace npu::sim {

struct SystolicArrayStats {
  uint64_t preloads = 0;
  uint64_t multiplies = 0;
  uint64_t busy_cycles = 0;  // time any part of the array was working (overlaps counted once)
  uint64_t executed_macs = 0;
};

// A matrix instruction scheduled but not yet retired.
struct ScheduledMatrixOp {
  uint32_t index = 0;
  uint64_t start = 0;
  uint64_t end = 0;
};
std::ostream& operator<<(std::ostream& out, const ScheduledMatrixOp& op);

class SystolicArray : public sc_core::sc_module {
 public:
  SC_HAS_PROCESS(SystolicArray);
  SystolicArray(sc_core::sc_module_name name, const arch::ArchConfig& arch,
                ExecutionContext& context, InstructionQueue& queue, SramBuffers buffers);

  const SystolicArrayStats& stats() const { return m_stats; }

 private:
  void issue();
  void retire();
  // `arch` is the design at the instruction's layer's precision (arch_for).
  ScheduledMatrixOp schedule(uint32_t index, const isa::MatrixPreload& preload, uint64_t now,
                             const arch::ArchConfig& arch);
  ScheduledMatrixOp schedule(uint32_t index, const isa::MatrixMultiply& multiply, uint64_t now,
                             const arch::ArchConfig& arch);
  void count_sram(const isa::MatrixPreload& preload, stats::LayerCounters& layer,
                  const arch::ArchConfig& arch);
  void count_sram(const isa::MatrixMultiply& multiply, stats::LayerCounters& layer,
                  const arch::ArchConfig& arch);
  // The design with a layer's operand precision (mixed precision): same array, other format.
  const arch::ArchConfig& arch_for(arch::Precision precision);
  // Adds [start, end) to the array's busy time, counting overlap with earlier work once.
  uint64_t add_busy(uint64_t start, uint64_t end);

  const arch::ArchConfig& m_arch;
  std::map<arch::Precision, arch::ArchConfig> m_arch_at;  // arch_for's copies, by precision
  ExecutionContext& m_context;
  InstructionQueue& m_queue;
  SramBuffers m_buffers;
  sc_core::sc_fifo<ScheduledMatrixOp> m_scheduled;
  bool m_double_buffered;

  uint64_t m_stream_free = 0;        // when the streaming path can start the next fold
  uint64_t m_stationary_free = 0;    // when the stationary path can start its next load or drain
  uint64_t m_last_stream_start = 0;  // when the most recent fold began streaming
  uint64_t m_stationary_ready = 0;   // when the last preloaded block is in place
  uint64_t m_steps_free = 0;         // when the next row may enter behind the last multiply's
  isa::NmCompression m_streamed_weights;  // the last preloaded block's, when multiplies stream it
  bool m_chain_open = false;         // the last matrix op was a multiply: its weights still hold
  uint64_t m_busy_until = 0;
  SystolicArrayStats m_stats;
};

}  // namespace npu::sim
