#include "compiler/onnx/converter.h"

#include <filesystem>

#include "compiler/onnx/tensor_values.h"
#include "compiler/shape_inference.h"

namespace npu::compiler::onnx_import {

OnnxConverter::OnnxConverter(const onnx::ModelProto& model, const std::string& source,
                             std::vector<std::string>& warnings, ModelWeights* weights)
    : m_model(model), m_onnx(model.graph()), m_messages(source, warnings), m_weights(weights) {
  m_graph.source_path = source;
  m_graph.name = std::filesystem::path(source).stem().string();
  read_opset();
  index_graph();
  for (const onnx::TensorProto& initializer : m_onnx.initializer()) add_initializer(initializer);
}

bool OnnxConverter::is_default_domain(const onnx::NodeProto& node) {
  return node.domain().empty() || node.domain() == "ai.onnx";
}

// --- The model ---

void OnnxConverter::read_opset() {
  for (const onnx::OperatorSetIdProto& entry : m_model.opset_import()) {
    if (entry.domain().empty() || entry.domain() == "ai.onnx") m_opset = entry.version();
  }
  if (m_opset == 0) m_messages.fail_model("the model imports no opset of the default ONNX domain");
}

void OnnxConverter::index_graph() {
  for (int i = 0; i < m_onnx.node_size(); ++i) {
    const onnx::NodeProto& node = m_onnx.node(i);
    for (int j = 0; j < node.input_size(); ++j) {
      if (!node.input(j).empty()) m_consumers[node.input(j)].push_back({i, j});
    }
    for (const std::string& output : node.output()) {
      if (!output.empty()) m_producer.emplace(output, i);
    }
  }
  for (const onnx::ValueInfoProto& output : m_onnx.output()) m_graph_outputs.insert(output.name());
  // Symbolic or missing dimensions are recorded as -1.
  auto declare = [&](const onnx::ValueInfoProto& info) {
    if (!info.type().has_tensor_type() || !info.type().tensor_type().has_shape()) return;
    Shape shape;
    for (const auto& dim : info.type().tensor_type().shape().dim()) {
      const bool fixed = dim.value_case() == onnx::TensorShapeProto_Dimension::kDimValue;
      shape.push_back(fixed ? dim.dim_value() : -1);
    }
    m_declared.emplace(info.name(), shape);
  };
  for (const onnx::ValueInfoProto& info : m_onnx.input()) declare(info);
  for (const onnx::ValueInfoProto& info : m_onnx.value_info()) declare(info);
  for (const onnx::ValueInfoProto& info : m_onnx.output()) declare(info);
}

const std::vector<Use>& OnnxConverter::uses(const std::string& name) const {
  static const std::vector<Use> none;
  auto found = m_consumers.find(name);
  return found == m_consumers.end() ? none : found->second;
}

size_t OnnxConverter::use_count(const std::string& name) const {
  return uses(name).size() + m_graph_outputs.count(name);
}

int OnnxConverter::sole_consumer(const std::string& name) const {
  const std::vector<Use>& readers = uses(name);
  if (readers.size() != 1 || m_graph_outputs.count(name)) return -1;
  return readers[0].first;
}

int OnnxConverter::producer(const std::string& name) const {
  auto found = m_producer.find(name);
  return found == m_producer.end() ? -1 : found->second;
}

const Shape* OnnxConverter::declared_shape(const std::string& name) const {
  auto found = m_declared.find(name);
  return found == m_declared.end() ? nullptr : &found->second;
}

std::optional<Shape> OnnxConverter::static_shape(const std::string& name) const {
  const Shape* declared = declared_shape(name);
  if (!declared) return std::nullopt;
  for (int64_t dim : *declared) {
    if (dim < 0) return std::nullopt;
  }
  return *declared;
}

int OnnxConverter::normalize_axis(const onnx::NodeProto& node, int64_t axis, size_t rank) const {
  const int64_t r = static_cast<int64_t>(rank);
  if (axis < -r || axis >= r) {
    fail(node,
         "axis " + std::to_string(axis) + " is out of range for rank " + std::to_string(rank));
  }
  return static_cast<int>(axis < 0 ? axis + r : axis);
}

// --- Layers ---

std::string OnnxConverter::unique_name(const std::string& wanted) {
  std::string name = wanted.empty() ? "layer" : wanted;
  for (int suffix = 2; m_names.count(name); ++suffix) name = wanted + "_" + std::to_string(suffix);
  m_names.insert(name);
  return name;
}

Layer OnnxConverter::start_layer(const onnx::NodeProto& node, OpKind op, std::vector<int> inputs,
                                 const std::string& suffix) {
  Layer layer;
  layer.name = unique_name(OnnxMessages::node_name(node) + suffix);
  layer.op = op;
  layer.inputs = std::move(inputs);
  return layer;
}

// The shape is inferred at once so that later nodes can convert their attributes against their
// operands' shapes. Shape inference over the whole graph runs again at the end.
int OnnxConverter::add_layer(Layer layer) {
  m_graph.layers.push_back(std::move(layer));
  const int index = static_cast<int>(m_graph.layers.size()) - 1;
  Graph single;
  single.source_path = m_graph.source_path;
  single.batch = m_graph.batch;
  Layer copy = m_graph.layers.back();
  for (int& input : copy.inputs) {
    Layer operand;
    operand.name = m_graph.layers[static_cast<size_t>(input)].name;
    operand.output_shape = m_graph.layers[static_cast<size_t>(input)].output_shape;
    input = static_cast<int>(single.layers.size());
    single.layers.push_back(std::move(operand));
  }
  single.layers.push_back(std::move(copy));
  infer_shapes(single);
  m_graph.layers.back().output_shape = single.layers.back().output_shape;
  return index;
}

// --- Tensors ---

Shape OnnxConverter::onnx_shape(const Tensor& tensor) const {
  return onnx_order(layer(tensor.layer).output_shape, tensor.layout);
}

void OnnxConverter::define(const onnx::NodeProto& node, const Tensor& tensor) {
  m_tensors[node.output(0)] = tensor;
}

const Tensor* OnnxConverter::find_tensor(const std::string& name) const {
  auto found = m_tensors.find(name);
  return found == m_tensors.end() ? nullptr : &found->second;
}

// Outputs after the first (MaxPool's indices, Dropout's mask, BatchNormalization's running
// statistics) have no IR counterpart; a model that reads one cannot be converted.
void OnnxConverter::require_unused_outputs(const onnx::NodeProto& node, int from) const {
  for (int i = from; i < node.output_size(); ++i) {
    const std::string& name = node.output(i);
    if (!name.empty() && use_count(name) > 0) {
      fail(node, "output " + std::to_string(i) + " ('" + name +
                     "') is used, but npusim models only the first output of " + node.op_type());
    }
  }
}

// --- Operands ---

bool OnnxConverter::has_input(const onnx::NodeProto& node, int index) {
  return index < node.input_size() && !node.input(index).empty();
}

bool OnnxConverter::is_constant(const std::string& name) const {
  return m_constants.count(name) ||
         (!m_tensors.count(name) && !m_producer.count(name));  // a stripped weight
}

const Tensor& OnnxConverter::activation(const onnx::NodeProto& node, int index) const {
  if (!has_input(node, index)) fail(node, "input " + std::to_string(index) + " is missing");
  const std::string& name = node.input(index);
  auto found = m_tensors.find(name);
  if (found != m_tensors.end()) return found->second;
  if (is_constant(name)) {
    fail(node, "input " + std::to_string(index) + " ('" + name +
                   "') is a constant; npusim expects an activation there");
  }
  fail(node,
       "input '" + name + "' is produced by a later node; ONNX lists nodes in topological order");
}

// Operand `index` of a node whose output is the same tensor (Identity, a relabelling Transpose,
// a folded scale). Folding a constant into the producer later would change what every reader of
// it sees, so the output stays foldable only if this node is the operand's sole reader.
Tensor OnnxConverter::alias_of(const onnx::NodeProto& node, int index) const {
  Tensor tensor = activation(node, index);
  if (use_count(node.input(index)) != 1) tensor.foldable_into = -1;
  return tensor;
}

// As it is, or through the IR's transpose when swapping its last two axes gets there. That layer
// is named after the ONNX Transpose that only relabelled, and shared by every consumer that needs
// it.
Tensor OnnxConverter::in_layout(const onnx::NodeProto& node, int position, const Tensor& x,
                                const Layout& wanted) {
  if (x.layout == wanted) return x;
  Layout swapped = x.layout;
  const size_t rank = swapped.size();
  if (rank >= 3) std::swap(swapped[rank - 2], swapped[rank - 1]);
  if (rank < 3 || swapped != wanted) {
    fail(node, "input '" + node.input(position) + "' " + format_shape(onnx_shape(x)) +
                   " is held with its axes in ONNX order " + format_list(x.layout) +
                   ", and this operator needs " + format_list(wanted) +
                   "; npusim can only swap the last two axes");
  }
  const auto key = std::make_pair(x.layer, wanted);
  auto cached = m_transposed.find(key);
  if (cached != m_transposed.end()) return cached->second;
  Layer layer;
  layer.name = unique_name(x.relabelled_by.empty() ? OnnxMessages::node_name(node) + "/transpose"
                                                   : x.relabelled_by);
  layer.op = OpKind::kTranspose;
  layer.inputs = {x.layer};
  const Tensor moved{add_layer(std::move(layer)), wanted, -1};
  m_transposed.emplace(key, moved);
  return moved;
}

// --- Constants ---

void OnnxConverter::add_initializer(const onnx::TensorProto& tensor) {
  Constant constant;
  constant.dims = Shape(tensor.dims().begin(), tensor.dims().end());
  constant.data = &tensor;
  m_constants[tensor.name()] = constant;
}

void OnnxConverter::add_owned_constant(onnx::TensorProto tensor) {
  add_initializer(m_owned.emplace_back(std::move(tensor)));
}

const Constant* OnnxConverter::find_constant(const std::string& name) const {
  auto found = m_constants.find(name);
  return found == m_constants.end() ? nullptr : &found->second;
}

// A name nothing defines is a weight whose initializer was stripped: its shape may still be
// declared as value_info.
const Constant& OnnxConverter::constant(const onnx::NodeProto& node, int index,
                                        const std::string& role) {
  const std::string& name = node.input(index);
  auto found = m_constants.find(name);
  if (found != m_constants.end()) return found->second;
  if (m_tensors.count(name) || m_producer.count(name)) {
    fail(node, role + " '" + name +
                   "' is computed by the graph; npusim needs it as a constant (an initializer)");
  }
  Constant stripped;
  stripped.dims = static_shape(name);
  return m_constants[name] = stripped;
}

const Shape& OnnxConverter::dims_of(const onnx::NodeProto& node, const Constant& constant,
                                    const std::string& name, const std::string& role) const {
  if (!constant.dims) {
    fail(node, role + " '" + name +
                   "' has no shape: it is not an initializer, a Constant, a graph input or a "
                   "value_info entry (keep the dims of stripped initializers)");
  }
  return *constant.dims;
}

std::optional<std::vector<double>> OnnxConverter::values(const Constant& constant) const {
  if (!constant.data || !constant.dims) return std::nullopt;
  return decode_values(*constant.data, element_count(*constant.dims));
}

bool OnnxConverter::is_scalar(const Constant& constant) {
  return constant.dims && element_count(*constant.dims) == 1;
}

std::optional<double> OnnxConverter::scalar_value(const Constant& constant) const {
  if (!is_scalar(constant)) return std::nullopt;
  const auto decoded = values(constant);
  return decoded ? std::optional<double>((*decoded)[0]) : std::nullopt;
}

// The axis the IR holds last is the channels, so such a constant folds into a conv's or dense's
// bias or weights.
bool OnnxConverter::is_per_channel(const Constant& constant, const Tensor& tensor) const {
  if (!constant.dims) return false;
  const Shape shape = onnx_shape(tensor);
  const Shape& dims = *constant.dims;
  if (dims.size() > shape.size()) return false;
  const size_t channel = static_cast<size_t>(tensor.layout.back());
  for (size_t j = 0; j < dims.size(); ++j) {
    const size_t axis = shape.size() - dims.size() + j;
    if (dims[j] != 1 && !(axis == channel && dims[j] == shape[axis])) return false;
  }
  return true;
}

// --- Weight values ---

void OnnxConverter::weights_missing(const onnx::NodeProto& node, const std::string& why) {
  if (m_weights && m_weights->missing.empty()) {
    m_weights->missing = m_graph.source_path + ": " + OnnxMessages::describe(node) + ": " + why;
  }
}

std::optional<std::vector<double>> OnnxConverter::weight_values(const onnx::NodeProto& node,
                                                                int index, const std::string& role,
                                                                int64_t count, bool broadcast) {
  if (!m_weights) return std::nullopt;
  const std::string& name = node.input(index);
  auto found = m_constants.find(name);
  std::optional<std::vector<double>> decoded;
  if (found != m_constants.end()) decoded = values(found->second);
  if (!decoded) {
    weights_missing(node, role + " '" + name +
                              "' holds no values (stripped, stored externally, or of a type "
                              "npusim does not decode)");
    return std::nullopt;
  }
  if (broadcast && decoded->size() == 1) decoded->assign(static_cast<size_t>(count), (*decoded)[0]);
  if (static_cast<int64_t>(decoded->size()) != count) {
    fail(node, role + " '" + name + "' holds " + std::to_string(decoded->size()) +
                   " values; expected " + std::to_string(count));
  }
  return decoded;
}

LayerWeights& OnnxConverter::weights_at(int layer) {
  if (m_weights->layers.size() <= static_cast<size_t>(layer)) {
    m_weights->layers.resize(static_cast<size_t>(layer) + 1);
  }
  return m_weights->layers[static_cast<size_t>(layer)];
}

Graph OnnxConverter::finish() {
  infer_shapes(m_graph);
  if (m_weights) m_weights->layers.resize(m_graph.layers.size());
  return std::move(m_graph);
}

}  // namespace npu::compiler::onnx_import
