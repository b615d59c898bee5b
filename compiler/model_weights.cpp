#include "compiler/model_weights.h"

namespace npu::compiler {

int64_t zero_weight_count(const LayerWeights& weights) {
  int64_t zeros = 0;
  for (float w : weights.weights) zeros += w == 0.0f ? 1 : 0;
  return zeros;
}

double weight_density(const LayerWeights& weights) {
  if (weights.weights.empty()) return 1.0;
  const double count = static_cast<double>(weights.weights.size());
  return (count - static_cast<double>(zero_weight_count(weights))) / count;
}

}  // namespace npu::compiler
