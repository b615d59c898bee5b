#pragma once
// Puts a model's own learned constants (an ONNX model's initializer values, read by
// compiler/onnx_reader.h) into the data of a functional run in place of generated ones
// (docs/onnx.md, "Functional runs with the model's weights"). Inputs and, for int8, every
// activation's quantization stay as generated.
//
// Float designs take the values rounded to the format (biases stay float32). int8 designs quantize
// each conv/dense layer's weights per output channel, symmetric: s_w[c] = max |w[c]| / 127,
// q = round(w / s_w[c]) in [-127, 127]; the bias to int32 at s_in x s_w[c]. A batchnorm the
// compiler folds into its conv or dense is applied to that layer's weights and bias first, as the
// deployed weights of docs/numerics.md already hold it.

#include "compiler/graph.h"
#include "compiler/model_weights.h"
#include "sim/functional/model_data.h"

namespace npu::functional {

// `data` is the generated data of `graph` in the design's format; `weights` must be complete.
// Throws npu::UserError when a layer's constants do not fit the graph.
void apply_model_weights(const compiler::Graph& graph, const compiler::ModelWeights& weights,
                         ModelData& data);

}  // namespace npu::functional
