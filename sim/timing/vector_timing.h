#pragma once
// Cycle and traffic rules of the vector unit (derivation in docs/timing.md).
//
// An instruction performs `element_ops` lane operations: one per output element for element-wise
// work, requantization, softmax, layer norm and global pooling (which reads each input element
// once), and one per window tap for windowed pooling. With L lanes and c cycles per operation of
// the op's class, compute takes ceil(ops / L) * c cycles. The SRAM ports bound it from below: each
// buffer's read port must deliver the blocks the instruction reads from it and its write port
// absorb the blocks it writes, at the port time of the bank rule (sim/timing/sram_timing.h). The
// pipeline latency is paid once per instruction:
//   cycles = latency + max(ceil(ops / L) * c, read_port[b], write_port[b] for every buffer b)

#include <array>
#include <cstdint>
#include <vector>

#include "arch/arch_config.h"
#include "isa/instruction.h"
#include "sim/timing/sram_timing.h"

namespace npu::timing {

uint64_t vector_element_ops(const isa::VectorInstr& instr);

// Bytes the instruction reads from and writes to each buffer (indexed by isa::Buffer): src0, add's
// and mul's src1, and the parameter block (isa::params_bytes, when has_params), then dst.
struct SramTraffic {
  std::array<uint64_t, isa::kBufferCount> read_bytes{};
  std::array<uint64_t, isa::kBufferCount> write_bytes{};
};
SramTraffic vector_sram_traffic(const isa::VectorInstr& instr);

// The 2-D blocks the instruction reads from and writes to each buffer, for the bank rule: each
// operand region as rows x (cols x element bytes) at its row stride; windowed pooling reads its
// input patch (patch_h image rows of image_w x patch_c elements) once; global pooling writes one
// row, a transpose cols rows of rows elements; the parameter block is one contiguous run.
struct SramBlocks {
  std::array<std::vector<SramAccess>, isa::kBufferCount> reads;
  std::array<std::vector<SramAccess>, isa::kBufferCount> writes;
};
SramBlocks vector_sram_blocks(const isa::VectorInstr& instr);

// Cycles each buffer's read and write port is busy with the instruction (0 with memory.ideal).
struct SramPortCycles {
  std::array<uint64_t, isa::kBufferCount> read{};
  std::array<uint64_t, isa::kBufferCount> write{};
};
SramPortCycles vector_port_cycles(const arch::ArchConfig& arch, const isa::VectorInstr& instr);

uint64_t vector_cycles(const arch::ArchConfig& arch, const isa::VectorInstr& instr);

}  // namespace npu::timing
