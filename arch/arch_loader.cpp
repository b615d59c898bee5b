#include "arch/arch_loader.h"

#include <filesystem>
#include <map>
#include <memory>
#include <optional>
#include <utility>

#include "arch/arch_overrides.h"
#include "arch/arch_schema.h"
#include "arch/arch_validate.h"
#include "arch/yaml_reader.h"

namespace npu::arch {
namespace {

// Reads every schema key through one MapReader per mapping, so each mapping rejects the keys the
// schema does not name.
class FieldReader {
 public:
  explicit FieldReader(yaml::MapReader root) {
    m_readers.emplace("", std::move(root));
    m_order.emplace_back("");
  }

  void operator()(const std::string& path, std::string& field) {
    auto [reader, key] = reader_for(path);
    reader.read(key, field);
  }
  void operator()(const std::string& path, bool& field) {
    auto [reader, key] = reader_for(path);
    reader.read(key, field);
  }
  void operator()(const std::string& path, Dataflow& field) {
    auto [reader, key] = reader_for(path);
    reader.read_enum(key, field,
                     {{to_string(Dataflow::kWeightStationary), Dataflow::kWeightStationary},
                      {to_string(Dataflow::kOutputStationary), Dataflow::kOutputStationary},
                      {to_string(Dataflow::kInputStationary), Dataflow::kInputStationary}});
  }
  void operator()(const std::string& path, StationaryPreload& field) {
    auto [reader, key] = reader_for(path);
    reader.read_enum(key, field,
                     {{to_string(StationaryPreload::kSerial), StationaryPreload::kSerial},
                      {to_string(StationaryPreload::kDoubleBuffered),
                       StationaryPreload::kDoubleBuffered}});
  }
  void operator()(const std::string& path, Precision& field) {
    auto [reader, key] = reader_for(path);
    reader.read_enum(key, field,
                     {{to_string(Precision::kInt4), Precision::kInt4},
                      {to_string(Precision::kInt8), Precision::kInt8},
                      {to_string(Precision::kFp16), Precision::kFp16},
                      {to_string(Precision::kBf16), Precision::kBf16},
                      {to_string(Precision::kFp32), Precision::kFp32}});
  }
  void operator()(const std::string& path, DramType& field) {
    auto [reader, key] = reader_for(path);
    reader.read_enum(key, field,
                     {{to_string(DramType::kDdr4), DramType::kDdr4},
                      {to_string(DramType::kLpddr4), DramType::kLpddr4},
                      {to_string(DramType::kHbm2), DramType::kHbm2},
                      {to_string(DramType::kGddr5), DramType::kGddr5}});
  }
  void operator()(const std::string& path, SparsitySupport& field) {
    auto [reader, key] = reader_for(path);
    reader.read_enum(key, field,
                     {{to_string(SparsitySupport::kNone), SparsitySupport::kNone},
                      {to_string(SparsitySupport::kGating), SparsitySupport::kGating},
                      {to_string(SparsitySupport::kSkipping), SparsitySupport::kSkipping}});
  }
  void operator()(const std::string& path, std::vector<std::string>& field) {
    auto [reader, key] = reader_for(path);
    if (!reader.has(key)) return;
    field.clear();
    for (const YAML::Node& element : reader.sequence(key)) {
      if (!element.IsScalar()) {
        reader.fail(key, "expected a list of strings, got a nested " +
                             std::string(element.IsMap() ? "mapping" : "list"));
      }
      field.push_back(element.Scalar());
    }
  }
  void operator()(const std::string& path, int& field, const IntLimits& limits) {
    int64_t wide = field;
    (*this)(path, wide, limits);
    field = static_cast<int>(wide);  // the schema keeps int fields' limits within int
  }
  void operator()(const std::string& path, int64_t& field, const IntLimits& limits) {
    auto [reader, key] = reader_for(path);
    reader.read(key, field, limits.min, limits.max);
    const std::string problem = int_problem(limits, field);
    if (!problem.empty()) reader.fail(key, problem);
  }
  void operator()(const std::string& path, double& field, const yaml::NumberRange& range) {
    auto [reader, key] = reader_for(path);
    reader.read(key, field, range);
  }
  void operator()(const std::string& path, std::optional<double>& field,
                  const yaml::NumberRange& range) {
    auto [reader, key] = reader_for(path);
    reader.read_number_or_auto(key, field, range);
  }

  // Rejects unknown keys, outermost mapping first, so a misspelt group is reported as itself
  // rather than as its children.
  void finish() const {
    for (const std::string& prefix : m_order) m_readers.at(prefix).finish();
  }

 private:
  std::pair<yaml::MapReader&, std::string> reader_for(const std::string& path) {
    const size_t dot = path.rfind('.');
    if (dot == std::string::npos) return {m_readers.at(""), path};
    return {group(path.substr(0, dot)), path.substr(dot + 1)};
  }

  yaml::MapReader& group(const std::string& prefix) {
    auto found = m_readers.find(prefix);
    if (found != m_readers.end()) return found->second;
    const size_t dot = prefix.rfind('.');
    yaml::MapReader& parent =
        dot == std::string::npos ? m_readers.at("") : group(prefix.substr(0, dot));
    const std::string key = dot == std::string::npos ? prefix : prefix.substr(dot + 1);
    m_order.push_back(prefix);
    return m_readers.emplace(prefix, parent.child(key)).first->second;
  }

  std::map<std::string, yaml::MapReader> m_readers;  // by dotted prefix; "" is the document
  std::vector<std::string> m_order;                  // prefixes, outermost first
};

// Where a key's value came from: its override, its position in the file, or (left at its
// default) the file itself.
KeyLocator locator(YAML::Node root, std::string file,
                   std::shared_ptr<const yaml::KeyOrigins> origins) {
  return [root, file, origins](const std::string& key_path) -> std::string {
    auto origin = origins->find(key_path);
    if (origin != origins->end()) return origin->second;
    YAML::Node node = root;
    size_t start = 0;
    while (true) {
      const size_t dot = key_path.find('.', start);
      const std::string key = key_path.substr(start, dot == std::string::npos ? dot : dot - start);
      if (!node.IsMap()) return file;
      // Through a const reference: a non-const operator[] would add the key to the tree.
      YAML::Node next = static_cast<const YAML::Node&>(node)[key];
      if (!next) return file;
      node.reset(next);
      if (dot == std::string::npos) return yaml::location(file, node);
      start = dot + 1;
    }
  };
}

}  // namespace

ArchConfig load_arch(const std::string& path, const std::vector<std::string>& overrides) {
  YAML::Node root = yaml::load_file(path);
  // An empty file is an empty mapping: every key at its default, overrides still apply.
  if (!root || root.IsNull()) root.reset(YAML::Node(YAML::NodeType::Map));
  auto origins = std::make_shared<yaml::KeyOrigins>();
  yaml::MapReader document(root, path, "", origins);  // rejects a document that is not a mapping
  apply_overrides(root, path, overrides, *origins);

  ArchConfig config;
  config.name = std::filesystem::path(path).stem().string();
  FieldReader reader(document);
  visit_fields(config, reader);
  reader.finish();
  validate(config, locator(root, path, origins));
  return config;
}

}  // namespace npu::arch
