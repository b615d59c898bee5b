#include "tools/functional/unstructured_pruning.h"

#include <algorithm>
#include <cassert>
#include <cmath>
#include <numeric>

namespace npu::functional {
namespace {

template <typename T>
void prune(std::vector<T>& weights, double density) {
  assert(density > 0 && density <= 1);
  const size_t keep =
      static_cast<size_t>(std::llround(density * static_cast<double>(weights.size())));
  if (keep >= weights.size()) return;
  // int8 magnitudes widen first: |-128| does not fit in int8.
  const auto magnitude = [&](size_t i) { return std::fabs(static_cast<double>(weights[i])); };
  std::vector<size_t> order(weights.size());
  std::iota(order.begin(), order.end(), size_t{0});
  std::stable_sort(order.begin(), order.end(),
                   [&](size_t a, size_t b) { return magnitude(a) > magnitude(b); });
  for (size_t i = keep; i < order.size(); ++i) weights[order[i]] = T{0};
}

}  // namespace

void prune_by_magnitude(std::vector<int8_t>& weights, double density) { prune(weights, density); }
void prune_by_magnitude(std::vector<float>& weights, double density) { prune(weights, density); }

void prune_unstructured_weights(const compiler::Graph& graph, ModelData& data) {
  for (size_t i = 0; i < graph.layers.size() && i < data.layers.size(); ++i) {
    const compiler::Layer& layer = graph.layers[i];
    if (layer.weight_pattern_m != 0 || layer.weight_density >= 1.0) continue;
    if (layer.op != compiler::OpKind::kConv2d && layer.op != compiler::OpKind::kDense) continue;
    // A layer sharing another's weights holds a copy of them; pruning is deterministic, so both
    // copies lose the same entries.
    prune_by_magnitude(data.layers[i].weights, layer.weight_density);
    prune_by_magnitude(data.layers[i].float_weights, layer.weight_density);
  }
}

}  // namespace npu::functional
