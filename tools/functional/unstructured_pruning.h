#pragma once
// Magnitude pruning of unstructured sparse weights for functional runs (docs/sparsity.md,
// "Functional runs"): a conv2d or dense layer declaring `weight_density: d` < 1 keeps the
// round(d x count) weights of largest magnitude in its whole tensor and has the rest set to zero,
// so the data the interpreter multiplies has the zeros the timing model assumes. Layers with an
// N:M `weight_pattern` are pruned elsewhere (tools/functional/weight_pruning.h).

#include <cstdint>
#include <vector>

#include "compiler/graph.h"
#include "sim/functional/model_data.h"

namespace npu::functional {

// Keeps the round(density x size) entries of largest |value|; ties go to the earlier index, so
// the result depends only on the values. 0 < density <= 1.
void prune_by_magnitude(std::vector<int8_t>& weights, double density);
void prune_by_magnitude(std::vector<float>& weights, double density);

// Prunes every conv2d/dense layer of `graph` that declares an unstructured weight_density below 1:
// its int8 weights, or float weights in a float model.
void prune_unstructured_weights(const compiler::Graph& graph, ModelData& data);

}  // namespace npu::functional
