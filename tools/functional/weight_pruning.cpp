#include "tools/functional/weight_pruning.h"

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <numeric>

namespace npu::functional {
namespace {

using compiler::Layer;
using compiler::OpKind;

// The weight layout's innermost axis (input channels per convolution group) and how many rows of
// it the layer holds (output channels x kernel taps).
struct GroupAxis {
  int64_t channels = 0;
  int64_t rows = 0;
  int64_t taps = 1;
};

GroupAxis group_axis(const compiler::Graph& graph, const Layer& layer, size_t weight_count) {
  const auto& in = graph.layers[static_cast<size_t>(layer.inputs[0])].output_shape;
  GroupAxis axis;
  if (layer.op == OpKind::kConv2d) {
    axis.channels = in.back() / layer.groups;
    axis.taps = int64_t{layer.window.kernel_h} * layer.window.kernel_w;
  } else {
    axis.channels = in.back();
  }
  axis.rows = axis.channels > 0 ? static_cast<int64_t>(weight_count) / axis.channels : 0;
  return axis;
}

bool has_pattern(const Layer& layer) {
  return (layer.op == OpKind::kConv2d || layer.op == OpKind::kDense) && layer.weight_pattern_m > 0;
}

template <typename T>
double magnitude(T value) {
  return std::fabs(static_cast<double>(value));
}

// Calls on_group(row, first channel, channel count) for every group of every row.
template <typename OnGroup>
void for_each_group(const GroupAxis& axis, int group_m, OnGroup on_group) {
  for (int64_t row = 0; row < axis.rows; ++row) {
    for (int64_t c0 = 0; c0 < axis.channels; c0 += group_m) {
      on_group(row, c0, std::min<int64_t>(group_m, axis.channels - c0));
    }
  }
}

template <typename T>
void prune(std::vector<T>& weights, const GroupAxis& axis, int keep_n, int group_m) {
  std::vector<double> magnitudes;
  for_each_group(axis, group_m, [&](int64_t row, int64_t c0, int64_t count) {
    T* group = &weights[static_cast<size_t>(row * axis.channels + c0)];
    magnitudes.assign(static_cast<size_t>(count), 0.0);
    for (int64_t i = 0; i < count; ++i) magnitudes[static_cast<size_t>(i)] = magnitude(group[i]);
    const std::vector<int> kept = nm_kept_positions(magnitudes, keep_n);
    for (int64_t i = 0; i < count; ++i) {
      if (!std::binary_search(kept.begin(), kept.end(), static_cast<int>(i))) group[i] = T{0};
    }
  });
}

template <typename T>
std::string first_violation(const std::vector<T>& weights, const GroupAxis& axis, int keep_n,
                            int group_m) {
  std::string found;
  for_each_group(axis, group_m, [&](int64_t row, int64_t c0, int64_t count) {
    if (!found.empty()) return;
    const T* group = &weights[static_cast<size_t>(row * axis.channels + c0)];
    const int64_t nonzeros = std::count_if(group, group + count, [](T w) { return w != T{0}; });
    if (nonzeros <= keep_n) return;
    found = "output channel " + std::to_string(row / axis.taps) + ", tap " +
            std::to_string(row % axis.taps) + ", input channels " + std::to_string(c0) + ".." +
            std::to_string(c0 + count - 1) + " hold " + std::to_string(nonzeros) +
            " nonzeros (at most " + std::to_string(keep_n) + ")";
  });
  return found;
}

}  // namespace

std::vector<int> nm_kept_positions(const std::vector<double>& magnitudes, int keep_n) {
  std::vector<int> order(magnitudes.size());
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(),
                   [&](int a, int b) { return magnitudes[a] > magnitudes[b]; });
  order.resize(std::min<size_t>(order.size(), static_cast<size_t>(keep_n)));
  std::sort(order.begin(), order.end());
  return order;
}

void prune_to_nm_pattern(const compiler::Graph& graph, const Layer& layer, LayerData& data) {
  if (!has_pattern(layer)) return;
  const int n = layer.weight_pattern_n, m = layer.weight_pattern_m;
  if (!data.weights.empty())
    prune(data.weights, group_axis(graph, layer, data.weights.size()), n, m);
  if (!data.float_weights.empty()) {
    prune(data.float_weights, group_axis(graph, layer, data.float_weights.size()), n, m);
  }
}

std::string nm_pattern_violation(const compiler::Graph& graph, const Layer& layer,
                                 const LayerData& data) {
  if (!has_pattern(layer)) return "";
  const int n = layer.weight_pattern_n, m = layer.weight_pattern_m;
  std::string found =
      first_violation(data.weights, group_axis(graph, layer, data.weights.size()), n, m);
  if (found.empty()) {
    found = first_violation(data.float_weights, group_axis(graph, layer, data.float_weights.size()),
                            n, m);
  }
  return found;
}

}  // namespace npu::functional
