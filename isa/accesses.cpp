#include "isa/accesses.h"

#include <algorithm>
#include <cassert>
#include <limits>
#include <utility>

namespace npu::isa {
namespace {

// Sizes are computed in 64 bits and saturate, so a malformed instruction yields a huge range
// (which every capacity check rejects) rather than a wrapped-around small one.
constexpr uint64_t kSaturated = std::numeric_limits<uint64_t>::max();

uint64_t mul(uint64_t a, uint64_t b) {
  if (a != 0 && b > kSaturated / a) return kSaturated;
  return a * b;
}

uint64_t add(uint64_t a, uint64_t b) { return b > kSaturated - a ? kSaturated : a + b; }

// Bytes of `elements` elements of `bits` each, rounded up to a whole byte.
uint64_t bytes_of(uint64_t elements, uint64_t bits) { return add(mul(elements, bits), 7) / 8; }

// Bytes from the first element of row 0 to one past the last element of row rows-1, for rows of
// `cols` elements starting `stride` elements apart: ((rows - 1) * stride + cols) * element_bytes,
// each row starting on a byte when elements are narrower (int4: stride and cols round up to
// whole bytes). With stride < cols the rows overlap and the formula still bounds them.
uint64_t strided_extent(uint64_t rows, uint64_t cols, uint64_t stride, uint64_t element_bits) {
  if (rows == 0 || cols == 0) return 0;
  return add(mul(rows - 1, bytes_of(stride, element_bits)), bytes_of(cols, element_bits));
}

// An (h, w, c) patch stored row-major: patch_h full image rows of image_w pixels of patch_c, each
// pixel's channels starting on a byte.
uint64_t patch_extent(const ConvWindow& window, uint64_t element_bits) {
  return mul(mul(window.patch_h, window.image_w), bytes_of(window.patch_c, element_bits));
}

void add_region(std::vector<SramRegion>& regions, const SramAddr& addr, uint64_t bytes) {
  if (bytes == 0) return;
  const uint64_t end =
      std::min<uint64_t>(add(addr.offset, bytes), std::numeric_limits<uint32_t>::max());
  if (end <= addr.offset) return;
  regions.push_back({addr.buffer, addr.offset, static_cast<uint32_t>(end)});
}

// The patch rows a multiply's output rows [m_begin, m_begin + m_rows) and kernel-tap columns
// [k_begin, k_begin + k_rows) read, clipped to the rows the patch holds: [first, last] in patch
// rows, or first > last when every tap falls in the padding.
std::pair<int64_t, int64_t> patch_rows_read(const MatrixMultiply& mm) {
  const ConvWindow& w = mm.window;
  if (w.out_w == 0 || w.slice_channels() == 0 || w.kernel_w == 0) {
    return {0, int64_t{w.patch_h} - 1};
  }
  const int64_t first_out = int64_t{w.out_row0} + mm.m_begin / w.out_w;
  const int64_t last_out = int64_t{w.out_row0} + (int64_t{mm.m_begin} + mm.m_rows - 1) / w.out_w;
  // Columns decompose over the slice's channels; the rows read are whole patch rows regardless.
  const int64_t taps_per_row = int64_t{w.kernel_w} * w.slice_channels();
  const int64_t first_tap_row = mm.k_begin / taps_per_row;
  const int64_t last_tap_row = (int64_t{mm.k_begin} + mm.k_rows - 1) / taps_per_row;
  const int64_t first = first_out * w.stride_h - w.pad_top + first_tap_row * w.dilation_h;
  const int64_t last = last_out * w.stride_h - w.pad_top + last_tap_row * w.dilation_h;
  return {std::max<int64_t>(first - w.patch_row0, 0),
          std::min<int64_t>(last - w.patch_row0, int64_t{w.patch_h} - 1)};
}

bool is_windowed_pool(VectorOp op) { return op == VectorOp::kMaxPool || op == VectorOp::kAvgPool; }

bool reads_src1(VectorOp op) { return op == VectorOp::kAdd || op == VectorOp::kMul; }

struct Visitor {
  uint64_t operand_bits;
  Accesses accesses;

  void operator()(const DmaLoad& load) {
    add_region(accesses.writes, load.sram,
               strided_extent(load.rows, load.row_bytes, load.sram_stride, 8));
  }

  void operator()(const DmaStore& store) {
    add_region(accesses.reads, store.sram,
               strided_extent(store.rows, store.row_bytes, store.sram_stride, 8));
  }

  void operator()(const MatrixPreload& preload) {
    const NmCompression& c = preload.compression;
    if (!c.compressed()) {
      add_region(accesses.reads, preload.weights,
                 strided_extent(preload.k_rows, preload.n_cols, preload.row_stride, operand_bits));
      return;
    }
    // The kept rows, then their indices right after kept x row_stride elements.
    if (preload.k_rows == 0 || preload.n_cols == 0) return;
    const uint64_t kept = nm_kept_rows(preload.k_rows, c.keep_n, c.group_m);
    add_region(accesses.reads, preload.weights,
               add(bytes_of(mul(kept, preload.row_stride), operand_bits),
                   nm_index_bytes(mul(kept, preload.n_cols), c.index_bits)));
  }

