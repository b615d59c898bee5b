#pragma once
// The arch precision a program's operand element type stands for, so the timing model and the
// interpreter read a layer's `.layer ... precision=` (or the program's `.operands`) the same way.

#include "arch/arch_config.h"
#include "isa/instruction.h"

namespace npu::timing {

// Throws std::logic_error for kInt32, which is an accumulator type, never an operand.
arch::Precision operand_precision(isa::ElementType type);

}  // namespace npu::timing
