#include "compiler/compressed_weights.h"

#include <algorithm>

namespace npu::compiler {
namespace {

int64_t ceil_div(int64_t a, int64_t b) { return (a + b - 1) / b; }

int64_t step_or(int64_t step, int64_t whole) { return step > 0 ? step : whole; }

int64_t block_bytes(const WeightCompression& c, int64_t k_rows, int64_t cols, int64_t eb) {
  return static_cast<int64_t>(isa::nm_block_bytes(
      static_cast<uint64_t>(k_rows), static_cast<uint64_t>(cols), c.nm, static_cast<uint64_t>(eb)));
}

}  // namespace

int64_t column_block_bytes(const WeightCompression& c, int64_t k_rows, int64_t nt, int64_t nf,
                           int64_t eb) {
  return block_bytes(c, k_rows, std::min(step_or(c.n_step, nt), nt - nf), eb);
}

int64_t column_block_offset(const WeightCompression& c, int64_t k_rows, int64_t nt, int64_t nf,
                            int64_t eb) {
  // Every earlier column block is full width.
  return nf / step_or(c.n_step, nt) * block_bytes(c, k_rows, step_or(c.n_step, nt), eb);
}

int64_t fold_bytes(const WeightCompression& c, int64_t k_rows, int64_t nt, int64_t eb) {
  return column_block_offset(c, k_rows, nt, nt, eb) +
         (nt % step_or(c.n_step, nt) != 0 ? block_bytes(c, k_rows, nt % step_or(c.n_step, nt), eb)
                                          : 0);
}

int64_t fold_offset(const WeightCompression& c, int64_t kf, int64_t nt, int64_t eb) {
  if (c.k_step <= 0) return 0;  // one K fold per tile
  return kf / c.k_step * fold_bytes(c, c.k_step, nt, eb);
}

int64_t tile_bytes(const WeightCompression& c, int64_t k_tile, int64_t nt, int64_t eb) {
  const int64_t step = step_or(c.k_step, k_tile);
  const int64_t full = k_tile / step;
  const int64_t rest = k_tile % step;
  return full * fold_bytes(c, step, nt, eb) + (rest > 0 ? fold_bytes(c, rest, nt, eb) : 0);
}

int64_t fold_dram_bytes(const WeightCompression& c, int64_t k_rows, int64_t nt, int64_t eb) {
  return ceil_div(fold_bytes(c, k_rows, nt, eb), c.dram_align) * c.dram_align;
}

int64_t fold_dram_offset(const WeightCompression& c, int64_t kf, int64_t nt, int64_t eb) {
  if (c.k_step <= 0) return 0;
  return kf / c.k_step * fold_dram_bytes(c, c.k_step, nt, eb);
}

int64_t tile_dram_bytes(const WeightCompression& c, int64_t k_tile, int64_t nt, int64_t eb) {
  const int64_t step = step_or(c.k_step, k_tile);
  const int64_t full = k_tile / step;
  const int64_t rest = k_tile % step;
  return full * fold_dram_bytes(c, step, nt, eb) +
         (rest > 0 ? fold_dram_bytes(c, rest, nt, eb) : 0);
}

}  // namespace npu::compiler
