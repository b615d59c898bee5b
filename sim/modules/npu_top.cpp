#include "sim/modules/npu_top.h"

namespace npu::sim {

NpuTop::NpuTop(sc_core::sc_module_name name, const arch::ArchConfig& arch,
               ExecutionContext& context)
    : sc_core::sc_module(name),
      m_controller("controller", arch.controller, context),
      m_dram("dram", arch),
      m_input_buffer("input_buffer", isa::Buffer::kInput, arch.sram.input),
      m_weight_buffer("weight_buffer", isa::Buffer::kWeight, arch.sram.weight),
      m_output_buffer("output_buffer", isa::Buffer::kOutput, arch.sram.output),
      m_dma("dma", arch, context, m_controller.queue(isa::Stream::kLoad),
            m_controller.queue(isa::Stream::kStore), m_dram,
            {&m_input_buffer, &m_weight_buffer, &m_output_buffer}),
      m_array("array", arch, context, m_controller.queue(isa::Stream::kMatrix),
              {&m_input_buffer, &m_weight_buffer, &m_output_buffer}),
      m_vector("vector", arch, context, m_controller.queue(isa::Stream::kVector),
               {&m_input_buffer, &m_weight_buffer, &m_output_buffer}) {}

std::vector<stats::ModuleCounter> NpuTop::module_counters() const {
  std::vector<stats::ModuleCounter> counters;
  auto add = [&](const sc_core::sc_module& module, const char* name, uint64_t value,
                 const char* unit, const char* description) {
    counters.push_back({module.name(), name, value, unit, description});
  };
  const ControllerStats& controller = m_controller.stats();
  for (int s = 0; s < isa::kStreamCount; ++s) {
    const std::string counter = std::string(isa::to_string(static_cast<isa::Stream>(s))) + "_dispatched";
    counters.push_back({m_controller.name(), counter, controller.dispatched[s], "instructions",
                        "instructions handed to this stream's queue"});
  }
  add(m_controller, "stall_cycles", controller.stall_cycles, "cycles",
      "time dispatch waited on a full queue");
  add(m_dram, "transfers", m_dram.stats().transfers, "transfers", "DMA transfers served");
  add(m_dram, "bus_bytes", m_dram.stats().bus_bytes, "bytes", "bytes moved in whole access blocks");
  add(m_dram, "busy_cycles", m_dram.stats().busy_cycles, "cycles", "channel occupancy");
  add(m_dma, "loads", m_dma.stats().loads, "transfers", "DRAM -> SRAM transfers");
  add(m_dma, "stores", m_dma.stats().stores, "transfers", "SRAM -> DRAM transfers");
  add(m_dma, "load_busy_cycles", m_dma.stats().load_busy_cycles, "cycles",
      "issue-to-done time of loads, summed (in-flight loads overlap)");
  add(m_dma, "store_busy_cycles", m_dma.stats().store_busy_cycles, "cycles",
      "issue-to-done time of stores, summed");
  for (const SramBuffer* buffer : {&m_input_buffer, &m_weight_buffer, &m_output_buffer}) {
    add(*buffer, "read_bytes", buffer->stats().read_bytes, "bytes", "bytes read");
    add(*buffer, "write_bytes", buffer->stats().write_bytes, "bytes", "bytes written");
  }
  add(m_array, "preloads", m_array.stats().preloads, "instructions", "weight blocks loaded");
  add(m_array, "multiplies", m_array.stats().multiplies, "instructions", "folds streamed");
  add(m_array, "busy_cycles", m_array.stats().busy_cycles, "cycles", "preloading or streaming");
  add(m_array, "executed_macs", m_array.stats().executed_macs, "MACs", "operand pairs multiplied");
  add(m_vector, "instructions", m_vector.stats().instructions, "instructions", "executed");
  add(m_vector, "busy_cycles", m_vector.stats().busy_cycles, "cycles", "executing");
  add(m_vector, "element_ops", m_vector.stats().element_ops, "operations", "lane-element operations");
  return counters;
}

}  // namespace npu::sim
