#pragma once
// `npusim --explain`: why each layer takes the time it does, and what would change that, in a few
// sentences with the numbers. A pure function of the report: it reads the layer's bound, its cycle
// breakdown, its place on the roofline, its mapping efficiency and streaming share, and the shape
// the compiler's mapping text states (implicit GEMM M, K, N and the tile), and names
//
//   - memory-bound layers: the bytes, the channel time against the array's, the intensity against
//     the ridge, and whether the bytes are mostly weights (a larger batch reuses them) or
//     activations (keeping them on chip would);
//   - compute-bound layers: how far the array's busy time is above the MACs at full rate, and which
//     loss makes up the difference: preload, fill and drain (few rows per fold), PEs the tile
//     leaves empty (the GEMM dimension that fits the array badly), padding taps; or that the array
//     runs efficiently and only a larger or faster one would help;
//   - vector-bound layers, pure data movement (vector-only and copy-only layers), hidden layers;
//   - and, where they are large, SRAM port waits, cycles with only the vector unit busy, DRAM
//     latency with little in flight, and cycles with nothing busy at all.
//
// Thresholds are named constants in explain.cpp; the choices are tested on hand-built reports
// (tests/unit/sim/explain_test.cpp).

#include <string>
#include <vector>

#include "sim/stats/report.h"

namespace npu::stats {

// One explanation per layer of `report`, in order. Sentences, no layer name, no line breaks.
std::vector<std::string> explain_layers(const Report& report);

}  // namespace npu::stats
