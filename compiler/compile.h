#pragma once
// The compiler's entry point: a shape-inferred graph and an arch config in, an ISA program out.
//
//   fuse layers -> place tensors in DRAM -> per layer: choose a tiling, emit instructions
//   -> add the dependencies between streams.
// Throws npu::UserError when a layer cannot be mapped onto the design (no tile fits the SRAM).

#include "arch/arch_config.h"
#include "compiler/graph.h"
#include "isa/program.h"

namespace npu::compiler {

isa::Program compile(const Graph& graph, const arch::ArchConfig& arch);

}  // namespace npu::compiler
