#pragma once
// The per-layer rows of a Report as CSV (RFC 4180 quoting, '\n' line ends), for spreadsheets and
// scripts that want one row per layer.
//
// Each row is the JSON writer's layer object flattened, so the columns are the JSON layer keys in
// the same order: nested objects become dotted names (energy_breakdown_pj.mac, as pandas'
// json_normalize names them) and output_shape is written as "1x56x56x64". There is no totals row;
// scripts sum the columns, and totals are in the JSON.

#include <ostream>

#include "sim/stats/report.h"

namespace npu::stats {

void write_csv(std::ostream& out, const Report& report);

}  // namespace npu::stats
