#include "tests/reference/reference_graph.h"

#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <string>

#include "sim/functional/numerics.h"
#include "tests/reference/reference_common.h"
#include "tests/reference/reference_float_ops.h"

namespace npu::reference {
namespace {

using arch::Precision;
using compiler::Layer;
using compiler::OpKind;
using functional::LayerData;
using functional::ModelData;

std::string quant_text(const Quant& q) {
  return "scale " + std::to_string(q.scale) + ", zero point " + std::to_string(q.zero_point) +
         (q.bits == 8 ? "" : ", " + std::to_string(q.bits) + " bits");
}

// Layers that move or select values without rescaling them cannot change the quantization.
void expect_same_quant(const Quant& input, const Quant& output, const char* why) {
  if (!(input == output)) {
    throw std::invalid_argument(std::string("output quantization (") + quant_text(output) +
                                ") must equal its input's (" + quant_text(input) + "): " + why);
  }
}

QTensor reshaped(const QTensor& in, const Layer& layer, const Quant& out) {
  expect_same_quant(in.quant, out, "reshaping does not touch data");
  return {layer.output_shape, in.data, in.quant};
}

QTensor run_layer(const Layer& layer, const std::vector<QTensor>& values,
                  const LayerData* constants, const QTensor* graph_input, const Quant& out) {
  auto input = [&](size_t i) -> const QTensor& { return values[layer.inputs.at(i)]; };
  auto layer_data = [&]() -> const LayerData& {
    if (constants == nullptr) throw std::invalid_argument("no layer data (data.layers is short)");
    return *constants;
  };
  switch (layer.op) {
    case OpKind::kInput: {
      if (graph_input == nullptr || graph_input->data.empty()) {
        throw std::invalid_argument("graph input has no values in data.inputs");
      }
      if (static_cast<size_t>(compiler::element_count(graph_input->shape)) !=
          graph_input->data.size()) {
        throw std::invalid_argument("data.inputs has shape " +
                                    compiler::format_shape(graph_input->shape) + " but " +
                                    std::to_string(graph_input->data.size()) + " values");
      }
      if (!(graph_input->quant == out)) {
        throw std::invalid_argument("data.inputs quantization (" + quant_text(graph_input->quant) +
                                    ") differs from data.quant (" + quant_text(out) + ")");
      }
      return *graph_input;
    }
    case OpKind::kConv2d: {
      const LayerData& d = layer_data();
      return conv2d(input(0), d.weights, d.weight_scales, d.bias, layer.window, layer.groups,
                    layer.out_channels, out, layer.activation);
    }
    case OpKind::kDense: {
      const LayerData& d = layer_data();
      return dense(input(0), d.weights, d.weight_scales, d.bias, layer.out_channels, out,
                   layer.activation);
    }
    case OpKind::kMatmul:
      return matmul(input(0), input(1), out, layer.activation);
    case OpKind::kMaxPool:
      expect_same_quant(input(0).quant, out, "pooling keeps its input's quantization");
      return max_pool(input(0), layer.window);
    case OpKind::kAvgPool:
      expect_same_quant(input(0).quant, out, "pooling keeps its input's quantization");
      return avg_pool(input(0), layer.window);
    case OpKind::kGlobalAvgPool: {
      // The mean keeps its input's scale and zero point; it may be stored wider (int4 -> int8).
      Quant widened = input(0).quant;
      widened.bits = std::max(widened.bits, out.bits);
      expect_same_quant(widened, out, "pooling keeps its input's quantization");
      QTensor mean = global_avg_pool(input(0));
      mean.quant = out;
      return mean;
    }
    case OpKind::kAdd:
      return add(input(0), input(1), out, layer.activation);
    case OpKind::kMul:
      return mul(input(0), input(1), out, layer.activation);
    case OpKind::kTranspose:
      expect_same_quant(input(0).quant, out, "transposing moves values without rescaling them");
      return transpose(input(0));
    case OpKind::kSlice:
      expect_same_quant(input(0).quant, out, "slicing moves values without rescaling them");
      return slice(input(0), compiler::concat_axis(layer), layer.slice_begin, layer.slice_size);
    case OpKind::kConcat: {
      std::vector<QTensor> parts;
      for (size_t i = 0; i < layer.inputs.size(); ++i) parts.push_back(input(i));
      expect_same_quant(input(0).quant, out, "concatenated tensors share one quantization");
      return concat(parts, compiler::concat_axis(layer));
    }
    case OpKind::kActivation:
      return activation(input(0), layer.activation, out);
    case OpKind::kBatchNorm: {
      const LayerData& d = layer_data();
      if (d.scale.empty() && d.shift.empty()) {
        expect_same_quant(input(0).quant, out, "a folded batchnorm is the identity");
        return input(0);
      }
      return batchnorm(input(0), d.scale, d.shift, out);
    }
    case OpKind::kSoftmax:
      return softmax(input(0), out);
    case OpKind::kLayerNorm: {
      const LayerData& d = layer_data();  // gamma in scale, beta in shift
      return layer_norm(input(0), d.scale, d.shift, layer.epsilon, out);
    }
    case OpKind::kFlatten:
    case OpKind::kReshape:
      return reshaped(input(0), layer, out);
  }
  throw std::logic_error("run_graph: unhandled op");
}

// A float model: values instead of int8 data, no quantization; every op rounds to `format`.
QTensor run_float_layer(const Layer& layer, const std::vector<QTensor>& values,
                        const LayerData* constants, const QTensor* graph_input, Precision format) {
  auto input = [&](size_t i) -> const QTensor& { return values[layer.inputs.at(i)]; };
  auto layer_data = [&]() -> const LayerData& {
    if (constants == nullptr) throw std::invalid_argument("no layer data (data.layers is short)");
    return *constants;
  };
  switch (layer.op) {
    case OpKind::kInput: {
      if (graph_input == nullptr || graph_input->values.empty()) {
        throw std::invalid_argument("graph input has no values in data.inputs");
      }
      const std::vector<float>& given = graph_input->values;
      if (static_cast<size_t>(compiler::element_count(graph_input->shape)) != given.size()) {
        throw std::invalid_argument("data.inputs has shape " +
                                    compiler::format_shape(graph_input->shape) + " but " +
                                    std::to_string(given.size()) + " values");
      }
      for (size_t i = 0; i < given.size(); ++i) {
        if (!std::isnan(given[i]) && functional::round_to_format(given[i], format) != given[i]) {
          throw std::invalid_argument("data.inputs value " + detail::float_text(given[i]) +
                                      " at index " + std::to_string(i) +
                                      " is not representable in " + arch::to_string(format));
        }
      }
      QTensor value;  // shape and values only, like every float result
      value.shape = graph_input->shape;
      value.values = given;
      return value;
    }
    case OpKind::kConv2d: {
      const LayerData& d = layer_data();
      return conv2d_float(input(0), d.float_weights, d.float_bias, layer.window, layer.groups,
                          layer.out_channels, layer.activation, format);
    }
    case OpKind::kDense: {
      const LayerData& d = layer_data();
      return dense_float(input(0), d.float_weights, d.float_bias, layer.out_channels,
                         layer.activation, format);
    }
    case OpKind::kMatmul:
      return matmul_float(input(0), input(1), layer.activation, format);
    case OpKind::kMaxPool:
      return max_pool_float(input(0), layer.window, format);
    case OpKind::kAvgPool:
      return avg_pool_float(input(0), layer.window, format);
    case OpKind::kGlobalAvgPool:
      return global_avg_pool_float(input(0), format);
    case OpKind::kAdd:
      return add_float(input(0), input(1), layer.activation, format);
    case OpKind::kMul:
      return mul_float(input(0), input(1), layer.activation, format);
    case OpKind::kTranspose:
      return transpose_float(input(0));
    case OpKind::kSlice:
      return slice_float(input(0), compiler::concat_axis(layer), layer.slice_begin,
                         layer.slice_size);
    case OpKind::kConcat: {
      std::vector<QTensor> parts;
      for (size_t i = 0; i < layer.inputs.size(); ++i) parts.push_back(input(i));
      return concat_float(parts, compiler::concat_axis(layer));
    }
    case OpKind::kActivation:
      return activation_float(input(0), layer.activation, format);
    case OpKind::kBatchNorm: {
      const LayerData& d = layer_data();
      if (d.scale.empty() && d.shift.empty()) return input(0);  // folded into its producer
      return batchnorm_float(input(0), d.scale, d.shift, format);
    }
    case OpKind::kSoftmax:
      return softmax_float(input(0), format);
    case OpKind::kLayerNorm: {
      const LayerData& d = layer_data();  // gamma in scale, beta in shift
      return layer_norm_float(input(0), d.scale, d.shift, layer.epsilon, format);
    }
    case OpKind::kFlatten:
    case OpKind::kReshape: {
      QTensor out = input(0);
      out.shape = layer.output_shape;
      return out;
    }
  }
  throw std::logic_error("run_graph: unhandled op");
}

}  // namespace

std::vector<QTensor> run_graph(const compiler::Graph& graph, const ModelData& data) {
  const size_t count = graph.layers.size();
  const bool is_float = arch::is_float(data.format);
  if (!is_float && data.quant.size() != count) {
    throw std::invalid_argument("run_graph: data.quant has " + std::to_string(data.quant.size()) +
                                " entries for " + std::to_string(count) + " graph tensors");
  }
  std::vector<QTensor> values;
  values.reserve(count);
  for (size_t i = 0; i < count; ++i) {
    const Layer& layer = graph.layers[i];
    const LayerData* constants = i < data.layers.size() ? &data.layers[i] : nullptr;
    const QTensor* graph_input = i < data.inputs.size() ? &data.inputs[i] : nullptr;
    QTensor value;
    try {
      value = is_float ? run_float_layer(layer, values, constants, graph_input, data.format)
                       : run_layer(layer, values, constants, graph_input, data.quant[i]);
    } catch (const std::invalid_argument& e) {
      throw std::invalid_argument("run_graph: " + compiler::layer_location(graph, layer) + " (" +
                                  compiler::to_string(layer.op) + "): " + e.what());
    }
    if (value.shape != layer.output_shape) {
      throw std::invalid_argument(
          "run_graph: " + compiler::layer_location(graph, layer) + ": computed shape " +
          compiler::format_shape(value.shape) + " differs from the graph's " +
          compiler::format_shape(layer.output_shape) +
          (layer.op == OpKind::kInput ? " (data.inputs)" : " (is the graph shape-inferred?)"));
    }
    values.push_back(std::move(value));
  }
  return values;
}

}  // namespace npu::reference
