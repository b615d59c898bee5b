#include "compiler/fusion.h"

#include <cassert>

#include "arch/user_error.h"

namespace npu::compiler {
namespace {

std::vector<std::vector<int>> consumers_of(const Graph& graph) {
  std::vector<std::vector<int>> consumers(graph.layers.size());
  for (size_t i = 0; i < graph.layers.size(); ++i) {
    for (int input : graph.layers[i].inputs) consumers[input].push_back(static_cast<int>(i));
  }
  return consumers;
}

LoweringKind kind_of(OpKind op) {
  switch (op) {
    case OpKind::kConv2d:
    case OpKind::kDense:
    case OpKind::kMatmul:
      return LoweringKind::kGemm;
    case OpKind::kAdd:
    case OpKind::kMul:
    case OpKind::kActivation:
    case OpKind::kBatchNorm:
      return LoweringKind::kEltwise;
    case OpKind::kMaxPool:
    case OpKind::kAvgPool:
      return LoweringKind::kWindowPool;
    case OpKind::kGlobalAvgPool:
      return LoweringKind::kGlobalPool;
    case OpKind::kSoftmax:
      return LoweringKind::kSoftmax;
    case OpKind::kLayerNorm:
      return LoweringKind::kLayerNorm;
    case OpKind::kConcat:
      return LoweringKind::kConcat;
    case OpKind::kSlice:
      return LoweringKind::kSlice;
    case OpKind::kTranspose:
      return LoweringKind::kTranspose;
    case OpKind::kFlatten:
    case OpKind::kReshape:
    case OpKind::kInput:
      return LoweringKind::kAlias;
  }
  return LoweringKind::kAlias;
}

// relu and relu6 are clamps of the quantized result, which requantization, add and mul apply
// for free; every other function needs its own lookup table.
bool is_clamp(Activation activation) {
  return activation == Activation::kRelu || activation == Activation::kRelu6;
}

std::string report_op(const Layer& layer) {
  if (layer.op == OpKind::kActivation) return to_string(layer.activation);
  return to_string(layer.op);
}

}  // namespace

FusedGraph fuse(const Graph& graph) {
  const auto consumers = consumers_of(graph);
  FusedGraph fused;
  fused.storage_of.resize(graph.layers.size());
  std::vector<bool> absorbed(graph.layers.size(), false);

  // The sole consumer of `index` if it has exactly one and it is of op `op`, else -1.
  auto sole_consumer = [&](int index, OpKind op) {
    if (consumers[index].size() != 1) return -1;
    int consumer = consumers[index][0];
    return graph.layers[consumer].op == op ? consumer : -1;
  };

  for (size_t i = 0; i < graph.layers.size(); ++i) {
    const Layer& layer = graph.layers[i];
    const int index = static_cast<int>(i);
    if (absorbed[i]) continue;
    if (layer.op == OpKind::kInput) {
      fused.storage_of[i] = index;
      continue;
    }
    FusedLayer out;
    out.name = layer.name;
    out.op = report_op(layer);
    out.kind = kind_of(layer.op);
    out.anchor = index;
    out.output = index;
    out.activation = layer.op == OpKind::kActivation ? layer.activation : Activation::kNone;
    out.macs = layer.macs;
    out.params = layer.params;

    const bool gemm_with_weights = layer.op == OpKind::kConv2d || layer.op == OpKind::kDense;
    const bool takes_activation =
        out.kind == LoweringKind::kGemm || layer.op == OpKind::kAdd || layer.op == OpKind::kMul;
    if (takes_activation) {
      out.activation = layer.activation;
      if (out.activation != Activation::kNone && !is_clamp(out.activation)) {
        throw UserError(layer_location(graph, layer) + ": activation '" +
                        to_string(out.activation) + "' cannot be fused into " +
                        to_string(layer.op) + " (only relu and relu6); give it a layer of its own");
      }
    }
    if (gemm_with_weights && out.activation == Activation::kNone) {
      int batchnorm = sole_consumer(out.output, OpKind::kBatchNorm);
      if (batchnorm >= 0) {
        out.absorbed.push_back(batchnorm);
        out.params += graph.layers[batchnorm].params;
        out.output = batchnorm;
      }
    }
    if (takes_activation && out.activation == Activation::kNone) {
      int activation = sole_consumer(out.output, OpKind::kActivation);
      if (activation >= 0 && is_clamp(graph.layers[activation].activation)) {
        out.absorbed.push_back(activation);
        out.activation = graph.layers[activation].activation;
        out.output = activation;
      }
    }
    for (int a : out.absorbed) absorbed[a] = true;

    if (out.kind == LoweringKind::kAlias) {
      const int source = fused.storage_of[layer.inputs.at(0)];
      fused.storage_of[i] = source;
    } else {
      fused.storage_of[i] = out.output;
      for (int a : out.absorbed) fused.storage_of[a] = out.output;
    }
    fused.layers.push_back(std::move(out));
  }
  return fused;
}

}  // namespace npu::compiler
