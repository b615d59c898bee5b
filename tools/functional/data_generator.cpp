#include "tools/functional/data_generator.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <numeric>
#include <stdexcept>
#include <string>

#include "arch/user_error.h"
#include "compiler/compile.h"
#include "compiler/fusion.h"
#include "sim/functional/numerics.h"
#include "tools/functional/weight_pruning.h"

namespace npu::functional {
namespace {

using compiler::Activation;
using compiler::Layer;
using compiler::OpKind;

// SplitMix64: tiny, fast, and the same sequence on every platform.
class Random {
 public:
  explicit Random(uint64_t seed) : m_state(seed) {}
  uint64_t next() {
    uint64_t z = (m_state += 0x9E3779B97F4A7C15ULL);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
  }
  // Uniform integer in [lo, hi].
  int64_t integer(int64_t lo, int64_t hi) {
    return lo + static_cast<int64_t>(next() % static_cast<uint64_t>(hi - lo + 1));
  }
  // Uniform real in [0, 1).
  double unit() { return static_cast<double>(next() >> 11) * 0x1.0p-53; }

 private:
  uint64_t m_state;
};

// Tensors that must share one quantization, as a union-find over graph tensor indices.
class QuantGroups {
 public:
  explicit QuantGroups(size_t n) : m_parent(n) { std::iota(m_parent.begin(), m_parent.end(), 0); }
  size_t find(size_t i) {
    while (m_parent[i] != i) i = m_parent[i] = m_parent[m_parent[i]];
    return i;
  }
  void join(size_t a, size_t b) { m_parent[find(a)] = find(b); }

 private:
  std::vector<size_t> m_parent;
};

// How many int8 steps one step of a `bits`-wide tensor spans at the same real spread: 1 for int8,
// 16 for int4. Scales are multiplied by it so that data keeps about the same share of its range
// in either format (docs/numerics.md, "Generated data").
double step_of(int bits) { return bits == 4 ? 16.0 : 1.0; }

// The standard deviation of weights drawn uniformly from [-w, w] (w = 127 for int8, 7 for int4),
// sqrt(((2w + 1)^2 - 1) / 12): the per-channel scale divides by it so the output's spread follows
// the input's.
double weight_spread(int bits) { return bits == 4 ? 4.32 : 73.3; }

int64_t reduction_size(const compiler::Graph& graph, const Layer& layer) {
  const auto& in = graph.layers[layer.inputs[0]].output_shape;
  if (layer.op == OpKind::kConv2d) {
    return int64_t{layer.window.kernel_h} * layer.window.kernel_w * (in.back() / layer.groups);
  }
  return in.back();
}

class Generator {
 public:
  // `stored`: each tensor's format (empty: all int8); `format`: the design's, which a layer
  // without its own precision computes at.
  Generator(const compiler::Graph& graph, uint64_t seed, std::vector<arch::Precision> stored = {},
            arch::Precision format = arch::Precision::kInt8)
      : m_graph(graph),
        m_random(seed),
        m_groups(graph.layers.size()),
        m_stored(std::move(stored)),
        m_format(format) {}

