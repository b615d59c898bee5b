#include "sim/modules/systolic_array.h"

#include "sim/timing/systolic_timing.h"

namespace npu::sim {

SystolicArray::SystolicArray(sc_core::sc_module_name name, const arch::ArchConfig& arch,
                             ExecutionContext& context, InstructionQueue& queue,
                             SramBuffers buffers)
    : sc_core::sc_module(name),
      m_arch(arch),
      m_context(context),
      m_queue(queue),
      m_buffers(buffers) {
  SC_THREAD(run);
}

void SystolicArray::run() {
  for (;;) {
    const uint32_t index = m_queue.read();
    const isa::Instruction& instruction = m_context.program.code[index];
    m_context.scoreboard.wait_for(instruction.deps);

    const uint64_t start = m_context.clock.now_cycles();
    stats::LayerCounters& layer = m_context.layer_of(index);
    const uint64_t cycles =
        std::visit([&](const auto& op) -> uint64_t {
          using Op = std::decay_t<decltype(op)>;
          if constexpr (std::is_same_v<Op, isa::MatrixPreload> ||
                        std::is_same_v<Op, isa::MatrixMultiply>) {
            return execute(op, layer);
          } else {
            SC_REPORT_FATAL("npusim/array", "non-matrix instruction in the matrix queue");
            return 0;
          }
        }, instruction.payload);
    m_context.clock.wait_cycles(cycles);

    layer.matrix_busy_cycles += cycles;
    m_stats.busy_cycles += cycles;
    m_context.record(index, stats::Activity::kArray, start, start + cycles);
    m_context.record_span(index, start, start + cycles);
    m_context.scoreboard.complete(index);
  }
}

uint64_t SystolicArray::execute(const isa::MatrixPreload& preload, stats::LayerCounters& layer) {
  const uint64_t operand_bytes = arch::element_bytes(m_arch.precision.operand);
  m_buffers[static_cast<int>(preload.weights.buffer)]->read(
      uint64_t{preload.k_rows} * preload.n_cols * operand_bytes, layer);
  ++m_stats.preloads;
  return timing::preload_cycles(m_arch, preload.k_rows, preload.n_cols);
}

uint64_t SystolicArray::execute(const isa::MatrixMultiply& multiply, stats::LayerCounters& layer) {
  const uint64_t operand_bytes = arch::element_bytes(m_arch.precision.operand);
  const uint64_t acc_bytes = m_arch.precision.accumulator_bits / 8;
  const uint64_t m = multiply.m_rows;
  // Every tap of the streamed matrix is counted as one SRAM read, padding taps included.
  m_buffers[static_cast<int>(multiply.input.buffer)]->read(m * multiply.k_rows * operand_bytes,
                                                           layer);
  SramBuffer& acc = *m_buffers[static_cast<int>(multiply.acc.buffer)];
  acc.write(m * multiply.n_cols * acc_bytes, layer);
  if (multiply.accumulate) acc.read(m * multiply.n_cols * acc_bytes, layer);

  const uint64_t macs = m * multiply.k_rows * multiply.n_cols;
  layer.executed_macs += macs;
  layer.array_pe_cycles += m * static_cast<uint64_t>(m_arch.pes());
  m_stats.executed_macs += macs;
  ++m_stats.multiplies;
  return timing::multiply_cycles(m_arch, multiply.m_rows, multiply.k_rows, multiply.n_cols);
}

}  // namespace npu::sim
