// Lowering of Gemm and MatMul (lowering.h). A product with a constant matrix is a dense layer,
// whose weight rows follow the order in which the IR holds the input's features; MatMul of two
// activations is the IR's matmul.

#include <climits>

#include "compiler/onnx/lowering.h"

namespace npu::compiler::onnx_import {
namespace {

// A dense layer's weights [out][in] from ONNX's [K, M] (or [M, K] when `transposed`), rows in
// the order the IR holds the input's features, times `alpha`.
void set_dense_weights(OnnxConverter& converter, int layer, const std::vector<double>& w, int64_t k,
                       int64_t m, bool transposed, double alpha, const Tensor& input) {
  LayerWeights& target = converter.weights_at(layer);
  target.weights.resize(static_cast<size_t>(k * m));
  for (int64_t o = 0; o < m; ++o) {
    for (int64_t i = 0; i < k; ++i) {
      const int64_t from =
          input.feature_order.empty() ? i : input.feature_order[static_cast<size_t>(i)];
      const double value =
          transposed ? w[static_cast<size_t>(o * k + from)] : w[static_cast<size_t>(from * m + o)];
      target.weights[static_cast<size_t>(o * k + i)] = static_cast<float>(alpha * value);
    }
  }
}

}  // namespace

void lower_gemm(OnnxConverter& converter, const onnx::NodeProto& node) {
  const NodeAttributes attrs = converter.attributes(node);
  attrs.check({"alpha", "beta", "transA", "transB", "broadcast"});
  const Tensor& a = converter.activation(node, 0);
  const Shape in = converter.onnx_shape(a);
  if (in.size() != 2)
    converter.fail(node, "input '" + node.input(0) + "' " + format_shape(in) + " is not 2-D");
  if (attrs.int_attr("transA", 0) != 0) {
    converter.fail(node, "transA=1 would contract over the batch; npusim's dense takes [N, in]");
  }
  const Shape& b =
      converter.dims_of(node, converter.constant(node, 1, "weight"), node.input(1), "weight");
  if (b.size() != 2)
    converter.fail(node, "weight '" + node.input(1) + "' " + format_shape(b) + " is not 2-D");
  // B is [K, M], or [M, K] with transB. alpha and beta scale the product and the bias: they
  // fold into the weights and cost nothing.
  const bool trans_b = attrs.int_attr("transB", 0) != 0;
  const int64_t k = trans_b ? b[1] : b[0];
  const int64_t m = trans_b ? b[0] : b[1];
  if (k != in[1]) {
    converter.fail(node, "weight '" + node.input(1) + "' " + format_shape(b) +
                             (trans_b ? " (transposed)" : "") + " takes " + std::to_string(k) +
                             " features, but input '" + node.input(0) + "' " + format_shape(in) +
                             " has " + std::to_string(in[1]));
  }
  Layer layer = converter.start_layer(node, OpKind::kDense, {a.layer});
  layer.out_channels = static_cast<int>(m);
  layer.bias = converter.has_input(node, 2);
  if (layer.bias) converter.constant(node, 2, "bias");
  const bool bias = layer.bias;
  const int index = converter.add_layer(std::move(layer));
  converter.define(node, Tensor{index, identity_layout(2), index});
  if (!converter.wants_weights()) return;
  if (const auto w = converter.weight_values(node, 1, "weight", k * m)) {
    set_dense_weights(converter, index, *w, k, m, trans_b, attrs.float_attr("alpha").value_or(1.0),
                      a);
  }
  if (bias) {
    if (const auto c = converter.weight_values(node, 2, "bias", m, true)) {
      const double beta = attrs.float_attr("beta").value_or(1.0);
      for (double value : *c)
        converter.weights_at(index).bias.push_back(static_cast<float>(beta * value));
    }
  }
}

void lower_matmul(OnnxConverter& converter, const onnx::NodeProto& node) {
  const NodeAttributes attrs = converter.attributes(node);
  attrs.check({});
  const Shape in = converter.onnx_shape(converter.activation(node, 0));
  const Layout in_order = identity_layout(in.size());
  if (!converter.has_input(node, 1)) converter.fail(node, "input 1 is missing");
  if (!converter.is_constant(node.input(1))) {
    // Both operands with their axes in ONNX order (the IR's matmul reads [..., M, K] and
    // [..., K, N] as stored); ranks and sizes are shape inference's to check.
    const Tensor a = converter.in_layout(node, 0, converter.activation(node, 0), in_order);
    const Tensor& operand = converter.activation(node, 1);
    const Tensor b = converter.in_layout(node, 1, operand, identity_layout(operand.layout.size()));
    const int index =
        converter.add_layer(converter.start_layer(node, OpKind::kMatmul, {a.layer, b.layer}));
    converter.define(node, Tensor{index, in_order, -1});
    return;
  }
  // A constant second operand is a learned weight: a dense layer (no bias; an Add after it
  // folds in).
  const Shape& w =
      converter.dims_of(node, converter.constant(node, 1, "weight"), node.input(1), "weight");
  if (w.size() != 2) {
    converter.fail(node, "weight '" + node.input(1) + "' has shape " + format_shape(w) +
                             "; npusim reads a constant MatMul operand only as a [K, N] weight");
  }
  if (w[0] != in.back()) {
    converter.fail(node, "weight '" + node.input(1) + "' " + format_shape(w) + " takes " +
                             std::to_string(w[0]) + " features, but input '" + node.input(0) +
                             "' " + format_shape(in) + " has " + std::to_string(in.back()));
  }
  Tensor a = converter.activation(node, 0);
  if (a.layout.back() != static_cast<int>(in.size()) - 1)
    a = converter.in_layout(node, 0, a, in_order);
  // The IR's dense works over the last axis at any rank: [N, K] or tokens [N, T, K].
  Layer layer = converter.start_layer(node, OpKind::kDense, {a.layer});
  layer.out_channels = static_cast<int>(w[1]);
  layer.bias = false;
  const int index = converter.add_layer(std::move(layer));
  converter.define(node, Tensor{index, a.layout, index});
  if (const auto values = converter.weight_values(node, 1, "weight", w[0] * w[1])) {
    set_dense_weights(converter, index, *values, w[0], w[1], false, 1.0, a);
  }
}

}  // namespace npu::compiler::onnx_import
