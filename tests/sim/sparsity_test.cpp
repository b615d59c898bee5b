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
  // ResNet's 3x3 64 -> 64 conv on 56x56, ideal memory so the array alone sets the time. Planning
  // for a memory that costs nothing, the tiler takes the whole image as one band of 56 rows (3136
  // pixels; fewer bands mean fewer fills): every K fold preloads its weights (R = 64) and streams
  // 3136 rows with R + C - 2 = 126 cycles of fill and drain: 2R + C - 2 + 3136 = 3326 cycles.
  // Dense: ceil(576 / 64) = 9 K folds: 9 x 3326 = 29,934.
  // Skipping 2:4: each PE row holds one kept weight of every 2 reduction rows, so a fold covers
  // 64 / 2 x 4 = 128 rows of K: ceil(576 / 128) = 5 folds (4 of 128, one of 64), each still 3326
  // cycles since fill and drain cross the whole array: 16,630, 5/9 = 0.556 of dense, not 0.5.
  const compiler::Graph graph = one_layer(kConv, "[56, 56, 64]");
  arch::ArchConfig arch = edge_design();
  arch.memory.ideal = true;
  const stats::LayerCounters dense = run_layer(graph, arch);
  const stats::LayerCounters skipped = run_layer(graph, skipping(arch));
  EXPECT_EQ(dense.matrix_busy_cycles, 9u * 3326);
  EXPECT_EQ(skipped.matrix_busy_cycles, 5u * 3326);
  // MACs: 3136 x 576 x 64 = 115,605,504 dense; half the weights are skipped.
  EXPECT_EQ(dense.executed_macs, 115'605'504u);
  EXPECT_EQ(skipped.executed_macs, 115'605'504u / 2);
  EXPECT_EQ(skipped.skipped_macs, 115'605'504u / 2);
  EXPECT_EQ(dense.skipped_macs, 0u);
  // The weight buffer holds and the preloads read compressed blocks (docs/sparsity.md): 4 folds of
  // 5120 B and one of 2560 B = 23,040 B instead of 576 x 64 = 36,864 B. Loaded once: 13,824 B
  // fewer written; preloaded once (one band): 13,824 B fewer read. The requantization records
  // (64 x 12 = 768 B, read once per sub-band) account for the rest of the reads: sub-bands hold at
  // least 4 x R pixels of the array the layer is tiled for, at most 8 per band, so the band of
  // 3136 pixels is requantized in min(8, 3136 / 256) = 8 sub-bands dense (R = 64) and
  // 3136 / 512 = 6 skipped (R' = 128): 2 x 768 = 1536 B fewer.
  const size_t weight = static_cast<size_t>(isa::Buffer::kWeight);
  EXPECT_EQ(dense.sram_write_bytes[weight] - skipped.sram_write_bytes[weight], 13'824u);
  EXPECT_EQ(dense.sram_read_bytes[weight] - skipped.sram_read_bytes[weight], 13'824u + 1'536u);
}

TEST(Skipping, OutputStationaryStreamsOnlyTheKeptRows) {
  // The same conv, ideal memory, output stationary: a fold holds 64 output pixels x 64 channels
  // and streams K. The tiler cuts the image into 7 bands of 8 rows (448 pixels = 7 folds of 64):
  // 49 folds. Dense, each streams K = 576 steps: 2R + C - 2 + 576 = 766 cycles, 49 x 766 =
  // 37,534. Skipping 2:4, each column's weights are its kept values (2 of every 4 along K) with
  // their indices, and every PE has a 4-input multiplexer picking, from the 4 inputs of the
  // current group its row carries, the one its weight's index names: a fold streams 576 / 2 =
  // 288 steps, 128 + 64 - 2 + 288 = 478 cycles, 49 x 478 = 23,422 (0.624 of dense: the folds
  // keep their fill and drain).
  const compiler::Graph graph = one_layer(kConv, "[56, 56, 64]");
  arch::ArchConfig arch = edge_design();
  arch.memory.ideal = true;
  arch.array.dataflow = arch::Dataflow::kOutputStationary;
  const stats::LayerCounters dense = run_layer(graph, arch);
  const stats::LayerCounters skipped = run_layer(graph, skipping(arch));
  EXPECT_EQ(dense.matrix_busy_cycles, 49u * 766);
  EXPECT_EQ(skipped.matrix_busy_cycles, 49u * 478);
  EXPECT_EQ(skipped.executed_macs, 115'605'504u / 2);
  EXPECT_EQ(skipped.skipped_macs, 115'605'504u / 2);
}

