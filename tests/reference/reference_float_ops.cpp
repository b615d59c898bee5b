#include "tests/reference/reference_float_ops.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <string>
#include <utility>
#include <vector>

#include "sim/functional/numerics.h"
#include "tests/reference/reference_common.h"

namespace npu::reference {
namespace {

using arch::Precision;
using compiler::Activation;
using compiler::Window;
using detail::check_rank;
using detail::check_shape;
using detail::fail;
using detail::float_text;
using detail::rows_of;
using detail::shape_text;
using detail::window_shape;
using detail::WindowShape;
using functional::round_to_format;

void check_format(const std::string& op, Precision format) {
  if (!arch::is_float(format)) {
    fail(op,
         std::string("needs a float format (fp32, fp16, bf16), got ") + arch::to_string(format));
  }
}

// Float tensors and weights hold values of the model's format (NaN and infinities included);
// a value that is not one means the data was not rounded to the format.
void check_in_format(const std::string& op, const std::vector<float>& values, Precision format,
                     const char* what) {
  for (size_t i = 0; i < values.size(); ++i) {
    const float v = values[i];
    if (!std::isnan(v) && round_to_format(v, format) != v) {
      fail(op, std::string(what) + " value " + float_text(v) + " at index " + std::to_string(i) +
                   " is not representable in " + arch::to_string(format));
    }
  }
}

void check_tensor(const std::string& op, const QTensor& t, Precision format, const char* what) {
  check_shape(op, t.shape, t.values.size(), what);
  check_in_format(op, t.values, format, what);
}

void check_channel_count(const std::string& op, const std::vector<float>& values, int64_t channels,
                         const char* what) {
  if (static_cast<int64_t>(values.size()) != channels) {
    fail(op, "needs " + std::to_string(channels) + " " + what + ", got " +
                 std::to_string(values.size()));
  }
}

QTensor float_tensor(std::vector<int64_t> shape) {
  QTensor t;
  t.shape = std::move(shape);
  t.values.reserve(static_cast<size_t>(compiler::element_count(t.shape)));
  return t;
}

// The clamp of vec.requant and vec.add: lo = -inf, hi = +inf without an activation; relu lo = 0;
// relu6 lo = 0, hi = 6.
struct FloatBounds {
  float lo = -std::numeric_limits<float>::infinity();
  float hi = std::numeric_limits<float>::infinity();
};

FloatBounds fused_bounds(const std::string& op, Activation fused) {
  switch (fused) {
    case Activation::kNone:
      return {};
    case Activation::kRelu:
      return {0.0f, std::numeric_limits<float>::infinity()};
    case Activation::kRelu6:
      return {0.0f, 6.0f};
    default:
      fail(op, std::string("only none, relu and relu6 fuse into a layer's output, got ") +
                   compiler::to_string(fused) + " (make it a separate activation layer)");
  }
}

// round(min(max(value, lo), hi)); NaN passes through the clamp.
float clamp_and_round(float value, FloatBounds bounds, Precision format) {
  return round_to_format(std::min(std::max(value, bounds.lo), bounds.hi), format);
}

// Shared by conv2d_float and dense_float. The weights pass through the array, so they are values
// of the format; the bias is a float32 in vec.requant's record and may be any float32.
void check_weights_and_bias(const std::string& op, const std::vector<float>& weights,
                            int64_t weight_count, const char* layout,
                            const std::vector<float>& bias, int64_t channels, Precision format) {
  if (static_cast<int64_t>(weights.size()) != weight_count) {
    fail(op, "needs " + std::to_string(weight_count) + " weights " + layout + ", got " +
                 std::to_string(weights.size()));
  }
  check_in_format(op, weights, format, "weight");
  if (!bias.empty() && static_cast<int64_t>(bias.size()) != channels) {
    fail(op, "needs no bias or " + std::to_string(channels) + " biases, got " +
                 std::to_string(bias.size()));
  }
}

float apply_activation(Activation f, float x) {
  switch (f) {
    case Activation::kNone:
      return x;
    case Activation::kRelu:
      return std::max(x, 0.0f);
    case Activation::kRelu6:
      return std::min(std::max(x, 0.0f), 6.0f);
    case Activation::kSigmoid:
      return 1.0f / (1.0f + std::exp(-x));
    case Activation::kTanh:
      return std::tanh(x);
    case Activation::kGelu:
      return 0.5f * x * (1.0f + std::erf(x / std::sqrt(2.0f)));
  }
  return x;
}

enum class PoolKind { kMax, kAverage };

QTensor window_pool(const std::string& op, const QTensor& in, const Window& w, PoolKind kind,
                    Precision format) {
  check_format(op, format);
  check_tensor(op, in, format, "input");
  check_rank(op, in, 4, "[N,H,W,C]");
  const int64_t batch = in.shape[0], in_h = in.shape[1], in_w = in.shape[2], channels = in.shape[3];
  const WindowShape out = window_shape(op, in, w);
  QTensor result = float_tensor({batch, out.out_h, out.out_w, channels});
  for (int64_t n = 0; n < batch; ++n) {
    for (int64_t oh = 0; oh < out.out_h; ++oh) {
      for (int64_t ow = 0; ow < out.out_w; ++ow) {
        for (int64_t c = 0; c < channels; ++c) {
          int64_t taps = 0;
          float sum = 0.0f;
          float largest = 0.0f;
          for (int kh = 0; kh < w.kernel_h; ++kh) {
            const int64_t ih = oh * w.stride_h - w.pad_top + int64_t{kh} * w.dilation_h;
            if (ih < 0 || ih >= in_h) continue;
            for (int kw = 0; kw < w.kernel_w; ++kw) {
              const int64_t iw = ow * w.stride_w - w.pad_left + int64_t{kw} * w.dilation_w;
              if (iw < 0 || iw >= in_w) continue;
              const float x = in.values[((n * in_h + ih) * in_w + iw) * channels + c];
              largest = taps == 0 ? x : std::max(largest, x);
              sum += x;
              ++taps;
            }
          }
          if (taps == 0) {
            fail(op, "the window at output (" + std::to_string(oh) + ", " + std::to_string(ow) +
                         ") lies entirely in the padding");
          }
          result.values.push_back(kind == PoolKind::kMax
                                      ? largest
                                      : round_to_format(sum / static_cast<float>(taps), format));
        }
      }
    }
  }
  return result;
}

}  // namespace

QTensor conv2d_float(const QTensor& in, const std::vector<float>& weights,
                     const std::vector<float>& bias, const Window& window, int groups,
                     int out_channels, Activation fused, Precision format) {
  const std::string op = "conv2d_float";
  check_format(op, format);
  check_tensor(op, in, format, "input");
  check_rank(op, in, 4, "[N,H,W,C]");
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
  check_weights_and_bias(op, weights, int64_t{out_channels} * kernel_h * kernel_w * group_in,
                         "[Cout][Kh][Kw][Cin/groups]", bias, out_channels, format);
  const FloatBounds bounds = fused_bounds(op, fused);

  QTensor result = float_tensor({batch, shape.out_h, shape.out_w, out_channels});
  for (int64_t n = 0; n < batch; ++n) {
    for (int64_t oh = 0; oh < shape.out_h; ++oh) {
      for (int64_t ow = 0; ow < shape.out_w; ++ow) {
        for (int64_t oc = 0; oc < out_channels; ++oc) {
          const int64_t first_in = (oc / group_out) * group_in;
          float acc = 0.0f;
          for (int kh = 0; kh < kernel_h; ++kh) {
            const int64_t ih =
                oh * window.stride_h - window.pad_top + int64_t{kh} * window.dilation_h;
            for (int kw = 0; kw < kernel_w; ++kw) {
              const int64_t iw =
                  ow * window.stride_w - window.pad_left + int64_t{kw} * window.dilation_w;
              const bool inside = ih >= 0 && ih < in_h && iw >= 0 && iw < in_w;
              const float* w = &weights[((oc * kernel_h + kh) * kernel_w + kw) * group_in];
              for (int64_t ic = 0; ic < group_in; ++ic) {
                // A padding tap is +0.0 times the weight: nothing for a finite weight, NaN for an
                // infinite one, as in the array.
                const float x =
                    inside ? in.values[((n * in_h + ih) * in_w + iw) * in_c + first_in + ic] : 0.0f;
                acc += x * w[ic];
              }
            }
          }
          result.values.push_back(
              clamp_and_round(bias.empty() ? acc : acc + bias[oc], bounds, format));
        }
      }
    }
  }
  return result;
}

QTensor dense_float(const QTensor& in, const std::vector<float>& weights,
                    const std::vector<float>& bias, int out_features, Activation fused,
                    Precision format) {
  const std::string op = "dense_float";
  check_format(op, format);
  check_tensor(op, in, format, "input");
  if (in.shape.size() < 2) fail(op, "needs an input [N,...,F], got " + shape_text(in.shape));
  if (out_features < 1) fail(op, "out_features must be >= 1");
  const int64_t batch = rows_of(in), features = in.shape.back();
  check_weights_and_bias(op, weights, out_features * features, "[out][in]", bias, out_features,
                         format);
  const FloatBounds bounds = fused_bounds(op, fused);

  std::vector<int64_t> shape = in.shape;
  shape.back() = out_features;
  QTensor result = float_tensor(std::move(shape));
  for (int64_t n = 0; n < batch; ++n) {
    for (int64_t o = 0; o < out_features; ++o) {
      float acc = 0.0f;
      for (int64_t f = 0; f < features; ++f) {
        acc += in.values[n * features + f] * weights[o * features + f];
      }
      result.values.push_back(clamp_and_round(bias.empty() ? acc : acc + bias[o], bounds, format));
    }
  }
  return result;
}

QTensor matmul_float(const QTensor& a, const QTensor& b, Activation fused, Precision format) {
  const std::string op = "matmul_float";
  check_format(op, format);
  check_tensor(op, a, format, "first operand");
  check_tensor(op, b, format, "second operand");
  const size_t rank = a.shape.size();
  bool fits = rank >= 2 && b.shape.size() == rank && a.shape[rank - 1] == b.shape[rank - 2];
  for (size_t i = 0; fits && i + 2 < rank; ++i) fits = a.shape[i] == b.shape[i];
  if (!fits) {
    fail(op, "needs [..,M,K] x [..,K,N] with equal leading dimensions, got " + shape_text(a.shape) +
                 " and " + shape_text(b.shape));
  }
  const int64_t m = a.shape[rank - 2], k = a.shape[rank - 1], n = b.shape[rank - 1];
  const int64_t leading = compiler::element_count(a.shape) / (m * k);
  const FloatBounds bounds = fused_bounds(op, fused);

  std::vector<int64_t> shape(a.shape.begin(), a.shape.end() - 2);
  shape.push_back(m);
  shape.push_back(n);
  QTensor result = float_tensor(std::move(shape));
  for (int64_t l = 0; l < leading; ++l) {
    const float* lhs = &a.values[l * m * k];
    const float* rhs = &b.values[l * k * n];
    for (int64_t i = 0; i < m; ++i) {
      for (int64_t j = 0; j < n; ++j) {
        float acc = 0.0f;
        for (int64_t p = 0; p < k; ++p) acc += lhs[i * k + p] * rhs[p * n + j];
        result.values.push_back(clamp_and_round(acc, bounds, format));
      }
    }
  }
  return result;
}

QTensor max_pool_float(const QTensor& in, const Window& window, Precision format) {
  return window_pool("max_pool_float", in, window, PoolKind::kMax, format);
}

QTensor avg_pool_float(const QTensor& in, const Window& window, Precision format) {
  return window_pool("avg_pool_float", in, window, PoolKind::kAverage, format);
}

QTensor global_avg_pool_float(const QTensor& in, Precision format) {
  const std::string op = "global_avg_pool_float";
  check_format(op, format);
  check_tensor(op, in, format, "input");
  check_rank(op, in, 4, "[N,H,W,C]");
  const int64_t batch = in.shape[0], pixels = in.shape[1] * in.shape[2], channels = in.shape[3];
  QTensor result = float_tensor({batch, 1, 1, channels});
  for (int64_t n = 0; n < batch; ++n) {
    for (int64_t c = 0; c < channels; ++c) {
      float sum = 0.0f;
      for (int64_t p = 0; p < pixels; ++p) sum += in.values[(n * pixels + p) * channels + c];
      result.values.push_back(round_to_format(sum / static_cast<float>(pixels), format));
    }
  }
  return result;
}

QTensor add_float(const QTensor& a, const QTensor& b, Activation fused, Precision format) {
  const std::string op = "add_float";
  check_format(op, format);
  check_tensor(op, a, format, "first operand");
  check_tensor(op, b, format, "second operand");
  if (a.shape != b.shape) {
    fail(op, "needs equal shapes, got " + shape_text(a.shape) + " and " + shape_text(b.shape));
  }
  const FloatBounds bounds = fused_bounds(op, fused);
  QTensor result = float_tensor(a.shape);
  for (size_t i = 0; i < a.values.size(); ++i) {
    result.values.push_back(clamp_and_round(a.values[i] + b.values[i], bounds, format));
  }
  return result;
}

QTensor mul_float(const QTensor& a, const QTensor& b, Activation fused, Precision format) {
  const std::string op = "mul_float";
  check_format(op, format);
  check_tensor(op, a, format, "first operand");
  check_tensor(op, b, format, "second operand");
  if (a.shape != b.shape) {
    fail(op, "needs equal shapes, got " + shape_text(a.shape) + " and " + shape_text(b.shape));
  }
  const FloatBounds bounds = fused_bounds(op, fused);
  QTensor result = float_tensor(a.shape);
  for (size_t i = 0; i < a.values.size(); ++i) {
    result.values.push_back(clamp_and_round(a.values[i] * b.values[i], bounds, format));
  }
  return result;
}

QTensor transpose_float(const QTensor& in) {
  const std::string op = "transpose_float";
  check_shape(op, in.shape, in.values.size(), "input");
  if (in.shape.size() < 3) {
    fail(op, "needs [N,...,A,B] (the batch and at least 2 more dimensions), got " +
                 shape_text(in.shape));
  }
  const size_t rank = in.shape.size();
  const int64_t a = in.shape[rank - 2], b = in.shape[rank - 1];
  std::vector<int64_t> shape = in.shape;
  std::swap(shape[rank - 2], shape[rank - 1]);
  QTensor result = float_tensor(std::move(shape));
  result.values.resize(in.values.size());
  for (int64_t s = 0; s < compiler::element_count(in.shape) / (a * b); ++s) {
    for (int64_t i = 0; i < a; ++i) {
      for (int64_t j = 0; j < b; ++j) {
        result.values[(s * b + j) * a + i] = in.values[(s * a + i) * b + j];
      }
    }
  }
  return result;
}

QTensor activation_float(const QTensor& in, Activation f, Precision format) {
  const std::string op = "activation_float";
  check_format(op, format);
  check_tensor(op, in, format, "input");
  QTensor result = float_tensor(in.shape);
  for (float x : in.values)
    result.values.push_back(round_to_format(apply_activation(f, x), format));
  return result;
}

QTensor batchnorm_float(const QTensor& in, const std::vector<float>& scale,
                        const std::vector<float>& shift, Precision format) {
  const std::string op = "batchnorm_float";
  check_format(op, format);
  check_tensor(op, in, format, "input");
  const int64_t channels = in.shape.back();
  check_channel_count(op, scale, channels, "scales");
  check_channel_count(op, shift, channels, "shifts");
  QTensor result = float_tensor(in.shape);
  for (size_t i = 0; i < in.values.size(); ++i) {
    const size_t c = i % static_cast<size_t>(channels);
    result.values.push_back(round_to_format(scale[c] * in.values[i] + shift[c], format));
  }
  return result;
}

QTensor softmax_float(const QTensor& in, Precision format) {
  const std::string op = "softmax_float";
  check_format(op, format);
  check_tensor(op, in, format, "input");
  const int64_t channels = in.shape.back();
  QTensor result = float_tensor(in.shape);
  std::vector<float> e(channels);
  for (int64_t row = 0; row < rows_of(in); ++row) {
    const float* x = &in.values[row * channels];
    const float m = *std::max_element(x, x + channels);
    float sum = 0.0f;
    for (int64_t i = 0; i < channels; ++i) {
      e[i] = std::exp(x[i] - m);
      sum += e[i];
    }
    for (int64_t i = 0; i < channels; ++i)
      result.values.push_back(round_to_format(e[i] / sum, format));
  }
  return result;
}

QTensor layer_norm_float(const QTensor& in, const std::vector<float>& gamma,
                         const std::vector<float>& beta, float epsilon, Precision format) {
  const std::string op = "layer_norm_float";
  check_format(op, format);
  check_tensor(op, in, format, "input");
  const int64_t channels = in.shape.back();
  check_channel_count(op, gamma, channels, "gammas");
  check_channel_count(op, beta, channels, "betas");
  const float count = static_cast<float>(channels);
  QTensor result = float_tensor(in.shape);
  for (int64_t row = 0; row < rows_of(in); ++row) {
    const float* x = &in.values[row * channels];
    float sum = 0.0f;
    for (int64_t i = 0; i < channels; ++i) sum += x[i];
    const float mean = sum / count;
    float squares = 0.0f;
    for (int64_t i = 0; i < channels; ++i) {
      const float d = x[i] - mean;
      squares += d * d;
    }
    const float deviation = std::sqrt(squares / count + epsilon);
    for (int64_t i = 0; i < channels; ++i) {
      const float y = (x[i] - mean) / deviation * gamma[i] + beta[i];
      result.values.push_back(round_to_format(y, format));
    }
  }
  return result;
}

QTensor concat_float(const std::vector<QTensor>& inputs, size_t axis) {
  const std::string op = "concat_float";
  for (const QTensor& t : inputs) check_shape(op, t.shape, t.values.size(), "input");
  QTensor result = float_tensor(detail::concat_shape(op, inputs, axis));
  const detail::ConcatRuns runs = detail::concat_runs(inputs, axis);
  for (int64_t outer = 0; outer < runs.outer; ++outer) {
    for (size_t i = 0; i < inputs.size(); ++i) {
      const int64_t width = runs.run[i];
      result.values.insert(result.values.end(), inputs[i].values.begin() + outer * width,
                           inputs[i].values.begin() + (outer + 1) * width);
    }
  }
  return result;
}

QTensor slice_float(const QTensor& in, size_t axis, int64_t begin, int64_t size) {
  const std::string op = "slice_float";
  check_shape(op, in.shape, in.values.size(), "input");
  QTensor result = float_tensor(detail::slice_shape(op, in.shape, axis, begin, size));
  result.values = detail::slice_values(in.values, in.shape, axis, begin, size);
  return result;
}

}  // namespace npu::reference
