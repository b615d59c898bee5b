// Pruning weights to a layer's N:M pattern (docs/sparsity.md, "Pruned weights"): which values a
// group keeps, ties, a last short group, and how a violation is reported.

#include "tools/functional/weight_pruning.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "compiler/workload_reader.h"

namespace npu::functional {
namespace {

TEST(WeightPruning, KeepsTheLargestMagnitudesLowerPositionOnTies) {
  EXPECT_EQ(nm_kept_positions({1, 5, 3, 2}, 2), (std::vector<int>{1, 2}));
  EXPECT_EQ(nm_kept_positions({4, 1, 4, 4}, 2), (std::vector<int>{0, 2}));  // three tie at 4
  EXPECT_EQ(nm_kept_positions({0, 0, 0, 0}, 2), (std::vector<int>{0, 1}));
  EXPECT_EQ(nm_kept_positions({7}, 2), (std::vector<int>{0}));  // a short group keeps what it has
}

compiler::Graph dense_layer(const std::string& pattern, int in) {
  return compiler::parse_workload(
      "name: p\ninputs: [{name: x, shape: [" + std::to_string(in) +
          "]}]\nlayers:\n  - {name: d, op: dense, input: x, out_features: 2, weight_pattern: \"" +
          pattern + "\"}\n",
      "p.yaml");
}

TEST(WeightPruning, PrunesEveryGroupOfEachOutputRow) {
  // dense 6 -> 2, 2:4: per output row, channels 0..3 are a group and 4..5 a short one (keeps both).
  const compiler::Graph graph = dense_layer("2:4", 6);
  LayerData data;
  data.weights = {-9, 1,  9, -2, 3, -4,  //
                  1,  -1, 1, 1,  0, 5};
  data.float_weights = {0.5f, -0.25f, 0.125f, -1.0f, 1.0f, 2.0f,  //
                        0,    0,      0,      0,     0,    0};
  EXPECT_NE(nm_pattern_violation(graph, graph.layers[1], data), "");
  prune_to_nm_pattern(graph, graph.layers[1], data);
  // |-9| = |9| > |-2| > |1|: keep -9 and 9. Row 1: four magnitudes of 1, keep the first two.
  EXPECT_EQ(data.weights, (std::vector<int8_t>{-9, 0, 9, 0, 3, -4,  //
                                               1, -1, 0, 0, 0, 5}));
  EXPECT_EQ(data.float_weights, (std::vector<float>{0.5f, 0, 0, -1.0f, 1.0f, 2.0f,  //
                                                    0, 0, 0, 0, 0, 0}));
  EXPECT_EQ(nm_pattern_violation(graph, graph.layers[1], data), "");
}

TEST(WeightPruning, NamesWhereWeightsBreakThePattern) {
  const compiler::Graph graph = dense_layer("1:4", 8);
  LayerData data;
  data.weights = {1, 0, 0, 0, 0, 0, 0, 0,  //
                  0, 0, 0, 0, 0, 2, 3, 0};
  EXPECT_EQ(nm_pattern_violation(graph, graph.layers[1], data),
            "output channel 1, tap 0, input channels 4..7 hold 2 nonzeros (at most 1)");
}

TEST(WeightPruning, ConvGroupsRunAlongInputChannelsOfOneTap) {
  // A 1x2 kernel over 4 channels, 2:4: weights [Cout=1][Kh=1][Kw=2][Cin=4]; each tap's 4
  // channels are one group.
  const compiler::Graph graph = compiler::parse_workload(
      "name: p\ninputs: [{name: x, shape: [3, 3, 4]}]\nlayers:\n"
      "  - {name: c, op: conv2d, input: x, out_channels: 1, kernel: [1, 2], weight_pattern: "
      "\"2:4\"}\n",
      "p.yaml");
  LayerData data;
  data.weights = {1, 2, 3, 4, 8, 7, 6, 5};
  prune_to_nm_pattern(graph, graph.layers[1], data);
  EXPECT_EQ(data.weights, (std::vector<int8_t>{0, 0, 3, 4, 8, 7, 0, 0}));
}

}  // namespace
}  // namespace npu::functional
