#include "compiler/row_split.h"

#include <algorithm>
#include <set>

namespace npu::compiler {

int64_t choose_rows_per_tile(int64_t total_rows, int64_t max_rows, const RowCosts& c) {
  max_rows = std::min(max_rows, total_rows);
  std::set<int64_t> candidates{max_rows};
  for (int64_t tiles = 1; tiles <= 64; ++tiles) {
    const int64_t rows = (total_rows + tiles - 1) / tiles;
    if (rows <= max_rows) candidates.insert(rows);
  }
  int64_t best_rows = max_rows;
  double best = -1;
  for (int64_t rows : candidates) {
    const double r = static_cast<double>(rows);
    const double tiles = static_cast<double>((total_rows + rows - 1) / rows);
    const double load = c.load_per_tile + r * c.load_per_row;
    const double vector = c.vector_per_tile + r * c.vector_per_row;
    const double store = r * c.store_per_row;
    const double estimate = tiles * std::max(load + store, vector) + load + vector + store;
    // Ties go to the taller tile: fewer instructions for the same time.
    if (best < 0 || estimate < best || (estimate == best && rows > best_rows)) {
      best = estimate;
      best_rows = rows;
    }
  }
  return best_rows;
}

}  // namespace npu::compiler
