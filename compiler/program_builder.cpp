#include "compiler/program_builder.h"

#include <cassert>
#include <string>

#include "arch/user_error.h"

namespace npu::compiler {
namespace {

// 20000000 -> "20,000,000".
std::string with_thousands(uint64_t value) {
  std::string digits = std::to_string(value);
  for (int i = static_cast<int>(digits.size()) - 3; i > 0; i -= 3) digits.insert(i, ",");
  return digits;
}

std::vector<uint64_t> describe(const std::vector<isa::DmaLoad>& loads) {
  std::vector<uint64_t> key;
  key.reserve(loads.size() * 6);
  for (const isa::DmaLoad& load : loads) {
    key.insert(key.end(), {load.dram_addr, load.sram.offset, load.rows, load.row_bytes,
                           load.dram_stride, load.sram_stride});
  }
  return key;
}

}  // namespace

ProgramBuilder::ProgramBuilder(const arch::ArchConfig& arch, uint64_t max_instructions)
    : m_max_instructions(max_instructions) {
  m_half_bytes[static_cast<int>(isa::Buffer::kInput)] =
      static_cast<uint32_t>(arch.sram.input.size_kib * 1024 / 2);
  m_half_bytes[static_cast<int>(isa::Buffer::kWeight)] =
      static_cast<uint32_t>(arch.sram.weight.size_kib * 1024 / 2);
  m_half_bytes[static_cast<int>(isa::Buffer::kOutput)] =
      static_cast<uint32_t>(arch.sram.output.size_kib * 1024 / 2);
}

void ProgramBuilder::begin_layer(isa::LayerInfo info) { m_program.layers.push_back(std::move(info)); }

void ProgramBuilder::emit(isa::Payload payload) {
  assert(!m_program.layers.empty());
  if (m_program.code.size() >= m_max_instructions) {
    throw UserError("layer '" + m_program.layers.back().name + "': the program passes " +
                    with_thousands(m_max_instructions) +
                    " instructions (--max-instructions; about 360 bytes each to simulate): this "
                    "design cuts the workload into very many small folds; use a larger array or "
                    "larger buffers, or raise --max-instructions if memory allows");
  }
  isa::Instruction instruction;
  instruction.payload = std::move(payload);
  instruction.layer = static_cast<uint32_t>(m_program.layers.size() - 1);
  m_program.code.push_back(std::move(instruction));
}

int ProgramBuilder::pick_half(isa::Buffer buffer) {
  auto& halves = m_halves[static_cast<int>(buffer)];
  return halves[0].last_use <= halves[1].last_use ? 0 : 1;
}

ProgramBuilder::Claim ProgramBuilder::claim_half(isa::Buffer buffer,
                                                 std::vector<isa::DmaLoad> loads) {
  auto& halves = m_halves[static_cast<int>(buffer)];
  const std::vector<uint64_t> key = describe(loads);
  for (int h = 0; h < 2; ++h) {
    if (!key.empty() && halves[h].contents == key) {
      halves[h].last_use = ++m_use_clock;
      return {{buffer, h * half_bytes(buffer)}, {}};
    }
  }
  const int h = pick_half(buffer);
  const uint32_t base = h * half_bytes(buffer);
  for (isa::DmaLoad& load : loads) {
    load.sram.buffer = buffer;
    load.sram.offset += base;
  }
  halves[h].contents = key;
  halves[h].last_use = ++m_use_clock;
  return {{buffer, base}, std::move(loads)};
}

isa::SramAddr ProgramBuilder::load_into_half(isa::Buffer buffer, std::vector<isa::DmaLoad> loads) {
  Claim claim = claim_half(buffer, std::move(loads));
  for (const isa::DmaLoad& load : claim.loads) emit(load);
  return claim.half;
}

isa::SramAddr ProgramBuilder::scratch_half(isa::Buffer buffer) {
  auto& halves = m_halves[static_cast<int>(buffer)];
  const int h = pick_half(buffer);
  halves[h].contents.clear();
  halves[h].last_use = ++m_use_clock;
  return {buffer, h * half_bytes(buffer)};
}

}  // namespace npu::compiler
