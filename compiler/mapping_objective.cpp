#include "compiler/mapping_objective.h"

namespace npu::compiler {

const char* to_string(MappingObjective objective) {
  switch (objective) {
    case MappingObjective::kLatency:
      return "latency";
    case MappingObjective::kDramTraffic:
      return "traffic";
  }
  return "?";
}

bool parse_mapping_objective(const std::string& text, MappingObjective& objective) {
  if (text == "latency") {
    objective = MappingObjective::kLatency;
  } else if (text == "traffic") {
    objective = MappingObjective::kDramTraffic;
  } else {
    return false;
  }
  return true;
}

}  // namespace npu::compiler
