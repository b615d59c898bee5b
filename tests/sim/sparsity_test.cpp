// Skipping N:M weights (docs/sparsity.md) on real layers, compiled and simulated: what it saves on
// a compute-bound convolution and on a memory-bound dense layer, and what gating leaves alone.

#include <gtest/gtest.h>

#include <string>

#include "arch/arch_loader.h"
#include "compiler/compile.h"
#include "compiler/workload_reader.h"
#include "sim/simulate.h"
#include "sim/stats/report.h"

namespace npu {
namespace {

const std::string kRepo = NPU_REPO_DIR;

arch::ArchConfig edge_design() { return arch::load_arch(kRepo + "/configs/int8_64x64.yaml"); }

compiler::Graph one_layer(const std::string& layer_yaml, const std::string& input_shape) {
  return compiler::parse_workload("name: one\ninputs: [{name: x, shape: " + input_shape +
                                      "}]\nlayers:\n  - " + layer_yaml + "\n",
                                  "one.yaml");
}

stats::LayerCounters run_layer(const compiler::Graph& graph, const arch::ArchConfig& arch) {
  const stats::RunCounters counters = sim::simulate(arch, compiler::compile(graph, arch));
  EXPECT_EQ(counters.layers.size(), 1u);
  return counters.layers.at(0);
}

arch::ArchConfig skipping(arch::ArchConfig arch) {
  arch.sparsity.support = arch::SparsitySupport::kSkipping;
  arch.sparsity.structured_patterns = {"2:4"};
  arch.sparsity.metadata_bits_per_nonzero = 2;
  return arch;
}

const char* kConv =
    "{name: c, op: conv2d, input: x, out_channels: 64, kernel: 3, padding: 1, "
    "weight_pattern: \"2:4\"}";

TEST(Skipping, CutsACompuBoundConvsFoldsNotItsFillAndDrain) {
  // ResNet's 3x3 64 -> 64 conv on 56x56, ideal memory so the array alone sets the time. The tiler
  // cuts the image into 2 bands of 28 rows (1568 pixels), loop order n > m > k: for each band,
  // every K fold preloads its weights (R = 64) and streams the band's 1568 rows with R + C - 2 =
  // 126 cycles of fill and drain: 2R + C - 2 + 1568 = 1758 cycles per band and fold.
  // Dense: ceil(576 / 64) = 9 K folds: 2 x 9 x 1758 = 31,644.
  // Skipping 2:4: each PE row holds one kept weight of every 2 reduction rows, so a fold covers
  // 64 / 2 x 4 = 128 rows of K: ceil(576 / 128) = 5 folds (4 of 128, one of 64), each still 1758
  // cycles since fill and drain cross the whole array: 17,580, 5/9 = 0.556 of dense, not 0.5.
  const compiler::Graph graph = one_layer(kConv, "[56, 56, 64]");
  arch::ArchConfig arch = edge_design();
  arch.memory.ideal = true;
  const stats::LayerCounters dense = run_layer(graph, arch);
  const stats::LayerCounters skipped = run_layer(graph, skipping(arch));
  EXPECT_EQ(dense.matrix_busy_cycles, 2u * 9 * 1758);
  EXPECT_EQ(skipped.matrix_busy_cycles, 2u * 5 * 1758);
  // MACs: 3136 x 576 x 64 = 115,605,504 dense; half the weights are skipped.
  EXPECT_EQ(dense.executed_macs, 115'605'504u);
  EXPECT_EQ(skipped.executed_macs, 115'605'504u / 2);
  EXPECT_EQ(skipped.skipped_macs, 115'605'504u / 2);
  EXPECT_EQ(dense.skipped_macs, 0u);
}

TEST(Skipping, DoesNotShrinkMemoryTime) {
  // The same conv with real memory: skipping cuts the array's time, but every input, output and
  // (in this version, uncompressed) weight byte still moves, so DRAM traffic is the same.
  const compiler::Graph graph = one_layer(kConv, "[56, 56, 64]");
  const stats::LayerCounters dense = run_layer(graph, edge_design());
  const stats::LayerCounters skipped = run_layer(graph, skipping(edge_design()));
  // Within 1%: the skipped layer is tiled with 128-row weight blocks, whose runs round to DRAM
  // access blocks a little differently.
  EXPECT_NEAR(double(skipped.dram_read_bytes), double(dense.dram_read_bytes),
              0.01 * double(dense.dram_read_bytes));
  EXPECT_EQ(skipped.dram_write_bytes, dense.dram_write_bytes);
  EXPECT_NEAR(double(skipped.dram_busy_cycles), double(dense.dram_busy_cycles),
              0.01 * double(dense.dram_busy_cycles));
  // The array's share is still about 5/9 (with real memory its busy time also holds waits for
  // operands, so not exactly).
  EXPECT_LT(double(skipped.matrix_busy_cycles), 0.6 * double(dense.matrix_busy_cycles));
  EXPECT_GT(double(skipped.matrix_busy_cycles), 0.5 * double(dense.matrix_busy_cycles));
  // The layer's time falls with the array's, but no lower than its DRAM time.
  EXPECT_LT(skipped.cycles, dense.cycles);
  EXPECT_GE(skipped.cycles, skipped.dram_busy_cycles);
}

TEST(Skipping, DenseLayerAtBatch1SavesOnlyUntilMemoryBounds) {
  // fc 2048 -> 1000 at batch 1 (ResNet's head). Weight stationary streams one row per fold, so the
  // array's time is folds x (2R + C + 1 - 2) = folds x 191: dense ceil(2048 / 64) x
  // ceil(1000 / 64) = 32 x 16 = 512 folds, 97,792 cycles; skipping 2:4, 16 x 16 = 256 folds,
  // 48,896. But its 2 MB of weights still cross the DRAM channel (compressed weights are not
  // modelled yet), 79,296 cycles of it, so the layer ends memory bound: it saves what the array
  // lost down to the memory time, not half.
  const compiler::Graph graph = one_layer(
      "{name: fc, op: dense, input: x, out_features: 1000, weight_pattern: \"2:4\"}", "[2048]");
  const stats::LayerCounters dense = run_layer(graph, edge_design());
  const stats::LayerCounters skipped = run_layer(graph, skipping(edge_design()));
  EXPECT_EQ(dense.matrix_busy_cycles, 512u * 191);
  EXPECT_EQ(skipped.matrix_busy_cycles, 256u * 191);
  // Within 2%: the two are tiled differently (the dense layer's tiles re-read the 2 KB input once
  // per 64-channel output chunk, 15 x 2,048 = 30,720 B more), but the weights move either way.
  EXPECT_NEAR(double(skipped.dram_read_bytes), double(dense.dram_read_bytes),
              0.02 * double(dense.dram_read_bytes));
  // The channel's busy time also holds the extra transfers' bursts: 3%.
  EXPECT_NEAR(double(skipped.dram_busy_cycles), double(dense.dram_busy_cycles),
              0.03 * double(dense.dram_busy_cycles));
  EXPECT_GE(skipped.dram_read_bytes, 2048u * 1000u);  // every weight byte
  EXPECT_GE(skipped.cycles, skipped.dram_busy_cycles);
  EXPECT_GT(skipped.cycles, dense.cycles * 8 / 10);  // far from the 0.5 the folds alone suggest
  EXPECT_LT(skipped.cycles, dense.cycles);
}

arch::ArchConfig skipping_unstructured(arch::ArchConfig arch) {
  arch.sparsity.support = arch::SparsitySupport::kSkipping;
  arch.sparsity.skip_unstructured_weights = true;
  return arch;
}

TEST(SkippingUnstructured, ImbalanceCostsAFoldOverTheBalancedIdeal) {
  // The 3x3 64 -> 64 conv above with half its weights zero anywhere (weight_density 0.5), ideal
  // memory. Each PE column packs its output channel's nonzeros; the 64 columns share each fold, so
  // a fold covers the largest k whose expected busiest column fits in R = 64: E[max of 64
  // Binomial(104, 0.5)] = 63.90 <= 64 < E[max at 105] (compiler/unstructured_skipping.h), k = 104.
  // K = 576 takes ceil(576 / 104) = 6 folds (5 of 104, one of 56) per band, each 1758 cycles as
  // before: 2 x 6 x 1758 = 21,096. An even spread (32 nonzeros in every 64 rows of every column)
  // would give R / d = 128 rows, 5 folds, 17,580 (what 2:4 achieves); dense takes 9, 31,644.
  const compiler::Graph graph = one_layer(
      "{name: c, op: conv2d, input: x, out_channels: 64, kernel: 3, padding: 1, "
      "weight_density: 0.5}",
      "[56, 56, 64]");
  arch::ArchConfig arch = edge_design();
  arch.memory.ideal = true;
  const stats::LayerCounters dense = run_layer(graph, arch);
  const stats::LayerCounters skipped = run_layer(graph, skipping_unstructured(arch));
  EXPECT_EQ(dense.matrix_busy_cycles, 2u * 9 * 1758);
  EXPECT_EQ(skipped.matrix_busy_cycles, 2u * 6 * 1758);
  // Each multiply of k rows executes round(k x 0.5) per output: 5 x 52 + 28 = 288 = 576 / 2, so
  // 3136 x 288 x 64 = 57,802,752 MACs, half of dense; the other half are skipped.
  EXPECT_EQ(skipped.executed_macs, 57'802'752u);
  EXPECT_EQ(skipped.skipped_macs, 57'802'752u);
  // Without skip_unstructured_weights the array only gates: cycles as dense.
  arch::ArchConfig gating_only = arch;
  gating_only.sparsity.support = arch::SparsitySupport::kSkipping;
  EXPECT_EQ(run_layer(graph, gating_only).matrix_busy_cycles, dense.matrix_busy_cycles);
}

TEST(SkippingUnstructured, FewerColumnsMeanLessImbalance) {
  // A dense layer 256 -> 8 at d = 0.5: only 8 columns share a fold, so the busiest of 8 binomials
  // sets it: k = 112 rows (E[max of 8 Binomial(112, 0.5)] = 63.52 <= 64 < 64.05 at 113), closer
  // to the balanced 128 than the 104 of 64 columns. K = 256 takes ceil(256 / 112) = 3 folds,
  // against 2 balanced and 4 dense.
  const compiler::Graph graph = one_layer(
      "{name: fc, op: dense, input: x, out_features: 8, weight_density: 0.5}", "[256]");
  arch::ArchConfig arch = skipping_unstructured(edge_design());
  arch.memory.ideal = true;
  const isa::Program program = compiler::compile(graph, arch);
  ASSERT_EQ(program.layers.size(), 1u);
  EXPECT_EQ(program.layers[0].skip_rows, 112u);
  EXPECT_EQ(program.layers[0].skip_density, 0.5);
  // Its array time: one row streams per fold, each 2R + C + 1 - 2 = 191 cycles.
  const stats::LayerCounters skipped = run_layer(graph, arch);
  EXPECT_EQ(skipped.matrix_busy_cycles, 3u * 191);
}

TEST(Gating, LeavesCyclesAlone) {
  const compiler::Graph graph = one_layer(kConv, "[56, 56, 64]");
  arch::ArchConfig gating = edge_design();
  gating.sparsity.support = arch::SparsitySupport::kGating;
  gating.sparsity.structured_patterns = {"2:4"};
  const stats::LayerCounters dense = run_layer(graph, edge_design());
  const stats::LayerCounters gated = run_layer(graph, gating);
  EXPECT_EQ(gated.cycles, dense.cycles);
  EXPECT_EQ(gated.executed_macs, dense.executed_macs);
  EXPECT_EQ(gated.skipped_macs, 0u);
}

}  // namespace
}  // namespace npu
