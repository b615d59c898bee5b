// Lowering of element-wise ops (lowering.h): the IR's activations, the functions it lacks (costed
// as a table lookup, with a warning), ops of two tensors, the per-channel constants that fold into
// the conv or dense before them rather than becoming layers, and the nodes that compute nothing.

#include <optional>
#include <sstream>

#include "compiler/onnx/lowering.h"

namespace npu::compiler::onnx_import {
namespace {

// An Add/Sub of a per-channel constant folded into `layer`'s bias (sign -1 for x - c).
void fold_into_bias(OnnxConverter& converter, const onnx::NodeProto& node, int index, int layer,
                    double sign) {
  const int64_t channels = converter.layer(layer).output_shape.back();
  const auto c = converter.weight_values(node, index, "operand", channels, true);
  if (!c) return;
  LayerWeights& target = converter.weights_at(layer);
  if (target.bias.empty()) target.bias.assign(static_cast<size_t>(channels), 0.0f);
  for (size_t o = 0; o < target.bias.size(); ++o) {
    target.bias[o] = static_cast<float>(target.bias[o] + sign * (*c)[o]);
  }
}

// A Mul/Div by a per-channel constant folded into `layer`'s weights and bias.
void fold_into_weights(OnnxConverter& converter, const onnx::NodeProto& node, int index, int layer,
                       bool divide) {
  const int64_t channels = converter.layer(layer).output_shape.back();
  const auto c = converter.weight_values(node, index, "operand", channels, true);
  if (!c) return;
  LayerWeights& target = converter.weights_at(layer);
  const size_t per_channel = target.weights.size() / static_cast<size_t>(channels);
  for (size_t o = 0; o < static_cast<size_t>(channels); ++o) {
    const double factor = divide ? 1.0 / (*c)[o] : (*c)[o];
    for (size_t j = 0; j < per_channel; ++j) {
      float& w = target.weights[o * per_channel + j];
      w = static_cast<float>(w * factor);
    }
    if (!target.bias.empty()) target.bias[o] = static_cast<float>(target.bias[o] * factor);
  }
}

void add_activation_layer(OnnxConverter& converter, const onnx::NodeProto& node, const Tensor& x,
                          Activation function) {
  Layer layer = converter.start_layer(node, OpKind::kActivation, {x.layer});
  layer.activation = function;
  const int index = converter.add_layer(std::move(layer));
  Tensor out{index, x.layout, -1};
  out.feature_order = x.feature_order;  // element-wise: the features stay where they are
  converter.define(node, out);
}

// An element-wise function the IR does not have, of one activation (and constants): a vector
// table lookup, which is how an int8 NPU evaluates any function of one element.
void add_unmodelled(OnnxConverter& converter, const onnx::NodeProto& node, const Tensor& x,
                    const std::string& what) {
  add_activation_layer(converter, node, x, Activation::kSigmoid);
  converter.warn(node, what + "; costed as a vector table-lookup activation (as sigmoid)");
}

void binary_of_activations(OnnxConverter& converter, const onnx::NodeProto& node) {
  const Tensor a = converter.activation(node, 0);
  const Tensor b = converter.in_layout(node, 1, converter.activation(node, 1), a.layout);
  const Shape shape_a = converter.onnx_shape(a);
  const Shape shape_b = converter.onnx_shape(b);
  if (shape_a != shape_b) {
    converter.fail(node, "operands have shapes " + format_shape(shape_a) + " and " +
                             format_shape(shape_b) +
                             "; npusim's element-wise ops need equal shapes (no broadcasting)");
  }
  const std::string& op = node.op_type();
  const OpKind kind = op == "Mul" ? OpKind::kMul : OpKind::kAdd;
  const int index = converter.add_layer(converter.start_layer(node, kind, {a.layer, b.layer}));
  Tensor out{index, a.layout, -1};
  out.feature_order = a.feature_order;
  if (a.feature_order != b.feature_order) {
    converter.weights_missing(node,
                              "combines two flattened tensors whose features npusim holds in "
                              "different orders");
  }
  converter.define(node, out);
  if (op != "Add" && op != "Mul") {
    converter.warn(node, "npusim has no element-wise '" + op +
                             "' of two tensors; costed as an element-wise add");
  }
}

}  // namespace

void lower_activation(OnnxConverter& converter, const onnx::NodeProto& node) {
  const NodeAttributes attrs = converter.attributes(node);
  const std::string& op = node.op_type();
  if (op == "Gelu") {
    attrs.check({"approximate"});  // erf or tanh form: both the IR's gelu
  } else {
    attrs.check({});
  }
  const Activation function = op == "Relu"      ? Activation::kRelu
                              : op == "Sigmoid" ? Activation::kSigmoid
                              : op == "Tanh"    ? Activation::kTanh
                                                : Activation::kGelu;
  add_activation_layer(converter, node, converter.activation(node, 0), function);
}

void lower_unmodelled(OnnxConverter& converter, const onnx::NodeProto& node) {
  int found = -1;
  for (int i = 0; i < node.input_size(); ++i) {
    if (!converter.has_input(node, i) || converter.is_constant(node.input(i))) continue;
    if (found >= 0) converter.fail(node, "npusim has no element-wise op of several activations");
    found = i;
  }
  if (found < 0) converter.fail(node, "has no activation input; fold constants first");
  add_unmodelled(converter, node, converter.activation(node, found),
                 "npusim has no '" + node.op_type() + "' function");
}

void lower_clip(OnnxConverter& converter, const onnx::NodeProto& node) {
  const NodeAttributes attrs = converter.attributes(node);
  attrs.check({"min", "max"});
  const Tensor& x = converter.activation(node, 0);
  // Before opset 11 the bounds are attributes; from 11 they are optional constant inputs.
  std::optional<double> low = attrs.float_attr("min");
  std::optional<double> high = attrs.float_attr("max");
  bool known = true;
  for (int index : {1, 2}) {
    if (!converter.has_input(node, index)) continue;
    const std::optional<double> value =
        converter.scalar_value(converter.constant(node, index, index == 1 ? "min" : "max"));
    known = known && value.has_value();
    (index == 1 ? low : high) = value;
  }
  const bool unbounded_above = !high || *high >= 3.4e38;
  if (known && low && *low == 0 && high && *high == 6) {
    add_activation_layer(converter, node, x, Activation::kRelu6);
  } else if (known && low && *low == 0 && unbounded_above) {
    add_activation_layer(converter, node, x, Activation::kRelu);
  } else if (!known) {
    add_unmodelled(converter, node, x,
                   "its bounds hold no values (stripped or external), so it is "
                   "neither relu nor relu6 as far as npusim can tell");
  } else {
    auto text = [](const std::optional<double>& v, const char* none) {
      if (!v) return std::string(none);
      std::ostringstream out;
      out << *v;
      return out.str();
    };
    add_unmodelled(converter, node, x,
                   "Clip to [" + text(low, "-inf") + ", " + text(high, "inf") +
                       "] is neither relu (min 0) nor relu6 (min 0, max 6)");
  }
}

void lower_binary(OnnxConverter& converter, const onnx::NodeProto& node) {
  const NodeAttributes attrs = converter.attributes(node);
  attrs.check({});
  const std::string& op = node.op_type();
  if (node.input_size() != 2 || !converter.has_input(node, 0) || !converter.has_input(node, 1)) {
    converter.fail(node, "expected 2 inputs, got " + std::to_string(node.input_size()));
  }
  const bool constant0 = converter.is_constant(node.input(0));
  const bool constant1 = converter.is_constant(node.input(1));
  if (constant0 && constant1) {
    converter.fail(node, "both operands are constants; fold them first, e.g. with onnx-simplifier");
  }
  if (!constant0 && !constant1) return binary_of_activations(converter, node);
  const int position = constant0 ? 1 : 0;  // the activation's
  const Tensor x = converter.alias_of(node, position);
  const Constant& c = converter.constant(node, 1 - position, "operand");
  const bool foldable = x.foldable_into >= 0 && converter.is_per_channel(c, x);
  const bool scales = op == "Mul" || (op == "Div" && position == 0);
  const bool shifts = op == "Add" || (op == "Sub" && position == 0);
  if (scales && (converter.is_scalar(c) || foldable)) {
    // A scalar multiple of an int8 tensor is the same integers at another scale; a
    // per-channel one folds into the producing conv's or dense's weights.
    if (foldable && converter.wants_weights()) {
      fold_into_weights(converter, node, 1 - position, x.foldable_into, op == "Div");
    } else if (converter.wants_weights()) {
      converter.weights_missing(node,
                                "a scalar multiple of an activation that follows no conv or dense "
                                "is a change of quantization scale to npusim, which a functional "
                                "run does not apply");
    }
    converter.define(node, x);
    return;
  }
  if (shifts && foldable) {
    converter.layer(x.foldable_into).bias = true;
    if (converter.wants_weights())
      fold_into_bias(converter, node, 1 - position, x.foldable_into, op == "Sub" ? -1.0 : 1.0);
    converter.define(node, x);
    return;
  }
  const std::string operand =
      "'" + op + "' with the " + (converter.is_scalar(c) ? "scalar" : "constant") + " '" +
      node.input(1 - position) + "'" +
      (c.dims && !converter.is_scalar(c) ? " " + format_shape(*c.dims) : std::string());
  add_unmodelled(converter, node, x,
                 operand +
                     (scales || shifts ? " does not fold into a conv's or dense's bias or weights"
                                       : " is a function npusim does not have") +
                     (converter.is_scalar(c) ? "" : " (its values are not counted as parameters)"));
}

// Dropout and Identity compute nothing at inference, and the IR has no data types for a Cast
// to change: the output is the input.
void lower_passthrough(OnnxConverter& converter, const onnx::NodeProto& node) {
  const NodeAttributes attrs = converter.attributes(node);
  if (node.op_type() == "Dropout") {
    attrs.check({"ratio", "seed", "is_test", "consumed_inputs"});
    converter.require_unused_outputs(node, 1);
  } else if (node.op_type() == "Cast") {
    attrs.check({"to", "saturate"});
  } else {
    attrs.check({});
  }
  if (!converter.has_input(node, 0)) converter.fail(node, "input 0 is missing");
  const std::string& input = node.input(0);
  if (converter.is_constant(input)) {
    converter.define_constant(node.output(0), converter.constant(node, 0, "input"));
    return;
  }
  converter.define(node, converter.alias_of(node, 0));
}

}  // namespace npu::compiler::onnx_import
