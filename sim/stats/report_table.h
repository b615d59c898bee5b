#pragma once
// The human view of a Report: a header naming the design and workload, one aligned row per layer,
// then the run's totals with the energy breakdown. Fits a 120-column terminal: the name column
// takes what the other columns leave, and longer names keep their head and tail ("layer4.2.do..").
//
// Numbers are rounded for reading (MACs in k/M/G, bytes in KiB/MiB); the JSON and CSV views carry
// the exact values.

#include <ostream>
#include <string>

#include "sim/stats/report.h"

namespace npu::stats {

inline constexpr size_t kTableWidth = 120;

void write_table(std::ostream& out, const Report& report);

// `text` cut to at most `width` characters by replacing its middle with "..", keeping the start
// (the block) and the end (the part within it) of names like "layer4.2.downsample.0".
std::string truncate_middle(const std::string& text, size_t width);

}  // namespace npu::stats
