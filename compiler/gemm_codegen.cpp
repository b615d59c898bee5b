#include "compiler/gemm_codegen.h"

#include <algorithm>
#include <optional>

#include "compiler/element_types.h"
#include "compiler/tile_geometry.h"
#include "isa/accesses.h"

namespace npu::compiler {
namespace {

using isa::Buffer;


int64_t ceil_div(int64_t a, int64_t b) { return (a + b - 1) / b; }

uint32_t u32(int64_t value) { return static_cast<uint32_t>(value); }

isa::VectorActivation vector_activation(Activation activation) {
  return static_cast<isa::VectorActivation>(static_cast<int>(activation));
}

// Emits a GEMM layer's output tiles (bands of rows x chunks of output channels, per image and
// group), K chunk by K chunk.
class TileEmitter {
 public:
  TileEmitter(ProgramBuilder& builder, const arch::ArchConfig& arch, const GemmProblem& problem,
              const GemmTiling& tiling, const GemmOperands& operands, Activation activation)
      : m_builder(builder),
        m_arch(arch),
        m_p(problem),
        m_t(tiling),
        m_ops(operands),
        m_activation(activation),
        m_eb(operand_packing(arch)),
        m_out(output_packing(problem, arch)),
        m_acc_bytes(isa::kAccumulatorBytes) {}

  // Output tiles in the order they are computed: images first_image .. first_image + images - 1
  // share the tile's weights (GemmTiling::images_per_tile).
  struct TileCoords {
    int64_t first_image = 0, images = 1, group = 0, band = 0, n_chunk = 0;
  };

  // Software pipelining over every (tile, K chunk) in order: each chunk's first loads are emitted
  // before the previous chunk's multiplies, also across tiles. The controller dispatches in program
  // order, so loads emitted after a chunk's multiplies could start only once all but a queue's
  // worth of those were dispatched, and the array would run dry while they stream
  // (docs/compiler.md). Buffer halves alternate, and the dependency pass orders each load after
  // the multiplies (and requantization) that still read its half.
  void emit_all(const std::vector<TileCoords>& order) {
    std::vector<Tile> tiles;
    tiles.reserve(order.size());
    for (const TileCoords& coords : order) tiles.push_back(describe_tile(coords));
    std::vector<std::pair<size_t, int64_t>> steps;  // (tile, K chunk)
    for (size_t t = 0; t < tiles.size(); ++t) {
      for (int64_t c = 0; c < tiles[t].k_chunks; ++c) steps.emplace_back(t, c);
    }
    if (steps.empty()) return;
    ChunkPlan current = begin_chunk(tiles[steps[0].first], steps[0].second);
    for (size_t i = 0; i < steps.size(); ++i) {
      Tile& tile = tiles[steps[i].first];
      // The next step's first loads follow this step's last: emitted any earlier, they would
      // hold back the loads this step's later folds wait for.
      std::optional<ChunkPlan> next;
      auto begin_next = [&] {
        if (!next && i + 1 < steps.size()) {
          next = begin_chunk(tiles[steps[i + 1].first], steps[i + 1].second);
        }
      };
      if (steps[i].second == 0) tile.acc = m_builder.scratch_half(Buffer::kOutput);
      finish_chunk(current, tile.acc, tile.nt, tile.sub_bands, tile.image_acc_bytes, begin_next);
      begin_next();
      if (steps[i].second == tile.k_chunks - 1) {
        emit_requant_and_stores(tile, current.weights, current.params_offset);
      }
      if (next) current = std::move(*next);
    }
  }

 private:
  // Pixels [first_pixel, first_pixel + pixels) of a band (its output rows first_row ..
  // first_row + rows - 1 hold them).
  struct SubBand {
    int64_t first_row = 0;
    int64_t rows = 0;
    int64_t first_pixel = 0;
    int64_t pixels = 0;
  };

