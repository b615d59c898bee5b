#pragma once
// The SRAM bytes an instruction reads and writes, as conservative bounding ranges.
//
// The compiler's dependency pass orders two instructions of different streams when a write of one
// overlaps a read or write of the other; the functional interpreter uses the same sets to check
// that an instruction stays inside its buffers. A range is the smallest [begin, end) that covers
// every byte the instruction can touch (strided gaps included), so overlap tests may report a
// conflict that the exact footprint would not have, never the reverse. The rules per opcode are in
// docs/isa.md ("Access sets").

#include <cstdint>
#include <vector>

#include "isa/instruction.h"

namespace npu::isa {

// Bytes [begin, end) of one buffer; begin < end in every region sram_accesses returns.
struct SramRegion {
  Buffer buffer = Buffer::kInput;
  uint32_t begin = 0;
  uint32_t end = 0;
  bool operator==(const SramRegion& o) const {
    return buffer == o.buffer && begin == o.begin && end == o.end;
  }
};

// Reads are listed in operand order (src0 before src1, the streamed input before accumulators
// read back); an instruction that touches nothing has empty lists.
struct Accesses {
  std::vector<SramRegion> reads;
  std::vector<SramRegion> writes;
};

// Bytes per accumulator element: MatrixMultiply writes int32 partial sums.
constexpr uint32_t kAccumulatorBytes = 4;
// Per-channel parameter records that src1 points at, one per column, packed back to back:
// requant {int32 bias, int32 multiplier, int32 shift}; scale_shift {int32 scale, int32 shift}.
constexpr uint32_t kRequantParamBytes = 12;
constexpr uint32_t kScaleShiftParamBytes = 8;

// `operand_bytes` is the element size of the matrix operands (int8: 1); vector instructions carry
// their own element sizes. Ends past 2^32 - 1 saturate there: such an instruction fits no buffer
// and is rejected by whoever checks capacities, but its range still covers all it could touch.
Accesses sram_accesses(const Instruction& instruction, int operand_bytes);

// True when the two regions share at least one byte (same buffer, intersecting ranges).
bool overlaps(const SramRegion& a, const SramRegion& b);

}  // namespace npu::isa
