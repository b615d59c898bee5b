#include "sim/functional/numerics.h"

#include <algorithm>
#include <cstring>
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

namespace {

uint32_t bits_of(float value) {
  uint32_t bits;
  std::memcpy(&bits, &value, 4);
  return bits;
}

float float_of(uint32_t bits) {
  float value;
  std::memcpy(&value, &bits, 4);
  return value;
}

}  // namespace

uint16_t float_to_bf16_bits(float value) {
  const uint32_t bits = bits_of(value);
  if (std::isnan(value)) return static_cast<uint16_t>((bits >> 16) | 0x0040);  // stay a quiet NaN
  // Round to nearest even on the 16 bits dropped.
  const uint32_t rounding = 0x7FFF + ((bits >> 16) & 1);
  return static_cast<uint16_t>((bits + rounding) >> 16);
}

float bf16_bits_to_float(uint16_t bits) { return float_of(uint32_t{bits} << 16); }

uint16_t float_to_fp16_bits(float value) {
  const uint32_t bits = bits_of(value);
  const uint16_t sign = static_cast<uint16_t>((bits >> 16) & 0x8000);
  const uint32_t magnitude = bits & 0x7FFFFFFF;
  if (magnitude > 0x7F800000) return sign | 0x7E00;  // NaN
  if (magnitude >= 0x47800000) {                      // >= 65536: beyond every finite rounding
    return sign | 0x7C00;
  }
  if (magnitude >= 0x38800000) {  // normal in fp16 (>= 2^-14)
    // Re-bias the exponent (127 -> 15) and round the 13 dropped mantissa bits to nearest even.
    const uint32_t rebased = magnitude - (112u << 23);
    const uint32_t rounded = rebased + 0x0FFF + ((rebased >> 13) & 1);
    const uint32_t half = rounded >> 13;
    return sign | static_cast<uint16_t>(half >= 0x7C00 ? 0x7C00 : half);  // rounding may overflow
  }
  if (magnitude < 0x33000000) return sign;  // below half the smallest subnormal (2^-25): zero
  // Subnormal: value = mantissa x 2^-24; shift the full significand into place, round to even.
  const uint32_t exponent = magnitude >> 23;
  const uint32_t significand = (magnitude & 0x7FFFFF) | 0x800000;
  // significand x 2^(exponent - 150) = m x 2^-24, so m = significand >> (126 - exponent).
  const uint32_t shift = 126 - exponent;
  const uint32_t halfway = 1u << (shift - 1);
  const uint32_t remainder = significand & ((1u << shift) - 1);
  uint32_t result = significand >> shift;
  if (remainder > halfway || (remainder == halfway && (result & 1))) ++result;
  return sign | static_cast<uint16_t>(result);
}

float fp16_bits_to_float(uint16_t bits) {
  const uint32_t sign = uint32_t{bits & 0x8000u} << 16;
  const uint32_t exponent = (bits >> 10) & 0x1F;
  const uint32_t mantissa = bits & 0x3FF;
  if (exponent == 0x1F) return float_of(sign | 0x7F800000 | (mantissa << 13));
  if (exponent != 0) return float_of(sign | ((exponent + 112) << 23) | (mantissa << 13));
  // Subnormal or zero: mantissa x 2^-24, exact in float32.
  const float magnitude = std::ldexp(static_cast<float>(mantissa), -24);
  return sign ? -magnitude : magnitude;
}

float round_to_format(float value, arch::Precision format) {
  switch (format) {
    case arch::Precision::kFp16:
      return fp16_bits_to_float(float_to_fp16_bits(value));
    case arch::Precision::kBf16:
      return bf16_bits_to_float(float_to_bf16_bits(value));
    default:
      return value;
  }
}

int64_t round_away(double value) { return static_cast<int64_t>(std::round(value)); }

int32_t saturate_int8(int64_t value) {
  return static_cast<int32_t>(std::clamp<int64_t>(value, -128, 127));
}

}  // namespace npu::functional
