// The reader's driver: the model as a whole (its inputs and their batch, its Constant nodes, the
// order of its nodes) and the table of which lowering (compiler/onnx/lowering.h) converts each
// operator.

#include "compiler/onnx_reader.h"

#include <onnx/onnx_pb.h>

#include <algorithm>
#include <cctype>
#include <climits>
#include <filesystem>
#include <fstream>
#include <map>
#include <optional>
#include <set>
#include <sstream>

#include "arch/user_error.h"
#include "compiler/onnx/converter.h"
#include "compiler/onnx/gelu_pattern.h"
#include "compiler/onnx/lowering.h"

namespace npu::compiler {
namespace onnx_import {
namespace {

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

// Whether input `index` of `node` is a weight's place: a graph input seen only there is a
// weight declared with its shape (how a model whose initializers were stripped keeps them, and
// how models before IR version 4 list every initializer).
bool is_weight_position(const OnnxConverter& converter, const onnx::NodeProto& node, int index,
                        const std::string& name) {
  static const std::set<std::string> after_first = {
      "Conv", "Gemm", "BatchNormalization", "LayerNormalization", "Clip", "PRelu"};
  static const std::set<std::string> second = {"Reshape", "Squeeze", "Unsqueeze", "ReduceMean"};
  const std::string& op = node.op_type();
  if (after_first.count(op)) return index >= 1;
  if (second.count(op)) return index == 1;
  if (op == "MatMul" && index == 1) {
    // An activation always leads with the batch, so a rank-2 second operand would contract
    // over the batch: it is a [K, N] weight.
    const Shape* declared = converter.declared_shape(name);
    return declared && declared->size() == 2;
  }
  return false;
}

bool only_transposed_to_nchw(const OnnxConverter& converter, const std::string& name) {
  const std::vector<Use>& uses = converter.uses(name);
  if (uses.empty() || converter.is_graph_output(name)) return false;
  for (const auto& [index, position] : uses) {
    const onnx::NodeProto& node = converter.node(index);
    const onnx::AttributeProto* perm = find_attribute(node, "perm");
    if (node.op_type() != "Transpose" || !perm ||
        std::vector<int64_t>(perm->ints().begin(), perm->ints().end()) !=
            std::vector<int64_t>{0, 3, 1, 2}) {
      return false;
    }
  }
  return true;
}

void read_inputs(OnnxConverter& converter) {
  struct Pending {
    const onnx::ValueInfoProto* info;
    std::vector<const onnx::TensorShapeProto_Dimension*> dims;
  };
  std::vector<Pending> activations;
  for (const onnx::ValueInfoProto& info : converter.onnx_graph().input()) {
    const std::string& name = info.name();
    if (converter.find_constant(name)) continue;  // an initializer listed as an input (IR < 4)
    const std::vector<Use>& uses = converter.uses(name);
    if (uses.empty() && !converter.is_graph_output(name)) continue;  // unused
    bool weight = !uses.empty() && !converter.is_graph_output(name);
    if (weight) {
      for (const auto& [node, index] : uses) {
        weight = weight && is_weight_position(converter, converter.node(node), index, name);
      }
    }
    if (weight) {
      Constant constant;
      constant.dims = converter.static_shape(name);
      converter.define_constant(name, constant);
      continue;
    }
    if (!info.type().has_tensor_type() || !info.type().tensor_type().has_shape()) {
      converter.messages().fail_model("input '" + name +
                                      "' has no tensor shape; npusim needs the input sizes");
    }
    Pending pending{&info, {}};
    for (const auto& dim : info.type().tensor_type().shape().dim()) pending.dims.push_back(&dim);
    activations.push_back(pending);
  }
  if (activations.empty()) converter.messages().fail_model("the graph has no activation inputs");

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
      converter.messages().fail_model("input '" + input.info->name() + "': batch dimension " +
                                      std::to_string(value) + " must be >= 1");
    }
    if (batch && *batch != value) {
      converter.messages().fail_model("inputs '" + batch_from + "' and '" + input.info->name() +
                                      "' have different batch sizes (" + std::to_string(*batch) +
                                      " and " + std::to_string(value) + ")");
    }
    batch = value;
    batch_from = input.info->name();
  }
  converter.graph().batch = static_cast<int>(batch.value_or(1));

