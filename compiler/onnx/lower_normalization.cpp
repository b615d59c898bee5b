// Lowering of BatchNormalization, LayerNormalization and Softmax (lowering.h). The IR normalises
// over the axis it holds last, so each checks that ONNX's axes come down to that one.

#include <cmath>

#include "compiler/onnx/lowering.h"

namespace npu::compiler::onnx_import {
namespace {

// Per-channel constants in the order the IR holds the channels of `x`.
std::vector<float> in_feature_order(const std::vector<double>& values, const Tensor& x) {
  std::vector<float> result(values.size());
  for (size_t i = 0; i < values.size(); ++i) {
    result[i] = static_cast<float>(
        values[x.feature_order.empty() ? i : static_cast<size_t>(x.feature_order[i])]);
  }
  return result;
}

// Whether normalising over ONNX axes [first, rank) is the IR's normalisation over its last
// axis: the axis held last is among them and the others have size 1.
bool normalises_last_axis(const OnnxConverter& converter, const Tensor& x, int first) {
  const Shape shape = converter.onnx_shape(x);
  const int held_last = x.layout.back();
  if (held_last < first) return false;
  for (size_t axis = static_cast<size_t>(first); axis < shape.size(); ++axis) {
    if (static_cast<int>(axis) != held_last && shape[axis] != 1) return false;
  }
  return true;
}

}  // namespace

void lower_batchnorm(OnnxConverter& converter, const onnx::NodeProto& node) {
  const NodeAttributes attrs = converter.attributes(node);
  attrs.check({"epsilon", "momentum", "spatial", "training_mode", "is_test", "consumed_inputs"});
  if (attrs.int_attr("training_mode", 0) != 0)
    converter.fail(node, "training_mode=1 is not inference");
  if (attrs.int_attr("spatial", 1) != 1) converter.fail(node, "spatial=0 is not supported");
  converter.require_unused_outputs(node, 1);
  const Tensor& x = converter.activation(node, 0);
  // ONNX normalises per channel, axis 1; the IR's batchnorm works on its last axis.
  if (x.layout.back() != 1) {
    converter.fail(node,
                   "input '" + node.input(0) + "' " + format_shape(converter.onnx_shape(x)) +
                       " does not hold its channel axis (1) last in the IR; npusim's batchnorm "
                       "works over the last axis");
  }
  const int index = converter.add_layer(converter.start_layer(node, OpKind::kBatchNorm, {x.layer}));
  Tensor out{index, x.layout, -1};
  out.feature_order = x.feature_order;
  converter.define(node, out);
  if (!converter.wants_weights()) return;
  const int64_t channels = converter.layer(index).output_shape.back();
  const double epsilon = attrs.float_attr("epsilon").value_or(1e-5);
  const auto gamma = converter.weight_values(node, 1, "scale", channels);
  const auto beta = converter.weight_values(node, 2, "bias", channels);
  const auto mean = converter.weight_values(node, 3, "mean", channels);
  const auto var = converter.weight_values(node, 4, "variance", channels);
  if (!gamma || !beta || !mean || !var) return;
  // y = gamma (x - mean) / sqrt(var + eps) + beta = a x + b.
  std::vector<double> a(static_cast<size_t>(channels)), b(a.size());
  for (size_t c = 0; c < a.size(); ++c) {
    a[c] = (*gamma)[c] / std::sqrt((*var)[c] + epsilon);
    b[c] = (*beta)[c] - (*mean)[c] * a[c];
  }
  converter.weights_at(index).scale = in_feature_order(a, x);
  converter.weights_at(index).shift = in_feature_order(b, x);
}

void lower_softmax(OnnxConverter& converter, const onnx::NodeProto& node) {
  const NodeAttributes attrs = converter.attributes(node);
  attrs.check({"axis"});
  const Tensor& x = converter.activation(node, 0);
  const size_t rank = x.layout.size();
  // Before opset 13 the default axis is 1 and the input is coerced to 2-D there, so the
  // softmax spans axes [axis, rank); from 13 it spans the one axis, by default the last.
  const int axis =
      converter.normalize_axis(node, attrs.int_attr("axis", converter.opset() < 13 ? 1 : -1), rank);
  const bool last =
      converter.opset() < 13 ? normalises_last_axis(converter, x, axis) : x.layout.back() == axis;
  if (!last) {
    converter.fail(node,
                   "softmax over ONNX axis " + std::to_string(axis) + " of " +
                       format_shape(converter.onnx_shape(x)) +
                       ", which the IR does not hold last; npusim's softmax is over the last axis");
  }
  const int index = converter.add_layer(converter.start_layer(node, OpKind::kSoftmax, {x.layer}));
  Tensor out{index, x.layout, -1};
  out.feature_order = x.feature_order;  // a softmax does not care where its features are
  converter.define(node, out);
}

void lower_layernorm(OnnxConverter& converter, const onnx::NodeProto& node) {
  const NodeAttributes attrs = converter.attributes(node);
  attrs.check({"axis", "epsilon", "stash_type"});
  converter.require_unused_outputs(node, 1);
  const Tensor& x = converter.activation(node, 0);
  const int axis = converter.normalize_axis(node, attrs.int_attr("axis", -1), x.layout.size());
  if (!normalises_last_axis(converter, x, axis)) {
    converter.fail(node, "normalises ONNX axes from " + std::to_string(axis) + " of " +
                             format_shape(converter.onnx_shape(x)) +
                             "; npusim's layernorm normalises over the axis the IR holds last");
  }
  Layer layer = converter.start_layer(node, OpKind::kLayerNorm, {x.layer});
  const double epsilon = attrs.float_attr("epsilon").value_or(1e-5);
  layer.epsilon = static_cast<float>(epsilon);
  if (!(layer.epsilon > 0)) converter.fail(node, "epsilon must be > 0 in float32");
  const int index = converter.add_layer(std::move(layer));
  Tensor out{index, x.layout, -1};
  out.feature_order = x.feature_order;
  converter.define(node, out);
  if (!converter.wants_weights()) return;
  const int64_t channels = converter.layer(index).output_shape.back();
  const auto gamma = converter.weight_values(node, 1, "scale", channels);
  const auto beta =
      converter.has_input(node, 2)
          ? converter.weight_values(node, 2, "bias", channels)
          : std::optional<std::vector<double>>(std::vector<double>(static_cast<size_t>(channels)));
  if (!gamma || !beta) return;
  converter.weights_at(index).scale = in_feature_order(*gamma, x);
  converter.weights_at(index).shift = in_feature_order(*beta, x);
}

}  // namespace npu::compiler::onnx_import