  // One output tile: a band of rows x a chunk of output channels of one group, for one or more
  // images. Each image's patch, accumulators and requantized outputs follow the previous image's
  // in their halves, image_patch_bytes / image_acc_bytes / image_out_bytes apart.
  struct Tile {
    TileCoords at;
    int64_t out_row0 = 0, out_rows = 0;
    int64_t n0 = 0, nt = 0;
    int64_t k_chunks = 0;
    RowSpan span;
    std::vector<SubBand> sub_bands;
    int64_t image_acc_bytes = 0;
    int64_t image_out_bytes = 0;
    isa::SramAddr acc;  // its accumulators: an output half taken when its first chunk computes
  };

  Tile describe_tile(const TileCoords& at) const {
    Tile tile;
    tile.at = at;
    tile.out_row0 = at.band * m_t.out_rows;
    tile.out_rows = std::min(m_t.out_rows, m_p.out_h - tile.out_row0);
    tile.n0 = at.n_chunk * m_t.out_channels;
    tile.nt = std::min(m_t.out_channels, m_p.cout_per_group() - tile.n0);
    tile.k_chunks = ceil_div(m_p.cin_per_group(), m_t.in_channels);
    tile.span = input_rows_for(m_p.window, m_p.in_h, tile.out_row0, tile.out_rows);
    tile.sub_bands = split_into_sub_bands(tile.out_row0, tile.out_rows);
    const int64_t pixels = tile.out_rows * m_p.out_w;
    tile.image_acc_bytes = pixels * tile.nt * m_acc_bytes;
    tile.image_out_bytes = pixels * m_out.bytes(tile.nt);
    return tile;
  }

  // Requantize and store sub-band by sub-band, image by image, so the first results leave while
  // the array still works on the last rows.
  void emit_requant_and_stores(const Tile& tile, const isa::SramAddr& weights,
                               int64_t params_offset) {
    const int64_t nt = tile.nt;
    const isa::SramAddr& acc = tile.acc;
    const int64_t out_offset = acc.offset + tile.at.images * tile.image_acc_bytes;
    for (int64_t i = 0; i < tile.at.images; ++i) {
      const int64_t image = tile.at.first_image + i;
      for (const SubBand& sub : tile.sub_bands) {
        isa::VectorInstr requant;
        requant.op = isa::VectorOp::kRequant;
        requant.activation = vector_activation(m_activation);
        requant.src0 = {Buffer::kOutput, u32(acc.offset + i * tile.image_acc_bytes +
                                             sub.first_pixel * nt * m_acc_bytes)};
        // The records came in with the last K chunk's weight tile, right after the weights.
        requant.params = {Buffer::kWeight, u32(weights.offset + params_offset)};
        requant.has_params = true;
        requant.dst = {Buffer::kOutput, u32(out_offset + i * tile.image_out_bytes +
                                            sub.first_pixel * m_out.bytes(nt))};
        requant.rows = u32(sub.pixels);
        requant.cols = u32(nt);
        requant.src_row_stride = u32(nt);
        requant.dst_row_stride = u32(nt);
        requant.src_type = accumulator_type(m_arch.precision.operand);
        requant.dst_type =
            operand_type(m_p.output_precision.value_or(m_arch.precision.operand));
        m_builder.emit(requant);

        isa::DmaStore store;
        store.sram = requant.dst;
        store.dram_addr =
            m_ops.output +
            ((image * m_p.out_h + tile.out_row0) * m_p.out_w + sub.first_pixel) *
                m_out.bytes(m_p.out_c) +
            m_out.offset(tile.at.group * m_p.cout_per_group() + tile.n0);
        store.rows = u32(sub.pixels);
        store.row_bytes = u32(m_out.bytes(nt));
        store.sram_stride = u32(m_out.bytes(nt));
        store.dram_stride = static_cast<uint64_t>(m_out.bytes(m_p.out_c));
        m_builder.emit(store);
      }
    }
  }

