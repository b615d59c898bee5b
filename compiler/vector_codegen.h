#pragma once
// Code generation for the layers that run on the vector unit (element-wise ops, pooling, softmax,
// layer norm, transpose) or on the DMA alone (concat). Each is tiled to fit one half of the input
// and output buffers, so consecutive tiles overlap their loads, vector work and stores. `where`
// names the layer and its place in the workload for the error when no tile fits.

#include <cstdint>
#include <string>
#include <vector>

#include "arch/arch_config.h"
#include "compiler/graph.h"
#include "compiler/mapping_objective.h"
#include "compiler/program_builder.h"
#include "isa/instruction.h"

namespace npu::compiler {

// A tensor as rows x channels: rows = every position but the last axis.
struct RowsByChannels {
  int64_t rows = 0;
  int64_t channels = 0;
};

// dst = op(sources...) over rows x channels, tiled by whole rows: element-wise ops (add, mul, act,
// scale_shift) and the per-row ops (softmax, layernorm). Sources and result are in the operand
// type. `params` is the DRAM address of the op's parameter block (docs/numerics.md,
// isa::params_bytes(op, channels, operand type)), loaded once into a half of the weight buffer that
// every tile then reuses; an op whose block is 0 bytes (float act, float softmax) loads none and
// ignores `params`.
void emit_eltwise(ProgramBuilder& builder, const arch::ArchConfig& arch, isa::VectorOp op,
                  Activation activation, const std::vector<uint64_t>& sources, uint64_t params,
                  uint64_t output, RowsByChannels shape, const std::string& where);

// Windowed max/avg pooling of NHWC `input` [images, in_h, in_w, channels].
struct PoolShape {
  int64_t images = 1, in_h = 1, in_w = 1, channels = 1, out_h = 1, out_w = 1;
  Window window;
};
void emit_window_pool(ProgramBuilder& builder, const arch::ArchConfig& arch, isa::VectorOp op,
                      uint64_t input, uint64_t output, const PoolShape& shape,
                      const std::string& where,
                      MappingObjective objective = MappingObjective::kLatency);

// Mean over H x W per channel: [images, positions, channels] -> [images, channels].
// `output_precision` may be wider than the design's (int4 in, int8 out for an int8 reader): the
// mean keeps its scale and zero point, and every int4 value is an int8 one.
void emit_global_pool(ProgramBuilder& builder, const arch::ArchConfig& arch, uint64_t input,
                      uint64_t output, int64_t images, int64_t positions, int64_t channels,
                      arch::Precision output_precision, const std::string& where);

// The last two axes swapped: `slices` matrices of a x b (every leading index of [..., a, b] is a
// slice) become b x a. Each slice is cut into tiles of rows x cols source elements that fit a half
// of the input and of the output buffer; each tile is loaded, transposed by vec.transpose and
// stored at its transposed place (strided in both directions).
struct TransposeShape {
  int64_t slices = 1, a = 1, b = 1;
};
struct TransposeTile {
  int64_t rows = 1, cols = 1;  // of the source: rows along a, cols along b
};
// Whole source rows (contiguous loads) when that leaves at least one DRAM access block of rows for
// each stored run, else square-ish tiles with sides in whole access blocks, so that neither the
// loads' runs nor the stores' runs fall below a block. Throws UserError when not even one element
// fits.
TransposeTile choose_transpose_tile(const ProgramBuilder& builder, const arch::ArchConfig& arch,
                                    const TransposeShape& shape, const std::string& where);
void emit_transpose(ProgramBuilder& builder, const arch::ArchConfig& arch, uint64_t input,
                    uint64_t output, const TransposeShape& shape, TransposeTile tile);

// A slice: from each of `rows` rows of `input` (`row_bytes` apart) the run of `run_bytes` at
// `offset_bytes` is copied, the runs landing one after another at `output`; runs wider than a
// buffer half go in pieces.
void emit_slice(ProgramBuilder& builder, const arch::ArchConfig& arch, uint64_t input,
                uint64_t output, int64_t rows, int64_t row_bytes, int64_t offset_bytes,
                int64_t run_bytes);

// Concatenation along channels: each source [rows, its channels] lands at its channel offset.
void emit_concat(ProgramBuilder& builder, const arch::ArchConfig& arch,
                 const std::vector<uint64_t>& sources, const std::vector<int64_t>& channels,
                 uint64_t output, int64_t rows, const std::string& where);

}  // namespace npu::compiler
