#pragma once
// One on-chip SRAM buffer: its capacity, its read and write ports, and its access counts. Units
// call read()/write() for the bytes each instruction moves, which the buffer counts (for energy).
// Each port is a shared resource with a calendar of bookings (sim/timing/reservations.h): a unit
// starts an instruction no earlier than every port it uses has room for it, and books each port
// from that start for the port time of its accesses (sim/timing/sram_timing.h). An instruction
// whose port another unit's instruction holds therefore waits until the port is free
// (docs/timing.md, "SRAM buffers").

#include <systemc>

#include <array>
#include <cstdint>

#include "arch/arch_config.h"
#include "isa/instruction.h"
#include "sim/stats/run_stats.h"
#include "sim/timing/reservations.h"
#include "sim/timing/sram_timing.h"

namespace npu::sim {

using timing::SramPort;

struct SramBufferStats {
  uint64_t read_bytes = 0;
  uint64_t write_bytes = 0;
};

class SramBuffer : public sc_core::sc_module {
 public:
  SramBuffer(sc_core::sc_module_name name, isa::Buffer id, const arch::SramBufferConfig& config);

  void read(uint64_t bytes, stats::LayerCounters& layer);
  void write(uint64_t bytes, stats::LayerCounters& layer);

  // The bookings of one port.
  timing::Reservations& bookings(SramPort port) { return m_bookings[static_cast<int>(port)]; }

  uint64_t capacity_bytes() const { return static_cast<uint64_t>(m_config.size_kib) * 1024; }
  const SramBufferStats& stats() const { return m_stats; }

 private:
  isa::Buffer m_id;
  arch::SramBufferConfig m_config;
  std::array<timing::Reservations, 2> m_bookings;  // per SramPort
  SramBufferStats m_stats;
};

}  // namespace npu::sim