TEST(Skipping, InputStationaryFoldsKOverTheKeptRows) {
  // Input stationary: a fold holds K rows x 64 output pixels of inputs and streams the 64 output
  // channels: 2R + C - 2 + 64 = 254 cycles. Dense: 49 pixel folds x ceil(576 / 64) = 9 K folds =
  // 441 folds, 112,014 cycles. Skipping 2:4: each PE row multiplies one kept weight of every 2
  // reduction rows (it holds its group's 4 inputs and the streamed weight's index picks one), so
  // a fold covers 128 rows of K: 49 x ceil(576 / 128) = 49 x 5 = 245 folds, 62,230 cycles.
  const compiler::Graph graph = one_layer(kConv, "[56, 56, 64]");
  arch::ArchConfig arch = edge_design();
  arch.memory.ideal = true;
  arch.array.dataflow = arch::Dataflow::kInputStationary;
  const stats::LayerCounters dense = run_layer(graph, arch);
  const stats::LayerCounters skipped = run_layer(graph, skipping(arch));
  EXPECT_EQ(dense.matrix_busy_cycles, 441u * 254);
  EXPECT_EQ(skipped.matrix_busy_cycles, 245u * 254);
  EXPECT_EQ(skipped.executed_macs, 115'605'504u / 2);
}

