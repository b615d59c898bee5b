#include "compiler/workload_reader.h"

#include <yaml-cpp/yaml.h>

#include <climits>
#include <map>
#include <utility>
#include <vector>

#include "arch/arch_config.h"
#include "arch/user_error.h"
#include "arch/yaml_reader.h"
#include "compiler/shape_inference.h"

namespace npu::compiler {
namespace {

using yaml::MapReader;

// The op names a workload may use. The activation functions are ops of their own in the file but
// one OpKind (kActivation) in the IR, told apart by Layer::activation.
struct OpName {
  const char* name;
  OpKind op;
  Activation activation;
};

constexpr OpName kOpNames[] = {
    {"conv2d", OpKind::kConv2d, Activation::kNone},
    {"dense", OpKind::kDense, Activation::kNone},
    {"matmul", OpKind::kMatmul, Activation::kNone},
    {"maxpool", OpKind::kMaxPool, Activation::kNone},
    {"avgpool", OpKind::kAvgPool, Activation::kNone},
    {"global_avgpool", OpKind::kGlobalAvgPool, Activation::kNone},
    {"add", OpKind::kAdd, Activation::kNone},
    {"mul", OpKind::kMul, Activation::kNone},
    {"concat", OpKind::kConcat, Activation::kNone},
    {"transpose", OpKind::kTranspose, Activation::kNone},
    {"slice", OpKind::kSlice, Activation::kNone},
    {"relu", OpKind::kActivation, Activation::kRelu},
    {"relu6", OpKind::kActivation, Activation::kRelu6},
    {"sigmoid", OpKind::kActivation, Activation::kSigmoid},
    {"tanh", OpKind::kActivation, Activation::kTanh},
    {"gelu", OpKind::kActivation, Activation::kGelu},
    {"batchnorm", OpKind::kBatchNorm, Activation::kNone},
    {"softmax", OpKind::kSoftmax, Activation::kNone},
    {"layernorm", OpKind::kLayerNorm, Activation::kNone},
    {"flatten", OpKind::kFlatten, Activation::kNone},
    {"reshape", OpKind::kReshape, Activation::kNone},
};

// Every op-specific key and the ops that take it, so that a key given to the wrong op is
// reported as such rather than as an unknown key with no better suggestion.
struct OpKey {
  const char* key;
  std::vector<OpKind> ops;
  const char* hint;  // appended to the error, or ""
};

const std::vector<OpKey>& op_keys() {
  static const std::vector<OpKey> keys = {
      {"out_channels", {OpKind::kConv2d}, "; dense layers use out_features"},
      {"out_features", {OpKind::kDense}, "; conv2d layers use out_channels"},
      {"kernel", {OpKind::kConv2d, OpKind::kMaxPool, OpKind::kAvgPool}, ""},
      {"stride", {OpKind::kConv2d, OpKind::kMaxPool, OpKind::kAvgPool}, ""},
      {"padding", {OpKind::kConv2d, OpKind::kMaxPool, OpKind::kAvgPool}, ""},
      {"dilation", {OpKind::kConv2d}, ""},
      {"groups", {OpKind::kConv2d}, ""},
      {"bias", {OpKind::kConv2d, OpKind::kDense}, ""},
      {"weights_of", {OpKind::kConv2d, OpKind::kDense}, ""},
      {"weight_density", {OpKind::kConv2d, OpKind::kDense}, ""},
      {"weight_pattern", {OpKind::kConv2d, OpKind::kDense}, ""},
      {"activation_density", {OpKind::kConv2d, OpKind::kDense}, ""},
      {"precision", {OpKind::kConv2d, OpKind::kDense}, ""},
      {"activation",
       {OpKind::kConv2d, OpKind::kDense, OpKind::kAdd, OpKind::kMul},
       "; use a separate layer such as 'op: relu'"},
      {"shape", {OpKind::kReshape}, ""},
      {"axis", {OpKind::kConcat, OpKind::kSlice}, ""},
      {"begin", {OpKind::kSlice}, ""},
      {"size", {OpKind::kSlice}, ""},
      {"epsilon", {OpKind::kLayerNorm}, ""},
  };
  return keys;
}

std::string yaml_op_name(const Layer& layer) {
  for (const OpName& entry : kOpNames) {
    if (entry.op == layer.op && entry.activation == layer.activation) return entry.name;
  }
  return to_string(layer.op);
}

std::string line_of(const YAML::Node& node) { return std::to_string(node.Mark().line + 1); }

// yaml-cpp keeps both entries of a repeated key and answers lookups with the first, which would
// silently ignore the second.
void reject_duplicate_keys(const MapReader& reader) {
  const YAML::Node& node = reader.node();
  if (!node.IsMap()) return;
  std::map<std::string, YAML::Node> seen;
  for (const auto& entry : node) {
    const std::string key = entry.first.Scalar();
    auto [it, inserted] = seen.emplace(key, entry.first);
    if (!inserted) {
      throw UserError(yaml::location(reader.file(), entry.first) + ": " + reader.key_path(key) +
                      ": duplicate key (first given on line " + line_of(it->second) + ")");
    }
  }
}

// "layers[conv1]" when the element has a usable name, "layers[3]" otherwise, so that errors
// name the layer the way the user knows it.
std::string element_path(const char* list, const YAML::Node& node, size_t index) {
  if (node.IsMap() && node["name"] && node["name"].IsScalar() && !node["name"].Scalar().empty()) {
    return std::string(list) + "[" + node["name"].Scalar() + "]";
  }
  return std::string(list) + "[" + std::to_string(index) + "]";
}

bool is_integer_text(const std::string& text) {
  size_t start = !text.empty() && (text[0] == '-' || text[0] == '+') ? 1 : 0;
  if (start == text.size()) return false;
  for (size_t i = start; i < text.size(); ++i) {
    if (text[i] < '0' || text[i] > '9') return false;
  }
  return true;
}

// `key: n` (both axes) or `key: [h, w]`, each >= min.
void read_pair(MapReader& reader, const std::string& key, int& h, int& w, int min) {
  if (!reader.has(key)) return;
  if (reader.node()[key].IsSequence()) {
    std::vector<int64_t> values;
    reader.read(key, values, min, INT_MAX);
    if (values.size() != 2) {
      reader.fail(key, "expected an integer or a list [h, w] of 2 integers, got a list of " +
                           std::to_string(values.size()));
    }
    h = static_cast<int>(values[0]);
    w = static_cast<int>(values[1]);
  } else {
    int value = h;
    reader.read(key, value, min);
    h = w = value;
  }
}

// `padding: p`, `[ph, pw]`, `[top, bottom, left, right]` or `same`.
void read_padding(MapReader& reader, Window& window) {
  const std::string key = "padding";
  if (!reader.has(key)) return;
  const YAML::Node value = reader.node()[key];
  const std::string expected =
      "expected an integer >= 0, 'same', [pad_h, pad_w] or [top, bottom, left, right]";
  if (value.IsScalar() && value.Scalar() == "same") {
    window.pad_same = true;
    return;
  }
  if (value.IsScalar() && !is_integer_text(value.Scalar())) {
    reader.fail(key, expected + ", got '" + value.Scalar() + "'");
  }
  std::vector<int64_t> pads;
  if (value.IsSequence()) {
    reader.read(key, pads, 0, INT_MAX);
  } else {
    int pad = 0;
    reader.read(key, pad, 0);
    pads = {pad};
  }
  if (pads.size() == 1) {
    pads = {pads[0], pads[0], pads[0], pads[0]};
  } else if (pads.size() == 2) {
    pads = {pads[0], pads[0], pads[1], pads[1]};
  } else if (pads.size() != 4) {
    reader.fail(key, expected + ", got a list of " + std::to_string(pads.size()));
  }
  window.pad_top = static_cast<int>(pads[0]);
  window.pad_bottom = static_cast<int>(pads[1]);
  window.pad_left = static_cast<int>(pads[2]);
  window.pad_right = static_cast<int>(pads[3]);
}

// `weight_density: 0.3` (the share of nonzero weights, unstructured) or `weight_pattern: "2:4"`
// (N nonzero in every M, density N/M), and `activation_density: 0.6`. Densities are in (0, 1]: a
// layer of only zeros would have nothing to compute.
void read_sparsity(MapReader& reader, Layer& layer) {
  const yaml::NumberRange density{0.0, 1.0, true};
  reader.read("activation_density", layer.activation_density, density);
  const bool has_density = reader.has("weight_density");
  if (has_density && reader.has("weight_pattern")) {
    reader.fail("weight_pattern", "give either weight_density or weight_pattern, not both");
  }
  if (has_density) {
    reader.read("weight_density", layer.weight_density, density);
    return;
  }
  if (!reader.has("weight_pattern")) return;
  std::string text;
  reader.read("weight_pattern", text);
  arch::NmPattern pattern;
  const std::string problem = arch::parse_nm_pattern(text, pattern);
  if (!problem.empty()) reader.fail("weight_pattern", problem);
  layer.weight_pattern_n = pattern.n;
  layer.weight_pattern_m = pattern.m;
  layer.weight_density = static_cast<double>(pattern.n) / pattern.m;
}

// `precision: int4`: the layer's weights and input activations in another format than the
// design's (docs/workloads.md). Whether the design executes it is the compiler's check.
void read_precision(MapReader& reader, Layer& layer) {
  if (!reader.has("precision")) return;
  arch::Precision precision = arch::Precision::kInt8;
  reader.read_enum("precision", precision,
                   {{"int4", arch::Precision::kInt4},
                    {"int8", arch::Precision::kInt8},
                    {"fp16", arch::Precision::kFp16},
                    {"bf16", arch::Precision::kBf16},
                    {"fp32", arch::Precision::kFp32}});
  layer.precision = precision;
}

// Only relu and relu6 can be fused: they are clamps, which requantization, add and mul apply for
// free (docs/numerics.md). The other functions are table lookups of their own (vec.act) on a
// tensor with its own quantization, so the workload must give them a layer, and thereby a tensor.
void read_fused_activation(MapReader& reader, const Layer& layer, Activation& activation) {
  reader.read_enum("activation", activation,
                   {{"relu", Activation::kRelu},
                    {"relu6", Activation::kRelu6},
                    {"sigmoid", Activation::kSigmoid},
                    {"tanh", Activation::kTanh},
                    {"gelu", Activation::kGelu}});
  if (activation == Activation::kNone || activation == Activation::kRelu ||
      activation == Activation::kRelu6) {
    return;
  }
  const std::string name = to_string(activation);
  reader.fail("activation", "'" + name + "' cannot be fused into " + to_string(layer.op) +
                                " (only relu and relu6, which requantization applies as a "
                                "clamp); give it a layer of its own: {name: ..., op: " +
                                name + ", input: " + layer.name + "}");
}

// Reads the op-specific keys of `layer` (whose op is already set) and returns those the op
// requires. The caller checks for them only after rejecting unknown keys, so that a misspelt
// required key is reported as the typo it is ("did you mean 'kernel'?") rather than as missing.
std::vector<const char*> read_attributes(MapReader& reader, Layer& layer) {
  Window& window = layer.window;
  switch (layer.op) {
    case OpKind::kConv2d:
      reader.read("out_channels", layer.out_channels, 1);
      read_pair(reader, "kernel", window.kernel_h, window.kernel_w, 1);
      read_pair(reader, "stride", window.stride_h, window.stride_w, 1);
      read_pair(reader, "dilation", window.dilation_h, window.dilation_w, 1);
      read_padding(reader, window);
      reader.read("groups", layer.groups, 1);
      layer.bias = false;
      reader.read("bias", layer.bias);
      read_fused_activation(reader, layer, layer.activation);
      read_sparsity(reader, layer);
      read_precision(reader, layer);
      return {"out_channels", "kernel"};
    case OpKind::kDense:
      reader.read("out_features", layer.out_channels, 1);
      layer.bias = true;
      reader.read("bias", layer.bias);
      read_fused_activation(reader, layer, layer.activation);
      read_sparsity(reader, layer);
      read_precision(reader, layer);
      return {"out_features"};
    case OpKind::kMaxPool:
    case OpKind::kAvgPool:
      read_pair(reader, "kernel", window.kernel_h, window.kernel_w, 1);
      // A pooling window steps by its own size unless told otherwise (as in PyTorch).
      window.stride_h = window.kernel_h;
      window.stride_w = window.kernel_w;
      read_pair(reader, "stride", window.stride_h, window.stride_w, 1);
      read_padding(reader, window);
      return {"kernel"};
    case OpKind::kAdd:
    case OpKind::kMul:
      read_fused_activation(reader, layer, layer.activation);
      return {};
    case OpKind::kReshape:
      reader.read("shape", layer.target_shape, -1, INT_MAX);
      return {"shape"};
    case OpKind::kConcat:
      reader.read("axis", layer.axis);
      return {};
    case OpKind::kSlice:
      reader.read("axis", layer.axis);
      reader.read("begin", layer.slice_begin, 0, INT_MAX);
      reader.read("size", layer.slice_size, 1, INT_MAX);
      return {"begin", "size"};
    case OpKind::kLayerNorm: {
      double epsilon = layer.epsilon;
      yaml::NumberRange positive;
      positive.min = 0;
      positive.min_exclusive = true;
      reader.read("epsilon", epsilon, positive);
      layer.epsilon = static_cast<float>(epsilon);
      // Layer norm computes in float32 (docs/numerics.md): a positive value that rounds to 0
      // there would be the epsilon the range forbids.
      if (!(layer.epsilon > 0)) {
        reader.fail("epsilon", "expected a number > 0, got one that rounds to 0 in float32");
      }
      return {};
    }
    default:
      return {};
  }
}

// The keys an entry of `inputs` or `layers` may have, whatever its op.
std::vector<std::string> entry_keys(bool is_input) {
  if (is_input) return {"name", "shape"};
  std::vector<std::string> keys = {"name", "op", "input", "inputs"};
  for (const OpKey& op_key : op_keys()) keys.emplace_back(op_key.key);
  return keys;
}

// Before reporting `key` as missing, rejects keys the entry cannot have, so that `nmae:` is
// reported as a typo of `name` rather than as a missing name.
void require_entry_key(MapReader& reader, const std::string& key, bool is_input) {
  if (reader.has(key)) return;
  for (const std::string& known : entry_keys(is_input)) reader.has(known);
  reader.finish();
  reader.require(key);
}

class WorkloadReader {
 public:
  explicit WorkloadReader(std::string file) { m_graph.source_path = std::move(file); }

