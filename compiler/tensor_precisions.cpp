#include "compiler/tensor_precisions.h"

#include <string>

#include "arch/user_error.h"

namespace npu::compiler {

arch::Precision layer_precision(const Graph& graph, const Layer& layer,
                                const arch::ArchConfig& arch) {
  const arch::Precision precision = layer.precision.value_or(arch.precision.operand);
  if (!arch.supports(precision)) {
    std::string others;
    for (const std::string& text : arch.precision.other_operands) others += " " + text;
    throw UserError(layer_location(graph, layer) + ": precision " + arch::to_string(precision) +
                    " is not executed by the design (" + "precision.operand " +
                    arch::to_string(arch.precision.operand) + ", precision.other_operands [" +
                    (others.empty() ? "" : others.substr(1)) + "])");
  }
  return precision;
}

std::vector<arch::Precision> assign_tensor_precisions(const Graph& graph, const FusedGraph& fused,
                                                      const arch::ArchConfig& arch) {
  const arch::Precision design = arch.precision.operand;
  const std::vector<int>& storage_of = fused.storage_of;
  std::vector<arch::Precision> precision(graph.layers.size(), design);
  std::vector<int> reader_of(graph.layers.size(), -1);  // the fused anchor that set it
  for (const FusedLayer& layer : fused.layers) {
    if (layer.kind == LoweringKind::kAlias) continue;
    const Layer& anchor = graph.layers[static_cast<size_t>(layer.anchor)];
    const arch::Precision reads_at = layer_precision(graph, anchor, arch);
    for (int input : anchor.inputs) {
      const int storage = storage_of[static_cast<size_t>(input)];
      if (reader_of[storage] >= 0 && precision[storage] != reads_at) {
        throw UserError(layer_location(graph, anchor) + ": reads '" +
                        graph.layers[static_cast<size_t>(input)].name + "' at " +
                        arch::to_string(reads_at) + " but '" + graph.layers[reader_of[storage]].name +
                        "' reads it at " + arch::to_string(precision[storage]) +
                        "; a tensor is stored in one precision, so give its readers the same");
      }
      precision[storage] = reads_at;
      reader_of[storage] = layer.anchor;
    }
  }
  for (const FusedLayer& layer : fused.layers) {
    const int storage = storage_of[static_cast<size_t>(layer.output)];
    if (precision[storage] == design || layer.kind == LoweringKind::kGemm) continue;
    if (layer.kind == LoweringKind::kAlias) continue;  // its producer is checked instead
    // A global average keeps its input's scale and zero point, and every int4 value is an int8
    // one: it can write int8 for an int8 reader (an int8 classifier after an int4 network).
    if (layer.kind == LoweringKind::kGlobalPool && precision[storage] == arch::Precision::kInt8 &&
        design == arch::Precision::kInt4) {
      continue;
    }
    const Layer& reader = graph.layers[static_cast<size_t>(reader_of[storage])];
    throw UserError(layer_location(graph, reader) + ": reads '" + layer.name + "' at " +
                    arch::to_string(precision[storage]) + ", but " + layer.op +
                    " writes the design's " + arch::to_string(design) +
                    "; only a conv2d, dense or matmul (or a model input) can produce another "
                    "precision");
  }
  return precision;
}

}  // namespace npu::compiler
