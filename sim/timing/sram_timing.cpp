#include "sim/timing/sram_timing.h"

#include <algorithm>
#include <cassert>
#include <variant>

#include "sim/timing/dram_timing.h"

namespace npu::timing {

BankLoad::BankLoad(const arch::SramBufferConfig& buffer)
    : m_banks(static_cast<uint64_t>(buffer.banks)),
      m_word_bytes(static_cast<uint64_t>(buffer.bytes_per_cycle / buffer.banks)),
      m_change(m_banks + 1, 0) {
  assert(buffer.banks > 0 && buffer.bytes_per_cycle % buffer.banks == 0 && m_word_bytes > 0);
}

void BankLoad::add_words(uint64_t first, uint64_t last) {
  const uint64_t words = last - first + 1;
  m_every_bank += words / m_banks;
  // The remaining words fill banks first % B, first % B + 1, ... (wrapping round).
  const uint64_t rest = words % m_banks;
  if (rest == 0) return;
  const uint64_t begin = first % m_banks;
  const uint64_t end = begin + rest;
  ++m_change[begin];
  if (end <= m_banks) {
    --m_change[end];
  } else {
    --m_change[m_banks];
    ++m_change[0];
    --m_change[end - m_banks];
  }
}

void BankLoad::remove_word(uint64_t word) {
  const uint64_t bank = word % m_banks;
  --m_change[bank];
  ++m_change[bank + 1];
}

void BankLoad::add(const SramAccess& access) {
  if (access.rows == 0 || access.row_bytes == 0) return;
  const uint64_t w = m_word_bytes;
  if (access.rows == 1 || access.stride <= access.row_bytes) {
    // Contiguous, or rows that overlap: one run from the first byte to the last.
    const uint64_t end = access.base + (access.rows - 1) * access.stride + access.row_bytes;
    add_words(access.base / w, (end - 1) / w);
    return;
  }
  // Rows in address order, apart from each other: a word can be shared only by a row's last
  // word and the next row's first (then by every row between, when rows are narrower than a
  // word), so counting it once per run of sharers means dropping it when a row begins in it.
  uint64_t previous_last = UINT64_MAX;
  for (uint64_t r = 0; r < access.rows; ++r) {
    const uint64_t begin = access.base + r * access.stride;
    const uint64_t first = begin / w;
    const uint64_t last = (begin + access.row_bytes - 1) / w;
    add_words(first, last);
    if (first == previous_last) remove_word(first);
    previous_last = last;
  }
}

uint64_t BankLoad::cycles() const {
  int64_t words = 0;
  int64_t busiest = 0;
  for (uint64_t bank = 0; bank < m_banks; ++bank) {
    words += m_change[bank];
    busiest = std::max(busiest, words);
  }
  return m_every_bank + static_cast<uint64_t>(busiest);
}

uint64_t sram_access_cycles(const arch::SramBufferConfig& buffer, const SramAccess& access) {
  BankLoad load(buffer);
  load.add(access);
  return load.cycles();
}

const arch::SramBufferConfig& buffer_config(const arch::ArchConfig& arch, isa::Buffer buffer) {
  switch (buffer) {
    case isa::Buffer::kInput:
      return arch.sram.input;
    case isa::Buffer::kWeight:
      return arch.sram.weight;
    case isa::Buffer::kOutput:
      return arch.sram.output;
  }
  return arch.sram.input;
}

uint64_t sram_port_cycles(const arch::ArchConfig& arch, isa::Buffer buffer,
                          const std::vector<SramAccess>& accesses) {
  if (arch.memory.ideal || accesses.empty()) return 0;
  BankLoad load(buffer_config(arch, buffer));
  for (const SramAccess& access : accesses) load.add(access);
  return load.cycles();
}

uint64_t sram_stream_cycles(const arch::ArchConfig& arch, isa::Buffer buffer, uint64_t bytes) {
  if (arch.memory.ideal) return 0;
  return ceil_div(bytes, static_cast<uint64_t>(buffer_config(arch, buffer).bytes_per_cycle));
}

std::vector<SramPortUse> matrix_port_use(const arch::ArchConfig& arch, const isa::Payload& payload,
                                         const isa::NmCompression& streamed_weights) {
  std::vector<SramPortUse> uses;
  // The port is booked for the bandwidth the instruction needs, steps x bytes per step at the
  // port's width: a row of accumulators that fills half the port leaves the other half to other
  // units, so a multiply does not hold the whole port for every row it streams.
  auto use = [&](isa::Buffer buffer, SramPort port, uint64_t steps, uint64_t bytes_per_step) {
    const uint64_t cycles = sram_stream_cycles(arch, buffer, steps * bytes_per_step);
    if (cycles > 0) uses.push_back({buffer, port, cycles});
  };
  // Bytes of a run of `elements` operands (packed int4: two per byte, rounded up).
  auto eb_of = [&](uint64_t elements) {
    return static_cast<uint64_t>(
        arch::packed_bytes(arch.precision.operand, static_cast<int64_t>(elements)));
  };
  constexpr uint64_t kAccumulatorBytes = 4;  // int32 or fp32 (docs/numerics.md)
  if (const auto* preload = std::get_if<isa::MatrixPreload>(&payload)) {
    if (arch.array.dataflow == arch::Dataflow::kWeightStationary) {
      use(preload->weights.buffer, SramPort::kRead, 1,
          preload->compression.compressed()
              ? isa::nm_block_bytes(preload->k_rows, preload->n_cols, preload->compression,
                                    eb_of(1))
              : uint64_t{preload->k_rows} * eb_of(preload->n_cols));
    }
    return uses;
  }
  const auto* multiply = std::get_if<isa::MatrixMultiply>(&payload);
  if (multiply == nullptr || multiply->m_rows == 0 || multiply->k_rows == 0 ||
      multiply->n_cols == 0) {
    return uses;
  }
  const uint64_t m = multiply->m_rows, k = multiply->k_rows, n = multiply->n_cols;
  const isa::Buffer input = multiply->input.buffer;
  const isa::Buffer acc = multiply->acc.buffer;
  // Weights stream from the weight buffer in the dataflows that do not hold them.
  const isa::Buffer weights = isa::Buffer::kWeight;
  uint64_t acc_steps = 0, acc_bytes_per_step = 0;
  switch (arch.array.dataflow) {
    case arch::Dataflow::kWeightStationary:
      use(input, SramPort::kRead, m, eb_of(k));
      acc_steps = m;
      acc_bytes_per_step = n * kAccumulatorBytes;
      break;
    case arch::Dataflow::kOutputStationary:
      use(input, SramPort::kRead, k, eb_of(m));
      if (streamed_weights.compressed()) {
        use(weights, SramPort::kRead, 1, isa::nm_block_bytes(k, n, streamed_weights, eb_of(1)));
      } else {
        use(weights, SramPort::kRead, k, eb_of(n));
      }
      acc_steps = 1;
      acc_bytes_per_step = m * n * kAccumulatorBytes;
      break;
    case arch::Dataflow::kInputStationary:
      use(input, SramPort::kRead, 1, k * eb_of(m));
      if (streamed_weights.compressed()) {
        use(weights, SramPort::kRead, 1, isa::nm_block_bytes(k, n, streamed_weights, eb_of(1)));
      } else {
        use(weights, SramPort::kRead, n, eb_of(k));
      }
      acc_steps = n;
      acc_bytes_per_step = m * kAccumulatorBytes;
      break;
  }
  use(acc, SramPort::kWrite, acc_steps, acc_bytes_per_step);
  if (multiply->accumulate) use(acc, SramPort::kRead, acc_steps, acc_bytes_per_step);
  return uses;
}

}  // namespace npu::timing
