#pragma once
// The element types the compiler gives vector instructions, from the arch's operand precision
// (docs/compiler.md): operands and every vector op's inputs and outputs are in the operand type;
// requant reads the accumulators (int32 for int8, fp32 for the float formats) and writes the
// operand type.

#include "arch/arch_config.h"
#include "isa/instruction.h"

namespace npu::compiler {

// int8, fp16, bf16, fp32: what activations and weights are stored as.
isa::ElementType operand_type(arch::Precision precision);

// What the array accumulates in and requant reads: int32 for int8 operands, fp32 for float ones.
isa::ElementType accumulator_type(arch::Precision precision);

}  // namespace npu::compiler
