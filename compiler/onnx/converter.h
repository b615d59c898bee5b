#pragma once
// The state of one ONNX-to-IR conversion, shared by the reader's driver (compiler/onnx_reader.cpp)
// and the lowering of each operator family (compiler/onnx/lowering.h): the ONNX graph's index (who
// produces and who reads each tensor, declared shapes), the activations and constants defined so
// far, the IR graph being built and, when the caller asked for them, the weights' values. Lowering
// code takes its operands through it in the layout it needs, appends layers and reports through
// it, and never touches the maps behind it.

#include <onnx/onnx_pb.h>

#include <cstdint>
#include <deque>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "compiler/graph.h"
#include "compiler/model_weights.h"
#include "compiler/onnx/layout.h"
#include "compiler/onnx/messages.h"
#include "compiler/onnx/node_attributes.h"

namespace npu::compiler::onnx_import {

// An activation: a tensor the graph computes at run time, held by one IR layer.
struct Tensor {
  Tensor() = default;
  Tensor(int layer_index, Layout axes, int foldable)
      : layer(layer_index), layout(std::move(axes)), foldable_into(foldable) {}

  int layer = -1;
  Layout layout;
  // The conv2d or dense layer whose bias (or weights, for a scale) can absorb a per-channel
  // constant added to or multiplied with this tensor; -1 when there is none.
  int foldable_into = -1;
  // The ONNX Transpose whose output this is when it only relabelled axes: a layer that moves the
  // data after all (for a consumer that needs the other order) takes its name.
  std::string relabelled_by;
  // Only recorded when the caller asked for weight values: for a 2-D tensor flattened from a
  // feature map held channels last, feature_order[i] is the ONNX (C, H, W) position of the feature
  // the IR holds at position i (H, W, C). Empty when the two orders agree. A dense layer reading
  // it permutes its weight rows by it.
  std::vector<int64_t> feature_order;
};

// A constant: an initializer, a Constant node's value, or a weight known only by its shape.
struct Constant {
  std::optional<Shape> dims;                // unknown for a weight nothing declares
  const onnx::TensorProto* data = nullptr;  // null when the model does not hold the values
};

// Where a tensor is read: (node index, input position).
using Use = std::pair<int, int>;

class OnnxConverter {
 public:
  // Reads the opset and indexes the graph and its initializers; fails when the model imports no
  // opset of the default domain. `model` must outlive the converter.
  OnnxConverter(const onnx::ModelProto& model, const std::string& source,
                std::vector<std::string>& warnings, ModelWeights* weights);

  // --- The model ---

  const onnx::GraphProto& onnx_graph() const { return m_onnx; }
  const onnx::NodeProto& node(int index) const { return m_onnx.node(index); }
  int64_t opset() const { return m_opset; }
  static bool is_default_domain(const onnx::NodeProto& node);

  // The nodes reading `name`; empty when none does.
  const std::vector<Use>& uses(const std::string& name) const;
  bool is_graph_output(const std::string& name) const { return m_graph_outputs.count(name) > 0; }
  // The one node reading `name`, or -1 when it has several readers or is a graph output.
  int sole_consumer(const std::string& name) const;
  // The node computing `name`, or -1.
  int producer(const std::string& name) const;
  // The shape declared for `name` (graph inputs, value_info, outputs), symbolic or missing
  // dimensions as -1; null when none is.
  const Shape* declared_shape(const std::string& name) const;
  // The declared shape of `name` when every dimension is fixed.
  std::optional<Shape> static_shape(const std::string& name) const;

  // --- Messages ---

  const OnnxMessages& messages() const { return m_messages; }
  NodeAttributes attributes(const onnx::NodeProto& node) const { return {m_messages, node}; }
  [[noreturn]] void fail(const onnx::NodeProto& node, const std::string& message) const {
    m_messages.fail(node, message);
  }
  void warn(const onnx::NodeProto& node, const std::string& message) const {
    m_messages.warn(node, message);
  }
  // ONNX axis `axis` (negative counts from the end) of a rank-`rank` tensor.
  int normalize_axis(const onnx::NodeProto& node, int64_t axis, size_t rank) const;

  // --- Layers ---

  Graph& graph() { return m_graph; }
  const Layer& layer(int index) const { return m_graph.layers[static_cast<size_t>(index)]; }
  Layer& layer(int index) { return m_graph.layers[static_cast<size_t>(index)]; }
  // `wanted`, or it with a suffix when a layer already has that name.
  std::string unique_name(const std::string& wanted);
  // A layer of `op` over `inputs`, named after the node (plus `suffix`).
  Layer start_layer(const onnx::NodeProto& node, OpKind op, std::vector<int> inputs,
                    const std::string& suffix = "");
  // Appends `layer` and infers its shape at once; returns its index.
  int add_layer(Layer layer);

