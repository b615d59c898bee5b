#include "tools/functional/measured_activations.h"

#include <cmath>

namespace npu::functional {
namespace {

bool multiplies_activations_by_weights(const compiler::Layer& anchor) {
  return anchor.op == compiler::OpKind::kConv2d || anchor.op == compiler::OpKind::kDense;
}

}  // namespace

std::vector<double> measured_activation_density(const compiler::Graph& graph,
                                                const compiler::CompiledModel& model,
                                                const InterpreterCounts& counts) {
  std::vector<double> density(model.layers.size(), -1.0);
  for (size_t l = 0; l < model.layers.size(); ++l) {
    const compiler::Layer& anchor = graph.layers[static_cast<size_t>(model.layers[l].fused.anchor)];
    const uint64_t operands = counts.layer_input_operands[l];
    if (!multiplies_activations_by_weights(anchor) || operands == 0) continue;
    density[l] = 1.0 - static_cast<double>(counts.layer_zero_input_operands[l]) /
                           static_cast<double>(operands);
  }
  return density;
}

void use_measured_activation_density(const compiler::Graph& graph,
                                     const std::vector<double>& density,
                                     compiler::CompiledModel& model) {
  for (size_t l = 0; l < model.layers.size() && l < density.size(); ++l) {
    if (density[l] < 0) continue;
    const compiler::Layer& anchor = graph.layers[static_cast<size_t>(model.layers[l].fused.anchor)];
    isa::LayerInfo& info = model.program.layers[l];
    info.zero_operand_macs = info.macs - std::llround(static_cast<double>(info.macs) *
                                                      anchor.weight_density * density[l]);
  }
}

}  // namespace npu::functional