  ModelData run_float(arch::Precision format) {
    const size_t n = m_graph.layers.size();
    m_data.format = format;
    m_data.quant.resize(n);
    m_data.inputs.resize(n);
    m_data.layers.resize(n);
    const compiler::FusedGraph fused = compiler::fuse(m_graph);
    for (const compiler::FusedLayer& layer : fused.layers) {
      for (int a : layer.absorbed) m_folded.push_back(a);
    }
    auto uniform = [&](double lo, double hi) { return lo + (hi - lo) * m_random.unit(); };
    for (size_t i = 0; i < n; ++i) {
      const Layer& layer = m_graph.layers[i];
      const int64_t channels = layer.output_shape.empty() ? 1 : layer.output_shape.back();
      LayerData& data = m_data.layers[i];
      switch (layer.op) {
        case OpKind::kInput: {
          QTensor& tensor = m_data.inputs[i];
          tensor.shape = layer.output_shape;
          tensor.values.resize(static_cast<size_t>(compiler::element_count(layer.output_shape)));
          for (float& v : tensor.values) v = round_to_format(static_cast<float>(uniform(-1, 1)), format);
          break;
        }
        case OpKind::kConv2d:
        case OpKind::kDense: {
          const double k = static_cast<double>(reduction_size(m_graph, layer));
          const double bound = std::sqrt(3.0 / k);  // uniform in [-b, b] has variance b^2 / 3
          if (layer.weights_of >= 0) {
            data.float_weights = m_data.layers[static_cast<size_t>(layer.weights_of)].float_weights;
          } else {
            data.float_weights.resize(static_cast<size_t>(channels * reduction_size(m_graph, layer)));
            for (float& w : data.float_weights) {
              w = round_to_format(static_cast<float>(uniform(-bound, bound)), format);
            }
          }
          if (shares_bias(i)) {
            data.float_bias = m_data.layers[static_cast<size_t>(layer.weights_of)].float_bias;
          } else if (layer.bias || has_folded_batchnorm(i)) {
            data.float_bias.resize(static_cast<size_t>(channels));
            for (float& b : data.float_bias) b = static_cast<float>(uniform(-0.1, 0.1));
          }
          break;
        }
        case OpKind::kBatchNorm:
        case OpKind::kLayerNorm:
          if (is_folded_batchnorm(i)) break;
          for (int64_t c = 0; c < channels; ++c) {
            data.scale.push_back(static_cast<float>(uniform(0.5, 1.5)));
            data.shift.push_back(static_cast<float>(uniform(-0.5, 0.5)));
          }
          break;
        default:
          break;
      }
    }
    return std::move(m_data);
  }

  ModelData run() {
    const size_t n = m_graph.layers.size();
    m_data.format = m_format;
    m_data.quant.resize(n);
    m_data.inputs.resize(n);
    m_data.layers.resize(n);
    m_assigned.assign(n, false);
    m_symmetric.assign(n, false);
    group_constrained_tensors();
    for (size_t i = 0; i < n; ++i) generate(i);
    return std::move(m_data);
  }

 private:
  void group_constrained_tensors() {
    const compiler::FusedGraph fused = compiler::fuse(m_graph);
    for (size_t i = 0; i < m_graph.layers.size(); ++i) {
      const Layer& layer = m_graph.layers[i];
      // Same storage (fused layers, aliases): same quantization.
      m_groups.join(i, static_cast<size_t>(fused.storage_of[i]));
      switch (layer.op) {
        case OpKind::kMaxPool:
        case OpKind::kAvgPool:
        case OpKind::kGlobalAvgPool:
        case OpKind::kFlatten:
        case OpKind::kReshape:
        case OpKind::kTranspose:
        case OpKind::kSlice:
          m_groups.join(i, static_cast<size_t>(layer.inputs[0]));
          break;
        case OpKind::kConcat:
          for (int input : layer.inputs) m_groups.join(i, static_cast<size_t>(input));
          break;
        default:
          break;
      }
    }
    for (size_t i = 0; i < m_graph.layers.size(); ++i) {
      if (m_graph.layers[i].op != OpKind::kMatmul) continue;
      for (int input : m_graph.layers[i].inputs) m_symmetric[m_groups.find(static_cast<size_t>(input))] = true;
    }
    for (const compiler::FusedLayer& layer : fused.layers) {
      for (int a : layer.absorbed) m_folded.push_back(a);
    }
  }

  bool is_folded_batchnorm(size_t i) const {
    return m_graph.layers[i].op == OpKind::kBatchNorm &&
           std::find(m_folded.begin(), m_folded.end(), static_cast<int>(i)) != m_folded.end();
  }

  // Gives tensor i (and its group) a quantization unless its group already has one. A group's
  // tensors share storage or are read by the same vector layer, so they share a format too.
  void assign(size_t i, double scale, int32_t zero_point) {
    const size_t root = m_groups.find(i);
    if (!m_assigned[root]) {
      if (m_symmetric[root]) zero_point = 0;
      m_root_quant[root] = Quant{static_cast<float>(scale), zero_point, bits_of(i)};
      m_assigned[root] = true;
    }
    // The group shares scale and zero point; each tensor keeps its own stored width (a global
    // average pool may widen int4 to int8 for an int8 reader, docs/numerics.md).
    m_data.quant[i] = m_root_quant[root];
    m_data.quant[i].bits = bits_of(i);
  }

