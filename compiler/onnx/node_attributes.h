#pragma once
// Typed access to one ONNX node's attributes. A missing attribute takes the operator's default; a
// present one of the wrong type, or one this reader does not know for the operator (it could
// change the operator's meaning), is an error naming the node.

#include <onnx/onnx_pb.h>

#include <cstddef>
#include <cstdint>
#include <initializer_list>
#include <optional>
#include <string>
#include <vector>

#include "compiler/onnx/messages.h"

namespace npu::compiler::onnx_import {

// The attribute `name` of `node`, or null.
const onnx::AttributeProto* find_attribute(const onnx::NodeProto& node, const char* name);

class NodeAttributes {
 public:
  NodeAttributes(const OnnxMessages& messages, const onnx::NodeProto& node)
      : m_messages(messages), m_node(node) {}

  bool has(const char* name) const { return find_attribute(m_node, name) != nullptr; }

  // Rejects every attribute not in `known`.
  void check(std::initializer_list<const char*> known) const;
  // Rejects `attr` unless it has `type` (or no type and a value, `present`, as old exporters
  // write it); `expected` names the type in the message.
  void expect_type(const onnx::AttributeProto& attr, onnx::AttributeProto::AttributeType type,
                   bool present, const char* expected) const;

  int64_t int_attr(const char* name, int64_t fallback) const;
  std::optional<double> float_attr(const char* name) const;
  std::string string_attr(const char* name, const std::string& fallback) const;
  std::optional<std::vector<int64_t>> ints_attr(const char* name) const;
  // An integer list of exactly `count` entries, each in [min, INT_MAX]; `fallback` repeated when
  // absent.
  std::vector<int> int_list(const char* name, size_t count, int min, int fallback) const;

 private:
  const OnnxMessages& m_messages;
  const onnx::NodeProto& m_node;
};

}  // namespace npu::compiler::onnx_import
