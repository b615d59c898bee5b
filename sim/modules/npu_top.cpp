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

}  // namespace npu::sim
