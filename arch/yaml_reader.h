#pragma once
// Strict reading of YAML mappings into typed fields.
//
// A MapReader wraps one mapping node and remembers every key it was asked for; finish() then
// rejects any key nobody read, suggesting the closest known one. Every error is a UserError of the
// form `file:line:col: key.path: what is wrong`, because yaml-cpp's own conversion errors name
// neither the key nor the file. Nodes without a source position (added by --set) are reported as
// coming from the command line.

#include <yaml-cpp/yaml.h>

#include <cstdint>
#include <initializer_list>
#include <limits>
#include <string>
#include <utility>
#include <vector>

#include "arch/user_error.h"

namespace npu::yaml {

// "file:line:col" for a node (1-based), or "file" when the node has no position.
std::string location(const std::string& file, const YAML::Node& node);

// Loads a YAML file; a missing file or a syntax error is a UserError naming the file.
YAML::Node load_file(const std::string& path);

// The closest of `candidates` to `word`, or "" when none is close enough to be a likely typo.
std::string closest_match(const std::string& word, const std::vector<std::string>& candidates);

class MapReader {
 public:
  // `node` must be a mapping (or absent/null, read as empty); `key_path` is its dotted path from
  // the document root ("" at the root).
  MapReader(YAML::Node node, std::string file, std::string key_path);

  bool has(const std::string& key) const;

  // Optional keys: the field keeps its default when the key is absent.
  void read(const std::string& key, std::string& field);
  void read(const std::string& key, bool& field);
  void read(const std::string& key, int& field, int min = std::numeric_limits<int>::min(),
            int max = std::numeric_limits<int>::max());
  void read(const std::string& key, int64_t& field,
            int64_t min = std::numeric_limits<int64_t>::min(),
            int64_t max = std::numeric_limits<int64_t>::max());
  void read(const std::string& key, double& field, double min = -1e300, double max = 1e300);
  // Reads a sequence of integers, each within [min, max].
  void read(const std::string& key, std::vector<int64_t>& field, int64_t min, int64_t max);

  // One of a fixed set of names; the error lists them all.
  template <typename Enum>
  void read_enum(const std::string& key, Enum& field,
                 std::initializer_list<std::pair<const char*, Enum>> names);

  // Makes a missing key an error (call before or after reading it).
  void require(const std::string& key) const;

  // The reader of a nested mapping; an absent key gives an empty reader (all defaults).
  MapReader child(const std::string& key);
  // The elements of a sequence (absent: empty); each must then be read by the caller.
  std::vector<YAML::Node> sequence(const std::string& key);

  // Rejects every key that no read/has/child/sequence call asked about.
  void finish() const;

  // `file:line:col: key.path.key: message`, for errors the caller detects itself.
  [[noreturn]] void fail(const std::string& key, const std::string& message) const;
  std::string key_path(const std::string& key) const;
  const YAML::Node& node() const { return m_node; }
  const std::string& file() const { return m_file; }

 private:
  YAML::Node scalar(const std::string& key, const char* expected);
  std::string where(const std::string& key) const;

  YAML::Node m_node;
  std::string m_file;
  std::string m_key_path;
  std::vector<std::string> m_known_keys;
};

template <typename Enum>
void MapReader::read_enum(const std::string& key, Enum& field,
                          std::initializer_list<std::pair<const char*, Enum>> names) {
  std::string expected = "one of";
  for (const auto& name : names) expected += std::string(" '") + name.first + "'";
  std::string text;
  if (!has(key)) return;
  read(key, text);
  for (const auto& name : names) {
    if (text == name.first) {
      field = name.second;
      return;
    }
  }
  std::vector<std::string> candidates;
  for (const auto& name : names) candidates.emplace_back(name.first);
  std::string hint = closest_match(text, candidates);
  fail(key, "expected " + expected + ", got '" + text + "'" +
                (hint.empty() ? "" : " (did you mean '" + hint + "'?)"));
}

}  // namespace npu::yaml