  Graph read(const YAML::Node& root) {
    const std::string& file = m_graph.source_path;
    if (!root || root.IsNull()) {
      throw UserError(file + ": empty workload; expected the keys name, inputs and layers");
    }
    MapReader top(root, file, "");
    reject_duplicate_keys(top);
    top.read("name", m_graph.name);
    top.read("batch", m_graph.batch, 1);
    const std::vector<YAML::Node> inputs = top.sequence("inputs");
    const std::vector<YAML::Node> layers = top.sequence("layers");
    top.finish();
    for (const char* key : {"name", "inputs", "layers"}) top.require(key);
    if (m_graph.name.empty()) top.fail("name", "must not be empty");
    if (inputs.empty()) top.fail("inputs", "expected at least one input");
    if (layers.empty()) top.fail("layers", "expected at least one layer");

    // Every name declared anywhere, so that a reference to a later layer can be told apart
    // from a typo.
    for (const YAML::Node& node : layers) {
      if (node.IsMap() && node["name"] && node["name"].IsScalar()) {
        m_declared.emplace(node["name"].Scalar(), node);
      }
    }
    for (size_t i = 0; i < inputs.size(); ++i) read_input(inputs[i], i);
    for (size_t i = 0; i < layers.size(); ++i) read_layer(layers[i], i);

    infer_shapes(m_graph);
    return std::move(m_graph);
  }

