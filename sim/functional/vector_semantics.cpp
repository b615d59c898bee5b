#include "sim/functional/vector_semantics.h"

#include <algorithm>
#include <cmath>
#include <cstring>

#include "isa/accesses.h"
#include "sim/functional/element_codec.h"
#include "sim/functional/numerics.h"
#include "sim/functional/packed_integers.h"

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
    : m_in(interpreter), m_v(v), m_float(interpreter.m_float) {}

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
    case isa::VectorOp::kMul: return mul();
    case isa::VectorOp::kTranspose: return transpose();
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
                                 uint32_t row_stride, isa::ElementType type, bool for_write,
                                 const char* what) {
  MemoryImage& buffer = m_in.sram(base.buffer);
  for (uint64_t r = 0; r < rows; ++r) {
    const uint64_t addr = base.offset + row_offset(type, row_stride, r);
    const uint64_t length = isa::packed_bytes(type, cols);
    if (for_write) {
      m_in.require_write(buffer, addr, length, what);
    } else {
      m_in.require_read(buffer, addr, length, what);
    }
  }
}

const uint8_t* VectorSemantics::address(const isa::SramAddr& base, isa::ElementType type,
                                        uint32_t row_stride, uint32_t r, uint32_t c) const {
  return m_in.sram(base.buffer).data() + base.offset +
         (uint64_t{r} * row_stride + c) * isa::element_bytes(type);
}

int32_t VectorSemantics::element(const isa::SramAddr& base, isa::ElementType type,
                                 uint32_t row_stride, uint32_t r, uint32_t c) const {
  const uint8_t* row =
      m_in.sram(base.buffer).data() + base.offset + row_offset(type, row_stride, r);
  return read_integer(row, type, c);
}

float VectorSemantics::value(const isa::SramAddr& base, uint32_t row_stride, uint32_t r,
                             uint32_t c) const {
  return decode_float(address(base, m_v.src_type, row_stride, r, c), m_v.src_type);
}

void VectorSemantics::store(uint32_t r, uint32_t c, int32_t value) {
  if (value < min_value(m_v.dst_type) || value > max_value(m_v.dst_type)) {
    m_in.fail("computes " + std::to_string(value) + ", outside " + isa::to_string(m_v.dst_type) +
              " (its parameter block clamps to a wider range than its destination holds)");
  }
  write_integer(m_in.sram(m_v.dst.buffer),
                m_v.dst.offset + row_offset(m_v.dst_type, m_v.dst_row_stride, r), m_v.dst_type, c,
                value);
}

int32_t VectorSemantics::saturate(int64_t value) const {
  return static_cast<int32_t>(
      std::clamp<int64_t>(value, min_value(m_v.dst_type), max_value(m_v.dst_type)));
}

void VectorSemantics::store_float(uint32_t r, uint32_t c, float value) {
  const int bytes = isa::element_bytes(m_v.dst_type);
  const uint64_t addr = m_v.dst.offset + (uint64_t{r} * m_v.dst_row_stride + c) * bytes;
  uint8_t encoded[4];
  encode_float(encoded, m_v.dst_type, value);
  m_in.sram(m_v.dst.buffer).write(addr, encoded, static_cast<uint64_t>(bytes));
}

void VectorSemantics::require_output(uint32_t rows) {
  const bool float_out = isa::is_float(m_v.dst_type);
  if (float_out != m_float) {
    m_in.fail(std::string("writes ") + isa::to_string(m_v.dst_type) + " results in a " +
              (m_float ? "float" : "int8") + " model");
  }
  if (!float_out && m_v.dst_type != isa::ElementType::kInt8 &&
      m_v.dst_type != isa::ElementType::kInt4) {
    m_in.fail(std::string("writes ") + isa::to_string(m_v.dst_type) +
              " results; int8 or int4 expected");
  }
  check_rows(m_v.dst, rows, m_v.cols, m_v.dst_row_stride, m_v.dst_type, true, "destination");
}

void VectorSemantics::check_source(const isa::SramAddr& base, const char* what) {
  check_rows(base, m_v.rows, m_v.cols, m_v.src_row_stride, m_v.src_type, false, what);
}

