#include "sim/functional/numerics.h"

#include <algorithm>
#include <cmath>
#include <limits>

namespace npu::functional {

QuantizedMultiplier quantize_multiplier(double m) {
  if (m == 0.0) return {0, 0};
  int exponent = 0;
  const double fraction = std::frexp(m, &exponent);  // m = fraction * 2^exponent, |fraction| in [0.5, 1)
  int64_t q = static_cast<int64_t>(std::round(fraction * (1LL << 31)));
  if (q == (1LL << 31)) {
    q /= 2;
    ++exponent;
  }
  if (exponent < -31) return {0, 0};
  return {static_cast<int32_t>(q), exponent};
}

int32_t saturating_rounding_doubling_high_mul(int32_t a, int32_t b) {
  if (a == std::numeric_limits<int32_t>::min() && b == std::numeric_limits<int32_t>::min()) {
    return std::numeric_limits<int32_t>::max();
  }
  const int64_t product = static_cast<int64_t>(a) * b;
  const int64_t nudge = product >= 0 ? (1LL << 30) : (1 - (1LL << 30));
  return static_cast<int32_t>((product + nudge) / (1LL << 31));
}

int32_t rounding_divide_by_pot(int32_t x, int exponent) {
  if (exponent <= 0) return x;
  const int32_t mask = static_cast<int32_t>((1LL << exponent) - 1);
  const int32_t remainder = x & mask;
  const int32_t threshold = (mask >> 1) + (x < 0 ? 1 : 0);
  return (x >> exponent) + (remainder > threshold ? 1 : 0);
}

int32_t multiply_by_quantized_multiplier(int32_t x, int32_t multiplier, int shift) {
  const int left = std::max(shift, 0);
  const int right = std::max(-shift, 0);
  // The left shift wraps like the reference's int32 arithmetic would; callers keep x small enough.
  const int32_t shifted = static_cast<int32_t>(static_cast<uint32_t>(x) << left);
  return rounding_divide_by_pot(saturating_rounding_doubling_high_mul(shifted, multiplier), right);
}

int64_t round_away(double value) { return static_cast<int64_t>(std::round(value)); }

int32_t saturate_int8(int64_t value) {
  return static_cast<int32_t>(std::clamp<int64_t>(value, -128, 127));
}

}  // namespace npu::functional
