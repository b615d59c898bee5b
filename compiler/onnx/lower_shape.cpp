// Lowering of the ops that rearrange axes (lowering.h): Concat, Slice, Flatten, Reshape,
// Squeeze/Unsqueeze and Transpose update the layout record (layout.h) and move data only where the
// IR's layout cannot follow.

#include <algorithm>
#include <cstdint>
#include <optional>
#include <set>
#include <string>
#include <utility>

#include "compiler/onnx/lowering.h"

namespace npu::compiler::onnx_import {
namespace {

// The feature order of `x` flattened to [N, features] (Tensor::feature_order): IR position i
// holds the feature at ONNX row-major position feature_order[i]. Empty when they agree.
std::vector<int64_t> flattened_order(const OnnxConverter& converter, const Tensor& x) {
  if (!converter.wants_weights() || is_identity(x.layout)) return x.feature_order;
  return flattened_feature_order(converter.layer(x.layer).output_shape, x.layout);
}

// A reshape of `x` to the ONNX shape `target`, as an IR reshape of what the IR holds.
void emit_reshape(OnnxConverter& converter, const onnx::NodeProto& node, const Tensor& x,
                  const Shape& target) {
  const Shape in = converter.onnx_shape(x);
  if (target.size() < 2 || target[0] != in[0]) {
    converter.fail(node, "reshapes " + format_shape(in) + " to " + format_shape(target) +
                             ", which does not keep the batch alone in the first dimension");
  }
  Layer layer = converter.start_layer(node, OpKind::kReshape, {x.layer});
  Layout layout;
  std::vector<int64_t> order;
  if (is_identity(x.layout)) {
    layer.target_shape.assign(target.begin() + 1, target.end());
    layout = identity_layout(target.size());
    order = x.feature_order;
    if (target.size() != 2 && !order.empty()) {
      converter.weights_missing(node,
                                "reshapes a flattened feature map, whose features npusim holds in "
                                "NHWC order");
    }
  } else if (is_channels_last(x.layout) && target.size() == 2) {
    order = flattened_order(converter, x);
    // Flattening a channels-last tensor lists its features in NHWC order rather than NCHW:
    // the same features, so the same MACs (docs/onnx.md).
    layer.target_shape = {target[1]};
    layout = identity_layout(2);
  } else if (is_channels_last(x.layout) && target.size() >= 3 && target[1] == in[1]) {
    // The channels stay; the spatial axes merge or split in the same order in either layout.
    layer.target_shape.assign(target.begin() + 2, target.end());
    layer.target_shape.push_back(target[1]);
    layout = channels_last(target.size());
  } else {
    converter.fail(node, "reshapes " + format_shape(in) + ", held channels last, to " +
                             format_shape(target) +
                             ", which would reorder its data; npusim can flatten such a tensor or "
                             "merge or split its spatial axes, keeping the channels");
  }
  const int index = converter.add_layer(std::move(layer));
  Tensor out{index, layout, -1};
  out.feature_order = order;
  converter.define(node, out);
}

// The IR's per-sample axis holding ONNX axis `onnx_axis` of `x` (Layer::axis); the batch axis
// cannot be joined or cut.
int per_sample_axis(OnnxConverter& converter, const onnx::NodeProto& node, const Tensor& x,
                    int onnx_axis, const std::string& verb) {
  for (size_t position = 0; position < x.layout.size(); ++position) {
    if (x.layout[position] != onnx_axis) continue;
    if (position == 0) {
      converter.fail(node, verb + " the batch axis, which npusim keeps whole");
    }
    return static_cast<int>(position) - 1;
  }
  converter.fail(node, verb + " ONNX axis " + std::to_string(onnx_axis) +
                           ", which the tensor does not have");
  return -1;
}

}  // namespace

void lower_concat(OnnxConverter& converter, const onnx::NodeProto& node) {
  const NodeAttributes attrs = converter.attributes(node);
  attrs.check({"axis"});
  if (node.input_size() < 1) converter.fail(node, "has no inputs");
  std::vector<int> layers;
  const Tensor first = converter.activation(node, 0);
  for (int i = 0; i < node.input_size(); ++i) {
    layers.push_back(
        converter.in_layout(node, i, converter.activation(node, i), first.layout).layer);
  }
  for (int i = 0; i < node.input_size(); ++i) {
    if (!converter.activation(node, i).feature_order.empty()) {
      converter.weights_missing(node,
                                "concatenates a flattened feature map, whose features npusim holds "
                                "in NHWC order");
    }
  }
  const size_t rank = first.layout.size();
  const int axis = converter.normalize_axis(node, attrs.int_attr("axis", 1), rank);
  if (layers.size() == 1) {
    converter.define(node, first);
    return;
  }
  Layer layer = converter.start_layer(node, OpKind::kConcat, layers);
  layer.axis = per_sample_axis(converter, node, first, axis, "joins along");
  const int index = converter.add_layer(std::move(layer));
  converter.define(node, Tensor{index, first.layout, -1});
}

// Slice (opset 10 and later: starts, ends, axes and steps as inputs; before, as attributes) of
// one axis with step 1, as the IR's slice; axes it keeps whole are no slice at all.
void lower_slice(OnnxConverter& converter, const onnx::NodeProto& node) {
  const NodeAttributes attrs = converter.attributes(node);
  attrs.check({"starts", "ends", "axes"});
  const Tensor& x = converter.activation(node, 0);
  const Shape in = converter.onnx_shape(x);
  auto ints = [&](int index, const char* role) -> std::optional<std::vector<int64_t>> {
    if (converter.has_input(node, index)) {
      const auto decoded = converter.values(converter.constant(node, index, role));
      if (!decoded) converter.fail(node, std::string("its ") + role + " have no values");
      // Values arrive as doubles: "to the end" is INT64_MAX, which a double rounds past the
      // int64 range, so saturate rather than convert out of range.
      std::vector<int64_t> out;
      for (double value : *decoded) {
        out.push_back(value >= 9.2e18    ? INT64_MAX
                      : value <= -9.2e18 ? INT64_MIN
                                         : static_cast<int64_t>(value));
      }
      return out;
    }
    return attrs.ints_attr(role);
  };
  const auto starts = ints(1, "starts");
  const auto ends = ints(2, "ends");
  if (!starts || !ends || starts->size() != ends->size()) {
    converter.fail(node, "needs starts and ends of one length");
  }
  std::vector<int64_t> axes = ints(3, "axes").value_or(std::vector<int64_t>{});
  if (axes.empty()) {
    for (size_t a = 0; a < starts->size(); ++a) axes.push_back(static_cast<int64_t>(a));
  }
  const std::vector<int64_t> steps =
      ints(4, "steps").value_or(std::vector<int64_t>(starts->size(), 1));
  if (axes.size() != starts->size() || steps.size() != starts->size()) {
    converter.fail(node, "needs as many axes and steps as starts");
  }
  std::optional<std::pair<int, std::pair<int64_t, int64_t>>> cut;  // axis, [begin, end)
  for (size_t i = 0; i < axes.size(); ++i) {
    const int axis = converter.normalize_axis(node, axes[i], in.size());
    const int64_t dim = in[static_cast<size_t>(axis)];
    // ONNX clamps: negative positions count from the end, and ends may run past the axis.
    auto clamp = [dim](int64_t position) {
      if (position < 0) position += dim;
      return std::clamp<int64_t>(position, 0, dim);
    };
    const int64_t begin = clamp((*starts)[i]), end = clamp((*ends)[i]);
    if (steps[i] != 1) {
      converter.fail(node, "steps by " + std::to_string(steps[i]) + " along ONNX axis " +
                               std::to_string(axis) + "; npusim slices contiguous ranges only");
    }
    if (begin == 0 && end == dim) continue;
    if (end <= begin) {
      converter.fail(node, "keeps nothing of ONNX axis " + std::to_string(axis));
    }
    if (cut) converter.fail(node, "cuts more than one axis; npusim slices one axis per layer");
    cut = std::pair{axis, std::pair{begin, end}};
  }
  if (!cut) {
    converter.define(node, x);
    return;
  }
  if (!x.feature_order.empty()) {
    converter.weights_missing(node, "slices a flattened feature map, whose features npusim holds "
                                    "in NHWC order");
  }
  Layer layer = converter.start_layer(node, OpKind::kSlice, {x.layer});
  layer.axis = per_sample_axis(converter, node, x, cut->first, "slices");
  layer.slice_begin = cut->second.first;
  layer.slice_size = cut->second.second - cut->second.first;
  const int index = converter.add_layer(std::move(layer));
  converter.define(node, Tensor{index, x.layout, -1});
}

void lower_flatten(OnnxConverter& converter, const onnx::NodeProto& node) {
  const NodeAttributes attrs = converter.attributes(node);
  attrs.check({"axis"});
  const Tensor& x = converter.activation(node, 0);
  const size_t rank = x.layout.size();
  const int axis = converter.normalize_axis(node, attrs.int_attr("axis", 1), rank);
  if (axis != 1) {
    converter.fail(node,
                   "axis " + std::to_string(axis) +
                       " would not keep the batch alone in the first dimension; npusim flattens "
                       "at axis 1 only");
  }
  const int index = converter.add_layer(converter.start_layer(node, OpKind::kFlatten, {x.layer}));
  Tensor out{index, identity_layout(2), -1};
  out.feature_order = flattened_order(converter, x);
  converter.define(node, out);
}

void lower_reshape(OnnxConverter& converter, const onnx::NodeProto& node) {
  const NodeAttributes attrs = converter.attributes(node);
  attrs.check({"allowzero", "shape"});
  const Tensor& x = converter.activation(node, 0);
  const Shape in = converter.onnx_shape(x);
  std::optional<std::vector<int64_t>> target = attrs.ints_attr("shape");  // before opset 5
  if (converter.has_input(node, 1)) {
    const auto decoded = converter.values(converter.constant(node, 1, "shape"));
    if (decoded) target = std::vector<int64_t>(decoded->begin(), decoded->end());
  }
  if (!target) {
    // The target's values were stripped: the output's declared shape still says it.
    const Shape* declared = converter.declared_shape(node.output(0));
    if (!declared) {
      converter.fail(node, "its target shape '" +
                               (converter.has_input(node, 1) ? node.input(1) : std::string()) +
                               "' holds no values and the output declares no shape");
    }
    target = *declared;
    (*target)[0] = in[0];  // the batch may be symbolic there
    for (int64_t dim : *target) {
      if (dim < 0)
        converter.fail(node, "its target shape holds no values and the output's declared shape " +
                                 format_shape(*declared) + " is not fixed");
    }
  }
  const bool allow_zero = attrs.int_attr("allowzero", 0) != 0;
  Shape shape;
  int wildcard = -1;
  int64_t known = 1;
  for (size_t i = 0; i < target->size(); ++i) {
    int64_t dim = (*target)[i];
    if (dim == 0 && !allow_zero && i < in.size()) dim = in[i];
    if (dim == -1 && wildcard < 0) {
      wildcard = static_cast<int>(i);
    } else if (dim < 1) {
      converter.fail(node, "target shape " + format_shape(*target) + " is not supported");
    } else {
      known *= dim;
    }
    shape.push_back(dim);
  }
  const int64_t count = element_count(in);
  if (wildcard >= 0) shape[static_cast<size_t>(wildcard)] = known > 0 ? count / known : 0;
  if (element_count(shape) != count) {
    converter.fail(node, "target shape " + format_shape(*target) + " cannot hold the " +
                             std::to_string(count) + " elements of " + format_shape(in));
  }
  emit_reshape(converter, node, x, shape);
}

void lower_squeeze(OnnxConverter& converter, const onnx::NodeProto& node) {
  const NodeAttributes attrs = converter.attributes(node);
  attrs.check({"axes"});
  const Tensor& x = converter.activation(node, 0);
  const Shape in = converter.onnx_shape(x);
  std::optional<std::vector<int64_t>> axes = attrs.ints_attr("axes");  // before opset 13
  if (converter.has_input(node, 1)) {
    const auto decoded = converter.values(converter.constant(node, 1, "axes"));
    if (!decoded) converter.fail(node, "its axes '" + node.input(1) + "' hold no values");
    axes = std::vector<int64_t>(decoded->begin(), decoded->end());
  }
  if (!axes || axes->empty())
    converter.fail(node, "needs explicit axes (all axes would include the batch)");
  const bool squeeze = node.op_type() == "Squeeze";
  const size_t rank = squeeze ? in.size() : in.size() + axes->size();
  std::set<int> chosen;
  for (int64_t axis : *axes) chosen.insert(converter.normalize_axis(node, axis, rank));
  if (chosen.count(0)) converter.fail(node, "would move the batch out of the first dimension");
  Shape shape;
  size_t source = 0;
  for (size_t axis = 0; axis < rank; ++axis) {
    if (!squeeze && chosen.count(static_cast<int>(axis))) {
      shape.push_back(1);
      continue;
    }
    if (squeeze && chosen.count(static_cast<int>(axis))) {
      if (in[axis] != 1)
        converter.fail(node,
                       "axis " + std::to_string(axis) + " of " + format_shape(in) + " is not 1");
      ++source;
      continue;
    }
    shape.push_back(in[source++]);
  }
  emit_reshape(converter, node, x, shape);
}

void lower_transpose(OnnxConverter& converter, const onnx::NodeProto& node) {
  const NodeAttributes attrs = converter.attributes(node);
  attrs.check({"perm"});
  const Tensor x = converter.alias_of(node, 0);
  const size_t rank = x.layout.size();
  std::vector<int64_t> perm = attrs.ints_attr("perm").value_or(std::vector<int64_t>{});
  if (perm.empty()) {
    for (size_t i = 0; i < rank; ++i) perm.push_back(static_cast<int64_t>(rank - 1 - i));
  }
  std::vector<int> inverse(rank, -1);
  for (size_t i = 0; i < perm.size(); ++i) {
    if (perm.size() != rank || perm[i] < 0 || perm[i] >= static_cast<int64_t>(rank) ||
        inverse[static_cast<size_t>(perm[i])] >= 0) {
      converter.fail(node, "perm " + format_shape(perm) + " is not a permutation of rank " +
                               std::to_string(rank));
    }
    inverse[static_cast<size_t>(perm[i])] = static_cast<int>(i);
  }
  // Output axis i is input axis perm[i], so without moving data the IR axis that held input
  // axis a now holds output axis inverse[a]. That relabelling is all an NCHW <-> NHWC transpose
  // needs.
  Layout layout(rank);
  for (size_t j = 0; j < rank; ++j) layout[j] = inverse[static_cast<size_t>(x.layout[j])];
  if (is_identity(layout) || is_channels_last(layout)) {
    Tensor out = x;
    out.layout = layout;
    out.relabelled_by = OnnxMessages::node_name(node);
    converter.define(node, out);
    return;
  }
  // Otherwise the IR's transpose, which swaps its last two axes (attention's K^T), may bring
  // the axes into an order the other ops read.
  std::swap(layout[rank - 2], layout[rank - 1]);
  if (rank < 3 || (!is_identity(layout) && !is_channels_last(layout))) {
    converter.fail(node,
                   "perm " + format_shape(perm) + " of a tensor held with its axes in ONNX order " +
                       format_list(x.layout) +
                       " is not expressible: npusim relabels NCHW <-> NHWC transposes and moves "
                       "data only to swap the last two axes");
  }
  const int index = converter.add_layer(converter.start_layer(node, OpKind::kTranspose, {x.layer}));
  converter.define(node, Tensor{index, layout, -1});
}

}  // namespace npu::compiler::onnx_import
