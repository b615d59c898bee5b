#pragma once
// Integer elements as the NPU stores them (docs/isa.md, "Buffers and addresses"): int8 one per
// byte; int4 two per byte, the element at an even index in the low nibble and the next in the high
// nibble, read sign-extended; int32 four bytes little-endian. Every row starts on a byte, so row r
// of rows `row_stride` elements apart starts packed_bytes(type, row_stride) x r bytes in, and an
// odd int4 row ends in a padding nibble nothing reads.

#include <cstdint>
#include <vector>

#include "isa/instruction.h"
#include "sim/functional/memory_image.h"

namespace npu::functional {

// Bytes from the start of row 0 to the start of row `row` (rows each starting on a byte).
uint64_t row_offset(isa::ElementType type, uint64_t row_stride, uint64_t row);

// Element `index` of the row starting at `row` (int4, int8 or int32).
int32_t read_integer(const uint8_t* row, isa::ElementType type, uint64_t index);

// Stores `value` (already in the type's range) as element `index` of the row starting at byte
// `row_addr` of `memory`. An int4 element keeps the other nibble of its byte (a byte nothing wrote
// counts as zero) and marks the byte written.
void write_integer(MemoryImage& memory, uint64_t row_addr, isa::ElementType type, uint64_t index,
                   int32_t value);

// A tensor of rows of `row_length` values (NHWC: one row per pixel) in its stored bytes, and back:
// int8 byte for byte, int4 packed per row (a value outside [-8, 7] is a bug).
std::vector<uint8_t> pack_rows(const std::vector<int8_t>& values, int64_t row_length,
                               isa::ElementType type);
std::vector<int8_t> unpack_rows(const uint8_t* bytes, int64_t rows, int64_t row_length,
                                isa::ElementType type);

// The range of an integer operand type: [-128, 127] for int8, [-8, 7] for int4.
int32_t min_value(isa::ElementType type);
int32_t max_value(isa::ElementType type);

}  // namespace npu::functional
