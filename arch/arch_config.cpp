#include "arch/arch_config.h"

namespace npu::arch {

int element_bytes(Precision precision) {
  switch (precision) {
    case Precision::kInt8:
      return 1;
  }
  return 1;
}

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
  }
  return "?";
}

}  // namespace npu::arch
