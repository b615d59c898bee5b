#pragma once
// A byte-addressed memory (DRAM image or one SRAM buffer) that remembers which bytes were ever
// written, so the interpreter can reject a read of bytes nobody wrote — the symptom of a missing
// load or a tile placed in the wrong half — instead of computing on stale data.

#include <cstdint>
#include <cstring>
#include <string>
#include <vector>

namespace npu::functional {

class MemoryImage {
 public:
  MemoryImage(std::string name, uint64_t size) : m_name(std::move(name)), m_bytes(size), m_written(size) {}

  uint64_t size() const { return m_bytes.size(); }
  const std::string& name() const { return m_name; }

  // Empty string when [addr, addr + length) is inside the memory (and, for reads, fully written);
  // otherwise what is wrong, for the caller's error message.
  std::string check_write(uint64_t addr, uint64_t length) const;
  std::string check_read(uint64_t addr, uint64_t length) const;

  void write(uint64_t addr, const void* data, uint64_t length) {
    std::memcpy(m_bytes.data() + addr, data, length);
    std::memset(m_written.data() + addr, 1, length);
  }
  void read(uint64_t addr, void* data, uint64_t length) const {
    std::memcpy(data, m_bytes.data() + addr, length);
  }
  bool written(uint64_t addr) const { return m_written[addr] != 0; }
  uint8_t* data() { return m_bytes.data(); }
  const uint8_t* data() const { return m_bytes.data(); }
  // Marks bytes written without copying (after writing through data()).
  void mark_written(uint64_t addr, uint64_t length) { std::memset(m_written.data() + addr, 1, length); }

 private:
  std::string m_name;
  std::vector<uint8_t> m_bytes;
  std::vector<uint8_t> m_written;
};

}  // namespace npu::functional
