#pragma once
// One on-chip SRAM buffer: its capacity, ports and access counts. Units call read()/write() for
// the bytes each instruction moves; the buffer counts them (for energy) and returns the cycles its
// port needs. Port contention between units is not modelled yet: each access is bounded only by
// its own port time (see docs/timing.md).

#include <systemc>

#include <cstdint>

#include "arch/arch_config.h"
#include "isa/instruction.h"
#include "sim/stats/run_stats.h"

namespace npu::sim {

struct SramBufferStats {
  uint64_t read_bytes = 0;
  uint64_t write_bytes = 0;
};

class SramBuffer : public sc_core::sc_module {
 public:
  SramBuffer(sc_core::sc_module_name name, isa::Buffer id, const arch::SramBufferConfig& config);

  uint64_t read(uint64_t bytes, stats::LayerCounters& layer);
  uint64_t write(uint64_t bytes, stats::LayerCounters& layer);
  uint64_t capacity_bytes() const { return static_cast<uint64_t>(m_config.size_kib) * 1024; }
  const SramBufferStats& stats() const { return m_stats; }

 private:
  uint64_t port_cycles(uint64_t bytes) const;

  isa::Buffer m_id;
  arch::SramBufferConfig m_config;
  SramBufferStats m_stats;
};

}  // namespace npu::sim
