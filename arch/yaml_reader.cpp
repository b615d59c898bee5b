#include "arch/yaml_reader.h"

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <sstream>

namespace npu::yaml {
namespace {

size_t edit_distance(const std::string& a, const std::string& b) {
  std::vector<size_t> row(b.size() + 1);
  for (size_t j = 0; j <= b.size(); ++j) row[j] = j;
  for (size_t i = 1; i <= a.size(); ++i) {
    size_t diagonal = row[0];
    row[0] = i;
    for (size_t j = 1; j <= b.size(); ++j) {
      size_t substitution = diagonal + (a[i - 1] == b[j - 1] ? 0 : 1);
      diagonal = row[j];
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, substitution});
    }
  }
  return row[b.size()];
}

std::string quoted_scalar(const YAML::Node& node) {
  if (node.IsScalar()) return "'" + node.Scalar() + "'";
  if (node.IsSequence()) return "a list";
  if (node.IsMap()) return "a mapping";
  return "nothing";
}

}  // namespace

std::string location(const std::string& file, const YAML::Node& node) {
  const YAML::Mark mark = node.Mark();
  if (mark.is_null() || mark.line < 0) return file;
  return file + ":" + std::to_string(mark.line + 1) + ":" + std::to_string(mark.column + 1);
}

YAML::Node load_file(const std::string& path) {
  // A directory opens as a stream on Linux and only fails (with an ios_base::failure that would
  // escape as a crash) once read, so rule it out first.
  std::error_code ignored;
  if (std::filesystem::is_directory(path, ignored)) {
    throw UserError(path + ": is a directory, expected a YAML file");
  }
  std::ifstream stream(path);
  if (!stream) throw UserError(path + ": cannot open file");
  try {
    return YAML::Load(stream);
  } catch (const YAML::ParserException& error) {
    throw UserError(path + ":" + std::to_string(error.mark.line + 1) + ":" +
                    std::to_string(error.mark.column + 1) + ": YAML syntax error: " + error.msg);
  } catch (const std::ios_base::failure& error) {
    throw UserError(path + ": cannot read file: " + error.code().message());
  }
}

std::string closest_match(const std::string& word, const std::vector<std::string>& candidates) {
  std::string best;
  size_t best_distance = std::max<size_t>(2, word.size() / 3) + 1;
  for (const std::string& candidate : candidates) {
    size_t distance = edit_distance(word, candidate);
    if (distance < best_distance) {
      best_distance = distance;
      best = candidate;
    }
  }
  return best;
}

MapReader::MapReader(YAML::Node node, std::string file, std::string key_path,
                     std::shared_ptr<const KeyOrigins> origins)
    : m_node(std::move(node)),
      m_file(std::move(file)),
      m_key_path(std::move(key_path)),
      m_origins(std::move(origins)) {
  if (m_node && !m_node.IsNull() && !m_node.IsMap()) {
    throw UserError(location(m_file, m_node) + ": " +
                    (m_key_path.empty() ? "document" : m_key_path) +
                    ": expected a mapping of keys, got " + quoted_scalar(m_node));
  }
  // yaml-cpp keeps both copies of a repeated key and lookups see only the first, so the second
  // would be silently ignored.
  if (m_node && m_node.IsMap()) {
    std::map<std::string, YAML::Node> seen;
    for (const auto& entry : m_node) {
      if (!entry.first.IsScalar()) continue;
      auto [first, inserted] = seen.emplace(entry.first.Scalar(), entry.first);
      if (!inserted) {
        throw UserError(location(m_file, entry.first) + ": " +
                        this->key_path(entry.first.Scalar()) +
                        ": duplicate key (first given on line " +
                        std::to_string(first->second.Mark().line + 1) + ")");
      }
    }
  }
}

std::string MapReader::key_path(const std::string& key) const {
  return m_key_path.empty() ? key : m_key_path + "." + key;
}

