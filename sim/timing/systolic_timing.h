#pragma once
// Cycle rules of the systolic array for each dataflow (derivations and worked examples in
// docs/timing.md, "Systolic array").
//
// The array has R rows and C columns. A fold computes a block of the GEMM: one operand is held in
// the PEs (stationary), the other streams through for `steps` cycles, partial sums move one PE per
// cycle. With the GEMM block m x k x n:
//
//   dataflow            rows  cols  steps  stationary load          drain
//   weight stationary    k     n     m     weights: preload, R      -
//   output stationary    m     n     k     -                        outputs: R
//   input stationary     k     m     n     inputs: R (per multiply) -
//
// Streaming takes steps x interval + R + C - 2 cycles: the operand entering row r at step s is at
// PE (r, c) at cycle s + r + c, so the last of `steps` leaves the far corner after
// (steps - 1) + (R - 1) + (C - 1) + 1 cycles. `interval` is 1 unless an SRAM port cannot feed one
// step per cycle. Data cross the whole array whatever the block's size, so fill and drain use R
// and C. With serial stationary loads a fold costs 2R + C + steps - 2 in every dataflow, the count
// of published systolic-array models (e.g. SCALE-Sim); double-buffered PE registers let the
// stationary load or drain of one fold overlap the streaming of another (sim/modules).

#include <cstdint>

#include "arch/arch_config.h"
#include "isa/nm_compression.h"

namespace npu::timing {

// Cycles a preload occupies the array: weight stationary shifts the block into the PEs (R cycles,
// or longer if the weight buffer's port cannot deliver k x n elements in R); in the other
// dataflows the weights stream during each multiply and a preload costs nothing.
// A compressed block (isa/nm_compression.h) moves its kept values and indices through the port
// instead of k x n values.
uint64_t preload_cycles(const arch::ArchConfig& arch, uint32_t k_rows, uint32_t n_cols,
                        const isa::NmCompression& compression = {});

// The parts of one multiply of an m x k x n block.
struct MultiplyTiming {
  uint64_t setup = 0;   // input stationary: the k x m input tile shifts into the PEs
  uint64_t stream = 0;  // steps x interval + R + C - 2
  uint64_t drain = 0;   // output stationary: the m x n outputs shift out of the PEs
  uint64_t total() const { return setup + stream + drain; }
};
// `weights`: how the weights this multiply streams are stored (output and input stationary
// stream them from the weight buffer). Compressed N:M weights (docs/sparsity.md) stream only the
// kept values with their indices: output stationary takes kept_rows(k) steps instead of k, each
// bringing n kept weights and their indices while every PE row receives the M inputs of a group
// per N steps; input stationary brings kept_rows(k) weights and indices per step.
MultiplyTiming multiply_timing(const arch::ArchConfig& arch, uint32_t m_rows, uint32_t k_rows,
                               uint32_t n_cols, const isa::NmCompression& weights = {});

// Cycles between successive steps: the slowest SRAM port feeding a step's operands or taking its
// results (1 when every port keeps up).
uint64_t stream_interval(const arch::ArchConfig& arch, uint32_t m_rows, uint32_t k_rows,
                         uint32_t n_cols, const isa::NmCompression& weights = {});

// The steps a multiply streams: m (weight stationary), k or its kept rows (output stationary),
// n (input stationary).
uint64_t stream_steps(const arch::ArchConfig& arch, uint32_t m_rows, uint32_t k_rows,
                      uint32_t n_cols, const isa::NmCompression& weights = {});

// A multiply's cycles with serial stationary loads: setup + stream + drain.
inline uint64_t multiply_cycles(const arch::ArchConfig& arch, uint32_t m_rows, uint32_t k_rows,
                                uint32_t n_cols, const isa::NmCompression& weights = {}) {
  return multiply_timing(arch, m_rows, k_rows, n_cols, weights).total();
}

}  // namespace npu::timing
