#include "sim/timing/systolic_timing.h"

#include <algorithm>

#include "sim/timing/dram_timing.h"

namespace npu::timing {

uint64_t preload_cycles(const arch::ArchConfig& arch, uint32_t k_rows, uint32_t n_cols) {
  if (k_rows == 0 || n_cols == 0) return 0;
  // The weight buffer must also deliver the block; a narrow port stretches the shift-in.
  uint64_t block_bytes = uint64_t{k_rows} * n_cols * arch::element_bytes(arch.precision.operand);
  uint64_t port_cycles = ceil_div(block_bytes, arch.sram.weight.bytes_per_cycle);
  return std::max<uint64_t>(arch.array.rows, port_cycles);
}

uint64_t stream_interval(const arch::ArchConfig& arch, uint32_t k_rows, uint32_t n_cols) {
  const uint64_t operand_bytes = arch::element_bytes(arch.precision.operand);
  const uint64_t acc_bytes = arch.precision.accumulator_bits / 8;
  uint64_t input_cycles = ceil_div(k_rows * operand_bytes, arch.sram.input.bytes_per_cycle);
  // Reads and writes of the output buffer use separate ports of bytes_per_cycle each.
  uint64_t output_cycles = ceil_div(n_cols * acc_bytes, arch.sram.output.bytes_per_cycle);
  return std::max<uint64_t>({1, input_cycles, output_cycles});
}

uint64_t multiply_cycles(const arch::ArchConfig& arch, uint32_t m_rows, uint32_t k_rows,
                         uint32_t n_cols) {
  if (m_rows == 0 || k_rows == 0 || n_cols == 0) return 0;
  const uint64_t rows = arch.array.rows;
  const uint64_t cols = arch.array.cols;
  return m_rows * stream_interval(arch, k_rows, n_cols) + rows + cols - 2;
}

}  // namespace npu::timing