 private:
  Layer start_layer(MapReader& reader, bool is_input) {
    reject_duplicate_keys(reader);
    Layer layer;
    require_entry_key(reader, "name", is_input);
    reader.read("name", layer.name);
    if (layer.name.empty()) reader.fail("name", "must not be empty");
    auto found = m_index.find(layer.name);
    if (found != m_index.end()) {
      const Layer& first = m_graph.layers[found->second];
      reader.fail("name", "duplicate name '" + layer.name + "' (first defined on line " +
                              std::to_string(first.source_line) + ")");
    }
    const YAML::Mark mark = reader.node().Mark();
    layer.source_line = mark.line + 1;
    layer.source_column = mark.column + 1;
    return layer;
  }

  void add_layer(Layer layer) {
    m_index.emplace(layer.name, static_cast<int>(m_graph.layers.size()));
    m_graph.layers.push_back(std::move(layer));
  }

  void read_input(const YAML::Node& node, size_t index) {
    MapReader reader(node, m_graph.source_path, element_path("inputs", node, index));
    Layer layer = start_layer(reader, /*is_input=*/true);
    layer.op = OpKind::kInput;
    std::vector<int64_t> shape;
    reader.read("shape", shape, 1, INT_MAX);
    reader.finish();
    reader.require("shape");
    if (shape.empty() || shape.size() > 3) {
      reader.fail("shape",
                  "expected the per-sample shape without the batch: 1 to 3 dimensions "
                  "([features], [tokens, features] or [H, W, C]), got " +
                      std::to_string(shape.size()) + " dimensions");
    }
    layer.output_shape = {m_graph.batch};
    layer.output_shape.insert(layer.output_shape.end(), shape.begin(), shape.end());
    add_layer(std::move(layer));
  }