  // --- Tensors ---

  // The ONNX shape of an activation: the IR shape with its axes put back in ONNX order.
  Shape onnx_shape(const Tensor& tensor) const;
  // Node output 0 is `tensor`.
  void define(const onnx::NodeProto& node, const Tensor& tensor);
  void define(const std::string& name, const Tensor& tensor) { m_tensors[name] = tensor; }
  // The activation called `name`, or null.
  const Tensor* find_tensor(const std::string& name) const;
  // Fails when an output after `from` is read: the IR has no counterpart for it.
  void require_unused_outputs(const onnx::NodeProto& node, int from) const;

  // --- Operands ---

  static bool has_input(const onnx::NodeProto& node, int index);
  bool is_constant(const std::string& name) const;
  // Operand `index` of `node`, which must be an activation.
  const Tensor& activation(const onnx::NodeProto& node, int index) const;
  // Operand `index` of a node whose output is the same tensor.
  Tensor alias_of(const onnx::NodeProto& node, int index) const;
  // `x` (operand `position` of `node`) with its IR axes holding the ONNX axes `wanted`.
  Tensor in_layout(const onnx::NodeProto& node, int position, const Tensor& x,
                   const Layout& wanted);

  // --- Constants ---

  // Registers a Constant node's value, which the converter keeps.
  void add_owned_constant(onnx::TensorProto tensor);
  void define_constant(const std::string& name, const Constant& constant) {
    m_constants[name] = constant;
  }
  // The constant called `name`, or null.
  const Constant* find_constant(const std::string& name) const;
  // Constant operand `index` of `node`; `role` names it in messages.
  const Constant& constant(const onnx::NodeProto& node, int index, const std::string& role);
  // The dims of `constant` (operand `name`), which must be known.
  const Shape& dims_of(const onnx::NodeProto& node, const Constant& constant,
                       const std::string& name, const std::string& role) const;
  std::optional<std::vector<double>> values(const Constant& constant) const;
  static bool is_scalar(const Constant& constant);
  std::optional<double> scalar_value(const Constant& constant) const;
  // Whether `constant` broadcast against `tensor` varies at most along its channels.
  bool is_per_channel(const Constant& constant, const Tensor& tensor) const;

  // --- Weight values (collected only when the caller asked for them) ---

  bool wants_weights() const { return m_weights != nullptr; }
  // Records why the weights are incomplete (the first reason wins).
  void weights_missing(const onnx::NodeProto& node, const std::string& why);
  // The values of constant operand `index` of `node`: `count` of them, or one that `broadcast`
  // repeats. nullopt, with the reason recorded, when the model does not hold them.
  std::optional<std::vector<double>> weight_values(const onnx::NodeProto& node, int index,
                                                   const std::string& role, int64_t count,
                                                   bool broadcast = false);
  // The values of `layer`; only when wants_weights().
  LayerWeights& weights_at(int layer);

  // Shape inference over the whole graph, then the graph with its weights sized to it.
  Graph finish();

 private:
  void read_opset();
  void index_graph();
  // Readers of `name`, a graph output counting as one.
  size_t use_count(const std::string& name) const;
  // Registers an initializer; `tensor` must outlive the converter.
  void add_initializer(const onnx::TensorProto& tensor);

  const onnx::ModelProto& m_model;
  const onnx::GraphProto& m_onnx;
  OnnxMessages m_messages;
  ModelWeights* m_weights;  // null when the caller wants shapes only
  Graph m_graph;
  int64_t m_opset = 0;

  std::map<std::string, std::vector<Use>> m_consumers;
  std::map<std::string, int> m_producer;  // node index
  std::set<std::string> m_graph_outputs;
  std::map<std::string, Shape> m_declared;  // static shapes of inputs, value_info and outputs

  std::map<std::string, Tensor> m_tensors;
  std::map<std::string, Constant> m_constants;
  std::deque<onnx::TensorProto> m_owned;  // Constant nodes' values (stable addresses)
  std::set<std::string> m_names;          // layer names given so far

  std::map<std::pair<int, Layout>, Tensor> m_transposed;  // (layer, layout) -> its transpose
};

}  // namespace npu::compiler::onnx_import