  // sub_band_count() sub-bands as even as the alignment allows: whole output rows when M
  // streams (weight stationary, so patch loads stay whole rows), whole folds when the array bounds M
  // (so no fold is cut short).
  std::vector<SubBand> split_into_sub_bands(int64_t out_row0, int64_t out_rows) const {
    const int64_t pixels = out_rows * m_p.out_w;
    const int64_t m_limit = arch::fold_limits(m_arch.array).m;
    const int64_t align = m_limit > 0 ? m_limit : m_p.out_w;
    const int64_t units = ceil_div(pixels, align);
    const int64_t count = sub_band_count(pixels, align, m_arch.array.rows);
    std::vector<SubBand> sub_bands;
    for (int64_t i = 0, unit = 0; i < count; ++i) {
      const int64_t take = (units - unit) / (count - i);  // as even as whole units allow
      const int64_t first_pixel = unit * align;
      const int64_t last_pixel = std::min(pixels, (unit + take) * align) - 1;
      const int64_t first_row = out_row0 + first_pixel / m_p.out_w;
      const int64_t last_row = out_row0 + last_pixel / m_p.out_w;
      sub_bands.push_back({first_row, last_row - first_row + 1, first_pixel,
                           last_pixel - first_pixel + 1});
      unit += take;
    }
    return sub_bands;
  }

  // The input patch of the band, for each of the tile's images in turn, loaded sub-band by
  // sub-band: each load brings the rows the next sub-band needs that earlier loads did not.
  // A shared patch (GemmTiling::shared_patch) is whole pixels, the same loads for every group, so
  // the groups after the first find it resident.
  ProgramBuilder::Claim claim_patch(const TileCoords& at, int64_t c0, int64_t ct,
                                    const RowSpan& span, const std::vector<SubBand>& sub_bands) {
    std::vector<isa::DmaLoad> loads;
    const int64_t first_channel = m_t.shared_patch ? 0 : at.group * m_p.cin_per_group() + c0;
    const int64_t patch_c = m_t.shared_patch ? m_p.in_c : ct;
    const int64_t row_bytes = m_p.in_w * m_eb.bytes(patch_c);
    for (int64_t i = 0; i < at.images; ++i) {
      const int64_t image = at.first_image + i;
      const int64_t image_offset = i * span.count * row_bytes;
      int64_t loaded_end = span.first;
      for (const SubBand& sub : sub_bands) {
        const RowSpan needed = input_rows_for(m_p.window, m_p.in_h, sub.first_row, sub.rows);
        const int64_t from = std::max(loaded_end, needed.first);
        const int64_t to = needed.first + needed.count;
        if (to <= from) continue;
        isa::DmaLoad load;
        load.dram_addr = m_ops.input +
                         (image * m_p.in_h + from) * m_p.in_w * m_eb.bytes(m_p.in_c) +
                         m_eb.offset(first_channel);
        load.sram.offset = u32(image_offset + (from - span.first) * row_bytes);
        load.rows = u32((to - from) * m_p.in_w);
        load.row_bytes = u32(m_eb.bytes(patch_c));
        load.dram_stride = static_cast<uint64_t>(m_eb.bytes(m_p.in_c));
        load.sram_stride = u32(m_eb.bytes(patch_c));
        loads.push_back(load);
        loaded_end = to;
      }
    }
    return m_builder.claim_half(Buffer::kInput, std::move(loads));
  }

