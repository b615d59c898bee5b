#pragma once
// The data of a quantized model: every graph input's values, every activation tensor's
// quantization, and each layer's learned constants. Filled from --data DIR (npy files) or
// generated from a seed (sim/functional/data_generator.h); consumed by the functional run (which
// turns it into DRAM contents) and by the reference implementations (tests/reference).
//
// Indices are graph layer indices (compiler::Graph::layers): a tensor is its producing layer's
// output. Layouts: activations NHWC, batch first; conv weights [Cout][Kh][Kw][Cin/groups] (OHWI,
// as TFLite); dense weights [out][in].

#include <cstdint>
#include <vector>

#include "arch/arch_config.h"

namespace npu::functional {

// How an integer tensor's values map to reals, and how wide they are stored: int8 (bits 8) or
// int4 (bits 4, packed two per byte in DRAM and SRAM but held here one value per int8).
// Requantizing into a tensor saturates to its range, [-2^(bits-1), 2^(bits-1) - 1]
// (docs/numerics.md).
struct Quant {
  float scale = 1.0f;
  int32_t zero_point = 0;
  int32_t bits = 8;
  int32_t min_value() const { return -(1 << (bits - 1)); }
  int32_t max_value() const { return (1 << (bits - 1)) - 1; }
  bool operator==(const Quant& o) const {
    return scale == o.scale && zero_point == o.zero_point && bits == o.bits;
  }
};

// A tensor of the model: int8 (or int4, one value per element of `data`) values with their
// quantization, or, in a float model, `values` already representable in the model's format
// (fp16/bf16 values held exactly as float32).
struct QTensor {
  std::vector<int64_t> shape;
  std::vector<int8_t> data;
  Quant quant;
  std::vector<float> values{};
};

struct LayerData {
  // conv2d, dense: int8 weights (in [-7, 7] for a layer computing at int4), per-output-channel
  // scales and int32 biases (empty when the layer has no bias). The weights are the deployed ones:
  // a batchnorm folded into this layer is already applied.
  std::vector<int8_t> weights;
  std::vector<float> weight_scales;
  std::vector<int32_t> bias;
  // The same for a float model (same layouts): weights in the model's format; biases float32,
  // as the requantization record holds them.
  std::vector<float> float_weights{};
  std::vector<float> float_bias{};
  // batchnorm that is not folded: y = scale[c] * x + shift[c]; layernorm: gamma, beta. A batchnorm
  // folded into its producer has none: it is the identity in the deployed model.
  std::vector<float> scale;
  std::vector<float> shift;
};

struct ModelData {
  // The design's operand format. int8 or int4: data/quant (each tensor's own width in its
  // Quant::bits, since a mixed-precision model stores some tensors at int4); floats: values.
  arch::Precision format = arch::Precision::kInt8;
  std::vector<Quant> quant;         // per graph tensor (int8 models)
  std::vector<QTensor> inputs;      // per graph tensor; filled for graph inputs only
  std::vector<LayerData> layers;    // per graph layer
};

}  // namespace npu::functional
