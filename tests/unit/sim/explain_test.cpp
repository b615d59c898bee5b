// --explain's choices on hand-built reports: which diagnosis and which remedy each kind of layer
// gets, with the numbers it quotes.

#include "sim/stats/explain.h"

#include <gtest/gtest.h>

#include <string>

namespace npu::stats {
namespace {

// A 64x64 weight-stationary design at 32 B of DRAM per cycle: peak 4096 MACs/cycle, ridge 128
// MACs/B; 64 vector lanes, int8.
Report design() {
  Report report;
  report.array_rows = 64;
  report.array_cols = 64;
  report.pes = 4096;
  report.dataflow = "weight_stationary";
  report.vector_lanes = 64;
  report.operand_bits = 8;
  report.roofline = {4096.0, 32.0, 128.0};
  return report;
}

// Derived fields as build_report would set them from the ones given.
LayerReport derive(LayerReport layer, const Report& report) {
  const double bytes = static_cast<double>(layer.dram_read_bytes + layer.dram_write_bytes);
  layer.operational_intensity = bytes == 0 ? 0.0 : static_cast<double>(layer.macs) / bytes;
  layer.attainable_macs_per_cycle = layer.macs == 0 ? 0.0
                                    : bytes == 0
                                        ? report.roofline.peak_macs_per_cycle
                                        : report.roofline.attainable(layer.operational_intensity);
  layer.macs_per_cycle =
      layer.cycles == 0 ? 0.0 : static_cast<double>(layer.macs) / static_cast<double>(layer.cycles);
  layer.compute_fraction = layer.cycles == 0 ? 0.0
                                             : static_cast<double>(layer.cycles_breakdown.compute) /
                                                   static_cast<double>(layer.cycles);
  return layer;
}

std::string explain(const LayerReport& layer, Report report = design()) {
  report.layers = {derive(layer, report)};
  const std::vector<std::string> texts = explain_layers(report);
  EXPECT_EQ(texts.size(), 1u);
  EXPECT_EQ(texts[0].find('\n'), std::string::npos);
  return texts[0];
}

#define EXPECT_SAYS(text, words) EXPECT_NE((text).find(words), std::string::npos) << (text)
#define EXPECT_NOT_SAYS(text, words) EXPECT_EQ((text).find(words), std::string::npos) << (text)

// A 1x1 conv below the ridge, most bytes activations: 2.0M MACs over 288,000 B = 6.94 MACs/B.
LayerReport memory_bound_conv() {
  LayerReport l;
  l.name = "layer1.0.conv1";
  l.op = "conv2d";
  l.output_shape = {1, 56, 56, 64};
  l.mapping = "implicit GEMM M=3136 K=64 N=64; tile 4 rows (224 px) x 64 in-ch x 64 out-ch";
  l.macs = 2'000'000;
  l.params = 4096;
  l.executed_macs = 2'000'000;
  l.cycles = 10'000;
  l.bound = Bound::kMemory;
  l.compute_unit = ComputeUnit::kArray;
  l.matrix_busy_cycles = 3000;
  l.dram_busy_cycles = 9000;
  l.dram_read_bytes = 200'000;
  l.dram_write_bytes = 88'000;
  l.mapping_efficiency = 1.0;
  l.streaming_fraction = 0.54;
  l.cycles_breakdown = {3000, 6500, 0, 300, 200};
  l.compute_span = {true, 300, 400};
  return l;
}

TEST(Explain, MemoryBoundBelowTheRidgeWithActivationTraffic) {
  const std::string text = explain(memory_bound_conv());
  EXPECT_EQ(text.rfind("Memory-bound: it moves 281.25 KiB over DRAM, 9,000 cycles of channel time "
                       "at 32.00 B/cycle, while the array needs only 3,000.",
                       0),
            0u)
      << text;
  // 2e6 / 288e3 = 6.94 MACs/B x 32 B/cycle = 222 MACs/cycle attainable; achieved 2e6 / 1e4 = 200.
  EXPECT_SAYS(text,
              "Its intensity, 6.9 MACs/B, is below the ridge of 128.0, so it can attain at "
              "most 222 MACs/cycle (it achieves 200): more DRAM bandwidth would help");
  // Weights: 4096 parameters + 12 B of requantization block per output channel x 64 = 4864 B.
  EXPECT_SAYS(text, "mostly activations (the weights are only 4.75 KiB, the output 196.00 KiB)");
  // A memory-bound layer is not blamed on the array's fill and drain.
  EXPECT_NOT_SAYS(text, "fill and drain");
  // Lead-in 300 + tail 400 is 7% of the cycles: not worth a sentence.
  EXPECT_NOT_SAYS(text, "into the layer");
}

// Block overfetch gets a sentence when at least 15% of the bus bytes carry no data: 288,000 bus
// bytes with 201,600 of data is 30% overfetch (86,400 B); with 250,000 of data it is 13%, unsaid.
TEST(Explain, BlockOverfetchOfStridedRuns) {
  LayerReport conv = memory_bound_conv();
  conv.dram_payload_bytes = 201'600;
  EXPECT_SAYS(explain(conv), "30% of those bytes carry no data (196.88 KiB of data in 281.25 KiB)");
  conv.dram_payload_bytes = 250'000;
  EXPECT_NOT_SAYS(explain(conv), "carry no data");
  conv.dram_payload_bytes = 0;  // not measured (a hand-built report)
  EXPECT_NOT_SAYS(explain(conv), "carry no data");
}

TEST(Explain, MemoryBoundWithWeightTrafficSuggestsReuse) {
  LayerReport conv = memory_bound_conv();
  conv.params = 200'000;  // 200,000 + 12 x 64 = 200,768 of 288,000 bytes
  EXPECT_SAYS(explain(conv),
              "the bytes are mostly weights (196.06 KiB), which a larger batch (its images "
              "stream through each weight block) would reuse");
  LayerReport dense = conv;
  dense.op = "dense";
  dense.mapping = "implicit GEMM M=1 K=2048 N=1000; tile 1 rows (1 px) x 64 in-ch x 63 out-ch";
  // 200,000 + 12 x 1000 = 212,000 B.
  EXPECT_SAYS(explain(dense),
              "the bytes are mostly weights (207.03 KiB, each used for 1 row), "
              "which a larger batch would reuse");
  // Exactly half the bytes (143,232 + 768 = 144,000) is "mostly"; one byte less is not.
  conv.params = 143'232;
  EXPECT_SAYS(explain(conv), "mostly weights");
  conv.params = 143'231;
  EXPECT_SAYS(explain(conv), "mostly activations");
}

TEST(Explain, BalancedArrayAndDram) {
  LayerReport l = memory_bound_conv();
  l.matrix_busy_cycles = 8100;  // 90% of the DRAM's 9,000: balanced
  EXPECT_SAYS(explain(l), "and the array needs 8,100: the two are balanced");
  l.matrix_busy_cycles = 8099;
  EXPECT_SAYS(explain(l), "while the array needs only 8,099.");
}

TEST(Explain, MemoryBoundAboveTheRidgeIsTransferRounding) {
  LayerReport l = memory_bound_conv();
  l.macs = 40'000'000;  // 40e6 / 288e3 = 138.9 MACs/B, above 128
  EXPECT_SAYS(explain(l),
              "is above the ridge of 128.0, so its bytes alone would fit under the "
              "array's time");
}

// layer4.x.conv2 of ResNet-50: M = 49 rows per fold against 190 cycles of preload, fill and drain.
LayerReport short_stream_conv() {
  LayerReport l;
  l.name = "layer4.0.conv2";
  l.op = "conv2d";
  l.output_shape = {1, 7, 7, 512};
  l.mapping =
      "implicit GEMM M=49 K=4608 N=512; tile 7 rows (49 px) x 64 in-ch x 64 out-ch, order "
      "n>m>k; estimate 139779 cycles, 3193344 B DRAM";
  l.macs = 115'605'504;
  l.params = 2'360'320;
  l.executed_macs = 115'605'504;
  l.cycles = 140'000;
  l.bound = Bound::kCompute;
  l.compute_unit = ComputeUnit::kArray;
  l.matrix_busy_cycles = 137'664;
  l.dram_busy_cycles = 100'000;
  l.dram_read_bytes = 3'000'000;
  l.dram_write_bytes = 25'088;
  l.mapping_efficiency = 1.0;
  l.streaming_fraction = 0.205;
  l.cycles_breakdown = {137'664, 2000, 0, 336, 0};
  l.compute_span = {true, 1800, 536};
  return l;
}

// With two int4 MACs per PE (peak 8192 MACs/cycle) output stationary is not an option (arch
// validation rejects packing there), so the next best, input stationary (estimated 0.61 above),
// is named instead.
TEST(Explain, PackedLayersAreNotPointedToOutputStationary) {
  LayerReport l = short_stream_conv();
  l.peak_macs_per_cycle = 2 * 4096;
  const std::string text = explain(l);
  EXPECT_NOT_SAYS(text, "output-stationary");
  EXPECT_SAYS(text, "an input-stationary dataflow (K by M across the array, streaming N = 512)");
}

TEST(Explain, ComputeBoundByFillAndDrainOfShortFolds) {
  const std::string text = explain(short_stream_conv());
  // 115,605,504 / 4096 = 28,224 cycles at full rate; 137,664 / 28,224 = 4.9.
  EXPECT_SAYS(text,
              "Compute-bound: the array is busy 137,664 of its 140,000 cycles, 4.9x the "
              "28,224 cycles its 115.6M MACs would take");
  EXPECT_SAYS(text,
              "Only 20% of that time streams operands through the array; the rest is preload, "
              "fill and drain");
  EXPECT_SAYS(text, "each fold here streams only 49 rows (M = 49 output pixels per image)");
  // Output stationary holds M = 49 of 64 rows by N = 512 (77% filled) and streams K = 4608:
  // estimated 0.77 x 4608 / (4608 + 128) = 0.74, far above 0.205. Input stationary (K by M,
  // streaming N = 512) estimates 0.77 x 512 / 640 = 0.61: only the better one is named.
  EXPECT_SAYS(text,
              "a larger batch (its images stream through each weight block) or an "
              "output-stationary dataflow (M by N across the array, streaming K = 4,608) "
              "would amortize it.");
  EXPECT_NOT_SAYS(text, "input-stationary");
  EXPECT_NOT_SAYS(text, "larger tiles");  // the tile already holds all 49 rows
  // 115.6M / 3,025,088 B = 38.2 MACs/B, below 128: 1223 MACs/cycle at most.
  EXPECT_SAYS(text,
              "Past that, DRAM would limit it: its intensity, 38.2 MACs/B, is below the "
              "ridge of 128.0, so even a perfect array would attain only 1223 MACs/cycle");
  EXPECT_SAYS(text, "mostly weights");
}

TEST(Explain, TiledRowsSuggestLargerTiles) {
  LayerReport l = short_stream_conv();
  l.mapping = "implicit GEMM M=3136 K=64 N=256; tile 4 rows (224 px) x 64 in-ch x 256 out-ch";
  l.streaming_fraction = 0.54;
  l.dram_read_bytes = 100'000;  // above the ridge: no DRAM sentence
  EXPECT_SAYS(explain(l),
              "each fold here streams only 224 rows (M = 3,136 output pixels per "
              "image): larger tiles (up to all 3,136 rows) or a larger batch");
}

TEST(Explain, SingleRowDenseLayerNeedsABatch) {
  // fc at batch 1: one row per fold; output stationary would leave 63 of 64 rows empty, so it is
  // not suggested.
  LayerReport l = short_stream_conv();
  l.name = "fc";
  l.op = "dense";
  l.mapping = "implicit GEMM M=1 K=2048 N=1000; tile 1 rows (1 px) x 64 in-ch x 63 out-ch";
  l.macs = 2'048'000;
  l.executed_macs = 2'048'000;
  l.params = 2'049'000;
  l.mapping_efficiency = 0.98;
  l.streaming_fraction = 0.005;
  l.matrix_busy_cycles = 97'792;
  l.cycles_breakdown = {97'792, 11'000, 0, 214, 0};
  l.cycles = 109'006;
  l.dram_read_bytes = 2'093'000;
  l.dram_write_bytes = 1000;
  const std::string text = explain(l);
  EXPECT_SAYS(text, "each fold here streams only 1 row (M = 1): a larger batch would amortize it.");
  EXPECT_NOT_SAYS(text, "stationary");
  // 2,049,000 + 12 x 1000 = 2,061,000 B.
  EXPECT_SAYS(text,
              "the bytes are mostly weights (1.97 MiB, each used for 1 row), which a larger "
              "batch would reuse");
}

TEST(Explain, ComputeBoundByEmptyPes) {
  // conv1 of ResNet-50: K = 7 x 7 x 3 = 147 over 64 rows.
  LayerReport l = short_stream_conv();
  l.mapping = "implicit GEMM M=12544 K=147 N=64; tile 14 rows (1568 px) x 3 in-ch x 64 out-ch";
  l.macs = 118'013'952;
  l.executed_macs = 118'013'952;
  l.mapping_efficiency = 0.766;
  l.streaming_fraction = 0.89;
  l.dram_read_bytes = 200'000;  // above the ridge
  l.dram_busy_cycles = 40'000;
  const std::string text = explain(l);
  EXPECT_SAYS(text,
              "Only 77% of its PE slots hold real work: K = 147 takes 3 folds of 64 rows, "
              "filling 147 of 192 row slots, and N = 64 fills 64 of the 64 columns; a "
              "smaller array would waste less of it.");
  // Streaming at 89% is not named as a loss; output stationary would stream only K = 147
  // (estimated 147 / 275 = 0.53 < 0.68): no dataflow is suggested.
  EXPECT_NOT_SAYS(text, "fill and drain");
  EXPECT_NOT_SAYS(text, "stationary");
}

TEST(Explain, EmptyPesOnAnOutputStationaryArray) {
  Report report = design();
  report.dataflow = "output_stationary";
  LayerReport l = short_stream_conv();
  l.mapping = "implicit GEMM M=49 K=4608 N=512; tile 7 rows (49 px) x 64 in-ch x 64 out-ch";
  l.mapping_efficiency = 0.766;
  l.streaming_fraction = 0.95;
  // The streaming loss names K, which output stationary streams, when it is short: 511 < 4 x 128
  // is; 512 is not, and is not blamed.
  l.streaming_fraction = 0.5;
  l.mapping = "implicit GEMM M=49 K=511 N=512; tile 7 rows (49 px) x 64 in-ch x 64 out-ch";
  EXPECT_SAYS(explain(l, report), "each fold here streams only 511 reduction steps (K = 511)");
  l.mapping = "implicit GEMM M=49 K=512 N=512; tile 7 rows (49 px) x 64 in-ch x 64 out-ch";
  EXPECT_NOT_SAYS(explain(l, report), "each fold here streams only");
  EXPECT_SAYS(explain(l, report), "fill and drain, which every fold pays whatever its size.");
  l.mapping = "implicit GEMM M=49 K=4608 N=512; tile 7 rows (49 px) x 64 in-ch x 64 out-ch";
  l.streaming_fraction = 0.95;
  // M = 49 on the rows, N = 512 on the columns.
  EXPECT_SAYS(explain(l, report),
              "M = 49 fills 49 of the 64 rows, and N = 512 takes 8 folds of "
              "64 columns, filling 512 of 512 column slots");
}

TEST(Explain, EfficientArrayOnlyAFasterOneHelps) {
  LayerReport l = short_stream_conv();
  l.mapping = "implicit GEMM M=3136 K=576 N=64; tile 19 rows (1064 px) x 64 in-ch x 64 out-ch";
  l.streaming_fraction = 0.85;  // 1.0 x 0.85 >= 0.8
  l.dram_read_bytes = 400'000;
  l.dram_busy_cycles = 17'000;
  const std::string text = explain(l);
  EXPECT_SAYS(text,
              "The array itself runs efficiently (100% of its PE slots hold real work, 85% "
              "of its busy time streams rows): only a larger array or a faster clock");
  EXPECT_NOT_SAYS(text, "DRAM");
  // With DRAM close behind (80% of the array's time), that is said instead.
  l.dram_busy_cycles = 110'132;  // >= 0.8 x 137,664
  EXPECT_SAYS(explain(l),
              "DRAM is close behind (110,132 cycles of channel time, 80% of the array's): a "
              "faster array, or half the bandwidth (220,264 cycles), would make it "
              "memory-bound.");
}

TEST(Explain, PaddingTaps) {
  LayerReport l = short_stream_conv();
  l.streaming_fraction = 0.95;
  l.executed_macs = l.macs * 5 / 4;  // 20% of what runs is padding
  EXPECT_SAYS(explain(l), "20% of the multiplies it executes are padding taps.");
}

TEST(Explain, VectorOnlyLayers) {
  LayerReport add;
  add.name = "layer1.0.add";
  add.op = "add";
  add.output_shape = {1, 56, 56, 256};
  add.mapping = "vector add over rows x channels";
  add.cycles = 91'461;
  add.bound = Bound::kMemory;
  add.compute_unit = ComputeUnit::kVector;
  add.vector_busy_cycles = 12'716;
  add.dram_busy_cycles = 90'345;
  add.dram_read_bytes = 1'605'632;
  add.dram_write_bytes = 802'816;
  add.cycles_breakdown = {12'716, 78'745, 0, 0, 0};
  add.compute_span = {true, 400, 300};
  const std::string text = explain(add);
  EXPECT_SAYS(text,
              "Memory-bound data movement: it has no MACs and moves 2.30 MiB over DRAM, "
              "90,345 cycles of channel time at 32.00 B/cycle (its output alone is "
              "784.00 KiB), while the vector unit needs only 12,716 cycles.");
  EXPECT_SAYS(text,
              "More DRAM bandwidth would help; doing this work while its input is still on "
              "chip (fused into the layer that produces it) would remove the round trip.");

  LayerReport pool = add;
  pool.op = "maxpool";
  pool.bound = Bound::kVector;
  pool.vector_busy_cycles = 95'000;
  pool.dram_busy_cycles = 40'000;
  pool.cycles = 100'000;
  pool.cycles_breakdown = {95'000, 5'000, 0, 0, 0};
  EXPECT_SAYS(explain(pool),
              "Vector-bound: the vector unit is busy 95,000 of its 100,000 cycles "
              "producing a 1x56x56x256 output on 64 lanes");
}

TEST(Explain, VectorBoundArrayLayer) {
  LayerReport l = short_stream_conv();
  l.bound = Bound::kVector;
  l.vector_busy_cycles = 150'000;
  EXPECT_SAYS(explain(l),
              "Vector-bound: the vector unit (requantization, activation) is busy "
              "150,000 cycles against the array's 137,664: more than its 64 lanes");
}

TEST(Explain, CopyOnlyLayer) {
  LayerReport concat;
  concat.op = "concat";
  concat.output_shape = {1, 28, 28, 512};
  concat.cycles = 20'000;
  concat.bound = Bound::kMemory;
  concat.compute_unit = ComputeUnit::kNone;
  concat.dram_busy_cycles = 19'000;
  concat.dram_read_bytes = 401'408;
  concat.dram_write_bytes = 401'408;
  concat.cycles_breakdown = {0, 19'500, 0, 0, 500};
  const std::string text = explain(concat);
  EXPECT_SAYS(text,
              "Data movement only: it copies 784.00 KiB over DRAM, 19,000 cycles of channel "
              "time at 32.00 B/cycle with no compute. More DRAM bandwidth would help; "
              "producers writing straight into place would remove it.");
}

TEST(Explain, LatencyNotBandwidth) {
  // A softmax of 1000 values: 225 cycles with only transfers in flight, 81 of channel time.
  LayerReport l;
  l.op = "softmax";
  l.output_shape = {1, 1000};
  l.cycles = 293;
  l.bound = Bound::kMemory;
  l.compute_unit = ComputeUnit::kVector;
  l.vector_busy_cycles = 68;
  l.dram_busy_cycles = 81;
  l.dram_read_bytes = 1088;
  l.dram_write_bytes = 1024;
  l.cycles_breakdown = {68, 225, 0, 0, 0};
  const std::string text = explain(l);
  EXPECT_SAYS(text,
              "Its DRAM wait is latency, not bandwidth: for 225 cycles only transfers were "
              "in flight, but the channel carried data for 81 of them");
  EXPECT_NOT_SAYS(text, "More DRAM bandwidth would help");
  // Twice the channel time or less is not latency-dominated.
  l.dram_busy_cycles = 113;  // 225 <= 2 x 113
  EXPECT_NOT_SAYS(explain(l), "latency");
}

TEST(Explain, NotableWaits) {
  LayerReport l = memory_bound_conv();
  // 10% of the cycles is notable; one cycle less is not.
  l.cycles_breakdown = {3000, 5000, 1000, 300, 700};
  EXPECT_SAYS(explain(l), "10% of its cycles an instruction waited for a busy SRAM port");
  l.cycles_breakdown = {3000, 5001, 999, 300, 700};
  EXPECT_NOT_SAYS(explain(l), "SRAM port");
  l.cycles_breakdown = {3000, 4000, 0, 1500, 1500};
  EXPECT_SAYS(explain(l), "15% of its cycles the array was idle while the vector unit");
  EXPECT_SAYS(explain(l), "15% of its cycles nothing of it was busy");
  // Lead-in and tail: 600 + 400 = 10% of 10,000 cycles.
  l.compute_span = {true, 600, 400};
  EXPECT_SAYS(explain(l),
              "Its array starts 600 cycles into the layer (loading the first tile) and "
              "stops 400 cycles before its end");
}

TEST(Explain, LayersThatTakeNoTime) {
  LayerReport alias;
  alias.op = "flatten";
  alias.mapping = "alias of 'avgpool': NHWC data is already in this order, nothing moves";
  EXPECT_EQ(explain(alias),
            "Takes no time: alias of 'avgpool': NHWC data is already in this order, nothing "
            "moves.");
  LayerReport hidden = short_stream_conv();
  hidden.cycles = 0;
  hidden.cycles_breakdown = {};
  EXPECT_EQ(explain(hidden).rfind("Takes no cycles of its own: its work (array 137,664, DRAM "
                                  "100,000, vector 0 cycles) overlapped the layers before it.",
                                  0),
            0u);
  LayerReport idle;
  idle.cycles = 50;
  idle.cycles_breakdown = {0, 0, 0, 0, 50};
  EXPECT_EQ(explain(idle),
            "Nothing was busy during its 50 cycles: it only waited on dependencies.");
}

TEST(Explain, OneExplanationPerLayerInOrder) {
  Report report = design();
  report.layers = {derive(memory_bound_conv(), report), derive(short_stream_conv(), report)};
  const std::vector<std::string> texts = explain_layers(report);
  ASSERT_EQ(texts.size(), 2u);
  EXPECT_EQ(texts[0].rfind("Memory-bound", 0), 0u);
  EXPECT_EQ(texts[1].rfind("Compute-bound", 0), 0u);
  EXPECT_TRUE(explain_layers(design()).empty());
}

}  // namespace
}  // namespace npu::stats

namespace npu::stats {
namespace {

TEST(Explain, UnstructuredSkippingSaysWhatImbalanceCost) {
  // ResNet's 3x3 conv 64 -> 64 on 56x56 at weight density 0.5 (tests/sim/sparsity_test.cpp):
  // K = 3136 x 64 x 576 MACs / (56 x 56 x 64) outputs = 576. Folds of 104 rows: ceil(576 / 104)
  // = 6; balanced 128 rows: 5; dense 64 rows: 9. Its 21,096 array cycles scale to 21,096 x 5 / 6
  // = 17,580 with no imbalance.
  LayerReport l;
  l.name = "conv";
  l.op = "conv2d";
  l.output_shape = {1, 56, 56, 64};
  l.macs = 3136LL * 64 * 576;
  l.cycles = 22'000;
  l.bound = Bound::kCompute;
  l.compute_unit = ComputeUnit::kArray;
  l.matrix_busy_cycles = 21'096;
  l.cycles_breakdown.compute = 21'096;
  l.skip_rows = 104;
  l.skip_density = 0.5;
  l.skip_balanced_rows = 128;
  l.dense_baseline_cycles = 32'000;
  const std::string text = explain(l);
  EXPECT_SAYS(text, "a fold covers 104 reduction rows, not the 128 an even spread would give "
                    "(64 dense). K = 576 takes 6 folds against 5 balanced and 9 dense: the "
                    "array's 21,096 busy cycles would be about 17,580 without the imbalance; "
                    "with sparsity off the layer took 32,000 cycles.");
  EXPECT_NOT_SAYS(text, "Measured activation density");
}

TEST(Explain, MeasuredActivationDensity) {
  LayerReport l;
  l.name = "conv";
  l.op = "conv2d";
  l.output_shape = {1, 8, 8, 64};
  l.macs = 4096LL * 64;
  l.cycles = 1000;
  l.bound = Bound::kCompute;
  l.compute_unit = ComputeUnit::kArray;
  l.matrix_busy_cycles = 1000;
  l.cycles_breakdown.compute = 1000;
  l.measured_activation_density = 0.375;
  EXPECT_SAYS(explain(l), "Measured activation density 0.375: 62% of the inputs its multiplies "
                          "read were zero");
  EXPECT_NOT_SAYS(explain(l), "unstructured");
}

}  // namespace
}  // namespace npu::stats
