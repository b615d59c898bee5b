#pragma once
// Cycle and traffic rules of the vector unit (derivation in docs/timing.md).
//
// An instruction performs `element_ops` lane operations: one per output element for element-wise
// work, requantization, softmax, layer norm and global pooling (which reads each input element
// once), and one per window tap for windowed pooling. With L lanes and c cycles per operation of
// the op's class, compute takes ceil(ops / L) * c cycles. The SRAM ports bound it from below: each
// buffer delivers bytes_per_cycle on its read port and absorbs bytes_per_cycle on its write port.
// The pipeline latency is paid once per instruction:
//   cycles = latency + max(ceil(ops / L) * c, ceil(read_bytes[b] / port[b]), ceil(write_bytes[b] / port[b]))

#include <array>
#include <cstdint>

#include "arch/arch_config.h"
#include "isa/instruction.h"

namespace npu::timing {

uint64_t vector_element_ops(const isa::VectorInstr& instr);

// Bytes the instruction reads from and writes to each buffer (indexed by isa::Buffer): src0, add's
// src1, and the parameter block (isa::params_bytes, when has_params), then dst.
struct SramTraffic {
  std::array<uint64_t, isa::kBufferCount> read_bytes{};
  std::array<uint64_t, isa::kBufferCount> write_bytes{};
};
SramTraffic vector_sram_traffic(const isa::VectorInstr& instr);

uint64_t vector_cycles(const arch::ArchConfig& arch, const isa::VectorInstr& instr);

// Cycles a buffer's port needs to move `bytes` (ceil).
uint64_t sram_port_cycles(const arch::ArchConfig& arch, isa::Buffer buffer, uint64_t bytes);

}  // namespace npu::timing
