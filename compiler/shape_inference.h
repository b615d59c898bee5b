#pragma once
// Shape inference and validation over the graph IR.
//
// Walks the layers in topological order and fills each layer's output_shape (batch first, NHWC),
// macs and params from its operands' shapes and its attributes, checking that the operands fit the
// op. Every mismatch is a UserError naming the layer and its place in the workload file, because
// that is where the user has to fix it. The counting rules are those of docs/metrics.md and
// docs/workloads.md; they are written next to the code that applies them.

#include <cstdint>
#include <utility>

#include "compiler/graph.h"

namespace npu::compiler {

// Fills output_shape, macs and params of every layer, checking operand shapes. Input layers
// (OpKind::kInput) carry their shape, batch first, in output_shape already (the reader sets it);
// it is checked against graph.batch. Running it again on a graph gives the same result.
void infer_shapes(Graph& graph);

// Output extent of a sliding window along one axis:
//   floor((in + pad_before + pad_after - dilation * (kernel - 1) - 1) / stride) + 1,
// which is < 1 when the dilated kernel does not fit the padded input (the caller reports that).
int64_t window_output_size(int64_t in, int kernel, int stride, int dilation, int pad_before,
                           int pad_after);

// TF-style "same" padding along one axis: the output has ceil(in / stride) elements, and the
// padding that needs is split with the odd element at the end, i.e. {before, after} with
//   total = max((ceil(in / stride) - 1) * stride + dilation * (kernel - 1) + 1 - in, 0),
//   before = total / 2, after = total - before.
std::pair<int, int> same_padding(int64_t in, int kernel, int stride, int dilation);

}  // namespace npu::compiler
