#pragma once
// Cycle rules of a weight-stationary systolic array of R rows x C columns (derivation and worked
// example in docs/timing.md).
//
// A fold holds a k x n block of weights (k <= R, n <= C) in the PEs and streams m rows of the
// input matrix through them. Per fold:
//   preload  = R cycles. Weights shift down each column one row per cycle; the shift chain is R
//              registers deep whatever k is, so placing any block costs R cycles. With serial
//              preload (no shadow weight registers) nothing else runs meanwhile.
//   multiply = m * interval + R + C - 2 cycles. Input row m enters PE row r at cycle m + r (the
//              skew), crosses C columns, and its partial sums leave the bottom of column c at
//              cycle m + (R - 1) + c; the last result (m - 1, C - 1) is out after
//              (m - 1) + (R - 1) + (C - 1) + 1 = m + R + C - 2 cycles.
//              `interval` is 1 unless the buffers cannot feed one input row or absorb one output
//              row per cycle, in which case each row waits for the slowest port.
// Together: 2R + C + m - 2 per fold, the classic count of published systolic-array models
// (e.g. SCALE-Sim's weight-stationary fold).

#include <cstdint>

#include "arch/arch_config.h"

namespace npu::timing {

uint64_t preload_cycles(const arch::ArchConfig& arch, uint32_t k_rows, uint32_t n_cols);

// Cycles between successive input rows entering the array: the worst of the input buffer's read
// port (k_rows operands) and the output buffer's write port (n_cols accumulators). Accumulating
// also reads the old partial sums, but through the separate read port at the same rate.
uint64_t stream_interval(const arch::ArchConfig& arch, uint32_t k_rows, uint32_t n_cols);

uint64_t multiply_cycles(const arch::ArchConfig& arch, uint32_t m_rows, uint32_t k_rows,
                         uint32_t n_cols);

}  // namespace npu::timing
