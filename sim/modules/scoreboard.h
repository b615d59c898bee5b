#pragma once
// Tracks which instructions have completed so that a stream can hold an instruction until the
// instructions it depends on (in other streams) are done. Streams complete in order, so one event
// per stream suffices: a waiter re-checks its dependency whenever that stream completes something.

#include <systemc>

#include <array>
#include <cstdint>
#include <vector>

#include "isa/program.h"

namespace npu::sim {

class Scoreboard {
 public:
  explicit Scoreboard(const isa::Program& program);

  // Blocks the calling SC_THREAD until every instruction in `deps` has completed.
  void wait_for(const std::vector<uint32_t>& deps);
  void complete(uint32_t index);
  bool all_done() const { return m_completed_count == m_done.size(); }

 private:
  const isa::Program& m_program;
  std::vector<uint8_t> m_done;
  size_t m_completed_count = 0;
  std::array<sc_core::sc_event, isa::kStreamCount> m_stream_completed;
};

}  // namespace npu::sim
