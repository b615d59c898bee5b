#pragma once
// The values of a model's learned constants, per graph layer, as an ONNX model carries them
// (docs/onnx.md, "Weights: present, stripped or external"). Plain floats in the layouts of the
// functional data (sim/functional/model_data.h), so that nothing above the reader needs the ONNX
// message classes. The values are the model's own: a batchnorm the compiler later folds into its
// conv keeps its scale and shift here, and the functional side applies them.

#include <cstdint>
#include <string>
#include <vector>

namespace npu::compiler {

struct LayerWeights {
  // conv2d: OHWI, [Cout][Kh][Kw][Cin/groups], indexed ((co*kh + y)*kw + x)*cin + c. dense:
  // [out][in], `in` in the order the IR holds the input's features (NHWC after a flatten).
  // Per-channel constants the reader folded (Gemm's alpha, a Mul or Div after the layer) are
  // applied.
  std::vector<float> weights;
  // [Cout]; empty when the layer has no bias. Folded Add/Sub constants and Gemm's beta applied.
  std::vector<float> bias;
  // batchnorm: a = gamma / sqrt(var + eps) and b = beta - mean a; layernorm: gamma and beta.
  std::vector<float> scale;
  std::vector<float> shift;
};

struct ModelWeights {
  std::vector<LayerWeights> layers;  // per graph layer; empty entries for layers without constants
  // Empty when every constant a functional run needs has values; otherwise why it cannot use them
  // (the first reason found, naming the node and the constant).
  std::string missing;
  bool complete() const { return missing.empty(); }
};

// Fraction of nonzero values among a layer's weights (1 when it has none).
double weight_density(const LayerWeights& weights);
int64_t zero_weight_count(const LayerWeights& weights);

}  // namespace npu::compiler