  // The weight tile for (k_chunk, n_chunk), plus the output channels' parameters when
  // params_offset >= 0 (with the last K chunk, whose half is the one still resident at requant).
  // Loaded one fold's rows (k_step) at a time, so the first preload waits only for its own.
  ProgramBuilder::Claim claim_weights(int64_t image, int64_t group, int64_t n_chunk,
                                      int64_t k_chunk, int64_t c0, int64_t ct, int64_t n0,
                                      int64_t nt, int64_t k_step, int64_t params_offset) {
    std::vector<isa::DmaLoad> loads;
    const int64_t k_tile = m_p.taps() * ct;
    const WeightCompression& compression = m_p.compression;
    for (int64_t kf = 0; kf < k_tile; kf += k_step) {
      isa::DmaLoad tile;
      if (compression.compressed()) {
        // One contiguous block per K fold: its column blocks' kept values and indices.
        const int64_t bytes = fold_bytes(compression, std::min(k_step, k_tile - kf), nt, m_eb.offset(1));
        tile.rows = 1;
        tile.row_bytes = u32(bytes);
        tile.sram_stride = u32(bytes);
        tile.sram.offset = u32(fold_offset(compression, kf, nt, m_eb.offset(1)));
        tile.dram_addr = m_ops.weights +
                         packed_weight_offset(m_p, m_t, m_eb, group, n_chunk, k_chunk) +
                         static_cast<uint64_t>(fold_dram_offset(compression, kf, nt, m_eb.offset(1)));
        tile.dram_stride = tile.row_bytes;
        loads.push_back(tile);
        continue;
      }
      tile.row_bytes = u32(m_eb.bytes(nt));
      tile.sram_stride = u32(m_eb.bytes(nt));
      tile.sram.offset = u32(kf * m_eb.bytes(nt));
      tile.rows = u32(std::min(k_step, k_tile - kf));
      if (m_p.weights_are_activations) {
        // [images][K][N] with K = input channels, read in place.
        tile.dram_addr = m_ops.weights + (image * m_p.in_c + c0 + kf) * m_eb.bytes(m_p.out_c) +
                         m_eb.offset(n0);
        tile.dram_stride = static_cast<uint64_t>(m_eb.bytes(m_p.out_c));
      } else {
        tile.dram_addr = m_ops.weights +
                         packed_weight_offset(m_p, m_t, m_eb, group, n_chunk, k_chunk) +
                         static_cast<uint64_t>(kf * m_eb.bytes(nt));
        tile.dram_stride = tile.row_bytes;
      }
      loads.push_back(tile);
    }
    if (params_offset >= 0) {
      isa::DmaLoad params;
      params.dram_addr = m_ops.params + (group * m_p.cout_per_group() + n0) * kChannelParamBytes;
      params.sram.offset = u32(params_offset);
      params.rows = 1;
      params.row_bytes = u32(nt * kChannelParamBytes);
      params.dram_stride = params.row_bytes;
      params.sram_stride = params.row_bytes;
      loads.push_back(params);
    }
    return m_builder.claim_half(Buffer::kWeight, std::move(loads));
  }

  // One K chunk of a tile: where its patch and weights are and the weight loads still to emit.
  struct ChunkPlan {
    int64_t k_chunk = 0;
    int64_t images = 1;
    int64_t image_patch_bytes = 0;  // one image's patch; the next image's follows
    int64_t k_tile = 0;
    int64_t k_step = 0;
    int64_t params_offset = 0;
    isa::SramAddr patch;
    isa::SramAddr weights;
    isa::ConvWindow window;
    std::vector<isa::DmaLoad> weight_loads;
    size_t next_load = 0;
    size_t fold_loads = 0;  // the weight loads before the parameter records, if these come too
    size_t lookahead = 1;

    void emit_weight_loads_up_to(ProgramBuilder& builder, size_t end) {
      for (; next_load < std::min(end, weight_loads.size()); ++next_load) {
        builder.emit(weight_loads[next_load]);
      }
    }
  };

