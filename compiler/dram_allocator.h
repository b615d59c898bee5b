#pragma once
// Places tensors in DRAM one after another, each aligned to the DRAM access block so that a
// tensor's first row never shares a block with another tensor. Records each placement in the
// program's tensor table (name, address, size) for the assembly listing and the interpreter.

#include <cstdint>
#include <string>
#include <vector>

#include "isa/program.h"

namespace npu::compiler {

class DramAllocator {
 public:
  DramAllocator(std::vector<isa::DramTensor>& table, uint64_t alignment)
      : m_table(table), m_alignment(alignment) {}

  uint64_t allocate(const std::string& name, uint64_t bytes) {
    const uint64_t addr = (m_next + m_alignment - 1) / m_alignment * m_alignment;
    m_table.push_back({name, addr, bytes});
    m_next = addr + bytes;
    return addr;
  }

  // Records a tensor that lives inside one placed before (a slice of a concat's output, written
  // in place), without taking new space.
  void place_within(const std::string& name, uint64_t addr, uint64_t bytes) {
    m_table.push_back({name, addr, bytes});
  }

 private:
  std::vector<isa::DramTensor>& m_table;
  uint64_t m_alignment;
  uint64_t m_next = 0;
};

}  // namespace npu::compiler
