#pragma once
// Accumulates the instructions of a program in sequential order, tagged with their layer, and hands
// out SRAM space. Dependencies are added afterwards by compiler/dependencies.h from what each
// instruction reads and writes, so code generators only emit instructions in an order that is
// correct when executed one at a time.
//
// Each buffer is split into two halves (double buffering): while one half is being computed on,
// the other is being filled. A half remembers which DRAM transfers filled it; asking for the same
// data again while it is still there costs no load (an input patch reused by the next layer, a
// weight tile kept for every band).

#include <array>
#include <cstdint>
#include <vector>

#include "arch/arch_config.h"
#include "isa/program.h"

namespace npu::compiler {

class ProgramBuilder {
 public:
  // Emitting more than `max_instructions` throws npu::UserError naming the current layer.
  ProgramBuilder(const arch::ArchConfig& arch, uint64_t max_instructions);

  void begin_layer(isa::LayerInfo info);
  void emit(isa::Payload payload);

  // A half of `buffer` holding the data of `loads` (each relative to the half's start). Emits the
  // loads unless a half already holds exactly this data; the half chosen is the one used least
  // recently.
  isa::SramAddr load_into_half(isa::Buffer buffer, std::vector<isa::DmaLoad> loads);
  // Like load_into_half, but the loads are returned (placed in the half, empty when the half
  // already holds them) for the caller to emit, so that loads of several buffers can be
  // interleaved in the order the computation needs them.
  struct Claim {
    isa::SramAddr half;
    std::vector<isa::DmaLoad> loads;
  };
  Claim claim_half(isa::Buffer buffer, std::vector<isa::DmaLoad> loads);
  // A half of `buffer` to write results into (never shared).
  isa::SramAddr scratch_half(isa::Buffer buffer);
  uint32_t half_bytes(isa::Buffer buffer) const { return m_half_bytes[static_cast<int>(buffer)]; }

  isa::Program take_program() { return std::move(m_program); }
  isa::Program& program() { return m_program; }

 private:
  struct Half {
    std::vector<uint64_t> contents;  // the descriptors of the loads that filled it; empty: unknown
    uint64_t last_use = 0;
  };
  int pick_half(isa::Buffer buffer);

  isa::Program m_program;
  std::array<uint32_t, isa::kBufferCount> m_half_bytes{};
  std::array<std::array<Half, 2>, isa::kBufferCount> m_halves{};
  uint64_t m_use_clock = 0;
  uint64_t m_max_instructions;
};

}  // namespace npu::compiler
