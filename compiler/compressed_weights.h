#pragma once
// Where a skipped N:M layer's compressed weights lie (docs/sparsity.md, "Compressed weights").
//
// A weight tile (taps x in-channel chunk rows, out-channel chunk columns) is cut into the array's
// folds: K folds of `k_step` rows, each cut into column blocks of `n_step`. Each (K fold, column
// block) is one compressed block (isa/nm_compression.h): its kept values, then their indices. In
// SRAM a K fold's blocks follow one another, column block by column block, and the K folds follow
// one another: one DMA transfer per K fold, as for dense weights. In DRAM each K fold's blocks
// start on a DRAM access block, so each transfer costs exactly its bytes rounded up to whole
// access blocks.

#include <cstdint>

#include "isa/nm_compression.h"

namespace npu::compiler {

struct WeightCompression {
  isa::NmCompression nm;   // nm.compressed() is false for dense weights
  int64_t k_step = 0;      // reduction rows per K fold (0: the whole tile)
  int64_t n_step = 0;      // columns per fold (0: the whole tile)
  int64_t dram_align = 1;  // dram.access_bytes
  bool compressed() const { return nm.compressed(); }
  bool operator==(const WeightCompression& o) const {
    return nm == o.nm && k_step == o.k_step && n_step == o.n_step && dram_align == o.dram_align;
  }
};

// SRAM bytes of the column block [nf, nf + n_step) of K-fold rows k_rows of a tile nt wide.
int64_t column_block_bytes(const WeightCompression& c, int64_t k_rows, int64_t nt, int64_t nf,
                           int64_t eb);
// SRAM offset, within its K fold, of the column block starting at column nf.
int64_t column_block_offset(const WeightCompression& c, int64_t k_rows, int64_t nt, int64_t nf,
                            int64_t eb);
// SRAM bytes of one K fold of k_rows rows: all its column blocks.
int64_t fold_bytes(const WeightCompression& c, int64_t k_rows, int64_t nt, int64_t eb);
// SRAM offset of the K fold starting at row kf of a tile of k_tile rows.
int64_t fold_offset(const WeightCompression& c, int64_t kf, int64_t nt, int64_t eb);
// SRAM bytes of a whole tile of k_tile x nt weights.
int64_t tile_bytes(const WeightCompression& c, int64_t k_tile, int64_t nt, int64_t eb);
// DRAM bytes of a K fold: fold_bytes rounded up to whole access blocks.
int64_t fold_dram_bytes(const WeightCompression& c, int64_t k_rows, int64_t nt, int64_t eb);
// DRAM offset of the K fold starting at row kf within its tile's DRAM block.
int64_t fold_dram_offset(const WeightCompression& c, int64_t kf, int64_t nt, int64_t eb);
// DRAM bytes of a whole tile: the sum of its K folds' DRAM bytes.
int64_t tile_dram_bytes(const WeightCompression& c, int64_t k_tile, int64_t nt, int64_t eb);

}  // namespace npu::compiler
