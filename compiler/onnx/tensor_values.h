#pragma once
// The values of an ONNX TensorProto (an initializer or a Constant node's value) as doubles,
// whatever its element type and wherever protobuf keeps them (raw_data or the typed fields).

#include <onnx/onnx_pb.h>

#include <cstdint>
#include <optional>
#include <vector>

namespace npu::compiler::onnx_import {

// The values of a constant with `count` elements, or nullopt when the tensor does not hold them
// (stored externally, stripped, or of a type the reader has no use for).
std::optional<std::vector<double>> decode_values(const onnx::TensorProto& tensor, int64_t count);

}  // namespace npu::compiler::onnx_import
