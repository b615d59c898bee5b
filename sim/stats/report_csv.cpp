#include "sim/stats/report_csv.h"

#include <cassert>
#include <string>
#include <vector>

#include "sim/stats/report_json.h"

namespace npu::stats {
namespace {

using Json = nlohmann::ordered_json;

// A field is quoted only when it has to be: it holds a comma, a quote or a line break, or starts or
// ends with a space that a reader might trim. Quotes inside are doubled.
std::string csv_field(const std::string& text) {
  bool quote = text.find_first_of(",\"\r\n") != std::string::npos ||
               (!text.empty() && (text.front() == ' ' || text.back() == ' '));
  if (!quote) return text;
  std::string field = "\"";
  for (char c : text) {
    if (c == '"') field += '"';
    field += c;
  }
  return field + "\"";
}

// The only array in a layer object is a shape: its dimensions joined with 'x'.
std::string shape_text(const Json& shape) {
  std::string text;
  for (const Json& dim : shape) {
    assert(dim.is_number_integer());
    if (!text.empty()) text += 'x';
    text += dim.dump();
  }
  return text;
}

// Appends (column name, cell text) for every leaf of `json`, depth first in key order.
void flatten(const Json& json, const std::string& prefix, std::vector<std::string>& names,
             std::vector<std::string>& cells) {
  for (const auto& [key, value] : json.items()) {
    std::string name = prefix.empty() ? key : prefix + "." + key;
    if (value.is_object()) {
      flatten(value, name, names, cells);
      continue;
    }
    names.push_back(name);
    if (value.is_string()) {
      cells.push_back(value.get<std::string>());
    } else if (value.is_null()) {
      cells.push_back("");  // a figure the run did not measure
    } else if (value.is_array()) {
      cells.push_back(shape_text(value));
    } else {
      // Numbers print as in the JSON (shortest round-trip form): both views agree digit by digit.
      cells.push_back(value.dump());
    }
  }
}

void write_row(std::ostream& out, const std::vector<std::string>& fields) {
  for (size_t i = 0; i < fields.size(); ++i) {
    if (i > 0) out << ',';
    out << csv_field(fields[i]);
  }
  out << '\n';
}

}  // namespace

void write_csv(std::ostream& out, const Report& report) {
  // The header comes from a default layer so that a run with no layers still prints it.
  std::vector<std::string> header;
  std::vector<std::string> unused;
  flatten(layer_to_json(LayerReport{}), "", header, unused);
  write_row(out, header);
  for (const LayerReport& layer : report.layers) {
    std::vector<std::string> names;
    std::vector<std::string> cells;
    flatten(layer_to_json(layer), "", names, cells);
    assert(names == header);
    write_row(out, cells);
  }
}

}  // namespace npu::stats
