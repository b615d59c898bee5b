#pragma once
// N:M compressed weight blocks (docs/sparsity.md, "Compressed weights"). Of every group of M
// consecutive reduction rows, each column keeps N weights; a compressed block stores, per column,
// only those kept values plus each one's position in its group (an index of `index_bits` bits).
// Layout of a k x n block: kept_rows(k) rows of n values (`row_stride` elements apart), then the
// indices of the same values in the same order (kept row by kept row, column by column), packed
// little-endian: index i occupies bits [i x index_bits, (i + 1) x index_bits) of the index bytes.

#include <cstdint>

namespace npu::isa {

struct NmCompression {
  uint32_t keep_n = 0;      // N: values kept per group; 0 when the block is dense
  uint32_t group_m = 0;     // M: reduction rows per group
  uint32_t index_bits = 0;  // bits of each kept value's position in its group
  bool compressed() const { return group_m != 0; }
  bool operator==(const NmCompression& o) const {
    return keep_n == o.keep_n && group_m == o.group_m && index_bits == o.index_bits;
  }
};

// Rows kept of k reduction rows: N of every full group of M, and of a last group of r < M rows
// min(r, N) (it keeps everything it has, up to N).
uint64_t nm_kept_rows(uint64_t k_rows, uint32_t keep_n, uint32_t group_m);

// Bytes of the indices of `values` kept values: ceil(values x index_bits / 8).
uint64_t nm_index_bytes(uint64_t values, uint32_t index_bits);

// Bytes of a compressed k x n block stored contiguously (row_stride = n):
// kept_rows(k) x n x operand_bytes + ceil(kept_rows(k) x n x index_bits / 8).
uint64_t nm_block_bytes(uint64_t k_rows, uint64_t n_cols, const NmCompression& c,
                        uint64_t operand_bytes);

}  // namespace npu::isa
