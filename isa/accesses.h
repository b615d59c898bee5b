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

// Reads are listed in operand order (src0, then src1, then the parameter block; the streamed
// input before accumulators read back); an instruction that touches nothing has empty lists.
struct Accesses {
  std::vector<SramRegion> reads;
  std::vector<SramRegion> writes;
};

// Bytes per accumulator element: MatrixMultiply writes int32 (int8 operands) or fp32 (float
// operands) partial sums.
constexpr uint32_t kAccumulatorBytes = 4;
// Sizes of the parameter blocks that VectorInstr::params points at (layouts in docs/numerics.md).
// Which layout an op uses follows its output type: int8 output, the fixed-point blocks; a float
// output (fp16, bf16, fp32), the float blocks.
// Per-channel records, one per column, packed back to back:
// requant, 12 bytes either way: to int8 int32 bias', M0 and int8 shift, z_out, q_min, q_max; to a
// float format float32 bias, lo, hi.
constexpr uint32_t kRequantParamBytes = 12;
constexpr uint32_t kScaleShiftParamBytes = 16;  // int32 M0, offset; int8 shift, z_in, z_out; 5 free
constexpr uint32_t kFloatScaleShiftParamBytes = 8;  // float32 a, b
// Whole-op blocks:
constexpr uint32_t kAddParamBytes = 48;          // 12 int32: M1, shift1, z1, M2, shift2, z2, ...
constexpr uint32_t kFloatAddParamBytes = 8;      // float32 lo, hi
constexpr uint32_t kMulParamBytes = 32;          // int32 z1, z2, M0, shift, z_out, q_min, q_max, 0
constexpr uint32_t kFloatMulParamBytes = 8;      // float32 lo, hi
constexpr uint32_t kActivationTableBytes = 256;  // out = T[q + 128]; float act has no block
// softmax: float32 s_in, int32 z_in, float32 1/s_out, int32 z_out; float softmax has none.
constexpr uint32_t kSoftmaxParamBytes = 16;
// layernorm, both kinds: a header (float32 s_in, int32 z_in, float32 1/s_out, int32 z_out,
// float32 eps, 12 bytes unused; a float layernorm uses only eps), then per channel float32 gamma,
// float32 beta.
constexpr uint32_t kLayerNormHeaderBytes = 32;
constexpr uint32_t kLayerNormChannelBytes = 8;

// Bytes of the parameter block an `op` over `cols` columns writing `dst_type` elements reads:
//
//   op           int8 output    float output
//   requant      cols x 12      cols x 12
//   scale_shift  cols x 16      cols x 8
//   add          48             8
//   mul          32             8
//   act          256            0
//   softmax      16             0
//   layernorm    32 + 8 x cols  32 + 8 x cols
//   others       0              0
//
// 0 means the op has no block. Saturates at 2^32 - 1 (such a block fits no buffer). The compiler
// sizes the DRAM parameter tensors with this.
uint32_t params_bytes(VectorOp op, uint32_t cols, ElementType dst_type);
// The block v.params points at: params_bytes(v.op, v.cols, v.dst_type), whether or not
// has_params is set.
uint32_t params_bytes(const VectorInstr& v);

// `operand_bytes` is the element size of the matrix operands (int8: 1, fp16/bf16: 2, fp32: 4);
// vector instructions carry their own element types. Ends past 2^32 - 1 saturate there: such an
// instruction fits no buffer and is rejected by whoever checks capacities, but its range still
// covers all it could touch.
Accesses sram_accesses(const Instruction& instruction, int operand_bytes);
// The same for any operand type, int4 included (packed rows, docs/isa.md).
Accesses sram_accesses(const Instruction& instruction, ElementType operand_type);

// True when the two regions share at least one byte (same buffer, intersecting ranges).
bool overlaps(const SramRegion& a, const SramRegion& b);

}  // namespace npu::isa
