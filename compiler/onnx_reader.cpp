#include "compiler/onnx_reader.h"

#include <onnx/onnx_pb.h>

#include <algorithm>
#include <cctype>
#include <climits>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <deque>
#include <filesystem>
#include <fstream>
#include <initializer_list>
#include <map>
#include <optional>
#include <set>
#include <sstream>
#include <tuple>
#include <utility>

#include "arch/user_error.h"
#include "compiler/shape_inference.h"

namespace npu::compiler {
namespace {

using Shape = std::vector<int64_t>;
// layout[i] is the ONNX axis that IR axis i holds. ONNX keeps the batch first, and so does the IR,
// so layout[0] is always 0.
using Layout = std::vector<int>;

Layout identity_layout(size_t rank) {
  Layout layout(rank);
  for (size_t i = 0; i < rank; ++i) layout[i] = static_cast<int>(i);
  return layout;
}

// [0, 2, 3, ..., rank-1, 1]: ONNX's channel axis (1) held last, as the IR holds feature maps.
Layout channels_last(size_t rank) {
  Layout layout = {0};
  for (size_t i = 2; i < rank; ++i) layout.push_back(static_cast<int>(i));
  layout.push_back(1);
  return layout;
}

bool is_identity(const Layout& layout) { return layout == identity_layout(layout.size()); }
bool is_channels_last(const Layout& layout) {
  return layout.size() >= 3 && layout == channels_last(layout.size());
}

std::string format_list(const std::vector<int>& values) {
  return format_shape(Shape(values.begin(), values.end()));
}

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

float half_to_float(uint16_t half) {
  const int exponent = (half >> 10) & 0x1f;
  const int mantissa = half & 0x3ff;
  float value = 0;
  if (exponent == 0) {
    value = std::ldexp(static_cast<float>(mantissa), -24);
  } else if (exponent == 31) {
    value = mantissa == 0 ? INFINITY : NAN;
  } else {
    value = std::ldexp(static_cast<float>(mantissa + 1024), exponent - 25);
  }
  return (half & 0x8000) ? -value : value;
}

// The values of a constant with `count` elements, or nullopt when the tensor does not hold them
// (stored externally, stripped, or of a type the reader has no use for).
std::optional<std::vector<double>> decode(const onnx::TensorProto& tensor, int64_t count) {
  using TP = onnx::TensorProto;
  if (tensor.data_location() == TP::EXTERNAL || count < 0) return std::nullopt;
  const std::string& raw = tensor.raw_data();
  const size_t n = static_cast<size_t>(count);
  std::vector<double> values(n);
  auto from_raw = [&](auto zero) -> std::optional<std::vector<double>> {
    using T = decltype(zero);
    if (raw.size() != n * sizeof(T)) return std::nullopt;
    for (size_t i = 0; i < n; ++i) {
      T value;
      std::memcpy(&value, raw.data() + i * sizeof(T), sizeof(T));
      values[i] = static_cast<double>(value);
    }
    return values;
  };
  auto from_field = [&](const auto& field) -> std::optional<std::vector<double>> {
    if (static_cast<size_t>(field.size()) != n) return std::nullopt;
    for (size_t i = 0; i < n; ++i) values[i] = static_cast<double>(field[static_cast<int>(i)]);
    return values;
  };
  const bool has_raw = tensor.has_raw_data();
  switch (tensor.data_type()) {
    case TP::FLOAT:
      return has_raw ? from_raw(float{}) : from_field(tensor.float_data());
    case TP::DOUBLE:
      return has_raw ? from_raw(double{}) : from_field(tensor.double_data());
    case TP::INT64:
      return has_raw ? from_raw(int64_t{}) : from_field(tensor.int64_data());
    case TP::INT32:
      return has_raw ? from_raw(int32_t{}) : from_field(tensor.int32_data());
    case TP::INT16:
      return has_raw ? from_raw(int16_t{}) : from_field(tensor.int32_data());
    case TP::INT8:
      return has_raw ? from_raw(int8_t{}) : from_field(tensor.int32_data());
    case TP::UINT8:
    case TP::BOOL:
      return has_raw ? from_raw(uint8_t{}) : from_field(tensor.int32_data());
    case TP::UINT16:
      return has_raw ? from_raw(uint16_t{}) : from_field(tensor.int32_data());
    case TP::FLOAT16: {
      // fp16 values are bit patterns, in raw_data or one per int32_data entry.
      std::vector<uint16_t> bits(n);
      if (has_raw) {
        if (raw.size() != n * 2) return std::nullopt;
        std::memcpy(bits.data(), raw.data(), n * 2);
      } else {
        if (static_cast<size_t>(tensor.int32_data_size()) != n) return std::nullopt;
        for (size_t i = 0; i < n; ++i) {
          bits[i] = static_cast<uint16_t>(tensor.int32_data(static_cast<int>(i)));
        }
      }
      for (size_t i = 0; i < n; ++i) values[i] = half_to_float(bits[i]);
      return values;
    }
    default:
      return std::nullopt;
  }
}

// Unary element-wise ONNX operators npusim has no function for. They are costed as a vector
// table-lookup activation, which is how an int8 NPU computes any function of one element.
const std::set<std::string>& unmodelled_elementwise_ops() {
  static const std::set<std::string> ops = {"Abs",        "Acos",
                                            "Acosh",      "Asin",
                                            "Asinh",      "Atan",
                                            "Atanh",      "Ceil",
                                            "Celu",       "Cos",
                                            "Cosh",       "Elu",
                                            "Erf",        "Exp",
                                            "Floor",      "HardSigmoid",
                                            "HardSwish",  "LeakyRelu",
                                            "Log",        "Mish",
                                            "Neg",        "PRelu",
                                            "Reciprocal", "Round",
                                            "Selu",       "Shrink",
                                            "Sign",       "Sin",
                                            "Sinh",       "Softplus",
                                            "Softsign",   "Sqrt",
                                            "Tan",        "ThresholdedRelu"};
  return ops;
}

// Element-wise operators of two tensors; Add is the one the IR has.
const std::set<std::string>& binary_ops() {
  static const std::set<std::string> ops = {"Add", "Sub", "Mul", "Div", "Pow", "Max", "Min"};
  return ops;
}

// A recognised x * 0.5 * (1 + erf(x / sqrt 2)): the nodes it spans and the tensors it maps.
struct GeluMatch {
  int erf_node = 0;
  std::string input;   // x
  std::string output;  // the last Mul's output
  std::vector<int> nodes;
};

class OnnxConverter {
 public:
  OnnxConverter(const onnx::ModelProto& model, const std::string& source,
                std::vector<std::string>& warnings, ModelWeights* weights)
      : m_model(model), m_onnx(model.graph()), m_warnings(warnings), m_weights(weights) {
    m_graph.source_path = source;
    m_graph.name = std::filesystem::path(source).stem().string();
  }

  Graph convert() {
    read_opset();
    index_graph();
    for (const onnx::TensorProto& initializer : m_onnx.initializer()) add_initializer(initializer);
    read_inputs();
    // Constant nodes have no inputs: registering them first lets pattern matching read them.
    for (const onnx::NodeProto& node : m_onnx.node()) {
      if (node.op_type() == "Constant" && is_default_domain(node)) convert_constant(node);
    }
    find_gelu_patterns();
    for (int i = 0; i < m_onnx.node_size(); ++i) {
      const onnx::NodeProto& node = m_onnx.node(i);
      if (m_absorbed[static_cast<size_t>(i)]) continue;
      if (node.op_type() == "Constant" && is_default_domain(node)) continue;
      auto gelu = m_gelu_ending_at.find(i);
      if (gelu != m_gelu_ending_at.end()) {
        emit_gelu(gelu->second);
      } else {
        convert_node(node);
      }
    }
    bool computes = false;
    for (const Layer& layer : m_graph.layers) computes = computes || layer.op != OpKind::kInput;
    if (!computes) fail_model("the graph has no operators npusim can cost");
    infer_shapes(m_graph);
    if (m_weights) m_weights->layers.resize(m_graph.layers.size());
    return std::move(m_graph);
  }

 private:
  static bool is_default_domain(const onnx::NodeProto& node) {
    return node.domain().empty() || node.domain() == "ai.onnx";
  }

  // --- Messages ---

  std::string node_name(const onnx::NodeProto& node) const {
    if (!node.name().empty()) return node.name();
    if (node.output_size() > 0 && !node.output(0).empty()) return node.output(0);
    return node.op_type();
  }
  std::string describe(const onnx::NodeProto& node) const {
    return "node '" + node_name(node) + "' (" + node.op_type() + ")";
  }
  [[noreturn]] void fail(const onnx::NodeProto& node, const std::string& message) const {
    throw UserError(m_graph.source_path + ": " + describe(node) + ": " + message);
  }
  [[noreturn]] void fail_model(const std::string& message) const {
    throw UserError(m_graph.source_path + ": " + message);
  }
  void warn(const onnx::NodeProto& node, const std::string& message) {
    m_warnings.push_back(m_graph.source_path + ": " + describe(node) + ": " + message);
  }

  // --- The model as a whole ---

  void read_opset() {
    for (const onnx::OperatorSetIdProto& entry : m_model.opset_import()) {
      if (entry.domain().empty() || entry.domain() == "ai.onnx") m_opset = entry.version();
    }
    if (m_opset == 0) fail_model("the model imports no opset of the default ONNX domain");
  }

