#pragma once
// Tiling of a convolution, dense or matmul layer for the systolic array (docs/compiler.md).
//
// The layer is an implicit GEMM per image and group: M = output pixels (out_h x out_w), K = kernel
// taps x input channels, N = output channels. A tile is a band of whole output rows (M), a chunk of
// input channels (K, with all kernel taps) and a chunk of output channels (N). Each SRAM buffer is
// split in two halves so the next tile loads while the current one computes; a tile's input patch,
// weights (+ per-channel parameters) and accumulators must each fit in half of their buffer.
//
// The tiler tries chunk sizes that fill the array (multiples of its rows/columns) or the whole
// dimension, the tallest band that fits, and both loop orders, and keeps the choice with the least
// estimated time: max(array time, DRAM time) plus the first tile's load, which cannot overlap
// (or, with the DRAM-traffic objective, the least estimated traffic, then the least time).

#include <cstdint>
#include <optional>
#include <string>

#include "arch/arch_config.h"
#include "compiler/compressed_weights.h"
#include "compiler/graph.h"
#include "compiler/mapping_objective.h"
#include "compiler/packing.h"
#include "isa/accesses.h"

namespace npu::compiler {

struct GemmProblem {
  int64_t images = 1;  // GEMMs run one after another: batch (conv) or leading dims (matmul)
  int64_t in_h = 1, in_w = 1, in_c = 1;
  int64_t out_h = 1, out_w = 1, out_c = 1;
  Window window;
  int64_t groups = 1;
  // The layer's groups packed into each of `groups`: their weights form the diagonal blocks of one
  // weight matrix, zero elsewhere (compiler/compile.cpp, pack_groups). 1 when not packed.
  int64_t packed_groups = 1;
  bool weights_are_activations = false;  // matmul: the stationary operand is a [K, N] activation
  // Skipped N:M weights move and sit compressed (compiler/compressed_weights.h); off when dense.
  WeightCompression compression;
  // The precision the requantization writes the output in, when it is not the operands' (a
  // mixed-precision workload: the next layer reads another format, docs/workloads.md).
  std::optional<arch::Precision> output_precision;
  // The array's physical PE rows when the arch the tiler is given has array.rows set to the K
  // reach of a fold instead (sub-word packing: p x R, compiler/compile.cpp); fill, drain and the
  // preload's shift still cross the physical rows. 0: array.rows is physical.
  int64_t physical_rows = 0;

  int64_t cin_per_group() const { return in_c / groups; }
  int64_t cout_per_group() const { return out_c / groups; }
  // Per group of the layer as written (before packing).
  int64_t layer_cin_per_group() const { return cin_per_group() / packed_groups; }
  int64_t layer_cout_per_group() const { return cout_per_group() / packed_groups; }
  int64_t taps() const { return int64_t{window.kernel_h} * window.kernel_w; }
};

// Within each group; images (the batch) run in blocks of GemmTiling::images_per_tile, inside the
// output-channel loop so a resident weight tile serves every image. With a shared patch
// (GemmTiling::shared_patch) the group loop moves inside the row band instead of outermost:
// n>m>k runs for n-chunk: for images: for row band: for group, and m>n>k runs for images: for
// row band: for group: for n-chunk.
enum class LoopOrder {
  kOutputChannelsOuter,  // for n-chunk: for images: for row band: for k-chunk — weights stay
  kRowsOuter,            // for images: for row band: for n-chunk: for k-chunk — the patch stays
};
const char* to_string(LoopOrder order);

struct GemmTiling {
  int64_t out_rows = 1;      // output rows per band
  int64_t in_channels = 1;   // input channels per K chunk (per group)
  int64_t out_channels = 1;  // output channels per N chunk (per group)
  LoopOrder order = LoopOrder::kOutputChannelsOuter;
  // Images sharing one tile when a band is the whole output: each weight block staged in the array
  // streams every image's pixels before the next (in weight stationary the multiplies chain), so a
  // batch pays for its weights once per tile, not once per image.
  int64_t images_per_tile = 1;
  // Grouped layers (groups > 1) whose groups each take one K chunk: each band's patch is loaded
  // once as whole pixels (all in_c channels, contiguous in DRAM) and every group's tiles of the
  // band read their own channels from it (isa::ConvWindow's channel slice). Group-by-group
  // patches are strided runs of a group's channels, which cost whole DRAM blocks where they
  // straddle them; the groups of a band are emitted next to each other so the patch stays.
  bool shared_patch = false;
  double estimated_cycles = 0;
  int64_t estimated_dram_bytes = 0;
};

struct TileFootprint {
  int64_t input_bytes = 0;   // the input patch
  int64_t weight_bytes = 0;  // weights plus per-channel parameters
  int64_t output_bytes = 0;  // 4-byte accumulators (int32 or fp32) plus the requantized tile
};

constexpr int64_t kChannelParamBytes = isa::kRequantParamBytes;

// A tile is loaded, computed, requantized and stored in up to this many row sub-bands, so its
// first loads and last stores are a small part of its time (compiler/gemm_codegen.cpp).
constexpr int64_t kSubBandsPerTile = 8;

// How many sub-bands a tile of `pixels` output pixels gets, in units of `align` pixels: each holds
// at least four array rows' worth of pixels, because every sub-band adds loads, a requantization
// and a store to the streams' queues, and a small tile gains nothing from being cut.
int64_t sub_band_count(int64_t pixels, int64_t align, int64_t array_rows);

// The packing of the layer's operands (the arch's operand precision) and of its output.
Packing operand_packing(const arch::ArchConfig& arch);
Packing output_packing(const GemmProblem& problem, const arch::ArchConfig& arch);

// With `shared_patch` the input patch holds whole pixels (all in_c channels).
TileFootprint gemm_footprint(const GemmProblem& problem, const arch::ArchConfig& arch,
                             int64_t out_rows, int64_t in_channels, int64_t out_channels,
                             int64_t images_per_tile = 1, bool shared_patch = false);

// Whether the tiles of a problem with `in_channels` per K chunk may share whole-pixel patches
// across groups: grouped, and one K chunk per group (a chunk of a group's channels would need
// its own patch anyway).
bool can_share_patch(const GemmProblem& problem, int64_t in_channels);

// Throws npu::UserError when no tile fits the buffers; `where` names the layer and its place in
// the workload (compiler::layer_location).
GemmTiling choose_gemm_tiling(const GemmProblem& problem, const arch::ArchConfig& arch,
                              const std::string& where,
                              MappingObjective objective = MappingObjective::kLatency);

}  // namespace npu::compiler
