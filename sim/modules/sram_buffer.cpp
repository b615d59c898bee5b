#include "sim/modules/sram_buffer.h"

namespace npu::sim {

SramBuffer::SramBuffer(sc_core::sc_module_name name, isa::Buffer id,
                       const arch::SramBufferConfig& config)
    : sc_core::sc_module(name), m_id(id), m_config(config) {}

void SramBuffer::read(uint64_t bytes, stats::LayerCounters& layer) {
  m_stats.read_bytes += bytes;
  layer.sram_read_bytes[static_cast<int>(m_id)] += bytes;
}

void SramBuffer::write(uint64_t bytes, stats::LayerCounters& layer) {
  m_stats.write_bytes += bytes;
  layer.sram_write_bytes[static_cast<int>(m_id)] += bytes;
}

}  // namespace npu::sim
