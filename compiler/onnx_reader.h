#pragma once
// Reads an ONNX model (a serialized onnx.ModelProto) into the graph IR (docs/onnx.md).
//
// ONNX tensors are NCHW; the IR is NHWC with the batch first. The reader does not move data: it
// records, for every ONNX tensor, which ONNX axis each IR axis holds (a 4-D feature map is held
// channels last), and converts each node's attributes to that layout (a conv's pads, a concat's
// axis). Shapes come from the graph inputs' type information and the initializers' dims, never
// from weight values, so a model whose weights are stripped or stored externally reads the same.
// Parameters are counted from the layers' attributes, as for a YAML workload. Shape inference
// (compiler/shape_inference.h) runs before the graph is returned.

#include <string>
#include <vector>

#include "compiler/graph.h"
#include "compiler/model_weights.h"

namespace npu::compiler {

// Reads an ONNX model file, converts its nodes to layers, runs shape inference. Throws
// npu::UserError with one line naming the file and, when a node is the problem, the node and its
// op type. Conversions that approximate the model (an element-wise op npusim does not model,
// costed as a vector activation; a symbolic batch taken as the graph's batch; ...) are appended to
// `warnings`, one line each, for the caller to print.
//
// With `weights`, also collects the values of every layer's learned constants (model_weights.h),
// per layer of the returned graph; `weights->missing` says why they are incomplete when some are
// stripped or stored externally, or when the model applies a constant a functional run would not.
Graph read_onnx(const std::string& path, std::vector<std::string>& warnings,
                ModelWeights* weights = nullptr);

// The same from the serialized bytes of a ModelProto; `source_name` stands for the file name in
// messages and Graph::source_path.
Graph parse_onnx(const std::string& bytes, const std::string& source_name,
                 std::vector<std::string>& warnings, ModelWeights* weights = nullptr);

// True when `path` names an ONNX model (extension .onnx, any case); other workloads are YAML.
bool is_onnx_path(const std::string& path);

}  // namespace npu::compiler
