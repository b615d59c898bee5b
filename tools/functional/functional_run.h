#pragma once
// A functional run: put a compiled model's inputs and constants in DRAM, execute the program on
// the interpreter, and read back what each layer wrote.

#include <string>
#include <vector>

#include "arch/arch_config.h"
#include "compiler/compile.h"
#include "compiler/graph.h"
#include "sim/functional/interpreter.h"
#include "sim/functional/model_data.h"

namespace npu::functional {

struct LayerOutput {
  std::string name;  // the program layer's name (as the report shows it)
  int tensor = 0;    // the graph tensor it produced
  QTensor value;
};

struct FunctionalRun {
  std::vector<LayerOutput> outputs;  // one per program layer, in program order
  InterpreterCounts counts;
};

// Throws ProgramError if the program breaks the ISA's rules (a compiler bug) and npu::UserError if
// the data does not fit the model.
FunctionalRun run_functional(const compiler::Graph& graph, const compiler::CompiledModel& model,
                             const ModelData& data, const arch::ArchConfig& arch);

// The compile options a model's data implies: the zero point of every tensor, which padding taps
// must read.
compiler::CompileOptions compile_options_for(const ModelData& data);

}  // namespace npu::functional
