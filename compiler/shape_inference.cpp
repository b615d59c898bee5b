#include "compiler/shape_inference.h"

#include <cstdint>
#include <stdexcept>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

#include "arch/user_error.h"

namespace npu::compiler {
namespace {

using Shape = std::vector<int64_t>;

// The op's name as a workload file spells it ("relu" rather than "activation").
std::string op_name(const Layer& layer) {
  return layer.op == OpKind::kActivation ? to_string(layer.activation) : to_string(layer.op);
}

std::string extent_text(int64_t h, int64_t w) {
  return std::to_string(h) + "x" + std::to_string(w);
}

// One layer being inferred: its operands' shapes and the error reporting every rule shares.
class LayerContext {
 public:
  LayerContext(const Graph& graph, Layer& layer) : m_graph(graph), m_layer(layer) {}

  Layer& layer() { return m_layer; }
  const Shape& input(size_t i) const { return m_graph.layers[m_layer.inputs[i]].output_shape; }
  size_t input_count() const { return m_layer.inputs.size(); }
  // "[1,56,56,64] from 'conv1'", how messages show an operand.
  std::string described(size_t i) const {
    return format_shape(input(i)) + " from '" + m_graph.layers[m_layer.inputs[i]].name + "'";
  }

  [[noreturn]] void fail(const std::string& message) const {
    throw UserError(layer_location(m_graph, m_layer) + ": " + message);
  }

  void expect_inputs(size_t min, size_t max) const {
    const size_t count = input_count();
    if (count >= min && count <= max) return;
    std::string wanted =
        min == max ? "exactly " + std::to_string(min) : "at least " + std::to_string(min);
    fail(op_name(m_layer) + " takes " + wanted + " input" + (min == 1 && max == 1 ? "" : "s") +
         ", got " + std::to_string(count));
  }

  void expect_rank(size_t i, size_t rank, const char* form) const {
    if (input(i).size() == rank) return;
    fail(op_name(m_layer) + " needs a " + std::to_string(rank) + "-D input " + form + ", got " +
         described(i));
  }

  // Counts are int64; a workload whose products overflow them is a user error, not wrap-around.
  int64_t mul(int64_t a, int64_t b) const {
    int64_t product = 0;
    if (__builtin_mul_overflow(a, b, &product)) fail("tensor sizes overflow 64-bit counts");
    return product;
  }
  int64_t product(const Shape& shape, size_t begin, size_t end) const {
    int64_t result = 1;
    for (size_t i = begin; i < end; ++i) result = mul(result, shape[i]);
    return result;
  }

