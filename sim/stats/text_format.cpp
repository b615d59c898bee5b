#include "sim/stats/text_format.h"

#include <algorithm>
#include <cstdarg>
#include <cstdio>
#include <iterator>

namespace npu::stats {

std::string format(const char* fmt, ...) {
  va_list args;
  va_start(args, fmt);
  va_list sizing;
  va_copy(sizing, args);
  const int size = std::vsnprintf(nullptr, 0, fmt, sizing);
  va_end(sizing);
  std::string text(static_cast<size_t>(std::max(size, 0)) + 1, '\0');
  std::vsnprintf(text.data(), text.size(), fmt, args);
  va_end(args);
  text.pop_back();
  return text;
}

std::string grouped(uint64_t value) {
  std::string digits = std::to_string(value);
  std::string text;
  for (size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) text += ',';
    text += digits[i];
  }
  return text;
}

std::string si_count(double value) {
  static const char* const kSuffixes[] = {"", "k", "M", "G", "T", "P"};
  size_t step = 0;
  while (value >= 999.95 && step + 1 < std::size(kSuffixes)) {
    value /= 1000.0;
    ++step;
  }
  if (step == 0) return format("%.0f", value);
  // Thresholds sit half a unit of the last digit low, so 99.996M prints "100.0M", not "100.00M".
  const int decimals = value >= 99.995 ? 1 : value >= 9.9995 ? 2 : 3;
  return format("%.*f%s", decimals, value, kSuffixes[step]);
}

std::string binary_bytes(uint64_t bytes) {
  static const char* const kUnits[] = {"B", "KiB", "MiB", "GiB", "TiB"};
  double value = static_cast<double>(bytes);
  size_t step = 0;
  while (value >= 1024.0 && step + 1 < std::size(kUnits)) {
    value /= 1024.0;
    ++step;
  }
  if (step == 0) return format("%llu B", static_cast<unsigned long long>(bytes));
  return format("%.2f %s", value, kUnits[step]);
}

std::string shape_text(const std::vector<int64_t>& shape) {
  std::string text;
  for (int64_t dim : shape) {
    if (!text.empty()) text += 'x';
    text += std::to_string(dim);
  }
  return text;
}

}  // namespace npu::stats