  // The width tensor i is stored in: 4 for int4, else 8.
  int bits_of(size_t i) const {
    return !m_stored.empty() && m_stored[i] == arch::Precision::kInt4 ? 4 : 8;
  }
  // The width a conv2d/dense layer's weights and input are in: its own precision or the design's.
  int weight_bits_of(const Layer& layer) const {
    return layer.precision.value_or(m_format) == arch::Precision::kInt4 ? 4 : 8;
  }
  double step(size_t i) const { return step_of(bits_of(i)); }
  double step(int tensor) const { return step(static_cast<size_t>(tensor)); }

  // From [-8, 8] for int8, [-2, 2] for int4 (one draw either way, so an int8 model's data does
  // not depend on whether another tensor is int4).
  int32_t random_zero_point(size_t i) {
    return bits_of(i) == 4 ? static_cast<int32_t>(m_random.integer(-2, 2))
                           : static_cast<int32_t>(m_random.integer(-8, 8));
  }
  const Quant& quant_of(int tensor) const { return m_data.quant[static_cast<size_t>(tensor)]; }

  void generate(size_t i) {
    const Layer& layer = m_graph.layers[i];
    const int64_t channels = layer.output_shape.empty() ? 1 : layer.output_shape.back();
    switch (layer.op) {
      case OpKind::kInput: {
        assign(i, step(i) / 32, random_zero_point(i));
        QTensor& tensor = m_data.inputs[i];
        tensor.shape = layer.output_shape;
        tensor.quant = m_data.quant[i];
        tensor.data.resize(static_cast<size_t>(compiler::element_count(layer.output_shape)));
        const Quant& q = tensor.quant;
        for (int8_t& value : tensor.data) {
          value = static_cast<int8_t>(m_random.integer(q.min_value(), q.max_value()));
        }
        return;
      }
      case OpKind::kConv2d:
      case OpKind::kDense: {
        const int64_t k = reduction_size(m_graph, layer);
        LayerData& data = m_data.layers[i];
        if (layer.weights_of >= 0) {
          const LayerData& owner = m_data.layers[static_cast<size_t>(layer.weights_of)];
          data.weights = owner.weights;
          data.weight_scales = owner.weight_scales;
        } else {
          // Symmetric: [-127, 127] for int8, [-7, 7] for int4.
          const int weight_bits = weight_bits_of(layer);
          const int64_t largest = (int64_t{1} << (weight_bits - 1)) - 1;
          data.weights.resize(static_cast<size_t>(channels * k));
          for (int8_t& w : data.weights)
            w = static_cast<int8_t>(m_random.integer(-largest, largest));
          data.weight_scales.resize(static_cast<size_t>(channels));
          for (float& s : data.weight_scales) {
            s = static_cast<float>((0.5 + m_random.unit()) / (weight_spread(weight_bits) *
                                                              std::sqrt(static_cast<double>(k))));
          }
        }
        if (shares_bias(i)) {
          data.bias = m_data.layers[static_cast<size_t>(layer.weights_of)].bias;
        } else if (layer.bias || has_folded_batchnorm(i)) {
          // A few percent of the accumulator's spread: 64 K for int8 operands; int4 products are
          // about 270 times smaller, so K / 4.
          const int64_t bound = weight_bits_of(layer) == 4 ? std::max<int64_t>(1, k / 4) : 64 * k;
          data.bias.resize(static_cast<size_t>(channels));
          for (int32_t& b : data.bias) b = static_cast<int32_t>(m_random.integer(-bound, bound));
        }
        // The output spreads as the input does: in its own format's steps.
        assign(i, quant_of(layer.inputs[0]).scale * step(i) / step(layer.inputs[0]),
               output_zero_point(i));
        return;
      }
      case OpKind::kMatmul: {
        const Quant& a = quant_of(layer.inputs[0]);
        const Quant& b = quant_of(layer.inputs[1]);
        const double k = static_cast<double>(m_graph.layers[layer.inputs[0]].output_shape.back());
        // 64 product units per output step for int8 operands and output; int4 operands' products
        // are 256 times smaller, an int4 output's step 16 times larger.
        const double in_step = step(layer.inputs[0]);
        assign(i,
               static_cast<double>(a.scale) * b.scale * std::sqrt(k) * 64.0 * step(i) /
                   (in_step * in_step),
               output_zero_point(i));
        return;
      }
      case OpKind::kAdd: {
        const double larger = std::max(quant_of(layer.inputs[0]).scale, quant_of(layer.inputs[1]).scale);
        assign(i, larger * step(i) / step(layer.inputs[0]), output_zero_point(i));
        return;
      }
      case OpKind::kMul: {
        // (q1 - z1)(q2 - z2) of uniform int8 data reaches 2^14 and is typically a few thousand:
        // 128 product units per output step keeps all but the largest products in range. int4
        // products are typically a few tens against 16 output steps: 8 units per step.
        const Quant& a = quant_of(layer.inputs[0]);
        const Quant& b = quant_of(layer.inputs[1]);
        const double units = bits_of(i) == 4 ? 8.0 : 128.0;
        assign(i, static_cast<double>(a.scale) * b.scale * units, output_zero_point(i));
        return;
      }
      case OpKind::kActivation:
        assign(i, activation_scale(layer.activation, quant_of(layer.inputs[0]).scale, step(i)),
               activation_zero_point(layer.activation, i));
        return;
      case OpKind::kBatchNorm: {
        if (is_folded_batchnorm(i)) {
          m_data.quant[i] = quant_of(layer.inputs[0]);
          return;
        }
        LayerData& data = m_data.layers[i];
        const double scale_in = quant_of(layer.inputs[0]).scale;
        for (int64_t c = 0; c < channels; ++c) {
          data.scale.push_back(static_cast<float>(0.5 + m_random.unit()));
          data.shift.push_back(
              static_cast<float>((m_random.unit() * 2 - 1) * 16 / step(i) * scale_in));
        }
        assign(i, scale_in, random_zero_point(i));
        return;
      }
      case OpKind::kLayerNorm: {
        LayerData& data = m_data.layers[i];
        for (int64_t c = 0; c < channels; ++c) {
          data.scale.push_back(static_cast<float>(0.5 + m_random.unit()));
          data.shift.push_back(static_cast<float>(m_random.unit() - 0.5));
        }
        assign(i, step(i) / 32, random_zero_point(i));
        return;
      }
      case OpKind::kSoftmax: {
        // TFLite's 1/256, -128; an operand of a matmul (attention probabilities) needs zero
        // point 0, so there 1/128, 0 (docs/numerics.md, vec.softmax). int4: 1/16, -8 and 1/8, 0.
        const float s = static_cast<float>(step(i));
        const Quant wanted = m_symmetric[m_groups.find(i)]
                                 ? Quant{s / 128, 0, bits_of(i)}
                                 : Quant{s / 256, -128 / static_cast<int32_t>(s), bits_of(i)};
        assign(i, wanted.scale, wanted.zero_point);
        if (!(m_data.quant[i] == wanted)) {
          throw UserError("layer '" + layer.name + "': cannot generate data: its softmax output "
                          "must share a quantization with another tensor");
        }
        return;
      }
      case OpKind::kMaxPool:
      case OpKind::kAvgPool:
      case OpKind::kGlobalAvgPool:
      case OpKind::kFlatten:
      case OpKind::kReshape:
      case OpKind::kConcat:
      case OpKind::kTranspose:
      case OpKind::kSlice:
        assign(i, quant_of(layer.inputs[0]).scale, quant_of(layer.inputs[0]).zero_point);
        return;
    }
  }