  void read_layer(const YAML::Node& node, size_t index) {
    MapReader reader(node, m_graph.source_path, element_path("layers", node, index));
    Layer layer = start_layer(reader, /*is_input=*/false);
    read_op(reader, layer);
    const std::vector<const char*> required = read_attributes(reader, layer);
    reader.has("input");
    reader.has("inputs");
    reader.has("weights_of");  // read after the inputs, as it names a layer too
    reject_keys_of_other_ops(reader, layer);
    reader.finish();
    for (const char* key : required) reader.require(key);
    read_inputs(reader, layer);
    read_weights_of(reader, layer);
    add_layer(std::move(layer));
  }

  // Shape inference checks that the weights fit; here only that they exist.
  void read_weights_of(MapReader& reader, Layer& layer) {
    if (!reader.has("weights_of")) return;
    std::string name;
    reader.read("weights_of", name);
    const int owner =
        resolve(name, reader.node()["weights_of"], reader.key_path("weights_of"), layer);
    const Layer& source = m_graph.layers[static_cast<size_t>(owner)];
    if (source.op != layer.op) {
      reader.fail("weights_of", "'" + name + "' is a " + to_string(source.op) +
                                    " layer; expected a " + to_string(layer.op) +
                                    " layer, whose weights this one can use");
    }
    layer.weights_of = source.weights_of >= 0 ? source.weights_of : owner;
    // Shared weights are one tensor, so they have one sparsity: the owner's.
    const Layer& owner_layer = m_graph.layers[static_cast<size_t>(layer.weights_of)];
    const char* declared = reader.has("weight_pattern")   ? "weight_pattern"
                           : reader.has("weight_density") ? "weight_density"
                                                          : nullptr;
    if (declared != nullptr && (layer.weight_density != owner_layer.weight_density ||
                                layer.weight_pattern_m != owner_layer.weight_pattern_m ||
                                layer.weight_pattern_n != owner_layer.weight_pattern_n)) {
      reader.fail(declared,
                  "differs from that of '" + owner_layer.name + "', whose weights this layer uses");
    }
    layer.weight_density = owner_layer.weight_density;
    layer.weight_pattern_n = owner_layer.weight_pattern_n;
    layer.weight_pattern_m = owner_layer.weight_pattern_m;
  }

