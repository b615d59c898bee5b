#include "compiler/concat_placement.h"

#include "compiler/packing.h"

namespace npu::compiler {

ConcatLayout concat_layout(const Graph& graph, const Layer& concat) {
  ConcatLayout layout;
  const size_t axis = concat_axis(concat);
  const std::vector<int64_t>& out = concat.output_shape;
  int64_t inner = 1;
  for (size_t d = 0; d < axis; ++d) layout.outer *= out[d];
  for (size_t d = axis + 1; d < out.size(); ++d) inner *= out[d];
  for (int input : concat.inputs) {
    layout.run.push_back(graph.layers[static_cast<size_t>(input)].output_shape[axis] * inner);
  }
  return layout;
}

int64_t stored_bytes(const Layer& layer, arch::Precision precision) {
  const std::vector<int64_t>& shape = layer.output_shape;
  const int64_t channels = shape.empty() ? 1 : shape.back();
  return (element_count(shape) / channels) * Packing(precision).bytes(channels);
}

InPlaceConcats plan_concats_in_place(const Graph& graph, const std::vector<int>& storage_of,
                                     const std::vector<arch::Precision>& precision) {
  InPlaceConcats plan;
  std::vector<int> consumers(graph.layers.size(), 0);
  for (const Layer& layer : graph.layers) {
    for (int input : layer.inputs) ++consumers[static_cast<size_t>(input)];
  }
  for (size_t c = 0; c < graph.layers.size(); ++c) {
    const Layer& concat = graph.layers[c];
    if (concat.op != OpKind::kConcat) continue;
    if (concat_layout(graph, concat).outer != 1) continue;
    bool writable = concat_axis(concat) + 1 < concat.output_shape.size() ||
                    Packing(precision[c]).bits() % 8 == 0;
    for (int input : concat.inputs) {
      const size_t i = static_cast<size_t>(input);
      writable = writable && storage_of[i] == input && consumers[i] == 1 &&
                 plan.slice_of.count(input) == 0 && precision[i] == precision[c];
    }
    if (!writable) continue;
    uint64_t offset = 0;
    for (int input : concat.inputs) {
      plan.slice_of[input] = {static_cast<int>(c), offset};
      offset += static_cast<uint64_t>(
          stored_bytes(graph.layers[static_cast<size_t>(input)], precision[static_cast<size_t>(input)]));
    }
    plan.in_place.insert(static_cast<int>(c));
  }
  return plan;
}

}  // namespace npu::compiler