  // Claims the chunk's halves and emits its first loads: the first fold's weights, then the patch
  // sub-band by sub-band, then the next folds' weights up to half a queue ahead (the load stream
  // is in order, and this is the order the array needs them in). Later folds' weights go out with
  // the fold half a queue before them, in finish_chunk: a deep tile's loads all ahead of its
  // multiplies would let a full load queue hold back the matrix stream.
  ChunkPlan begin_chunk(const Tile& tile, int64_t k_chunk) {
    const int64_t image = tile.at.first_image, group = tile.at.group, n_chunk = tile.at.n_chunk;
    const int64_t n0 = tile.n0, nt = tile.nt, k_chunks = tile.k_chunks;
    const RowSpan& span = tile.span;
    const std::vector<SubBand>& sub_bands = tile.sub_bands;
    const int64_t out_row0 = tile.out_row0;
    const arch::FoldLimits limits = arch::fold_limits(m_arch.array);
    const int64_t c0 = k_chunk * m_t.in_channels;
    const int64_t ct = std::min(m_t.in_channels, m_p.cin_per_group() - c0);
    ChunkPlan plan;
    plan.k_chunk = k_chunk;
    plan.k_tile = m_p.taps() * ct;
    plan.k_step = limits.k > 0 ? limits.k : plan.k_tile;
    plan.params_offset = m_p.compression.compressed()
                             ? tile_bytes(m_p.compression, plan.k_tile, nt, m_eb.offset(1))
                             : plan.k_tile * m_eb.bytes(nt);
    plan.images = tile.at.images;
    const int64_t patch_c = m_t.shared_patch ? m_p.in_c : ct;
    plan.image_patch_bytes = span.count * m_p.in_w * m_eb.bytes(patch_c);
    ProgramBuilder::Claim patch_claim = claim_patch(tile.at, c0, ct, span, sub_bands);
    ProgramBuilder::Claim weight_claim =
        claim_weights(image, group, n_chunk, k_chunk, c0, ct, n0, nt, plan.k_step,
                      k_chunk == k_chunks - 1 ? plan.params_offset : -1);
    plan.patch = patch_claim.half;
    plan.weights = weight_claim.half;
    plan.weight_loads = std::move(weight_claim.loads);
    const bool with_records = k_chunk == k_chunks - 1 && !plan.weight_loads.empty();
    plan.fold_loads = plan.weight_loads.size() - (with_records ? 1 : 0);
    plan.lookahead = static_cast<size_t>(std::max(1, m_arch.controller.queue_depth / 2));
    plan.window = conv_window(m_p.window, m_p.in_h, m_p.in_w, span, patch_c, out_row0, m_p.out_w);
    plan.window.pad_value = m_ops.pad_value;
    if (m_t.shared_patch) {  // this group's channels of the whole pixels
      plan.window.channel_offset = u32(group * m_p.cin_per_group() + c0);
      plan.window.channels = u32(ct);
    }
    plan.emit_weight_loads_up_to(m_builder, 1);
    for (const isa::DmaLoad& load : patch_claim.loads) m_builder.emit(load);
    plan.emit_weight_loads_up_to(m_builder, 1 + plan.lookahead);
    return plan;
  }