// int8: per channel {bias, M0, shift, z_out, q_min, q_max}; float: {bias, lo, hi}.
void VectorSemantics::requant() {
  const isa::ElementType expected = m_float ? isa::ElementType::kFp32 : isa::ElementType::kInt32;
  if (m_v.src_type != expected) {
    m_in.fail(std::string("requantizes ") + isa::to_string(m_v.src_type) + " accumulators; " +
              isa::to_string(expected) + " expected");
  }
  check_source(m_v.src0, "accumulators");
  require_output(m_v.rows);
  for (uint32_t c = 0; c < m_v.cols; ++c) {
    const uint8_t* record = &m_params[c * isa::kRequantParamBytes];
    if (m_float) {
      const float bias = load_le<float>(record);
      const float lo = load_le<float>(record + 4);
      const float hi = load_le<float>(record + 8);
      for (uint32_t r = 0; r < m_v.rows; ++r) {
        const float acc = value(m_v.src0, m_v.src_row_stride, r, c);
        store_float(r, c, std::min(std::max(acc + bias, lo), hi));
      }
      continue;
    }
    const int32_t bias = load_le<int32_t>(record);
    const int32_t multiplier = load_le<int32_t>(record + 4);
    const int shift = static_cast<int8_t>(record[8]);
    const int32_t zero_point = static_cast<int8_t>(record[9]);
    const int32_t q_min = static_cast<int8_t>(record[10]);
    const int32_t q_max = static_cast<int8_t>(record[11]);
    for (uint32_t r = 0; r < m_v.rows; ++r) {
      const int32_t acc = wrapping_add(element(m_v.src0, m_v.src_type, m_v.src_row_stride, r, c), bias);
      const int64_t scaled =
          int64_t{zero_point} + multiply_by_quantized_multiplier(acc, multiplier, shift);
      store(r, c, static_cast<int32_t>(std::clamp<int64_t>(scaled, q_min, q_max)));
    }
  }
}

void VectorSemantics::add() {
  if (!m_v.has_src1) m_in.fail("adds two operands but names no src1");
  check_source(m_v.src0, "first operand");
  check_source(m_v.src1, "second operand");
  require_output(m_v.rows);
  if (m_float) {
    const float lo = load_le<float>(&m_params[0]);
    const float hi = load_le<float>(&m_params[4]);
    for (uint32_t r = 0; r < m_v.rows; ++r) {
      for (uint32_t c = 0; c < m_v.cols; ++c) {
        const float sum = value(m_v.src0, m_v.src_row_stride, r, c) +
                          value(m_v.src1, m_v.src_row_stride, r, c);
        store_float(r, c, std::min(std::max(sum, lo), hi));
      }
    }
    return;
  }
  int32_t p[12];
  std::memcpy(p, m_params.data(), sizeof(p));
  const int left_shift = p[9];
  for (uint32_t r = 0; r < m_v.rows; ++r) {
    for (uint32_t c = 0; c < m_v.cols; ++c) {
      const int32_t q1 = element(m_v.src0, m_v.src_type, m_v.src_row_stride, r, c);
      const int32_t q2 = element(m_v.src1, m_v.src_type, m_v.src_row_stride, r, c);
      const int32_t a = multiply_by_quantized_multiplier((q1 - p[2]) * (1 << left_shift), p[0], p[1]);
      const int32_t b = multiply_by_quantized_multiplier((q2 - p[5]) * (1 << left_shift), p[3], p[4]);
      const int64_t sum = int64_t{p[8]} + multiply_by_quantized_multiplier(a + b, p[6], p[7]);
      store(r, c, static_cast<int32_t>(std::clamp<int64_t>(sum, p[10], p[11])));
    }
  }
}

