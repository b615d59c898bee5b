#include "arch/arch_overrides.h"

#include <algorithm>
#include <string>
#include <vector>

#include "arch/arch_schema.h"
#include "arch/user_error.h"

namespace npu::arch {
namespace {

std::string leaf_of(const std::string& key_path) {
  return key_path.substr(key_path.rfind('.') + 1);  // npos + 1 == 0: a top-level key
}

// " (did you mean 'x'?)", or "" when nothing is close. Tries the whole path first, then the last
// component alone, so `rows` and `sram.size_kib` still lead to the right keys.
std::string did_you_mean(const std::string& key, const std::vector<std::string>& keys) {
  std::string hint = yaml::closest_match(key, keys);
  if (!hint.empty()) return " (did you mean '" + hint + "'?)";
  std::vector<std::string> leaves;
  for (const std::string& known : keys) leaves.push_back(leaf_of(known));
  const std::string leaf = yaml::closest_match(leaf_of(key), leaves);
  if (leaf.empty()) return "";
  std::string matches;
  for (const std::string& known : keys) {
    if (leaf_of(known) == leaf) matches += (matches.empty() ? "'" : ", '") + known + "'";
  }
  const bool several = matches.find(',') != std::string::npos;
  return " (did you mean " + std::string(several ? "one of " : "") + matches + "?)";
}

void check_key(const std::string& key, const std::string& origin) {
  const std::vector<std::string> keys = schema_keys();
  if (std::find(keys.begin(), keys.end(), key) != keys.end()) return;
  for (const std::string& known : keys) {
    if (known.rfind(key + ".", 0) == 0) {
      throw UserError(origin + ": " + key + ": is a group of keys, not a value (set one of its " +
                      "keys, e.g. '" + known + "')");
    }
  }
  throw UserError(origin + ": " + key + ": unknown key" + did_you_mean(key, keys));
}

// The override's value as YAML: one scalar, as its plain text, so `--set name='a b'` and a quoted
// value in the file mean the same; or a flow list of scalars for the list keys
// (`--set 'sparsity.structured_patterns=["2:4"]'`), whose elements the reader then checks like
// the file's. A list given to a scalar key fails that key's type check by name. Mappings are
// rejected: no key takes one.
YAML::Node value_node(const std::string& key, const std::string& value, const std::string& origin) {
  YAML::Node parsed;
  try {
    parsed = YAML::Load(value);
  } catch (const YAML::Exception& error) {
    throw UserError(origin + ": " + key + ": value is not valid YAML: " + error.msg);
  }
  if (parsed.IsMap()) throw UserError(origin + ": " + key + ": expected a value, got a mapping");
  if (parsed.IsSequence()) {
    YAML::Node list(YAML::NodeType::Sequence);
    for (const YAML::Node& element : parsed) {
      if (!element.IsScalar()) {
        throw UserError(origin + ": " + key + ": expected a list of single values");
      }
      list.push_back(element.Scalar());
    }
    return list;
  }
  // An empty or null value stays as typed, so it fails the field's type check by name instead of
  // silently meaning "use the default".
  return YAML::Node(parsed.IsScalar() ? parsed.Scalar() : value);
}

void set_key(YAML::Node root, const std::string& file, const std::string& key,
             const YAML::Node& value) {
  YAML::Node node = root;
  size_t start = 0;
  for (size_t dot = key.find('.'); dot != std::string::npos; dot = key.find('.', start)) {
    const std::string group = key.substr(start, dot - start);
    const std::string prefix = key.substr(0, dot);
    YAML::Node next = node[group];
    if (!next || next.IsNull()) {
      node[group] = YAML::Node(YAML::NodeType::Map);
      next.reset(node[group]);
    } else if (!next.IsMap()) {
      // The file's own mistake, reported as the reader would have reported it.
      throw UserError(yaml::location(file, next) + ": " + prefix +
                      ": expected a mapping of keys, got " +
                      (next.IsScalar() ? "'" + next.Scalar() + "'" : std::string("a list")));
    }
    // reset() re-points the handle; plain assignment would overwrite the node in the tree.
    node.reset(next);
    start = dot + 1;
  }
  node[key.substr(start)] = value;
}

}  // namespace

void apply_overrides(YAML::Node root, const std::string& file,
                     const std::vector<std::string>& overrides, yaml::KeyOrigins& origins) {
  for (const std::string& override_text : overrides) {
    const std::string origin = "--set " + override_text;
    const size_t equals = override_text.find('=');
    if (equals == std::string::npos || equals == 0) {
      throw UserError(origin + ": expected key.path=value (e.g. --set array.rows=32)");
    }
    const std::string key = override_text.substr(0, equals);
    check_key(key, origin);
    set_key(root, file, key, value_node(key, override_text.substr(equals + 1), origin));
    origins[key] = origin;
  }
}

}  // namespace npu::arch
