#pragma once
// Code generation for a tiled GEMM layer (conv2d, dense, matmul): loads of input patches and
// weight tiles, weight preloads and multiplies per array fold, requantization and stores.
//
// Weights (conv2d, dense) are packed by the compiler so that each tile is one contiguous block:
// per group, per output-channel chunk, per input-channel chunk, a row-major matrix of
// (kernel row, kernel column, input channel) x output channel. packed_weight_offset() gives where
// a tile starts. A matmul's stationary operand is an activation [K, N] read in place.

#include <cstdint>

#include "arch/arch_config.h"
#include "compiler/gemm_tiling.h"
#include "compiler/graph.h"
#include "compiler/program_builder.h"

namespace npu::compiler {

struct GemmOperands {
  uint64_t input = 0;    // activation, NHWC
  uint64_t weights = 0;  // packed weights, or the [.., K, N] activation for matmul
  uint64_t params = 0;   // requantization records, kChannelParamBytes per output channel
  uint64_t output = 0;   // activation, NHWC
  int16_t pad_value = 0;  // what padding taps read: the input's zero point
};

// Bytes of the layer's packed weights: per group, taps x Cin/groups rows of each N chunk, every
// row starting on a byte (so exactly taps x Cin x Cout x operand bytes for whole-byte formats);
// compressed N:M tiles take their K folds' DRAM bytes (compiler/compressed_weights.h).
uint64_t packed_weights_bytes(const GemmProblem& problem, const GemmTiling& tiling,
                              const Packing& packing);
// Byte offset of the packed tile (group, n_chunk, k_chunk) within the layer's weights.
uint64_t packed_weight_offset(const GemmProblem& problem, const GemmTiling& tiling,
                              const Packing& packing, int64_t group, int64_t n_chunk,
                              int64_t k_chunk);

void emit_gemm(ProgramBuilder& builder, const arch::ArchConfig& arch, const GemmProblem& problem,
               const GemmTiling& tiling, const GemmOperands& operands, Activation activation);

}  // namespace npu::compiler