// int8: int32 {z1, z2, M0, shift, z_out, q_min, q_max, unused}; float: {lo, hi}.
void VectorSemantics::mul() {
  if (!m_v.has_src1) m_in.fail("multiplies two operands but names no src1");
  check_source(m_v.src0, "first operand");
  check_source(m_v.src1, "second operand");
  require_output(m_v.rows);
  if (m_float) {
    const float lo = load_le<float>(&m_params[0]);
    const float hi = load_le<float>(&m_params[4]);
    for (uint32_t r = 0; r < m_v.rows; ++r) {
      for (uint32_t c = 0; c < m_v.cols; ++c) {
        const float product =
            value(m_v.src0, m_v.src_row_stride, r, c) * value(m_v.src1, m_v.src_row_stride, r, c);
        store_float(r, c, std::min(std::max(product, lo), hi));
      }
    }
    return;
  }
  int32_t p[8];
  std::memcpy(p, m_params.data(), sizeof(p));
  for (uint32_t r = 0; r < m_v.rows; ++r) {
    for (uint32_t c = 0; c < m_v.cols; ++c) {
      const int32_t q1 = element(m_v.src0, m_v.src_type, m_v.src_row_stride, r, c);
      const int32_t q2 = element(m_v.src1, m_v.src_type, m_v.src_row_stride, r, c);
      // |q - z| <= 255 for int8 q and z, so the product fits int32 with room to spare.
      const int32_t product = (q1 - p[0]) * (q2 - p[1]);
      const int64_t scaled = int64_t{p[4]} + multiply_by_quantized_multiplier(product, p[2], p[3]);
      store(r, c, static_cast<int32_t>(std::clamp<int64_t>(scaled, p[5], p[6])));
    }
  }
}

// int8: a 256-entry table; float: the function itself, in float32.
void VectorSemantics::table_lookup() {
  check_source(m_v.src0, "source");
  require_output(m_v.rows);
  for (uint32_t r = 0; r < m_v.rows; ++r) {
    for (uint32_t c = 0; c < m_v.cols; ++c) {
      if (m_float) {
        store_float(r, c, activation(value(m_v.src0, m_v.src_row_stride, r, c)));
      } else {
        const int32_t q = element(m_v.src0, m_v.src_type, m_v.src_row_stride, r, c);
        store(r, c, static_cast<int8_t>(m_params[static_cast<size_t>(q + 128)]));
      }
    }
  }
}

float VectorSemantics::activation(float x) const {
  switch (m_v.activation) {
    case isa::VectorActivation::kNone: return x;
    case isa::VectorActivation::kRelu: return std::max(x, 0.0f);
    case isa::VectorActivation::kRelu6: return std::min(std::max(x, 0.0f), 6.0f);
    case isa::VectorActivation::kSigmoid: return 1.0f / (1.0f + std::exp(-x));
    case isa::VectorActivation::kTanh: return std::tanh(x);
    case isa::VectorActivation::kGelu: return 0.5f * x * (1.0f + std::erf(x / std::sqrt(2.0f)));
  }
  return x;
}

void VectorSemantics::scale_shift() {
  check_source(m_v.src0, "source");
  require_output(m_v.rows);
  for (uint32_t c = 0; c < m_v.cols; ++c) {
    if (m_float) {
      const uint8_t* record = &m_params[c * isa::params_bytes(isa::VectorOp::kScaleShift, 1, m_v.dst_type)];
      const float a = load_le<float>(record);
      const float b = load_le<float>(record + 4);
      for (uint32_t r = 0; r < m_v.rows; ++r) {
        store_float(r, c, a * value(m_v.src0, m_v.src_row_stride, r, c) + b);
      }
      continue;
    }
    const uint8_t* record = &m_params[c * isa::kScaleShiftParamBytes];
    const int32_t multiplier = load_le<int32_t>(record);
    const int32_t offset = load_le<int32_t>(record + 4);
    const int shift = static_cast<int8_t>(record[8]);
    const int32_t zero_in = static_cast<int8_t>(record[9]);
    const int32_t zero_out = static_cast<int8_t>(record[10]);
    for (uint32_t r = 0; r < m_v.rows; ++r) {
      const int32_t q = element(m_v.src0, m_v.src_type, m_v.src_row_stride, r, c);
      store(r, c,
            saturate(int64_t{zero_out} + offset +
                     multiply_by_quantized_multiplier(q - zero_in, multiplier, shift)));
    }
  }
}

