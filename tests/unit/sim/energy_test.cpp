// The energy of one small layer worked by hand from its event counts, every term of the table in
// play: MAC by precision with gating and its residual, SRAM costs derived per buffer from bank
// capacity and word width, DRAM by memory type, tech scaling and static power per block. The same
// example is worked in docs/energy.md.

#include "sim/stats/energy.h"

#include <gtest/gtest.h>

namespace npu::stats {
namespace {

// An 8x8 int8 design at 500 MHz, half the reference node's energy (tech_scale 0.5), every SRAM
// and DRAM cost `auto`:
//   input  64 KiB, 2 banks, 16 B/cycle: 32 KiB banks, 8 B words: 1.25 x sqrt(32 / 8) = 2.5 pJ/B
//          read, 2.75 write; x 0.5 = 1.25 / 1.375
//   weight 2 MiB, 4 banks, 32 B/cycle: 512 KiB banks, 8 B words: 1.25 x sqrt(64) = 10 read,
//          11 write; x 0.5 = 5 / 5.5
//   output 16 KiB, 2 banks, 4 B/cycle: 8 KiB banks, 2 B words: 1.25 x 1 x 8 / 2 = 5 read, 5.5
//          write; x 0.5 = 2.5 / 2.75
//   DRAM   hbm2: 3.9 pJ/bit x 8 = 31.2 pJ/B (not scaled)
//   MAC    int8 0.3 x 0.5 = 0.15 pJ; a gated one 0.25 of that; vector 0.5 x 0.5 = 0.25 pJ
//   static array 20, vector 4, input 2, weight 8, output 2, DMA 3, controller 1 mW = 40 mW
arch::ArchConfig example_arch() {
  arch::ArchConfig arch;
  arch.clock.freq_mhz = 500.0;
  arch.array.rows = 8;
  arch.array.cols = 8;
  arch.sram.input = {64, 2, 16};
  arch.sram.weight = {2048, 4, 32};
  arch.sram.output = {16, 2, 4};
  arch.dram.type = arch::DramType::kHbm2;
  arch.energy.tech_scale = 0.5;
  arch.energy.mac_pj.int8 = 0.3;
  arch.energy.gated_mac_fraction = 0.25;
  arch.energy.vector_op_pj = 0.5;
  arch.energy.static_mw = {20, 4, 2, 8, 2, 3, 1};
  arch.sparsity.support = arch::SparsitySupport::kGating;
  return arch;
}

// 4096 MACs, a quarter with a zero operand; 4608 executed (padding taps); 1000 cycles.
LayerCounters example_layer() {
  LayerCounters layer;
  layer.macs = 4096;
  layer.zero_operand_macs = 1024;
  layer.executed_macs = 4608;
  layer.cycles = 1000;
  layer.sram_read_bytes = {1000, 512, 256};  // input, weight, output
  layer.sram_write_bytes = {200, 512, 512};
  layer.dram_read_bytes = 800;
  layer.dram_write_bytes = 64;
  layer.vector_element_ops = 128;
  return layer;
}

TEST(EnergyExample, EveryTermByHand) {
  const EnergyBreakdown e = layer_energy(example_layer(), example_arch());
  // MAC: 3072 / 4096 = 0.75 of the executed MACs toggle, 0.25 are gated at 0.25 of a MAC:
  // 4608 x 0.15 x (0.75 + 0.25 x 0.25) = 4608 x 0.15 x 0.8125 = 561.6.
  EXPECT_NEAR(e.mac_pj, 561.6, 1e-9);
  // SRAM: input 1000 x 1.25 + 200 x 1.375 = 1525; weight 512 x 5 + 512 x 5.5 = 5376; output
  // 256 x 2.5 + 512 x 2.75 = 2048; 8949 in all.
  EXPECT_NEAR(e.sram_by_buffer.input_pj, 1525.0, 1e-9);
  EXPECT_NEAR(e.sram_by_buffer.weight_pj, 5376.0, 1e-9);
  EXPECT_NEAR(e.sram_by_buffer.output_pj, 2048.0, 1e-9);
  EXPECT_NEAR(e.sram_pj, 8949.0, 1e-9);
  // DRAM: (800 + 64) B x 31.2 pJ/B = 26956.8.
  EXPECT_NEAR(e.dram_pj, 26956.8, 1e-9);
  // Vector: 128 x 0.25 = 32.
  EXPECT_NEAR(e.vector_pj, 32.0, 1e-9);
  // Static: 1000 cycles / 500 MHz = 2 us, so 1 mW spends 2000 pJ: array 40000, vector 8000,
  // input 4000, weight 16000, output 4000, DMA 6000, controller 2000; 80000 in all.
  const StaticEnergyByBlock& leak = e.static_by_block;
  EXPECT_NEAR(leak.array_pj, 40000.0, 1e-9);
  EXPECT_NEAR(leak.vector_pj, 8000.0, 1e-9);
  EXPECT_NEAR(leak.input_buffer_pj, 4000.0, 1e-9);
  EXPECT_NEAR(leak.weight_buffer_pj, 16000.0, 1e-9);
  EXPECT_NEAR(leak.output_buffer_pj, 4000.0, 1e-9);
  EXPECT_NEAR(leak.dma_pj, 6000.0, 1e-9);
  EXPECT_NEAR(leak.controller_pj, 2000.0, 1e-9);
  EXPECT_NEAR(e.static_pj, 80000.0, 1e-9);
  // 561.6 + 8949 + 26956.8 + 32 + 80000.
  EXPECT_NEAR(e.total_pj(), 116499.4, 1e-9);
}

TEST(EnergyExample, EventCostsAreWhatWasCharged) {
  const EventCosts costs = event_costs(example_arch());
  EXPECT_NEAR(costs.mac_pj, 0.15, 1e-15);
  EXPECT_NEAR(costs.gated_mac_pj, 0.0375, 1e-15);
  EXPECT_NEAR(costs.input.read_pj_per_byte, 1.25, 1e-15);
  EXPECT_NEAR(costs.weight.write_pj_per_byte, 5.5, 1e-15);
  EXPECT_NEAR(costs.output.read_pj_per_byte, 2.5, 1e-15);
  EXPECT_NEAR(costs.dram_pj_per_byte, 31.2, 1e-12);
  EXPECT_NEAR(costs.vector_op_pj, 0.25, 1e-15);
  EXPECT_NEAR(costs.static_mw, 40.0, 1e-12);
}

TEST(GatedMacResidual, CutsMacEnergyByTheZeroFractionTimesTheGatingSaving) {
  arch::ArchConfig dense_arch = example_arch();
  dense_arch.sparsity.support = arch::SparsitySupport::kNone;
  const EnergyBreakdown dense = layer_energy(example_layer(), dense_arch);
  const EnergyBreakdown gated = layer_energy(example_layer(), example_arch());
  // Without support every executed MAC toggles: 4608 x 0.15 = 691.2. Gating saves the zero
  // fraction 0.25 times the gating saving 1 - 0.25 = 0.75: 691.2 x 0.1875 = 129.6.
  EXPECT_NEAR(dense.mac_pj, 691.2, 1e-9);
  EXPECT_NEAR(dense.mac_pj - gated.mac_pj, 691.2 * 0.25 * 0.75, 1e-9);
  // Nothing but MAC energy moves: the counters, cycles included, are the same events.
  EXPECT_DOUBLE_EQ(gated.sram_pj, dense.sram_pj);
  EXPECT_DOUBLE_EQ(gated.dram_pj, dense.dram_pj);
  EXPECT_DOUBLE_EQ(gated.static_pj, dense.static_pj);
}

TEST(GatedMacResidual, BoundsOfTheFraction) {
  arch::ArchConfig arch = example_arch();
  // 0: ideal gating, only the 0.75 toggling share is charged: 4608 x 0.15 x 0.75 = 518.4.
  arch.energy.gated_mac_fraction = 0.0;
  EXPECT_NEAR(layer_energy(example_layer(), arch).mac_pj, 518.4, 1e-9);
  // 1: gating saves nothing, as dense: 691.2.
  arch.energy.gated_mac_fraction = 1.0;
  EXPECT_NEAR(layer_energy(example_layer(), arch).mac_pj, 691.2, 1e-9);
}

TEST(StaticEnergy, EachBlockIsItsPowerTimesTheLayersTime) {
  arch::ArchConfig arch = example_arch();
  arch.energy.static_mw = {0, 0, 0, 0, 0, 0, 0};
  arch.energy.static_mw.weight_buffer = 1.0;
  LayerCounters layer;
  layer.cycles = 500;
  // 1 mW x 500 cycles / 500 MHz = 1e-3 W x 1e-6 s = 1e-9 J = 1000 pJ, all of it the weight
  // buffer's.
  const EnergyBreakdown e = layer_energy(layer, arch);
  EXPECT_DOUBLE_EQ(e.static_by_block.weight_buffer_pj, 1000.0);
  EXPECT_DOUBLE_EQ(e.static_by_block.array_pj, 0.0);
  EXPECT_DOUBLE_EQ(e.static_pj, 1000.0);
}

TEST(EnergyBreakdownDetail, AddsBuffersAndBlocks) {
  EnergyBreakdown a;
  a.sram_by_buffer = {1, 2, 3};
  a.static_by_block = {1, 2, 3, 4, 5, 6, 7};
  EnergyBreakdown b = a;
  b += a;
  EXPECT_DOUBLE_EQ(b.sram_by_buffer.weight_pj, 4);
  EXPECT_DOUBLE_EQ(b.static_by_block.controller_pj, 14);
  EXPECT_DOUBLE_EQ(b.static_by_block.total_pj(), 56);
}

}  // namespace
}  // namespace npu::stats
