#include "compiler/graph.h"

namespace npu::compiler {

const char* to_string(OpKind op) {
  switch (op) {
    case OpKind::kInput: return "input";
    case OpKind::kConv2d: return "conv2d";
    case OpKind::kDense: return "dense";
    case OpKind::kMatmul: return "matmul";
    case OpKind::kMaxPool: return "maxpool";
    case OpKind::kAvgPool: return "avgpool";
    case OpKind::kGlobalAvgPool: return "global_avgpool";
    case OpKind::kAdd: return "add";
    case OpKind::kConcat: return "concat";
    case OpKind::kSlice: return "slice";
    case OpKind::kActivation: return "activation";
    case OpKind::kBatchNorm: return "batchnorm";
    case OpKind::kSoftmax: return "softmax";
    case OpKind::kLayerNorm: return "layernorm";
    case OpKind::kFlatten: return "flatten";
    case OpKind::kReshape: return "reshape";
    case OpKind::kMul: return "mul";
    case OpKind::kTranspose: return "transpose";
  }
  return "?";
}

const char* to_string(Activation activation) {
  switch (activation) {
    case Activation::kNone: return "none";
    case Activation::kRelu: return "relu";
    case Activation::kRelu6: return "relu6";
    case Activation::kSigmoid: return "sigmoid";
    case Activation::kTanh: return "tanh";
    case Activation::kGelu: return "gelu";
  }
  return "?";
}

int concat_axis(const Layer& layer, size_t rank) {
  return layer.axis < 0 ? static_cast<int>(rank) + layer.axis : layer.axis + 1;
}

size_t concat_axis(const Layer& layer) {
  return static_cast<size_t>(concat_axis(layer, layer.output_shape.size()));
}

int64_t element_count(const std::vector<int64_t>& shape) {
  int64_t count = 1;
  for (int64_t dim : shape) count *= dim;
  return count;
}

std::string format_shape(const std::vector<int64_t>& shape) {
  std::string text = "[";
  for (size_t i = 0; i < shape.size(); ++i) {
    if (i > 0) text += ",";
    text += std::to_string(shape[i]);
  }
  return text + "]";
}

std::string layer_location(const Graph& graph, const Layer& layer) {
  std::string text = graph.source_path;
  if (layer.source_line > 0) {
    text += ":" + std::to_string(layer.source_line);
    if (layer.source_column > 0) text += ":" + std::to_string(layer.source_column);
  }
  if (!text.empty()) text += ": ";
  return text + "layer '" + layer.name + "'";
}

int64_t Graph::total_macs() const {
  int64_t sum = 0;
  for (const Layer& layer : layers) sum += layer.macs;
  return sum;
}

int64_t Graph::total_params() const {
  int64_t sum = 0;
  for (const Layer& layer : layers) sum += layer.params;
  return sum;
}

}  // namespace npu::compiler
