#include "compiler/gemm_tiling.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <numeric>
#include <set>
#include <tuple>
#include <vector>

#include "arch/dram_blocks.h"
#include "arch/user_error.h"
#include "compiler/tile_geometry.h"

namespace npu::compiler {
namespace {

int64_t ceil_div(int64_t a, int64_t b) { return (a + b - 1) / b; }

// How much more array time than the untiled layer's the traffic objective accepts.
constexpr double kArraySlack = 1.25;

// Chunk sizes worth trying for a dimension of `extent` mapped onto `array_width` PEs: multiples of
// the array width (full folds), the whole dimension, and successive halvings of both (for buffers
// too small for a full fold).
// Only multiples of `alignment` (or the whole dimension) are kept, so every chunk of packed int4
// channels starts on a byte.
std::vector<int64_t> chunk_candidates(int64_t extent, int64_t array_width, int64_t alignment) {
  std::set<int64_t> sizes{extent};
  for (int64_t size = array_width; size < extent; size += array_width) sizes.insert(size);
  for (int64_t size = extent; size > 1; size = ceil_div(size, 2)) sizes.insert(size);
  for (int64_t size = std::min(array_width, extent); size >= 1; size /= 2) sizes.insert(size);
  std::vector<int64_t> aligned;
  for (int64_t size : sizes) {
    if (size == extent || size % alignment == 0) aligned.push_back(size);
  }
  return aligned;
}

// The array's cycles for an m x k x n block under the configured dataflow: folds x (steps +
// R + C - 2), plus the stationary load or drain (R) per fold when it cannot overlap — the rules of
// docs/timing.md, as the compiler's estimate (ports assumed to keep up).
double block_cycles(const arch::ArchConfig& arch, int64_t physical_rows,
                    const isa::NmCompression& weights, int64_t m, int64_t k, int64_t n) {
  const int64_t rows = arch.array.rows;  // a fold's reach along K in weight/input stationary
  const int64_t cols = arch.array.cols;
  const int64_t pe_rows = physical_rows > 0 ? physical_rows : rows;
  const int64_t hidden_load =
      arch.array.stationary_preload == arch::StationaryPreload::kSerial ? pe_rows : 0;
  int64_t folds = 0, steps = 0;
  switch (arch.array.dataflow) {
    case arch::Dataflow::kWeightStationary:
      folds = ceil_div(k, rows) * ceil_div(n, cols), steps = m;
      break;
    case arch::Dataflow::kOutputStationary:
      // Compressed weights stream only their kept rows.
      folds = ceil_div(m, rows) * ceil_div(n, cols);
      steps = static_cast<int64_t>(
          isa::nm_kept_rows(static_cast<uint64_t>(k), weights.keep_n, weights.group_m));
      break;
    case arch::Dataflow::kInputStationary:
      folds = ceil_div(m, cols) * ceil_div(k, rows), steps = n;
      break;
  }
  return static_cast<double>(folds) * static_cast<double>(steps + pe_rows + cols - 2 + hidden_load);
}

// A dimension of `extent` cut into chunks of `chunk`: the full chunks' count and the last's size.
struct Chunks {
  int64_t full_count, full_size, rest;
};
Chunks chunks_of(int64_t extent, int64_t chunk) { return {extent / chunk, chunk, extent % chunk}; }

// DRAM bytes of moving channels [g x extent, (g + 1) x extent) of each of `rows` consecutive rows
// (NHWC: a row is a pixel of `row_elements` channels) for every group g < `groups`, in runs of
// `chunk` channels. A run narrower than the row is strided: it costs the DRAM blocks it touches
// (arch/dram_blocks.h, the simulator's rule), as if the rows were one transfer from the tensor's
// block-aligned start, so a run that straddles a block boundary in some rows costs two there
// (48-channel runs of a 96-channel int8 tensor take 1.5 blocks on average, not one). A run as wide
// as the row is contiguous: its bytes.
int64_t channel_run_bytes(int64_t rows, int64_t extent, int64_t chunk, int64_t row_elements,
                          int64_t groups, const Packing& packing, int64_t access) {
  if (rows <= 0 || extent <= 0) return 0;
  if (chunk >= row_elements) return groups * rows * packing.bytes(extent);
  const auto a = static_cast<uint64_t>(access);
  const auto row_bytes = static_cast<uint64_t>(packing.bytes(row_elements));
  auto runs_at = [&](int64_t first_element, int64_t length) {
    const auto offset = static_cast<uint64_t>(first_element * packing.bits() / 8);
    return static_cast<int64_t>(arch::dram_bus_bytes(
        {offset, static_cast<uint64_t>(rows), static_cast<uint64_t>(packing.bytes(length)),
         row_bytes},
        a));
  };
  // Chunk k of a group starts k x chunk channels in; its cost depends only on where that falls
  // within a block, which repeats every `period` chunks.
  const int64_t full = extent / chunk;
  const int64_t rest = extent % chunk;
  const auto chunk_step = static_cast<uint64_t>(packing.bytes(chunk)) % a;
  const auto period =
      static_cast<int64_t>(chunk_step == 0 ? 1 : a / std::gcd(chunk_step, a));
  int64_t total = 0;
  for (int64_t g = 0; g < groups; ++g) {
    const int64_t group_start = g * extent;
    int64_t per_period = 0, remainder = 0;
    for (int64_t k = 0; k < std::min(period, full); ++k) {
      const int64_t bytes = runs_at(group_start + k * chunk, chunk);
      per_period += bytes;
      if (k < full % period) remainder += bytes;
    }
    total += full < period ? per_period : (full / period) * per_period + remainder;
    if (rest > 0) total += runs_at(group_start + full * chunk, rest);
  }
  return total;
}

// DRAM bytes of one pass over a compressed layer's weights: every tile's K folds, each rounded up
// to whole access blocks (compiler/compressed_weights.h).
int64_t compressed_weight_pass(const GemmProblem& p, int64_t in_channels, int64_t out_channels,
                               int64_t eb) {
  const Chunks kc = chunks_of(p.cin_per_group(), in_channels);
  const Chunks nc = chunks_of(p.cout_per_group(), out_channels);
  int64_t bytes = 0;
  for (const auto& [k_n, k_size] : {std::pair{kc.full_count, kc.full_size}, {1, kc.rest}}) {
    for (const auto& [n_n, n_size] : {std::pair{nc.full_count, nc.full_size}, {1, nc.rest}}) {
      if (k_size == 0 || n_size == 0) continue;
      bytes += k_n * n_n * tile_dram_bytes(p.compression, p.taps() * k_size, n_size, eb);
    }
  }
  return bytes;
}

// Band heights worth trying: the tallest that fits, and the even splits of the output into 1..16
// bands that are no taller (smaller bands let loads and stores overlap compute sooner).
std::vector<int64_t> band_candidates(int64_t out_h, int64_t tallest) {
  std::set<int64_t> heights{tallest};
  for (int64_t bands = 1; bands <= 16; ++bands) {
    const int64_t height = ceil_div(out_h, bands);
    if (height <= tallest) heights.insert(height);
  }
  return {heights.begin(), heights.end()};
}

int64_t total_patch_rows(const GemmProblem& p, int64_t out_rows) {
  int64_t rows = 0;
  for (int64_t first = 0; first < p.out_h; first += out_rows) {
    rows += input_rows_for(p.window, p.in_h, first, std::min(out_rows, p.out_h - first)).count;
  }
  return rows;
}

struct Budget {
  int64_t input = 0, weight = 0, output = 0;  // bytes in one half of each buffer
};

Budget half_buffers(const arch::ArchConfig& arch) {
  return {arch.sram.input.size_kib * 1024 / 2, arch.sram.weight.size_kib * 1024 / 2,
          arch.sram.output.size_kib * 1024 / 2};
}

struct Estimate {
  double cycles = 0;
  int64_t dram_bytes = 0;
  double array_cycles = 0;  // the array's time for one GEMM, whatever the memory
};

// The array's cycles for one tile of `images` images sharing each staged block: in weight
// stationary their multiplies chain, streaming as one (docs/timing.md); in the other dataflows the
// array bounds M, so each image's pixels are folds of their own.
double tile_cycles(const arch::ArchConfig& arch, const GemmProblem& p, int64_t images, int64_t m,
                   int64_t k, int64_t n) {
  if (arch.array.dataflow == arch::Dataflow::kWeightStationary) {
    return block_cycles(arch, p.physical_rows, p.compression.nm, images * m, k, n);
  }
  return static_cast<double>(images) *
         block_cycles(arch, p.physical_rows, p.compression.nm, m, k, n);
}

// `patch_rows` is the sum over bands of the input rows each band loads (halo rows counted again).
// Costs are per group, over every image of the batch.
// With `shared` the band's patch is whole pixels loaded once for every group (GemmTiling::
// shared_patch), and its cost is shared out among the groups like the strided runs'.
Estimate estimate(const GemmProblem& p, const arch::ArchConfig& arch, int64_t out_rows,
                  int64_t patch_rows, int64_t in_channels, int64_t out_channels, LoopOrder order,
                  int64_t images_per_tile, bool shared) {
  const Packing eb = operand_packing(arch);
  const Packing out_eb = output_packing(p, arch);
  const int64_t cin = p.cin_per_group();
  const int64_t cout = p.cout_per_group();
  const int64_t bands = ceil_div(p.out_h, out_rows);
  const int64_t k_chunks = ceil_div(cin, in_channels);
  const int64_t n_chunks = ceil_div(cout, out_channels);
  const int64_t image_blocks = ceil_div(p.images, images_per_tile);

  // Array: every image block x band x K chunk x N chunk tile, by its shape (full or last-partial
  // in each).
  double compute = 0;
  const Chunks imgs = chunks_of(p.images, images_per_tile), band = chunks_of(p.out_h, out_rows),
               kc = chunks_of(cin, in_channels), nc = chunks_of(cout, out_channels);
  for (const auto& [img_n, img_size] : {std::pair{imgs.full_count, imgs.full_size}, {1, imgs.rest}}) {
    for (const auto& [bands_n, band_rows] : {std::pair{band.full_count, band.full_size}, {1, band.rest}}) {
      for (const auto& [k_n, k_size] : {std::pair{kc.full_count, kc.full_size}, {1, kc.rest}}) {
        for (const auto& [n_n, n_size] : {std::pair{nc.full_count, nc.full_size}, {1, nc.rest}}) {
          if (img_size == 0 || band_rows == 0 || k_size == 0 || n_size == 0 ||
              img_n * bands_n * k_n * n_n == 0) {
            continue;
          }
          compute += static_cast<double>(img_n * bands_n * k_n * n_n) *
                     tile_cycles(arch, p, img_size, band_rows * p.out_w, p.taps() * k_size,
                                 n_size);
        }
      }
    }
  }

  // DRAM: input patches (halo rows counted per band), weights, outputs. A tile is reloaded unless
  // the loop order keeps it resident (the only tile of its kind in the inner loops). Strided runs
  // narrower than the DRAM access block cost whole blocks.
  const int64_t access = arch.dram.access_bytes;
  // Per group: the groups' runs sit at different places within the DRAM blocks, so they are
  // counted together and shared out.
  auto per_group_of = [&](int64_t all_groups) { return ceil_div(all_groups, p.groups); };
  // A shared patch is every group's channels at once: whole pixels, one contiguous run per row.
  const int64_t input_pass = per_group_of(
      shared ? channel_run_bytes(patch_rows * p.in_w, p.in_c, p.in_c, p.in_c, 1, eb, access)
             : channel_run_bytes(patch_rows * p.in_w, cin, in_channels, p.in_c, p.groups, eb,
                                 access));
  const int64_t weight_pass =
      p.weights_are_activations
          ? per_group_of(channel_run_bytes(cin, cout, out_channels, p.out_c, p.groups, eb, access))
      : p.compression.compressed()
          ? compressed_weight_pass(p, in_channels, out_channels, eb.offset(1)) +
                cout * kChannelParamBytes
          : p.taps() * cin * eb.bytes(cout) + cout * kChannelParamBytes;
  const bool by_channels = order == LoopOrder::kOutputChannelsOuter;
  const int64_t input_loads =
      (k_chunks == 1 && (!by_channels || (bands == 1 && image_blocks == 1))) ? 1 : n_chunks;
  // Between two uses of a weight tile the loop order visits the others of its cycle, and the
  // weight buffer's two halves keep the two used last: with groups outermost the cycle is one
  // group's n-chunks; with a shared patch the groups of a band (and, in m>n>k, their n-chunks)
  // take turns, so more than two tiles in the cycle reload every band.
  const int64_t shared_cycle = by_channels ? p.groups : p.groups * n_chunks;
  const bool weights_resident =
      k_chunks == 1 && (shared ? (shared_cycle <= 2 || bands * image_blocks == 1)
                               : (by_channels || n_chunks == 1));
  // A matmul's stationary operand is each image's own activation, loaded per image.
  const int64_t weight_loads =
      p.weights_are_activations ? p.images * (weights_resident ? 1 : bands)
                                : (weights_resident ? 1 : image_blocks * bands);
  const int64_t output_bytes = per_group_of(channel_run_bytes(
      p.out_h * p.out_w, cout, out_channels, p.out_c, p.groups, out_eb, access));
  const int64_t per_group =
      p.images * (input_pass * input_loads + output_bytes) + weight_pass * weight_loads;

  // The load engine also spends its setup on every transfer: one per fold's weight rows (and the
  // records with the last K chunk) and one per sub-band of the patch, each time a tile is loaded.
  // Small tiles of a batch-1 dense layer move so few bytes per transfer that this is their cost.
  const int64_t k_step_rows = arch::fold_limits(arch.array).k;
  auto folds_of = [&](int64_t k_size) {
    return k_step_rows > 0 ? ceil_div(p.taps() * k_size, k_step_rows) : int64_t{1};
  };
  const int64_t weight_transfers_per_pass =
      n_chunks * ((k_chunks - 1) * folds_of(std::min(in_channels, cin)) +
                  folds_of(cin - (k_chunks - 1) * in_channels) + 1);
  const int64_t band_pixels_all = std::min(out_rows, p.out_h) * p.out_w;
  const int64_t m_fold = arch::fold_limits(arch.array).m;
  const int64_t patch_transfers_per_image =
      bands * k_chunks *
      sub_band_count(band_pixels_all, m_fold > 0 ? m_fold : p.out_w, arch.array.rows);
  // A shared patch's transfers serve every group: each group's share.
  const double transfers =
      static_cast<double>(weight_transfers_per_pass * weight_loads) +
      static_cast<double>(patch_transfers_per_image * p.images * input_loads) /
          static_cast<double>(shared ? p.groups : 1);
  const double bytes_per_cycle = arch.dram_bytes_per_cycle();
  const double memory = static_cast<double>(per_group) / bytes_per_cycle +
                        transfers * static_cast<double>(arch.dma.setup_cycles);
  const double requant_per_element =
      static_cast<double>(arch.vector.op_cycles.requant) / arch.vector.lanes;
  const double vector =
      static_cast<double>(p.images * p.out_h * p.out_w * cout) * requant_per_element;
  const double latency = static_cast<double>(arch.dram.latency_ns * arch.clock.freq_mhz / 1000.0);

  // Nothing overlaps the first sub-band's loads (with the first fold's weights) or the last
  // sub-band's requantization and store (compiler/gemm_codegen.h).
  const int64_t ct = std::min(in_channels, cin);
  const int64_t patch_c = shared ? p.in_c : ct;  // the channels a patch pixel holds
  const int64_t nt = std::min(out_channels, cout);
  const int64_t first_images = std::min(images_per_tile, p.images);
  // Sub-bands hold whole output rows, or whole folds when the array bounds M.
  const int64_t m_limit = arch::fold_limits(arch.array).m;
  const int64_t band_pixels = std::min(out_rows, p.out_h) * p.out_w;
  const int64_t align = m_limit > 0 ? m_limit : p.out_w;
  const int64_t sub_pixels = std::min(
      band_pixels,
      align * ceil_div(ceil_div(band_pixels, align), sub_band_count(band_pixels, align, arch.array.rows)));
  const int64_t sub_rows = ceil_div(sub_pixels, p.out_w);
  const int64_t first_fold_k = arch::fold_limits(arch.array).k > 0
                                   ? std::min(arch::fold_limits(arch.array).k, p.taps() * ct)
                                   : p.taps() * ct;
  // The patch's loads move whole DRAM blocks, as input_pass counts them: a group's strided runs
  // cost more than their bytes where they straddle blocks, a shared patch's whole pixels do not.
  const int64_t pass_payload = patch_rows * p.in_w * eb.bytes(cin);
  const double patch_overfetch =
      shared || pass_payload == 0
          ? 1.0
          : static_cast<double>(input_pass) / static_cast<double>(pass_payload);
  const double first_loads =
      static_cast<double>(max_input_rows(p.window, p.in_h, sub_rows) * p.in_w *
                          eb.bytes(patch_c)) * patch_overfetch +
      static_cast<double>(first_fold_k * eb.bytes(nt));
  // The first fold streams the whole tile (every image's band, chained), so it cannot run ahead of
  // the tile's first patches: when they take longer to arrive than the fold takes to stream, the
  // difference is exposed too.
  const double first_patch =
      static_cast<double>(first_images *
                          max_input_rows(p.window, p.in_h, std::min(out_rows, p.out_h)) * p.in_w *
                          eb.bytes(patch_c)) * patch_overfetch;
  const double first_fold_stream = m_limit > 0 ? static_cast<double>(m_limit)
                                               : static_cast<double>(first_images * band_pixels);
  const double prologue = first_loads / bytes_per_cycle + latency +
                          std::max(0.0, first_patch / bytes_per_cycle - first_fold_stream);
  const double last_tile = static_cast<double>(sub_pixels * nt);
  const double last_tile_bytes = static_cast<double>(sub_pixels * out_eb.bytes(nt));
  // Mirror image: the last fold finishes every sub-band's outputs as it streams the tile, so the
  // tile's stores can run only that far ahead of the array's end.
  const double tile_outputs = static_cast<double>(first_images * band_pixels * out_eb.bytes(nt));
  const double epilogue = last_tile * requant_per_element + last_tile_bytes / bytes_per_cycle +
                          latency +
                          std::max(0.0, tile_outputs / bytes_per_cycle - first_fold_stream);
  const double steady = std::max({compute, memory, vector});
  return {static_cast<double>(p.groups) * steady + prologue + epilogue, p.groups * per_group,
          compute};
}

// How many images a tile may hold: several only when a band is the whole output (the patch of one
// image is contiguous rows) and the stationary operand is shared (not a matmul's per-image one).
std::vector<int64_t> images_per_tile_candidates(const GemmProblem& p, int64_t out_rows) {
  std::set<int64_t> counts{1};
  if (out_rows >= p.out_h && !p.weights_are_activations) {
    for (int64_t count = 2; count < p.images; count *= 2) counts.insert(count);
    counts.insert(p.images);
  }
  return {counts.begin(), counts.end()};
}

}  // namespace

int64_t sub_band_count(int64_t pixels, int64_t align, int64_t array_rows) {
  const int64_t units = ceil_div(pixels, align);
  const int64_t by_size = std::max<int64_t>(1, pixels / (4 * array_rows));
  return std::max<int64_t>(1, std::min({units, kSubBandsPerTile, by_size}));
}

const char* to_string(LoopOrder order) {
  switch (order) {
    case LoopOrder::kOutputChannelsOuter:
      return "n>m>k";
    case LoopOrder::kRowsOuter:
      return "m>n>k";
  }
  return "?";
}

Packing operand_packing(const arch::ArchConfig& arch) { return Packing(arch.precision.operand); }

Packing output_packing(const GemmProblem& problem, const arch::ArchConfig& arch) {
  return Packing(problem.output_precision.value_or(arch.precision.operand));
}

bool can_share_patch(const GemmProblem& problem, int64_t in_channels) {
  return problem.groups > 1 && !problem.weights_are_activations &&
         in_channels >= problem.cin_per_group();
}

TileFootprint gemm_footprint(const GemmProblem& problem, const arch::ArchConfig& arch,
                             int64_t out_rows, int64_t in_channels, int64_t out_channels,
                             int64_t images_per_tile, bool shared_patch) {
  const Packing eb = operand_packing(arch);
  const Packing out_eb = output_packing(problem, arch);
  const int64_t acc_bytes = isa::kAccumulatorBytes;  // int32 or fp32, as the program lays them out
  TileFootprint footprint;
  footprint.input_bytes = images_per_tile * max_input_rows(problem.window, problem.in_h, out_rows) *
                          problem.in_w * eb.bytes(shared_patch ? problem.in_c : in_channels);
  footprint.weight_bytes =
      (problem.compression.compressed()
           ? tile_bytes(problem.compression, problem.taps() * in_channels, out_channels,
                        eb.offset(1))
           : problem.taps() * in_channels * eb.bytes(out_channels)) +
      out_channels * kChannelParamBytes;
  footprint.output_bytes = images_per_tile * out_rows * problem.out_w *
                           (out_channels * acc_bytes + out_eb.bytes(out_channels));
  return footprint;
}

GemmTiling choose_gemm_tiling(const GemmProblem& problem, const arch::ArchConfig& arch,
                              const std::string& where, MappingObjective objective) {
  const Budget budget = half_buffers(arch);
  GemmTiling best;
  bool found = false;
  // The traffic objective looks only at tilings whose array time is within kArraySlack of the
  // whole layer's as one tile: the fewest bytes bought with tiny tiles can cost several times the
  // time (a 3.6% saving for 5.5x the cycles on ResNet-50's layer4.0.downsample with twice the
  // SRAM). The bound depends on neither the bandwidth nor the SRAM, so more of either only adds
  // candidates and the fewest bytes can only fall. Without any such tiling, all compete.
  const double array_bound =
      kArraySlack * tile_cycles(arch, problem, problem.images,
                                problem.out_h * problem.out_w,
                                problem.taps() * problem.cin_per_group(), problem.cout_per_group());
  bool best_within_bound = false;
  // Ties go to the bigger tile: fewer instructions for the same cost.
  auto better = [&](const Estimate& e, int64_t tile_volume, const GemmTiling& current,
                    int64_t current_volume) {
    if (objective == MappingObjective::kDramTraffic) {
      const bool within = e.array_cycles <= array_bound;
      return std::make_tuple(!within, e.dram_bytes, e.cycles, -tile_volume) <
             std::make_tuple(!best_within_bound, current.estimated_dram_bytes,
                             current.estimated_cycles, -current_volume);
    }
    return std::make_tuple(e.cycles, e.dram_bytes, -tile_volume) <
           std::make_tuple(current.estimated_cycles, current.estimated_dram_bytes, -current_volume);
  };
  int64_t best_volume = 0;
  std::map<int64_t, int64_t> patch_rows_of;  // band height -> input rows loaded over all bands

  const int64_t alignment =
      std::max(operand_packing(arch).alignment(), output_packing(problem, arch).alignment());
  for (int64_t in_channels : chunk_candidates(problem.cin_per_group(), arch.array.rows, alignment)) {
    // Compressed weights keep N of every M input channels of a tap: a chunk holds whole groups.
    if (problem.compression.compressed() && in_channels % problem.compression.nm.group_m != 0) {
      continue;
    }
    for (int64_t out_channels :
         chunk_candidates(problem.cout_per_group(), arch.array.cols, alignment)) {
      if (gemm_footprint(problem, arch, 1, in_channels, out_channels).weight_bytes > budget.weight) {
        continue;
      }
      for (bool shared : {false, true}) {
        if (shared && !can_share_patch(problem, in_channels)) continue;
        // The tallest band whose patch and accumulators fit.
        int64_t tallest = 0;
        for (int64_t lo = 1, hi = problem.out_h; lo <= hi;) {
          const int64_t mid = (lo + hi) / 2;
          const TileFootprint f =
              gemm_footprint(problem, arch, mid, in_channels, out_channels, 1, shared);
          if (f.input_bytes <= budget.input && f.output_bytes <= budget.output) {
            tallest = mid;
            lo = mid + 1;
          } else {
            hi = mid - 1;
          }
        }
        if (tallest == 0) continue;
        for (int64_t out_rows : band_candidates(problem.out_h, tallest)) {
          auto [cached, inserted] = patch_rows_of.try_emplace(out_rows, 0);
          if (inserted) cached->second = total_patch_rows(problem, out_rows);
          for (int64_t images : images_per_tile_candidates(problem, out_rows)) {
            const TileFootprint f = gemm_footprint(problem, arch, out_rows, in_channels,
                                                   out_channels, images, shared);
            if (f.input_bytes > budget.input || f.output_bytes > budget.output) continue;
            for (LoopOrder order : {LoopOrder::kOutputChannelsOuter, LoopOrder::kRowsOuter}) {
              const Estimate e = estimate(problem, arch, out_rows, cached->second, in_channels,
                                          out_channels, order, images, shared);
              const int64_t volume = images * out_rows * in_channels * out_channels;
              if (!found || better(e, volume, best, best_volume)) {
                best = {out_rows, in_channels, out_channels, order,
                        images,   shared,      e.cycles,     e.dram_bytes};
                best_volume = volume;
                best_within_bound = e.array_cycles <= array_bound;
                found = true;
              }
            }
          }
        }
      }
    }
  }
  if (!found) {
    const TileFootprint smallest = gemm_footprint(problem, arch, 1, 1, 1);
    throw UserError(where +
                    ": no tile fits the SRAM buffers: the smallest tile (one output row, one "
                    "input and one output channel) needs " +
                    std::to_string(smallest.input_bytes) + " B of input, " +
                    std::to_string(smallest.weight_bytes) + " B of weight and " +
                    std::to_string(smallest.output_bytes) +
                    " B of output buffer per double-buffered half; the halves hold " +
                    std::to_string(budget.input) + ", " + std::to_string(budget.weight) +
                    " and " + std::to_string(budget.output) + " B");
  }
  return best;
}

}  // namespace npu::compiler
