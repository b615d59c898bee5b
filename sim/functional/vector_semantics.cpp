#include "sim/functional/vector_semantics.h"

#include <algorithm>
#include <cmath>
#include <cstring>

#include "isa/accesses.h"
#include "sim/functional/numerics.h"

namespace npu::functional {
namespace {

template <typename T>
T load_le(const uint8_t* bytes) {
  T value;
  std::memcpy(&value, bytes, sizeof(T));
  return value;
}

int32_t wrapping_add(int32_t a, int32_t b) {
  return static_cast<int32_t>(static_cast<uint32_t>(a) + static_cast<uint32_t>(b));
}

}  // namespace

VectorSemantics::VectorSemantics(Interpreter& interpreter, const isa::VectorInstr& v)
    : m_in(interpreter), m_v(v) {}

void VectorSemantics::run() {
  load_params();
  switch (m_v.op) {
    case isa::VectorOp::kRequant: return requant();
    case isa::VectorOp::kAdd: return add();
    case isa::VectorOp::kActivation: return table_lookup();
    case isa::VectorOp::kScaleShift: return scale_shift();
    case isa::VectorOp::kMaxPool:
    case isa::VectorOp::kAvgPool: return window_pool();
    case isa::VectorOp::kGlobalAvgPool: return global_pool();
    case isa::VectorOp::kSoftmax: return softmax();
    case isa::VectorOp::kLayerNorm: return layer_norm();
    case isa::VectorOp::kCopy: return copy();
  }
}

void VectorSemantics::load_params() {
  const uint32_t bytes = isa::params_bytes(m_v);
  if (bytes == 0) return;
  if (!m_v.has_params) m_in.fail("needs a parameter block and names none");
  MemoryImage& buffer = m_in.sram(m_v.params.buffer);
  m_in.require_read(buffer, m_v.params.offset, bytes, "parameters");
  m_params.assign(buffer.data() + m_v.params.offset, buffer.data() + m_v.params.offset + bytes);
}

void VectorSemantics::check_rows(const isa::SramAddr& base, uint32_t rows, uint32_t cols,
                                 uint32_t row_stride, int element_bytes, bool for_write,
                                 const char* what) {
  MemoryImage& buffer = m_in.sram(base.buffer);
  for (uint64_t r = 0; r < rows; ++r) {
    const uint64_t addr = base.offset + r * row_stride * element_bytes;
    const uint64_t length = uint64_t{cols} * element_bytes;
    if (for_write) {
      m_in.require_write(buffer, addr, length, what);
    } else {
      m_in.require_read(buffer, addr, length, what);
    }
  }
}

int32_t VectorSemantics::element(const isa::SramAddr& base, int element_bytes, uint32_t row_stride,
                                 uint32_t r, uint32_t c) const {
  const uint8_t* at = m_in.sram(base.buffer).data() + base.offset +
                      (uint64_t{r} * row_stride + c) * element_bytes;
  if (element_bytes == 4) return load_le<int32_t>(at);
  return static_cast<int8_t>(*at);
}

void VectorSemantics::store_int8(uint32_t r, uint32_t c, int32_t value) {
  const uint64_t addr = m_v.dst.offset + (uint64_t{r} * m_v.dst_row_stride + c);
  const uint8_t byte = static_cast<uint8_t>(static_cast<int8_t>(value));
  m_in.sram(m_v.dst.buffer).write(addr, &byte, 1);
}

void VectorSemantics::require_int8_output() {
  if (m_v.dst_bytes != 1) m_in.fail("writes int8 results but says dst_bytes=" + std::to_string(m_v.dst_bytes));
  check_rows(m_v.dst, m_v.rows, m_v.cols, m_v.dst_row_stride, 1, true, "destination");
}

void VectorSemantics::requant() {
  if (m_v.src_bytes != 4) m_in.fail("requantizes int32 accumulators but says src_bytes=" + std::to_string(m_v.src_bytes));
  check_rows(m_v.src0, m_v.rows, m_v.cols, m_v.src_row_stride, 4, false, "accumulators");
  require_int8_output();
  for (uint32_t c = 0; c < m_v.cols; ++c) {
    const uint8_t* record = &m_params[c * isa::kRequantParamBytes];
    const int32_t bias = load_le<int32_t>(record);
    const int32_t multiplier = load_le<int32_t>(record + 4);
    const int shift = static_cast<int8_t>(record[8]);
    const int32_t zero_point = static_cast<int8_t>(record[9]);
    const int32_t q_min = static_cast<int8_t>(record[10]);
    const int32_t q_max = static_cast<int8_t>(record[11]);
    for (uint32_t r = 0; r < m_v.rows; ++r) {
      const int32_t acc = wrapping_add(element(m_v.src0, 4, m_v.src_row_stride, r, c), bias);
      const int64_t scaled =
          int64_t{zero_point} + multiply_by_quantized_multiplier(acc, multiplier, shift);
      store_int8(r, c, static_cast<int32_t>(std::clamp<int64_t>(scaled, q_min, q_max)));
    }
  }
}

void VectorSemantics::add() {
  if (!m_v.has_src1) m_in.fail("adds two operands but names no src1");
  check_rows(m_v.src0, m_v.rows, m_v.cols, m_v.src_row_stride, 1, false, "first operand");
  check_rows(m_v.src1, m_v.rows, m_v.cols, m_v.src_row_stride, 1, false, "second operand");
  require_int8_output();
  int32_t p[12];
  std::memcpy(p, m_params.data(), sizeof(p));
  const int left_shift = p[9];
  for (uint32_t r = 0; r < m_v.rows; ++r) {
    for (uint32_t c = 0; c < m_v.cols; ++c) {
      const int32_t q1 = element(m_v.src0, 1, m_v.src_row_stride, r, c);
      const int32_t q2 = element(m_v.src1, 1, m_v.src_row_stride, r, c);
      const int32_t a = multiply_by_quantized_multiplier((q1 - p[2]) * (1 << left_shift), p[0], p[1]);
      const int32_t b = multiply_by_quantized_multiplier((q2 - p[5]) * (1 << left_shift), p[3], p[4]);
      const int64_t sum = int64_t{p[8]} + multiply_by_quantized_multiplier(a + b, p[6], p[7]);
      store_int8(r, c, static_cast<int32_t>(std::clamp<int64_t>(sum, p[10], p[11])));
    }
  }
}

void VectorSemantics::table_lookup() {
  check_rows(m_v.src0, m_v.rows, m_v.cols, m_v.src_row_stride, 1, false, "source");
  require_int8_output();
  for (uint32_t r = 0; r < m_v.rows; ++r) {
    for (uint32_t c = 0; c < m_v.cols; ++c) {
      const int32_t q = element(m_v.src0, 1, m_v.src_row_stride, r, c);
      store_int8(r, c, static_cast<int8_t>(m_params[static_cast<size_t>(q + 128)]));
    }
  }
}

void VectorSemantics::scale_shift() {
  check_rows(m_v.src0, m_v.rows, m_v.cols, m_v.src_row_stride, 1, false, "source");
  require_int8_output();
  for (uint32_t c = 0; c < m_v.cols; ++c) {
    const uint8_t* record = &m_params[c * isa::kScaleShiftParamBytes];
    const int32_t multiplier = load_le<int32_t>(record);
    const int32_t offset = load_le<int32_t>(record + 4);
    const int shift = static_cast<int8_t>(record[8]);
    const int32_t zero_in = static_cast<int8_t>(record[9]);
    const int32_t zero_out = static_cast<int8_t>(record[10]);
    for (uint32_t r = 0; r < m_v.rows; ++r) {
      const int32_t q = element(m_v.src0, 1, m_v.src_row_stride, r, c);
      store_int8(r, c, saturate_int8(int64_t{zero_out} + offset +
                                     multiply_by_quantized_multiplier(q - zero_in, multiplier, shift)));
    }
  }
}

void VectorSemantics::window_pool() {
  const isa::ConvWindow& w = m_v.window;
  if (w.patch_c < m_v.cols || w.out_w == 0) m_in.fail("pools more channels than its patch holds");
  require_int8_output();
  MemoryImage& input = m_in.sram(m_v.src0.buffer);
  const bool is_max = m_v.op == isa::VectorOp::kMaxPool;
  for (uint32_t m = 0; m < m_v.rows; ++m) {
    const int64_t oh = int64_t{w.out_row0} + m / w.out_w;
    const int64_t ow = m % w.out_w;
    for (uint32_t c = 0; c < m_v.cols; ++c) {
      int32_t best = -128;
      int32_t sum = 0;
      int32_t count = 0;
      for (int64_t kh = 0; kh < w.kernel_h; ++kh) {
        const int64_t ih = oh * w.stride_h - w.pad_top + kh * w.dilation_h;
        if (ih < 0 || ih >= w.image_h) continue;
        for (int64_t kw = 0; kw < w.kernel_w; ++kw) {
          const int64_t iw = ow * w.stride_w - w.pad_left + kw * w.dilation_w;
          if (iw < 0 || iw >= w.image_w) continue;
          const int64_t patch_row = ih - w.patch_row0;
          if (patch_row < 0 || patch_row >= w.patch_h) {
            m_in.fail("needs image row " + std::to_string(ih) + " outside its patch");
          }
          const uint64_t addr =
              m_v.src0.offset + static_cast<uint64_t>((patch_row * w.image_w + iw) * w.patch_c + c);
          if (addr >= input.size() || !input.written(addr)) m_in.require_read(input, addr, 1, "patch");
          const int32_t q = static_cast<int8_t>(input.data()[addr]);
          best = std::max(best, q);
          sum += q;
          ++count;
        }
      }
      if (count == 0) m_in.fail("has an output whose window holds no image element");
      if (is_max) {
        store_int8(m, c, best);
      } else {
        store_int8(m, c, sum >= 0 ? (sum + count / 2) / count : (sum - count / 2) / count);
      }
    }
  }
}

void VectorSemantics::global_pool() {
  check_rows(m_v.src0, m_v.rows, m_v.cols, m_v.src_row_stride, 1, false, "source");
  if (m_v.dst_bytes != 1) m_in.fail("writes int8 results but says dst_bytes=" + std::to_string(m_v.dst_bytes));
  check_rows(m_v.dst, 1, m_v.cols, m_v.dst_row_stride, 1, true, "destination");
  const int32_t n = static_cast<int32_t>(m_v.rows);
  if (n == 0) m_in.fail("averages zero rows");
  for (uint32_t c = 0; c < m_v.cols; ++c) {
    int32_t sum = 0;
    for (uint32_t r = 0; r < m_v.rows; ++r) sum += element(m_v.src0, 1, m_v.src_row_stride, r, c);
    store_int8(0, c, sum >= 0 ? (sum + n / 2) / n : (sum - n / 2) / n);
  }
}

void VectorSemantics::softmax() {
  check_rows(m_v.src0, m_v.rows, m_v.cols, m_v.src_row_stride, 1, false, "source");
  require_int8_output();
  const float scale = load_le<float>(&m_params[0]);
  const int32_t zero_point = load_le<int32_t>(&m_params[4]);
  std::vector<float> values(m_v.cols);
  for (uint32_t r = 0; r < m_v.rows; ++r) {
    float largest = -INFINITY;
    for (uint32_t c = 0; c < m_v.cols; ++c) {
      values[c] = scale * static_cast<float>(element(m_v.src0, 1, m_v.src_row_stride, r, c) - zero_point);
      largest = std::max(largest, values[c]);
    }
    float total = 0.0f;
    for (uint32_t c = 0; c < m_v.cols; ++c) {
      values[c] = std::exp(values[c] - largest);
      total += values[c];
    }
    for (uint32_t c = 0; c < m_v.cols; ++c) {
      const float p = values[c] / total;
      store_int8(r, c, saturate_int8(round_away(static_cast<double>(p * 256.0f)) - 128));
    }
  }
}

void VectorSemantics::layer_norm() {
  check_rows(m_v.src0, m_v.rows, m_v.cols, m_v.src_row_stride, 1, false, "source");
  require_int8_output();
  const float scale_in = load_le<float>(&m_params[0]);
  const int32_t zero_in = load_le<int32_t>(&m_params[4]);
  const float inverse_scale_out = load_le<float>(&m_params[8]);
  const int32_t zero_out = load_le<int32_t>(&m_params[12]);
  const float epsilon = load_le<float>(&m_params[16]);
  const float count = static_cast<float>(m_v.cols);
  std::vector<float> x(m_v.cols);
  for (uint32_t r = 0; r < m_v.rows; ++r) {
    float sum = 0.0f;
    for (uint32_t c = 0; c < m_v.cols; ++c) {
      x[c] = scale_in * static_cast<float>(element(m_v.src0, 1, m_v.src_row_stride, r, c) - zero_in);
      sum += x[c];
    }
    const float mean = sum / count;
    float squares = 0.0f;
    for (uint32_t c = 0; c < m_v.cols; ++c) squares += (x[c] - mean) * (x[c] - mean);
    const float deviation = std::sqrt(squares / count + epsilon);
    for (uint32_t c = 0; c < m_v.cols; ++c) {
      const uint8_t* channel = &m_params[isa::kLayerNormHeaderBytes + c * isa::kLayerNormChannelBytes];
      const float gamma = load_le<float>(channel);
      const float beta = load_le<float>(channel + 4);
      const float y = (x[c] - mean) / deviation * gamma + beta;
      store_int8(r, c, saturate_int8(round_away(static_cast<double>(y * inverse_scale_out)) + zero_out));
    }
  }
}

void VectorSemantics::copy() {
  if (m_v.src_bytes != m_v.dst_bytes) m_in.fail("copies between different element sizes");
  check_rows(m_v.src0, m_v.rows, m_v.cols, m_v.src_row_stride, m_v.src_bytes, false, "source");
  check_rows(m_v.dst, m_v.rows, m_v.cols, m_v.dst_row_stride, m_v.dst_bytes, true, "destination");
  MemoryImage& from = m_in.sram(m_v.src0.buffer);
  MemoryImage& to = m_in.sram(m_v.dst.buffer);
  const uint64_t length = uint64_t{m_v.cols} * m_v.src_bytes;
  std::vector<uint8_t> row(length);
  for (uint64_t r = 0; r < m_v.rows; ++r) {
    from.read(m_v.src0.offset + r * m_v.src_row_stride * m_v.src_bytes, row.data(), length);
    to.write(m_v.dst.offset + r * m_v.dst_row_stride * m_v.dst_bytes, row.data(), length);
  }
}

}  // namespace npu::functional
