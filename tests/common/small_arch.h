#pragma once
// The small design the hand-derived timing tests use: a 4x4 int8 array at 1 GHz; DRAM 4 B/cycle
// (4 GB/s), 10 ns = 10 cycles of latency, 4-byte access blocks; DMA setup 2 cycles; 4 vector lanes
// with 1 cycle of latency; 1 KiB buffers with 64 B/cycle ports (never the limit unless a test
// narrows them). tests/e2e/data/hand_4x4.yaml is the same design as a config file.

#include "arch/arch_config.h"

namespace npu::testing_support {

inline arch::ArchConfig small_arch() {
  arch::ArchConfig arch;
  arch.clock.freq_mhz = 1000;
  arch.array.rows = 4;
  arch.array.cols = 4;
  for (arch::SramBufferConfig* buffer : {&arch.sram.input, &arch.sram.weight, &arch.sram.output}) {
    buffer->size_kib = 1;
    buffer->banks = 1;
    buffer->bytes_per_cycle = 64;
  }
  arch.dram.bandwidth_gbps = 4;
  arch.dram.latency_ns = 10;
  arch.dram.access_bytes = 4;
  arch.dma.setup_cycles = 2;
  arch.controller.queue_depth = 8;
  arch.vector.lanes = 4;
  arch.vector.pipeline_latency_cycles = 1;
  return arch;
}

}  // namespace npu::testing_support
