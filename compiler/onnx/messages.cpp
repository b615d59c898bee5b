#include "compiler/onnx/messages.h"

#include <utility>

#include "arch/user_error.h"

namespace npu::compiler::onnx_import {

OnnxMessages::OnnxMessages(std::string source, std::vector<std::string>& warnings)
    : m_source(std::move(source)), m_warnings(&warnings) {}

std::string OnnxMessages::node_name(const onnx::NodeProto& node) {
  if (!node.name().empty()) return node.name();
  if (node.output_size() > 0 && !node.output(0).empty()) return node.output(0);
  return node.op_type();
}

std::string OnnxMessages::describe(const onnx::NodeProto& node) {
  return "node '" + node_name(node) + "' (" + node.op_type() + ")";
}

void OnnxMessages::fail(const onnx::NodeProto& node, const std::string& message) const {
  throw UserError(m_source + ": " + describe(node) + ": " + message);
}

void OnnxMessages::fail_model(const std::string& message) const {
  throw UserError(m_source + ": " + message);
}

void OnnxMessages::warn(const onnx::NodeProto& node, const std::string& message) const {
  m_warnings->push_back(m_source + ": " + describe(node) + ": " + message);
}

void OnnxMessages::warn_model(const std::string& message) const {
  m_warnings->push_back(m_source + ": " + message);
}

}  // namespace npu::compiler::onnx_import
