#include "sim/modules/scoreboard.h"

namespace npu::sim {

Scoreboard::Scoreboard(const isa::Program& program)
    : m_program(program), m_done(program.code.size(), 0) {}

void Scoreboard::wait_for(const std::vector<uint32_t>& deps) {
  for (uint32_t dep : deps) {
    const auto stream = static_cast<int>(isa::stream_of(m_program.code[dep]));
    while (!m_done[dep]) sc_core::wait(m_stream_completed[stream]);
  }
}

void Scoreboard::complete(uint32_t index) {
  m_done[index] = 1;
  ++m_completed_count;
  m_stream_completed[static_cast<int>(isa::stream_of(m_program.code[index]))].notify();
}

}  // namespace npu::sim