void VectorSemantics::window_pool() {
  const isa::ConvWindow& w = m_v.window;
  if (w.patch_c < m_v.cols || w.out_w == 0) m_in.fail("pools more channels than its patch holds");
  require_output(m_v.rows);
  MemoryImage& input = m_in.sram(m_v.src0.buffer);
  const isa::ElementType type = m_v.src_type;
  const bool is_max = m_v.op == isa::VectorOp::kMaxPool;
  for (uint32_t m = 0; m < m_v.rows; ++m) {
    const int64_t oh = int64_t{w.out_row0} + m / w.out_w;
    const int64_t ow = m % w.out_w;
    for (uint32_t c = 0; c < m_v.cols; ++c) {
      int32_t best = -128, sum = 0, count = 0;
      float best_float = -INFINITY, sum_float = 0.0f;
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
          const uint64_t pixel =
              m_v.src0.offset +
              row_offset(type, w.patch_c, static_cast<uint64_t>(patch_row * w.image_w + iw));
          // The bytes holding channel c: an int4 element lies in one byte it shares.
          const uint64_t addr = pixel + uint64_t{c} * isa::element_bits(type) / 8;
          m_in.require_read(input, addr, std::max<uint64_t>(1, isa::element_bits(type) / 8),
                            "patch");
          ++count;
          if (m_float) {
            const float x = decode_float(input.data() + addr, m_v.src_type);
            best_float = std::max(best_float, x);
            sum_float += x;
          } else {
            const int32_t q = read_integer(input.data() + pixel, type, c);
            best = std::max(best, q);
            sum += q;
          }
        }
      }
      if (count == 0) m_in.fail("has an output whose window holds no image element");
      if (m_float) {
        store_float(m, c, is_max ? best_float : sum_float / static_cast<float>(count));
      } else if (is_max) {
        store(m, c, best);
      } else {
        store(m, c, sum >= 0 ? (sum + count / 2) / count : (sum - count / 2) / count);
      }
    }
  }
}

void VectorSemantics::global_pool() {
  check_source(m_v.src0, "source");
  require_output(1);
  const int32_t n = static_cast<int32_t>(m_v.rows);
  if (n == 0) m_in.fail("averages zero rows");
  for (uint32_t c = 0; c < m_v.cols; ++c) {
    if (m_float) {
      float sum = 0.0f;
      for (uint32_t r = 0; r < m_v.rows; ++r) sum += value(m_v.src0, m_v.src_row_stride, r, c);
      store_float(0, c, sum / static_cast<float>(n));
      continue;
    }
    int32_t sum = 0;
    for (uint32_t r = 0; r < m_v.rows; ++r) sum += element(m_v.src0, m_v.src_type, m_v.src_row_stride, r, c);
    store(0, c, sum >= 0 ? (sum + n / 2) / n : (sum - n / 2) / n);
  }
}

// Row values in float32: dequantized int8 (scale, zero point from the block) or the float values.
void VectorSemantics::row_values(uint32_t r, float scale, int32_t zero_point, std::vector<float>& x) const {
  for (uint32_t c = 0; c < m_v.cols; ++c) {
    x[c] = m_float ? value(m_v.src0, m_v.src_row_stride, r, c)
                   : scale * static_cast<float>(element(m_v.src0, m_v.src_type, m_v.src_row_stride, r, c) - zero_point);
  }
}

void VectorSemantics::softmax() {
  check_source(m_v.src0, "source");
  require_output(m_v.rows);
  const float scale = m_float ? 1.0f : load_le<float>(&m_params[0]);
  const int32_t zero_point = m_float ? 0 : load_le<int32_t>(&m_params[4]);
  const float inverse_scale_out = m_float ? 1.0f : load_le<float>(&m_params[8]);
  const int32_t zero_out = m_float ? 0 : load_le<int32_t>(&m_params[12]);
  std::vector<float> x(m_v.cols);
  for (uint32_t r = 0; r < m_v.rows; ++r) {
    row_values(r, scale, zero_point, x);
    float largest = -INFINITY;
    for (float v : x) largest = std::max(largest, v);
    float total = 0.0f;
    for (float& v : x) {
      v = std::exp(v - largest);
      total += v;
    }
    for (uint32_t c = 0; c < m_v.cols; ++c) {
      const float p = x[c] / total;
      if (m_float) {
        store_float(r, c, p);
      } else {
        store(r, c, saturate(round_away(static_cast<double>(p * inverse_scale_out)) + zero_out));
      }
    }
  }
}