  // A layer applying another's weights (Layer::weights_of) applies its bias too, unless a folded
  // batchnorm on either side makes the bias that layer's own: the weights stay shared, since a
  // folded batchnorm is carried in the bias and requantization alone (docs/numerics.md).
  bool shares_bias(size_t i) const {
    const int owner = m_graph.layers[i].weights_of;
    return owner >= 0 && m_graph.layers[i].bias && !has_folded_batchnorm(i) &&
           !has_folded_batchnorm(static_cast<size_t>(owner));
  }

  bool has_folded_batchnorm(size_t i) const {
    for (size_t j = i + 1; j < m_graph.layers.size(); ++j) {
      const Layer& next = m_graph.layers[j];
      if (is_folded_batchnorm(j) && next.inputs[0] == static_cast<int>(i)) return true;
    }
    return false;
  }

  // A conv/dense/matmul/add/mul whose fused activation is a relu clamps at the zero point: put it
  // at the bottom of the range (-128, or -8 for int4) to use all of it.
  int32_t output_zero_point(size_t i) {
    const compiler::FusedGraph& fused = fused_graph();
    const int storage = fused.storage_of[i];
    for (const compiler::FusedLayer& layer : fused.layers) {
      if (layer.anchor == static_cast<int>(i) || layer.output == storage) {
        if (layer.activation == Activation::kRelu || layer.activation == Activation::kRelu6) {
          return Quant{1.0f, 0, bits_of(i)}.min_value();
        }
      }
    }
    return random_zero_point(i);
  }

