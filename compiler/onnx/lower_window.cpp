// Lowering of the 2-D window ops (lowering.h). Conv and the pools share how ONNX's window
// attributes (strides, dilations, pads or auto_pad) become the IR's Window, over an NCHW input the
// IR holds NHWC.

#include <climits>
#include <optional>
#include <set>
#include <tuple>

#include "compiler/onnx/lowering.h"
#include "compiler/shape_inference.h"

namespace npu::compiler::onnx_import {
namespace {

// Reads strides, dilations and pads (or auto_pad) of a conv or pooling node into `window`,
// whose kernel is set. `in` is the NCHW input shape.
void read_window(const OnnxConverter& converter, const onnx::NodeProto& node, Window& window,
                 const Shape& in) {
  const NodeAttributes attrs = converter.attributes(node);
  const std::vector<int> strides = attrs.int_list("strides", 2, 1, 1);
  const std::vector<int> dilations = attrs.int_list("dilations", 2, 1, 1);
  // ONNX orders pads as [x1_begin, x2_begin, x1_end, x2_end]: top, left, bottom, right.
  const std::vector<int> pads = attrs.int_list("pads", 4, 0, 0);
  window.stride_h = strides[0];
  window.stride_w = strides[1];
  window.dilation_h = dilations[0];
  window.dilation_w = dilations[1];
  const std::string auto_pad = attrs.string_attr("auto_pad", "NOTSET");
  if (auto_pad == "NOTSET") {
    window.pad_top = pads[0];
    window.pad_left = pads[1];
    window.pad_bottom = pads[2];
    window.pad_right = pads[3];
    return;
  }
  if (find_attribute(node, "pads"))
    converter.fail(node, "gives both pads and auto_pad " + auto_pad);
  if (auto_pad == "VALID") return;
  if (auto_pad == "SAME_UPPER") {
    // TensorFlow's "same" (the odd padding element at the end) is the IR's pad_same.
    window.pad_same = true;
  } else if (auto_pad == "SAME_LOWER") {
    // The odd element at the beginning: the IR's same padding with the two sides swapped.
    std::tie(window.pad_bottom, window.pad_top) =
        same_padding(in[2], window.kernel_h, window.stride_h, window.dilation_h);
    std::tie(window.pad_right, window.pad_left) =
        same_padding(in[3], window.kernel_w, window.stride_w, window.dilation_w);
  } else {
    converter.fail(
        node, "auto_pad '" + auto_pad + "' is not one of NOTSET, VALID, SAME_UPPER, SAME_LOWER");
  }
}

// The activation operand of a 2-D window op: an NCHW tensor, which the IR holds NHWC.
Tensor feature_map(OnnxConverter& converter, const onnx::NodeProto& node) {
  const Tensor x = converter.activation(node, 0);
  const Shape in = converter.onnx_shape(x);
  if (in.size() != 4) {
    converter.fail(node, "input '" + node.input(0) + "' has shape " + format_shape(in) +
                             "; npusim supports only 2-D windows over an NCHW input of rank 4");
  }
  return converter.in_layout(node, 0, x, channels_last(4));
}

// ceil_mode rounds the output size up instead of down. The extra end padding that makes the
// floor formula give the same size; the last window must still start inside the input or its
// leading padding (PyTorch's rule, which ONNX adopted):
//   out = ceil((in + before + after - k) / s) + 1, less 1 if (out - 1) s >= in + before.
int ceil_mode_extra(int64_t in, int kernel, int stride, int before, int after) {
  const int64_t span = in + before + after - kernel;
  if (span < 0) return 0;  // shape inference reports the kernel that does not fit
  const int64_t floor_out = span / stride + 1;
  int64_t ceil_out = (span + stride - 1) / stride + 1;
  if ((ceil_out - 1) * stride >= in + before) --ceil_out;
  if (ceil_out <= floor_out) return 0;
  return static_cast<int>((ceil_out - 1) * stride + kernel - (in + before + after));
}

}  // namespace

void lower_conv(OnnxConverter& converter, const onnx::NodeProto& node) {
  const NodeAttributes attrs = converter.attributes(node);
  attrs.check({"auto_pad", "dilations", "group", "kernel_shape", "pads", "strides"});
  const Tensor x = feature_map(converter, node);
  const Shape in = converter.onnx_shape(x);
  const Shape& w =
      converter.dims_of(node, converter.constant(node, 1, "weight"), node.input(1), "weight");
  if (w.size() != 4) {
    converter.fail(node, "weight '" + node.input(1) + "' has shape " + format_shape(w) +
                             "; a 2-D convolution's is [Cout, Cin/group, kH, kW]");
  }
  Layer layer = converter.start_layer(node, OpKind::kConv2d, {x.layer});
  const int64_t group = attrs.int_attr("group", 1);
  if (group < 1 || group > INT_MAX || w[0] < 1 || w[0] > INT_MAX) {
    converter.fail(node, "group " + std::to_string(group) + " and output channels " +
                             std::to_string(w[0]) + " must be >= 1");
  }
  layer.groups = static_cast<int>(group);
  layer.out_channels = static_cast<int>(w[0]);
  if (w[1] * group != in[1]) {
    converter.fail(node, "weight '" + node.input(1) + "' " + format_shape(w) + " with group " +
                             std::to_string(group) + " takes " + std::to_string(w[1] * group) +
                             " input channels, but input '" + node.input(0) + "' " +
                             format_shape(in) + " has " + std::to_string(in[1]));
  }
  if (w[2] < 1 || w[2] > INT_MAX || w[3] < 1 || w[3] > INT_MAX) {
    converter.fail(node, "weight '" + node.input(1) + "' has shape " + format_shape(w) +
                             "; its kernel extents must be >= 1");
  }
  if (find_attribute(node, "kernel_shape")) {
    const std::vector<int> kernel = attrs.int_list("kernel_shape", 2, 1, 1);
    if (kernel[0] != w[2] || kernel[1] != w[3]) {
      converter.fail(node, "kernel_shape " + format_list(kernel) + " disagrees with weight '" +
                               node.input(1) + "' " + format_shape(w));
    }
  }
  layer.window.kernel_h = static_cast<int>(w[2]);
  layer.window.kernel_w = static_cast<int>(w[3]);
  read_window(converter, node, layer.window, in);
  layer.bias = converter.has_input(node, 2);
  if (layer.bias) {
    const Constant& bias = converter.constant(node, 2, "bias");
    if (bias.dims && element_count(*bias.dims) != w[0]) {
      converter.fail(node, "bias '" + node.input(2) + "' has shape " + format_shape(*bias.dims) +
                               "; expected [" + std::to_string(w[0]) + "]");
    }
  }
  const bool bias = layer.bias;
  const int index = converter.add_layer(std::move(layer));
  converter.define(node, Tensor{index, channels_last(4), index});
  if (!converter.wants_weights()) return;
  if (const auto values = converter.weight_values(node, 1, "weight", element_count(w))) {
    // ONNX's [Cout, Cin/g, kH, kW] to the IR's OHWI [Cout, kH, kW, Cin/g].
    const int64_t co = w[0], ci = w[1], kh = w[2], kw = w[3];
    std::vector<float>& target = converter.weights_at(index).weights;
    target.resize(values->size());
    for (int64_t o = 0; o < co; ++o)
      for (int64_t c = 0; c < ci; ++c)
        for (int64_t y = 0; y < kh; ++y)
          for (int64_t x = 0; x < kw; ++x) {
            target[static_cast<size_t>(((o * kh + y) * kw + x) * ci + c)] = static_cast<float>(
                (*values)[static_cast<size_t>(((o * ci + c) * kh + y) * kw + x)]);
          }
  }
  if (bias) {
    if (const auto values = converter.weight_values(node, 2, "bias", w[0])) {
      converter.weights_at(index).bias.assign(values->begin(), values->end());
    }
  }
}

void lower_pool(OnnxConverter& converter, const onnx::NodeProto& node) {
  const NodeAttributes attrs = converter.attributes(node);
  const bool max = node.op_type() == "MaxPool";
  if (max) {
    attrs.check(
        {"auto_pad", "ceil_mode", "dilations", "kernel_shape", "pads", "storage_order", "strides"});
  } else {
    attrs.check({"auto_pad", "ceil_mode", "count_include_pad", "dilations", "kernel_shape", "pads",
                 "strides"});
  }
  converter.require_unused_outputs(node, 1);
  const Tensor x = feature_map(converter, node);
  const Shape in = converter.onnx_shape(x);
  Layer layer = converter.start_layer(node, max ? OpKind::kMaxPool : OpKind::kAvgPool, {x.layer});
  if (!find_attribute(node, "kernel_shape"))
    converter.fail(node, "attribute 'kernel_shape' is missing");
  const std::vector<int> kernel = attrs.int_list("kernel_shape", 2, 1, 1);
  Window& window = layer.window;
  window.kernel_h = kernel[0];
  window.kernel_w = kernel[1];
  read_window(converter, node, window,
              in);  // ONNX pools step by 1 unless told: so does the window here
  if (window.dilation_h != 1 || window.dilation_w != 1) {
    converter.fail(node, "dilated pooling is not supported");
  }
  if (attrs.int_attr("ceil_mode", 0) != 0 && !window.pad_same) {
    window.pad_bottom +=
        ceil_mode_extra(in[2], window.kernel_h, window.stride_h, window.pad_top, window.pad_bottom);
    window.pad_right +=
        ceil_mode_extra(in[3], window.kernel_w, window.stride_w, window.pad_left, window.pad_right);
  }
  const bool padded =
      window.pad_same || window.pad_top || window.pad_bottom || window.pad_left || window.pad_right;
  if (!max && attrs.int_attr("count_include_pad", 0) != 0 && padded) {
    converter.warn(node,
                   "count_include_pad=1: npusim's avgpool divides by the valid taps only, so "
                   "border values differ in a functional run (timing is the same)");
  }
  const int index = converter.add_layer(std::move(layer));
  converter.define(node, Tensor{index, channels_last(4), -1});
}

void lower_global_pool(OnnxConverter& converter, const onnx::NodeProto& node) {
  const NodeAttributes attrs = converter.attributes(node);
  attrs.check({});
  const Tensor x = feature_map(converter, node);
  const Shape in = converter.onnx_shape(x);
  int index = 0;
  if (node.op_type() == "GlobalAveragePool") {
    index = converter.add_layer(converter.start_layer(node, OpKind::kGlobalAvgPool, {x.layer}));
  } else {
    // A max over the whole H x W plane is one window of that size.
    Layer layer = converter.start_layer(node, OpKind::kMaxPool, {x.layer});
    layer.window.kernel_h = static_cast<int>(in[2]);
    layer.window.kernel_w = static_cast<int>(in[3]);
    index = converter.add_layer(std::move(layer));
  }
  converter.define(node, Tensor{index, channels_last(4), -1});
}

void lower_reduce_mean(OnnxConverter& converter, const onnx::NodeProto& node) {
  const NodeAttributes attrs = converter.attributes(node);
  attrs.check({"axes", "keepdims", "noop_with_empty_axes"});
  const Tensor& x = converter.activation(node, 0);
  std::optional<std::vector<int64_t>> axes = attrs.ints_attr("axes");
  if (converter.has_input(node, 1)) {
    const auto decoded = converter.values(converter.constant(node, 1, "axes"));
    if (!decoded) converter.fail(node, "its axes '" + node.input(1) + "' hold no values");
    axes = std::vector<int64_t>(decoded->begin(), decoded->end());
  }
  const size_t rank = converter.onnx_shape(x).size();
  std::set<int> reduced;
  for (int64_t axis : axes.value_or(std::vector<int64_t>{})) {
    reduced.insert(converter.normalize_axis(node, axis, rank));
  }
  if (rank != 4 || !is_channels_last(x.layout) || reduced != std::set<int>{2, 3}) {
    converter.fail(node,
                   "npusim reads ReduceMean only as the mean over the spatial axes 2 and 3 of an "
                   "NCHW tensor (a global average pool)");
  }
  const int pool =
      converter.add_layer(converter.start_layer(node, OpKind::kGlobalAvgPool, {x.layer}));
  if (attrs.int_attr("keepdims", 1) != 0) {
    converter.define(node, Tensor{pool, channels_last(4), -1});
    return;
  }
  const int flat =
      converter.add_layer(converter.start_layer(node, OpKind::kFlatten, {pool}, "/flatten"));
  converter.define(node, Tensor{flat, identity_layout(2), -1});
}

}  // namespace npu::compiler::onnx_import
