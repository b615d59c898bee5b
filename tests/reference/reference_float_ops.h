#pragma once
// Reference implementations of every layer type for float models (fp32, fp16, bf16 with fp32
// accumulation), computed with plain nested loops by docs/numerics.md, "Floating point": every
// value a layer reads is already in the model's format (held as float32 in QTensor::values), all
// arithmetic is float32 in the order written there, and each output is rounded once to the format
// with functional::round_to_format (ties to even). The compiled program sums conv/dense/matmul
// products in a different order (folds, chunks), so tests compare these results with the spec's
// tolerance, not bit for bit.
//
// Tensors are NHWC with the batch first; results carry only shape and values (no int8 data, a
// default quantization). Arguments that do not fit together (sizes, ranks, a format that is not
// a float format, a tensor value or weight that is not a value of the format) throw
// std::invalid_argument. Constants the vector unit reads as float32 (conv/dense bias, batchnorm a
// and b, layer norm gamma and beta) may be any float32.

#include <vector>

#include "arch/arch_config.h"
#include "compiler/graph.h"
#include "sim/functional/model_data.h"

namespace npu::reference {

using functional::QTensor;

// acc = the float32 sum of x w over the kernel taps in (kh, kw, cin) order, a padding tap reading
// +0.0 as the array does; out = round(min(max(acc + bias[c], lo), hi)) with the clamp of `fused`
// (none: none; relu: lo 0; relu6: lo 0, hi 6; other functions are separate layers). `in` is
// [N,H,W,Cin], weights [Cout][Kh][Kw][Cin/groups], bias empty (none) or one per output channel.
QTensor conv2d_float(const QTensor& in, const std::vector<float>& weights,
                     const std::vector<float>& bias, const compiler::Window& window, int groups,
                     int out_channels, compiler::Activation fused, arch::Precision format);

// [N,...,F] x weights [out][F] (+ bias) over the last axis (every other position is a row): the
// same accumulation and output rule as conv2d_float; the result is [N,...,out].
QTensor dense_float(const QTensor& in, const std::vector<float>& weights,
                    const std::vector<float>& bias, int out_features, compiler::Activation fused,
                    arch::Precision format);

// [..,M,K] x [..,K,N], equal leading dimensions; no bias.
QTensor matmul_float(const QTensor& a, const QTensor& b, compiler::Activation fused,
                     arch::Precision format);

// Padding taps are skipped; a window with no tap inside the image is rejected. max_pool_float
// returns the largest valid tap (already a value of the format); avg_pool_float rounds the float32
// sum of the n valid taps in window order, divided by n.
QTensor max_pool_float(const QTensor& in, const compiler::Window& window, arch::Precision format);
QTensor avg_pool_float(const QTensor& in, const compiler::Window& window, arch::Precision format);
QTensor global_avg_pool_float(const QTensor& in, arch::Precision format);  // -> [N,1,1,C]

// out = round(min(max(a + b, lo), hi)), the clamp of `fused` (none, relu, relu6).
QTensor add_float(const QTensor& a, const QTensor& b, compiler::Activation fused,
                  arch::Precision format);

// out = round(min(max(a x b, lo), hi)), the clamp of `fused` (none, relu, relu6).
QTensor mul_float(const QTensor& a, const QTensor& b, compiler::Activation fused,
                  arch::Precision format);

// [N,...,A,B] -> [N,...,B,A] (at least 3 dimensions); values copied unchanged.
QTensor transpose_float(const QTensor& in);
QTensor slice_float(const QTensor& in, size_t axis, int64_t begin, int64_t size);

// out = round(f(x)), f in float32: relu max(x, 0); relu6 min(max(x, 0), 6); sigmoid
// 1 / (1 + expf(-x)); tanhf; gelu 0.5 x (1 + erff(x / sqrtf(2))); kNone the identity.
QTensor activation_float(const QTensor& in, compiler::Activation f, arch::Precision format);

// An unfolded batchnorm over the last axis: out = round(scale[c] x + shift[c]).
QTensor batchnorm_float(const QTensor& in, const std::vector<float>& scale,
                        const std::vector<float>& shift, arch::Precision format);

// Over the last axis, in float32 and index order: m = max x, e = expf(x - m), S = sum e,
// out = round(e / S).
QTensor softmax_float(const QTensor& in, arch::Precision format);

// Over the last axis, in float32 and index order: mean, var = mean of (x - mean)^2,
// out = round((x - mean) / sqrtf(var + epsilon) x gamma + beta).
QTensor layer_norm_float(const QTensor& in, const std::vector<float>& gamma,
                         const std::vector<float>& beta, float epsilon, arch::Precision format);

// Along the last axis; values are copied unchanged.
QTensor concat_float(const std::vector<QTensor>& inputs, size_t axis);

}  // namespace npu::reference
