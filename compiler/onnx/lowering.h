#pragma once
// The lowering of each ONNX operator family to IR layers (the table in docs/onnx.md). Each
// function converts one node of the default domain: it checks the node's attributes, takes its
// operands from `converter` in the layout it needs, appends its layers (or none, for a node that
// only relabels or folds) and defines the node's output.

#include <onnx/onnx_pb.h>

#include "compiler/onnx/converter.h"

namespace npu::compiler::onnx_import {

using Lowering = void (*)(OnnxConverter& converter, const onnx::NodeProto& node);

// 2-D window ops over an NCHW feature map (lower_window.cpp).
void lower_conv(OnnxConverter& converter, const onnx::NodeProto& node);
void lower_pool(OnnxConverter& converter, const onnx::NodeProto& node);
void lower_global_pool(OnnxConverter& converter, const onnx::NodeProto& node);
void lower_reduce_mean(OnnxConverter& converter, const onnx::NodeProto& node);

// Products with a learned or computed matrix (lower_dense.cpp).
void lower_gemm(OnnxConverter& converter, const onnx::NodeProto& node);
void lower_matmul(OnnxConverter& converter, const onnx::NodeProto& node);

// Element-wise ops, the constants that fold into a conv or dense, and nodes that compute nothing
// (lower_elementwise.cpp).
void lower_activation(OnnxConverter& converter, const onnx::NodeProto& node);
void lower_clip(OnnxConverter& converter, const onnx::NodeProto& node);
void lower_unmodelled(OnnxConverter& converter, const onnx::NodeProto& node);
void lower_binary(OnnxConverter& converter, const onnx::NodeProto& node);
void lower_passthrough(OnnxConverter& converter, const onnx::NodeProto& node);

// Normalisations over the axis the IR holds last (lower_normalization.cpp).
void lower_batchnorm(OnnxConverter& converter, const onnx::NodeProto& node);
void lower_layernorm(OnnxConverter& converter, const onnx::NodeProto& node);
void lower_softmax(OnnxConverter& converter, const onnx::NodeProto& node);

// Ops that rearrange a tensor's axes (lower_shape.cpp).
void lower_concat(OnnxConverter& converter, const onnx::NodeProto& node);
void lower_slice(OnnxConverter& converter, const onnx::NodeProto& node);
void lower_flatten(OnnxConverter& converter, const onnx::NodeProto& node);
void lower_reshape(OnnxConverter& converter, const onnx::NodeProto& node);
void lower_squeeze(OnnxConverter& converter, const onnx::NodeProto& node);
void lower_transpose(OnnxConverter& converter, const onnx::NodeProto& node);

}  // namespace npu::compiler::onnx_import
