#pragma once
// Runs a whole graph through the reference implementations (tests/reference/reference_ops.h for
// int8 models, reference_float_ops.h for float ones), one graph layer at a time, exactly as the
// workload writes it: no fusion, no folding, no aliasing. The result is the value of every graph
// tensor, which tests compare with what a compiled program leaves in DRAM.

#include <vector>

#include "compiler/graph.h"
#include "sim/functional/model_data.h"
#include "tests/reference/reference_float_ops.h"
#include "tests/reference/reference_ops.h"

namespace npu::reference {

// One tensor per graph layer (index = layer index), for a shape-inferred graph. data.format
// chooses the arithmetic.
//
// int8 (reference_ops.h):
// - graph inputs come from data.inputs (their quantization must equal data.quant);
// - every other layer is computed from its inputs with data.layers[i] and output quantization
//   data.quant[i]; conv2d, dense, matmul, add and mul take the layer's fused activation (none,
//   relu, relu6), and use data.layers[i].bias whenever it is present (a folded batchnorm can give a
//   bias-free conv one); a layernorm reads gamma from data.layers[i].scale, beta from .shift and
//   epsilon from the layer;
// - a batchnorm with empty scale and shift is the identity (it was folded into its producer), a
//   flatten or reshape only changes the shape; both, like pooling, concat and transpose, require
//   their quantization to equal their input's; softmax writes data.quant[i] (docs/numerics.md).
//
// fp32, fp16, bf16 (reference_float_ops.h): the same layers on values, with no quantization
// (data.quant is not read):
// - graph inputs come from data.inputs[i].values, which must be values of the format;
// - conv2d and dense use data.layers[i].float_weights and .float_bias (empty: no bias), batchnorm
//   and layernorm .scale and .shift as above; a batchnorm with neither is the identity, flatten
//   and reshape relabel the shape; results hold shape and values only.
//
// Data that does not fit the graph throws std::invalid_argument naming the layer.
std::vector<QTensor> run_graph(const compiler::Graph& graph, const functional::ModelData& data);

}  // namespace npu::reference
