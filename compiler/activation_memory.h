#pragma once
// How much memory a compiled model's activations need: per layer, the bytes of every activation
// tensor that must be held while the layer runs (written by it or earlier, and read by it or
// later), graph inputs from the start and outputs to the end. Its peak is the memory a planner
// that frees each tensor after its last reader needs at least (fragmentation aside): what sizes an
// edge NPU's activation memory. Weights and parameters are not activations and are not counted.

#include <cstdint>
#include <vector>

#include "compiler/compile.h"
#include "compiler/graph.h"

namespace npu::compiler {

struct ActivationMemory {
  // Per program layer (Program::layers order): bytes of the activation tensors held while it runs,
  // in their stored format (packed int4 included), for the whole batch.
  std::vector<uint64_t> live_bytes;
  // Every activation tensor's bytes: what memory that is never reused holds (npusim's DRAM image
  // places each tensor at its own address).
  uint64_t total_bytes = 0;
};

// A concat placed in place holds its inputs inside its own tensor: they count once, as one tensor
// live from the first input's producer to the concat's last reader. An alias (reshape, flatten)
// shares its source's tensor and extends its life to the alias's readers.
ActivationMemory activation_memory(const Graph& graph, const CompiledModel& model);

}  // namespace npu::compiler