std::string MapReader::where(const std::string& key) const {
  if (m_origins) {
    auto origin = m_origins->find(key_path(key));
    if (origin != m_origins->end()) return origin->second;
  }
  if (m_node && m_node.IsMap()) {
    for (const auto& entry : m_node) {
      if (!entry.first.IsScalar() || entry.first.Scalar() != key) continue;
      // A missing value (`rows:`) is positioned at whatever token follows it, often the next
      // line; the key is where the user has to look.
      return location(m_file, entry.second.IsNull() ? entry.first : entry.second);
    }
  }
  return location(m_file, m_node);
}

void MapReader::fail(const std::string& key, const std::string& message) const {
  throw UserError(where(key) + ": " + key_path(key) + ": " + message);
}

bool MapReader::present(const std::string& key) const {
  if (std::find(m_known_keys.begin(), m_known_keys.end(), key) == m_known_keys.end()) {
    m_known_keys.push_back(key);
  }
  return m_node && m_node.IsMap() && m_node[key];
}

bool MapReader::has(const std::string& key) const { return present(key) && !m_node[key].IsNull(); }

void MapReader::require(const std::string& key) const {
  if (!has(key)) {
    throw UserError(location(m_file, m_node) + ": " + key_path(key) + ": required key is missing");
  }
}

YAML::Node MapReader::scalar(const std::string& key, const char* expected) {
  YAML::Node value = m_node[key];
  if (!value.IsScalar())
    fail(key, std::string("expected ") + expected + ", got " + quoted_scalar(value));
  return value;
}

void MapReader::read(const std::string& key, std::string& field) {
  if (!present(key)) return;
  field = scalar(key, "a string").Scalar();
}

void MapReader::read(const std::string& key, bool& field) {
  if (!present(key)) return;
  YAML::Node value = scalar(key, "true or false");
  const std::string& text = value.Scalar();
  if (text == "true") {
    field = true;
  } else if (text == "false") {
    field = false;
  } else {
    fail(key, "expected true or false, got '" + text + "'");
  }
}

void MapReader::read(const std::string& key, int& field, int min, int max) {
  int64_t wide = field;
  read(key, wide, min, max);
  field = static_cast<int>(wide);
}

namespace {

bool parse_integer(const std::string& text, int64_t& out) {
  if (text.empty()) return false;
  size_t used = 0;
  try {
    out = std::stoll(text, &used, 10);
  } catch (const std::exception&) {
    return false;
  }
  return used == text.size();
}

bool parse_number(const std::string& text, double& out) {
  if (text.empty()) return false;
  size_t used = 0;
  try {
    out = std::stod(text, &used);
  } catch (const std::exception&) {
    return false;
  }
  return used == text.size() && std::isfinite(out);
}

std::string number_text(double value) {
  std::ostringstream out;
  out << value;
  return out.str();
}

// "an integer in [1, 4096]", or just "an integer" when unbounded.
std::string expected_text(const char* what, const std::string& range) {
  return std::string(what) + (range.empty() ? "" : " " + range);
}

}  // namespace

std::string integer_range_text(int64_t min, int64_t max) {
  const bool no_min =
      min == std::numeric_limits<int64_t>::min() || min == std::numeric_limits<int>::min();
  const bool no_max =
      max == std::numeric_limits<int64_t>::max() || max == std::numeric_limits<int>::max();
  if (no_min && no_max) return "";
  if (no_max) return ">= " + std::to_string(min);
  if (no_min) return "<= " + std::to_string(max);
  return "in [" + std::to_string(min) + ", " + std::to_string(max) + "]";
}

bool NumberRange::contains(double value) const {
  const bool above_min = min_exclusive ? value > min : value >= min;
  return above_min && value <= max;
}

std::string NumberRange::text() const {
  const bool no_min = std::isinf(min) || min <= -1e300;
  const bool no_max = std::isinf(max) || max >= 1e300;
  if (no_min && no_max) return "";
  if (no_max) return (min_exclusive ? "> " : ">= ") + number_text(min);
  if (no_min) return "<= " + number_text(max);
  return (min_exclusive ? "in (" : "in [") + number_text(min) + ", " + number_text(max) + "]";
}

