#include "compiler/element_types.h"

namespace npu::compiler {

isa::ElementType operand_type(arch::Precision precision) {
  switch (precision) {
    case arch::Precision::kInt4:
      return isa::ElementType::kInt4;
    case arch::Precision::kInt8:
      return isa::ElementType::kInt8;
    case arch::Precision::kFp16:
      return isa::ElementType::kFp16;
    case arch::Precision::kBf16:
      return isa::ElementType::kBf16;
    case arch::Precision::kFp32:
      return isa::ElementType::kFp32;
  }
  return isa::ElementType::kInt8;
}

isa::ElementType accumulator_type(arch::Precision precision) {
  return arch::is_float(precision) ? isa::ElementType::kFp32 : isa::ElementType::kInt32;
}

}  // namespace npu::compiler
