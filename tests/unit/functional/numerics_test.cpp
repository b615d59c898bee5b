// The fixed-point primitives of docs/numerics.md against values worked out by hand.

#include <gtest/gtest.h>

#include <cmath>
#include <limits>

#include "sim/functional/numerics.h"

namespace npu::functional {
namespace {

TEST(Numerics, QuantizeMultiplier) {
  // 0.5 = 0.5 x 2^0: M0 = 0.5 x 2^31 = 2^30, shift 0.
  EXPECT_EQ(quantize_multiplier(0.5).multiplier, 1 << 30);
  EXPECT_EQ(quantize_multiplier(0.5).shift, 0);
  // 0.75 x 2^-3 = 0.09375: M0 = 0.75 x 2^31 = 1610612736, shift -3.
  EXPECT_EQ(quantize_multiplier(0.09375).multiplier, 1610612736);
  EXPECT_EQ(quantize_multiplier(0.09375).shift, -3);
  // 3.0 = 0.75 x 2^2.
  EXPECT_EQ(quantize_multiplier(3.0).multiplier, 1610612736);
  EXPECT_EQ(quantize_multiplier(3.0).shift, 2);
  // Just below 1 x 2^k the fraction rounds up to 2^31: renormalised to 2^30 with shift + 1.
  const QuantizedMultiplier near_one = quantize_multiplier(std::nextafter(1.0, 0.0));
  EXPECT_EQ(near_one.multiplier, 1 << 30);
  EXPECT_EQ(near_one.shift, 1);
  EXPECT_EQ(quantize_multiplier(0.0).multiplier, 0);
  EXPECT_EQ(quantize_multiplier(std::ldexp(0.5, -40)).multiplier, 0);  // shift below -31
}

TEST(Numerics, DoublingHighMul) {
  // 2^30 x 2^30 x 2 / 2^32 = 2^29.
  EXPECT_EQ(saturating_rounding_doubling_high_mul(1 << 30, 1 << 30), 1 << 29);
  // 3 x 2^30 = 3221225472 -> x2 / 2^32 = 1.5 -> rounds to 2 (nudge 2^30 then / 2^31).
  EXPECT_EQ(saturating_rounding_doubling_high_mul(3, 1 << 30), 2);
  EXPECT_EQ(saturating_rounding_doubling_high_mul(-3, 1 << 30), -1);  // -1.5: nudge 1 - 2^30
  const int32_t min = std::numeric_limits<int32_t>::min();
  EXPECT_EQ(saturating_rounding_doubling_high_mul(min, min), std::numeric_limits<int32_t>::max());
}

TEST(Numerics, RoundingDivideByPowerOfTwo) {
  EXPECT_EQ(rounding_divide_by_pot(5, 1), 3);    // 2.5 -> 3 (ties away from zero)
  EXPECT_EQ(rounding_divide_by_pot(-5, 1), -3);  // -2.5 -> -3
  EXPECT_EQ(rounding_divide_by_pot(7, 2), 2);    // 1.75 -> 2
  EXPECT_EQ(rounding_divide_by_pot(-7, 2), -2);
  EXPECT_EQ(rounding_divide_by_pot(6, 2), 2);    // 1.5 -> 2
  EXPECT_EQ(rounding_divide_by_pot(5, 2), 1);    // 1.25 -> 1
  EXPECT_EQ(rounding_divide_by_pot(9, 0), 9);
}

TEST(Numerics, MultiplyByQuantizedMultiplier) {
  // x = 1000 at m = 0.09375 (M0 = 0.75 x 2^31, shift -3): 1000 x 0.75 = 750, / 8 = 93.75 -> 94.
  EXPECT_EQ(multiply_by_quantized_multiplier(1000, 1610612736, -3), 94);
  EXPECT_EQ(multiply_by_quantized_multiplier(-1000, 1610612736, -3), -94);
  // m = 3 (shift +2): 100 x 4 x 0.75 = 300.
  EXPECT_EQ(multiply_by_quantized_multiplier(100, 1610612736, 2), 300);
}

TEST(Numerics, RoundingAndSaturation) {
  EXPECT_EQ(round_away(2.5), 3);
  EXPECT_EQ(round_away(-2.5), -3);
  EXPECT_EQ(round_away(2.4999), 2);
  EXPECT_EQ(saturate_int8(200), 127);
  EXPECT_EQ(saturate_int8(-200), -128);
  EXPECT_EQ(saturate_int8(-128), -128);
}

}  // namespace
}  // namespace npu::functional

