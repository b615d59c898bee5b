#pragma once
// A compiled program: the instructions plus what a report needs to know about each layer and
// where each tensor lives in DRAM. Produced by the compiler, consumed by the simulator, the
// functional interpreter and the assembly printer.

#include <cmath>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "isa/instruction.h"

namespace npu::isa {

// One layer of the compiled (post-fusion) graph, as the report presents it.
// The reduction rows a multiply of k rows executes per output on a layer whose zero weights the
// array skips: the kept ones, N of every group of M (a last partial group of r rows keeps
// min(r, N)) for an N:M pattern (skip_m > 0); k x d rounded, the expected nonzeros of a column,
// for unstructured ones (skip_rows > 0); k when nothing is skipped.
inline uint64_t executed_rows(uint32_t k_rows, uint32_t skip_n, uint32_t skip_m,
                              uint32_t skip_rows, double skip_density) {
  if (skip_rows != 0) {
    return static_cast<uint64_t>(std::llround(static_cast<double>(k_rows) * skip_density));
  }
  return nm_kept_rows(k_rows, skip_n, skip_m);
}

struct LayerInfo {
  std::string name;
  std::string op;                     // e.g. "conv2d", "dense", "add", "maxpool"
  std::vector<int64_t> output_shape;  // including batch
  int64_t macs = 0;                   // the mathematics' multiply-accumulates (docs/metrics.md)
  int64_t params = 0;                 // learned parameters folded into this layer
  std::string mapping;                // the tiler's choice, in words (also an asm comment)
  // The MACs with a zero operand: macs x (1 - weight density x activation density) as the
  // workload declares them (docs/sparsity.md); 0 for a dense layer. A gating or skipping array
  // spends no MAC energy on them. Effective (nonzero) MACs = macs - zero_operand_macs.
  int64_t zero_operand_macs = 0;
  int64_t effective_macs() const { return macs - zero_operand_macs; }
  // The N:M weight pattern the array skips on this layer (docs/sparsity.md): each PE row holds a
  // kept weight, so a fold's k reduction rows occupy k x N/M PE rows and the array multiplies only
  // those. 0 / 0 when the layer is not skipped.
  uint32_t skip_n = 0;
  uint32_t skip_m = 0;
  // Unstructured zero weights the array skips (docs/sparsity.md, load imbalance): each PE column
  // packs its output channel's nonzeros, so a weight block holds up to skip_rows reduction rows
  // (as many as the busiest column fits), of which the share skip_density is nonzero. 0 when not.
  uint32_t skip_rows = 0;
  double skip_density = 0.0;
  // The reduction rows a multiply of k rows executes per output (isa::executed_rows).
  uint64_t executed_k(uint32_t k_rows) const {
    return executed_rows(k_rows, skip_n, skip_m, skip_rows, skip_density);
  }
  // The layer's own operand precision when it differs from the program's (a mixed-precision
  // workload, docs/workloads.md): its weights and the activations the array streams.
  std::optional<ElementType> precision = std::nullopt;
  bool operator==(const LayerInfo& o) const;
};

// A region of DRAM holding one tensor (activation, packed weights, or per-channel parameters).
struct DramTensor {
  std::string name;
  uint64_t addr = 0;
  uint64_t bytes = 0;
  bool operator==(const DramTensor& o) const;
};

struct Program {
  // What the array's operands and every stored activation and weight are: the program describes
  // its own data, so the interpreter needs nothing from the arch config to execute it.
  ElementType operand_type = ElementType::kInt8;
  std::vector<LayerInfo> layers;
  std::vector<DramTensor> tensors;
  std::vector<Instruction> code;
  // The operand type of layer `index`'s matrix instructions: its own precision or the program's.
  ElementType operand_type_of(uint32_t index) const {
    return index < layers.size() && layers[index].precision ? *layers[index].precision
                                                             : operand_type;
  }
  bool operator==(const Program& o) const;
};

}  // namespace npu::isa
