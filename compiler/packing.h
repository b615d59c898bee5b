#pragma once
// Bytes a tensor's elements take in DRAM and SRAM. Whole-byte formats take elements x bytes;
// int4 is packed two per byte (docs/isa.md), and every row of a tensor (its innermost dimension,
// the channels of NHWC) starts on a byte, so a row of odd length ends in a padding nibble and
// an offset into a row must be a whole number of bytes: an even channel for int4. The tiler cuts
// channels into chunks of alignment() for this.

#include <cstdint>
#include <stdexcept>
#include <string>

#include "arch/arch_config.h"

namespace npu::compiler {

class Packing {
 public:
  explicit Packing(int element_bits) : m_bits(element_bits) {}
  explicit Packing(arch::Precision precision) : m_bits(arch::element_bits(precision)) {}

  int bits() const { return m_bits; }
  // Bytes of a row (or run) of `elements`, rounded up to a whole byte.
  int64_t bytes(int64_t elements) const { return (elements * m_bits + 7) / 8; }
  // Bytes before element `elements` of a row; a bug when that falls inside a byte.
  int64_t offset(int64_t elements) const {
    if (elements * m_bits % 8 != 0) {
      throw std::logic_error("offset of element " + std::to_string(elements) + " of " +
                             std::to_string(m_bits) + "-bit elements is not on a byte");
    }
    return elements * m_bits / 8;
  }
  // Elements per byte for sub-byte formats (the granule of channel offsets), else 1.
  int64_t alignment() const { return m_bits < 8 ? 8 / m_bits : 1; }

 private:
  int m_bits;
};

}  // namespace npu::compiler
