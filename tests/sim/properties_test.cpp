// Properties the timing model must have on real layers (issue: "Timing you can trust"): how
// layers respond to bandwidth and SRAM, lower bounds no layer may beat, and how close ResNet-50
// comes to the sum of its layers' bounds.

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <iostream>
#include <string>
#include <vector>

#include "arch/arch_loader.h"
#include "compiler/compile.h"
#include "compiler/workload_reader.h"
#include "sim/simulate.h"

namespace npu {
namespace {

const std::string kRepo = NPU_REPO_DIR;

struct Simulated {
  compiler::CompiledModel model;
  stats::RunCounters counters;
};

Simulated run(const compiler::Graph& graph, const arch::ArchConfig& arch) {
  Simulated result{compiler::compile_model(graph, arch), {}};
  result.counters = sim::simulate(arch, result.model.program);
  return result;
}

arch::ArchConfig edge_design() { return arch::load_arch(kRepo + "/configs/int8_64x64.yaml"); }

compiler::Graph one_layer(const std::string& layer_yaml, const std::string& input_shape,
                          int batch = 1) {
  return compiler::parse_workload("name: one\nbatch: " + std::to_string(batch) +
                                      "\ninputs: [{name: x, shape: " + input_shape +
                                      "}]\nlayers:\n  - " + layer_yaml + "\n",
                                  "one.yaml");
}

// VGG-16's conv3_2, a 3x3 conv 256 -> 256 on 56x56: 1.85 G MACs. Its compulsory traffic is
// 803 KB of input, 590 KB of weights and 803 KB of output, 2.2 MB: 842 MACs per byte, 2.7 times
// the ridge point even at half the bandwidth (4096 MACs per cycle over 13.3 B per cycle = 307). The
// array needs 4 N chunks x 36 K folds of 3136 + 190 cycles, 479,000; the chosen tiles (the whole
// image x 64 input x 64 output channels: the accumulators of 64 channels fill an output half) read
// the input once per N chunk, 4.6 MB in all, 173,000 cycles at full and 346,000 at half the
// bandwidth, both under the array's time. Measured 490,055 -> 504,884 (+3.0%): what grows is the
// part no later tile hides, the first K chunk's input patch (208 KB) before its first fold ends
// and the last tile's stores after the array stops, which cost twice as much at half the
// bandwidth (docs/timing.md, "Compute bound is not bandwidth blind").
TEST(Properties, ComputeBound3x3ConvBarelyFeelsHalfTheBandwidth) {
  const compiler::Graph graph = one_layer(
      "{name: c, op: conv2d, input: x, out_channels: 256, kernel: 3, padding: 1}", "[56, 56, 256]");
  arch::ArchConfig arch = edge_design();
  const uint64_t full = run(graph, arch).counters.total_cycles;
  arch.dram.bandwidth_gbps /= 2;
  const uint64_t half = run(graph, arch).counters.total_cycles;
  EXPECT_LT(static_cast<double>(half), 1.05 * static_cast<double>(full)) << full << " -> " << half;
}

TEST(Properties, Batch1DenseNearlyDoublesWithHalfTheBandwidth) {
  // ResNet's classifier at batch 1: 2 MB of weights for 2 M MACs, one MAC per weight byte.
  const compiler::Graph graph =
      one_layer("{name: fc, op: dense, input: x, out_features: 1000}", "[2048]");
  arch::ArchConfig arch = edge_design();
  arch.array.stationary_preload = arch::StationaryPreload::kDoubleBuffered;  // not preload-bound
  const uint64_t full = run(graph, arch).counters.total_cycles;
  arch.dram.bandwidth_gbps /= 2;
  const uint64_t half = run(graph, arch).counters.total_cycles;
  EXPECT_GT(static_cast<double>(half), 1.8 * static_cast<double>(full)) << full << " -> " << half;
}

// A memory-bound layer takes about its DRAM time, however many folds its tiles hold: the weights
// alone are a lower bound, and the loads must stream without gaps. Dense 9216 -> 512 at batch 1
// with double-buffered preload on int8_64x64: 4,718,592 B of weights at 12.8 GB/s / 480 MHz =
// 26.67 B per cycle is 176,947 cycles; the array needs 1152 folds of about 130 cycles, 150,000.
// When a deep weight tile's loads all came before its multiplies in program order, the full load
// queue held back the multiplies, and those the next tile's loads: 270,238 cycles (1.53x).
// Now 180,988 (1.02x; docs/compiler.md, "Loads ahead of the array").
TEST(Properties, LoadBoundDenseTakesAboutItsDramTime) {
  const compiler::Graph graph =
      one_layer("{name: fc, op: dense, input: x, out_features: 512, bias: false}", "[9216]");
  arch::ArchConfig arch = edge_design();
  arch.array.stationary_preload = arch::StationaryPreload::kDoubleBuffered;
  const double weight_cycles = 9216.0 * 512 / (12.8e9 / 480e6);
  const double cycles = static_cast<double>(run(graph, arch).counters.total_cycles);
  EXPECT_GT(cycles, weight_cycles);
  EXPECT_LT(cycles, 1.05 * weight_cycles);
}

// The same across K chunks. AlexNet's first classifier layer, dense 9216 -> 4096 at batch 1, on
// the 32x32 design with double-buffered preload: 37,748,736 B of weights at 6.4 GB/s / 500 MHz =
// 12.8 B per cycle is 2,949,120 cycles. With 32-channel K chunks (one 32 KB weight load and 64
// matrix instructions each) and each chunk's load emitted after the previous chunk's multiplies, a
// 16-deep queue let a load start only ~512 cycles before the array ran dry: 4,152,222 cycles
// (1.41x). Now 2,969,752 (1.01x).
TEST(Properties, LoadBoundDenseKeepsStreamingAcrossKChunks) {
  const compiler::Graph graph =
      one_layer("{name: fc, op: dense, input: x, out_features: 4096, bias: false}", "[9216]");
  arch::ArchConfig arch = arch::load_arch(kRepo + "/configs/int8_32x32.yaml");
  arch.array.stationary_preload = arch::StationaryPreload::kDoubleBuffered;
  const double weight_cycles = 9216.0 * 4096 / (6.4e9 / 500e6);
  const double cycles = static_cast<double>(run(graph, arch).counters.total_cycles);
  EXPECT_GT(cycles, weight_cycles);
  EXPECT_LT(cycles, 1.05 * weight_cycles);
}

// A batch pays for its weights once per tile, not once per image. A 3x3 conv 64 -> 64 on 7x7 (a
// ResNet-18 layer4-sized block, narrowed), batch 4, on int8_64x64: all four images fit one tile,
// so the weights (9 x 64 x 64 = 36,864 B) and their records (64 x 12 = 768 B) load once, and each
// image moves its 7 x 7 x 64 = 3,136 B input and 3,136 B output: 4 x 6,272 + 37,632 = 62,720 B
// (every run a whole number of 64-byte blocks). One image per tile would load the weights four
// times: 175,616 B. With ideal memory the array's time is K = 576 in 9 folds, each a 64-cycle
// preload and the four images' 49-pixel multiplies chained into one stream of 196 steps:
// 9 x (64 + 196 + 64 + 64 - 2) = 3,474 cycles, against 4 x 9 x (64 + 49 + 126) = 8,604 per image.
TEST(Batch, ImagesShareEachWeightTile) {
  const compiler::Graph graph = one_layer(
      "{name: c, op: conv2d, input: x, out_channels: 64, kernel: 3, padding: 1, bias: false}",
      "[7, 7, 64]", 4);
  arch::ArchConfig arch = edge_design();
  const Simulated real = run(graph, arch);
  ASSERT_EQ(real.model.layers.size(), 1u);
  EXPECT_EQ(real.model.layers[0].tiling.images_per_tile, 4);
  const stats::LayerCounters& layer = real.counters.layers[0];
  EXPECT_EQ(layer.dram_read_bytes + layer.dram_write_bytes, 62720u);
  EXPECT_EQ(real.model.layers[0].tiling.estimated_dram_bytes, 62720);
  arch.memory.ideal = true;
  EXPECT_EQ(run(graph, arch).counters.layers[0].matrix_busy_cycles, 3474u);
}

// Layer by layer on ResNet-50, compiled afresh for each design as a user's sweep would.
struct Comparison {
  Simulated before, after;
};

Simulated run(const compiler::Graph& graph, const arch::ArchConfig& arch,
              compiler::MappingObjective objective) {
  compiler::CompileOptions options;
  options.objective = objective;
  Simulated result{compiler::compile_model(graph, arch, options), {}};
  result.counters = sim::simulate(arch, result.model.program);
  return result;
}

Comparison compare(const std::string& change,
                   compiler::MappingObjective objective = compiler::MappingObjective::kLatency,
                   const std::string& workload = "resnet") {
  const compiler::Graph graph =
      compiler::read_workload(kRepo + "/workloads/" + workload + ".yaml");
  const arch::ArchConfig base = edge_design();
  arch::ArchConfig better = base;
  if (change == "bandwidth") better.dram.bandwidth_gbps *= 2;
  if (change == "sram") {
    better.sram.input.size_kib *= 2;
    better.sram.weight.size_kib *= 2;
    better.sram.output.size_kib *= 2;
  }
  return {run(graph, base, objective), run(graph, better, objective)};
}

uint64_t traffic(const stats::LayerCounters& layer) {
  return layer.dram_read_bytes + layer.dram_write_bytes;
}

// More SRAM never slows a layer nor adds to its traffic, and more bandwidth never slows a layer,
// on every shipped workload under the default objective. The tiler chooses by estimate, so a
// layer whose estimate is off by more than the margin between two tilings can get the slower one
// on the better design. MobileNetV2 is the one such case with
// twice the bandwidth: its 1x1 expansions features.15-17.conv.0.0 take K in chunks of 64 at
// 25.6 GB/s and run 11,456 -> 12,316 cycles, their loads just missing each 239-cycle fold, which
// the estimate's whole-layer sums do not see (docs/compiler.md, "What the estimate leaves out").
// The whole run is still faster: 1,131,246 -> 957,439 cycles.
class MoreMemoryOnEveryWorkload : public testing::TestWithParam<std::string> {};

TEST_P(MoreMemoryOnEveryWorkload, MoreSramNeverSlowsALayerNorAddsTraffic) {
  const Comparison c = compare("sram", compiler::MappingObjective::kLatency, GetParam());
  ASSERT_EQ(c.before.counters.layers.size(), c.after.counters.layers.size());
  for (size_t l = 0; l < c.before.counters.layers.size(); ++l) {
    const auto& before = c.before.counters.layers[l];
    const auto& after = c.after.counters.layers[l];
    EXPECT_LE(after.cycles, before.cycles) << before.name;
    EXPECT_LE(traffic(after), traffic(before)) << before.name;
  }
}

TEST_P(MoreMemoryOnEveryWorkload, MoreBandwidthNeverSlowsALayer) {
  // The exception above, pinned: when the estimate learns the per-fold burst this fails, and the
  // exception goes.
  const std::vector<std::string> known_slower =
      GetParam() == "mobilenet_v2"
          ? std::vector<std::string>{"features.15.conv.0.0", "features.16.conv.0.0",
                                     "features.17.conv.0.0"}
          : std::vector<std::string>{};
  const Comparison c = compare("bandwidth", compiler::MappingObjective::kLatency, GetParam());
  for (size_t l = 0; l < c.before.counters.layers.size(); ++l) {
    const auto& before = c.before.counters.layers[l];
    const auto& after = c.after.counters.layers[l];
    if (std::find(known_slower.begin(), known_slower.end(), before.name) != known_slower.end()) {
      EXPECT_GT(after.cycles, before.cycles) << before.name << ": no longer an exception";
      EXPECT_LT(static_cast<double>(after.cycles), 1.10 * static_cast<double>(before.cycles))
          << before.name;
      continue;
    }
    EXPECT_LE(after.cycles, before.cycles) << before.name;
  }
}

INSTANTIATE_TEST_SUITE_P(Shipped, MoreMemoryOnEveryWorkload,
                         testing::Values("resnet", "resnet18", "mobilenet_v2", "squeezenet1_1", "vgg16",
                                         "alexnet", "bert_base_layer", "gpt2_decode_step",
                                         "lstm2", "lenet5", "resnet8_cifar", "mlp"));

// The latency objective spends traffic to buy time: with twice the bandwidth, re-reading a layer's
// input per smaller output-channel chunk costs less than it saves (layer3.1.conv1: 28,540 ->
// 25,620 cycles for 516,096 -> 1,118,208 B). It must never spend traffic for nothing: a layer
// that moves more bytes on the faster design is faster there.
TEST(MoreMemory, WithTheLatencyObjectiveExtraTrafficAlwaysBuysTime) {
  const Comparison c = compare("bandwidth");
  int traded = 0;
  for (size_t l = 0; l < c.before.counters.layers.size(); ++l) {
    const auto& before = c.before.counters.layers[l];
    const auto& after = c.after.counters.layers[l];
    if (traffic(after) <= traffic(before)) continue;
    ++traded;
    EXPECT_LT(after.cycles, before.cycles) << before.name;
  }
  EXPECT_GT(traded, 0) << "no layer traded traffic for time: the example above is stale";
}

// Traffic does not depend on the bandwidth, so with the traffic objective the tiles of a layer
// are the same on both designs except where equal traffic leaves the choice to time.
TEST(MoreMemory, WithTheTrafficObjectiveMoreBandwidthNeverAddsTrafficNorSlowsALayer) {
  const Comparison c = compare("bandwidth", compiler::MappingObjective::kDramTraffic);
  for (size_t l = 0; l < c.before.counters.layers.size(); ++l) {
    const auto& before = c.before.counters.layers[l];
    const auto& after = c.after.counters.layers[l];
    EXPECT_LE(traffic(after), traffic(before)) << before.name;
    EXPECT_LE(after.cycles, before.cycles) << before.name;
  }
}

// More SRAM only adds candidate tilings, so the fewest bytes can only fall. Time is not what this
// objective minimises: with twice the SRAM, conv1's taller bands save 0.7% of its traffic (973,696
// -> 966,912 B) and expose a longer first patch (45,980 -> 51,428 cycles).
TEST(MoreMemory, WithTheTrafficObjectiveMoreSramNeverAddsTraffic) {
  const Comparison c = compare("sram", compiler::MappingObjective::kDramTraffic);
  for (size_t l = 0; l < c.before.counters.layers.size(); ++l) {
    const auto& before = c.before.counters.layers[l];
    const auto& after = c.after.counters.layers[l];
    EXPECT_LE(traffic(after), traffic(before)) << before.name;
  }
}

// The hardware alone, with the compiler out of the picture: one program, run on a channel twice
// as fast, moves the same bytes and no layer takes longer.
TEST(MoreMemory, TheSameProgramOnMoreBandwidthMovesTheSameBytesNoSlower) {
  const compiler::Graph graph = compiler::read_workload(kRepo + "/workloads/resnet.yaml");
  arch::ArchConfig arch = edge_design();
  const Simulated base = run(graph, arch);
  arch.dram.bandwidth_gbps *= 2;
  const stats::RunCounters faster = sim::simulate(arch, base.model.program);
  for (size_t l = 0; l < base.counters.layers.size(); ++l) {
    const auto& before = base.counters.layers[l];
    const auto& after = faster.layers[l];
    EXPECT_EQ(traffic(after), traffic(before)) << before.name;
    EXPECT_LE(after.cycles, before.cycles) << before.name;
  }
}

// What a layer must at least cost: the array's peak on its MACs, and moving every input, weight
// and output byte once over the DRAM channel; and the dataflow's own fold count for its GEMM.
struct LayerBound {
  double peak_cycles = 0;        // MACs / PEs
  double compulsory_cycles = 0;  // (inputs + weights + outputs once) / bytes per cycle
  // Weights and outputs must cross the DRAM channel; inputs may still be on chip from the layer
  // before (the compiler reuses a buffer half that already holds them), so they are not counted.
  double unavoidable_cycles = 0;
  double dataflow_cycles = 0;    // the dataflow's folds for the whole layer, serial loads
};

LayerBound bound_of(const compiler::Graph& graph, const compiler::LayerManifest& layer,
                    const isa::Program& program, const arch::ArchConfig& arch) {
  LayerBound bound;
  const compiler::Layer& anchor = graph.layers[static_cast<size_t>(layer.fused.anchor)];
  const double eb = arch::element_bytes(arch.precision.operand);
  double bytes = 0;
  for (int input : anchor.inputs) {
    bytes += eb * static_cast<double>(compiler::element_count(graph.layers[input].output_shape));
  }
  if (layer.weights >= 0) bytes += static_cast<double>(program.tensors[layer.weights].bytes);
  if (anchor.op != compiler::OpKind::kFlatten && anchor.op != compiler::OpKind::kReshape) {
    bytes += eb * static_cast<double>(compiler::element_count(
                      graph.layers[static_cast<size_t>(layer.fused.output)].output_shape));
  } else {
    bytes = 0;  // aliases move nothing
  }
  bound.compulsory_cycles = bytes / arch.dram_bytes_per_cycle();
  double input_bytes = 0;
  for (int input : anchor.inputs) {
    input_bytes += eb * static_cast<double>(compiler::element_count(graph.layers[input].output_shape));
  }
  bound.unavoidable_cycles = std::max(0.0, bytes - input_bytes) / arch.dram_bytes_per_cycle();
  bound.peak_cycles = static_cast<double>(layer.fused.macs) / static_cast<double>(arch.pes());
  if (layer.is_gemm) {
    const compiler::GemmProblem& p = layer.problem;
    const double r = arch.array.rows, c = arch.array.cols;
    const double m = static_cast<double>(p.out_h * p.out_w);
    const double k = static_cast<double>(p.taps() * p.cin_per_group());
    const double n = static_cast<double>(p.cout_per_group());
    double folds = 0, steps = 0;
    switch (arch.array.dataflow) {
      case arch::Dataflow::kWeightStationary:
        folds = std::ceil(k / r) * std::ceil(n / c), steps = m;
        break;
      case arch::Dataflow::kOutputStationary:
        folds = std::ceil(m / r) * std::ceil(n / c), steps = k;
        break;
      case arch::Dataflow::kInputStationary:
        folds = std::ceil(m / c) * std::ceil(k / r), steps = n;
        break;
    }
    bound.dataflow_cycles =
        static_cast<double>(p.images * p.groups) * folds * (2 * r + c + steps - 2);
  }
  return bound;
}

class Bounds : public testing::TestWithParam<std::tuple<std::string, arch::Dataflow>> {};

TEST_P(Bounds, NoLayerBeatsItsBoundsAndResnetIsClose) {
  const auto& [config, dataflow] = GetParam();
  arch::ArchConfig arch = arch::load_arch(kRepo + "/configs/" + config + ".yaml");
  arch.array.dataflow = dataflow;
  const compiler::Graph graph = compiler::read_workload(kRepo + "/workloads/resnet.yaml");
  const Simulated result = run(graph, arch);
  double sum_of_bounds = 0;
  for (size_t l = 0; l < result.counters.layers.size(); ++l) {
    const LayerBound b = bound_of(graph, result.model.layers[l], result.model.program, arch);
    const double cycles = static_cast<double>(result.counters.layers[l].cycles);
    EXPECT_GE(cycles, std::floor(std::max(b.peak_cycles, b.unavoidable_cycles)))
        << result.counters.layers[l].name;
    sum_of_bounds += std::max(b.dataflow_cycles, b.compulsory_cycles);
  }
  const double ratio = static_cast<double>(result.counters.total_cycles) / sum_of_bounds;
  std::cout << "ResNet-50 on " << config << " (" << arch::to_string(dataflow)
            << "): " << result.counters.total_cycles << " cycles, sum of layer bounds "
            << static_cast<int64_t>(sum_of_bounds) << ", ratio " << ratio << "\n";
  RecordProperty("ratio", std::to_string(ratio));
  EXPECT_LE(ratio, 1.25);
}

INSTANTIATE_TEST_SUITE_P(
    ShippedConfigs, Bounds,
    testing::Combine(testing::Values("int8_32x32", "int8_64x64", "int8_128x128"),
                     testing::Values(arch::Dataflow::kWeightStationary,
                                     arch::Dataflow::kOutputStationary,
                                     arch::Dataflow::kInputStationary)),
    [](const testing::TestParamInfo<std::tuple<std::string, arch::Dataflow>>& info) {
      return std::get<0>(info.param) + "_" + arch::to_string(std::get<1>(info.param));
    });

}  // namespace
}  // namespace npu
