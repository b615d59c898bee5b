#pragma once
// The tolerance of docs/numerics.md for float designs: a compiled value may differ from the
// reference's by 2 units in the last place of the format at its magnitude, plus 2^-16 of the
// largest magnitude in the tensor (accumulation order differs between tiles and the loops).

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <string>
#include <vector>

#include "arch/arch_config.h"

namespace npu::testing_support {

// One unit in the last place of `format` at magnitude |x| (subnormal spacing near zero).
inline double ulp(arch::Precision format, double x) {
  const int mantissa_bits = format == arch::Precision::kFp16   ? 10
                            : format == arch::Precision::kBf16 ? 7
                                                               : 23;
  const int min_exponent = format == arch::Precision::kFp16 ? -14 : -126;
  const int exponent = x == 0.0 ? min_exponent : std::max(min_exponent, std::ilogb(x));
  return std::ldexp(1.0, exponent - mantissa_bits);
}

// "" when every value of `got` is within `ulps` units in the last place of `want` plus 2^-`bits`
// of the largest magnitude (docs/numerics.md's per-layer tolerance: 2 and 16), else the first
// value outside.
inline std::string outside_float_tolerance(arch::Precision format, const std::vector<float>& got,
                                           const std::vector<float>& want, int ulps = 2,
                                           int bits = 16) {
  if (got.size() != want.size()) return "sizes differ";
  double largest = 0;
  for (float v : want) largest = std::max(largest, std::fabs(static_cast<double>(v)));
  for (size_t i = 0; i < want.size(); ++i) {
    const double tolerance = ulps * ulp(format, std::fabs(want[i])) + std::ldexp(largest, -bits);
    if (!(std::fabs(static_cast<double>(got[i]) - want[i]) <= tolerance)) {
      return "value " + std::to_string(i) + ": " + std::to_string(got[i]) + " vs reference " +
             std::to_string(want[i]) + " (tolerance " + std::to_string(tolerance) + ")";
    }
  }
  return "";
}

}  // namespace npu::testing_support