  void operator()(const MatrixMultiply& mm) {
    // No output rows or columns: nothing is computed, so nothing is read either.
    if (mm.m_rows == 0 || mm.n_cols == 0) return;
    // With k_rows == 0 every product is the empty sum: the accumulators are still written (zeros,
    // or unchanged values when accumulating), but no input is streamed.
    // Only the patch rows its output rows and kernel rows reach: a multiply over the first rows of
    // a band can start before the band's later rows have arrived.
    if (mm.k_rows != 0) {
      const auto [first, last] = patch_rows_read(mm);
      if (first <= last) {
        const uint64_t row_bytes =
            mul(mm.window.image_w, bytes_of(mm.window.patch_c, operand_bits));
        const SramAddr from{mm.input.buffer,
                            static_cast<uint32_t>(std::min<uint64_t>(
                                add(mm.input.offset, mul(static_cast<uint64_t>(first), row_bytes)),
                                std::numeric_limits<uint32_t>::max()))};
        add_region(accesses.reads, from, mul(static_cast<uint64_t>(last - first + 1), row_bytes));
      }
    }
    const uint64_t acc_bytes =
        strided_extent(mm.m_rows, mm.n_cols, mm.acc_row_stride, 8 * kAccumulatorBytes);
    if (mm.accumulate) add_region(accesses.reads, mm.acc, acc_bytes);
    add_region(accesses.writes, mm.acc, acc_bytes);
  }

  void operator()(const VectorInstr& v) {
    // Every vector op produces rows x cols elements (1 x cols for global pooling); with none to
    // produce it reads nothing.
    if (v.rows == 0 || v.cols == 0) return;
    const uint64_t src_element = element_bits(v.src_type);
    const uint64_t dst_element = element_bits(v.dst_type);
    const uint64_t src_bytes = is_windowed_pool(v.op)
                                   ? patch_extent(v.window, src_element)
                                   : strided_extent(v.rows, v.cols, v.src_row_stride, src_element);
    add_region(accesses.reads, v.src0, src_bytes);
    // Only add and mul have a second operand, shaped like the first; any other op ignores src1.
    if (reads_src1(v.op) && v.has_src1) add_region(accesses.reads, v.src1, src_bytes);
    if (v.has_params) add_region(accesses.reads, v.params, params_bytes(v));
    // Global pooling writes one row; a transpose writes cols rows of rows elements.
    uint64_t dst_bytes = strided_extent(v.rows, v.cols, v.dst_row_stride, dst_element);
    if (v.op == VectorOp::kGlobalAvgPool) dst_bytes = bytes_of(v.cols, dst_element);
    if (v.op == VectorOp::kTranspose) {
      dst_bytes = strided_extent(v.cols, v.rows, v.dst_row_stride, dst_element);
    }
    add_region(accesses.writes, v.dst, dst_bytes);
  }
};

}  // namespace

uint32_t params_bytes(VectorOp op, uint32_t cols, ElementType dst_type) {
  const bool float_out = is_float(dst_type);
  uint64_t bytes = 0;
  switch (op) {
    case VectorOp::kRequant:
      bytes = mul(cols, kRequantParamBytes);
      break;
    case VectorOp::kScaleShift:
      bytes = mul(cols, float_out ? kFloatScaleShiftParamBytes : kScaleShiftParamBytes);
      break;
    case VectorOp::kAdd:
      bytes = float_out ? kFloatAddParamBytes : kAddParamBytes;
      break;
    case VectorOp::kMul:
      bytes = float_out ? kFloatMulParamBytes : kMulParamBytes;
      break;
    case VectorOp::kActivation:
      // A float activation is computed, not looked up.
      bytes = float_out ? 0 : kActivationTableBytes;
      break;
    case VectorOp::kSoftmax:
      // The int8 block only dequantizes the input; float input needs nothing.
      bytes = float_out ? 0 : kSoftmaxParamBytes;
      break;
    case VectorOp::kLayerNorm:
      bytes = add(kLayerNormHeaderBytes, mul(cols, kLayerNormChannelBytes));
      break;
    case VectorOp::kMaxPool:
    case VectorOp::kAvgPool:
    case VectorOp::kGlobalAvgPool:
    case VectorOp::kCopy:
    case VectorOp::kTranspose:
      bytes = 0;
      break;
  }
  return static_cast<uint32_t>(std::min<uint64_t>(bytes, std::numeric_limits<uint32_t>::max()));
}

uint32_t params_bytes(const VectorInstr& v) { return params_bytes(v.op, v.cols, v.dst_type); }

Accesses sram_accesses(const Instruction& instruction, int operand_bytes) {
  assert(operand_bytes > 0 && "operand element size must be positive");
  Visitor visitor{8 * static_cast<uint64_t>(operand_bytes), {}};
  std::visit(visitor, instruction.payload);
  return visitor.accesses;
}

Accesses sram_accesses(const Instruction& instruction, ElementType operand_type) {
  Visitor visitor{static_cast<uint64_t>(element_bits(operand_type)), {}};
  std::visit(visitor, instruction.payload);
  return visitor.accesses;
}

bool overlaps(const SramRegion& a, const SramRegion& b) {
  return a.buffer == b.buffer && a.begin < b.end && b.begin < a.end;
}

}  // namespace npu::isa
