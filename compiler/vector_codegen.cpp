#include "compiler/vector_codegen.h"

#include <algorithm>
#include <cmath>

#include "arch/user_error.h"
#include "compiler/element_types.h"
#include "compiler/packing.h"
#include "compiler/row_split.h"
#include "compiler/tile_geometry.h"
#include "isa/accesses.h"

namespace npu::compiler {
namespace {

using isa::Buffer;

uint32_t u32(int64_t value) { return static_cast<uint32_t>(value); }

isa::VectorActivation vector_activation(Activation activation) {
  return static_cast<isa::VectorActivation>(static_cast<int>(activation));
}

[[noreturn]] void does_not_fit(const std::string& where, const std::string& what, int64_t bytes,
                               int64_t half) {
  throw UserError(where + ": no tile fits the SRAM buffers: " + what + " needs " +
                  std::to_string(bytes) + " B but a double-buffered half holds " +
                  std::to_string(half) + " B");
}

// A contiguous run of `rows` rows of `row_bytes` (DRAM and SRAM alike).
isa::DmaLoad contiguous_load(uint64_t dram_addr, uint32_t sram_offset, int64_t rows,
                             int64_t row_bytes) {
  isa::DmaLoad load;
  load.dram_addr = dram_addr;
  load.sram.offset = sram_offset;
  load.rows = u32(rows);
  load.row_bytes = u32(row_bytes);
  load.dram_stride = static_cast<uint64_t>(row_bytes);
  load.sram_stride = u32(row_bytes);
  return load;
}

isa::DmaStore store_rows(isa::SramAddr from, uint64_t dram_addr, int64_t rows, int64_t row_bytes,
                         int64_t dram_stride) {
  isa::DmaStore store;
  store.sram = from;
  store.dram_addr = dram_addr;
  store.rows = u32(rows);
  store.row_bytes = u32(row_bytes);
  store.sram_stride = u32(row_bytes);
  store.dram_stride = static_cast<uint64_t>(dram_stride);
  return store;
}

// Per-tile overheads and per-byte DRAM cost shared by every vector layer's row split.
struct PipelineRates {
  double dram_per_byte = 0;
  double vector_per_element = 0;
  RowCosts base;
};

PipelineRates pipeline_rates(const arch::ArchConfig& arch, int op_cycles) {
  PipelineRates rates;
  rates.dram_per_byte = 1.0 / arch.dram_bytes_per_cycle();
  rates.vector_per_element = static_cast<double>(op_cycles) / arch.vector.lanes;
  rates.base.load_per_tile =
      arch.dma.setup_cycles + arch.dram.latency_ns * arch.clock.freq_mhz / 1000.0;
  rates.base.vector_per_tile = arch.vector.pipeline_latency_cycles;
  return rates;
}

int op_cycles_of(const arch::ArchConfig& arch, isa::VectorOp op) {
  switch (op) {
    case isa::VectorOp::kSoftmax:
    case isa::VectorOp::kLayerNorm:  // softmax's cost class (sim/timing/vector_timing.cpp)
      return arch.vector.op_cycles.softmax;
    case isa::VectorOp::kMaxPool:
    case isa::VectorOp::kAvgPool:
    case isa::VectorOp::kGlobalAvgPool:
      return arch.vector.op_cycles.pool;
    case isa::VectorOp::kRequant:
      return arch.vector.op_cycles.requant;
    default:
      return arch.vector.op_cycles.eltwise;
  }
}

}  // namespace

void emit_eltwise(ProgramBuilder& builder, const arch::ArchConfig& arch, isa::VectorOp op,
                  Activation activation, const std::vector<uint64_t>& sources, uint64_t params,
                  uint64_t output, RowsByChannels shape, const std::string& where) {
  const Packing eb(arch.precision.operand);
  const int64_t row_bytes = eb.bytes(shape.channels);
  const int64_t operands = static_cast<int64_t>(sources.size());
  const int64_t input_half = builder.half_bytes(Buffer::kInput);
  const int64_t output_half = builder.half_bytes(Buffer::kOutput);
  const int64_t fitting =
      std::min({shape.rows, input_half / (operands * row_bytes), output_half / row_bytes});
  if (fitting < 1) {
    does_not_fit(where, "one row of " + std::to_string(shape.channels) + " channels",
                 operands * row_bytes, std::min(input_half / operands, output_half));
  }
  const PipelineRates rates = pipeline_rates(arch, op_cycles_of(arch, op));
  RowCosts costs = rates.base;
  costs.load_per_row = static_cast<double>(operands * row_bytes) * rates.dram_per_byte;
  costs.vector_per_row = static_cast<double>(shape.channels) * rates.vector_per_element;
  costs.store_per_row = static_cast<double>(row_bytes) * rates.dram_per_byte;
  const int64_t rows_per_tile = choose_rows_per_tile(shape.rows, fitting, costs);
  const isa::ElementType type = operand_type(arch.precision.operand);
  const int64_t params_bytes = isa::params_bytes(op, u32(shape.channels), type);
  const int64_t weight_half = builder.half_bytes(Buffer::kWeight);
  if (params_bytes > weight_half) {
    does_not_fit(where, std::string("the ") + isa::to_string(op) + " parameter block", params_bytes,
                 weight_half);
  }
  for (int64_t row0 = 0; row0 < shape.rows; row0 += rows_per_tile) {
    const int64_t rows = std::min(rows_per_tile, shape.rows - row0);
    std::vector<isa::DmaLoad> loads;
    for (int64_t s = 0; s < operands; ++s) {
      loads.push_back(contiguous_load(sources[s] + row0 * row_bytes, u32(s * rows * row_bytes),
                                      rows, row_bytes));
    }
    const isa::SramAddr in = builder.load_into_half(Buffer::kInput, std::move(loads));
    isa::VectorInstr vector;
    vector.op = op;
    vector.activation = vector_activation(activation);
    vector.src0 = in;
    if (operands > 1) {
      vector.src1 = {Buffer::kInput, u32(in.offset + rows * row_bytes)};
      vector.has_src1 = true;
    }
    if (params_bytes > 0) {
      // The same load every tile: after the first, the builder finds it still resident.
      vector.params =
          builder.load_into_half(Buffer::kWeight, {contiguous_load(params, 0, 1, params_bytes)});
      vector.has_params = true;
    }
    vector.dst = builder.scratch_half(Buffer::kOutput);
    vector.rows = u32(rows);
    vector.cols = u32(shape.channels);
    vector.src_row_stride = u32(shape.channels);
    vector.dst_row_stride = u32(shape.channels);
    vector.src_type = type;
    vector.dst_type = type;
    builder.emit(vector);
    builder.emit(store_rows(vector.dst, output + row0 * row_bytes, rows, row_bytes, row_bytes));
  }
}

void emit_window_pool(ProgramBuilder& builder, const arch::ArchConfig& arch, isa::VectorOp op,
                      uint64_t input, uint64_t output, const PoolShape& s,
                      const std::string& where, MappingObjective objective) {
  const Packing eb(arch.precision.operand);
  const int64_t input_half = builder.half_bytes(Buffer::kInput);
  const int64_t output_half = builder.half_bytes(Buffer::kOutput);
  // Widest channel chunk for which one output row fits, then the tallest band. Chunks of packed
  // int4 channels stay whole bytes.
  int64_t channels = s.channels;
  auto fits = [&](int64_t rows, int64_t ct) {
    return max_input_rows(s.window, s.in_h, rows) * s.in_w * eb.bytes(ct) <= input_half &&
           rows * s.out_w * eb.bytes(ct) <= output_half;
  };
  while (channels > eb.alignment() && !fits(1, channels)) {
    channels = (channels + 1) / 2;
    channels += channels % eb.alignment();
  }
  if (!fits(1, channels)) {
    does_not_fit(where, "one output row of " + std::to_string(channels) + " channel(s)",
                 max_input_rows(s.window, s.in_h, 1) * s.in_w * eb.bytes(channels), input_half);
  }
  int64_t tallest = 1;
  while (tallest < s.out_h && fits(tallest + 1, channels)) ++tallest;
  const PipelineRates rates = pipeline_rates(arch, op_cycles_of(arch, op));
  RowCosts costs = rates.base;
  const double input_row_bytes = static_cast<double>(s.in_w * eb.bytes(channels));
  costs.load_per_row = s.window.stride_h * input_row_bytes * rates.dram_per_byte;
  const double halo_bytes = std::max(0, s.window.kernel_h - s.window.stride_h) * input_row_bytes;
  costs.load_per_tile += halo_bytes * rates.dram_per_byte;
  costs.extra_bytes_per_tile = halo_bytes;
  costs.vector_per_row = static_cast<double>(s.out_w * channels * s.window.kernel_h *
                                             s.window.kernel_w) * rates.vector_per_element;
  costs.store_per_row = static_cast<double>(s.out_w * eb.bytes(channels)) * rates.dram_per_byte;
  const int64_t band = choose_rows_per_tile(s.out_h, tallest, costs, objective);

  for (int64_t image = 0; image < s.images; ++image) {
    for (int64_t c0 = 0; c0 < s.channels; c0 += channels) {
      const int64_t ct = std::min(channels, s.channels - c0);
      for (int64_t row0 = 0; row0 < s.out_h; row0 += band) {
        const int64_t rows = std::min(band, s.out_h - row0);
        const RowSpan span = input_rows_for(s.window, s.in_h, row0, rows);
        isa::DmaLoad load;
        load.dram_addr = input + (image * s.in_h + span.first) * s.in_w * eb.bytes(s.channels) +
                         eb.offset(c0);
        load.rows = u32(span.count * s.in_w);
        load.row_bytes = u32(eb.bytes(ct));
        load.dram_stride = static_cast<uint64_t>(eb.bytes(s.channels));
        load.sram_stride = u32(eb.bytes(ct));
        isa::VectorInstr pool;
        pool.op = op;
        pool.src0 = builder.load_into_half(Buffer::kInput, {load});
        pool.dst = builder.scratch_half(Buffer::kOutput);
        pool.rows = u32(rows * s.out_w);
        pool.cols = u32(ct);
        pool.src_row_stride = u32(ct);
        pool.dst_row_stride = u32(ct);
        pool.src_type = operand_type(arch.precision.operand);
        pool.dst_type = pool.src_type;
        pool.window = conv_window(s.window, s.in_h, s.in_w, span, ct, row0, s.out_w);
        builder.emit(pool);
        builder.emit(store_rows(
            pool.dst,
            output + (image * s.out_h + row0) * s.out_w * eb.bytes(s.channels) + eb.offset(c0),
            rows * s.out_w, eb.bytes(ct), eb.bytes(s.channels)));
      }
    }
  }
}

void emit_global_pool(ProgramBuilder& builder, const arch::ArchConfig& arch, uint64_t input,
                      uint64_t output, int64_t images, int64_t positions, int64_t channels,
                      arch::Precision output_precision, const std::string& where) {
  const Packing eb(arch.precision.operand);
  const Packing out(output_precision);
  const int64_t input_half = builder.half_bytes(Buffer::kInput);
  // Whole bytes per position: chunks of packed int4 channels are even.
  int64_t chunk = std::min(channels, input_half * 8 / (positions * eb.bits()));
  if (chunk < channels) chunk -= chunk % eb.alignment();
  if (chunk < 1) {
    does_not_fit(where, "one channel over all positions", positions * eb.bytes(eb.alignment()),
                 input_half);
  }
  for (int64_t image = 0; image < images; ++image) {
    for (int64_t c0 = 0; c0 < channels; c0 += chunk) {
      const int64_t ct = std::min(chunk, channels - c0);
      isa::DmaLoad load;
      load.dram_addr = input + image * positions * eb.bytes(channels) + eb.offset(c0);
      load.rows = u32(positions);
      load.row_bytes = u32(eb.bytes(ct));
      load.dram_stride = static_cast<uint64_t>(eb.bytes(channels));
      load.sram_stride = u32(eb.bytes(ct));
      isa::VectorInstr pool;
      pool.op = isa::VectorOp::kGlobalAvgPool;
      pool.src0 = builder.load_into_half(Buffer::kInput, {load});
      pool.dst = builder.scratch_half(Buffer::kOutput);
      pool.rows = u32(positions);
      pool.cols = u32(ct);
      pool.src_row_stride = u32(ct);
      pool.dst_row_stride = u32(ct);
      pool.src_type = operand_type(arch.precision.operand);
      pool.dst_type = operand_type(output_precision);
      builder.emit(pool);
      builder.emit(store_rows(pool.dst, output + image * out.bytes(channels) + out.offset(c0), 1,
                              out.bytes(ct), out.bytes(ct)));
    }
  }
}

TransposeTile choose_transpose_tile(const ProgramBuilder& builder, const arch::ArchConfig& arch,
                                    const TransposeShape& shape, const std::string& where) {
  const Packing eb(arch.precision.operand);
  const int64_t half =
      std::min(builder.half_bytes(Buffer::kInput), builder.half_bytes(Buffer::kOutput));
  // In elements; a packed int4 tile is cut at even rows and columns (whole bytes) and each of its
  // rows starts on a byte, hence the halving of an element's worth of room per row below.
  const int64_t capacity = half * 8 / eb.bits();
  if (capacity < eb.alignment()) does_not_fit(where, "one element", eb.bytes(1), half);
  // A load moves runs of cols elements, a store runs of rows elements (a column of the source is a
  // row of the result). Elements per DRAM access block: runs shorter than that waste bus bytes.
  const int64_t block = std::max<int64_t>(1, arch.dram.access_bytes * 8 / eb.bits());
  auto aligned = [&](TransposeTile tile) {
    const int64_t a = eb.alignment();
    if (tile.rows < shape.a && tile.rows > a) tile.rows -= tile.rows % a;
    if (tile.cols < shape.b && tile.cols > a) tile.cols -= tile.cols % a;
    while (tile.rows > 1 && (tile.rows * eb.bytes(tile.cols) > half ||
                             tile.cols * eb.bytes(tile.rows) > half)) {
      tile.rows -= std::min(tile.rows - 1, a);
    }
    return tile;
  };
  TransposeTile tile;
  if (shape.b <= capacity) {
    tile.cols = shape.b;
    tile.rows = std::min(shape.a, capacity / shape.b);
    if (tile.rows >= std::min(shape.a, block)) return aligned(tile);
  }
  int64_t side = static_cast<int64_t>(std::sqrt(static_cast<double>(capacity)));
  while (side * side > capacity) --side;
  if (side >= block) side -= side % block;
  tile.cols = std::min(shape.b, side);
  tile.rows = std::min(shape.a, capacity / tile.cols);
  tile.cols = std::min(shape.b, capacity / tile.rows);
  return aligned(tile);
}

void emit_transpose(ProgramBuilder& builder, const arch::ArchConfig& arch, uint64_t input,
                    uint64_t output, const TransposeShape& shape, TransposeTile tile) {
  const Packing eb(arch.precision.operand);
  const isa::ElementType type = operand_type(arch.precision.operand);
  for (int64_t slice = 0; slice < shape.slices; ++slice) {
    // Rows of b (source) and of a (result) elements, each starting on a byte.
    const uint64_t source = input + static_cast<uint64_t>(slice * shape.a * eb.bytes(shape.b));
    const uint64_t target = output + static_cast<uint64_t>(slice * shape.b * eb.bytes(shape.a));
    for (int64_t a0 = 0; a0 < shape.a; a0 += tile.rows) {
      const int64_t rows = std::min(tile.rows, shape.a - a0);
      for (int64_t b0 = 0; b0 < shape.b; b0 += tile.cols) {
        const int64_t cols = std::min(tile.cols, shape.b - b0);
        // Source rows a0.. of columns b0..: runs of cols elements, b apart in DRAM.
        isa::DmaLoad load;
        load.dram_addr = source + static_cast<uint64_t>(a0 * eb.bytes(shape.b) + eb.offset(b0));
        load.rows = u32(rows);
        load.row_bytes = u32(eb.bytes(cols));
        load.dram_stride = static_cast<uint64_t>(eb.bytes(shape.b));
        load.sram_stride = u32(eb.bytes(cols));
        isa::VectorInstr transpose;
        transpose.op = isa::VectorOp::kTranspose;
        transpose.src0 = builder.load_into_half(Buffer::kInput, {load});
        transpose.dst = builder.scratch_half(Buffer::kOutput);
        transpose.rows = u32(rows);
        transpose.cols = u32(cols);
        transpose.src_row_stride = u32(cols);
        transpose.dst_row_stride = u32(rows);
        transpose.src_type = type;
        transpose.dst_type = type;
        builder.emit(transpose);
        // Result rows b0.. (cols of them) of rows elements each, at column a0 of the b x a output.
        builder.emit(store_rows(transpose.dst,
                                target + static_cast<uint64_t>(b0 * eb.bytes(shape.a) +
                                                              eb.offset(a0)),
                                cols, eb.bytes(rows), eb.bytes(shape.a)));
      }
    }
  }
}

// Copies `rows` runs of `run_bytes`, `src_stride` apart from `src` to `dst_stride` apart at `dst`,
// through the input buffer in tiles of rows. A run wider than a buffer half is copied in pieces:
// the copy moves bytes, so any cut is exact.
void copy_runs(ProgramBuilder& builder, const arch::ArchConfig& arch, uint64_t src,
               int64_t src_stride, uint64_t dst, int64_t dst_stride, int64_t rows,
               int64_t run_bytes) {
  const int64_t input_half = builder.half_bytes(Buffer::kInput);
  for (int64_t piece0 = 0; piece0 < run_bytes; piece0 += input_half) {
    const int64_t piece = std::min(input_half, run_bytes - piece0);
    RowCosts costs = pipeline_rates(arch, 0).base;
    costs.load_per_row = static_cast<double>(piece) / arch.dram_bytes_per_cycle();
    costs.store_per_row = costs.load_per_row;
    const int64_t rows_per_tile =
        choose_rows_per_tile(rows, std::min(rows, input_half / piece), costs);
    for (int64_t row0 = 0; row0 < rows; row0 += rows_per_tile) {
      const int64_t n = std::min(rows_per_tile, rows - row0);
      isa::DmaLoad load = contiguous_load(src + row0 * src_stride + piece0, 0, n, piece);
      load.dram_stride = static_cast<uint64_t>(src_stride);
      const isa::SramAddr in = builder.load_into_half(Buffer::kInput, {load});
      builder.emit(store_rows(in, dst + row0 * dst_stride + piece0, n, piece, dst_stride));
    }
  }
}

void emit_slice(ProgramBuilder& builder, const arch::ArchConfig& arch, uint64_t input,
                uint64_t output, int64_t rows, int64_t row_bytes, int64_t offset_bytes,
                int64_t run_bytes) {
  copy_runs(builder, arch, input + offset_bytes, row_bytes, output, run_bytes, rows, run_bytes);
}

void emit_concat(ProgramBuilder& builder, const arch::ArchConfig& arch,
                 const std::vector<uint64_t>& sources, const std::vector<int64_t>& channels,
                 uint64_t output, int64_t rows, const std::string& where) {
  const Packing eb(arch.precision.operand);
  const int64_t input_half = builder.half_bytes(Buffer::kInput);
  int64_t total = 0;
  for (int64_t c : channels) total += c;
  int64_t offset = 0;
  for (size_t s = 0; s < sources.size(); ++s) {
    const int64_t row_bytes = eb.bytes(channels[s]);
    // An input that starts inside a byte of packed int4 channels (a KV cache of 511 + 1) is
    // stored by a DMA that shifts it by a nibble: it writes every byte its run covers. Timing
    // and traffic only: a functional run refuses it (tools/functional/functional_run.cpp).
    const int64_t first_byte = offset * eb.bits() / 8;
    const int64_t store_bytes = eb.bytes(offset + channels[s]) - first_byte;
    if (store_bytes == row_bytes) {  // whole bytes in place: a plain byte copy
      copy_runs(builder, arch, sources[s], row_bytes, output + first_byte, eb.bytes(total), rows,
                row_bytes);
      offset += channels[s];
      continue;
    }
    const int64_t fitting = std::min(rows, input_half / row_bytes);
    if (fitting < 1) does_not_fit(where, "one row of an input", row_bytes, input_half);
    RowCosts costs = pipeline_rates(arch, 0).base;
    costs.load_per_row = static_cast<double>(row_bytes) / arch.dram_bytes_per_cycle();
    costs.store_per_row = costs.load_per_row;
    const int64_t rows_per_tile = choose_rows_per_tile(rows, fitting, costs);
    for (int64_t row0 = 0; row0 < rows; row0 += rows_per_tile) {
      const int64_t n = std::min(rows_per_tile, rows - row0);
      const isa::SramAddr in = builder.load_into_half(
          Buffer::kInput, {contiguous_load(sources[s] + row0 * row_bytes, 0, n, row_bytes)});
      builder.emit(store_rows(in, output + row0 * eb.bytes(total) + first_byte, n, store_bytes,
                              eb.bytes(total)));
    }
    offset += channels[s];
  }
}

}  // namespace npu::compiler
