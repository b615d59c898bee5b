#include "sim/modules/dma_engine.h"

#include "sim/timing/dram_timing.h"
#include "sim/timing/sram_timing.h"

namespace npu::sim {
namespace {

// The two directions differ only in which way the bytes flow; their timing is the same rule.
struct Transfer {
  timing::StridedTransfer dram;
  isa::Buffer buffer;
  timing::SramAccess sram;
};

Transfer transfer_of(const isa::Payload& payload) {
  if (const auto* load = std::get_if<isa::DmaLoad>(&payload)) {
    return {{load->dram_addr, load->rows, load->row_bytes, load->dram_stride},
            load->sram.buffer,
            {load->sram.offset, load->rows, load->row_bytes, load->sram_stride}};
  }
  const auto& store = std::get<isa::DmaStore>(payload);
  return {{store.dram_addr, store.rows, store.row_bytes, store.dram_stride},
          store.sram.buffer,
          {store.sram.offset, store.rows, store.row_bytes, store.sram_stride}};
}

}  // namespace

std::ostream& operator<<(std::ostream& out, const InFlightTransfer& transfer) {
  return out << "transfer " << transfer.index << " done at cycle " << transfer.done_cycle;
}

DmaEngine::DmaEngine(sc_core::sc_module_name name, const arch::ArchConfig& arch,
                     ExecutionContext& context, InstructionQueue& load_queue,
                     InstructionQueue& store_queue, DramChannel& dram, SramBuffers buffers)
    : sc_core::sc_module(name),
      m_arch(arch),
      m_context(context),
      m_load_queue(load_queue),
      m_store_queue(store_queue),
      m_dram(dram),
      m_buffers(buffers),
      m_loads_in_flight("loads_in_flight", arch.controller.queue_depth),
      m_stores_in_flight("stores_in_flight", arch.controller.queue_depth) {
  SC_THREAD(issue_loads);
  SC_THREAD(issue_stores);
  SC_THREAD(retire_loads);
  SC_THREAD(retire_stores);
}

void DmaEngine::issue(InstructionQueue& queue, InFlightQueue& in_flight, Direction direction) {
  for (;;) {
    const uint32_t index = queue.read();
    const isa::Instruction& instruction = m_context.program.code[index];
    m_context.scoreboard.wait_for(instruction.deps);

    const uint64_t issue_cycle = m_context.clock.now_cycles();
    stats::LayerCounters& layer = m_context.layer_of(index);
    const Transfer transfer = transfer_of(instruction.payload);
    const uint64_t bus_bytes = timing::dram_bus_bytes(transfer.dram, m_arch.dram.access_bytes);
    const uint64_t sram_bytes = transfer.dram.rows * transfer.dram.row_bytes;
    SramBuffer& buffer = *m_buffers[static_cast<int>(transfer.buffer)];
    const SramPort port = direction == Direction::kLoad ? SramPort::kWrite : SramPort::kRead;
    if (direction == Direction::kLoad) {
      buffer.write(sram_bytes, layer);
    } else {
      buffer.read(sram_bytes, layer);
    }
    // The SRAM side of the transfer: its block's port time under the bank rule, on a port that
    // other units may have booked; the transfer cannot start streaming before the port is free.
    const uint64_t port_cycles = timing::sram_port_cycles(m_arch, transfer.buffer, {transfer.sram});
    const timing::DmaSchedule schedule =
        m_dram.reserve(issue_cycle, bus_bytes, port_cycles, buffer.bookings(port));
    if (schedule.channel_start > schedule.ready) {
      layer.sram_wait_cycles += schedule.channel_start - schedule.ready;
      m_context.record(index, stats::Activity::kSramStall, schedule.ready, schedule.channel_start);
    }
    m_context.clock.wait_until(schedule.engine_free);
    layer.dram_payload_bytes += sram_bytes;
    in_flight.write({index, issue_cycle, schedule.done, bus_bytes, schedule.occupancy});
  }
}

void DmaEngine::retire(InFlightQueue& in_flight, Direction direction) {
  for (;;) {
    const InFlightTransfer transfer = in_flight.read();
    m_context.clock.wait_until(transfer.done_cycle);

    stats::LayerCounters& layer = m_context.layer_of(transfer.index);
    const uint64_t busy = transfer.done_cycle - transfer.issue_cycle;
    layer.dram_busy_cycles += transfer.occupancy;
    if (direction == Direction::kLoad) {
      layer.dram_read_bytes += transfer.bus_bytes;
      layer.dma_load_busy_cycles += busy;
      ++m_stats.loads;
      m_stats.load_busy_cycles += busy;
    } else {
      layer.dram_write_bytes += transfer.bus_bytes;
      layer.dma_store_busy_cycles += busy;
      ++m_stats.stores;
      m_stats.store_busy_cycles += busy;
    }
    m_context.record(transfer.index, stats::Activity::kDma, transfer.issue_cycle,
                     transfer.done_cycle);
    m_context.record_span(transfer.index, transfer.issue_cycle, transfer.done_cycle);
    m_context.scoreboard.complete(transfer.index);
  }
}

}  // namespace npu::sim
