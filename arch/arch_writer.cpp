// to_yaml: the resolved config, written from the same schema list the loader reads, so the output
// always holds every key and reads back to an equal config.

#include <yaml-cpp/yaml.h>

#include <charconv>
#include <optional>
#include <string>
#include <vector>

#include "arch/arch_loader.h"
#include "arch/arch_schema.h"

namespace npu::arch {
namespace {

// The shortest text that reads back to exactly `value` ("0.3", not "0.29999999999999999").
std::string exact_text(double value) {
  char buffer[32];
  const auto result = std::to_chars(buffer, buffer + sizeof buffer, value);
  return std::string(buffer, result.ptr);
}

// Emits keys in schema order, opening and closing nested mappings as the dotted prefix changes.
class FieldWriter {
 public:
  explicit FieldWriter(YAML::Emitter& out) : m_out(out) {}

  void operator()(const std::string& path, const std::string& field) {
    key(path);
    m_out << YAML::DoubleQuoted << field;  // quoted: a name like "1" or "null" stays a string
  }
  void operator()(const std::string& path, bool field) {
    key(path);
    m_out << (field ? "true" : "false");
  }
  void operator()(const std::string& path, Dataflow field) {
    key(path);
    m_out << to_string(field);
  }
  void operator()(const std::string& path, StationaryPreload field) {
    key(path);
    m_out << to_string(field);
  }
  void operator()(const std::string& path, Precision field) {
    key(path);
    m_out << to_string(field);
  }
  void operator()(const std::string& path, DramType field) {
    key(path);
    m_out << to_string(field);
  }
  void operator()(const std::string& path, SparsitySupport field) {
    key(path);
    m_out << to_string(field);
  }
  void operator()(const std::string& path, const std::vector<std::string>& field) {
    key(path);
    m_out << YAML::Flow << YAML::BeginSeq;
    for (const std::string& text : field) m_out << YAML::DoubleQuoted << text;
    m_out << YAML::EndSeq;
  }
  void operator()(const std::string& path, int64_t field, const IntLimits&) {
    key(path);
    m_out << field;
  }
  void operator()(const std::string& path, double field, const yaml::NumberRange&) {
    key(path);
    m_out << exact_text(field);
  }
  void operator()(const std::string& path, const std::optional<double>& field,
                  const yaml::NumberRange&) {
    key(path);
    m_out << (field ? exact_text(*field) : std::string(yaml::kAutoText));
  }

  void close_all() {
    while (!m_open.empty()) {
      m_out << YAML::EndMap;
      m_open.pop_back();
    }
  }

 private:
  void key(const std::string& path) {
    std::vector<std::string> groups;
    size_t start = 0;
    for (size_t dot = path.find('.'); dot != std::string::npos; dot = path.find('.', start)) {
      groups.push_back(path.substr(start, dot - start));
      start = dot + 1;
    }
    size_t shared = 0;
    while (shared < groups.size() && shared < m_open.size() && groups[shared] == m_open[shared]) {
      ++shared;
    }
    while (m_open.size() > shared) {
      m_out << YAML::EndMap;
      m_open.pop_back();
    }
    for (size_t i = shared; i < groups.size(); ++i) {
      m_out << YAML::Key << groups[i] << YAML::Value << YAML::BeginMap;
      m_open.push_back(groups[i]);
    }
    m_out << YAML::Key << path.substr(start) << YAML::Value;
  }

  YAML::Emitter& m_out;
  std::vector<std::string> m_open;  // the mappings currently open, outermost first
};

}  // namespace

std::string to_yaml(const ArchConfig& config) {
  YAML::Emitter out;
  out << YAML::Comment("npusim arch config, fully resolved: every key, defaults included");
  out << YAML::BeginMap;
  FieldWriter writer(out);
  visit_fields(config, writer);
  writer.close_all();
  out << YAML::EndMap;
  return std::string(out.c_str()) + "\n";
}

}  // namespace npu::arch
