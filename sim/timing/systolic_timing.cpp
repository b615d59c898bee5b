#include "sim/timing/systolic_timing.h"

#include <algorithm>

#include "sim/timing/dram_timing.h"

namespace npu::timing {
namespace {

// Accumulators are 4 bytes (int32 for int8 operands, fp32 for floats; docs/numerics.md).
constexpr uint64_t kAccumulatorBytes = 4;

uint64_t port_cycles(uint64_t bytes, int bytes_per_cycle) {
  return ceil_div(bytes, static_cast<uint64_t>(bytes_per_cycle));
}

// Bytes of a run of `elements` operands, packed (int4: two per byte, rounded up).
uint64_t bytes(const arch::ArchConfig& arch, uint64_t elements) {
  return static_cast<uint64_t>(
      arch::packed_bytes(arch.precision.operand, static_cast<int64_t>(elements)));
}

}  // namespace

uint64_t preload_cycles(const arch::ArchConfig& arch, uint32_t k_rows, uint32_t n_cols,
                        const isa::NmCompression& compression) {
  if (k_rows == 0 || n_cols == 0) return 0;
  if (arch.array.dataflow != arch::Dataflow::kWeightStationary) return 0;
  // An ideal memory never limits the shift-in (docs/timing.md, "Ideal memory").
  if (arch.memory.ideal) return arch.array.rows;
  // k rows of n weights, each row whole bytes (packed int4: n / 2 rounded up); compressed (whole-
  // byte operands only), the kept rows and their indices.
  const uint64_t block = compression.compressed()
                             ? isa::nm_block_bytes(k_rows, n_cols, compression, bytes(arch, 1))
                             : uint64_t{k_rows} * bytes(arch, n_cols);
  return std::max<uint64_t>(arch.array.rows, port_cycles(block, arch.sram.weight.bytes_per_cycle));
}

uint64_t stream_steps(const arch::ArchConfig& arch, uint32_t m_rows, uint32_t k_rows,
                      uint32_t n_cols, const isa::NmCompression& weights) {
  switch (arch.array.dataflow) {
    case arch::Dataflow::kWeightStationary:
      return m_rows;
    case arch::Dataflow::kOutputStationary:
      return isa::nm_kept_rows(k_rows, weights.keep_n, weights.group_m);
    case arch::Dataflow::kInputStationary:
      return n_cols;
  }
  return 0;
}

uint64_t stream_interval(const arch::ArchConfig& arch, uint32_t m_rows, uint32_t k_rows,
                         uint32_t n_cols, const isa::NmCompression& weights) {
  // An ideal memory's ports never limit: one step per cycle (docs/timing.md, "Ideal memory").
  if (arch.memory.ideal) return 1;
  const arch::SramConfig& sram = arch.sram;
  uint64_t slowest = 1;
  switch (arch.array.dataflow) {
    case arch::Dataflow::kWeightStationary:
      // A step brings k inputs (one per row) and takes out n accumulators (one per column).
      slowest = std::max({slowest, port_cycles(bytes(arch, k_rows), sram.input.bytes_per_cycle),
                          port_cycles(n_cols * kAccumulatorBytes, sram.output.bytes_per_cycle)});
      break;
    case arch::Dataflow::kOutputStationary:
      // A step brings m inputs (one per row) and n weights (one per column); results stay put.
      // Compressed: a step brings n kept weights with their indices, and each row takes the M
      // inputs of its group once per N steps: ceil(m x M / N) inputs per step.
      slowest = std::max(
          {slowest,
           port_cycles(
               weights.compressed()
                   ? (uint64_t{m_rows} * weights.group_m * bytes(arch, 1) + weights.keep_n - 1) /
                         weights.keep_n
                   : bytes(arch, m_rows),
               sram.input.bytes_per_cycle),
           port_cycles(
               bytes(arch, n_cols) +
                   (weights.compressed() ? isa::nm_index_bytes(n_cols, weights.index_bits) : 0),
               sram.weight.bytes_per_cycle)});
      break;
    case arch::Dataflow::kInputStationary:
      // A step brings k weights (one per row) and takes out m accumulators (one per column);
      // compressed, the kept ones with their indices.
      slowest = std::max(
          {slowest,
           port_cycles(weights.compressed() ? isa::nm_block_bytes(k_rows, 1, weights, bytes(arch, 1))
                                            : bytes(arch, k_rows),
                       sram.weight.bytes_per_cycle),
           port_cycles(m_rows * kAccumulatorBytes, sram.output.bytes_per_cycle)});
      break;
  }
  return slowest;
}

MultiplyTiming multiply_timing(const arch::ArchConfig& arch, uint32_t m_rows, uint32_t k_rows,
                               uint32_t n_cols, const isa::NmCompression& weights) {
  MultiplyTiming timing;
  if (m_rows == 0 || k_rows == 0 || n_cols == 0) return timing;
  const uint64_t rows = arch.array.rows;
  const uint64_t cols = arch.array.cols;
  const uint64_t interval = stream_interval(arch, m_rows, k_rows, n_cols, weights);
  switch (arch.array.dataflow) {
    case arch::Dataflow::kWeightStationary:
      timing.stream = m_rows * interval + rows + cols - 2;
      break;
    case arch::Dataflow::kOutputStationary:
      timing.stream =
          stream_steps(arch, m_rows, k_rows, n_cols, weights) * interval + rows + cols - 2;
      // The finished outputs shift out of the PEs, one row per cycle, through the output port.
      timing.drain = arch.memory.ideal
                         ? rows
                         : std::max<uint64_t>(rows, port_cycles(uint64_t{m_rows} * n_cols *
                                                                     kAccumulatorBytes,
                                                                 arch.sram.output.bytes_per_cycle));
      break;
    case arch::Dataflow::kInputStationary:
      // The k x m input tile shifts into the PEs like a weight-stationary preload.
      timing.setup = arch.memory.ideal
                         ? rows
                         : std::max<uint64_t>(rows, port_cycles(uint64_t{k_rows} * bytes(arch, m_rows),
                                                                arch.sram.input.bytes_per_cycle));
      timing.stream = n_cols * interval + rows + cols - 2;
      break;
  }
  return timing;
}

}  // namespace npu::timing
