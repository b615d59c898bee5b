#pragma once
// Number formatting shared by the human views (the table, --explain). printf-based: <iostream>
// manipulators would follow the stream's locale.

#include <cstdint>
#include <string>
#include <vector>

namespace npu::stats {

std::string format(const char* fmt, ...) __attribute__((format(printf, 1, 2)));

// 1234567 -> "1,234,567".
std::string grouped(uint64_t value);

// A count to four significant digits with a decimal suffix: 950, 1.234k, 231.2M, 4.112G.
std::string si_count(double value);

// Bytes in binary units: 512 B, 1.50 KiB, 12.34 MiB, 1.20 GiB.
std::string binary_bytes(uint64_t bytes);

// {1, 56, 56, 64} -> "1x56x56x64".
std::string shape_text(const std::vector<int64_t>& shape);

}  // namespace npu::stats
