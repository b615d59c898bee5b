#pragma once
// Strict reading of YAML mappings into typed fields.
//
// A MapReader wraps one mapping node and remembers every key it was asked for; finish() then
// rejects any key nobody read, suggesting the closest known one. Every error is a UserError of the
// form `file:line:col: key.path: what is wrong`, because yaml-cpp's own conversion errors name
// neither the key nor the file. Nodes without a source position (added by --set) are reported by
// the origin text the caller registered for their key path (e.g. `--set array.rows=0`).

#include <yaml-cpp/yaml.h>

#include <cstdint>
#include <initializer_list>
#include <limits>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "arch/user_error.h"

namespace npu::yaml {

// "file:line:col" for a node (1-based), or "file" when the node has no position.
std::string location(const std::string& file, const YAML::Node& node);

// Loads a YAML file; a missing or unreadable file, a directory or a syntax error is a UserError
// naming the file.
YAML::Node load_file(const std::string& path);

// The closest of `candidates` to `word`, or "" when none is close enough to be a likely typo.
std::string closest_match(const std::string& word, const std::vector<std::string>& candidates);

// "in [min, max]", ">= min", "<= max", or "" when both bounds are the integer type's own limits.
std::string integer_range_text(int64_t min, int64_t max);

// The allowed values of a real number: [min, max], or (min, max] when min_exclusive (for
// quantities such as a frequency that must be strictly positive). Infinite bounds are open.
struct NumberRange {
  double min = -std::numeric_limits<double>::infinity();
  double max = std::numeric_limits<double>::infinity();
  bool min_exclusive = false;

  bool contains(double value) const;
  // "in (0, 10000]", ">= 0", "> 0", or "" when unbounded.
  std::string text() const;
};

// The word that asks for a derived value instead of a number (energy.sram.*.read_pj_per_byte).
constexpr const char* kAutoText = "auto";

// Where keys that are not in the file came from, by dotted key path: the text that replaces
// `file:line:col` in their errors (e.g. "--set array.rows=0").
using KeyOrigins = std::map<std::string, std::string>;

class MapReader {
 public:
  // `node` must be a mapping (or absent/null, read as empty); `key_path` is its dotted path from
  // the document root ("" at the root). `origins` (may be null) is shared with child readers.
  MapReader(YAML::Node node, std::string file, std::string key_path,
            std::shared_ptr<const KeyOrigins> origins = nullptr);

  bool has(const std::string& key) const;

  // Optional keys: the field keeps its default when the key is absent. A key that is present
  // with no value (`rows:`) is an error, not a silent default.
  void read(const std::string& key, std::string& field);
  void read(const std::string& key, bool& field);
  void read(const std::string& key, int& field, int min = std::numeric_limits<int>::min(),
            int max = std::numeric_limits<int>::max());
  void read(const std::string& key, int64_t& field,
            int64_t min = std::numeric_limits<int64_t>::min(),
            int64_t max = std::numeric_limits<int64_t>::max());
  void read(const std::string& key, double& field, double min = -1e300, double max = 1e300);
  void read(const std::string& key, double& field, const NumberRange& range);
  // A number within `range`, or the word `auto`, which empties `field` (the value is then derived
  // by a documented model).
  void read_number_or_auto(const std::string& key, std::optional<double>& field,
                           const NumberRange& range);
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
  // The key is in the mapping, possibly with a null value; marks it as known.
  bool present(const std::string& key) const;
  YAML::Node scalar(const std::string& key, const char* expected);
  std::string where(const std::string& key) const;

  YAML::Node m_node;
  std::string m_file;
  std::string m_key_path;
  std::shared_ptr<const KeyOrigins> m_origins;
  // Every key asked about, so finish() can tell which keys nobody read; asking is not a change
  // to what the reader reads, hence mutable.
  mutable std::vector<std::string> m_known_keys;
};

template <typename Enum>
void MapReader::read_enum(const std::string& key, Enum& field,
                          std::initializer_list<std::pair<const char*, Enum>> names) {
  std::string expected = "one of";
  for (const auto& name : names) expected += std::string(" '") + name.first + "'";
  std::string text;
  if (!present(key)) return;
  read(key, text);
  for (const auto& name : names) {
    if (text == name.first) {
      field = name.second;
      return;
    }
  }
  std::vector<std::string> candidates;
  for (const auto& name : names) candidates.emplace_back(name.first);
  // With a single allowed name the list above already says it; a hint would only repeat it.
  std::string hint = candidates.size() > 1 ? closest_match(text, candidates) : "";
  fail(key, "expected " + expected + ", got '" + text + "'" +
                (hint.empty() ? "" : " (did you mean '" + hint + "'?)"));
}

}  // namespace npu::yaml
