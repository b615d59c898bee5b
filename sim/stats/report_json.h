#pragma once
// The machine-readable view of a Report: one JSON document following the output contract in
// ARCHITECTURE.md (schema "npusim.report/1"); the key list and their units are in docs/metrics.md.
//
// Keys keep insertion order (ordered_json) and nothing depends on time or hashing, so the same
// report always prints the same bytes. Counts are JSON integers; ratios and energies are numbers
// with a fraction.

#include <nlohmann/json.hpp>
#include <ostream>
#include <string>

#include "sim/stats/report.h"

namespace npu::stats {

inline constexpr const char* kReportSchema = "npusim.report/1";

// One entry of "layers". The CSV writer flattens the same object, so its columns are these keys.
nlohmann::ordered_json layer_to_json(const LayerReport& layer);

// The whole document.
nlohmann::ordered_json report_to_json(const Report& report);

// YAML text as JSON, keeping mapping order. Plain scalars are typed as the YAML 1.2 core schema
// reads them (integer, float, true/false, null), quoted scalars stay strings, and floats JSON
// cannot carry (.inf, .nan) stay strings. Empty text gives null.
nlohmann::ordered_json yaml_text_to_json(const std::string& yaml_text);

void write_json(std::ostream& out, const Report& report);

}  // namespace npu::stats
