#pragma once
// Tests build designs in code; the CLI only ever compiles designs that passed validation. Compiling
// through here validates the design first, as load_arch validates a config file, so no test can
// pass on a design a user could not configure (the validation error fails the test, naming why).

#include "arch/arch_config.h"
#include "arch/arch_loader.h"
#include "compiler/compile.h"

namespace npu::testing_support {

inline compiler::CompiledModel compile_for_valid_design(const compiler::Graph& graph,
                                                        const arch::ArchConfig& arch,
                                                        const compiler::CompileOptions& options) {
  arch::validate(arch, "the test design");
  return compiler::compile_model(graph, arch, options);
}

}  // namespace npu::testing_support
