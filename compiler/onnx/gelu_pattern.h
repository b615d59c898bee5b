#pragma once
// GELU as exporters write it before opset 20, x * 0.5 * (1 + erf(x / sqrt 2)), recognised across
// its five or six nodes so that it becomes one gelu layer instead of several vector layers with
// warnings (docs/onnx.md lists the forms).

#include <map>
#include <string>
#include <vector>

#include "compiler/onnx/converter.h"

namespace npu::compiler::onnx_import {

// A recognised x * 0.5 * (1 + erf(x / sqrt 2)): the nodes it spans and the tensors it maps.
struct GeluMatch {
  int erf_node = 0;
  std::string input;   // x
  std::string output;  // the last Mul's output
  std::vector<int> nodes;
};

class GeluPatterns {
 public:
  // Finds every instance in `converter`'s graph. The scalars are read as constants, so Constant
  // nodes must be registered first.
  explicit GeluPatterns(const OnnxConverter& converter);

  // Whether node `index` lies inside a pattern before its last node: it is converted with the
  // pattern, not by itself.
  bool absorbs(int index) const { return m_absorbed[static_cast<size_t>(index)]; }
  // The pattern ending at node `index`, or null.
  const GeluMatch* ending_at(int index) const;

  // Appends the gelu layer of `match` and defines its output.
  static void emit(OnnxConverter& converter, const GeluMatch& match);

 private:
  std::vector<bool> m_absorbed;
  std::map<int, GeluMatch> m_ending_at;
};

}  // namespace npu::compiler::onnx_import
