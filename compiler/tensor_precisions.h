#pragma once
// Which operand precision each layer computes at and each tensor is stored in, for designs that
// mix precisions (docs/workloads.md, "Mixed precision").

#include <vector>

#include "arch/arch_config.h"
#include "compiler/fusion.h"
#include "compiler/graph.h"

namespace npu::compiler {

// The operand precision `layer` computes at: its own `precision` or the design's. Throws
// UserError when the design's datapath does not execute it (precision.operand and
// precision.other_operands).
arch::Precision layer_precision(const Graph& graph, const Layer& layer,
                                const arch::ArchConfig& arch);

// The precision each storage tensor (FusedGraph::storage_of) is stored in, indexed like
// Graph::layers. A conv2d or dense at its own precision reads its input in that format, so the
// tensor is stored so and its producer's requantization writes it so. Every other reader works at
// the design's precision, so all readers of a tensor must agree, and only a conv2d/dense/matmul
// (whose requantization can write any integer format), a model input, or a global average pool
// widening int4 to int8 can produce a tensor in another format than the design's. Throws
// UserError naming the layer otherwise.
std::vector<arch::Precision> assign_tensor_precisions(const Graph& graph, const FusedGraph& fused,
                                                      const arch::ArchConfig& arch);

}  // namespace npu::compiler
