#include "compiler/row_split.h"

#include <algorithm>
#include <set>
#include <utility>

namespace npu::compiler {

int64_t choose_rows_per_tile(int64_t total_rows, int64_t max_rows, const RowCosts& c,
                             MappingObjective objective) {
  max_rows = std::min(max_rows, total_rows);
  std::set<int64_t> candidates{max_rows};
  for (int64_t tiles = 1; tiles <= 64; ++tiles) {
    const int64_t rows = (total_rows + tiles - 1) / tiles;
    if (rows <= max_rows) candidates.insert(rows);
  }
  int64_t best_rows = max_rows;
  double best = -1;
  double best_extra = 0;
  for (int64_t rows : candidates) {
    const double r = static_cast<double>(rows);
    const double tiles = static_cast<double>((total_rows + rows - 1) / rows);
    const double load = c.load_per_tile + r * c.load_per_row;
    const double vector = c.vector_per_tile + r * c.vector_per_row;
    const double store = r * c.store_per_row;
    const double estimate = tiles * std::max(load + store, vector) + load + vector + store;
    const double extra = objective == MappingObjective::kDramTraffic
                             ? tiles * c.extra_bytes_per_tile
                             : 0.0;
    // Ties go to the taller tile: fewer instructions for the same cost.
    if (best < 0 || std::make_pair(extra, estimate) < std::make_pair(best_extra, best) ||
        (extra == best_extra && estimate == best && rows > best_rows)) {
      best = estimate;
      best_extra = extra;
      best_rows = rows;
    }
  }
  return best_rows;
}

}  // namespace npu::compiler
