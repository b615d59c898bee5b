#include "arch/yaml_reader.h"

#include <algorithm>
#include <cmath>
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
  std::ifstream stream(path);
  if (!stream) throw UserError(path + ": cannot open file");
  try {
    return YAML::Load(stream);
  } catch (const YAML::ParserException& error) {
    throw UserError(path + ":" + std::to_string(error.mark.line + 1) + ":" +
                    std::to_string(error.mark.column + 1) + ": YAML syntax error: " + error.msg);
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

MapReader::MapReader(YAML::Node node, std::string file, std::string key_path)
    : m_node(std::move(node)), m_file(std::move(file)), m_key_path(std::move(key_path)) {
  if (m_node && !m_node.IsNull() && !m_node.IsMap()) {
    throw UserError(location(m_file, m_node) + ": " + (m_key_path.empty() ? "document" : m_key_path) +
                    ": expected a mapping of keys, got " + quoted_scalar(m_node));
  }
}

std::string MapReader::key_path(const std::string& key) const {
  return m_key_path.empty() ? key : m_key_path + "." + key;
}

std::string MapReader::where(const std::string& key) const {
  if (m_node && m_node.IsMap() && m_node[key]) return location(m_file, m_node[key]);
  return location(m_file, m_node);
}

void MapReader::fail(const std::string& key, const std::string& message) const {
  throw UserError(where(key) + ": " + key_path(key) + ": " + message);
}

bool MapReader::has(const std::string& key) const {
  if (std::find(m_known_keys.begin(), m_known_keys.end(), key) == m_known_keys.end()) {
    const_cast<MapReader*>(this)->m_known_keys.push_back(key);
  }
  return m_node && m_node.IsMap() && m_node[key] && !m_node[key].IsNull();
}

void MapReader::require(const std::string& key) const {
  if (!has(key)) {
    throw UserError(location(m_file, m_node) + ": " + key_path(key) + ": required key is missing");
  }
}

YAML::Node MapReader::scalar(const std::string& key, const char* expected) {
  YAML::Node value = m_node[key];
  if (!value.IsScalar()) fail(key, std::string("expected ") + expected + ", got " + quoted_scalar(value));
  return value;
}

void MapReader::read(const std::string& key, std::string& field) {
  if (!has(key)) return;
  field = scalar(key, "a string").Scalar();
}

void MapReader::read(const std::string& key, bool& field) {
  if (!has(key)) return;
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

std::string range_text(int64_t min, int64_t max) {
  if (max == std::numeric_limits<int64_t>::max() || max == std::numeric_limits<int>::max()) {
    return ">= " + std::to_string(min);
  }
  return "in [" + std::to_string(min) + ", " + std::to_string(max) + "]";
}

std::string number_text(double value) {
  std::ostringstream out;
  out << value;
  return out.str();
}

}  // namespace

void MapReader::read(const std::string& key, int64_t& field, int64_t min, int64_t max) {
  if (!has(key)) return;
  const std::string& text = scalar(key, "an integer").Scalar();
  int64_t value = 0;
  if (!parse_integer(text, value)) fail(key, "expected an integer " + range_text(min, max) + ", got '" + text + "'");
  if (value < min || value > max) fail(key, "expected an integer " + range_text(min, max) + ", got " + text);
  field = value;
}

void MapReader::read(const std::string& key, double& field, double min, double max) {
  if (!has(key)) return;
  const std::string& text = scalar(key, "a number").Scalar();
  double value = 0;
  std::string range = max >= 1e300 ? ">= " + number_text(min)
                                   : "in [" + number_text(min) + ", " + number_text(max) + "]";
  if (!parse_number(text, value)) fail(key, "expected a number " + range + ", got '" + text + "'");
  if (value < min || value > max) fail(key, "expected a number " + range + ", got " + text);
  field = value;
}

void MapReader::read(const std::string& key, std::vector<int64_t>& field, int64_t min,
                     int64_t max) {
  if (!has(key)) return;
  YAML::Node value = m_node[key];
  if (!value.IsSequence()) fail(key, "expected a list of integers, got " + quoted_scalar(value));
  std::vector<int64_t> result;
  for (const YAML::Node& element : value) {
    int64_t number = 0;
    if (!element.IsScalar() || !parse_integer(element.Scalar(), number) || number < min ||
        number > max) {
      throw UserError(location(m_file, element) + ": " + key_path(key) +
                      ": expected integers " + range_text(min, max) + ", got " +
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
  return MapReader(value, m_file, key_path(key));
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
