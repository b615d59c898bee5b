#pragma once
// Fusion: groups graph layers into the layers the NPU executes and the report shows.
//
// A conv2d or dense absorbs a following batchnorm (folded into its weights and bias at compile
// time) and then a following relu or relu6 (a clamp, applied by the requantization step); a matmul,
// add or mul absorbs a following relu or relu6. Sigmoid, tanh and gelu are never absorbed: they are
// lookup tables of their own (vec.act). A layer is absorbed only when it is the sole consumer of
// its producer's tensor. Flatten and reshape become aliases: NHWC data is already in flattened
// order, so they move no data.

#include <string>
#include <vector>

#include "compiler/graph.h"

namespace npu::compiler {

enum class LoweringKind {
  kGemm,        // conv2d, dense, matmul on the systolic array
  kEltwise,     // add, mul, activation, unfolded batchnorm on the vector unit
  kWindowPool,  // max/avg pooling
  kGlobalPool,
  kSoftmax,
  kLayerNorm,  // per row, like softmax
  kConcat,     // DMA only
  kSlice,      // DMA only
  kTranspose,  // vec.transpose of each [A, B] slice, tiled
  kAlias,      // flatten, reshape: no instructions
};

struct FusedLayer {
  std::string name;  // the anchor layer's name
  std::string op;    // the anchor's op as the report shows it ("conv2d", "relu", ...)
  LoweringKind kind = LoweringKind::kAlias;
  int anchor = 0;    // graph index of the layer that defines the computation
  int output = 0;    // graph index of the last absorbed layer: its tensor is what this layer writes
  std::vector<int> absorbed;  // graph indices folded into the anchor, in order
  Activation activation = Activation::kNone;  // fused clamp, or the function of an activation layer
  int64_t macs = 0;
  int64_t params = 0;  // including absorbed batchnorm parameters
};

struct FusedGraph {
  std::vector<FusedLayer> layers;
  // storage_of[t]: the graph index whose DRAM tensor holds graph tensor t (aliases and absorbed
  // layers share their producer's or their fused layer's storage).
  std::vector<int> storage_of;
};

// Throws npu::UserError when a conv2d, dense, add or mul carries an activation other than relu or
// relu6 (the workload reader never produces one; a graph built in code might).
FusedGraph fuse(const Graph& graph);

}  // namespace npu::compiler
