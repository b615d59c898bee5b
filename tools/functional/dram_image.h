#pragma once
// The DRAM contents a compiled model starts from: graph inputs, the packed weights of every
// conv/dense layer (in the tile order of compiler/gemm_codegen.h) and every parameter block
// (requantization records, add rescaling, activation tables, normalisation constants), encoded as
// docs/numerics.md lays them out. This is what a real NPU compiler would emit as its weight blob.

#include "compiler/compile.h"
#include "compiler/graph.h"
#include "sim/functional/memory_image.h"
#include "sim/functional/model_data.h"

namespace npu::functional {

MemoryImage build_dram_image(const compiler::Graph& graph, const compiler::CompiledModel& model,
                             const ModelData& data);

}  // namespace npu::functional