  static void read_op(MapReader& reader, Layer& layer) {
    require_entry_key(reader, "op", /*is_input=*/false);
    std::string text;
    reader.read("op", text);
    std::vector<std::string> names;
    for (const OpName& entry : kOpNames) {
      if (text == entry.name) {
        layer.op = entry.op;
        layer.activation = entry.activation;
        return;
      }
      names.emplace_back(entry.name);
    }
    std::string expected;
    for (const std::string& name : names) expected += (expected.empty() ? "" : ", ") + name;
    const std::string hint = yaml::closest_match(text, names);
    reader.fail("op", "unknown op '" + text + "'" +
                          (hint.empty() ? "" : " (did you mean '" + hint + "'?)") +
                          "; expected one of " + expected);
  }

  void read_inputs(MapReader& reader, Layer& layer) {
    const bool single = reader.has("input");
    const bool multiple = reader.has("inputs");
    if (single && multiple) reader.fail("inputs", "give either 'input' or 'inputs', not both");
    if (!single && !multiple) {
      throw UserError(yaml::location(reader.file(), reader.node()) + ": " +
                      reader.key_path("input") +
                      ": required key is missing (or 'inputs: [names]' for several)");
    }
    if (single) {
      std::string name;
      reader.read("input", name);
      layer.inputs.push_back(
          resolve(name, reader.node()["input"], reader.key_path("input"), layer));
      return;
    }
    const std::vector<YAML::Node> names = reader.sequence("inputs");
    if (names.empty()) reader.fail("inputs", "expected at least one name");
    for (const YAML::Node& name : names) {
      if (!name.IsScalar()) {
        throw UserError(yaml::location(reader.file(), name) + ": " + reader.key_path("inputs") +
                        ": expected a list of layer or input names");
      }
      layer.inputs.push_back(resolve(name.Scalar(), name, reader.key_path("inputs"), layer));
    }
  }

