#pragma once
// The NPU's tensor/vector instruction set (semantics and text form in docs/isa.md).
//
// Four in-order streams execute concurrently: load (DMA DRAM->SRAM), matrix (systolic array),
// vector (vector unit) and store (DMA SRAM->DRAM). Program order is the sequential semantics;
// each instruction lists the earlier instructions of *other* streams it must wait for (`deps`),
// which is what lets loads, compute and stores overlap without breaking that semantics.

#include <cstdint>
#include <variant>
#include <vector>

#include "isa/nm_compression.h"

namespace npu::isa {

enum class Stream : uint8_t { kLoad, kMatrix, kVector, kStore };
constexpr int kStreamCount = 4;

enum class Buffer : uint8_t { kInput, kWeight, kOutput };
constexpr int kBufferCount = 3;

const char* to_string(Stream stream);
const char* to_string(Buffer buffer);

// A byte address inside one on-chip buffer.
struct SramAddr {
  Buffer buffer = Buffer::kInput;
  uint32_t offset = 0;
  bool operator==(const SramAddr& o) const { return buffer == o.buffer && offset == o.offset; }
};

// DRAM -> SRAM, 2-D strided: `rows` runs of `row_bytes` contiguous bytes; run r comes from
// dram_addr + r * dram_stride and lands at sram + r * sram_stride.
struct DmaLoad {
  uint64_t dram_addr = 0;
  SramAddr sram;
  uint32_t rows = 1;
  uint32_t row_bytes = 0;
  uint64_t dram_stride = 0;
  uint32_t sram_stride = 0;
  bool operator==(const DmaLoad& o) const;
};

// SRAM -> DRAM, the mirror of DmaLoad.
struct DmaStore {
  SramAddr sram;
  uint64_t dram_addr = 0;
  uint32_t rows = 1;
  uint32_t row_bytes = 0;
  uint32_t sram_stride = 0;
  uint64_t dram_stride = 0;
  bool operator==(const DmaStore& o) const;
};

// Stages a k_rows x n_cols block of the weight operand for the multiplies that follow: element
// (k, n) is read from weights + (k * row_stride + n) * element bytes. In weight-stationary arrays
// the block is held in the PEs; in output- and input-stationary ones it streams through them
// during each multiply (docs/timing.md); the arithmetic is the same.
struct MatrixPreload {
  SramAddr weights;
  uint32_t k_rows = 0;
  uint32_t n_cols = 0;
  uint32_t row_stride = 0;  // elements between consecutive k rows in SRAM
  // N:M compressed block (isa/nm_compression.h): k_rows are the dense reduction rows the block
  // covers; SRAM holds only the kept rows (row_stride apart) and then their indices.
  NmCompression compression;
  bool operator==(const MatrixPreload& o) const;
};

// How a matrix multiply reads its streaming operand: the rows of an implicit im2col matrix of a
// 2-D convolution over an input patch held in the input buffer. The patch holds image rows
// [patch_row0, patch_row0 + patch_h), all image_w columns, and patch_c channels, stored (h, w, c)
// row-major. Row m of the streamed matrix is output pixel (out_row0 + m / out_w, m % out_w); column
// k is kernel tap (k / (kernel_w * c_s), (k / c_s) % kernel_w) at channel channel_offset + k % c_s,
// where c_s = channels, or patch_c when channels is 0. A slice lets several grouped multiplies
// share one patch of whole pixels (contiguous in DRAM), each reading its own group's channels;
// pixels stay patch_c elements apart in SRAM whatever the slice.
// Taps that fall outside the image (padding) read as `pad_value` (the input's zero point, so that
// padding is the real value 0) and touch no SRAM. Pooling skips padding taps instead. A plain
// matrix (dense, matmul) is the 1x1 case: image_w = out_w = 1 and one patch row per matrix row.
struct ConvWindow {
  uint32_t image_h = 1, image_w = 1;
  int32_t patch_row0 = 0;
  uint32_t patch_h = 1, patch_c = 1;
  uint16_t kernel_h = 1, kernel_w = 1;
  uint16_t stride_h = 1, stride_w = 1;
  uint16_t dilation_h = 1, dilation_w = 1;
  uint16_t pad_top = 0, pad_left = 0;
  uint32_t out_row0 = 0;
  uint32_t out_w = 1;
  int16_t pad_value = 0;
  // Last, so that positional initializers written before the slice existed keep their meaning.
  uint32_t channel_offset = 0;  // first channel of the slice the columns read
  uint32_t channels = 0;        // the slice's channels; 0: all patch_c (then channel_offset is 0)
  // The channels each column decomposes over: the slice's, or the whole pixel's.
  uint32_t slice_channels() const { return channels != 0 ? channels : patch_c; }
  bool operator==(const ConvWindow& o) const;
};

// Streams rows [m_begin, m_begin + m_rows) of the im2col matrix (columns [k_begin, k_begin +
// k_rows)) against the block the last preload staged, and writes the m_rows x n_cols products as
// 4-byte accumulators (int32 for int8 operands, fp32 for float ones) to the output buffer: local
// row m at acc + (m * acc_row_stride + n) * 4. With `accumulate` the products are added to what
// is there. How large m, k and n may be depends on the dataflow (arch::fold_limits).
struct MatrixMultiply {
  SramAddr input;
  ConvWindow window;
  uint32_t m_begin = 0;
  uint32_t m_rows = 0;
  uint32_t k_begin = 0;
  uint32_t k_rows = 0;
  uint32_t n_cols = 0;
  SramAddr acc;
  uint32_t acc_row_stride = 0;  // accumulator elements between consecutive rows
  bool accumulate = false;
  bool operator==(const MatrixMultiply& o) const;
};

// Exact arithmetic of each op, and the layout of its parameter block: docs/numerics.md. The
// comments describe int8; with float operands each op computes in float32 instead (no tables).
enum class VectorOp : uint8_t {
  kRequant,        // accumulators + bias -> operands, per-channel scale, clamp (fused relu/relu6)
  kAdd,            // dst = src0 + src1, each rescaled to the output's quantization
  kActivation,     // dst = table[src0]: any element-wise function, as a 256-entry lookup table
  kScaleShift,     // dst = a[c] * src0 + b[c]  (batchnorm that could not be folded)
  kMaxPool,        // window max over an (h, w, c) patch
  kAvgPool,        // window mean over an (h, w, c) patch
  kGlobalAvgPool,  // mean over rows of a rows x cols matrix, per column
  kSoftmax,        // per row of a rows x cols matrix
  kCopy,           // dst = src0 (layout changes, concat)
  kLayerNorm,      // per row of a rows x cols matrix: normalise, then gamma[c], beta[c]
  kMul,            // dst = src0 * src1, the product rescaled to the output's quantization
  kTranspose,      // dst (cols x rows) = src0 (rows x cols) transposed; values unchanged
};
const char* to_string(VectorOp op);

enum class VectorActivation : uint8_t { kNone, kRelu, kRelu6, kSigmoid, kTanh, kGelu };
const char* to_string(VectorActivation activation);

// What a vector operand's elements are. fp16 and bf16 are both two bytes, so a size alone cannot
// say how to read them. int32 is the array's integer accumulator, fp32 its float accumulator (and
// an fp32 model's operand type); int4, int8, fp16 and bf16 are operand types only. int4 is packed
// two elements per byte, the first in the low nibble, and every row of a matrix starts on a byte.
enum class ElementType : uint8_t { kInt8, kInt32, kFp16, kBf16, kFp32, kInt4 };
int element_bits(ElementType type);   // 8, 32, 16, 16, 32, 4
int element_bytes(ElementType type);  // 1, 4, 2, 2, 4; a bug for int4 (use packed_bytes)
// Bytes of a row of `elements` elements: rounded up to a whole byte (3 int4 values take 2).
uint64_t packed_bytes(ElementType type, uint64_t elements);
bool is_float(ElementType type);      // fp16, bf16, fp32
const char* to_string(ElementType type);  // "int8", "int32", "fp16", "bf16", "fp32"

// One vector-unit instruction over a rows x cols matrix of elements (element-wise ops, requant,
// softmax, layer norm, global pooling) or, for windowed pooling, over an (h, w, c) input patch
// described by `window` producing rows = output pixels and cols = channels. Transpose reads a
// rows x cols source and writes its cols x rows transpose (dst_row_stride apart). `activation`
// records what the parameter block implements (the clamp of requant, add and mul, the table of
// act); the arithmetic itself comes from the block.
struct VectorInstr {
  VectorOp op = VectorOp::kCopy;
  VectorActivation activation = VectorActivation::kNone;
  SramAddr src0;
  SramAddr src1;    // second operand (add, mul)
  bool has_src1 = false;
  SramAddr params;  // the op's constants (docs/numerics.md): per-channel records, table, header
  bool has_params = false;
  SramAddr dst;
  uint32_t rows = 0;
  uint32_t cols = 0;
  uint32_t src_row_stride = 0;  // elements between rows of src0 (and src1)
  uint32_t dst_row_stride = 0;  // elements between rows of dst
  ElementType src_type = ElementType::kInt8;  // elements of src0/src1 (int32/fp32: accumulators)
  ElementType dst_type = ElementType::kInt8;  // elements of dst
  ConvWindow window;  // windowed pooling only
  bool operator==(const VectorInstr& o) const;
};

using Payload = std::variant<DmaLoad, DmaStore, MatrixPreload, MatrixMultiply, VectorInstr>;

struct Instruction {
  Payload payload;
  uint32_t layer = 0;           // index into Program::layers
  std::vector<uint32_t> deps;   // indices of earlier instructions in other streams, ascending
  bool operator==(const Instruction& o) const;
};

Stream stream_of(const Payload& payload);
inline Stream stream_of(const Instruction& instruction) { return stream_of(instruction.payload); }

}  // namespace npu::isa
