#pragma once
// The NPU: owns and binds the controller, the DMA engine and DRAM channel, the three SRAM buffers,
// the systolic array and the vector unit for one run of one program.

#include <systemc>

#include <memory>
#include <vector>

#include "arch/arch_config.h"
#include "sim/modules/controller.h"
#include "sim/modules/dma_engine.h"
#include "sim/modules/dram_channel.h"
#include "sim/modules/execution_context.h"
#include "sim/modules/sram_buffer.h"
#include "sim/modules/systolic_array.h"
#include "sim/modules/vector_unit.h"

namespace npu::sim {

class NpuTop : public sc_core::sc_module {
 public:
  NpuTop(sc_core::sc_module_name name, const arch::ArchConfig& arch, ExecutionContext& context);

  const DramChannel& dram() const { return m_dram; }
  const SystolicArray& array() const { return m_array; }
  const VectorUnit& vector() const { return m_vector; }
  const DmaEngine& dma() const { return m_dma; }
  // Every module's own counters, named by its path in the hierarchy (npu.dram, npu.array, ...).
  std::vector<stats::ModuleCounter> module_counters() const;

 private:
  Controller m_controller;
  DramChannel m_dram;
  SramBuffer m_input_buffer;
  SramBuffer m_weight_buffer;
  SramBuffer m_output_buffer;
  DmaEngine m_dma;
  SystolicArray m_array;
  VectorUnit m_vector;
};

}  // namespace npu::sim
