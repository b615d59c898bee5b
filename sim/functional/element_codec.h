#pragma once
// Reading and writing float elements of the NPU's formats in memory (little-endian): fp32, fp16
// and bf16 values, decoded to float32 and encoded with rounding to nearest even.

#include <cstdint>

#include "isa/instruction.h"

namespace npu::functional {

float decode_float(const uint8_t* bytes, isa::ElementType type);
// Rounds `value` to `type` and stores it.
void encode_float(uint8_t* bytes, isa::ElementType type, float value);

}  // namespace npu::functional
