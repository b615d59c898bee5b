#pragma once
// The DMA engine: two independent in-order engines, one draining the load queue (DRAM -> SRAM) and
// one the store queue (SRAM -> DRAM). Both book the shared DRAM channel and their buffer's SRAM
// port (write for a load, read for a store, for the bank-rule port time of the transfer's SRAM
// block) with the rule of npu::timing::schedule_transfer; time spent waiting for the port is an
// SRAM stall. An engine issues its next transfer as soon as it has streamed the current one, while
// that one's data are still in flight; transfers retire in issue order.

#include <systemc>

#include <array>
#include <cstdint>
#include <ostream>

#include "arch/arch_config.h"
#include "sim/modules/controller.h"
#include "sim/modules/dram_channel.h"
#include "sim/modules/execution_context.h"
#include "sim/modules/sram_buffer.h"

namespace npu::sim {

struct DmaEngineStats {
  uint64_t loads = 0;
  uint64_t stores = 0;
  uint64_t load_busy_cycles = 0;
  uint64_t store_busy_cycles = 0;
};

using SramBuffers = std::array<SramBuffer*, isa::kBufferCount>;

// A transfer that has left the engine and awaits its data.
struct InFlightTransfer {
  uint32_t index = 0;
  uint64_t issue_cycle = 0;
  uint64_t done_cycle = 0;
  uint64_t bus_bytes = 0;
  uint64_t occupancy = 0;
};
// sc_fifo requires a stream operator for its element type (used by sc_fifo::print).
std::ostream& operator<<(std::ostream& out, const InFlightTransfer& transfer);

class DmaEngine : public sc_core::sc_module {
 public:
  SC_HAS_PROCESS(DmaEngine);
  DmaEngine(sc_core::sc_module_name name, const arch::ArchConfig& arch, ExecutionContext& context,
            InstructionQueue& load_queue, InstructionQueue& store_queue, DramChannel& dram,
            SramBuffers buffers);

  const DmaEngineStats& stats() const { return m_stats; }

 private:
  enum class Direction { kLoad, kStore };
  using InFlightQueue = sc_core::sc_fifo<InFlightTransfer>;

  void issue_loads() { issue(m_load_queue, m_loads_in_flight, Direction::kLoad); }
  void issue_stores() { issue(m_store_queue, m_stores_in_flight, Direction::kStore); }
  void retire_loads() { retire(m_loads_in_flight, Direction::kLoad); }
  void retire_stores() { retire(m_stores_in_flight, Direction::kStore); }
  void issue(InstructionQueue& queue, InFlightQueue& in_flight, Direction direction);
  void retire(InFlightQueue& in_flight, Direction direction);

  const arch::ArchConfig& m_arch;
  ExecutionContext& m_context;
  InstructionQueue& m_load_queue;
  InstructionQueue& m_store_queue;
  DramChannel& m_dram;
  SramBuffers m_buffers;
  InFlightQueue m_loads_in_flight;
  InFlightQueue m_stores_in_flight;
  DmaEngineStats m_stats;
};

}  // namespace npu::sim
