#include "sim/modules/sram_buffer.h"

#include "sim/timing/dram_timing.h"

namespace npu::sim {

SramBuffer::SramBuffer(sc_core::sc_module_name name, isa::Buffer id,
                       const arch::SramBufferConfig& config)
    : sc_core::sc_module(name), m_id(id), m_config(config) {}

uint64_t SramBuffer::port_cycles(uint64_t bytes) const {
  return timing::ceil_div(bytes, m_config.bytes_per_cycle);
}

uint64_t SramBuffer::read(uint64_t bytes, stats::LayerCounters& layer) {
  m_stats.read_bytes += bytes;
  layer.sram_read_bytes[static_cast<int>(m_id)] += bytes;
  return port_cycles(bytes);
}

uint64_t SramBuffer::write(uint64_t bytes, stats::LayerCounters& layer) {
  m_stats.write_bytes += bytes;
  layer.sram_write_bytes[static_cast<int>(m_id)] += bytes;
  return port_cycles(bytes);
}

}  // namespace npu::sim
