#include "isa/nm_compression.h"

#include <algorithm>

namespace npu::isa {

uint64_t nm_kept_rows(uint64_t k_rows, uint32_t keep_n, uint32_t group_m) {
  if (group_m == 0) return k_rows;
  return k_rows / group_m * keep_n + std::min<uint64_t>(k_rows % group_m, keep_n);
}

uint64_t nm_index_bytes(uint64_t values, uint32_t index_bits) {
  return (values * index_bits + 7) / 8;
}

uint64_t nm_block_bytes(uint64_t k_rows, uint64_t n_cols, const NmCompression& c,
                        uint64_t operand_bytes) {
  if (!c.compressed()) return k_rows * n_cols * operand_bytes;
  const uint64_t values = nm_kept_rows(k_rows, c.keep_n, c.group_m) * n_cols;
  return values * operand_bytes + nm_index_bytes(values, c.index_bits);
}

}  // namespace npu::isa
