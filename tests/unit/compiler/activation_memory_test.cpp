// Activation memory by hand: which tensors each layer holds, from who writes and who reads them.

#include "compiler/activation_memory.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <string>
#include <vector>

#include "compiler/compile.h"
#include "compiler/workload_reader.h"
#include "tests/common/small_arch.h"

namespace npu::compiler {
namespace {

std::vector<std::string> layer_names(const CompiledModel& model) {
  std::vector<std::string> names;
  for (const isa::LayerInfo& layer : model.program.layers) names.push_back(layer.name);
  return names;
}

// int8, batch 1: x 8x8x4 = 256 B; a, b and s 8x8x8 = 512 B each; f is s seen flat (no bytes of
// its own); d 10 B.
//   a (conv of x):  x (last read here) + a                          = 256 + 512       =   768
//   b (conv of a):  a (read again by s) + b                         = 512 + 512       = 1,024
//   s (add b + a):  a + b + s                                        = 3 x 512         = 1,536
//   f (flatten s):  s (f is s; d reads it next)                      =                    512
//   d (dense of f): s + d (a model output, held to the end)          = 512 + 10        =   522
// Every tensor once: 256 + 3 x 512 + 10 = 1,802.
TEST(ActivationMemory, ResidualHoldsItsShortcutAndAnAliasExtendsItsSource) {
  const Graph graph = parse_workload(R"(
name: residual
inputs: [{name: x, shape: [8, 8, 4]}]
layers:
  - {name: a, op: conv2d, input: x, out_channels: 8, kernel: 1}
  - {name: b, op: conv2d, input: a, out_channels: 8, kernel: 3, padding: 1}
  - {name: s, op: add, inputs: [b, a]}
  - {name: f, op: flatten, input: s}
  - {name: d, op: dense, input: f, out_features: 10}
)",
                                     "residual.yaml");
  const CompiledModel model = compile_model(graph, testing_support::small_arch());
  ASSERT_EQ(layer_names(model), (std::vector<std::string>{"a", "b", "s", "f", "d"}));
  const ActivationMemory memory = activation_memory(graph, model);
  EXPECT_EQ(memory.live_bytes, (std::vector<uint64_t>{768, 1024, 1536, 512, 522}));
  EXPECT_EQ(memory.total_bytes, 1802u);
}

// A concat placed in place holds its inputs inside its own tensor: they count once, from the
// first input's writer on. x 16 B; p and q 8 B each inside c 16 B; r 4 B.
//   p: x (q reads it next) + c (p writes into it)   = 16 + 16 = 32
//   q: x + c                                         = 32
//   c: c (moves nothing)                             = 16
//   r: c + r                                         = 20
// Every tensor once: 16 + 16 + 4 = 36 (p and q are inside c).
TEST(ActivationMemory, ConcatInPlaceCountsItsInputsOnce) {
  const Graph graph = parse_workload(R"(
name: cat
inputs: [{name: x, shape: [16]}]
layers:
  - {name: p, op: dense, input: x, out_features: 8}
  - {name: q, op: dense, input: x, out_features: 8}
  - {name: c, op: concat, inputs: [p, q]}
  - {name: r, op: dense, input: c, out_features: 4}
)",
                                     "cat.yaml");
  const CompiledModel model = compile_model(graph, testing_support::small_arch());
  ASSERT_EQ(layer_names(model), (std::vector<std::string>{"p", "q", "c", "r"}));
  ASSERT_NE(model.program.layers[2].mapping.find("in place"), std::string::npos)
      << model.program.layers[2].mapping;
  const ActivationMemory memory = activation_memory(graph, model);
  EXPECT_EQ(memory.live_bytes, (std::vector<uint64_t>{32, 32, 16, 20}));
  EXPECT_EQ(memory.total_bytes, 36u);
}

// A tensor nobody reads is a model output: it is held from its writer to the end. x 256 B; a, b
// and c 512 B each; a is an output written first.
//   a: x (b reads it next) + a          = 256 + 512       =   768
//   b: x + a (held) + b                  = 256 + 2 x 512   = 1,280
//   c: a + b + c                         = 3 x 512         = 1,536
TEST(ActivationMemory, AnOutputIsHeldToTheEnd) {
  const Graph graph = parse_workload(R"(
name: two_outputs
inputs: [{name: x, shape: [8, 8, 4]}]
layers:
  - {name: a, op: conv2d, input: x, out_channels: 8, kernel: 1}
  - {name: b, op: conv2d, input: x, out_channels: 8, kernel: 1}
  - {name: c, op: conv2d, input: b, out_channels: 8, kernel: 1}
)",
                                     "two_outputs.yaml");
  const CompiledModel model = compile_model(graph, testing_support::small_arch());
  ASSERT_EQ(layer_names(model), (std::vector<std::string>{"a", "b", "c"}));
  const ActivationMemory memory = activation_memory(graph, model);
  EXPECT_EQ(memory.live_bytes, (std::vector<uint64_t>{768, 1280, 1536}));
  EXPECT_EQ(memory.total_bytes, 1792u);
}

// The batch multiplies every tensor, and fused layers hold one tensor: conv + relu at batch 3 is
// one layer writing 3 x 4x4x8 = 384 B from 3 x 4x4x2 = 96 B.
TEST(ActivationMemory, BatchScalesAndFusionKeepsOneTensor) {
  const Graph graph = parse_workload(R"(
name: fused
batch: 3
inputs: [{name: x, shape: [4, 4, 2]}]
layers:
  - {name: c, op: conv2d, input: x, out_channels: 8, kernel: 3, padding: 1}
  - {name: r, op: relu, input: c}
)",
                                     "fused.yaml");
  const CompiledModel model = compile_model(graph, testing_support::small_arch());
  ASSERT_EQ(layer_names(model), (std::vector<std::string>{"c"}));
  const ActivationMemory memory = activation_memory(graph, model);
  EXPECT_EQ(memory.live_bytes, (std::vector<uint64_t>{96 + 384}));
  EXPECT_EQ(memory.total_bytes, 480u);
}

}  // namespace
}  // namespace npu::compiler