  // The chunk's folds. The dataflow bounds two of m, k, n by the array and the third streams
  // whole. Each staged weight block serves every sub-band before the next is staged; in weight
  // stationary the sub-bands' multiplies chain, streaming as one.
  // `after_loads` runs once the chunk's last load is emitted, before the multiplies that follow.
  template <typename AfterLoads>
  void finish_chunk(ChunkPlan& plan, const isa::SramAddr& acc, int64_t nt,
                    const std::vector<SubBand>& sub_bands, int64_t image_acc_bytes,
                    AfterLoads&& after_loads) {
    const arch::FoldLimits limits = arch::fold_limits(m_arch.array);
    const int64_t n_step = limits.n > 0 ? limits.n : nt;
    // K folds outermost: each fold's weight rows serve every column block before the next rows
    // are needed, so the loads spread evenly over the multiplies.
    for (int64_t kf = 0; kf < plan.k_tile; kf += plan.k_step) {
      plan.emit_weight_loads_up_to(m_builder,
                                   static_cast<size_t>(kf / plan.k_step) + 1 + plan.lookahead);
      if (plan.next_load >= plan.fold_loads) {
        plan.emit_weight_loads_up_to(m_builder, plan.weight_loads.size());  // the records
        after_loads();
      }
      for (int64_t nf = 0; nf < nt; nf += n_step) {
        const int64_t kr = std::min(plan.k_step, plan.k_tile - kf);
        const int64_t nr = std::min(n_step, nt - nf);
        isa::MatrixPreload preload;
        preload.weights = {Buffer::kWeight,
                           u32(plan.weights.offset + kf * m_eb.bytes(nt) + m_eb.offset(nf))};
        preload.k_rows = u32(kr);
        preload.n_cols = u32(nr);
        preload.row_stride = u32(nt);
        if (m_p.compression.compressed()) {
          const WeightCompression& c = m_p.compression;
          preload.weights.offset = u32(plan.weights.offset + fold_offset(c, kf, nt, m_eb.offset(1)) +
                                       column_block_offset(c, kr, nt, nf, m_eb.offset(1)));
          preload.row_stride = u32(nr);
          preload.compression = c.nm;
        }
        m_builder.emit(preload);
        for (int64_t i = 0; i < plan.images; ++i) {
          for (const SubBand& sub : sub_bands) {
            const int64_t m_step = limits.m > 0 ? limits.m : sub.pixels;
            for (int64_t mf = sub.first_pixel; mf < sub.first_pixel + sub.pixels; mf += m_step) {
              isa::MatrixMultiply multiply;
              multiply.input = {plan.patch.buffer, u32(plan.patch.offset + i * plan.image_patch_bytes)};
              multiply.window = plan.window;
              multiply.m_begin = u32(mf);
              multiply.m_rows = u32(std::min(m_step, sub.first_pixel + sub.pixels - mf));
              multiply.k_begin = u32(kf);
              multiply.k_rows = u32(kr);
              multiply.n_cols = u32(nr);
              multiply.acc = {Buffer::kOutput, u32(acc.offset + i * image_acc_bytes +
                                                   (mf * nt + nf) * m_acc_bytes)};
              multiply.acc_row_stride = u32(nt);
              multiply.accumulate = plan.k_chunk > 0 || kf > 0;
              m_builder.emit(multiply);
            }
          }
        }
      }
    }
    // The parameter records, when not emitted yet.
    plan.emit_weight_loads_up_to(m_builder, plan.weight_loads.size());
  }