namespace npu::functional {
namespace {

TEST(FloatFormats, Fp16RoundsToNearestEven) {
  EXPECT_EQ(float_to_fp16_bits(1.0f), 0x3C00);
  EXPECT_EQ(float_to_fp16_bits(-2.0f), 0xC000);
  EXPECT_EQ(float_to_fp16_bits(65504.0f), 0x7BFF);   // the largest finite fp16
  EXPECT_EQ(float_to_fp16_bits(65519.0f), 0x7BFF);   // below the halfway point to 65536
  EXPECT_EQ(float_to_fp16_bits(65520.0f), 0x7C00);   // halfway, ties to even: infinity
  EXPECT_EQ(float_to_fp16_bits(1e9f), 0x7C00);
  // 1 + 2^-11 is halfway between 1 and 1 + 2^-10: to even (1); 1 + 3 x 2^-11 goes up.
  EXPECT_EQ(float_to_fp16_bits(1.0f + std::ldexp(1.0f, -11)), 0x3C00);
  EXPECT_EQ(float_to_fp16_bits(1.0f + 3 * std::ldexp(1.0f, -11)), 0x3C02);
  // Subnormals: 2^-24 is the smallest; 2^-25 is halfway to zero and ties to even (zero).
  EXPECT_EQ(float_to_fp16_bits(std::ldexp(1.0f, -24)), 0x0001);
  EXPECT_EQ(float_to_fp16_bits(std::ldexp(1.0f, -25)), 0x0000);
  EXPECT_EQ(float_to_fp16_bits(std::ldexp(3.0f, -25)), 0x0002);  // 1.5 x 2^-24 ties up to 2
  EXPECT_EQ(float_to_fp16_bits(std::ldexp(1.0f, -14)), 0x0400);  // the smallest normal
  EXPECT_EQ(float_to_fp16_bits(std::nanf("")) & 0x7E00, 0x7E00);
  EXPECT_EQ(fp16_bits_to_float(0x3C00), 1.0f);
  EXPECT_EQ(fp16_bits_to_float(0x0001), std::ldexp(1.0f, -24));
  EXPECT_EQ(fp16_bits_to_float(0xFC00), -INFINITY);
  for (uint32_t bits = 0; bits < 0x7C00; ++bits) {  // every finite fp16 survives the round trip
    ASSERT_EQ(float_to_fp16_bits(fp16_bits_to_float(static_cast<uint16_t>(bits))), bits);
  }
}

TEST(FloatFormats, Bf16RoundsToNearestEven) {
  EXPECT_EQ(float_to_bf16_bits(1.0f), 0x3F80);
  EXPECT_EQ(float_to_bf16_bits(1.0f + std::ldexp(1.0f, -8)), 0x3F80);      // tie: to even
  EXPECT_EQ(float_to_bf16_bits(1.0f + 3 * std::ldexp(1.0f, -8)), 0x3F82);  // tie: up to even
  EXPECT_EQ(float_to_bf16_bits(1.0f + std::ldexp(1.0f, -7)), 0x3F81);      // exact
  EXPECT_EQ(bf16_bits_to_float(0x3F81), 1.0f + std::ldexp(1.0f, -7));
  EXPECT_TRUE(std::isnan(bf16_bits_to_float(float_to_bf16_bits(std::nanf("")))));
}

}  // namespace
}  // namespace npu::functional
