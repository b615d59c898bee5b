#include "sim/modules/vector_unit.h"

#include <vector>

#include "sim/timing/vector_timing.h"

namespace npu::sim {

VectorUnit::VectorUnit(sc_core::sc_module_name name, const arch::ArchConfig& arch,
                       ExecutionContext& context, InstructionQueue& queue, SramBuffers buffers)
    : sc_core::sc_module(name),
      m_arch(arch),
      m_context(context),
      m_queue(queue),
      m_buffers(buffers) {
  SC_THREAD(run);
}

void VectorUnit::run() {
  for (;;) {
    const uint32_t index = m_queue.read();
    const isa::Instruction& instruction = m_context.program.code[index];
    const auto& vector = std::get<isa::VectorInstr>(instruction.payload);
    m_context.scoreboard.wait_for(instruction.deps);

    // The instruction starts once every SRAM port it uses has room for it (other units may hold
    // them), and books each from its start for that port's time.
    const uint64_t ready = m_context.clock.now_cycles();
    const timing::SramPortCycles ports = timing::vector_port_cycles(m_arch, vector);
    std::vector<timing::Claim> claims;
    for (int b = 0; b < isa::kBufferCount; ++b) {
      claims.push_back({&m_buffers[b]->bookings(SramPort::kRead), ports.read[b]});
      claims.push_back({&m_buffers[b]->bookings(SramPort::kWrite), ports.write[b]});
    }
    const uint64_t start = timing::earliest_common(claims, ready);
    for (int b = 0; b < isa::kBufferCount; ++b) {
      m_buffers[b]->bookings(SramPort::kRead).book(start, ports.read[b]);
      m_buffers[b]->bookings(SramPort::kWrite).book(start, ports.write[b]);
    }
    stats::LayerCounters& layer = m_context.layer_of(index);
    if (start > ready) {
      layer.sram_wait_cycles += start - ready;
      m_context.record(index, stats::Activity::kSramStall, ready, start);
      m_context.clock.wait_until(start);
    }

    const timing::SramTraffic traffic = timing::vector_sram_traffic(vector);
    for (int b = 0; b < isa::kBufferCount; ++b) {
      if (traffic.read_bytes[b] > 0) m_buffers[b]->read(traffic.read_bytes[b], layer);
      if (traffic.write_bytes[b] > 0) m_buffers[b]->write(traffic.write_bytes[b], layer);
    }
    const uint64_t cycles = timing::vector_cycles(m_arch, vector);
    m_context.clock.wait_cycles(cycles);

    const uint64_t ops = timing::vector_element_ops(vector);
    layer.vector_busy_cycles += cycles;
    layer.vector_element_ops += ops;
    ++m_stats.instructions;
    m_stats.busy_cycles += cycles;
    m_stats.element_ops += ops;
    m_context.record(index, stats::Activity::kVector, start, start + cycles);
    m_context.record_span(index, start, start + cycles);
    m_context.scoreboard.complete(index);
  }
}

}  // namespace npu::sim
