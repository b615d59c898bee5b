#pragma once
// Activation sparsity measured in a functional run rather than declared (docs/sparsity.md,
// "Functional runs"): the share of nonzero inputs each conv2d/dense layer's multiplies actually
// read, counted by the interpreter, replaces the workload's activation_density in the program the
// simulator times and the report prices.

#include <vector>

#include "compiler/compile.h"
#include "compiler/graph.h"
#include "sim/functional/interpreter.h"

namespace npu::functional {

// Per program layer: 1 - zero operands / operands its multiplies streamed, for conv2d and dense
// layers that streamed any; -1 for every other layer (not measured).
std::vector<double> measured_activation_density(const compiler::Graph& graph,
                                                const compiler::CompiledModel& model,
                                                const InterpreterCounts& counts);

// Sets each measured layer's zero_operand_macs to macs - round(macs x d_w x d_a), with d_w the
// declared weight density (the pruned weights hold it) and d_a the measured activation density,
// the same rounding the compiler applies to declared densities.
void use_measured_activation_density(const compiler::Graph& graph,
                                     const std::vector<double>& density,
                                     compiler::CompiledModel& model);

}  // namespace npu::functional
