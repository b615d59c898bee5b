#pragma once
// Looking layers up by name in the compiler tests.

#include <stdexcept>
#include <string>

#include "compiler/graph.h"

namespace npu::compiler::testing_util {

inline const Layer& find(const Graph& graph, const std::string& name) {
  for (const Layer& layer : graph.layers) {
    if (layer.name == name) return layer;
  }
  throw std::out_of_range("no layer " + name);
}

}  // namespace npu::compiler::testing_util
