#include "sim/functional/packed_integers.h"

#include <cstring>
#include <stdexcept>
#include <string>

namespace npu::functional {
namespace {

// The low nibble holds the element at the even index (docs/isa.md).
unsigned nibble_shift(uint64_t index) { return index % 2 == 0 ? 0u : 4u; }

int32_t sign_extend_nibble(unsigned nibble) {
  return static_cast<int32_t>(nibble & 0xFu) - ((nibble & 0x8u) != 0 ? 16 : 0);
}

}  // namespace

uint64_t row_offset(isa::ElementType type, uint64_t row_stride, uint64_t row) {
  return row * isa::packed_bytes(type, row_stride);
}

int32_t read_integer(const uint8_t* row, isa::ElementType type, uint64_t index) {
  switch (type) {
    case isa::ElementType::kInt4:
      return sign_extend_nibble(row[index / 2] >> nibble_shift(index));
    case isa::ElementType::kInt8:
      return static_cast<int8_t>(row[index]);
    case isa::ElementType::kInt32: {
      int32_t value;
      std::memcpy(&value, row + index * 4, 4);
      return value;
    }
    default:
      throw std::logic_error(std::string("read_integer: ") + isa::to_string(type) +
                             " is not an integer type");
  }
}

void write_integer(MemoryImage& memory, uint64_t row_addr, isa::ElementType type, uint64_t index,
                   int32_t value) {
  switch (type) {
    case isa::ElementType::kInt4: {
      const uint64_t addr = row_addr + index / 2;
      const unsigned shift = nibble_shift(index);
      const uint8_t old = memory.written(addr) ? memory.data()[addr] : 0;
      const uint8_t byte = static_cast<uint8_t>((old & ~(0xFu << shift)) |
                                                ((static_cast<unsigned>(value) & 0xFu) << shift));
      memory.write(addr, &byte, 1);
      return;
    }
    case isa::ElementType::kInt8: {
      const uint8_t byte = static_cast<uint8_t>(static_cast<int8_t>(value));
      memory.write(row_addr + index, &byte, 1);
      return;
    }
    case isa::ElementType::kInt32:
      memory.write(row_addr + index * 4, &value, 4);
      return;
    default:
      throw std::logic_error(std::string("write_integer: ") + isa::to_string(type) +
                             " is not an integer type");
  }
}

std::vector<uint8_t> pack_rows(const std::vector<int8_t>& values, int64_t row_length,
                               isa::ElementType type) {
  if (type == isa::ElementType::kInt8) return {values.begin(), values.end()};
  if (type != isa::ElementType::kInt4 || row_length <= 0) {
    throw std::logic_error("pack_rows: int8 or int4 rows expected");
  }
  const uint64_t length = static_cast<uint64_t>(row_length);
  const uint64_t rows = values.size() / length;
  const uint64_t row_bytes = isa::packed_bytes(type, length);
  std::vector<uint8_t> bytes(rows * row_bytes, 0);
  for (uint64_t r = 0; r < rows; ++r) {
    for (uint64_t i = 0; i < length; ++i) {
      const int32_t value = values[r * length + i];
      if (value < -8 || value > 7) {
        throw std::logic_error("pack_rows: " + std::to_string(value) + " is not an int4 value");
      }
      bytes[r * row_bytes + i / 2] |=
          static_cast<uint8_t>((static_cast<unsigned>(value) & 0xFu) << nibble_shift(i));
    }
  }
  return bytes;
}

std::vector<int8_t> unpack_rows(const uint8_t* bytes, int64_t rows, int64_t row_length,
                                isa::ElementType type) {
  const uint64_t length = static_cast<uint64_t>(row_length);
  const uint64_t row_bytes = isa::packed_bytes(type, length);
  std::vector<int8_t> values;
  values.reserve(static_cast<size_t>(rows) * length);
  for (uint64_t r = 0; r < static_cast<uint64_t>(rows); ++r) {
    for (uint64_t i = 0; i < length; ++i) {
      values.push_back(static_cast<int8_t>(read_integer(bytes + r * row_bytes, type, i)));
    }
  }
  return values;
}

int32_t min_value(isa::ElementType type) { return type == isa::ElementType::kInt4 ? -8 : -128; }
int32_t max_value(isa::ElementType type) { return type == isa::ElementType::kInt4 ? 7 : 127; }

}  // namespace npu::functional