  // An activation layer's output format is its input's (the design's), so `step` is both's.
  static double activation_scale(Activation f, double scale_in, double step) {
    switch (f) {
      case Activation::kSigmoid:
        return step / 256;
      case Activation::kTanh:
        return step / 128;
      default: return scale_in;
    }
  }
  int32_t activation_zero_point(Activation f, size_t i) {
    switch (f) {
      case Activation::kRelu:
      case Activation::kRelu6:
      case Activation::kSigmoid:
        return Quant{1.0f, 0, bits_of(i)}.min_value();
      case Activation::kTanh: return 0;
      default:
        return random_zero_point(i);
    }
  }

  const compiler::FusedGraph& fused_graph() {
    if (m_fused.layers.empty() && m_fused.storage_of.empty()) m_fused = compiler::fuse(m_graph);
    return m_fused;
  }

  const compiler::Graph& m_graph;
  Random m_random;
  QuantGroups m_groups;
  ModelData m_data;
  std::vector<bool> m_assigned;
  std::vector<bool> m_symmetric;
  std::map<size_t, Quant> m_root_quant;
  std::vector<int> m_folded;
  compiler::FusedGraph m_fused;
  std::vector<arch::Precision> m_stored;
  arch::Precision m_format;
};

}  // namespace

ModelData generate_model_data(const compiler::Graph& graph, uint64_t seed,
                              arch::Precision format) {
  const std::vector<arch::Precision> stored(graph.layers.size(), format);
  return generate_model_data(graph, seed, format,
                             arch::is_float(format) ? std::vector<arch::Precision>{} : stored);
}

ModelData generate_model_data(const compiler::Graph& graph, const arch::ArchConfig& arch,
                              uint64_t seed) {
  const arch::Precision format = arch.precision.operand;
  if (arch::is_float(format)) return generate_model_data(graph, seed, format);
  return generate_model_data(graph, seed, format, compiler::stored_precisions(graph, arch));
}

ModelData generate_model_data(const compiler::Graph& graph, uint64_t seed, arch::Precision format,
                              const std::vector<arch::Precision>& stored) {
  ModelData data = arch::is_float(format) ? Generator(graph, seed).run_float(format)
                                          : Generator(graph, seed, stored, format).run();
  // Weights follow their layer's declared N:M pattern; a layer applying another's weights
  // applies them as pruned (owners come first in the graph).
  for (size_t i = 0; i < graph.layers.size(); ++i) {
    const compiler::Layer& layer = graph.layers[i];
    LayerData& layer_data = data.layers[i];
    if (layer.weights_of >= 0 && static_cast<size_t>(layer.weights_of) < i) {
      const LayerData& owner = data.layers[static_cast<size_t>(layer.weights_of)];
      layer_data.weights = owner.weights;
      layer_data.float_weights = owner.float_weights;
    }
    prune_to_nm_pattern(graph, layer, layer_data);
  }
  return data;
}

}  // namespace npu::functional
