#include "sim/functional/memory_image.h"

#include <sstream>

namespace npu::functional {
namespace {

std::string hex(uint64_t value) {
  std::ostringstream out;
  out << "0x" << std::hex << value;
  return out.str();
}

}  // namespace

std::string MemoryImage::check_write(uint64_t addr, uint64_t length) const {
  if (length == 0) return {};
  if (addr > size() || length > size() - addr) {
    return "writes " + m_name + " bytes [" + hex(addr) + ", " + hex(addr + length) +
           ") beyond its " + std::to_string(size()) + " bytes";
  }
  return {};
}

std::string MemoryImage::check_read(uint64_t addr, uint64_t length) const {
  if (length == 0) return {};
  if (addr > size() || length > size() - addr) {
    return "reads " + m_name + " bytes [" + hex(addr) + ", " + hex(addr + length) +
           ") beyond its " + std::to_string(size()) + " bytes";
  }
  for (uint64_t a = addr; a < addr + length; ++a) {
    if (!m_written[a]) return "reads " + m_name + " byte " + hex(a) + " that nothing wrote";
  }
  return {};
}

}  // namespace npu::functional
