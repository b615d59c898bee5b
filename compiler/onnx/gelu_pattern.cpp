#include "compiler/onnx/gelu_pattern.h"

#include <algorithm>
#include <cmath>
#include <optional>

namespace npu::compiler::onnx_import {
namespace {

// The value of a scalar constant: `near` when it is (within 1e-3 relative) the expected one,
// or when its value is not in the model (a stripped model keeps the structure).
bool is_scalar_near(const OnnxConverter& converter, const std::string& name, double expected) {
  const Constant* found = converter.find_constant(name);
  if (!found || !OnnxConverter::is_scalar(*found)) return false;
  const std::optional<double> value = converter.scalar_value(*found);
  return !value || std::fabs(*value - expected) <= 1e-3 * std::fabs(expected);
}

// The operand of a binary `node` other than `name`, or "" when both are `name`.
std::string other_operand(const onnx::NodeProto& node, const std::string& name) {
  if (node.input_size() != 2) return "";
  if (node.input(0) == name && node.input(1) != name) return node.input(1);
  if (node.input(1) == name && node.input(0) != name) return node.input(0);
  return "";
}

std::optional<GeluMatch> match_gelu(const OnnxConverter& converter, int erf_index) {
  const onnx::NodeProto& erf = converter.node(erf_index);
  if (erf.input_size() != 1 || erf.output_size() != 1) return std::nullopt;
  GeluMatch match;
  match.erf_node = erf_index;
  // x / sqrt(2), or x * (1 / sqrt(2)).
  const int scale = converter.producer(erf.input(0));
  if (scale < 0 || converter.sole_consumer(erf.input(0)) != erf_index) return std::nullopt;
  const onnx::NodeProto& scale_node = converter.node(scale);
  if (scale_node.input_size() != 2) return std::nullopt;
  if (scale_node.op_type() == "Div" &&
      is_scalar_near(converter, scale_node.input(1), std::sqrt(2.0)) &&
      !converter.is_constant(scale_node.input(0))) {
    match.input = scale_node.input(0);
  } else if (scale_node.op_type() == "Mul") {
    for (int i : {0, 1}) {
      if (is_scalar_near(converter, scale_node.input(1 - i), 1 / std::sqrt(2.0)) &&
          !converter.is_constant(scale_node.input(i))) {
        match.input = scale_node.input(i);
      }
    }
  }
  if (match.input.empty()) return std::nullopt;
  // 1 + erf(...)
  const int add = converter.sole_consumer(erf.output(0));
  if (add < 0 || converter.node(add).op_type() != "Add" ||
      !is_scalar_near(converter, other_operand(converter.node(add), erf.output(0)), 1.0)) {
    return std::nullopt;
  }
  match.nodes = {scale, erf_index, add};
  // ... times x and 0.5, in any order: a chain of Muls, one of which may multiply by a
  // separately computed x * 0.5.
  bool need_x = true, need_half = true;
  std::string current = converter.node(add).output(0);
  while (need_x || need_half) {
    const int mul = converter.sole_consumer(current);
    if (mul < 0 || converter.node(mul).op_type() != "Mul") return std::nullopt;
    const std::string other = other_operand(converter.node(mul), current);
    const int half = converter.producer(other);
    if (other == match.input && need_x) {
      need_x = false;
    } else if (need_half && !other.empty() && is_scalar_near(converter, other, 0.5)) {
      need_half = false;
    } else if (need_x && need_half && half >= 0 && converter.sole_consumer(other) == mul &&
               converter.node(half).op_type() == "Mul" &&
               is_scalar_near(converter, other_operand(converter.node(half), match.input), 0.5)) {
      need_x = need_half = false;
      match.nodes.push_back(half);
    } else {
      return std::nullopt;
    }
    match.nodes.push_back(mul);
    current = converter.node(mul).output(0);
  }
  match.output = current;
  return match;
}

}  // namespace

GeluPatterns::GeluPatterns(const OnnxConverter& converter)
    : m_absorbed(static_cast<size_t>(converter.onnx_graph().node_size()), false) {
  for (int i = 0; i < converter.onnx_graph().node_size(); ++i) {
    const onnx::NodeProto& node = converter.node(i);
    if (node.op_type() != "Erf" || !OnnxConverter::is_default_domain(node)) continue;
    std::optional<GeluMatch> match = match_gelu(converter, i);
    if (!match) continue;
    const int last = *std::max_element(match->nodes.begin(), match->nodes.end());
    for (int index : match->nodes) m_absorbed[static_cast<size_t>(index)] = index != last;
    m_ending_at[last] = *match;
  }
}

const GeluMatch* GeluPatterns::ending_at(int index) const {
  auto found = m_ending_at.find(index);
  return found == m_ending_at.end() ? nullptr : &found->second;
}

void GeluPatterns::emit(OnnxConverter& converter, const GeluMatch& match) {
  const onnx::NodeProto& erf = converter.node(match.erf_node);
  const Tensor* found = converter.find_tensor(match.input);
  if (!found) converter.fail(erf, "input '" + match.input + "' is not an activation");
  const Tensor x = *found;
  Layer layer = converter.start_layer(erf, OpKind::kActivation, {x.layer});
  layer.activation = Activation::kGelu;
  const int index = converter.add_layer(std::move(layer));
  converter.define(match.output, Tensor{index, x.layout, -1});
}

}  // namespace npu::compiler::onnx_import
