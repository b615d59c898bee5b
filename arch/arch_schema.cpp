#include "arch/arch_schema.h"

#include <sstream>

namespace npu::arch {
namespace {

std::string number_text(double value) {
  std::ostringstream out;
  out << value;
  return out.str();
}

// Collects key paths; the limits and field values are irrelevant here.
struct KeyCollector {
  std::vector<std::string>& keys;
  template <typename Field>
  void operator()(const std::string& path, const Field&) {
    keys.push_back(path);
  }
  template <typename Field, typename Limits>
  void operator()(const std::string& path, const Field&, const Limits&) {
    keys.push_back(path);
  }
};

}  // namespace

std::string int_problem(const IntLimits& limits, int64_t value) {
  const std::string got = ", got " + std::to_string(value);
  if (value < limits.min || value > limits.max) {
    return "expected an integer " + yaml::integer_range_text(limits.min, limits.max) + got;
  }
  if (!limits.one_of.empty()) {
    std::string allowed;
    bool listed = false;
    for (int64_t option : limits.one_of) {
      allowed += (allowed.empty() ? "" : ", ") + std::to_string(option);
      listed = listed || option == value;
    }
    if (!listed) return "expected one of " + allowed + got;
  }
  if (limits.power_of_two && (value & (value - 1)) != 0) {
    return "expected a power of two " + yaml::integer_range_text(limits.min, limits.max) + got;
  }
  return "";
}

std::string number_problem(const yaml::NumberRange& range, double value) {
  if (range.contains(value)) return "";
  return "expected a number " + range.text() + ", got " + number_text(value);
}

std::vector<std::string> schema_keys() {
  std::vector<std::string> keys;
  const ArchConfig defaults;
  visit_fields(defaults, KeyCollector{keys});
  return keys;
}

}  // namespace npu::arch
