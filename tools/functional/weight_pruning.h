#pragma once
// Pruning a layer's weights to its declared N:M pattern (docs/sparsity.md, "Pruned weights").
//
// Groups: M consecutive input channels at one kernel tap of one output channel, from channel 0 of
// each convolution group (the innermost axis of the weight layout, [Cout, Kh, Kw, Cin/groups] or
// [out, in]); a last group of r < M channels keeps up to N. This is the reduction order the array
// uses within each tap, so the kept weights of a group land in one group of PE rows. Each group
// keeps its N largest magnitudes; on equal magnitudes the lower channel is kept.

#include <string>
#include <vector>

#include "compiler/graph.h"
#include "sim/functional/model_data.h"

namespace npu::functional {

// The positions kept of a group of magnitudes: the N largest (ties: lower position), ascending.
std::vector<int> nm_kept_positions(const std::vector<double>& magnitudes, int keep_n);

// Zeroes all but the kept weights of every group (int8 and float weights alike). A layer without
// an N:M weight_pattern is left alone.
void prune_to_nm_pattern(const compiler::Graph& graph, const compiler::Layer& layer,
                         LayerData& data);

// "" when the layer's weights follow its N:M pattern (at most N nonzeros per group), otherwise
// where they first break it: "output channel 3, tap 0, input channels 4..7 hold 3 nonzeros".
std::string nm_pattern_violation(const compiler::Graph& graph, const compiler::Layer& layer,
                                 const LayerData& data);

}  // namespace npu::functional
