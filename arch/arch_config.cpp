#include "arch/arch_config.h"

namespace npu::arch {

int element_bytes(Precision precision) {
  switch (precision) {
    case Precision::kInt8:
      return 1;
    case Precision::kFp16:
    case Precision::kBf16:
      return 2;
    case Precision::kFp32:
      return 4;
  }
  return 1;
}

bool is_float(Precision precision) { return precision != Precision::kInt8; }

const char* to_string(Dataflow dataflow) {
  switch (dataflow) {
    case Dataflow::kWeightStationary:
      return "weight_stationary";
  }
  return "?";
}

const char* to_string(Precision precision) {
  switch (precision) {
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

}  // namespace npu::arch
