#pragma once
// Helpers shared by the back-end tests: where the repository is, buffer capacities, and finding a
// program's DRAM tensors, the loads that read them and a layer's vector instructions.

#include <cstdint>
#include <stdexcept>
#include <string>
#include <variant>
#include <vector>

#include "arch/arch_config.h"
#include "isa/program.h"

namespace npu::compiler::testing_util {

inline const std::string kRepo = NPU_REPO_DIR;

inline uint64_t capacity(const arch::ArchConfig& arch, isa::Buffer buffer) {
  switch (buffer) {
    case isa::Buffer::kInput:
      return arch.sram.input.size_kib * 1024;
    case isa::Buffer::kWeight:
      return arch.sram.weight.size_kib * 1024;
    case isa::Buffer::kOutput:
      return arch.sram.output.size_kib * 1024;
  }
  return 0;
}

inline const isa::DramTensor& tensor_named(const isa::Program& program, const std::string& name) {
  for (const isa::DramTensor& tensor : program.tensors) {
    if (tensor.name == name) return tensor;
  }
  throw std::out_of_range("no DRAM tensor " + name);
}

inline bool has_tensor(const isa::Program& program, const std::string& name) {
  for (const isa::DramTensor& tensor : program.tensors) {
    if (tensor.name == name) return true;
  }
  return false;
}

// Loads of the DRAM range [tensor.addr, tensor.addr + tensor.bytes).
inline std::vector<isa::DmaLoad> loads_of(const isa::Program& program,
                                          const isa::DramTensor& tensor) {
  std::vector<isa::DmaLoad> loads;
  for (const isa::Instruction& instruction : program.code) {
    const auto* load = std::get_if<isa::DmaLoad>(&instruction.payload);
    if (load && load->dram_addr >= tensor.addr && load->dram_addr < tensor.addr + tensor.bytes) {
      loads.push_back(*load);
    }
  }
  return loads;
}

inline std::vector<isa::VectorInstr> vector_ops_of(const isa::Program& program, uint32_t layer) {
  std::vector<isa::VectorInstr> ops;
  for (const isa::Instruction& instruction : program.code) {
    const auto* v = std::get_if<isa::VectorInstr>(&instruction.payload);
    if (v && instruction.layer == layer) ops.push_back(*v);
  }
  return ops;
}

// Bytes the program's DMA transfers move between DRAM and SRAM (rows x row_bytes, loads and
// stores), before rounding to DRAM access blocks.
inline uint64_t dma_bytes(const isa::Program& program) {
  uint64_t bytes = 0;
  for (const isa::Instruction& instruction : program.code) {
    if (const auto* load = std::get_if<isa::DmaLoad>(&instruction.payload)) {
      bytes += uint64_t{load->rows} * load->row_bytes;
    } else if (const auto* store = std::get_if<isa::DmaStore>(&instruction.payload)) {
      bytes += uint64_t{store->rows} * store->row_bytes;
    }
  }
  return bytes;
}

}  // namespace npu::compiler::testing_util