  // The index of the earlier layer or input called `name`.
  int resolve(const std::string& name, const YAML::Node& where, const std::string& key_path,
              const Layer& layer) const {
    auto found = m_index.find(name);
    if (found != m_index.end()) return found->second;
    const std::string prefix = yaml::location(m_graph.source_path, where) + ": " + key_path + ": ";
    if (name == layer.name) throw UserError(prefix + "a layer cannot read its own output");
    auto later = m_declared.find(name);
    if (later != m_declared.end()) {
      throw UserError(prefix + "'" + name + "' is defined later, on line " +
                      line_of(later->second) + "; layers must be listed in topological order");
    }
    std::vector<std::string> known;
    for (const Layer& earlier : m_graph.layers) known.push_back(earlier.name);
    const std::string hint = yaml::closest_match(name, known);
    throw UserError(prefix + "unknown layer or input '" + name + "'" +
                    (hint.empty() ? "" : " (did you mean '" + hint + "'?)"));
  }

  static void reject_keys_of_other_ops(const MapReader& reader, const Layer& layer) {
    for (const auto& entry : reader.node()) {
      const std::string key = entry.first.Scalar();
      for (const OpKey& op_key : op_keys()) {
        if (key != op_key.key) continue;
        std::string owners;
        bool applies = false;
        for (OpKind op : op_key.ops) {
          applies = applies || op == layer.op;
          owners += std::string(owners.empty() ? "" : ", ") + to_string(op);
        }
        if (!applies) {
          throw UserError(yaml::location(reader.file(), entry.first) + ": " + reader.key_path(key) +
                          ": '" + key + "' is not a key of op '" + yaml_op_name(layer) +
                          "' (it applies to " + owners + op_key.hint + ")");
        }
      }
    }
  }

  Graph m_graph;
  std::map<std::string, int> m_index;            // name -> layer index, for those read so far
  std::map<std::string, YAML::Node> m_declared;  // every layer name in the file
};

}  // namespace

Graph parse_workload(const std::string& yaml_text, const std::string& source_name) {
  YAML::Node root;
  try {
    root = YAML::Load(yaml_text);
  } catch (const YAML::ParserException& error) {
    throw UserError(source_name + ":" + std::to_string(error.mark.line + 1) + ":" +
                    std::to_string(error.mark.column + 1) + ": YAML syntax error: " + error.msg);
  }
  return WorkloadReader(source_name).read(root);
}

Graph read_workload(const std::string& path) {
  return WorkloadReader(path).read(yaml::load_file(path));
}

}  // namespace npu::compiler