 private:
  const Graph& m_graph;
  Layer& m_layer;
};

void infer_input(LayerContext& ctx, int batch) {
  const Layer& layer = ctx.layer();
  ctx.expect_inputs(0, 0);
  const Shape& shape = layer.output_shape;
  bool positive = true;
  for (int64_t dim : shape) positive = positive && dim >= 1;
  if (shape.size() < 2 || !positive) {
    ctx.fail("input shape " + format_shape(shape) +
             " must be the batch followed by 1 or more dimensions, each >= 1");
  }
  if (shape[0] != batch) {
    ctx.fail("input shape " + format_shape(shape) + " must start with the batch size " +
             std::to_string(batch));
  }
}

// Resolves "same" padding and returns the output {H, W} of a conv or pooling window over the
// NHWC input `in`.
std::pair<int64_t, int64_t> infer_window(LayerContext& ctx, const Shape& in) {
  Window& w = ctx.layer().window;
  if (w.kernel_h < 1 || w.kernel_w < 1 || w.stride_h < 1 || w.stride_w < 1 || w.dilation_h < 1 ||
      w.dilation_w < 1) {
    ctx.fail("kernel, stride and dilation must be >= 1");
  }
  if (w.pad_same) {
    std::tie(w.pad_top, w.pad_bottom) = same_padding(in[1], w.kernel_h, w.stride_h, w.dilation_h);
    std::tie(w.pad_left, w.pad_right) = same_padding(in[2], w.kernel_w, w.stride_w, w.dilation_w);
  }
  if (w.pad_top < 0 || w.pad_bottom < 0 || w.pad_left < 0 || w.pad_right < 0) {
    ctx.fail("padding must be >= 0");
  }
  const int64_t out_h =
      window_output_size(in[1], w.kernel_h, w.stride_h, w.dilation_h, w.pad_top, w.pad_bottom);
  const int64_t out_w =
      window_output_size(in[2], w.kernel_w, w.stride_w, w.dilation_w, w.pad_left, w.pad_right);
  if (out_h < 1 || out_w < 1) {
    const int64_t extent_h = int64_t{w.dilation_h} * (w.kernel_h - 1) + 1;
    const int64_t extent_w = int64_t{w.dilation_w} * (w.kernel_w - 1) + 1;
    ctx.fail("kernel " + extent_text(w.kernel_h, w.kernel_w) + " (extent " +
             extent_text(extent_h, extent_w) + " with dilation " +
             extent_text(w.dilation_h, w.dilation_w) + ") does not fit the padded input " +
             extent_text(in[1] + w.pad_top + w.pad_bottom, in[2] + w.pad_left + w.pad_right) +
             " (input " + ctx.described(0) + ", padding top/bottom " + std::to_string(w.pad_top) +
             "/" + std::to_string(w.pad_bottom) + ", left/right " + std::to_string(w.pad_left) +
             "/" + std::to_string(w.pad_right) + ")");
  }
  return {out_h, out_w};
}

void infer_conv2d(LayerContext& ctx) {
  ctx.expect_inputs(1, 1);
  ctx.expect_rank(0, 4, "[N,H,W,C]");
  Layer& layer = ctx.layer();
  const Shape& in = ctx.input(0);
  const int64_t in_channels = in[3];
  const int64_t out_channels = layer.out_channels;
  if (out_channels < 1) ctx.fail("out_channels must be >= 1");
  if (layer.groups < 1) ctx.fail("groups must be >= 1");
  if (in_channels % layer.groups != 0 || out_channels % layer.groups != 0) {
    ctx.fail("groups " + std::to_string(layer.groups) + " must divide both the input channels (" +
             std::to_string(in_channels) + ", of " + ctx.described(0) + ") and out_channels (" +
             std::to_string(out_channels) + ")");
  }
  const auto [out_h, out_w] = infer_window(ctx, in);
  layer.output_shape = {in[0], out_h, out_w, out_channels};
  // Each output element is a dot product over its group's Cin/groups channels and the Kh x Kw
  // window: macs = N x Hout x Wout x Cout x (Cin/groups) x Kh x Kw.
  const int64_t weights_per_output =
      ctx.mul(in_channels / layer.groups, ctx.mul(layer.window.kernel_h, layer.window.kernel_w));
  layer.macs = ctx.mul(ctx.product(layer.output_shape, 0, 4), weights_per_output);
  // One Kh x Kw x Cin/groups filter per output channel, plus one bias each.
  layer.params = ctx.mul(out_channels, weights_per_output) + (layer.bias ? out_channels : 0);
}

void infer_pool(LayerContext& ctx) {
  ctx.expect_inputs(1, 1);
  ctx.expect_rank(0, 4, "[N,H,W,C]");
  const Shape& in = ctx.input(0);
  const auto [out_h, out_w] = infer_window(ctx, in);
  ctx.layer().output_shape = {in[0], out_h, out_w, in[3]};
}

void infer_global_avgpool(LayerContext& ctx) {
  ctx.expect_inputs(1, 1);
  ctx.expect_rank(0, 4, "[N,H,W,C]");
  const Shape& in = ctx.input(0);
  ctx.layer().output_shape = {in[0], 1, 1, in[3]};
}

// Over the last axis: every other position ([N,in]: each sample; [N,T,in]: each token) is a row
// of the product.
void infer_dense(LayerContext& ctx) {
  ctx.expect_inputs(1, 1);
  Layer& layer = ctx.layer();
  const Shape& in = ctx.input(0);
  if (in.size() < 2) {
    ctx.fail("dense needs an input [N,...,features], got " + ctx.described(0));
  }
  const int64_t out_features = layer.out_channels;
  if (out_features < 1) ctx.fail("out_features must be >= 1");
  layer.output_shape = in;
  layer.output_shape.back() = out_features;
  // Each row is multiplied by an in x out weight matrix: macs = rows x in x out, with rows the
  // product of all but the last dimension (N x T for [N,T,in]).
  const int64_t weights = ctx.mul(in.back(), out_features);
  layer.macs = ctx.mul(ctx.product(in, 0, in.size() - 1), weights);
  layer.params = weights + (layer.bias ? out_features : 0);
}

// A conv2d's or dense layer's weight tensor as its dimensions (bias last, as 1 or 0), in a form
// that two layers sharing weights must agree on.
std::vector<int64_t> weight_signature(const Graph& graph, const Layer& layer) {
  const Shape& in = graph.layers[static_cast<size_t>(layer.inputs[0])].output_shape;
  const int64_t bias = layer.bias ? 1 : 0;
  if (layer.op == OpKind::kDense) return {in.back(), layer.out_channels, bias};
  return {layer.out_channels,       layer.window.kernel_h, layer.window.kernel_w,
          in.back() / layer.groups, layer.groups,          bias};
}

std::string describe_signature(const Layer& layer, const std::vector<int64_t>& signature) {
  std::string text = layer.op == OpKind::kDense ? "dense weights [in,out] = ["
                                                : "conv weights [Cout,Kh,Kw,Cin/groups] = [";
  const size_t dims = signature.size() - (layer.op == OpKind::kDense ? 1 : 2);
  for (size_t i = 0; i < dims; ++i) text += (i ? "," : "") + std::to_string(signature[i]);
  text += "]";
  if (layer.op == OpKind::kConv2d) text += ", groups " + std::to_string(signature[4]);
  return text + (signature.back() ? " with bias" : " without bias");
}

// A layer that applies another's weights owns no parameters; the weights must be the same shape.
void share_weights(const Graph& graph, LayerContext& ctx) {
  Layer& layer = ctx.layer();
  if (layer.weights_of < 0) return;
  const Layer& owner = graph.layers[static_cast<size_t>(layer.weights_of)];
  const std::vector<int64_t> mine = weight_signature(graph, layer);
  const std::vector<int64_t> theirs = weight_signature(graph, owner);
  if (mine != theirs) {
    ctx.fail("weights_of '" + owner.name + "': this layer needs " +
             describe_signature(layer, mine) + ", '" + owner.name + "' has " +
             describe_signature(owner, theirs));
  }
  layer.params = 0;
}

void infer_matmul(LayerContext& ctx) {
  ctx.expect_inputs(2, 2);
  Layer& layer = ctx.layer();
  const Shape& a = ctx.input(0);
  const Shape& b = ctx.input(1);
  const size_t rank = a.size();
  bool fits = rank >= 2 && b.size() == rank && a[rank - 1] == b[rank - 2];
  for (size_t i = 0; fits && i + 2 < rank; ++i) fits = a[i] == b[i];
  if (!fits) {
    ctx.fail("matmul needs [...,M,K] x [...,K,N] with equal leading dimensions, got " +
             ctx.described(0) + " and " + ctx.described(1));
  }
  const int64_t m = a[rank - 2], k = a[rank - 1], n = b[rank - 1];
  layer.output_shape.assign(a.begin(), a.end() - 2);
  layer.output_shape.push_back(m);
  layer.output_shape.push_back(n);
  // One M x K by K x N product per leading index: macs = leading dims x M x N x K.
  layer.macs = ctx.mul(ctx.product(a, 0, rank - 2), ctx.mul(m, ctx.mul(n, k)));
}

// add and mul: two operands of one shape, no broadcasting.
void infer_binary_eltwise(LayerContext& ctx) {
  ctx.expect_inputs(2, 2);
  if (ctx.input(0) != ctx.input(1)) {
    ctx.fail("inputs have shapes " + ctx.described(0) + " and " + ctx.described(1) + "; " +
             op_name(ctx.layer()) + " needs equal shapes");
  }
  ctx.layer().output_shape = ctx.input(0);
}

// Swaps the last two axes. The batch never moves, so the tensor needs the batch and at least two
// more dimensions.
void infer_transpose(LayerContext& ctx) {
  ctx.expect_inputs(1, 1);
  const Shape& in = ctx.input(0);
  if (in.size() < 3) {
    ctx.fail(
        "transpose swaps the last two axes of the per-sample shape, which needs at least 2 "
        "dimensions, got " +
        ctx.described(0));
  }
  Shape out = in;
  std::swap(out[out.size() - 2], out[out.size() - 1]);
  ctx.layer().output_shape = out;
}

void infer_concat(LayerContext& ctx) {
  ctx.expect_inputs(2, SIZE_MAX);
  Shape out = ctx.input(0);
  const int per_sample_rank = static_cast<int>(out.size()) - 1;
  const int axis = concat_axis(ctx.layer(), out.size());
  if (axis < 1 || axis >= static_cast<int>(out.size())) {
    ctx.fail("axis " + std::to_string(ctx.layer().axis) + " is out of range for inputs of " +
             std::to_string(per_sample_rank) + " dimension(s) per sample: expected " +
             std::to_string(-per_sample_rank) + " .. " + std::to_string(per_sample_rank - 1));
  }
  const std::string along =
      ctx.layer().axis == -1 ? "the last axis" : "axis " + std::to_string(ctx.layer().axis);
  for (size_t i = 1; i < ctx.input_count(); ++i) {
    const Shape& in = ctx.input(i);
    bool fits = in.size() == out.size();
    for (size_t d = 0; fits && d < out.size(); ++d) {
      fits = d == static_cast<size_t>(axis) || in[d] == out[d];
    }
    if (!fits) {
      ctx.fail("concat joins along " + along + ", so all other dimensions must be equal, got " +
               ctx.described(0) + " and " + ctx.described(i));
    }
    out[static_cast<size_t>(axis)] += in[static_cast<size_t>(axis)];
  }
  ctx.layer().output_shape = out;
}

void infer_slice(LayerContext& ctx) {
  ctx.expect_inputs(1, 1);
  Shape out = ctx.input(0);
  const Layer& layer = ctx.layer();
  const int per_sample_rank = static_cast<int>(out.size()) - 1;
  const int axis = concat_axis(layer, out.size());
  if (axis < 1 || axis >= static_cast<int>(out.size())) {
    ctx.fail("axis " + std::to_string(layer.axis) + " is out of range for an input of " +
             std::to_string(per_sample_rank) + " dimension(s) per sample: expected " +
             std::to_string(-per_sample_rank) + " .. " + std::to_string(per_sample_rank - 1));
  }
  const int64_t extent = out[static_cast<size_t>(axis)];
  if (layer.slice_begin + layer.slice_size > extent) {
    ctx.fail("slice [" + std::to_string(layer.slice_begin) + ", " +
             std::to_string(layer.slice_begin + layer.slice_size) + ") of axis " +
             std::to_string(layer.axis) + " is past its " + std::to_string(extent) +
             " elements in " + ctx.described(0));
  }
  out[static_cast<size_t>(axis)] = layer.slice_size;
  ctx.layer().output_shape = out;
}

void infer_activation(LayerContext& ctx) {
  ctx.expect_inputs(1, 1);
  if (ctx.layer().activation == Activation::kNone) ctx.fail("activation layer has no function");
  ctx.layer().output_shape = ctx.input(0);
}

void infer_batchnorm(LayerContext& ctx) {
  ctx.expect_inputs(1, 1);
  Layer& layer = ctx.layer();
  layer.output_shape = ctx.input(0);
  // A learned scale and shift per channel (torchvision's weight and bias). The running mean and
  // variance are statistics, not parameters; at inference all four fold into the scale and shift.
  layer.params = 2 * layer.output_shape.back();
}

void infer_softmax(LayerContext& ctx) {
  ctx.expect_inputs(1, 1);
  ctx.layer().output_shape = ctx.input(0);
}

void infer_layernorm(LayerContext& ctx) {
  ctx.expect_inputs(1, 1);
  Layer& layer = ctx.layer();
  layer.output_shape = ctx.input(0);
  // Normalises over the last axis, then a learned scale (gamma) and shift (beta) per channel.
  layer.params = 2 * layer.output_shape.back();
}

void infer_flatten(LayerContext& ctx) {
  ctx.expect_inputs(1, 1);
  const Shape& in = ctx.input(0);
  ctx.layer().output_shape = {in[0], ctx.product(in, 1, in.size())};
}

void infer_reshape(LayerContext& ctx) {
  ctx.expect_inputs(1, 1);
  Layer& layer = ctx.layer();
  const Shape& in = ctx.input(0);
  const Shape& target = layer.target_shape;
  const int64_t count = ctx.product(in, 1, in.size());
  int64_t known = 1;
  int wildcards = 0;
  for (int64_t dim : target) {
    if (dim == -1) {
      ++wildcards;
    } else if (dim < 1) {
      ctx.fail("reshape target " + format_shape(target) + " may hold dimensions >= 1 and one -1");
    } else {
      known = ctx.mul(known, dim);
    }
  }
  if (target.empty() || wildcards > 1) {
    ctx.fail("reshape target " + format_shape(target) +
             " must have at least one dimension and at most one -1");
  }
  const bool fits = wildcards == 1 ? count % known == 0 : count == known;
  if (!fits) {
    ctx.fail("reshape target " + format_shape(target) + " cannot hold the " +
             std::to_string(count) + " elements per sample of " + ctx.described(0));
  }
  layer.output_shape = {in[0]};
  for (int64_t dim : target) layer.output_shape.push_back(dim == -1 ? count / known : dim);
}

}  // namespace

int64_t window_output_size(int64_t in, int kernel, int stride, int dilation, int pad_before,
                           int pad_after) {
  const int64_t span = in + pad_before + pad_after - int64_t{dilation} * (kernel - 1) - 1;
  // Floor division: C++ truncates toward zero, which would let a kernel one element too large
  // still produce one output.
  const int64_t steps = span >= 0 ? span / stride : -((-span + stride - 1) / stride);
  return steps + 1;
}

std::pair<int, int> same_padding(int64_t in, int kernel, int stride, int dilation) {
  const int64_t out = (in + stride - 1) / stride;
  const int64_t needed = (out - 1) * stride + int64_t{dilation} * (kernel - 1) + 1 - in;
  const int total = static_cast<int>(needed > 0 ? needed : 0);
  return {total / 2, total - total / 2};
}

void infer_shapes(Graph& graph) {
  for (size_t index = 0; index < graph.layers.size(); ++index) {
    Layer& layer = graph.layers[index];
    for (int input : layer.inputs) {
      // The readers build layers in topological order; anything else is a compiler bug.
      if (input < 0 || static_cast<size_t>(input) >= index) {
        throw std::logic_error("graph IR: layer '" + layer.name + "' reads layer index " +
                               std::to_string(input) + ", not an earlier layer");
      }
    }
    layer.macs = 0;
    layer.params = 0;
    LayerContext ctx(graph, layer);
    switch (layer.op) {
      case OpKind::kInput:
        infer_input(ctx, graph.batch);
        break;
      case OpKind::kConv2d:
        infer_conv2d(ctx);
        share_weights(graph, ctx);
        break;
      case OpKind::kDense:
        infer_dense(ctx);
        share_weights(graph, ctx);
        break;
      case OpKind::kMatmul:
        infer_matmul(ctx);
        break;
      case OpKind::kMaxPool:
      case OpKind::kAvgPool:
        infer_pool(ctx);
        break;
      case OpKind::kGlobalAvgPool:
        infer_global_avgpool(ctx);
        break;
      case OpKind::kAdd:
      case OpKind::kMul:
        infer_binary_eltwise(ctx);
        break;
      case OpKind::kTranspose:
        infer_transpose(ctx);
        break;
      case OpKind::kConcat:
        infer_concat(ctx);
        break;
      case OpKind::kSlice:
        infer_slice(ctx);
        break;
      case OpKind::kActivation:
        infer_activation(ctx);
        break;
      case OpKind::kBatchNorm:
        infer_batchnorm(ctx);
        break;
      case OpKind::kSoftmax:
        infer_softmax(ctx);
        break;
      case OpKind::kLayerNorm:
        infer_layernorm(ctx);
        break;
      case OpKind::kFlatten:
        infer_flatten(ctx);
        break;
      case OpKind::kReshape:
        infer_reshape(ctx);
        break;
    }
  }
}

}  // namespace npu::compiler
