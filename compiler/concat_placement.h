#pragma once
// Concats done in place (docs/compiler.md, "Concat in place"): a concat along an axis with
// nothing but size-1 dimensions before it (the batch included) stacks its inputs one after
// another, each contiguous. When each input is its own tensor read by this concat alone, its
// producer can write it straight into its slice of the output and the concat moves nothing, as a
// decoder appends a token's key to its KV cache.

#include <cstdint>
#include <map>
#include <set>
#include <vector>

#include "arch/arch_config.h"
#include "compiler/graph.h"

namespace npu::compiler {

// A concat's output seen as `outer` rows, each holding one run of every input in turn.
struct ConcatLayout {
  int64_t outer = 1;
  std::vector<int64_t> run;  // per input: elements per row
};
ConcatLayout concat_layout(const Graph& graph, const Layer& concat);

// Bytes a tensor of `layer`'s output shape takes stored at `precision`: NHWC rows of channels,
// each starting on a byte (packed int4 pads an odd row).
int64_t stored_bytes(const Layer& layer, arch::Precision precision);

struct InPlaceConcats {
  struct Slice {
    int concat = -1;            // the concat's graph index
    uint64_t offset_bytes = 0;  // where the input sits in its output
  };
  std::map<int, Slice> slice_of;  // by input graph index
  std::set<int> in_place;         // concats that move nothing
};

// `storage_of` and `precision` as the compiler holds them (FusedGraph::storage_of and the stored
// precision per graph tensor). Along the last axis packed int4 runs could start inside a byte, so
// such a concat is done in place only for whole-byte elements.
InPlaceConcats plan_concats_in_place(const Graph& graph, const std::vector<int>& storage_of,
                                     const std::vector<arch::Precision>& precision);

}  // namespace npu::compiler
