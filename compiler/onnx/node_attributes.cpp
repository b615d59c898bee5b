#include "compiler/onnx/node_attributes.h"

#include <climits>

namespace npu::compiler::onnx_import {

const onnx::AttributeProto* find_attribute(const onnx::NodeProto& node, const char* name) {
  for (const onnx::AttributeProto& attr : node.attribute()) {
    if (attr.name() == name) return &attr;
  }
  return nullptr;
}

void NodeAttributes::check(std::initializer_list<const char*> known) const {
  for (const onnx::AttributeProto& attr : m_node.attribute()) {
    bool found = false;
    for (const char* name : known) found = found || attr.name() == name;
    if (!found) m_messages.fail(m_node, "attribute '" + attr.name() + "' is not supported");
  }
}

void NodeAttributes::expect_type(const onnx::AttributeProto& attr,
                                 onnx::AttributeProto::AttributeType type, bool present,
                                 const char* expected) const {
  if (attr.type() == type || (attr.type() == onnx::AttributeProto::UNDEFINED && present)) return;
  m_messages.fail(m_node, "attribute '" + attr.name() + "' must be " + expected);
}

int64_t NodeAttributes::int_attr(const char* name, int64_t fallback) const {
  const onnx::AttributeProto* attr = find_attribute(m_node, name);
  if (!attr) return fallback;
  expect_type(*attr, onnx::AttributeProto::INT, attr->has_i(), "an integer");
  return attr->i();
}

std::optional<double> NodeAttributes::float_attr(const char* name) const {
  const onnx::AttributeProto* attr = find_attribute(m_node, name);
  if (!attr) return std::nullopt;
  expect_type(*attr, onnx::AttributeProto::FLOAT, attr->has_f(), "a float");
  return attr->f();
}

std::string NodeAttributes::string_attr(const char* name, const std::string& fallback) const {
  const onnx::AttributeProto* attr = find_attribute(m_node, name);
  if (!attr) return fallback;
  expect_type(*attr, onnx::AttributeProto::STRING, attr->has_s(), "a string");
  return attr->s();
}

std::optional<std::vector<int64_t>> NodeAttributes::ints_attr(const char* name) const {
  const onnx::AttributeProto* attr = find_attribute(m_node, name);
  if (!attr) return std::nullopt;
  expect_type(*attr, onnx::AttributeProto::INTS, attr->ints_size() > 0, "a list of integers");
  return std::vector<int64_t>(attr->ints().begin(), attr->ints().end());
}

std::vector<int> NodeAttributes::int_list(const char* name, size_t count, int min,
                                          int fallback) const {
  const auto values = ints_attr(name);
  if (!values) return std::vector<int>(count, fallback);
  if (values->size() != count) {
    m_messages.fail(m_node, "attribute '" + std::string(name) + "' has " +
                                std::to_string(values->size()) + " entries; a 2-D window takes " +
                                std::to_string(count));
  }
  std::vector<int> result;
  for (int64_t value : *values) {
    if (value < min || value > INT_MAX) {
      m_messages.fail(m_node, "attribute '" + std::string(name) + "' holds " +
                                  std::to_string(value) + "; expected >= " + std::to_string(min));
    }
    result.push_back(static_cast<int>(value));
  }
  return result;
}

}  // namespace npu::compiler::onnx_import
