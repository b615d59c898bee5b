#pragma once
// How many rows per tile a vector or copy layer should use.
//
// Tiles pipeline: while the vector unit works on one, the DMA loads the next and stores the
// previous. One big tile overlaps nothing (load, compute and store run back to back); many small
// ones pay per-tile overheads. With per-tile costs load(r), vector(r), store(r) for r rows, the
// estimate is
//   tiles x max(load + store, vector) + load + vector + store
// (loads and stores share the DRAM channel; the first load and the last compute and store cannot
// overlap), minimised over the tallest tile that fits and even splits into up to 64 tiles.

#include <cstdint>

#include "compiler/mapping_objective.h"

namespace npu::compiler {

struct RowCosts {
  double load_per_row = 0;    // DRAM cycles to load one row's inputs
  double vector_per_row = 0;  // vector cycles per row
  double store_per_row = 0;   // DRAM cycles to store one row's result
  double load_per_tile = 0;   // fixed cost per tile: DMA setup and latency, pooling halo rows
  double vector_per_tile = 0; // pipeline latency
  // DRAM bytes each tile moves besides its rows' own (pooling halo rows, loaded again per tile).
  double extra_bytes_per_tile = 0;
};

// With the DRAM-traffic objective, the fewest extra bytes come first (so the fewest tiles when
// tiles re-read halo rows), then the least time.
int64_t choose_rows_per_tile(int64_t total_rows, int64_t max_rows, const RowCosts& costs,
                             MappingObjective objective = MappingObjective::kLatency);

}  // namespace npu::compiler
