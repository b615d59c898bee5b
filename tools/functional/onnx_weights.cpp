#include "tools/functional/onnx_weights.h"

#include <algorithm>
#include <climits>
#include <cmath>
#include <string>

#include "arch/user_error.h"
#include "compiler/fusion.h"
#include "sim/functional/numerics.h"

namespace npu::functional {
namespace {

using compiler::Layer;
using compiler::LayerWeights;
using compiler::OpKind;

void expect_size(const Layer& layer, const char* what, size_t actual, size_t expected) {
  if (actual != expected) {
    throw UserError("layer '" + layer.name + "': the model's " + what + " hold " +
                    std::to_string(actual) + " values; the layer needs " +
                    std::to_string(expected));
  }
}

// y = a x + b after the layer: w[c] a[c], bias[c] a[c] + b[c].
void fold_batchnorm(const LayerWeights& batchnorm, LayerWeights& layer) {
  const size_t channels = batchnorm.scale.size();
  const size_t per_channel = layer.weights.size() / channels;
  if (layer.bias.empty()) layer.bias.assign(channels, 0.0f);
  for (size_t c = 0; c < channels; ++c) {
    const double a = batchnorm.scale[c];
    for (size_t j = 0; j < per_channel; ++j) {
      float& w = layer.weights[c * per_channel + j];
      w = static_cast<float>(w * a);
    }
    layer.bias[c] = static_cast<float>(layer.bias[c] * a + batchnorm.shift[c]);
  }
}

// Symmetric per-output-channel weights in [-w, w] (127 for int8, 7 for an int4 layer), int32 bias
// at s_in x s_w[c] (docs/numerics.md).
void quantize(const LayerWeights& real, double scale_in, int largest_weight, LayerData& data) {
  const size_t channels = data.weight_scales.size();
  const size_t per_channel = real.weights.size() / channels;
  for (size_t c = 0; c < channels; ++c) {
    const auto begin = real.weights.begin() + static_cast<std::ptrdiff_t>(c * per_channel);
    float largest = 0;
    for (auto w = begin; w != begin + static_cast<std::ptrdiff_t>(per_channel); ++w) {
      largest = std::max(largest, std::fabs(*w));
    }
    // An all-zero channel quantizes to zeros at any scale; 1 keeps the requantization finite.
    const double scale = largest > 0 ? static_cast<double>(largest) / largest_weight : 1.0;
    data.weight_scales[c] = static_cast<float>(scale);
    for (size_t j = 0; j < per_channel; ++j) {
      const double q = std::round(real.weights[c * per_channel + j] / scale);
      data.weights[c * per_channel + j] = static_cast<int8_t>(
          std::clamp(q, -static_cast<double>(largest_weight), static_cast<double>(largest_weight)));
    }
    if (!data.bias.empty()) {
      const double q = std::round(real.bias[c] / (scale_in * scale));
      data.bias[c] = static_cast<int32_t>(
          std::clamp(q, static_cast<double>(INT32_MIN), static_cast<double>(INT32_MAX)));
    }
  }
}

}  // namespace

void apply_model_weights(const compiler::Graph& graph, const compiler::ModelWeights& weights,
                         ModelData& data) {
  if (weights.layers.size() != graph.layers.size()) {
    throw UserError("the model's weights describe " + std::to_string(weights.layers.size()) +
                    " layers; the graph has " + std::to_string(graph.layers.size()));
  }
  std::vector<LayerWeights> deployed = weights.layers;
  std::vector<bool> folded(graph.layers.size(), false);
  for (const compiler::FusedLayer& fused : compiler::fuse(graph).layers) {
    for (int absorbed : fused.absorbed) {
      if (graph.layers[static_cast<size_t>(absorbed)].op != OpKind::kBatchNorm) continue;
      folded[static_cast<size_t>(absorbed)] = true;
      fold_batchnorm(weights.layers[static_cast<size_t>(absorbed)],
                     deployed[static_cast<size_t>(fused.anchor)]);
    }
  }
  const bool is_float = arch::is_float(data.format);
  for (size_t i = 0; i < graph.layers.size(); ++i) {
    const Layer& layer = graph.layers[i];
    LayerData& target = data.layers[i];
    LayerWeights& source = deployed[i];
    switch (layer.op) {
      case OpKind::kConv2d:
      case OpKind::kDense: {
        const size_t generated_bias = is_float ? target.float_bias.size() : target.bias.size();
        expect_size(layer, "weights", source.weights.size(),
                    is_float ? target.float_weights.size() : target.weights.size());
        // A layer without a bias of its own still gets one from a folded batchnorm; a bias the
        // graph does not have cannot appear.
        if (source.bias.empty() && generated_bias > 0) source.bias.assign(generated_bias, 0.0f);
        expect_size(layer, "biases", source.bias.size(), generated_bias);
        if (is_float) {
          target.float_weights = source.weights;
          for (float& w : target.float_weights) w = round_to_format(w, data.format);
          target.float_bias = source.bias;
        } else {
          // A layer reads its input in the format it computes at.
          const Quant& in = data.quant[static_cast<size_t>(layer.inputs[0])];
          quantize(source, in.scale, in.bits == 4 ? 7 : 127, target);
        }
        break;
      }
      case OpKind::kBatchNorm:
      case OpKind::kLayerNorm:
        if (folded[i]) break;
        expect_size(layer, "scales", source.scale.size(), target.scale.size());
        expect_size(layer, "shifts", source.shift.size(), target.shift.size());
        target.scale = source.scale;
        target.shift = source.shift;
        break;
      default:
        break;
    }
  }
}

}  // namespace npu::functional
