#pragma once
// The fixed-point arithmetic of TFLite int8 quantization (definitions in docs/numerics.md). The
// interpreter and the reference implementations both use these primitives; they are tested on
// their own against hand-computed values.

#include <cstdint>

namespace npu::functional {

// m = multiplier / 2^31 * 2^shift, multiplier in [2^30, 2^31) (0 for m = 0).
struct QuantizedMultiplier {
  int32_t multiplier = 0;
  int32_t shift = 0;
};
QuantizedMultiplier quantize_multiplier(double m);

int32_t saturating_rounding_doubling_high_mul(int32_t a, int32_t b);
int32_t rounding_divide_by_pot(int32_t x, int exponent);
int32_t multiply_by_quantized_multiplier(int32_t x, int32_t multiplier, int shift);

// To nearest, ties away from zero.
int64_t round_away(double value);
int32_t saturate_int8(int64_t value);

}  // namespace npu::functional
