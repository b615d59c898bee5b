#pragma once
// The compiler's graph IR: a workload as a DAG of layers, each producing one tensor.
//
// Layers are stored in topological order (every input index is smaller than the layer's own index),
// which the workload readers guarantee. Tensors are activations in NHWC order with the batch as the
// first dimension; a layer's output tensor is identified by the layer's index.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "arch/arch_config.h"

namespace npu::compiler {

enum class OpKind {
  kInput,          // a graph input (image, token embeddings, ...)
  kConv2d,         // 2-D convolution, NHWC, with groups (depthwise when groups == channels)
  kDense,          // fully connected over the last axis: [..., in] x [in, out] (+ bias)
  kMatmul,         // two activations: [..., M, K] x [..., K, N]
  kMaxPool,
  kAvgPool,
  kGlobalAvgPool,  // mean over H and W: [N, H, W, C] -> [N, 1, 1, C]
  kAdd,            // element-wise sum of two same-shaped tensors (residual connections)
  kConcat,         // along the channel (last) axis
  kActivation,     // a stand-alone activation function (relu, relu6, sigmoid, tanh, gelu)
  kBatchNorm,      // inference batchnorm; folded into the producing conv/dense at compile time
  kSoftmax,        // over the last axis
  kLayerNorm,      // over the last axis, then a learned per-channel scale (gamma) and shift (beta)
  kFlatten,        // [N, ...] -> [N, prod(...)]
  kReshape,        // to a given per-sample shape with the same element count
  kMul,            // element-wise product of two same-shaped tensors (gates)
  kTranspose,      // swaps the last two axes: [..., A, B] -> [..., B, A]
  kSlice,          // a contiguous range [begin, begin + size) of one axis
};

enum class Activation { kNone, kRelu, kRelu6, kSigmoid, kTanh, kGelu };

const char* to_string(OpKind op);
const char* to_string(Activation activation);

// Window geometry shared by conv2d and pooling. Padding is explicit per side.
struct Window {
  int kernel_h = 1, kernel_w = 1;
  int stride_h = 1, stride_w = 1;
  int dilation_h = 1, dilation_w = 1;
  int pad_top = 0, pad_bottom = 0, pad_left = 0, pad_right = 0;
  // TF-style "same" padding: the pads depend on the input size, so shape inference computes them
  // (and overwrites the four fields above) rather than the reader.
  bool pad_same = false;
};

struct Layer {
  std::string name;
  OpKind op = OpKind::kInput;
  std::vector<int> inputs;  // indices of producer layers, in operand order

  // Op attributes; only those meaningful for `op` are read.
  Window window;                 // conv2d, max/avg pool
  int out_channels = 0;          // conv2d; dense: output features
  int groups = 1;                // conv2d
  bool bias = false;             // conv2d, dense
  // kActivation's function, or fused into conv/dense/add/mul (relu or relu6 only: the clamps
  // that requantization, add and mul apply; other functions need a layer of their own).
  Activation activation = Activation::kNone;
  float epsilon = 1e-5f;  // layernorm: added to the variance before the square root
  std::vector<int64_t> target_shape;          // reshape: per-sample shape (no batch)
  // concat: the per-sample axis it joins along; slice: the one it cuts (no batch; negative from
  // the end).
  int axis = -1;
  int64_t slice_begin = 0;  // slice: the first index kept along `axis`
  int64_t slice_size = 0;   // slice: how many are kept
  // conv2d, dense: the earlier layer whose weights (and bias) this one applies, as an unrolled
  // recurrent step applies its cell's; -1 when the layer has its own. Always the layer that owns
  // them (the reader follows chains), so its parameters are counted once.
  int weights_of = -1;
  // conv2d, dense: declared sparsity (docs/sparsity.md). weight_density is the share of nonzero
  // weights (unstructured, or N/M of an N:M pattern); weight_pattern_m is 0 unless the weights
  // follow an N:M pattern along the reduction axis. activation_density is the share of nonzero
  // input activations. All 1 / 0: dense, the default.
  double weight_density = 1.0;
  int weight_pattern_n = 0;
  int weight_pattern_m = 0;
  double activation_density = 1.0;
  // conv2d, dense: the layer's own operand precision (mixed precision, docs/workloads.md): its
  // weights and the input activations it reads; unset, the design's precision.operand.
  std::optional<arch::Precision> precision;

  // Filled by shape inference (compiler/shape_inference.h).
  std::vector<int64_t> output_shape;  // including the batch dimension
  int64_t macs = 0;    // multiply-accumulates for the whole batch (docs/metrics.md)
  int64_t params = 0;  // learned parameters (conv/dense weights and bias, batchnorm and layernorm
                       // scale and shift)

  int source_line = 0;    // 1-based line in the workload file, 0 when unknown
  int source_column = 0;  // 1-based column of the layer's entry, 0 when unknown
};

struct Graph {
  std::string name;
  std::string source_path;  // the workload file, for error messages
  int batch = 1;
  std::vector<Layer> layers;  // topological order

  int64_t total_macs() const;
  int64_t total_params() const;
};

int64_t element_count(const std::vector<int64_t>& shape);

// A concat's (or slice's) axis as an index into a shape of `rank` dimensions, batch included; may
// be out of range for an invalid `axis` (shape inference rejects it). The second form uses the
// layer's output shape.
int concat_axis(const Layer& layer, size_t rank);
size_t concat_axis(const Layer& layer);

// "[1,56,56,256]", the form error messages and reports use.
std::string format_shape(const std::vector<int64_t>& shape);

// "file:line:col: layer 'name'" (as much of the position as is known), the prefix of every
// UserError about one layer, so passes after the reader can still point at the workload file.
std::string layer_location(const Graph& graph, const Layer& layer);

}  // namespace npu::compiler
