#pragma once
// Reference implementations of every layer type, computed with plain nested loops by the rules of
// docs/numerics.md: TFLite's int8 meaning with the exact integer rounding the spec gives (float32
// where the spec says so). They know nothing of the compiler's passes or the ISA: no tiling, no
// zero point folded into the bias, no parameter blocks. A compiled program that agrees with them
// bit for bit computes what the workload says; that is what they are for (tests only).
//
// Tensors are NHWC with the batch first. Every function returns a new tensor. Arguments that do
// not fit together (sizes, ranks, mixed quantizations where the spec requires one, an int32
// accumulator that would overflow) throw std::invalid_argument.

#include <array>
#include <cstdint>
#include <vector>

#include "compiler/graph.h"
#include "sim/functional/model_data.h"

namespace npu::reference {

using functional::QTensor;
using functional::Quant;

// TFLite's convolution: acc = sum over the taps inside the image of (x - z_in) w (a padding tap
// is the real value 0 and adds nothing) + bias[c]; out = clamp(z_out + multiply_by_quantized_
// multiplier(acc, quantize_multiplier(s_in s_w[c] / s_out)), q_min, q_max). `in` is [N,H,W,Cin],
// weights [Cout][Kh][Kw][Cin/groups], one scale per output channel, bias empty or one per output
// channel. `fused` is none, relu or relu6 (the clamp); other functions are separate layers.
QTensor conv2d(const QTensor& in, const std::vector<int8_t>& weights,
               const std::vector<float>& weight_scales, const std::vector<int32_t>& bias,
               const compiler::Window& window, int groups, int out_channels, Quant out,
               compiler::Activation fused);

// [N,...,F] x weights [out][F] (+ bias) over the last axis (every other position is a row):
// the same accumulation and requantization as conv2d; the result is [N,...,out].
QTensor dense(const QTensor& in, const std::vector<int8_t>& weights,
              const std::vector<float>& weight_scales, const std::vector<int32_t>& bias,
              int out_features, Quant out, compiler::Activation fused);

// [..,M,K] x [..,K,N], equal leading dimensions; multiplier s_a s_b / s_out. Both zero points
// must be 0 (docs/numerics.md, "Matmul of two activations").
QTensor matmul(const QTensor& a, const QTensor& b, Quant out, compiler::Activation fused);

// Pooling keeps the input's quantization and skips padding taps; a window with no tap inside the
// image is rejected. avg_pool divides the int32 sum of the n valid taps by n, half away from zero.
QTensor max_pool(const QTensor& in, const compiler::Window& window);
QTensor avg_pool(const QTensor& in, const compiler::Window& window);
QTensor global_avg_pool(const QTensor& in);  // [N,H,W,C] -> [N,1,1,C]

// The 20-bit left-shift rule with the three multipliers; `fused` none, relu or relu6.
QTensor add(const QTensor& a, const QTensor& b, Quant out, compiler::Activation fused);

// TFLite's Mul: out = clamp(z_out + multiply_by_quantized_multiplier((q1 - z1)(q2 - z2),
// quantize_multiplier(s1 s2 / s_out)), q_min, q_max); `fused` none, relu or relu6.
QTensor mul(const QTensor& a, const QTensor& b, Quant out, compiler::Activation fused);

// [N,...,A,B] -> [N,...,B,A] (at least 3 dimensions: the batch never moves); values and
// quantization unchanged.
QTensor transpose(const QTensor& in);

// [begin, begin + size) of `axis` (an index into the whole shape, batch included); the output
// keeps the input's quantization.
QTensor slice(const QTensor& in, size_t axis, int64_t begin, int64_t size);

// T[i] = saturate(round(f(s_in (i - 128 - z_in)) / s_out) + z_out), f in double; kNone is the
// identity (a requantization).
std::array<int8_t, 256> activation_table(compiler::Activation f, Quant in, Quant out);
// out = T[q + 128].
QTensor activation(const QTensor& in, compiler::Activation f, Quant out);

// An unfolded batchnorm, y = scale[c] x + shift[c] over the last axis (the scale_shift rule).
QTensor batchnorm(const QTensor& in, const std::vector<float>& scale,
                  const std::vector<float>& shift, Quant out);

// Over the last axis, in float32: out = clamp(round(p x (1/s_out)) + z_out), 1/s_out the float32
// 1.0f / out.scale. Without `out`, TFLite's 1/256, -128 (softmax_output_quant()).
QTensor softmax(const QTensor& in, Quant out);
QTensor softmax(const QTensor& in);
Quant softmax_output_quant();

// Over the last axis, in float32 and index order.
QTensor layer_norm(const QTensor& in, const std::vector<float>& gamma,
                   const std::vector<float>& beta, float epsilon, Quant out);

// Along `axis` (an index into the whole shape, batch included); all inputs share one
// quantization, which the output keeps.
QTensor concat(const std::vector<QTensor>& inputs, size_t axis);

}  // namespace npu::reference