void MapReader::read(const std::string& key, int64_t& field, int64_t min, int64_t max) {
  if (!present(key)) return;
  const std::string expected = expected_text("an integer", integer_range_text(min, max));
  const std::string& text = scalar(key, expected.c_str()).Scalar();
  int64_t value = 0;
  if (!parse_integer(text, value)) fail(key, "expected " + expected + ", got '" + text + "'");
  if (value < min || value > max) fail(key, "expected " + expected + ", got " + text);
  field = value;
}

void MapReader::read(const std::string& key, double& field, double min, double max) {
  read(key, field, NumberRange{min, max, false});
}

void MapReader::read(const std::string& key, double& field, const NumberRange& range) {
  if (!present(key)) return;
  const std::string expected = expected_text("a number", range.text());
  const std::string& text = scalar(key, expected.c_str()).Scalar();
  double value = 0;
  if (!parse_number(text, value)) fail(key, "expected " + expected + ", got '" + text + "'");
  if (!range.contains(value)) fail(key, "expected " + expected + ", got " + text);
  field = value;
}

void MapReader::read_number_or_auto(const std::string& key, std::optional<double>& field,
                                    const NumberRange& range) {
  if (!present(key)) return;
  const std::string expected =
      std::string("'") + kAutoText + "' or " + expected_text("a number", range.text());
  const std::string& text = scalar(key, expected.c_str()).Scalar();
  if (text == kAutoText) {
    field.reset();
    return;
  }
  double value = 0;
  if (!parse_number(text, value)) fail(key, "expected " + expected + ", got '" + text + "'");
  if (!range.contains(value)) fail(key, "expected " + expected + ", got " + text);
  field = value;
}

void MapReader::read(const std::string& key, std::vector<int64_t>& field, int64_t min,
                     int64_t max) {
  if (!present(key)) return;
  YAML::Node value = m_node[key];
  if (!value.IsSequence()) fail(key, "expected a list of integers, got " + quoted_scalar(value));
  std::vector<int64_t> result;
  for (const YAML::Node& element : value) {
    int64_t number = 0;
    if (!element.IsScalar() || !parse_integer(element.Scalar(), number) || number < min ||
        number > max) {
      throw UserError(location(m_file, element) + ": " + key_path(key) + ": expected " +
                      expected_text("integers", integer_range_text(min, max)) + ", got " +
                      quoted_scalar(element));
    }
    result.push_back(number);
  }
  field = std::move(result);
}

MapReader MapReader::child(const std::string& key) {
  has(key);
  YAML::Node value = (m_node && m_node.IsMap()) ? m_node[key] : YAML::Node();
  if (value && !value.IsNull() && !value.IsMap()) {
    fail(key, "expected a mapping of keys, got " + quoted_scalar(value));
  }
  return MapReader(value, m_file, key_path(key), m_origins);
}

std::vector<YAML::Node> MapReader::sequence(const std::string& key) {
  std::vector<YAML::Node> elements;
  if (!has(key)) return elements;
  YAML::Node value = m_node[key];
  if (!value.IsSequence()) fail(key, "expected a list, got " + quoted_scalar(value));
  for (const YAML::Node& element : value) elements.push_back(element);
  return elements;
}

void MapReader::finish() const {
  if (!m_node || !m_node.IsMap()) return;
  for (const auto& entry : m_node) {
    const std::string key = entry.first.Scalar();
    if (std::find(m_known_keys.begin(), m_known_keys.end(), key) != m_known_keys.end()) continue;
    std::string hint = closest_match(key, m_known_keys);
    throw UserError(location(m_file, entry.first) + ": " + key_path(key) + ": unknown key" +
                    (hint.empty() ? "" : " (did you mean '" + hint + "'?)"));
  }
}

}  // namespace npu::yaml