TEST(Skipping, ShrinksOnlyTheWeightTrafficOfAComputeBoundConv) {
  // The same conv with real memory. Both runs tile it alike (bands of 28 rows x all 64 input x all
  // 64 output channels, weights loaded once), so every input and output byte moves as before and
  // only the weights shrink. Dense: K x N = 576 x 64 int8 = 36,864 B. Compressed 2:4 with 2-bit
  // indices, per K fold of R' = 128 rows (docs/sparsity.md): 64 kept rows x 64 columns = 4096 B of
  // values + 64 x 64 x 2 / 8 = 1024 B of indices = 5120 B, 80 whole 64-byte DRAM blocks; K = 576
  // is 4 such folds and one of 64 rows (32 kept: 2048 + 512 = 2560 B, 40 blocks): 4 x 5120 + 2560
  // = 23,040 B, 0.625 of dense. The difference: 36,864 - 23,040 = 13,824 B fewer DRAM reads.
  const compiler::Graph graph = one_layer(kConv, "[56, 56, 64]");
  const stats::LayerCounters dense = run_layer(graph, edge_design());
  const stats::LayerCounters skipped = run_layer(graph, skipping(edge_design()));
  EXPECT_EQ(dense.dram_read_bytes - skipped.dram_read_bytes, 13'824u);
  EXPECT_EQ(skipped.dram_write_bytes, dense.dram_write_bytes);
  // The array's share is still about 5/9 (with real memory its busy time also holds waits for
  // operands, so not exactly).
  EXPECT_LT(double(skipped.matrix_busy_cycles), 0.6 * double(dense.matrix_busy_cycles));
  EXPECT_GT(double(skipped.matrix_busy_cycles), 0.5 * double(dense.matrix_busy_cycles));
  // The layer's time falls with the array's, but no lower than its DRAM time.
  EXPECT_LT(skipped.cycles, dense.cycles);
  EXPECT_GE(skipped.cycles, skipped.dram_busy_cycles);
}

TEST(Skipping, DenseLayerAtBatch1SavesOnlyWhatCompressedWeightsSaveInTraffic) {
  // fc 2048 -> 1000 at batch 1 (ResNet's head). Weight stationary streams one row per fold, so the
  // array's time is folds x (2R + C + 1 - 2) = folds x 191: dense ceil(2048 / 64) x
  // ceil(1000 / 64) = 32 x 16 = 512 folds, 97,792 cycles; skipping 2:4, 16 x 16 = 256 folds,
  // 48,896. What remains is the DRAM channel (26.67 B/cycle: 12.8 GB/s at 480 MHz), and that
  // carries the compressed weights.
  //
  // The tiler cuts the skipped layer into K chunks of 128 input channels (one fold each) and
  // 16 output chunks of 63 channels (the last 55). DRAM reads, by hand:
  // - weights: a 128 x 63 fold block is 64 kept rows x 63 = 4032 B of values + 64 x 63 x 2 / 8 =
  //   1008 B of indices = 5040 B, padded to 79 DRAM blocks = 5056 B; a 128 x 55 block is
  //   80 x 55 = 4400 B, 69 blocks = 4416 B. 16 K chunks x (15 x 5056 + 4416) = 1,284,096 B
  //   (dense: 2,048,000 B; 0.627 of it).
  // - the input: one 128-byte chunk per (output chunk, K chunk), block-aligned: 256 x 128 =
  //   32,768 B.
  // - the requantization records, 12 B per channel, one 756-byte run per output chunk (660 for
  //   the last) from a block-aligned tensor: the runs touch 12 or 13 blocks each (11 the last),
  //   203 blocks = 12,992 B.
  // Total 1,284,096 + 32,768 + 12,992 = 1,329,856 B.
  // Channel occupancy, ceil(bus bytes x 3 / 80) per transfer: weights 16 x (15 x 190 + 166) =
  // 48,256 cycles; inputs 256 x 5 = 1280; records 3 runs of 12 blocks (768 B: 29), 12 of 13
  // (832 B: 32) and one of 11 (704 B: 27) = 498; the output, 16 stores of 63 B (55 the last) at
  // 63-byte steps from a block-aligned tensor, 15 touching 2 blocks (5 cycles) and one 1 block
  // (3): 1984 B, 78 cycles. 50,112 cycles in all: the channel alone is longer than the array's
  // 48,896, so the layer's time is set by the compressed traffic, not by the halved folds.
  const compiler::Graph graph = one_layer(
      "{name: fc, op: dense, input: x, out_features: 1000, weight_pattern: \"2:4\"}", "[2048]");
  const stats::LayerCounters dense = run_layer(graph, edge_design());
  const stats::LayerCounters skipped = run_layer(graph, skipping(edge_design()));
  EXPECT_EQ(dense.matrix_busy_cycles, 512u * 191);
  EXPECT_EQ(skipped.matrix_busy_cycles, 256u * 191);
  EXPECT_EQ(skipped.dram_read_bytes, 1'329'856u);
  EXPECT_EQ(skipped.dram_write_bytes, 1'984u);
  EXPECT_EQ(skipped.dram_busy_cycles, 48'256u + 1'280u + 498u + 78u);
  EXPECT_GE(skipped.cycles, skipped.dram_busy_cycles);
  // Dense, the weights alone are 2,048,000 B: the skipped layer reads 0.635 of the dense run's
  // bytes, and its time follows the traffic (0.599 of dense: 98,087 -> 58,739 when this was
  // written), far from the 0.5 of the folds and never below the compressed weights' channel time.
  EXPECT_GE(dense.dram_read_bytes, 2'048'000u);
  EXPECT_GT(skipped.cycles, dense.cycles / 2);
  EXPECT_LT(skipped.cycles, dense.cycles * 65 / 100);
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
  // K = 576 takes ceil(576 / 104) = 6 folds (5 of 104, one of 56) of the one band, each 3326
  // cycles as before: 6 x 3326 = 19,956. An even spread (32 nonzeros in every 64 rows of every
  // column) would give R / d = 128 rows, 5 folds, 16,630 (what 2:4 achieves); dense takes 9, 29,934.
  const compiler::Graph graph = one_layer(
      "{name: c, op: conv2d, input: x, out_channels: 64, kernel: 3, padding: 1, "
      "weight_density: 0.5}",
      "[56, 56, 64]");
  arch::ArchConfig arch = edge_design();
  arch.memory.ideal = true;
  const stats::LayerCounters dense = run_layer(graph, arch);
  const stats::LayerCounters skipped = run_layer(graph, skipping_unstructured(arch));
  EXPECT_EQ(dense.matrix_busy_cycles, 9u * 3326);
  EXPECT_EQ(skipped.matrix_busy_cycles, 6u * 3326);
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