  for (const Pending& input : activations) {
    const std::string& name = input.info->name();
    const size_t rank = input.dims.size();
    if (rank < 2 || rank > 4) {
      converter.messages().fail_model(
          "input '" + name + "' has rank " + std::to_string(rank) +
          "; npusim reads inputs of rank 2 to 4: the batch, then [features], "
          "[tokens, features] or [C, H, W]");
    }
    Shape shape = {converter.graph().batch};
    const auto* first = input.dims[0];
    if (first->value_case() != onnx::TensorShapeProto_Dimension::kDimValue) {
      const std::string what = first->value_case() == onnx::TensorShapeProto_Dimension::kDimParam
                                   ? "symbolic ('" + first->dim_param() + "')"
                                   : "not given";
      converter.messages().warn_model("input '" + name + "': batch dimension is " + what +
                                      "; npusim uses the graph's batch, " +
                                      std::to_string(converter.graph().batch));
    }
    for (size_t d = 1; d < rank; ++d) {
      const auto* dim = input.dims[d];
      if (dim->value_case() != onnx::TensorShapeProto_Dimension::kDimValue) {
        converter.messages().fail_model(
            "input '" + name + "': dimension " + std::to_string(d) + " is " +
            (dim->value_case() == onnx::TensorShapeProto_Dimension::kDimParam
                 ? "symbolic ('" + dim->dim_param() + "')"
                 : std::string("not given")) +
            "; npusim needs fixed sizes except the batch (export the model with a "
            "fixed input size)");
      }
      if (dim->dim_value() < 1) {
        converter.messages().fail_model("input '" + name + "': dimension " + std::to_string(d) +
                                        " is " + std::to_string(dim->dim_value()) +
                                        "; expected >= 1");
      }
      shape.push_back(dim->dim_value());
    }
    // A 4-D input is an NCHW image, held NHWC. A model that takes NHWC and transposes it to
    // NCHW itself (as TensorFlow exports do) keeps it as given; the transpose then relabels.
    Layout layout = rank == 4 && !only_transposed_to_nchw(converter, name) ? channels_last(4)
                                                                           : identity_layout(rank);
    Layer layer;
    layer.name = converter.unique_name(name);
    layer.op = OpKind::kInput;
    for (int axis : layout) layer.output_shape.push_back(shape[static_cast<size_t>(axis)]);
    const int index = converter.add_layer(std::move(layer));
    converter.define(name, Tensor{index, layout, -1});
  }
}

void read_constant_node(OnnxConverter& converter, const onnx::NodeProto& node) {
  const NodeAttributes attrs = converter.attributes(node);
  attrs.check({"value", "value_float", "value_floats", "value_int", "value_ints"});
  if (node.attribute_size() != 1) converter.fail(node, "expected exactly one value attribute");
  const onnx::AttributeProto& attr = node.attribute(0);
  onnx::TensorProto tensor;
  if (attr.name() == "value") {
    attrs.expect_type(attr, onnx::AttributeProto::TENSOR, attr.has_t(), "a tensor");
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
  converter.add_owned_constant(std::move(tensor));
}

void lower_node(OnnxConverter& converter, const onnx::NodeProto& node) {
  if (!OnnxConverter::is_default_domain(node)) {
    converter.fail(node,
                   "operator of domain '" + node.domain() +
                       "' is not a standard ONNX operator; npusim reads the default domain only");
  }
  static const std::map<std::string, Lowering> lowerings = {
      {"Conv", lower_conv},
      {"Gemm", lower_gemm},
      {"MatMul", lower_matmul},
      {"Relu", lower_activation},
      {"Sigmoid", lower_activation},
      {"Tanh", lower_activation},
      {"Gelu", lower_activation},
      {"Clip", lower_clip},
      {"MaxPool", lower_pool},
      {"AveragePool", lower_pool},
      {"GlobalAveragePool", lower_global_pool},
      {"GlobalMaxPool", lower_global_pool},
      {"ReduceMean", lower_reduce_mean},
      {"BatchNormalization", lower_batchnorm},
      {"Concat", lower_concat},
      {"Slice", lower_slice},
      {"Flatten", lower_flatten},
      {"Reshape", lower_reshape},
      {"Squeeze", lower_squeeze},
      {"Unsqueeze", lower_squeeze},
      {"Transpose", lower_transpose},
      {"Softmax", lower_softmax},
      {"LayerNormalization", lower_layernorm},
      {"Dropout", lower_passthrough},
      {"Identity", lower_passthrough},
      {"Cast", lower_passthrough},
  };
  const std::string& op = node.op_type();
  if (node.output_size() < 1 || node.output(0).empty()) converter.fail(node, "has no output");
  auto lowering = lowerings.find(op);
  if (lowering != lowerings.end()) return lowering->second(converter, node);
  if (binary_ops().count(op)) return lower_binary(converter, node);
  if (unmodelled_elementwise_ops().count(op)) return lower_unmodelled(converter, node);
  static const std::set<std::string> shape_ops = {"Shape", "Size", "ConstantOfShape", "Range",
                                                  "Expand"};
  converter.fail(node,
                 std::string("operator not supported (docs/onnx.md lists those npusim reads)") +
                     (shape_ops.count(op) ? "; fold shape computations first, e.g. with "
                                            "onnx-simplifier"
                                          : ""));
}

Graph convert(const onnx::ModelProto& model, const std::string& source,
              std::vector<std::string>& warnings, ModelWeights* weights) {
  OnnxConverter converter(model, source, warnings, weights);
  const onnx::GraphProto& graph = converter.onnx_graph();
  read_inputs(converter);
  // Constant nodes have no inputs: registering them first lets pattern matching read them.
  for (const onnx::NodeProto& node : graph.node()) {
    if (node.op_type() == "Constant" && OnnxConverter::is_default_domain(node)) {
      read_constant_node(converter, node);
    }
  }
  const GeluPatterns gelu(converter);
  for (int i = 0; i < graph.node_size(); ++i) {
    const onnx::NodeProto& node = graph.node(i);
    if (gelu.absorbs(i)) continue;
    if (node.op_type() == "Constant" && OnnxConverter::is_default_domain(node)) continue;
    if (const GeluMatch* match = gelu.ending_at(i)) {
      GeluPatterns::emit(converter, *match);
    } else {
      lower_node(converter, node);
    }
  }
  bool computes = false;
  for (const Layer& layer : converter.graph().layers) {
    computes = computes || layer.op != OpKind::kInput;
  }
  if (!computes) converter.messages().fail_model("the graph has no operators npusim can cost");
  return converter.finish();
}

}  // namespace
}  // namespace onnx_import

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
  return onnx_import::convert(model, source_name, warnings, weights);
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