  ProgramBuilder& m_builder;
  const arch::ArchConfig& m_arch;
  const GemmProblem& m_p;
  const GemmTiling& m_t;
  const GemmOperands& m_ops;
  Activation m_activation;
  Packing m_eb;   // the layer's operands: input patches and weights
  Packing m_out;  // its requantized output
  // The array writes 4-byte accumulators (int32 or fp32, isa::MatrixMultiply) whatever
  // precision.accumulator_bits says; that key only sizes the timing model's output-port traffic.
  int64_t m_acc_bytes;
};

// Compressed tiles are laid out in the same order, each tile taking its K folds' DRAM bytes.
uint64_t compressed_weight_offset(const GemmProblem& problem, const GemmTiling& tiling, int64_t eb,
                                  int64_t group, int64_t n_chunk, int64_t k_chunk) {
  const int64_t cin = problem.cin_per_group();
  const int64_t cout = problem.cout_per_group();
  int64_t offset = 0;
  for (int64_t g = 0; g <= group; ++g) {
    for (int64_t n0 = 0, nc = 0; n0 < cout; n0 += tiling.out_channels, ++nc) {
      const int64_t nt = std::min(tiling.out_channels, cout - n0);
      for (int64_t c0 = 0, kc = 0; c0 < cin; c0 += tiling.in_channels, ++kc) {
        if (g == group && nc == n_chunk && kc == k_chunk) return static_cast<uint64_t>(offset);
        const int64_t ct = std::min(tiling.in_channels, cin - c0);
        offset += tile_dram_bytes(problem.compression, problem.taps() * ct, nt, eb);
      }
    }
  }
  return static_cast<uint64_t>(offset);  // one past the last tile: the layer's size
}

}  // namespace

uint64_t packed_weights_bytes(const GemmProblem& problem, const GemmTiling& tiling,
                              const Packing& packing) {
  // Compressed tiles (whole-byte operands only: the compiler skips nothing narrower) are padded
  // as compiler/compressed_weights.h says.
  if (problem.compression.compressed()) {
    return compressed_weight_offset(problem, tiling, packing.offset(1), problem.groups, 0, 0);
  }
  const int64_t cout = problem.cout_per_group();
  const int64_t full = cout / tiling.out_channels, rest = cout % tiling.out_channels;
  const int64_t row_bytes = full * packing.bytes(tiling.out_channels) + packing.bytes(rest);
  return static_cast<uint64_t>(problem.groups * problem.taps() * problem.cin_per_group() *
                               row_bytes);
}

uint64_t packed_weight_offset(const GemmProblem& problem, const GemmTiling& tiling,
                              const Packing& packing, int64_t group, int64_t n_chunk,
                              int64_t k_chunk) {
  const int64_t cin = problem.cin_per_group();
  const int64_t cout = problem.cout_per_group();
  if (problem.compression.compressed()) {
    return compressed_weight_offset(problem, tiling, packing.offset(1), group, n_chunk, k_chunk);
  }
  const int64_t group_bytes =
      static_cast<int64_t>(packed_weights_bytes(problem, tiling, packing)) / problem.groups;
  // Every earlier n-chunk is full width; within this n-chunk every earlier k-chunk is full depth.
  // Each tile row (one reduction element's nt weights) starts on a byte.
  const int64_t nt = std::min(tiling.out_channels, cout - n_chunk * tiling.out_channels);
  const int64_t earlier_n = n_chunk * problem.taps() * cin * packing.bytes(tiling.out_channels);
  const int64_t earlier_k = k_chunk * problem.taps() * tiling.in_channels * packing.bytes(nt);
  return static_cast<uint64_t>(group * group_bytes + earlier_n + earlier_k);
}

void emit_gemm(ProgramBuilder& builder, const arch::ArchConfig& arch, const GemmProblem& problem,
               const GemmTiling& tiling, const GemmOperands& operands, Activation activation) {
  TileEmitter tiles(builder, arch, problem, tiling, operands, activation);
  const int64_t bands = ceil_div(problem.out_h, tiling.out_rows);
  const int64_t n_chunks = ceil_div(problem.cout_per_group(), tiling.out_channels);
  // A matmul's stationary operand is per image, so its images never share a tile.
  const int64_t images_per_tile = problem.weights_are_activations ? 1 : tiling.images_per_tile;
  std::vector<TileEmitter::TileCoords> order;
  auto for_each_image_block = [&](auto&& visit) {
    for (int64_t first = 0; first < problem.images; first += images_per_tile) {
      visit(first, std::min(images_per_tile, problem.images - first));
    }
  };
  if (tiling.shared_patch) {
    // The groups of a band next to each other, so each finds the band's whole-pixel patch still
    // in its half (gemm_tiling.h, LoopOrder).
    if (tiling.order == LoopOrder::kOutputChannelsOuter) {
      for (int64_t n = 0; n < n_chunks; ++n) {
        for_each_image_block([&](int64_t first, int64_t images) {
          for (int64_t band = 0; band < bands; ++band) {
            for (int64_t group = 0; group < problem.groups; ++group) {
              order.push_back({first, images, group, band, n});
            }
          }
        });
      }
    } else {
      for_each_image_block([&](int64_t first, int64_t images) {
        for (int64_t band = 0; band < bands; ++band) {
          for (int64_t group = 0; group < problem.groups; ++group) {
            for (int64_t n = 0; n < n_chunks; ++n) order.push_back({first, images, group, band, n});
          }
        }
      });
    }
    tiles.emit_all(order);
    return;
  }
  for (int64_t group = 0; group < problem.groups; ++group) {
    if (tiling.order == LoopOrder::kOutputChannelsOuter) {
      for (int64_t n = 0; n < n_chunks; ++n) {
        for_each_image_block([&](int64_t first, int64_t images) {
          for (int64_t band = 0; band < bands; ++band) {
            order.push_back({first, images, group, band, n});
          }
        });
      }
    } else {
      for_each_image_block([&](int64_t first, int64_t images) {
        for (int64_t band = 0; band < bands; ++band) {
          for (int64_t n = 0; n < n_chunks; ++n) order.push_back({first, images, group, band, n});
        }
      });
    }
  }
  tiles.emit_all(order);
}

}  // namespace npu::compiler
