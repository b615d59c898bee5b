#pragma once
// The fixed-point arithmetic of TFLite int8 quantization (definitions in docs/numerics.md). The
// interpreter and the reference implementations both use these primitives; they are tested on
// their own against hand-computed values.

#include <cstdint>

#include "arch/arch_config.h"

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

// IEEE binary16 and bfloat16 from and to float32; to the narrow format rounds to nearest, ties to
// even, fp16 overflowing to infinity, NaN staying NaN.
uint16_t float_to_fp16_bits(float value);
float fp16_bits_to_float(uint16_t bits);
uint16_t float_to_bf16_bits(float value);
float bf16_bits_to_float(uint16_t bits);

// `value` rounded to a float format (fp32: unchanged); int8 is not a float format.
float round_to_format(float value, arch::Precision format);

// To nearest, ties away from zero.
int64_t round_away(double value);
int32_t saturate_int8(int64_t value);

}  // namespace npu::functional
