// The same compute-bound layer at int8, int4 (packed, two MACs per PE per cycle) and fp16 on the
// 64x64 edge design (configs/int8_64x64.yaml, int4_64x64.yaml, fp16_64x64.yaml): cycles, DRAM
// bytes and energy, each worked out by hand (docs/timing.md, "Sub-word packing").

#include <gtest/gtest.h>

#include <string>

#include "arch/arch_loader.h"
#include "compiler/compile.h"
#include "compiler/workload_reader.h"
#include "sim/simulate.h"
#include "sim/stats/energy.h"

namespace npu {
namespace {

const std::string kRepo = NPU_REPO_DIR;

// ResNet's 3x3 conv 64 -> 64 on 56x56 (padding 1): M = 3136, K = 9 x 64 = 576, N = 64,
// 3136 x 576 x 64 = 115,605,504 MACs. Ideal memory, so the array alone sets the time (DRAM bytes
// and their energy are still counted).
stats::LayerCounters run_conv(const std::string& config) {
  arch::ArchConfig arch = arch::load_arch(kRepo + "/configs/" + config);
  arch.memory.ideal = true;
  const compiler::Graph graph = compiler::parse_workload(
      "name: one\ninputs: [{name: x, shape: [56, 56, 64]}]\nlayers:\n"
      "  - {name: c, op: conv2d, input: x, out_channels: 64, kernel: 3, padding: 1}\n",
      "one.yaml");
  const stats::RunCounters counters = sim::simulate(arch, compiler::compile(graph, arch));
  EXPECT_EQ(counters.layers.size(), 1u);
  return counters.layers.at(0);
}

TEST(PrecisionCompare, Int8) {
  // Band heights are the tiler's choice by its estimate (docs/compiler.md), printed in the
  // layer's mapping. Planning for ideal memory it takes one band of all 56 rows (3136 pixels:
  // 3136 x 64 x (4 B accumulator + 1 B result) = 1,003,520 B of a 1 MiB output half); each of
  // ceil(576 / 64) = 9 K folds costs 2R + C - 2 + 3136 = 128 + 62 + 3136 = 3326 cycles:
  // 9 x 3326 = 29,934.
  const stats::LayerCounters layer = run_conv("int8_64x64.yaml");
  EXPECT_EQ(layer.matrix_busy_cycles, 29'934u);
  EXPECT_EQ(layer.executed_macs, 115'605'504u);
  // Reads: the image once, 56 x 56 x 64 B = 200,704; weights 576 x 64 x 1 B = 36,864; requant
  // records 64 x 12 B = 768. 238,336 B. Writes: 56 x 56 x 64 x 1 B = 200,704.
  EXPECT_EQ(layer.dram_read_bytes, 238'336u);
  EXPECT_EQ(layer.dram_write_bytes, 200'704u);
  // MAC energy 115,605,504 x 0.3 pJ = 34,681,651.2 pJ; DRAM 439,040 B x 40 pJ = 17,561,600 pJ.
  const arch::ArchConfig arch = arch::load_arch(kRepo + "/configs/int8_64x64.yaml");
  const stats::EnergyBreakdown energy = stats::layer_energy(layer, arch);
  EXPECT_DOUBLE_EQ(energy.mac_pj, 34'681'651.2);
  EXPECT_DOUBLE_EQ(energy.dram_pj, 17'561'600.0);
}

TEST(PrecisionCompare, Int4PackedHalvesBytesAndFoldsAndMacEnergy) {
  // Packed int4 halves every tile; the tiler takes one band of all 56 rows (3136 pixels: 3136 x
  // 64 x (4 B accumulator + 0.5 B result) = 903,168 B of a 1 MiB output half). Two MACs per
  // PE per cycle: each PE row covers 2 reduction elements, R' = 2 x 64 = 128, so
  // ceil(576 / 128) = 5 K folds (4 of 128, one of 64). Fill and drain still cross the physical
  // 64 x 64 array: each fold is 2R + C - 2 + 3136 = 3326 cycles, 5 x 3326 = 16,630 (5/9 = 0.556 of
  // int8, not 0.5: 576 fills 4.5 folds of 128, and a fold costs its fill and drain whole).
  // The input port keeps up: a step brings 128 int4 inputs = 64 B <= 128 B/cycle.
  const stats::LayerCounters layer = run_conv("int4_64x64.yaml");
  EXPECT_EQ(layer.matrix_busy_cycles, 16'630u);
  EXPECT_EQ(layer.executed_macs, 115'605'504u);
  // Reads: the whole image once, 56 x 56 x 64 / 2 = 100,352 B; weights 576 x 64 / 2 = 18,432 B;
  // the 12-byte requant records do not shrink: 768 B. 119,552 B. Writes: 100,352 B.
  EXPECT_EQ(layer.dram_read_bytes, 119'552u);
  EXPECT_EQ(layer.dram_write_bytes, 100'352u);
  // MAC energy 115,605,504 x 0.15 pJ (0.2 x (4/8)^2 multiply + 0.1 add) = 17,340,825.6 pJ, half
  // of int8's; DRAM 219,904 B x 40 pJ = 8,796,160 pJ.
  const arch::ArchConfig arch = arch::load_arch(kRepo + "/configs/int4_64x64.yaml");
  const stats::EnergyBreakdown energy = stats::layer_energy(layer, arch);
  EXPECT_DOUBLE_EQ(energy.mac_pj, 17'340'825.6);
  EXPECT_DOUBLE_EQ(energy.dram_pj, 8'796'160.0);
  // Utilization against the packed peak, 2 x 4096 MACs per cycle: the layer's array time is
  // 115,605,504 / (8192 x 16,630) = 0.849 busy with real MACs.
  EXPECT_NEAR(static_cast<double>(layer.executed_macs) / (8192.0 * 16'630), 0.849, 0.001);
}

TEST(PrecisionCompare, Fp16DoublesBytesAndPaysSevenTimesTheMacEnergy) {
  // 2-byte operands double every tile: an fp32 accumulator and an fp16 result per output are 6 B,
  // so the 1 MiB output half holds 2 bands of 28 rows (1568 pixels x 64 x 6 B = 602,112 B), not
  // the whole image (1,204,224 B). Each band x 9 folds costs 128 + 62 + 1568 = 1758:
  // 2 x 9 x 1758 = 31,644 cycles (the second band's fill and preload).
  const stats::LayerCounters layer = run_conv("fp16_64x64.yaml");
  EXPECT_EQ(layer.matrix_busy_cycles, 31'644u);
  // Reads: patches of rows 0..28 and 27..55 (29 each, halo included) = 58 x 56 x 64 x 2 B =
  // 415,744; weights 576 x 64 x 2 B = 73,728; records 768. 490,240 B. Writes: 56 x 56 x 64 x 2 B =
  // 401,408.
  EXPECT_EQ(layer.dram_read_bytes, 490'240u);
  EXPECT_EQ(layer.dram_write_bytes, 401'408u);
  // MAC energy 115,605,504 x 2.0 pJ = 231,211,008 pJ; DRAM 891,648 B x 40 = 35,665,920 pJ.
  const arch::ArchConfig arch = arch::load_arch(kRepo + "/configs/fp16_64x64.yaml");
  const stats::EnergyBreakdown energy = stats::layer_energy(layer, arch);
  EXPECT_DOUBLE_EQ(energy.mac_pj, 231'211'008.0);
  EXPECT_DOUBLE_EQ(energy.dram_pj, 35'665'920.0);
}

}  // namespace
}  // namespace npu
