#include "tests/reference/reference_ops.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <stdexcept>
#include <string>

#include "sim/functional/numerics.h"
#include "tests/reference/reference_common.h"

namespace npu::reference {
namespace {

using compiler::Activation;
using compiler::Window;
using functional::multiply_by_quantized_multiplier;
using functional::quantize_multiplier;
using functional::QuantizedMultiplier;
using functional::round_away;

using detail::check_rank;
using detail::check_shape;
using detail::fail;
using detail::rows_of;
using detail::shape_text;
using detail::window_shape;
using detail::WindowShape;

void check_quant(const std::string& op, const Quant& q, const char* what) {
  if (q.bits != 8 && q.bits != 4) {
    fail(op, std::string(what) + " quantization must be 8 or 4 bits wide, got " +
                 std::to_string(q.bits));
  }
  if (!(q.scale > 0.0f) || !std::isfinite(q.scale) || q.zero_point < q.min_value() ||
      q.zero_point > q.max_value()) {
    fail(op, std::string(what) + " quantization must have a finite scale > 0 and a zero point in " +
                 "[" + std::to_string(q.min_value()) + ", " + std::to_string(q.max_value()) +
                 "], got scale " + std::to_string(q.scale) + ", zero point " +
                 std::to_string(q.zero_point));
  }
}

// int4 tensors hold their values one per int8 element; each must be in the tensor's range.
void check_tensor(const std::string& op, const QTensor& t, const char* what) {
  check_shape(op, t.shape, t.data.size(), what);
  check_quant(op, t.quant, what);
  for (int8_t q : t.data) {
    if (q < t.quant.min_value() || q > t.quant.max_value()) {
      fail(op, std::string(what) + " holds " + std::to_string(q) + ", outside its " +
                   std::to_string(t.quant.bits) + "-bit range");
    }
  }
}

// Saturation to the output's range: [-128, 127] for int8, [-8, 7] for int4.
int8_t saturate_to(int64_t value, const Quant& out) {
  return static_cast<int8_t>(std::clamp<int64_t>(value, out.min_value(), out.max_value()));
}

// The clamp of a requantization, which is how relu and relu6 are fused (docs/numerics.md,
// vec.requant), within the output's range.
struct Bounds {
  int32_t low = -128;
  int32_t high = 127;
};

Bounds fused_bounds(const std::string& op, Activation fused, Quant out) {
  const int32_t lo = out.min_value(), hi = out.max_value();
  switch (fused) {
    case Activation::kNone:
      return {lo, hi};
    case Activation::kRelu:
      return {std::max(lo, out.zero_point), hi};
    case Activation::kRelu6: {
      const int64_t six = round_away(6.0 / static_cast<double>(out.scale));
      return {std::max(lo, out.zero_point),
              static_cast<int32_t>(std::min<int64_t>(hi, out.zero_point + six))};
    }
    default:
      fail(op, std::string("only none, relu and relu6 fuse into a requantization, got ") +
                   compiler::to_string(fused) + " (make it a separate activation layer)");
  }
}

// m = a x b / c from float scales, computed in double, left to right as the spec writes it.
QuantizedMultiplier multiplier_of(float a, float b, float c) {
  return quantize_multiplier(static_cast<double>(a) * static_cast<double>(b) /
                             static_cast<double>(c));
}

int32_t to_int32(const std::string& op, int64_t value) {
  if (value < std::numeric_limits<int32_t>::min() || value > std::numeric_limits<int32_t>::max()) {
    fail(op, "int32 accumulator overflows: " + std::to_string(value));
  }
  return static_cast<int32_t>(value);
}

int8_t requantize(const std::string& op, int64_t acc, QuantizedMultiplier m, int32_t z_out,
                  Bounds bounds) {
  const int64_t scaled = multiply_by_quantized_multiplier(to_int32(op, acc), m.multiplier, m.shift);
  return static_cast<int8_t>(std::clamp<int64_t>(z_out + scaled, bounds.low, bounds.high));
}

// Shared by conv2d and dense: validates the per-channel constants and precomputes multipliers.
std::vector<QuantizedMultiplier> channel_multipliers(const std::string& op, Quant in,
                                                     const std::vector<float>& weight_scales,
                                                     const std::vector<int32_t>& bias,
                                                     int64_t channels, Quant out) {
  if (static_cast<int64_t>(weight_scales.size()) != channels) {
    fail(op, "needs " + std::to_string(channels) + " weight scales, got " +
                 std::to_string(weight_scales.size()));
  }
  if (!bias.empty() && static_cast<int64_t>(bias.size()) != channels) {
    fail(op, "needs no bias or " + std::to_string(channels) + " biases, got " +
                 std::to_string(bias.size()));
  }
  std::vector<QuantizedMultiplier> multipliers;
  for (float s_w : weight_scales) {
    if (!(s_w > 0.0f) || !std::isfinite(s_w)) {
      fail(op, "weight scales must be finite and > 0, got " + std::to_string(s_w));
    }
    multipliers.push_back(multiplier_of(in.scale, s_w, out.scale));
  }
  return multipliers;
}

// The n-tap average of docs/numerics.md (vec.avgpool): C++ division after adding or subtracting
// n/2 rounds half away from zero.
int8_t rounded_average(int64_t sum, int64_t n) {
  const int64_t q = sum >= 0 ? (sum + n / 2) / n : (sum - n / 2) / n;
  return static_cast<int8_t>(q);
}

enum class PoolKind { kMax, kAverage };

QTensor window_pool(const std::string& op, const QTensor& in, const Window& w, PoolKind kind) {
  check_tensor(op, in, "input");
  check_rank(op, in, 4, "[N,H,W,C]");
  const int64_t batch = in.shape[0], in_h = in.shape[1], in_w = in.shape[2], channels = in.shape[3];
  const WindowShape out = window_shape(op, in, w);
  QTensor result{{batch, out.out_h, out.out_w, channels}, {}, in.quant};
  result.data.reserve(static_cast<size_t>(compiler::element_count(result.shape)));
  for (int64_t n = 0; n < batch; ++n) {
    for (int64_t oh = 0; oh < out.out_h; ++oh) {
      for (int64_t ow = 0; ow < out.out_w; ++ow) {
        for (int64_t c = 0; c < channels; ++c) {
          int64_t taps = 0;
          int64_t sum = 0;
          int32_t largest = std::numeric_limits<int32_t>::min();
          for (int kh = 0; kh < w.kernel_h; ++kh) {
            const int64_t ih = oh * w.stride_h - w.pad_top + int64_t{kh} * w.dilation_h;
            if (ih < 0 || ih >= in_h) continue;
            for (int kw = 0; kw < w.kernel_w; ++kw) {
              const int64_t iw = ow * w.stride_w - w.pad_left + int64_t{kw} * w.dilation_w;
              if (iw < 0 || iw >= in_w) continue;
              const int32_t q = in.data[((n * in_h + ih) * in_w + iw) * channels + c];
              ++taps;
              sum += q;
              largest = std::max(largest, q);
            }
          }
          if (taps == 0) {
            fail(op, "the window at output (" + std::to_string(oh) + ", " + std::to_string(ow) +
                         ") lies entirely in the padding");
          }
          result.data.push_back(kind == PoolKind::kMax ? static_cast<int8_t>(largest)
                                                       : rounded_average(sum, taps));
        }
      }
    }
  }
  return result;
}

double apply_activation(Activation f, double r) {
  switch (f) {
    case Activation::kNone:
      return r;
    case Activation::kRelu:
      return std::max(r, 0.0);
    case Activation::kRelu6:
      return std::min(std::max(r, 0.0), 6.0);
    case Activation::kSigmoid:
      return 1.0 / (1.0 + std::exp(-r));
    case Activation::kTanh:
      return std::tanh(r);
    case Activation::kGelu:
      return 0.5 * r * (1.0 + std::erf(r / std::sqrt(2.0)));
  }
  return r;
}

}  // namespace

QTensor conv2d(const QTensor& in, const std::vector<int8_t>& weights,
               const std::vector<float>& weight_scales, const std::vector<int32_t>& bias,
               const Window& window, int groups, int out_channels, Quant out, Activation fused) {
  const std::string op = "conv2d";
  check_tensor(op, in, "input");
  check_rank(op, in, 4, "[N,H,W,C]");
  check_quant(op, out, "output");
  const int64_t batch = in.shape[0], in_h = in.shape[1], in_w = in.shape[2], in_c = in.shape[3];
  if (groups < 1 || out_channels < 1 || in_c % groups != 0 || out_channels % groups != 0) {
    fail(op, "groups " + std::to_string(groups) + " must be >= 1 and divide the input channels (" +
                 std::to_string(in_c) + ") and out_channels (" + std::to_string(out_channels) +
                 ")");
  }
  const int64_t group_in = in_c / groups;
  const int64_t group_out = out_channels / groups;
  const int kernel_h = window.kernel_h, kernel_w = window.kernel_w;
  const WindowShape shape = window_shape(op, in, window);
  const int64_t weight_count = int64_t{out_channels} * kernel_h * kernel_w * group_in;
  if (static_cast<int64_t>(weights.size()) != weight_count) {
    fail(op, "needs " + std::to_string(weight_count) + " weights [Cout][Kh][Kw][Cin/groups], got " +
                 std::to_string(weights.size()));
  }
  const std::vector<QuantizedMultiplier> multipliers =
      channel_multipliers(op, in.quant, weight_scales, bias, out_channels, out);
  const Bounds bounds = fused_bounds(op, fused, out);
  const int32_t z_in = in.quant.zero_point;

  QTensor result{{batch, shape.out_h, shape.out_w, out_channels}, {}, out};
  result.data.reserve(static_cast<size_t>(compiler::element_count(result.shape)));
  for (int64_t n = 0; n < batch; ++n) {
    for (int64_t oh = 0; oh < shape.out_h; ++oh) {
      for (int64_t ow = 0; ow < shape.out_w; ++ow) {
        for (int64_t oc = 0; oc < out_channels; ++oc) {
          const int64_t first_in = (oc / group_out) * group_in;
          int64_t acc = bias.empty() ? 0 : bias[oc];
          for (int kh = 0; kh < kernel_h; ++kh) {
            const int64_t ih =
                oh * window.stride_h - window.pad_top + int64_t{kh} * window.dilation_h;
            if (ih < 0 || ih >= in_h) continue;
            for (int kw = 0; kw < kernel_w; ++kw) {
              const int64_t iw =
                  ow * window.stride_w - window.pad_left + int64_t{kw} * window.dilation_w;
              if (iw < 0 || iw >= in_w) continue;
              const int8_t* x = &in.data[((n * in_h + ih) * in_w + iw) * in_c + first_in];
              const int8_t* w = &weights[((oc * kernel_h + kh) * kernel_w + kw) * group_in];
              for (int64_t ic = 0; ic < group_in; ++ic) {
                acc += (int64_t{x[ic]} - z_in) * w[ic];
              }
            }
          }
          result.data.push_back(requantize(op, acc, multipliers[oc], out.zero_point, bounds));
        }
      }
    }
  }
  return result;
}

QTensor dense(const QTensor& in, const std::vector<int8_t>& weights,
              const std::vector<float>& weight_scales, const std::vector<int32_t>& bias,
              int out_features, Quant out, Activation fused) {
  const std::string op = "dense";
  check_tensor(op, in, "input");
  if (in.shape.size() < 2) fail(op, "needs an input [N,...,F], got " + shape_text(in.shape));
  check_quant(op, out, "output");
  if (out_features < 1) fail(op, "out_features must be >= 1");
  const int64_t batch = rows_of(in), features = in.shape.back();
  if (static_cast<int64_t>(weights.size()) != out_features * features) {
    fail(op, "needs " + std::to_string(out_features * features) + " weights [out][in], got " +
                 std::to_string(weights.size()));
  }
  const std::vector<QuantizedMultiplier> multipliers =
      channel_multipliers(op, in.quant, weight_scales, bias, out_features, out);
  const Bounds bounds = fused_bounds(op, fused, out);
  const int32_t z_in = in.quant.zero_point;

  QTensor result{in.shape, {}, out};
  result.shape.back() = out_features;
  for (int64_t n = 0; n < batch; ++n) {
    for (int64_t o = 0; o < out_features; ++o) {
      int64_t acc = bias.empty() ? 0 : bias[o];
      for (int64_t f = 0; f < features; ++f) {
        acc += (int64_t{in.data[n * features + f]} - z_in) * weights[o * features + f];
      }
      result.data.push_back(requantize(op, acc, multipliers[o], out.zero_point, bounds));
    }
  }
  return result;
}

QTensor matmul(const QTensor& a, const QTensor& b, Quant out, Activation fused) {
  const std::string op = "matmul";
  check_tensor(op, a, "first operand");
  check_tensor(op, b, "second operand");
  check_quant(op, out, "output");
  if (a.quant.zero_point != 0 || b.quant.zero_point != 0) {
    fail(op, "both operands must have zero point 0, got " + std::to_string(a.quant.zero_point) +
                 " and " + std::to_string(b.quant.zero_point));
  }
  const size_t rank = a.shape.size();
  bool fits = rank >= 2 && b.shape.size() == rank && a.shape[rank - 1] == b.shape[rank - 2];
  for (size_t i = 0; fits && i + 2 < rank; ++i) fits = a.shape[i] == b.shape[i];
  if (!fits) {
    fail(op, "needs [..,M,K] x [..,K,N] with equal leading dimensions, got " + shape_text(a.shape) +
                 " and " + shape_text(b.shape));
  }
  const int64_t m = a.shape[rank - 2], k = a.shape[rank - 1], n = b.shape[rank - 1];
  const int64_t leading = compiler::element_count(a.shape) / (m * k);
  const QuantizedMultiplier multiplier = multiplier_of(a.quant.scale, b.quant.scale, out.scale);
  const Bounds bounds = fused_bounds(op, fused, out);

  QTensor result{std::vector<int64_t>(a.shape.begin(), a.shape.end() - 2), {}, out};
  result.shape.push_back(m);
  result.shape.push_back(n);
  for (int64_t l = 0; l < leading; ++l) {
    const int8_t* lhs = &a.data[l * m * k];
    const int8_t* rhs = &b.data[l * k * n];
    for (int64_t i = 0; i < m; ++i) {
      for (int64_t j = 0; j < n; ++j) {
        int64_t acc = 0;
        for (int64_t p = 0; p < k; ++p) acc += int64_t{lhs[i * k + p]} * rhs[p * n + j];
        result.data.push_back(requantize(op, acc, multiplier, out.zero_point, bounds));
      }
    }
  }
  return result;
}

QTensor max_pool(const QTensor& in, const Window& window) {
  return window_pool("max_pool", in, window, PoolKind::kMax);
}

QTensor avg_pool(const QTensor& in, const Window& window) {
  return window_pool("avg_pool", in, window, PoolKind::kAverage);
}

QTensor global_avg_pool(const QTensor& in) {
  const std::string op = "global_avg_pool";
  check_tensor(op, in, "input");
  check_rank(op, in, 4, "[N,H,W,C]");
  const int64_t batch = in.shape[0], pixels = in.shape[1] * in.shape[2], channels = in.shape[3];
  QTensor result{{batch, 1, 1, channels}, {}, in.quant};
  for (int64_t n = 0; n < batch; ++n) {
    for (int64_t c = 0; c < channels; ++c) {
      int64_t sum = 0;
      for (int64_t p = 0; p < pixels; ++p) sum += in.data[(n * pixels + p) * channels + c];
      result.data.push_back(rounded_average(sum, pixels));
    }
  }
  return result;
}

QTensor add(const QTensor& a, const QTensor& b, Quant out, Activation fused) {
  const std::string op = "add";
  check_tensor(op, a, "first operand");
  check_tensor(op, b, "second operand");
  check_quant(op, out, "output");
  if (a.shape != b.shape) {
    fail(op, "needs equal shapes, got " + shape_text(a.shape) + " and " + shape_text(b.shape));
  }
  // docs/numerics.md, vec.add: both operands are rescaled to 2^20 / s_twice units, summed, and
  // the sum rescaled to the output.
  constexpr int kLeftShift = 20;
  const double s1 = a.quant.scale, s2 = b.quant.scale;
  const double s_twice = 2.0 * std::max(s1, s2);
  const QuantizedMultiplier m1 = quantize_multiplier(s1 / s_twice);
  const QuantizedMultiplier m2 = quantize_multiplier(s2 / s_twice);
  const QuantizedMultiplier m_out = quantize_multiplier(
      s_twice / (static_cast<double>(1 << kLeftShift) * static_cast<double>(out.scale)));
  const Bounds bounds = fused_bounds(op, fused, out);

  QTensor result{a.shape, {}, out};
  result.data.reserve(a.data.size());
  for (size_t i = 0; i < a.data.size(); ++i) {
    const int32_t x1 = (a.data[i] - a.quant.zero_point) * (1 << kLeftShift);
    const int32_t x2 = (b.data[i] - b.quant.zero_point) * (1 << kLeftShift);
    const int64_t scaled1 = multiply_by_quantized_multiplier(x1, m1.multiplier, m1.shift);
    const int64_t scaled2 = multiply_by_quantized_multiplier(x2, m2.multiplier, m2.shift);
    result.data.push_back(requantize(op, scaled1 + scaled2, m_out, out.zero_point, bounds));
  }
  return result;
}

QTensor mul(const QTensor& a, const QTensor& b, Quant out, Activation fused) {
  const std::string op = "mul";
  check_tensor(op, a, "first operand");
  check_tensor(op, b, "second operand");
  check_quant(op, out, "output");
  if (a.shape != b.shape) {
    fail(op, "needs equal shapes, got " + shape_text(a.shape) + " and " + shape_text(b.shape));
  }
  // docs/numerics.md, vec.mul: the product of the zero-point-corrected operands (|q - z| <= 255,
  // so it fits int32) rescaled by one multiplier.
  const QuantizedMultiplier multiplier = multiplier_of(a.quant.scale, b.quant.scale, out.scale);
  const Bounds bounds = fused_bounds(op, fused, out);
  QTensor result{a.shape, {}, out};
  result.data.reserve(a.data.size());
  for (size_t i = 0; i < a.data.size(); ++i) {
    const int64_t product =
        (int64_t{a.data[i]} - a.quant.zero_point) * (int64_t{b.data[i]} - b.quant.zero_point);
    result.data.push_back(requantize(op, product, multiplier, out.zero_point, bounds));
  }
  return result;
}

QTensor transpose(const QTensor& in) {
  const std::string op = "transpose";
  check_tensor(op, in, "input");
  if (in.shape.size() < 3) {
    fail(op, "needs [N,...,A,B] (the batch and at least 2 more dimensions), got " +
                 shape_text(in.shape));
  }
  const size_t rank = in.shape.size();
  const int64_t a = in.shape[rank - 2], b = in.shape[rank - 1];
  QTensor result{in.shape, std::vector<int8_t>(in.data.size()), in.quant};
  std::swap(result.shape[rank - 2], result.shape[rank - 1]);
  for (int64_t s = 0; s < compiler::element_count(in.shape) / (a * b); ++s) {
    for (int64_t i = 0; i < a; ++i) {
      for (int64_t j = 0; j < b; ++j) {
        result.data[(s * b + j) * a + i] = in.data[(s * a + i) * b + j];
      }
    }
  }
  return result;
}

std::array<int8_t, 256> activation_table(Activation f, Quant in, Quant out) {
  check_quant("activation", in, "input");
  check_quant("activation", out, "output");
  std::array<int8_t, 256> table{};
  for (int i = 0; i < 256; ++i) {
    const double r = static_cast<double>(in.scale) * (i - 128 - in.zero_point);
    const double y = apply_activation(f, r) / static_cast<double>(out.scale);
    table[i] = saturate_to(round_away(y) + out.zero_point, out);
  }
  return table;
}

QTensor activation(const QTensor& in, Activation f, Quant out) {
  check_tensor("activation", in, "input");
  const std::array<int8_t, 256> table = activation_table(f, in.quant, out);
  QTensor result{in.shape, {}, out};
  result.data.reserve(in.data.size());
  for (int8_t q : in.data) result.data.push_back(table[q + 128]);
  return result;
}

QTensor batchnorm(const QTensor& in, const std::vector<float>& scale,
                  const std::vector<float>& shift, Quant out) {
  const std::string op = "batchnorm";
  check_tensor(op, in, "input");
  check_quant(op, out, "output");
  const int64_t channels = in.shape.back();
  if (static_cast<int64_t>(scale.size()) != channels ||
      static_cast<int64_t>(shift.size()) != channels) {
    fail(op, "needs " + std::to_string(channels) + " scales and shifts, got " +
                 std::to_string(scale.size()) + " and " + std::to_string(shift.size()));
  }
  // docs/numerics.md, vec.scale_shift: |s_in a / s_out| as a quantized multiplier with the sign
  // of a folded into M0, and b as an output-unit offset.
  std::vector<QuantizedMultiplier> multipliers;
  std::vector<int32_t> offsets;
  for (int64_t c = 0; c < channels; ++c) {
    const double a = scale[c];
    QuantizedMultiplier m = quantize_multiplier(
        std::abs(static_cast<double>(in.quant.scale) * a / static_cast<double>(out.scale)));
    if (a < 0) m.multiplier = -m.multiplier;
    multipliers.push_back(m);
    offsets.push_back(
        to_int32(op, round_away(static_cast<double>(shift[c]) / static_cast<double>(out.scale))));
  }
  QTensor result{in.shape, {}, out};
  result.data.reserve(in.data.size());
  for (size_t i = 0; i < in.data.size(); ++i) {
    const size_t c = i % static_cast<size_t>(channels);
    const int64_t scaled = multiply_by_quantized_multiplier(
        in.data[i] - in.quant.zero_point, multipliers[c].multiplier, multipliers[c].shift);
    result.data.push_back(saturate_to(int64_t{out.zero_point} + offsets[c] + scaled, out));
  }
  return result;
}

Quant softmax_output_quant() { return {1.0f / 256.0f, -128}; }

QTensor softmax(const QTensor& in) { return softmax(in, softmax_output_quant()); }

QTensor softmax(const QTensor& in, Quant out) {
  check_tensor("softmax", in, "input");
  check_quant("softmax", out, "output");
  const int64_t channels = in.shape.back();
  const float s_in = in.quant.scale;
  const float inverse_out = 1.0f / out.scale;
  QTensor result{in.shape, {}, out};
  result.data.reserve(in.data.size());
  std::vector<float> x(channels);
  std::vector<float> e(channels);
  for (int64_t row = 0; row < rows_of(in); ++row) {
    const int8_t* q = &in.data[row * channels];
    for (int64_t i = 0; i < channels; ++i) {
      x[i] = s_in * static_cast<float>(q[i] - in.quant.zero_point);
    }
    const float m = *std::max_element(x.begin(), x.end());
    float sum = 0.0f;
    for (int64_t i = 0; i < channels; ++i) {
      e[i] = std::exp(x[i] - m);
      sum += e[i];
    }
    for (int64_t i = 0; i < channels; ++i) {
      const float p = e[i] / sum;
      result.data.push_back(saturate_to(round_away(p * inverse_out) + out.zero_point, out));
    }
  }
  return result;
}

QTensor layer_norm(const QTensor& in, const std::vector<float>& gamma,
                   const std::vector<float>& beta, float epsilon, Quant out) {
  const std::string op = "layer_norm";
  check_tensor(op, in, "input");
  check_quant(op, out, "output");
  const int64_t channels = in.shape.back();
  if (static_cast<int64_t>(gamma.size()) != channels ||
      static_cast<int64_t>(beta.size()) != channels) {
    fail(op, "needs " + std::to_string(channels) + " gammas and betas, got " +
                 std::to_string(gamma.size()) + " and " + std::to_string(beta.size()));
  }
  const float s_in = in.quant.scale;
  const float inverse_out = 1.0f / out.scale;
  const float count = static_cast<float>(channels);
  QTensor result{in.shape, {}, out};
  result.data.reserve(in.data.size());
  std::vector<float> x(channels);
  for (int64_t row = 0; row < rows_of(in); ++row) {
    const int8_t* q = &in.data[row * channels];
    float sum = 0.0f;
    for (int64_t i = 0; i < channels; ++i) {
      x[i] = s_in * static_cast<float>(q[i] - in.quant.zero_point);
      sum += x[i];
    }
    const float mean = sum / count;
    float squares = 0.0f;
    for (int64_t i = 0; i < channels; ++i) {
      const float d = x[i] - mean;
      squares += d * d;
    }
    const float var = squares / count;
    const float deviation = std::sqrt(var + epsilon);
    for (int64_t i = 0; i < channels; ++i) {
      const float y = (x[i] - mean) / deviation * gamma[i] + beta[i];
      result.data.push_back(saturate_to(round_away(y * inverse_out) + out.zero_point, out));
    }
  }
  return result;
}

QTensor concat(const std::vector<QTensor>& inputs, size_t axis) {
  const std::string op = "concat";
  for (const QTensor& t : inputs) check_tensor(op, t, "input");
  const std::vector<int64_t> shape = detail::concat_shape(op, inputs, axis);
  const QTensor& first = inputs.front();
  for (size_t i = 1; i < inputs.size(); ++i) {
    if (!(inputs[i].quant == first.quant)) {
      fail(op, "all inputs must share one quantization; input " + std::to_string(i) +
                   " differs from input 0");
    }
  }
  QTensor result{shape, {}, first.quant};
  result.data.reserve(static_cast<size_t>(compiler::element_count(shape)));
  const detail::ConcatRuns runs = detail::concat_runs(inputs, axis);
  for (int64_t outer = 0; outer < runs.outer; ++outer) {
    for (size_t i = 0; i < inputs.size(); ++i) {
      const int64_t width = runs.run[i];
      result.data.insert(result.data.end(), inputs[i].data.begin() + outer * width,
                         inputs[i].data.begin() + (outer + 1) * width);
    }
  }
  return result;
}

QTensor slice(const QTensor& in, size_t axis, int64_t begin, int64_t size) {
  const std::string op = "slice";
  check_tensor(op, in, "input");
  return {detail::slice_shape(op, in.shape, axis, begin, size),
          detail::slice_values(in.data, in.shape, axis, begin, size), in.quant};
}

}  // namespace npu::reference
