#pragma once
// What the compiler's tilers minimise when they choose a layer's tiles (docs/compiler.md,
// "Mapping objective").
//
// Latency is the default: the least estimated time, which on a design with more bandwidth may buy
// time with extra DRAM traffic (smaller tiles that re-read inputs or weights but expose less of
// their first load and last store). DRAM traffic minimises the bytes moved first and time among
// the tilings that move the fewest; since traffic does not depend on the bandwidth, a bandwidth
// sweep then compares one mapping, and more bandwidth can never add traffic.

#include <string>

namespace npu::compiler {

enum class MappingObjective { kLatency, kDramTraffic };

const char* to_string(MappingObjective objective);
// "latency" or "traffic"; returns false for anything else.
bool parse_mapping_objective(const std::string& text, MappingObjective& objective);

}  // namespace npu::compiler