  void index_graph() {
    m_absorbed.assign(static_cast<size_t>(m_onnx.node_size()), false);
    for (int i = 0; i < m_onnx.node_size(); ++i) {
      const onnx::NodeProto& node = m_onnx.node(i);
      for (int j = 0; j < node.input_size(); ++j) {
        if (!node.input(j).empty()) m_consumers[node.input(j)].push_back({i, j});
      }
      for (const std::string& output : node.output()) {
        if (!output.empty()) m_producer.emplace(output, i);
      }
    }
    for (const onnx::ValueInfoProto& output : m_onnx.output())
      m_graph_outputs.insert(output.name());
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

  // The declared shape of `name` when every dimension is fixed.
  std::optional<Shape> static_shape(const std::string& name) const {
    auto found = m_declared.find(name);
    if (found == m_declared.end()) return std::nullopt;
    for (int64_t dim : found->second) {
      if (dim < 0) return std::nullopt;
    }
    return found->second;
  }

  size_t use_count(const std::string& name) const {
    auto found = m_consumers.find(name);
    return (found == m_consumers.end() ? 0 : found->second.size()) + m_graph_outputs.count(name);
  }

  void add_initializer(const onnx::TensorProto& tensor) {
    Constant constant;
    constant.dims = Shape(tensor.dims().begin(), tensor.dims().end());
    constant.data = &tensor;
    m_constants[tensor.name()] = constant;
  }

  // Whether input `index` of `node` is a weight's place: a graph input seen only there is a
  // weight declared with its shape (how a model whose initializers were stripped keeps them, and
  // how models before IR version 4 list every initializer).
  bool is_weight_position(const onnx::NodeProto& node, int index, const std::string& name) const {
    static const std::set<std::string> after_first = {
        "Conv", "Gemm", "BatchNormalization", "LayerNormalization", "Clip", "PRelu"};
    static const std::set<std::string> second = {"Reshape", "Squeeze", "Unsqueeze", "ReduceMean"};
    const std::string& op = node.op_type();
    if (after_first.count(op)) return index >= 1;
    if (second.count(op)) return index == 1;
    if (op == "MatMul" && index == 1) {
      // An activation always leads with the batch, so a rank-2 second operand would contract
      // over the batch: it is a [K, N] weight.
      auto declared = m_declared.find(name);
      return declared != m_declared.end() && declared->second.size() == 2;
    }
    return false;
  }

  void read_inputs() {
    struct Pending {
      const onnx::ValueInfoProto* info;
      std::vector<const onnx::TensorShapeProto_Dimension*> dims;
    };
    std::vector<Pending> activations;
    for (const onnx::ValueInfoProto& info : m_onnx.input()) {
      const std::string& name = info.name();
      if (m_constants.count(name)) continue;  // an initializer listed as an input (IR < 4)
      auto uses = m_consumers.find(name);
      if (uses == m_consumers.end() && !m_graph_outputs.count(name)) continue;  // unused
      bool weight = uses != m_consumers.end() && !m_graph_outputs.count(name);
      if (weight) {
        for (const auto& [node, index] : uses->second) {
          weight = weight && is_weight_position(m_onnx.node(node), index, name);
        }
      }
      if (weight) {
        Constant constant;
        constant.dims = static_shape(name);
        m_constants[name] = constant;
        continue;
      }
      if (!info.type().has_tensor_type() || !info.type().tensor_type().has_shape()) {
        fail_model("input '" + name + "' has no tensor shape; npusim needs the input sizes");
      }
      Pending pending{&info, {}};
      for (const auto& dim : info.type().tensor_type().shape().dim()) pending.dims.push_back(&dim);
      activations.push_back(pending);
    }
    if (activations.empty()) fail_model("the graph has no activation inputs");

    // The batch: the first dimension of every input. A fixed one wins; a symbolic or missing one
    // takes the graph's batch, 1 unless another input fixes it.
    std::optional<int64_t> batch;
    std::string batch_from;
    for (const Pending& input : activations) {
      if (input.dims.empty()) continue;
      const auto* dim = input.dims[0];
      if (dim->value_case() != onnx::TensorShapeProto_Dimension::kDimValue) continue;
      const int64_t value = dim->dim_value();
      if (value < 1 || value > INT_MAX) {
        fail_model("input '" + input.info->name() + "': batch dimension " + std::to_string(value) +
                   " must be >= 1");
      }
      if (batch && *batch != value) {
        fail_model("inputs '" + batch_from + "' and '" + input.info->name() +
                   "' have different batch sizes (" + std::to_string(*batch) + " and " +
                   std::to_string(value) + ")");
      }
      batch = value;
      batch_from = input.info->name();
    }
    m_graph.batch = static_cast<int>(batch.value_or(1));

    for (const Pending& input : activations) {
      const std::string& name = input.info->name();
      const size_t rank = input.dims.size();
      if (rank < 2 || rank > 4) {
        fail_model("input '" + name + "' has rank " + std::to_string(rank) +
                   "; npusim reads inputs of rank 2 to 4: the batch, then [features], "
                   "[tokens, features] or [C, H, W]");
      }
      Shape shape = {m_graph.batch};
      const auto* first = input.dims[0];
      if (first->value_case() != onnx::TensorShapeProto_Dimension::kDimValue) {
        const std::string what = first->value_case() == onnx::TensorShapeProto_Dimension::kDimParam
                                     ? "symbolic ('" + first->dim_param() + "')"
                                     : "not given";
        m_warnings.push_back(m_graph.source_path + ": input '" + name + "': batch dimension is " +
                             what + "; npusim uses the graph's batch, " +
                             std::to_string(m_graph.batch));
      }
      for (size_t d = 1; d < rank; ++d) {
        const auto* dim = input.dims[d];
        if (dim->value_case() != onnx::TensorShapeProto_Dimension::kDimValue) {
          fail_model("input '" + name + "': dimension " + std::to_string(d) + " is " +
                     (dim->value_case() == onnx::TensorShapeProto_Dimension::kDimParam
                          ? "symbolic ('" + dim->dim_param() + "')"
                          : std::string("not given")) +
                     "; npusim needs fixed sizes except the batch (export the model with a "
                     "fixed input size)");
        }
        if (dim->dim_value() < 1) {
          fail_model("input '" + name + "': dimension " + std::to_string(d) + " is " +
                     std::to_string(dim->dim_value()) + "; expected >= 1");
        }
        shape.push_back(dim->dim_value());
      }
      // A 4-D input is an NCHW image, held NHWC. A model that takes NHWC and transposes it to
      // NCHW itself (as TensorFlow exports do) keeps it as given; the transpose then relabels.
      Layout layout =
          rank == 4 && !only_transposed_to_nchw(name) ? channels_last(4) : identity_layout(rank);
      Layer layer;
      layer.name = unique_name(name);
      layer.op = OpKind::kInput;
      for (int axis : layout) layer.output_shape.push_back(shape[static_cast<size_t>(axis)]);
      const int index = add_layer(std::move(layer));
      m_tensors[name] = Tensor{index, layout, -1};
    }
  }

  bool only_transposed_to_nchw(const std::string& name) const {
    auto uses = m_consumers.find(name);
    if (uses == m_consumers.end() || m_graph_outputs.count(name)) return false;
    for (const auto& [index, position] : uses->second) {
      const onnx::NodeProto& node = m_onnx.node(index);
      const onnx::AttributeProto* perm = attribute(node, "perm");
      if (node.op_type() != "Transpose" || !perm ||
          std::vector<int64_t>(perm->ints().begin(), perm->ints().end()) !=
              std::vector<int64_t>{0, 3, 1, 2}) {
        return false;
      }
    }
    return true;
  }

  // --- Layers ---

  std::string unique_name(const std::string& wanted) {
    std::string name = wanted.empty() ? "layer" : wanted;
    for (int suffix = 2; m_names.count(name); ++suffix)
      name = wanted + "_" + std::to_string(suffix);
    m_names.insert(name);
    return name;
  }

  // Appends a layer and infers its shape at once, so that later nodes can convert their
  // attributes against their operands' shapes. Shape inference over the whole graph runs again
  // at the end.
  int add_layer(Layer layer) {
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

  Layer start_layer(const onnx::NodeProto& node, OpKind op, std::vector<int> inputs,
                    const std::string& suffix = "") {
    Layer layer;
    layer.name = unique_name(node_name(node) + suffix);
    layer.op = op;
    layer.inputs = std::move(inputs);
    return layer;
  }

  // The ONNX shape of an activation: the IR shape with its axes put back in ONNX order.
  Shape onnx_shape(const Tensor& tensor) const {
    const Shape& ours = m_graph.layers[static_cast<size_t>(tensor.layer)].output_shape;
    Shape shape(ours.size());
    for (size_t i = 0; i < ours.size(); ++i) shape[static_cast<size_t>(tensor.layout[i])] = ours[i];
    return shape;
  }

  void define(const onnx::NodeProto& node, const Tensor& tensor) {
    m_tensors[node.output(0)] = tensor;
  }

  // Outputs after the first (MaxPool's indices, Dropout's mask, BatchNormalization's running
  // statistics) have no IR counterpart; a model that reads one cannot be converted.
  void require_unused_outputs(const onnx::NodeProto& node, int from) const {
    for (int i = from; i < node.output_size(); ++i) {
      const std::string& name = node.output(i);
      if (!name.empty() && use_count(name) > 0) {
        fail(node, "output " + std::to_string(i) + " ('" + name +
                       "') is used, but npusim models only the first output of " + node.op_type());
      }
    }
  }

  // --- Operands ---

  bool has_input(const onnx::NodeProto& node, int index) const {
    return index < node.input_size() && !node.input(index).empty();
  }

  bool is_constant(const std::string& name) const {
    return m_constants.count(name) ||
           (!m_tensors.count(name) && !m_producer.count(name));  // a stripped weight
  }

  const Tensor& activation(const onnx::NodeProto& node, int index) const {
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
  Tensor alias_of(const onnx::NodeProto& node, int index) const {
    Tensor tensor = activation(node, index);
    if (use_count(node.input(index)) != 1) tensor.foldable_into = -1;
    return tensor;
  }

  // A constant operand. A name nothing defines is a weight whose initializer was stripped: its
  // shape may still be declared as value_info.
  const Constant& constant(const onnx::NodeProto& node, int index, const std::string& role) {
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

  const Shape& dims_of(const onnx::NodeProto& node, const Constant& constant,
                       const std::string& name, const std::string& role) const {
    if (!constant.dims) {
      fail(node, role + " '" + name +
                     "' has no shape: it is not an initializer, a Constant, a graph input or a "
                     "value_info entry (keep the dims of stripped initializers)");
    }
    return *constant.dims;
  }

  std::optional<std::vector<double>> values(const Constant& constant) const {
    if (!constant.data || !constant.dims) return std::nullopt;
    return decode(*constant.data, element_count(*constant.dims));
  }

  static bool is_scalar(const Constant& constant) {
    return constant.dims && element_count(*constant.dims) == 1;
  }
  std::optional<double> scalar_value(const Constant& constant) const {
    if (!is_scalar(constant)) return std::nullopt;
    const auto decoded = values(constant);
    return decoded ? std::optional<double>((*decoded)[0]) : std::nullopt;
  }

  // Whether a constant broadcast against `tensor` varies at most along the axis the IR holds last
  // (the channels), so that it folds into a conv's or dense's bias or weights.
  bool is_per_channel(const Constant& constant, const Tensor& tensor) const {
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

  // --- Weight values (collected only when the caller asked for them) ---

  void weights_missing(const onnx::NodeProto& node, const std::string& why) {
    if (m_weights && m_weights->missing.empty()) {
      m_weights->missing = m_graph.source_path + ": " + describe(node) + ": " + why;
    }
  }

  // The values of constant operand `index` of `node`: `count` of them, or one that `broadcast`
  // repeats. nullopt, with the reason recorded, when the model does not hold them.
  std::optional<std::vector<double>> weight_values(const onnx::NodeProto& node, int index,
                                                   const std::string& role, int64_t count,
                                                   bool broadcast = false) {
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
    if (broadcast && decoded->size() == 1)
      decoded->assign(static_cast<size_t>(count), (*decoded)[0]);
    if (static_cast<int64_t>(decoded->size()) != count) {
      fail(node, role + " '" + name + "' holds " + std::to_string(decoded->size()) +
                     " values; expected " + std::to_string(count));
    }
    return decoded;
  }

  LayerWeights& weights_at(int layer) {
    if (m_weights->layers.size() <= static_cast<size_t>(layer)) {
      m_weights->layers.resize(static_cast<size_t>(layer) + 1);
    }
    return m_weights->layers[static_cast<size_t>(layer)];
  }

  // The feature order of `x` flattened to [N, features] (Tensor::feature_order): IR position i
  // holds the feature at ONNX row-major position feature_order[i]. Empty when they agree.
  std::vector<int64_t> flattened_order(const Tensor& x) const {
    if (!m_weights || is_identity(x.layout)) return x.feature_order;
    const Shape& held = m_graph.layers[static_cast<size_t>(x.layer)].output_shape;
    const Shape onnx = onnx_shape(x);
    const size_t rank = held.size();
    Shape stride(rank, 1);  // ONNX strides, batch excluded
    for (size_t a = rank - 1; a > 1; --a) stride[a - 1] = stride[a] * onnx[a];
    std::vector<int64_t> order;
    Shape index(rank, 0);
    const int64_t features = element_count(held) / held[0];
    bool same = true;
    for (int64_t i = 0; i < features; ++i) {
      int64_t position = 0;
      for (size_t j = 1; j < rank; ++j)
        position += index[j] * stride[static_cast<size_t>(x.layout[j])];
      order.push_back(position);
      same = same && position == i;
      for (size_t j = rank - 1; j >= 1; --j) {  // next IR index, row-major
        if (++index[j] < held[j]) break;
        index[j] = 0;
      }
    }
    return same ? std::vector<int64_t>{} : order;
  }

  // A dense layer's weights [out][in] from ONNX's [K, M] (or [M, K] when `transposed`), rows in
  // the order the IR holds the input's features, times `alpha`.
  void set_dense_weights(int layer, const std::vector<double>& w, int64_t k, int64_t m,
                         bool transposed, double alpha, const Tensor& input) {
    LayerWeights& target = weights_at(layer);
    target.weights.resize(static_cast<size_t>(k * m));
    for (int64_t o = 0; o < m; ++o) {
      for (int64_t i = 0; i < k; ++i) {
        const int64_t from =
            input.feature_order.empty() ? i : input.feature_order[static_cast<size_t>(i)];
        const double value = transposed ? w[static_cast<size_t>(o * k + from)]
                                        : w[static_cast<size_t>(from * m + o)];
        target.weights[static_cast<size_t>(o * k + i)] = static_cast<float>(alpha * value);
      }
    }
  }

  // Per-channel constants in the order the IR holds the channels of `x`.
  static std::vector<float> in_feature_order(const std::vector<double>& values, const Tensor& x) {
    std::vector<float> result(values.size());
    for (size_t i = 0; i < values.size(); ++i) {
      result[i] = static_cast<float>(
          values[x.feature_order.empty() ? i : static_cast<size_t>(x.feature_order[i])]);
    }
    return result;
  }

  // An Add/Sub of a per-channel constant folded into `layer`'s bias (sign -1 for x - c).
  void fold_into_bias(const onnx::NodeProto& node, int index, int layer, double sign) {
    const int64_t channels = m_graph.layers[static_cast<size_t>(layer)].output_shape.back();
    const auto c = weight_values(node, index, "operand", channels, true);
    if (!c) return;
    LayerWeights& target = weights_at(layer);
    if (target.bias.empty()) target.bias.assign(static_cast<size_t>(channels), 0.0f);
    for (size_t o = 0; o < target.bias.size(); ++o) {
      target.bias[o] = static_cast<float>(target.bias[o] + sign * (*c)[o]);
    }
  }

  // A Mul/Div by a per-channel constant folded into `layer`'s weights and bias.
  void fold_into_weights(const onnx::NodeProto& node, int index, int layer, bool divide) {
    const int64_t channels = m_graph.layers[static_cast<size_t>(layer)].output_shape.back();
    const auto c = weight_values(node, index, "operand", channels, true);
    if (!c) return;
    LayerWeights& target = weights_at(layer);
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

  // --- Attributes ---

  static const onnx::AttributeProto* attribute(const onnx::NodeProto& node, const char* name) {
    for (const onnx::AttributeProto& attr : node.attribute()) {
      if (attr.name() == name) return &attr;
    }
    return nullptr;
  }

  // An attribute this reader does not know could change the operator's meaning: reject it.
  void check_attributes(const onnx::NodeProto& node,
                        std::initializer_list<const char*> known) const {
    for (const onnx::AttributeProto& attr : node.attribute()) {
      bool found = false;
      for (const char* name : known) found = found || attr.name() == name;
      if (!found) fail(node, "attribute '" + attr.name() + "' is not supported");
    }
  }

  void expect_type(const onnx::NodeProto& node, const onnx::AttributeProto& attr,
                   onnx::AttributeProto::AttributeType type, bool present,
                   const char* expected) const {
    if (attr.type() == type || (attr.type() == onnx::AttributeProto::UNDEFINED && present)) return;
    fail(node, "attribute '" + attr.name() + "' must be " + expected);
  }

  int64_t int_attr(const onnx::NodeProto& node, const char* name, int64_t fallback) const {
    const onnx::AttributeProto* attr = attribute(node, name);
    if (!attr) return fallback;
    expect_type(node, *attr, onnx::AttributeProto::INT, attr->has_i(), "an integer");
    return attr->i();
  }

  std::optional<double> float_attr(const onnx::NodeProto& node, const char* name) const {
    const onnx::AttributeProto* attr = attribute(node, name);
    if (!attr) return std::nullopt;
    expect_type(node, *attr, onnx::AttributeProto::FLOAT, attr->has_f(), "a float");
    return attr->f();
  }

  std::string string_attr(const onnx::NodeProto& node, const char* name,
                          const std::string& fallback) const {
    const onnx::AttributeProto* attr = attribute(node, name);
    if (!attr) return fallback;
    expect_type(node, *attr, onnx::AttributeProto::STRING, attr->has_s(), "a string");
    return attr->s();
  }

  std::optional<std::vector<int64_t>> ints_attr(const onnx::NodeProto& node,
                                                const char* name) const {
    const onnx::AttributeProto* attr = attribute(node, name);
    if (!attr) return std::nullopt;
    expect_type(node, *attr, onnx::AttributeProto::INTS, attr->ints_size() > 0,
                "a list of integers");
    return std::vector<int64_t>(attr->ints().begin(), attr->ints().end());
  }

  // An integer attribute list of exactly `count` entries, each in [min, INT_MAX].
  std::vector<int> int_list(const onnx::NodeProto& node, const char* name, size_t count, int min,
                            int fallback) const {
    const auto values = ints_attr(node, name);
    if (!values) return std::vector<int>(count, fallback);
    if (values->size() != count) {
      fail(node, "attribute '" + std::string(name) + "' has " + std::to_string(values->size()) +
                     " entries; a 2-D window takes " + std::to_string(count));
    }
    std::vector<int> result;
    for (int64_t value : *values) {
      if (value < min || value > INT_MAX) {
        fail(node, "attribute '" + std::string(name) + "' holds " + std::to_string(value) +
                       "; expected >= " + std::to_string(min));
      }
      result.push_back(static_cast<int>(value));
    }
    return result;
  }

  // ONNX axis `axis` (negative counts from the end) of a rank-`rank` tensor.
  int normalize_axis(const onnx::NodeProto& node, int64_t axis, size_t rank) const {
    const int64_t r = static_cast<int64_t>(rank);
    if (axis < -r || axis >= r) {
      fail(node,
           "axis " + std::to_string(axis) + " is out of range for rank " + std::to_string(rank));
    }
    return static_cast<int>(axis < 0 ? axis + r : axis);
  }

  // --- Dispatch ---

  void convert_node(const onnx::NodeProto& node) {
    if (!is_default_domain(node)) {
      fail(node, "operator of domain '" + node.domain() +
                     "' is not a standard ONNX operator; npusim reads the default domain only");
    }
    using Handler = void (OnnxConverter::*)(const onnx::NodeProto&);
    static const std::map<std::string, Handler> handlers = {
        {"Conv", &OnnxConverter::convert_conv},
        {"Gemm", &OnnxConverter::convert_gemm},
        {"MatMul", &OnnxConverter::convert_matmul},
        {"Relu", &OnnxConverter::convert_activation},
        {"Sigmoid", &OnnxConverter::convert_activation},
        {"Tanh", &OnnxConverter::convert_activation},
        {"Gelu", &OnnxConverter::convert_activation},
        {"Clip", &OnnxConverter::convert_clip},
        {"MaxPool", &OnnxConverter::convert_pool},
        {"AveragePool", &OnnxConverter::convert_pool},
        {"GlobalAveragePool", &OnnxConverter::convert_global_pool},
        {"GlobalMaxPool", &OnnxConverter::convert_global_pool},
        {"ReduceMean", &OnnxConverter::convert_reduce_mean},
        {"BatchNormalization", &OnnxConverter::convert_batchnorm},
        {"Concat", &OnnxConverter::convert_concat},
        {"Flatten", &OnnxConverter::convert_flatten},
        {"Reshape", &OnnxConverter::convert_reshape},
        {"Squeeze", &OnnxConverter::convert_squeeze},
        {"Unsqueeze", &OnnxConverter::convert_squeeze},
        {"Transpose", &OnnxConverter::convert_transpose},
        {"Softmax", &OnnxConverter::convert_softmax},
        {"LayerNormalization", &OnnxConverter::convert_layernorm},
        {"Dropout", &OnnxConverter::convert_passthrough},
        {"Identity", &OnnxConverter::convert_passthrough},
        {"Cast", &OnnxConverter::convert_passthrough},
    };
    const std::string& op = node.op_type();
    if (node.output_size() < 1 || node.output(0).empty()) fail(node, "has no output");
    auto handler = handlers.find(op);
    if (handler != handlers.end()) return (this->*handler->second)(node);
    if (binary_ops().count(op)) return convert_binary(node);
    if (unmodelled_elementwise_ops().count(op)) return convert_unmodelled(node);
    static const std::set<std::string> shape_ops = {"Shape", "Size", "ConstantOfShape", "Range",
                                                    "Expand"};
    fail(node, std::string("operator not supported (docs/onnx.md lists those npusim reads)") +
                   (shape_ops.count(op) ? "; fold shape computations first, e.g. with "
                                          "onnx-simplifier"
                                        : ""));
  }

  // --- Operators ---

  void convert_constant(const onnx::NodeProto& node) {
    check_attributes(node, {"value", "value_float", "value_floats", "value_int", "value_ints"});
    if (node.attribute_size() != 1) fail(node, "expected exactly one value attribute");
    const onnx::AttributeProto& attr = node.attribute(0);
    onnx::TensorProto& tensor = m_owned.emplace_back();
    if (attr.name() == "value") {
      expect_type(node, attr, onnx::AttributeProto::TENSOR, attr.has_t(), "a tensor");
      tensor = attr.t();
    } else if (attr.name() == "value_float") {
      tensor.set_data_type(onnx::TensorProto::FLOAT);
      tensor.add_float_data(attr.f());
    } else if (attr.name() == "value_int") {
      tensor.set_data_type(onnx::TensorProto::INT64);
      tensor.add_int64_data(attr.i());
    } else if (attr.name() == "value_floats") {
      tensor.set_data_type(onnx::TensorProto::FLOAT);
      tensor.add_dims(attr.floats_size());
      for (float value : attr.floats()) tensor.add_float_data(value);
    } else {
      tensor.set_data_type(onnx::TensorProto::INT64);
      tensor.add_dims(attr.ints_size());
      for (int64_t value : attr.ints()) tensor.add_int64_data(value);
    }
    tensor.set_name(node.output(0));
    add_initializer(tensor);
  }

  // Reads strides, dilations and pads (or auto_pad) of a conv or pooling node into `window`,
  // whose kernel is set. `in` is the NCHW input shape.
  void read_window(const onnx::NodeProto& node, Window& window, const Shape& in) const {
    const std::vector<int> strides = int_list(node, "strides", 2, 1, 1);
    const std::vector<int> dilations = int_list(node, "dilations", 2, 1, 1);
    // ONNX orders pads as [x1_begin, x2_begin, x1_end, x2_end]: top, left, bottom, right.
    const std::vector<int> pads = int_list(node, "pads", 4, 0, 0);
    window.stride_h = strides[0];
    window.stride_w = strides[1];
    window.dilation_h = dilations[0];
    window.dilation_w = dilations[1];
    const std::string auto_pad = string_attr(node, "auto_pad", "NOTSET");
    if (auto_pad == "NOTSET") {
      window.pad_top = pads[0];
      window.pad_left = pads[1];
      window.pad_bottom = pads[2];
      window.pad_right = pads[3];
      return;
    }
    if (attribute(node, "pads")) fail(node, "gives both pads and auto_pad " + auto_pad);
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
      fail(node, "auto_pad '" + auto_pad + "' is not one of NOTSET, VALID, SAME_UPPER, SAME_LOWER");
    }
  }

  // The activation operand of a 2-D window op: an NCHW tensor, which the IR holds NHWC.
  Tensor feature_map(const onnx::NodeProto& node) {
    const Tensor x = activation(node, 0);
    const Shape in = onnx_shape(x);
    if (in.size() != 4) {
      fail(node, "input '" + node.input(0) + "' has shape " + format_shape(in) +
                     "; npusim supports only 2-D windows over an NCHW input of rank 4");
    }
    return in_layout(node, 0, x, channels_last(4));
  }

  // `x` (operand `position` of `node`) with its IR axes holding the ONNX axes `wanted`: as it is,
  // or through the IR's transpose when swapping its last two axes gets there. That layer is named
  // after the ONNX Transpose that only relabelled, and shared by every consumer that needs it.
  Tensor in_layout(const onnx::NodeProto& node, int position, const Tensor& x,
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
    layer.name =
        unique_name(x.relabelled_by.empty() ? node_name(node) + "/transpose" : x.relabelled_by);
    layer.op = OpKind::kTranspose;
    layer.inputs = {x.layer};
    const Tensor moved{add_layer(std::move(layer)), wanted, -1};
    m_transposed.emplace(key, moved);
    return moved;
  }

  void convert_conv(const onnx::NodeProto& node) {
    check_attributes(node, {"auto_pad", "dilations", "group", "kernel_shape", "pads", "strides"});
    const Tensor x = feature_map(node);
    const Shape in = onnx_shape(x);
    const Shape& w = dims_of(node, constant(node, 1, "weight"), node.input(1), "weight");
    if (w.size() != 4) {
      fail(node, "weight '" + node.input(1) + "' has shape " + format_shape(w) +
                     "; a 2-D convolution's is [Cout, Cin/group, kH, kW]");
    }
    Layer layer = start_layer(node, OpKind::kConv2d, {x.layer});
    const int64_t group = int_attr(node, "group", 1);
    if (group < 1 || group > INT_MAX || w[0] < 1 || w[0] > INT_MAX) {
      fail(node, "group " + std::to_string(group) + " and output channels " + std::to_string(w[0]) +
                     " must be >= 1");
    }
    layer.groups = static_cast<int>(group);
    layer.out_channels = static_cast<int>(w[0]);
    if (w[1] * group != in[1]) {
      fail(node, "weight '" + node.input(1) + "' " + format_shape(w) + " with group " +
                     std::to_string(group) + " takes " + std::to_string(w[1] * group) +
                     " input channels, but input '" + node.input(0) + "' " + format_shape(in) +
                     " has " + std::to_string(in[1]));
    }
    if (w[2] < 1 || w[2] > INT_MAX || w[3] < 1 || w[3] > INT_MAX) {
      fail(node, "weight '" + node.input(1) + "' has shape " + format_shape(w) +
                     "; its kernel extents must be >= 1");
    }
    if (attribute(node, "kernel_shape")) {
      const std::vector<int> kernel = int_list(node, "kernel_shape", 2, 1, 1);
      if (kernel[0] != w[2] || kernel[1] != w[3]) {
        fail(node, "kernel_shape " + format_list(kernel) + " disagrees with weight '" +
                       node.input(1) + "' " + format_shape(w));
      }
    }
    layer.window.kernel_h = static_cast<int>(w[2]);
    layer.window.kernel_w = static_cast<int>(w[3]);
    read_window(node, layer.window, in);
    layer.bias = has_input(node, 2);
    if (layer.bias) {
      const Constant& bias = constant(node, 2, "bias");
      if (bias.dims && element_count(*bias.dims) != w[0]) {
        fail(node, "bias '" + node.input(2) + "' has shape " + format_shape(*bias.dims) +
                       "; expected [" + std::to_string(w[0]) + "]");
      }
    }
    const bool bias = layer.bias;
    const int index = add_layer(std::move(layer));
    define(node, Tensor{index, channels_last(4), index});
    if (!m_weights) return;
    if (const auto values = weight_values(node, 1, "weight", element_count(w))) {
      // ONNX's [Cout, Cin/g, kH, kW] to the IR's OHWI [Cout, kH, kW, Cin/g].
      const int64_t co = w[0], ci = w[1], kh = w[2], kw = w[3];
      std::vector<float>& target = weights_at(index).weights;
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
      if (const auto values = weight_values(node, 2, "bias", w[0])) {
        weights_at(index).bias.assign(values->begin(), values->end());
      }
    }
  }

  void convert_pool(const onnx::NodeProto& node) {
    const bool max = node.op_type() == "MaxPool";
    if (max) {
      check_attributes(node, {"auto_pad", "ceil_mode", "dilations", "kernel_shape", "pads",
                              "storage_order", "strides"});
    } else {
      check_attributes(node, {"auto_pad", "ceil_mode", "count_include_pad", "dilations",
                              "kernel_shape", "pads", "strides"});
    }
    require_unused_outputs(node, 1);
    const Tensor x = feature_map(node);
    const Shape in = onnx_shape(x);
    Layer layer = start_layer(node, max ? OpKind::kMaxPool : OpKind::kAvgPool, {x.layer});
    if (!attribute(node, "kernel_shape")) fail(node, "attribute 'kernel_shape' is missing");
    const std::vector<int> kernel = int_list(node, "kernel_shape", 2, 1, 1);
    Window& window = layer.window;
    window.kernel_h = kernel[0];
    window.kernel_w = kernel[1];
    read_window(node, window, in);  // ONNX pools step by 1 unless told: so does the window here
    if (window.dilation_h != 1 || window.dilation_w != 1) {
      fail(node, "dilated pooling is not supported");
    }
    if (int_attr(node, "ceil_mode", 0) != 0 && !window.pad_same) {
      window.pad_bottom += ceil_mode_extra(in[2], window.kernel_h, window.stride_h, window.pad_top,
                                           window.pad_bottom);
      window.pad_right += ceil_mode_extra(in[3], window.kernel_w, window.stride_w, window.pad_left,
                                          window.pad_right);
    }
    const bool padded = window.pad_same || window.pad_top || window.pad_bottom || window.pad_left ||
                        window.pad_right;
    if (!max && int_attr(node, "count_include_pad", 0) != 0 && padded) {
      warn(node,
           "count_include_pad=1: npusim's avgpool divides by the valid taps only, so "
           "border values differ in a functional run (timing is the same)");
    }
    const int index = add_layer(std::move(layer));
    define(node, Tensor{index, channels_last(4), -1});
  }

  // ceil_mode rounds the output size up instead of down. The extra end padding that makes the
  // floor formula give the same size; the last window must still start inside the input or its
  // leading padding (PyTorch's rule, which ONNX adopted):
  //   out = ceil((in + before + after - k) / s) + 1, less 1 if (out - 1) s >= in + before.
  static int ceil_mode_extra(int64_t in, int kernel, int stride, int before, int after) {
    const int64_t span = in + before + after - kernel;
    if (span < 0) return 0;  // shape inference reports the kernel that does not fit
    const int64_t floor_out = span / stride + 1;
    int64_t ceil_out = (span + stride - 1) / stride + 1;
    if ((ceil_out - 1) * stride >= in + before) --ceil_out;
    if (ceil_out <= floor_out) return 0;
    return static_cast<int>((ceil_out - 1) * stride + kernel - (in + before + after));
  }

  void convert_global_pool(const onnx::NodeProto& node) {
    check_attributes(node, {});
    const Tensor x = feature_map(node);
    const Shape in = onnx_shape(x);
    int index = 0;
    if (node.op_type() == "GlobalAveragePool") {
      index = add_layer(start_layer(node, OpKind::kGlobalAvgPool, {x.layer}));
    } else {
      // A max over the whole H x W plane is one window of that size.
      Layer layer = start_layer(node, OpKind::kMaxPool, {x.layer});
      layer.window.kernel_h = static_cast<int>(in[2]);
      layer.window.kernel_w = static_cast<int>(in[3]);
      index = add_layer(std::move(layer));
    }
    define(node, Tensor{index, channels_last(4), -1});
  }

  void convert_reduce_mean(const onnx::NodeProto& node) {
    check_attributes(node, {"axes", "keepdims", "noop_with_empty_axes"});
    const Tensor& x = activation(node, 0);
    std::optional<std::vector<int64_t>> axes = ints_attr(node, "axes");
    if (has_input(node, 1)) {
      const auto decoded = values(constant(node, 1, "axes"));
      if (!decoded) fail(node, "its axes '" + node.input(1) + "' hold no values");
      axes = std::vector<int64_t>(decoded->begin(), decoded->end());
    }
    const size_t rank = onnx_shape(x).size();
    std::set<int> reduced;
    for (int64_t axis : axes.value_or(std::vector<int64_t>{})) {
      reduced.insert(normalize_axis(node, axis, rank));
    }
    if (rank != 4 || !is_channels_last(x.layout) || reduced != std::set<int>{2, 3}) {
      fail(node,
           "npusim reads ReduceMean only as the mean over the spatial axes 2 and 3 of an "
           "NCHW tensor (a global average pool)");
    }
    const int pool = add_layer(start_layer(node, OpKind::kGlobalAvgPool, {x.layer}));
    if (int_attr(node, "keepdims", 1) != 0) {
      define(node, Tensor{pool, channels_last(4), -1});
      return;
    }
    const int flat = add_layer(start_layer(node, OpKind::kFlatten, {pool}, "/flatten"));
    define(node, Tensor{flat, identity_layout(2), -1});
  }

  void convert_batchnorm(const onnx::NodeProto& node) {
    check_attributes(
        node, {"epsilon", "momentum", "spatial", "training_mode", "is_test", "consumed_inputs"});
    if (int_attr(node, "training_mode", 0) != 0) fail(node, "training_mode=1 is not inference");
    if (int_attr(node, "spatial", 1) != 1) fail(node, "spatial=0 is not supported");
    require_unused_outputs(node, 1);
    const Tensor& x = activation(node, 0);
    // ONNX normalises per channel, axis 1; the IR's batchnorm works on its last axis.
    if (x.layout.back() != 1) {
      fail(node, "input '" + node.input(0) + "' " + format_shape(onnx_shape(x)) +
                     " does not hold its channel axis (1) last in the IR; npusim's batchnorm "
                     "works over the last axis");
    }
    const int index = add_layer(start_layer(node, OpKind::kBatchNorm, {x.layer}));
    Tensor out{index, x.layout, -1};
    out.feature_order = x.feature_order;
    define(node, out);
    if (!m_weights) return;
    const int64_t channels = m_graph.layers[static_cast<size_t>(index)].output_shape.back();
    const double epsilon = float_attr(node, "epsilon").value_or(1e-5);
    const auto gamma = weight_values(node, 1, "scale", channels);
    const auto beta = weight_values(node, 2, "bias", channels);
    const auto mean = weight_values(node, 3, "mean", channels);
    const auto var = weight_values(node, 4, "variance", channels);
    if (!gamma || !beta || !mean || !var) return;
    // y = gamma (x - mean) / sqrt(var + eps) + beta = a x + b.
    std::vector<double> a(static_cast<size_t>(channels)), b(a.size());
    for (size_t c = 0; c < a.size(); ++c) {
      a[c] = (*gamma)[c] / std::sqrt((*var)[c] + epsilon);
      b[c] = (*beta)[c] - (*mean)[c] * a[c];
    }
    weights_at(index).scale = in_feature_order(a, x);
    weights_at(index).shift = in_feature_order(b, x);
  }

  void add_activation_layer(const onnx::NodeProto& node, const Tensor& x, Activation function) {
    Layer layer = start_layer(node, OpKind::kActivation, {x.layer});
    layer.activation = function;
    const int index = add_layer(std::move(layer));
    Tensor out{index, x.layout, -1};
    out.feature_order = x.feature_order;  // element-wise: the features stay where they are
    define(node, out);
  }

  void convert_activation(const onnx::NodeProto& node) {
    const std::string& op = node.op_type();
    if (op == "Gelu") {
      check_attributes(node, {"approximate"});  // erf or tanh form: both the IR's gelu
    } else {
      check_attributes(node, {});
    }
    const Activation function = op == "Relu"      ? Activation::kRelu
                                : op == "Sigmoid" ? Activation::kSigmoid
                                : op == "Tanh"    ? Activation::kTanh
                                                  : Activation::kGelu;
    add_activation_layer(node, activation(node, 0), function);
  }

  // An element-wise function the IR does not have, of one activation (and constants): a vector
  // table lookup, which is how an int8 NPU evaluates any function of one element.
  void add_unmodelled(const onnx::NodeProto& node, const Tensor& x, const std::string& what) {
    add_activation_layer(node, x, Activation::kSigmoid);
    warn(node, what + "; costed as a vector table-lookup activation (as sigmoid)");
  }

  void convert_unmodelled(const onnx::NodeProto& node) {
    int found = -1;
    for (int i = 0; i < node.input_size(); ++i) {
      if (!has_input(node, i) || is_constant(node.input(i))) continue;
      if (found >= 0) fail(node, "npusim has no element-wise op of several activations");
      found = i;
    }
    if (found < 0) fail(node, "has no activation input; fold constants first");
    add_unmodelled(node, activation(node, found),
                   "npusim has no '" + node.op_type() + "' function");
  }

  void convert_clip(const onnx::NodeProto& node) {
    check_attributes(node, {"min", "max"});
    const Tensor& x = activation(node, 0);
    // Before opset 11 the bounds are attributes; from 11 they are optional constant inputs.
    std::optional<double> low = float_attr(node, "min");
    std::optional<double> high = float_attr(node, "max");
    bool known = true;
    for (int index : {1, 2}) {
      if (!has_input(node, index)) continue;
      const std::optional<double> value =
          scalar_value(constant(node, index, index == 1 ? "min" : "max"));
      known = known && value.has_value();
      (index == 1 ? low : high) = value;
    }
    const bool unbounded_above = !high || *high >= 3.4e38;
    if (known && low && *low == 0 && high && *high == 6) {
      add_activation_layer(node, x, Activation::kRelu6);
    } else if (known && low && *low == 0 && unbounded_above) {
      add_activation_layer(node, x, Activation::kRelu);
    } else if (!known) {
      add_unmodelled(node, x,
                     "its bounds hold no values (stripped or external), so it is "
                     "neither relu nor relu6 as far as npusim can tell");
    } else {
      auto text = [](const std::optional<double>& v, const char* none) {
        if (!v) return std::string(none);
        std::ostringstream out;
        out << *v;
        return out.str();
      };
      add_unmodelled(node, x,
                     "Clip to [" + text(low, "-inf") + ", " + text(high, "inf") +
                         "] is neither relu (min 0) nor relu6 (min 0, max 6)");
    }
  }

  void convert_binary(const onnx::NodeProto& node) {
    check_attributes(node, {});
    const std::string& op = node.op_type();
    if (node.input_size() != 2 || !has_input(node, 0) || !has_input(node, 1)) {
      fail(node, "expected 2 inputs, got " + std::to_string(node.input_size()));
    }
    const bool constant0 = is_constant(node.input(0));
    const bool constant1 = is_constant(node.input(1));
    if (constant0 && constant1) {
      fail(node, "both operands are constants; fold them first, e.g. with onnx-simplifier");
    }
    if (!constant0 && !constant1) return convert_binary_of_activations(node);
    const int position = constant0 ? 1 : 0;  // the activation's
    const Tensor x = alias_of(node, position);
    const Constant& c = constant(node, 1 - position, "operand");
    const bool foldable = x.foldable_into >= 0 && is_per_channel(c, x);
    const bool scales = op == "Mul" || (op == "Div" && position == 0);
    const bool shifts = op == "Add" || (op == "Sub" && position == 0);
    if (scales && (is_scalar(c) || foldable)) {
      // A scalar multiple of an int8 tensor is the same integers at another scale; a
      // per-channel one folds into the producing conv's or dense's weights.
      if (foldable && m_weights) {
        fold_into_weights(node, 1 - position, x.foldable_into, op == "Div");
      } else if (m_weights) {
        weights_missing(node,
                        "a scalar multiple of an activation that follows no conv or dense "
                        "is a change of quantization scale to npusim, which a functional "
                        "run does not apply");
      }
      define(node, x);
      return;
    }
    if (shifts && foldable) {
      m_graph.layers[static_cast<size_t>(x.foldable_into)].bias = true;
      if (m_weights) fold_into_bias(node, 1 - position, x.foldable_into, op == "Sub" ? -1.0 : 1.0);
      define(node, x);
      return;
    }
    const std::string operand =
        "'" + op + "' with the " + (is_scalar(c) ? "scalar" : "constant") + " '" +
        node.input(1 - position) + "'" +
        (c.dims && !is_scalar(c) ? " " + format_shape(*c.dims) : std::string());
    add_unmodelled(node, x,
                   operand +
                       (scales || shifts ? " does not fold into a conv's or dense's bias or weights"
                                         : " is a function npusim does not have") +
                       (is_scalar(c) ? "" : " (its values are not counted as parameters)"));
  }

  void convert_binary_of_activations(const onnx::NodeProto& node) {
    const Tensor a = activation(node, 0);
    const Tensor b = in_layout(node, 1, activation(node, 1), a.layout);
    const Shape shape_a = onnx_shape(a);
    const Shape shape_b = onnx_shape(b);
    if (shape_a != shape_b) {
      fail(node, "operands have shapes " + format_shape(shape_a) + " and " + format_shape(shape_b) +
                     "; npusim's element-wise ops need equal shapes (no broadcasting)");
    }
    const std::string& op = node.op_type();
    const OpKind kind = op == "Mul" ? OpKind::kMul : OpKind::kAdd;
    const int index = add_layer(start_layer(node, kind, {a.layer, b.layer}));
    Tensor out{index, a.layout, -1};
    out.feature_order = a.feature_order;
    if (a.feature_order != b.feature_order) {
      weights_missing(node,
                      "combines two flattened tensors whose features npusim holds in "
                      "different orders");
    }
    define(node, out);
    if (op != "Add" && op != "Mul") {
      warn(node,
           "npusim has no element-wise '" + op + "' of two tensors; costed as an element-wise add");
    }
  }

  void convert_gemm(const onnx::NodeProto& node) {
    check_attributes(node, {"alpha", "beta", "transA", "transB", "broadcast"});
    const Tensor& a = activation(node, 0);
    const Shape in = onnx_shape(a);
    if (in.size() != 2)
      fail(node, "input '" + node.input(0) + "' " + format_shape(in) + " is not 2-D");
    if (int_attr(node, "transA", 0) != 0) {
      fail(node, "transA=1 would contract over the batch; npusim's dense takes [N, in]");
    }
    const Shape& b = dims_of(node, constant(node, 1, "weight"), node.input(1), "weight");
    if (b.size() != 2)
      fail(node, "weight '" + node.input(1) + "' " + format_shape(b) + " is not 2-D");
    // B is [K, M], or [M, K] with transB. alpha and beta scale the product and the bias: they
    // fold into the weights and cost nothing.
    const bool trans_b = int_attr(node, "transB", 0) != 0;
    const int64_t k = trans_b ? b[1] : b[0];
    const int64_t m = trans_b ? b[0] : b[1];
    if (k != in[1]) {
      fail(node, "weight '" + node.input(1) + "' " + format_shape(b) +
                     (trans_b ? " (transposed)" : "") + " takes " + std::to_string(k) +
                     " features, but input '" + node.input(0) + "' " + format_shape(in) + " has " +
                     std::to_string(in[1]));
    }
    Layer layer = start_layer(node, OpKind::kDense, {a.layer});
    layer.out_channels = static_cast<int>(m);
    layer.bias = has_input(node, 2);
    if (layer.bias) constant(node, 2, "bias");
    const bool bias = layer.bias;
    const int index = add_layer(std::move(layer));
    define(node, Tensor{index, identity_layout(2), index});
    if (!m_weights) return;
    if (const auto w = weight_values(node, 1, "weight", k * m)) {
      set_dense_weights(index, *w, k, m, trans_b, float_attr(node, "alpha").value_or(1.0), a);
    }
    if (bias) {
      if (const auto c = weight_values(node, 2, "bias", m, true)) {
        const double beta = float_attr(node, "beta").value_or(1.0);
        for (double value : *c) weights_at(index).bias.push_back(static_cast<float>(beta * value));
      }
    }
  }

  void convert_matmul(const onnx::NodeProto& node) {
    check_attributes(node, {});
    const Shape in = onnx_shape(activation(node, 0));
    const Layout in_order = identity_layout(in.size());
    if (!has_input(node, 1)) fail(node, "input 1 is missing");
    if (!is_constant(node.input(1))) {
      // Both operands with their axes in ONNX order (the IR's matmul reads [..., M, K] and
      // [..., K, N] as stored); ranks and sizes are shape inference's to check.
      const Tensor a = in_layout(node, 0, activation(node, 0), in_order);
      const Tensor& operand = activation(node, 1);
      const Tensor b = in_layout(node, 1, operand, identity_layout(operand.layout.size()));
      const int index = add_layer(start_layer(node, OpKind::kMatmul, {a.layer, b.layer}));
      define(node, Tensor{index, in_order, -1});
      return;
    }
    // A constant second operand is a learned weight: a dense layer (no bias; an Add after it
    // folds in).
    const Shape& w = dims_of(node, constant(node, 1, "weight"), node.input(1), "weight");
    if (w.size() != 2) {
      fail(node, "weight '" + node.input(1) + "' has shape " + format_shape(w) +
                     "; npusim reads a constant MatMul operand only as a [K, N] weight");
    }
    if (w[0] != in.back()) {
      fail(node, "weight '" + node.input(1) + "' " + format_shape(w) + " takes " +
                     std::to_string(w[0]) + " features, but input '" + node.input(0) + "' " +
                     format_shape(in) + " has " + std::to_string(in.back()));
    }
    Tensor a = activation(node, 0);
    if (a.layout.back() != static_cast<int>(in.size()) - 1) a = in_layout(node, 0, a, in_order);
    // The IR's dense works over the last axis at any rank: [N, K] or tokens [N, T, K].
    Layer layer = start_layer(node, OpKind::kDense, {a.layer});
    layer.out_channels = static_cast<int>(w[1]);
    layer.bias = false;
    const int index = add_layer(std::move(layer));
    define(node, Tensor{index, a.layout, index});
    if (const auto values = weight_values(node, 1, "weight", w[0] * w[1])) {
      set_dense_weights(index, *values, w[0], w[1], false, 1.0, a);
    }
  }

  void convert_concat(const onnx::NodeProto& node) {
    check_attributes(node, {"axis"});
    if (node.input_size() < 1) fail(node, "has no inputs");
    std::vector<int> layers;
    const Tensor first = activation(node, 0);
    for (int i = 0; i < node.input_size(); ++i) {
      layers.push_back(in_layout(node, i, activation(node, i), first.layout).layer);
    }
    for (int i = 0; i < node.input_size(); ++i) {
      if (!activation(node, i).feature_order.empty()) {
        weights_missing(node,
                        "concatenates a flattened feature map, whose features npusim holds "
                        "in NHWC order");
      }
    }
    const size_t rank = first.layout.size();
    const int axis = normalize_axis(node, int_attr(node, "axis", 1), rank);
    if (first.layout.back() != axis) {
      fail(node, "joins along ONNX axis " + std::to_string(axis) +
                     ", which the IR does not hold last; npusim concatenates along the last "
                     "(channel) axis only: axis 1 of an NCHW tensor, or the last axis otherwise");
    }
    if (layers.size() == 1) {
      define(node, first);
      return;
    }
    const int index = add_layer(start_layer(node, OpKind::kConcat, layers));
    define(node, Tensor{index, first.layout, -1});
  }

  void convert_flatten(const onnx::NodeProto& node) {
    check_attributes(node, {"axis"});
    const Tensor& x = activation(node, 0);
    const size_t rank = x.layout.size();
    const int axis = normalize_axis(node, int_attr(node, "axis", 1), rank);
    if (axis != 1) {
      fail(node, "axis " + std::to_string(axis) +
                     " would not keep the batch alone in the first dimension; npusim flattens "
                     "at axis 1 only");
    }
    const int index = add_layer(start_layer(node, OpKind::kFlatten, {x.layer}));
    Tensor out{index, identity_layout(2), -1};
    out.feature_order = flattened_order(x);
    define(node, out);
  }

  void convert_reshape(const onnx::NodeProto& node) {
    check_attributes(node, {"allowzero", "shape"});
    const Tensor& x = activation(node, 0);
    const Shape in = onnx_shape(x);
    std::optional<std::vector<int64_t>> target = ints_attr(node, "shape");  // before opset 5
    if (has_input(node, 1)) {
      const auto decoded = values(constant(node, 1, "shape"));
      if (decoded) target = std::vector<int64_t>(decoded->begin(), decoded->end());
    }
    if (!target) {
      // The target's values were stripped: the output's declared shape still says it.
      auto declared = m_declared.find(node.output(0));
      if (declared == m_declared.end()) {
        fail(node, "its target shape '" + (has_input(node, 1) ? node.input(1) : std::string()) +
                       "' holds no values and the output declares no shape");
      }
      target = declared->second;
      (*target)[0] = in[0];  // the batch may be symbolic there
      for (int64_t dim : *target) {
        if (dim < 0)
          fail(node, "its target shape holds no values and the output's declared shape " +
                         format_shape(declared->second) + " is not fixed");
      }
    }
    const bool allow_zero = int_attr(node, "allowzero", 0) != 0;
    Shape shape;
    int wildcard = -1;
    int64_t known = 1;
    for (size_t i = 0; i < target->size(); ++i) {
      int64_t dim = (*target)[i];
      if (dim == 0 && !allow_zero && i < in.size()) dim = in[i];
      if (dim == -1 && wildcard < 0) {
        wildcard = static_cast<int>(i);
      } else if (dim < 1) {
        fail(node, "target shape " + format_shape(*target) + " is not supported");
      } else {
        known *= dim;
      }
      shape.push_back(dim);
    }
    const int64_t count = element_count(in);
    if (wildcard >= 0) shape[static_cast<size_t>(wildcard)] = known > 0 ? count / known : 0;
    if (element_count(shape) != count) {
      fail(node, "target shape " + format_shape(*target) + " cannot hold the " +
                     std::to_string(count) + " elements of " + format_shape(in));
    }
    emit_reshape(node, x, shape);
  }

  void convert_squeeze(const onnx::NodeProto& node) {
    check_attributes(node, {"axes"});
    const Tensor& x = activation(node, 0);
    const Shape in = onnx_shape(x);
    std::optional<std::vector<int64_t>> axes = ints_attr(node, "axes");  // before opset 13
    if (has_input(node, 1)) {
      const auto decoded = values(constant(node, 1, "axes"));
      if (!decoded) fail(node, "its axes '" + node.input(1) + "' hold no values");
      axes = std::vector<int64_t>(decoded->begin(), decoded->end());
    }
    if (!axes || axes->empty())
      fail(node, "needs explicit axes (all axes would include the batch)");
    const bool squeeze = node.op_type() == "Squeeze";
    const size_t rank = squeeze ? in.size() : in.size() + axes->size();
    std::set<int> chosen;
    for (int64_t axis : *axes) chosen.insert(normalize_axis(node, axis, rank));
    if (chosen.count(0)) fail(node, "would move the batch out of the first dimension");
    Shape shape;
    size_t source = 0;
    for (size_t axis = 0; axis < rank; ++axis) {
      if (!squeeze && chosen.count(static_cast<int>(axis))) {
        shape.push_back(1);
        continue;
      }
      if (squeeze && chosen.count(static_cast<int>(axis))) {
        if (in[axis] != 1)
          fail(node, "axis " + std::to_string(axis) + " of " + format_shape(in) + " is not 1");
        ++source;
        continue;
      }
      shape.push_back(in[source++]);
    }
    emit_reshape(node, x, shape);
  }

  // A reshape of `x` to the ONNX shape `target`, as an IR reshape of what the IR holds.
  void emit_reshape(const onnx::NodeProto& node, const Tensor& x, const Shape& target) {
    const Shape in = onnx_shape(x);
    if (target.size() < 2 || target[0] != in[0]) {
      fail(node, "reshapes " + format_shape(in) + " to " + format_shape(target) +
                     ", which does not keep the batch alone in the first dimension");
    }
    Layer layer = start_layer(node, OpKind::kReshape, {x.layer});
    Layout layout;
    std::vector<int64_t> order;
    if (is_identity(x.layout)) {
      layer.target_shape.assign(target.begin() + 1, target.end());
      layout = identity_layout(target.size());
      order = x.feature_order;
      if (target.size() != 2 && !order.empty()) {
        weights_missing(node,
                        "reshapes a flattened feature map, whose features npusim holds in "
                        "NHWC order");
      }
    } else if (is_channels_last(x.layout) && target.size() == 2) {
      order = flattened_order(x);
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
      fail(node, "reshapes " + format_shape(in) + ", held channels last, to " +
                     format_shape(target) +
                     ", which would reorder its data; npusim can flatten such a tensor or "
                     "merge or split its spatial axes, keeping the channels");
    }
    const int index = add_layer(std::move(layer));
    Tensor out{index, layout, -1};
    out.feature_order = order;
    define(node, out);
  }

  void convert_transpose(const onnx::NodeProto& node) {
    check_attributes(node, {"perm"});
    const Tensor x = alias_of(node, 0);
    const size_t rank = x.layout.size();
    std::vector<int64_t> perm = ints_attr(node, "perm").value_or(std::vector<int64_t>{});
    if (perm.empty()) {
      for (size_t i = 0; i < rank; ++i) perm.push_back(static_cast<int64_t>(rank - 1 - i));
    }
    std::vector<int> inverse(rank, -1);
    for (size_t i = 0; i < perm.size(); ++i) {
      if (perm.size() != rank || perm[i] < 0 || perm[i] >= static_cast<int64_t>(rank) ||
          inverse[static_cast<size_t>(perm[i])] >= 0) {
        fail(node, "perm " + format_shape(perm) + " is not a permutation of rank " +
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
      out.relabelled_by = node_name(node);
      define(node, out);
      return;
    }
    // Otherwise the IR's transpose, which swaps its last two axes (attention's K^T), may bring
    // the axes into an order the other ops read.
    std::swap(layout[rank - 2], layout[rank - 1]);
    if (rank < 3 || (!is_identity(layout) && !is_channels_last(layout))) {
      fail(node, "perm " + format_shape(perm) + " of a tensor held with its axes in ONNX order " +
                     format_list(x.layout) +
                     " is not expressible: npusim relabels NCHW <-> NHWC transposes and moves "
                     "data only to swap the last two axes");
    }
    const int index = add_layer(start_layer(node, OpKind::kTranspose, {x.layer}));
    define(node, Tensor{index, layout, -1});
  }

  // Whether normalising over ONNX axes [first, rank) is the IR's normalisation over its last
  // axis: the axis held last is among them and the others have size 1.
  bool normalises_last_axis(const Tensor& x, int first) const {
    const Shape shape = onnx_shape(x);
    const int held_last = x.layout.back();
    if (held_last < first) return false;
    for (size_t axis = static_cast<size_t>(first); axis < shape.size(); ++axis) {
      if (static_cast<int>(axis) != held_last && shape[axis] != 1) return false;
    }
    return true;
  }

  void convert_softmax(const onnx::NodeProto& node) {
    check_attributes(node, {"axis"});
    const Tensor& x = activation(node, 0);
    const size_t rank = x.layout.size();
    // Before opset 13 the default axis is 1 and the input is coerced to 2-D there, so the
    // softmax spans axes [axis, rank); from 13 it spans the one axis, by default the last.
    const int axis = normalize_axis(node, int_attr(node, "axis", m_opset < 13 ? 1 : -1), rank);
    const bool last = m_opset < 13 ? normalises_last_axis(x, axis) : x.layout.back() == axis;
    if (!last) {
      fail(node, "softmax over ONNX axis " + std::to_string(axis) + " of " +
                     format_shape(onnx_shape(x)) +
                     ", which the IR does not hold last; npusim's softmax is over the last axis");
    }
    const int index = add_layer(start_layer(node, OpKind::kSoftmax, {x.layer}));
    Tensor out{index, x.layout, -1};
    out.feature_order = x.feature_order;  // a softmax does not care where its features are
    define(node, out);
  }

  void convert_layernorm(const onnx::NodeProto& node) {
    check_attributes(node, {"axis", "epsilon", "stash_type"});
    require_unused_outputs(node, 1);
    const Tensor& x = activation(node, 0);
    const int axis = normalize_axis(node, int_attr(node, "axis", -1), x.layout.size());
    if (!normalises_last_axis(x, axis)) {
      fail(node, "normalises ONNX axes from " + std::to_string(axis) + " of " +
                     format_shape(onnx_shape(x)) +
                     "; npusim's layernorm normalises over the axis the IR holds last");
    }
    Layer layer = start_layer(node, OpKind::kLayerNorm, {x.layer});
    const double epsilon = float_attr(node, "epsilon").value_or(1e-5);
    layer.epsilon = static_cast<float>(epsilon);
    if (!(layer.epsilon > 0)) fail(node, "epsilon must be > 0 in float32");
    const int index = add_layer(std::move(layer));
    Tensor out{index, x.layout, -1};
    out.feature_order = x.feature_order;
    define(node, out);
    if (!m_weights) return;
    const int64_t channels = m_graph.layers[static_cast<size_t>(index)].output_shape.back();
    const auto gamma = weight_values(node, 1, "scale", channels);
    const auto beta = has_input(node, 2) ? weight_values(node, 2, "bias", channels)
                                         : std::optional<std::vector<double>>(
                                               std::vector<double>(static_cast<size_t>(channels)));
    if (!gamma || !beta) return;
    weights_at(index).scale = in_feature_order(*gamma, x);
    weights_at(index).shift = in_feature_order(*beta, x);
  }

  // Dropout and Identity compute nothing at inference, and the IR has no data types for a Cast
  // to change: the output is the input.
  void convert_passthrough(const onnx::NodeProto& node) {
    if (node.op_type() == "Dropout") {
      check_attributes(node, {"ratio", "seed", "is_test", "consumed_inputs"});
      require_unused_outputs(node, 1);
    } else if (node.op_type() == "Cast") {
      check_attributes(node, {"to", "saturate"});
    } else {
      check_attributes(node, {});
    }
    if (!has_input(node, 0)) fail(node, "input 0 is missing");
    const std::string& input = node.input(0);
    if (is_constant(input)) {
      m_constants[node.output(0)] = constant(node, 0, "input");
      return;
    }
    define(node, alias_of(node, 0));
  }

  // --- GELU: x * 0.5 * (1 + erf(x / sqrt 2)), as exporters write it, becomes one gelu layer ---

  // The value of a scalar constant: `near` when it is (within 1e-3 relative) the expected one,
  // or when its value is not in the model (a stripped model keeps the structure).
  bool is_scalar_near(const std::string& name, double expected) const {
    auto found = m_constants.find(name);
    if (found == m_constants.end() || !is_scalar(found->second)) return false;
    const std::optional<double> value = scalar_value(found->second);
    return !value || std::fabs(*value - expected) <= 1e-3 * std::fabs(expected);
  }

  // The one node reading `name`, or -1 when it has several readers or is a graph output.
  int sole_consumer(const std::string& name) const {
    auto found = m_consumers.find(name);
    if (found == m_consumers.end() || found->second.size() != 1 || m_graph_outputs.count(name)) {
      return -1;
    }
    return found->second[0].first;
  }

  int producer(const std::string& name) const {
    auto found = m_producer.find(name);
    return found == m_producer.end() ? -1 : found->second;
  }

  // The operand of a binary `node` other than `name`, or "" when both are `name`.
  static std::string other_operand(const onnx::NodeProto& node, const std::string& name) {
    if (node.input_size() != 2) return "";
    if (node.input(0) == name && node.input(1) != name) return node.input(1);
    if (node.input(1) == name && node.input(0) != name) return node.input(0);
    return "";
  }

  std::optional<GeluMatch> match_gelu(int erf_index) {
    const onnx::NodeProto& erf = m_onnx.node(erf_index);
    if (erf.input_size() != 1 || erf.output_size() != 1) return std::nullopt;
    GeluMatch match;
    match.erf_node = erf_index;
    // x / sqrt(2), or x * (1 / sqrt(2)).
    const int scale = producer(erf.input(0));
    if (scale < 0 || sole_consumer(erf.input(0)) != erf_index) return std::nullopt;
    const onnx::NodeProto& scale_node = m_onnx.node(scale);
    if (scale_node.input_size() != 2) return std::nullopt;
    if (scale_node.op_type() == "Div" && is_scalar_near(scale_node.input(1), std::sqrt(2.0)) &&
        !is_constant(scale_node.input(0))) {
      match.input = scale_node.input(0);
    } else if (scale_node.op_type() == "Mul") {
      for (int i : {0, 1}) {
        if (is_scalar_near(scale_node.input(1 - i), 1 / std::sqrt(2.0)) &&
            !is_constant(scale_node.input(i))) {
          match.input = scale_node.input(i);
        }
      }
    }
    if (match.input.empty()) return std::nullopt;
    // 1 + erf(...)
    const int add = sole_consumer(erf.output(0));
    if (add < 0 || m_onnx.node(add).op_type() != "Add" ||
        !is_scalar_near(other_operand(m_onnx.node(add), erf.output(0)), 1.0)) {
      return std::nullopt;
    }
    match.nodes = {scale, erf_index, add};
    // ... times x and 0.5, in any order: a chain of Muls, one of which may multiply by a
    // separately computed x * 0.5.
    bool need_x = true, need_half = true;
    std::string current = m_onnx.node(add).output(0);
    while (need_x || need_half) {
      const int mul = sole_consumer(current);
      if (mul < 0 || m_onnx.node(mul).op_type() != "Mul") return std::nullopt;
      const std::string other = other_operand(m_onnx.node(mul), current);
      const int half = producer(other);
      if (other == match.input && need_x) {
        need_x = false;
      } else if (need_half && !other.empty() && is_scalar_near(other, 0.5)) {
        need_half = false;
      } else if (need_x && need_half && half >= 0 && sole_consumer(other) == mul &&
                 m_onnx.node(half).op_type() == "Mul" &&
                 is_scalar_near(other_operand(m_onnx.node(half), match.input), 0.5)) {
        need_x = need_half = false;
        match.nodes.push_back(half);
      } else {
        return std::nullopt;
      }
      match.nodes.push_back(mul);
      current = m_onnx.node(mul).output(0);
    }
    match.output = current;
    return match;
  }

  void find_gelu_patterns() {
    for (int i = 0; i < m_onnx.node_size(); ++i) {
      const onnx::NodeProto& node = m_onnx.node(i);
      if (node.op_type() != "Erf" || !is_default_domain(node)) continue;
      std::optional<GeluMatch> match = match_gelu(i);
      if (!match) continue;
      const int last = *std::max_element(match->nodes.begin(), match->nodes.end());
      for (int index : match->nodes) m_absorbed[static_cast<size_t>(index)] = index != last;
      m_gelu_ending_at[last] = *match;
    }
  }

  void emit_gelu(const GeluMatch& match) {
    const onnx::NodeProto& erf = m_onnx.node(match.erf_node);
    auto found = m_tensors.find(match.input);
    if (found == m_tensors.end()) fail(erf, "input '" + match.input + "' is not an activation");
    const Tensor x = found->second;
    Layer layer = start_layer(erf, OpKind::kActivation, {x.layer});
    layer.activation = Activation::kGelu;
    const int index = add_layer(std::move(layer));
    m_tensors[match.output] = Tensor{index, x.layout, -1};
  }

  const onnx::ModelProto& m_model;
  const onnx::GraphProto& m_onnx;
  std::vector<std::string>& m_warnings;
  ModelWeights* m_weights;  // null when the caller wants shapes only
  Graph m_graph;
  int64_t m_opset = 0;

  std::map<std::string, std::vector<std::pair<int, int>>> m_consumers;  // (node, input position)
  std::map<std::string, int> m_producer;                                // node index
  std::set<std::string> m_graph_outputs;
  std::map<std::string, Shape> m_declared;  // static shapes of inputs, value_info and outputs

  std::map<std::string, Tensor> m_tensors;
  std::map<std::string, Constant> m_constants;
  std::deque<onnx::TensorProto> m_owned;  // Constant nodes' values (stable addresses)
  std::set<std::string> m_names;          // layer names given so far

  std::map<std::pair<int, Layout>, Tensor> m_transposed;  // (layer, layout) -> its transpose
  std::vector<bool> m_absorbed;  // nodes inside a recognised pattern, emitted with its last node
  std::map<int, GeluMatch> m_gelu_ending_at;
};

}  // namespace

bool is_onnx_path(const std::string& path) {
  std::string extension = std::filesystem::path(path).extension().string();
  std::transform(extension.begin(), extension.end(), extension.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return extension == ".onnx";
}

Graph parse_onnx(const std::string& bytes, const std::string& source_name,
                 std::vector<std::string>& warnings, ModelWeights* weights) {
  onnx::ModelProto model;
  if (!model.ParseFromString(bytes)) {
    throw UserError(source_name + ": not an ONNX model (it does not parse as an onnx.ModelProto)");
  }
  if (!model.has_graph()) throw UserError(source_name + ": the ONNX model has no graph");
  if (weights) *weights = ModelWeights{};
  return OnnxConverter(model, source_name, warnings, weights).convert();
}

Graph read_onnx(const std::string& path, std::vector<std::string>& warnings,
                ModelWeights* weights) {
  std::ifstream file(path, std::ios::binary);
  if (!file) throw UserError(path + ": cannot open file");
  std::ostringstream bytes;
  bytes << file.rdbuf();
  if (!file.good() && !file.eof()) throw UserError(path + ": cannot read file");
  return parse_onnx(bytes.str(), path, warnings, weights);
}

}  // namespace npu::compiler