void VectorSemantics::layer_norm() {
  check_source(m_v.src0, "source");
  require_output(m_v.rows);
  const float scale_in = load_le<float>(&m_params[0]);
  const int32_t zero_in = load_le<int32_t>(&m_params[4]);
  const float inverse_scale_out = load_le<float>(&m_params[8]);
  const int32_t zero_out = load_le<int32_t>(&m_params[12]);
  const float epsilon = load_le<float>(&m_params[16]);
  const float count = static_cast<float>(m_v.cols);
  std::vector<float> x(m_v.cols);
  for (uint32_t r = 0; r < m_v.rows; ++r) {
    row_values(r, scale_in, zero_in, x);
    float sum = 0.0f;
    for (float v : x) sum += v;
    const float mean = sum / count;
    float squares = 0.0f;
    for (float v : x) squares += (v - mean) * (v - mean);
    const float deviation = std::sqrt(squares / count + epsilon);
    for (uint32_t c = 0; c < m_v.cols; ++c) {
      const uint8_t* channel = &m_params[isa::kLayerNormHeaderBytes + c * isa::kLayerNormChannelBytes];
      const float y = (x[c] - mean) / deviation * load_le<float>(channel) + load_le<float>(channel + 4);
      if (m_float) {
        store_float(r, c, y);
      } else {
        store(r, c, saturate(round_away(static_cast<double>(y * inverse_scale_out)) + zero_out));
      }
    }
  }
}

// Rows start on a byte in every type, so a row moves as its whole bytes (an odd int4 row with its
// padding nibble).
void VectorSemantics::copy() {
  if (m_v.src_type != m_v.dst_type) m_in.fail("copies between different element types");
  const isa::ElementType type = m_v.src_type;
  check_rows(m_v.src0, m_v.rows, m_v.cols, m_v.src_row_stride, type, false, "source");
  check_rows(m_v.dst, m_v.rows, m_v.cols, m_v.dst_row_stride, type, true, "destination");
  MemoryImage& from = m_in.sram(m_v.src0.buffer);
  MemoryImage& to = m_in.sram(m_v.dst.buffer);
  const uint64_t length = isa::packed_bytes(type, m_v.cols);
  std::vector<uint8_t> row(length);
  for (uint64_t r = 0; r < m_v.rows; ++r) {
    from.read(m_v.src0.offset + row_offset(type, m_v.src_row_stride, r), row.data(), length);
    to.write(m_v.dst.offset + row_offset(type, m_v.dst_row_stride, r), row.data(), length);
  }
}

// Moves elements unchanged, whatever their type: dst(c, r) = src0(r, c).
void VectorSemantics::transpose() {
  if (m_v.src_type != m_v.dst_type) m_in.fail("transposes between different element types");
  check_rows(m_v.src0, m_v.rows, m_v.cols, m_v.src_row_stride, m_v.src_type, false, "source");
  check_rows(m_v.dst, m_v.cols, m_v.rows, m_v.dst_row_stride, m_v.dst_type, true, "destination");
  if (m_v.src_type == isa::ElementType::kInt4) return transpose_packed();
  const int bytes = isa::element_bytes(m_v.src_type);
  MemoryImage& from = m_in.sram(m_v.src0.buffer);
  MemoryImage& to = m_in.sram(m_v.dst.buffer);
  // Read the whole source first: a destination overlapping it must not feed later reads.
  std::vector<uint8_t> source(uint64_t{m_v.rows} * m_v.cols * bytes);
  const uint64_t row_length = uint64_t{m_v.cols} * bytes;
  for (uint64_t r = 0; r < m_v.rows; ++r) {
    from.read(m_v.src0.offset + r * m_v.src_row_stride * bytes, &source[r * row_length],
              row_length);
  }
  std::vector<uint8_t> row(uint64_t{m_v.rows} * bytes);
  for (uint64_t c = 0; c < m_v.cols; ++c) {
    for (uint64_t r = 0; r < m_v.rows; ++r) {
      std::memcpy(&row[r * bytes], &source[r * row_length + c * bytes], static_cast<size_t>(bytes));
    }
    to.write(m_v.dst.offset + c * m_v.dst_row_stride * bytes, row.data(), row.size());
  }
}

// int4 elements share bytes, so they move one at a time, the whole source read first.
void VectorSemantics::transpose_packed() {
  std::vector<int32_t> source(uint64_t{m_v.rows} * m_v.cols);
  for (uint32_t r = 0; r < m_v.rows; ++r) {
    for (uint32_t c = 0; c < m_v.cols; ++c) {
      source[uint64_t{r} * m_v.cols + c] =
          element(m_v.src0, m_v.src_type, m_v.src_row_stride, r, c);
    }
  }
  for (uint32_t c = 0; c < m_v.cols; ++c) {
    for (uint32_t r = 0; r < m_v.rows; ++r) store(c, r, source[uint64_t{r} * m_v.cols + c]);
  }
}

}  // namespace npu::functional
