#pragma once
// Random small workloads and designs for differential tests (tests/unit/functional/
// random_graphs_test.cpp against the reference, tests/sim/random_crosscheck_test.cpp against the
// timing model). The seeds are fixed and the dice portable, so a case reproduces from its seed.

#include <algorithm>
#include <cstdint>
#include <random>
#include <sstream>
#include <string>
#include <utility>

#include "arch/arch_config.h"
#include "tests/common/small_arch.h"

namespace npu::testing_support {

// Uniform integers from a fixed generator, without std's distributions (whose output may differ
// between standard libraries): the cases must be the same everywhere.
class Dice {
 public:
  explicit Dice(uint32_t seed) : m_engine(seed) {}
  int64_t between(int64_t low, int64_t high) {  // inclusive
    return low + static_cast<int64_t>(m_engine() % static_cast<uint32_t>(high - low + 1));
  }
  bool chance(int percent) { return between(1, 100) <= percent; }

 private:
  std::mt19937 m_engine;
};

// A random workload and design: a chain of layers over an [H, W, C] feature map, with side
// branches that join it again.
struct RandomCase {
  bool traffic_objective = false;  // tile for the fewest DRAM bytes rather than the least time
  std::string workload;
  arch::ArchConfig arch;
  std::string description;
};

inline RandomCase random_case(uint32_t seed) {
  Dice dice(seed);
  const int64_t format = dice.between(1, 100);
  const arch::Precision precision = format <= 50   ? arch::Precision::kInt8
                                    : format <= 75 ? arch::Precision::kInt4
                                    : format <= 85 ? arch::Precision::kFp16
                                    : format <= 93 ? arch::Precision::kBf16
                                                   : arch::Precision::kFp32;
  const bool int4 = precision == arch::Precision::kInt4;
  const bool skipping = !int4 && dice.chance(35);
  // int4 rows start on a byte: even channel counts keep every cut on one.
  auto channels = [&](int64_t low, int64_t high) {
    int64_t c = dice.between(low, high);
    if (int4 && c % 2 != 0) ++c;
    return c;
  };
  int64_t h = dice.between(3, 9), w = dice.between(3, 9), c = channels(2, 12);
  const int64_t batch = dice.between(1, 3);
  std::ostringstream yaml;
  yaml << "name: random" << seed << "\nbatch: " << batch << "\ninputs: [{name: x, shape: [" << h
       << ", " << w << ", " << c << "]}]\nlayers:\n";
  std::string current = "x";
  const int layers = static_cast<int>(dice.between(2, 6));
  for (int i = 0; i < layers; ++i) {
    const std::string name = "l" + std::to_string(i);
    const int64_t kind = dice.between(0, 14);
    if (kind <= 2) {  // conv2d, the workhorse: plain, grouped or depthwise, maybe dilated
      int64_t out = channels(2, 16);
      const int64_t kernel = dice.chance(50) ? 3 : 1;
      const int64_t dilation = kernel == 3 && h >= 5 && w >= 5 && dice.chance(20) ? 2 : 1;
      const int64_t stride = dilation == 1 && h > 4 && w > 4 && dice.chance(25) ? 2 : 1;
      const int64_t padding = kernel == 3 ? dilation : 0;
      // Groups split both channel counts; packed int4 groups must start on a byte.
      int64_t groups = 1;
      const int64_t pick = dice.between(1, 10);
      if (pick <= 2 && c % 2 == 0 && out % 2 == 0 &&
          (!int4 || ((c / 2) % 2 == 0 && (out / 2) % 2 == 0))) {
        groups = 2;
      }
      if (pick == 3 && !int4) groups = out = c;  // depthwise
      yaml << "  - {name: " << name << ", op: conv2d, input: " << current
           << ", out_channels: " << out << ", kernel: " << kernel << ", stride: " << stride
           << ", padding: " << padding << ", bias: " << (dice.chance(50) ? "true" : "false");
      if (groups > 1) yaml << ", groups: " << groups;
      if (dilation > 1) yaml << ", dilation: " << dilation;
      if (dice.chance(60)) yaml << ", activation: relu";
      // 2:4 groups lie along the input channels: a multiple of 4 of them per group.
      if (skipping && groups == 1 && c % 4 == 0) yaml << ", weight_pattern: \"2:4\"";
      yaml << "}\n";
      const int64_t reach = dilation * (kernel - 1) + 1;
      h = (h + 2 * padding - reach) / stride + 1;
      w = (w + 2 * padding - reach) / stride + 1;
      c = out;
    } else if (kind == 7) {  // average pooling, 3x3 same or 2x2 halving
      if (dice.chance(50) || h < 2 || w < 2) {
        yaml << "  - {name: " << name << ", op: avgpool, input: " << current
             << ", kernel: 3, stride: 1, padding: 1}\n";
      } else {
        yaml << "  - {name: " << name << ", op: avgpool, input: " << current
             << ", kernel: 2, stride: 2}\n";
        h /= 2;
        w /= 2;
      }
    } else if (kind == 8 && (!int4 || w % 2 == 0)) {  // swap the last two axes: W becomes C
      yaml << "  - {name: " << name << ", op: transpose, input: " << current << "}\n";
      std::swap(w, c);
    } else if (kind == 9) {  // a normalisation over the channels
      yaml << "  - {name: " << name << ", op: " << (dice.chance(50) ? "softmax" : "layernorm")
           << ", input: " << current << "}\n";
    } else if (kind == 10) {  // a dense layer over the channels of every position
      const int64_t out = channels(2, 16);
      yaml << "  - {name: " << name << ", op: dense, input: " << current
           << ", out_features: " << out << (dice.chance(50) ? ", activation: relu" : "") << "}\n";
      c = out;
    } else if (kind == 11) {  // a table activation
      const char* functions[] = {"sigmoid", "tanh", "gelu"};
      yaml << "  - {name: " << name << ", op: " << functions[dice.between(0, 2)]
           << ", input: " << current << "}\n";
    } else if (kind == 12) {  // a gate: the product with a 1x1 conv beside
      yaml << "  - {name: " << name << "_gate, op: conv2d, input: " << current
           << ", out_channels: " << c << ", kernel: 1}\n";
      yaml << "  - {name: " << name << ", op: mul, inputs: [" << current << ", " << name
           << "_gate]}\n";
    } else if (kind == 13 && c >= 2) {  // a conv with unstructured sparse weights
      const int64_t out = channels(2, 12);
      const double densities[] = {0.25, 0.5, 0.75};
      yaml << "  - {name: " << name << ", op: conv2d, input: " << current
           << ", out_channels: " << out << ", kernel: 3, padding: 1, weight_density: "
           << densities[dice.between(0, 2)] << "}\n";
      c = out;
    } else if (kind == 14 && (!int4 || w % 2 == 0)) {  // a matmul of two activations
      // [H, c2, W] x [H, W, C] -> [H, c2, C]: the second operand is the chain itself.
      const int64_t c2 = channels(2, 8);
      yaml << "  - {name: " << name << "_side, op: conv2d, input: " << current
           << ", out_channels: " << c2 << ", kernel: 1}\n";
      yaml << "  - {name: " << name << "_t, op: transpose, input: " << name << "_side}\n";
      yaml << "  - {name: " << name << ", op: matmul, inputs: [" << name << "_t, " << current
           << "]}\n";
      w = c2;
    } else if (kind == 3 && h >= 2 && w >= 2) {  // max pooling
      yaml << "  - {name: " << name << ", op: maxpool, input: " << current
           << ", kernel: 2, stride: 2}\n";
      h /= 2;
      w /= 2;
    } else if (kind == 4) {  // a residual: a 1x1 conv beside, added back
      yaml << "  - {name: " << name << "_side, op: conv2d, input: " << current
           << ", out_channels: " << c << ", kernel: 1}\n";
      yaml << "  - {name: " << name << ", op: add, inputs: [" << current << ", " << name
           << "_side], activation: relu}\n";
    } else if (kind == 5) {  // two branches joined by a concat (channels, or rows)
      const int64_t extra = channels(2, 8);
      yaml << "  - {name: " << name << "_b, op: conv2d, input: " << current
           << ", out_channels: " << extra << ", kernel: 1}\n";
      if (dice.chance(50)) {
        yaml << "  - {name: " << name << "_a, op: conv2d, input: " << current
             << ", out_channels: " << c << ", kernel: 1}\n";
        yaml << "  - {name: " << name << "_bb, op: conv2d, input: " << name
             << "_b, out_channels: " << c << ", kernel: 1}\n";
        yaml << "  - {name: " << name << ", op: concat, inputs: [" << name << "_a, " << name
             << "_bb], axis: 0}\n";
        h *= 2;
      } else {
        yaml << "  - {name: " << name << ", op: concat, inputs: [" << current << ", " << name
             << "_b]}\n";
        c += extra;
      }
    } else if (c < 4) {  // too few channels to slice: an activation instead
      yaml << "  - {name: " << name << ", op: relu, input: " << current << "}\n";
    } else {  // a slice of the channels
      const int64_t size = int4 ? 2 * dice.between(1, c / 2 - 1) : dice.between(1, c - 1);
      const int64_t begin_max = c - size;
      int64_t begin = dice.between(0, begin_max);
      if (int4 && begin % 2 != 0) --begin;
      yaml << "  - {name: " << name << ", op: slice, input: " << current << ", begin: " << begin
           << ", size: " << size << "}\n";
      c = size;
    }
    current = name;
  }

  RandomCase result;
  result.workload = yaml.str();
  result.arch = small_arch();
  if (dice.chance(50)) {  // roomy: several images per tile, whole layers per tile
    result.arch.array.rows = result.arch.array.cols = 8;
    result.arch.sram.input.size_kib = result.arch.sram.weight.size_kib =
        result.arch.sram.output.size_kib = 64;
  }
  const int64_t dataflow = dice.between(0, 2);
  result.arch.array.dataflow = dataflow == 0   ? arch::Dataflow::kWeightStationary
                               : dataflow == 1 ? arch::Dataflow::kOutputStationary
                                               : arch::Dataflow::kInputStationary;
  if (dice.chance(30)) result.arch.array.stationary_preload = arch::StationaryPreload::kDoubleBuffered;
  result.arch.precision.operand = precision;
  if (arch::is_float(precision)) {
    // Wider elements need room for the smallest tiles of the tiny design.
    result.arch.sram.input.size_kib = std::max<int64_t>(result.arch.sram.input.size_kib, 4);
    result.arch.sram.weight.size_kib = std::max<int64_t>(result.arch.sram.weight.size_kib, 4);
    result.arch.sram.output.size_kib = std::max<int64_t>(result.arch.sram.output.size_kib, 4);
  }
  if (int4) {
    if (result.arch.array.dataflow != arch::Dataflow::kOutputStationary && dice.chance(50)) {
      result.arch.array.macs_per_pe_per_cycle.int4 = 2;
    }
  }
  result.traffic_objective = dice.chance(25);
  if (skipping) {
    result.arch.sparsity.support = arch::SparsitySupport::kSkipping;
    result.arch.sparsity.structured_patterns = {"2:4"};
    result.arch.sparsity.metadata_bits_per_nonzero = 2;
    // Weight-stationary arrays may also pack unstructured nonzeros (load imbalance).
    result.arch.sparsity.skip_unstructured_weights =
        result.arch.array.dataflow == arch::Dataflow::kWeightStationary && dice.chance(50);
  } else if (dice.chance(30)) {
    result.arch.sparsity.support = arch::SparsitySupport::kGating;
  }
  result.description = "seed " + std::to_string(seed) + ", " +
                       arch::to_string(result.arch.array.dataflow) + ", " +
                       arch::to_string(result.arch.precision.operand) +
                       (skipping ? ", 2:4 skipping" : "") +
                       (result.arch.sparsity.skip_unstructured_weights ? ", unstructured" : "") +
                       (result.traffic_objective ? ", traffic objective" : "") + "\n" +
                       result.workload;
  return result;
}

}  // namespace npu::testing_support
