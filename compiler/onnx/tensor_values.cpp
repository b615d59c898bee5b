#include "compiler/onnx/tensor_values.h"

#include <cmath>
#include <cstring>
#include <string>

namespace npu::compiler::onnx_import {
namespace {

float half_to_float(uint16_t half) {
  const int exponent = (half >> 10) & 0x1f;
  const int mantissa = half & 0x3ff;
  float value = 0;
  if (exponent == 0) {
    value = std::ldexp(static_cast<float>(mantissa), -24);
  } else if (exponent == 31) {
    value = mantissa == 0 ? INFINITY : NAN;
  } else {
    value = std::ldexp(static_cast<float>(mantissa + 1024), exponent - 25);
  }
  return (half & 0x8000) ? -value : value;
}

}  // namespace

std::optional<std::vector<double>> decode_values(const onnx::TensorProto& tensor, int64_t count) {
  using TP = onnx::TensorProto;
  if (tensor.data_location() == TP::EXTERNAL || count < 0) return std::nullopt;
  const std::string& raw = tensor.raw_data();
  const size_t n = static_cast<size_t>(count);
  std::vector<double> values(n);
  auto from_raw = [&](auto zero) -> std::optional<std::vector<double>> {
    using T = decltype(zero);
    if (raw.size() != n * sizeof(T)) return std::nullopt;
    for (size_t i = 0; i < n; ++i) {
      T value;
      std::memcpy(&value, raw.data() + i * sizeof(T), sizeof(T));
      values[i] = static_cast<double>(value);
    }
    return values;
  };
  auto from_field = [&](const auto& field) -> std::optional<std::vector<double>> {
    if (static_cast<size_t>(field.size()) != n) return std::nullopt;
    for (size_t i = 0; i < n; ++i) values[i] = static_cast<double>(field[static_cast<int>(i)]);
    return values;
  };
  const bool has_raw = tensor.has_raw_data();
  switch (tensor.data_type()) {
    case TP::FLOAT:
      return has_raw ? from_raw(float{}) : from_field(tensor.float_data());
    case TP::DOUBLE:
      return has_raw ? from_raw(double{}) : from_field(tensor.double_data());
    case TP::INT64:
      return has_raw ? from_raw(int64_t{}) : from_field(tensor.int64_data());
    case TP::INT32:
      return has_raw ? from_raw(int32_t{}) : from_field(tensor.int32_data());
    case TP::INT16:
      return has_raw ? from_raw(int16_t{}) : from_field(tensor.int32_data());
    case TP::INT8:
      return has_raw ? from_raw(int8_t{}) : from_field(tensor.int32_data());
    case TP::UINT8:
    case TP::BOOL:
      return has_raw ? from_raw(uint8_t{}) : from_field(tensor.int32_data());
    case TP::UINT16:
      return has_raw ? from_raw(uint16_t{}) : from_field(tensor.int32_data());
    case TP::FLOAT16: {
      // fp16 values are bit patterns, in raw_data or one per int32_data entry.
      std::vector<uint16_t> bits(n);
      if (has_raw) {
        if (raw.size() != n * 2) return std::nullopt;
        std::memcpy(bits.data(), raw.data(), n * 2);
      } else {
        if (static_cast<size_t>(tensor.int32_data_size()) != n) return std::nullopt;
        for (size_t i = 0; i < n; ++i) {
          bits[i] = static_cast<uint16_t>(tensor.int32_data(static_cast<int>(i)));
        }
      }
      for (size_t i = 0; i < n; ++i) values[i] = half_to_float(bits[i]);
      return values;
    }
    default:
      return std::nullopt;
  }
}

}  // namespace npu::compiler::onnx_import
