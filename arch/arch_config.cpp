#include "arch/arch_config.h"

#include <cctype>
#include <stdexcept>
#include <string>

namespace npu::arch {

int element_bits(Precision precision) {
  switch (precision) {
    case Precision::kInt4:
      return 4;
    case Precision::kInt8:
      return 8;
    case Precision::kFp16:
    case Precision::kBf16:
      return 16;
    case Precision::kFp32:
      return 32;
  }
  return 8;
}

int element_bytes(Precision precision) {
  const int bits = element_bits(precision);
  if (bits % 8 != 0) {
    throw std::logic_error(std::string("element_bytes(") + to_string(precision) +
                           "): sub-byte elements are packed; use packed_bytes");
  }
  return bits / 8;
}

int64_t packed_bytes(Precision precision, int64_t elements) {
  return (elements * element_bits(precision) + 7) / 8;
}

bool parse_precision(const std::string& text, Precision& precision) {
  for (Precision candidate : {Precision::kInt4, Precision::kInt8, Precision::kFp16,
                              Precision::kBf16, Precision::kFp32}) {
    if (text == to_string(candidate)) {
      precision = candidate;
      return true;
    }
  }
  return false;
}

int macs_per_pe_per_cycle(const ArrayConfig& array, Precision precision) {
  switch (precision) {
    case Precision::kInt4:
      return array.macs_per_pe_per_cycle.int4;
    case Precision::kInt8:
      return array.macs_per_pe_per_cycle.int8;
    case Precision::kFp16:
      return array.macs_per_pe_per_cycle.fp16;
    case Precision::kBf16:
      return array.macs_per_pe_per_cycle.bf16;
    case Precision::kFp32:
      return array.macs_per_pe_per_cycle.fp32;
  }
  return 1;
}

bool ArchConfig::supports(Precision candidate) const {
  if (candidate == precision.operand) return true;
  for (const std::string& text : precision.other_operands) {
    Precision other;
    if (parse_precision(text, other) && other == candidate) return true;
  }
  return false;
}

ArchConfig with_operand(const ArchConfig& arch, Precision precision) {
  ArchConfig layer_arch = arch;
  layer_arch.precision.operand = precision;
  return layer_arch;
}

FoldLimits fold_limits(const ArrayConfig& array) {
  switch (array.dataflow) {
    case Dataflow::kWeightStationary:
      return {0, array.rows, array.cols};  // K on rows, N on columns, M streams
    case Dataflow::kOutputStationary:
      return {array.rows, 0, array.cols};  // M on rows, N on columns, K streams
    case Dataflow::kInputStationary:
      return {array.cols, array.rows, 0};  // K on rows, M on columns, N streams
  }
  return {};
}

bool is_float(Precision precision) {
  return precision != Precision::kInt8 && precision != Precision::kInt4;
}

const char* to_string(Dataflow dataflow) {
  switch (dataflow) {
    case Dataflow::kWeightStationary:
      return "weight_stationary";
    case Dataflow::kOutputStationary:
      return "output_stationary";
    case Dataflow::kInputStationary:
      return "input_stationary";
  }
  return "?";
}

const char* to_string(StationaryPreload preload) {
  switch (preload) {
    case StationaryPreload::kSerial:
      return "serial";
    case StationaryPreload::kDoubleBuffered:
      return "double_buffered";
  }
  return "?";
}

const char* to_string(Precision precision) {
  switch (precision) {
    case Precision::kInt4:
      return "int4";
    case Precision::kInt8:
      return "int8";
    case Precision::kFp16:
      return "fp16";
    case Precision::kBf16:
      return "bf16";
    case Precision::kFp32:
      return "fp32";
  }
  return "?";
}

const char* to_string(DramType type) {
  switch (type) {
    case DramType::kDdr4:
      return "ddr4";
    case DramType::kLpddr4:
      return "lpddr4";
    case DramType::kHbm2:
      return "hbm2";
    case DramType::kGddr5:
      return "gddr5";
  }
  return "?";
}

const char* to_string(SparsitySupport support) {
  switch (support) {
    case SparsitySupport::kNone:
      return "none";
    case SparsitySupport::kGating:
      return "gating";
    case SparsitySupport::kSkipping:
      return "skipping";
  }
  return "?";
}

std::string parse_nm_pattern(const std::string& text, NmPattern& pattern) {
  const std::string expected = "expected an N:M pattern such as \"2:4\" (1 <= N < M <= " +
                               std::to_string(kMaxPatternM) + "), got '" + text + "'";
  const size_t colon = text.find(':');
  if (colon == std::string::npos || colon == 0 || colon + 1 == text.size()) return expected;
  // Digits only, at most two of them: keeps stoi in range and rejects signs and spaces.
  const auto number = [&](const std::string& part, int& value) {
    if (part.empty() || part.size() > 2) return false;
    for (char c : part) {
      if (!std::isdigit(static_cast<unsigned char>(c))) return false;
    }
    value = std::stoi(part);
    return true;
  };
  NmPattern parsed;
  if (!number(text.substr(0, colon), parsed.n) || !number(text.substr(colon + 1), parsed.m)) {
    return expected;
  }
  if (parsed.n < 1 || parsed.n >= parsed.m || parsed.m > kMaxPatternM) return expected;
  pattern = parsed;
  return "";
}

}  // namespace npu::arch
