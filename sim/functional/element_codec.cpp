#include "sim/functional/element_codec.h"

#include <cstring>

#include "sim/functional/numerics.h"

namespace npu::functional {

float decode_float(const uint8_t* bytes, isa::ElementType type) {
  uint16_t half;
  float value;
  switch (type) {
    case isa::ElementType::kFp16:
      std::memcpy(&half, bytes, 2);
      return fp16_bits_to_float(half);
    case isa::ElementType::kBf16:
      std::memcpy(&half, bytes, 2);
      return bf16_bits_to_float(half);
    default:
      std::memcpy(&value, bytes, 4);
      return value;
  }
}

void encode_float(uint8_t* bytes, isa::ElementType type, float value) {
  uint16_t half;
  switch (type) {
    case isa::ElementType::kFp16:
      half = float_to_fp16_bits(value);
      std::memcpy(bytes, &half, 2);
      return;
    case isa::ElementType::kBf16:
      half = float_to_bf16_bits(value);
      std::memcpy(bytes, &half, 2);
      return;
    default:
      std::memcpy(bytes, &value, 4);
      return;
  }
}

}  // namespace npu::functional
