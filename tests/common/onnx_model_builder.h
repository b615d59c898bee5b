#pragma once
// Builds ONNX models in code, node by node, as an exporter would write them (no downloads), for
// the tests of the ONNX reader and of functional runs with a model's weights.

#include <onnx/onnx_pb.h>

#include <cstdint>
#include <string>
#include <vector>

#include "compiler/graph.h"
#include "compiler/onnx_reader.h"

namespace npu::testing_support {

using OnnxShape = std::vector<int64_t>;

// How a model stores its learned weights. The reader needs only their dims, so every form must
// read the same.
enum class Weights {
  kData,         // initializers holding their values
  kDimsOnly,     // initializers with dims and no values (stripped)
  kExternal,     // initializers whose values live in a file next to the model (not read)
  kGraphInputs,  // no initializers; weights declared as graph inputs with shapes (IR < 4 style)
  kValueInfo,    // no initializers; weights declared only as value_info
};

// One node being built: attributes are added fluently.
class NodeRef {
 public:
  explicit NodeRef(onnx::NodeProto* node) : m_node(node) {}
  NodeRef& ints(const char* name, const std::vector<int64_t>& values) {
    onnx::AttributeProto* attr = add(name, onnx::AttributeProto::INTS);
    for (int64_t value : values) attr->add_ints(value);
    return *this;
  }
  NodeRef& i(const char* name, int64_t value) {
    add(name, onnx::AttributeProto::INT)->set_i(value);
    return *this;
  }
  NodeRef& f(const char* name, float value) {
    add(name, onnx::AttributeProto::FLOAT)->set_f(value);
    return *this;
  }
  NodeRef& s(const char* name, const std::string& value) {
    add(name, onnx::AttributeProto::STRING)->set_s(value);
    return *this;
  }

 private:
  onnx::AttributeProto* add(const char* name, onnx::AttributeProto::AttributeType type) {
    onnx::AttributeProto* attr = m_node->add_attribute();
    attr->set_name(name);
    attr->set_type(type);
    return attr;
  }
  onnx::NodeProto* m_node;
};

// Builds an onnx.ModelProto node by node, as an exporter would write it.
class ModelBuilder {
 public:
  explicit ModelBuilder(int64_t opset = 13, Weights weights = Weights::kData) : m_weights(weights) {
    m_model.set_ir_version(weights == Weights::kGraphInputs ? 3 : 8);
    onnx::OperatorSetIdProto* id = m_model.add_opset_import();
    id->set_domain("");
    id->set_version(opset);
    graph()->set_name("main_graph");
  }

  onnx::GraphProto* graph() { return m_model.mutable_graph(); }

  // A graph input; a dimension of -1 is symbolic ("N"), -2 has neither value nor name.
  void input(const std::string& name, const OnnxShape& dims) {
    declare(graph()->add_input(), name, dims);
  }
  void output(const std::string& name) { graph()->add_output()->set_name(name); }

  // A learned weight, stored as the builder's Weights says.
  void weight(const std::string& name, const OnnxShape& dims) {
    switch (m_weights) {
      case Weights::kData: {
        std::vector<float> values(static_cast<size_t>(compiler::element_count(dims)));
        for (size_t i = 0; i < values.size(); ++i) values[i] = 0.01f * static_cast<float>(i % 7);
        constant(name, dims, values);
        break;
      }
      case Weights::kDimsOnly:
        add_initializer(name, dims);
        break;
      case Weights::kExternal: {
        onnx::TensorProto* tensor = add_initializer(name, dims);
        tensor->set_data_location(onnx::TensorProto::EXTERNAL);
        auto entry = [&](const char* key, const std::string& value) {
          onnx::StringStringEntryProto* e = tensor->add_external_data();
          e->set_key(key);
          e->set_value(value);
        };
        entry("location", "weights_that_do_not_exist.bin");
        entry("offset", std::to_string(m_external_offset));
        entry("length", std::to_string(compiler::element_count(dims) * 4));
        m_external_offset += compiler::element_count(dims) * 4;
        break;
      }
      case Weights::kGraphInputs:
        declare(graph()->add_input(), name, dims);
        break;
      case Weights::kValueInfo:
        declare(graph()->add_value_info(), name, dims);
        break;
    }
  }

  // A constant the reader needs the values of (a scalar, a shape): always an initializer.
  void constant(const std::string& name, const OnnxShape& dims, const std::vector<float>& values) {
    onnx::TensorProto* tensor = add_initializer(name, dims);
    for (float value : values) tensor->add_float_data(value);
  }
  void scalar(const std::string& name, float value) { constant(name, {}, {value}); }
  void int64s(const std::string& name, const std::vector<int64_t>& values) {
    onnx::TensorProto* tensor = add_initializer(name, {static_cast<int64_t>(values.size())});
    tensor->set_data_type(onnx::TensorProto::INT64);
    for (int64_t value : values) tensor->add_int64_data(value);
  }
  // A Constant node holding a float scalar, as PyTorch exports literals.
  void constant_node(const std::string& name, float value) {
    onnx::NodeProto* node = graph()->add_node();
    node->set_op_type("Constant");
    node->set_name(name);
    node->add_output(name);
    onnx::AttributeProto* attr = node->add_attribute();
    attr->set_name("value");
    attr->set_type(onnx::AttributeProto::TENSOR);
    attr->mutable_t()->set_data_type(onnx::TensorProto::FLOAT);
    attr->mutable_t()->add_float_data(value);
  }

  // A node named `name` whose (only) output is also called `name`.
  NodeRef node(const std::string& op, const std::string& name,
               const std::vector<std::string>& inputs) {
    onnx::NodeProto* node = graph()->add_node();
    node->set_op_type(op);
    node->set_name(name);
    for (const std::string& input : inputs) node->add_input(input);
    node->add_output(name);
    return NodeRef(node);
  }

  std::string bytes() const { return m_model.SerializeAsString(); }

  compiler::Graph read(std::vector<std::string>* warnings = nullptr) const {
    std::vector<std::string> collected;
    compiler::Graph graph = compiler::parse_onnx(bytes(), "model.onnx", collected);
    if (warnings) *warnings = collected;
    return graph;
  }

 private:
  static void declare(onnx::ValueInfoProto* info, const std::string& name, const OnnxShape& dims) {
    info->set_name(name);
    onnx::TypeProto_Tensor* type = info->mutable_type()->mutable_tensor_type();
    type->set_elem_type(onnx::TensorProto::FLOAT);
    onnx::TensorShapeProto* shape = type->mutable_shape();
    for (int64_t dim : dims) {
      onnx::TensorShapeProto_Dimension* d = shape->add_dim();
      if (dim == -1) d->set_dim_param("N");
      if (dim >= 0) d->set_dim_value(dim);
    }
  }

  onnx::TensorProto* add_initializer(const std::string& name, const OnnxShape& dims) {
    onnx::TensorProto* tensor = graph()->add_initializer();
    tensor->set_name(name);
    tensor->set_data_type(onnx::TensorProto::FLOAT);
    for (int64_t dim : dims) tensor->add_dims(dim);
    return tensor;
  }

  onnx::ModelProto m_model;
  Weights m_weights;
  int64_t m_external_offset = 0;
};

}  // namespace npu::testing_support
