#pragma once
// Port time of SRAM accesses under word-interleaved banks, as pure functions (derivation and
// worked examples in docs/timing.md, "SRAM buffers"; the SystemC buffers in sim/modules book each
// port with it, sim/timing/reservations.h).
//
// A buffer of B banks with a port of P bytes per cycle has words of w = P / B bytes (validation
// makes this whole). Byte a lies in word a / w, and word x in bank x % B. Each bank serves one
// word per cycle on its read port and one on its write port (dual-ported), so the buffer moves up
// to P bytes per cycle each way. One access (an instruction's reads, or its writes, of one buffer)
// takes as long as its busiest bank:
//   port cycles = max over banks b of (distinct words of the access in bank b)
// A contiguous run of n words spreads round-robin over the banks: ceil(n / B) cycles, about
// bytes / P. Rows `stride` bytes apart with stride = B x w all start in the same bank: one cycle
// per word of that bank, the classic bank conflict.

#include <cstdint>
#include <vector>

#include "arch/arch_config.h"
#include "isa/instruction.h"

namespace npu::timing {

// A buffer's read port or write port.
enum class SramPort { kRead, kWrite };

// `rows` runs of `row_bytes` bytes, run r starting at byte base + r * stride of the buffer.
// Rows that overlap (stride < row_bytes, including 0) cover one contiguous range, which is what
// the access touches.
struct SramAccess {
  uint64_t base = 0;
  uint64_t rows = 1;
  uint64_t row_bytes = 0;
  uint64_t stride = 0;
};

// The words each bank serves for one or more accesses through one port. O(rows) per access plus
// O(banks) to read the result: a run adds to a range of banks through a difference array.
class BankLoad {
 public:
  explicit BankLoad(const arch::SramBufferConfig& buffer);

  void add(const SramAccess& access);
  // Cycles the port is busy: the largest number of words any one bank serves.
  uint64_t cycles() const;

 private:
  // Adds one word to each of the banks that words [first, last] fall in, a full turn of the banks
  // at a time.
  void add_words(uint64_t first, uint64_t last);
  void remove_word(uint64_t word);

  uint64_t m_banks;
  uint64_t m_word_bytes;
  uint64_t m_every_bank = 0;      // words added to every bank
  std::vector<int64_t> m_change;  // per-bank count, as differences between neighbouring banks
};

// Port cycles of one access of `buffer` (the bank rule above, without ideal memory).
uint64_t sram_access_cycles(const arch::SramBufferConfig& buffer, const SramAccess& access);

// The config of one of the design's buffers.
const arch::SramBufferConfig& buffer_config(const arch::ArchConfig& arch, isa::Buffer buffer);

// Port cycles of the accesses an instruction makes through one port of `buffer`: the bank rule,
// or 0 with memory.ideal.
uint64_t sram_port_cycles(const arch::ArchConfig& arch, isa::Buffer buffer,
                          const std::vector<SramAccess>& accesses);

// Port cycles of moving `bytes` through one port of `buffer` as whole port-wide beats, banks aside
// (ceil(bytes / bytes_per_cycle)), or 0 with memory.ideal: the array's per-row rule.
uint64_t sram_stream_cycles(const arch::ArchConfig& arch, isa::Buffer buffer, uint64_t bytes);

// A port an instruction books, for `cycles` from its start.
struct SramPortUse {
  isa::Buffer buffer = isa::Buffer::kInput;
  SramPort port = SramPort::kRead;
  uint64_t cycles = 0;
};

// The ports a matrix instruction books, with the array's own per-step port terms
// (sim/timing/systolic_timing.cpp), so that its bookings never outlast its own duration:
//   preload: the weights' read port for ceil(k x n x bytes / port);
//   multiply, weight stationary: m steps, each reading k operands and writing (and, accumulating,
//     reading back) n accumulators: m x ceil(k x bytes / port) on the input's read port and
//     m x ceil(n x 4 / port) on the accumulators' write port (and read port);
//   output stationary: k steps of m inputs and n weights, then m x n accumulators drained;
//   input stationary: k x m inputs placed, then n steps of k weights and m accumulators.
// Ports with no time (memory.ideal, empty instructions) are left out.
// `streamed_weights`: how the weights a multiply streams (output and input stationary) are
// stored: compressed N:M weights book their kept values and indices instead of k x n values.
std::vector<SramPortUse> matrix_port_use(const arch::ArchConfig& arch, const isa::Payload& payload,
                                         const isa::NmCompression& streamed_weights = {});

}  // namespace npu::timing
