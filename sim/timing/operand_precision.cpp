#include "sim/timing/operand_precision.h"

#include <stdexcept>
#include <string>


namespace npu::timing {

arch::Precision operand_precision(isa::ElementType type) {
  switch (type) {
    case isa::ElementType::kInt4:
      return arch::Precision::kInt4;
    case isa::ElementType::kInt8:
      return arch::Precision::kInt8;
    case isa::ElementType::kFp16:
      return arch::Precision::kFp16;
    case isa::ElementType::kBf16:
      return arch::Precision::kBf16;
    case isa::ElementType::kFp32:
      return arch::Precision::kFp32;
    case isa::ElementType::kInt32:
      break;
  }
  throw std::logic_error(std::string("no operand precision for ") + isa::to_string(type));
}

}  // namespace npu::timing
