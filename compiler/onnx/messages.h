#pragma once
// How the ONNX reader words its errors and warnings: one line each, naming the file and, when a
// node is the problem, the node and its op type (docs/onnx.md).

#include <onnx/onnx_pb.h>

#include <string>
#include <vector>

namespace npu::compiler::onnx_import {

class OnnxMessages {
 public:
  // `source` names the model in every message; warnings are appended to `warnings`.
  OnnxMessages(std::string source, std::vector<std::string>& warnings);

  const std::string& source() const { return m_source; }

  // A node's name, or its first output's when it has none, or its op type.
  static std::string node_name(const onnx::NodeProto& node);
  // "node 'conv1' (Conv)".
  static std::string describe(const onnx::NodeProto& node);

  [[noreturn]] void fail(const onnx::NodeProto& node, const std::string& message) const;
  [[noreturn]] void fail_model(const std::string& message) const;
  void warn(const onnx::NodeProto& node, const std::string& message) const;
  void warn_model(const std::string& message) const;

 private:
  std::string m_source;
  std::vector<std::string>* m_warnings;
};

}  // namespace npu::compiler::onnx_import
