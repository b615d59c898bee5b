// The energy table (docs/energy.md): MAC cost by precision, the SRAM model at Horowitz's anchor
// points and its width rule, DRAM defaults by memory type, technology scaling, and the errors each
// new key gives. Expected values are worked from the published figures in the comments.

#include "arch/energy_table.h"

#include <gtest/gtest.h>

#include <cmath>

#include "arch/arch_loader.h"
#include "tests/unit/arch/arch_test_util.h"

namespace npu::arch {
namespace {

using testing::TempDir;
using testing::user_error;

SramBufferConfig buffer(int64_t size_kib, int banks, int bytes_per_cycle) {
  return {size_kib, banks, bytes_per_cycle};
}

TEST(MacEnergy, DefaultsFollowHorowitz) {
  const EnergyConfig energy;
  // 8-bit multiply 0.2 pJ + 32-bit add 0.1 pJ.
  EXPECT_DOUBLE_EQ(mac_pj(energy, Precision::kInt8), 0.3);
  // fp16 multiply 1.1 pJ + fp32 add 0.9 pJ (floats accumulate in fp32).
  EXPECT_DOUBLE_EQ(mac_pj(energy, Precision::kFp16), 2.0);
  // bf16: 1.1 pJ x (8 / 11)^2 = 0.58 ~ 0.6 pJ multiply + 0.9 pJ fp32 add.
  EXPECT_DOUBLE_EQ(mac_pj(energy, Precision::kBf16), 1.5);
  // fp32 multiply 3.7 pJ + fp32 add 0.9 pJ.
  EXPECT_DOUBLE_EQ(mac_pj(energy, Precision::kFp32), 4.6);
  // int4: 0.2 pJ x (4 / 8)^2 = 0.05 pJ multiply + the same 0.1 pJ 32-bit add.
  EXPECT_DOUBLE_EQ(energy.mac_pj.int4, 0.15);
}

TEST(MacEnergy, EachPrecisionReadsItsOwnEntry) {
  EnergyConfig energy;
  energy.mac_pj = {1.0, 2.0, 3.0, 4.0, 5.0};  // int4, int8, fp16, bf16, fp32
  EXPECT_DOUBLE_EQ(mac_pj(energy, Precision::kInt8), 2.0);
  EXPECT_DOUBLE_EQ(mac_pj(energy, Precision::kFp16), 3.0);
  EXPECT_DOUBLE_EQ(mac_pj(energy, Precision::kBf16), 4.0);
  EXPECT_DOUBLE_EQ(mac_pj(energy, Precision::kFp32), 5.0);
}

TEST(SramModel, HorowitzAnchors) {
  // One 8 KiB bank read 8 bytes at a time: 10 pJ per 64-bit read = 1.25 pJ/B.
  EXPECT_DOUBLE_EQ(8 * sram_model_read_pj_per_byte(buffer(8, 1, 8)), 10.0);
  // 32 KiB: 1.25 x sqrt(4) = 2.5 pJ/B = 20 pJ per 64-bit read, as Horowitz.
  EXPECT_DOUBLE_EQ(8 * sram_model_read_pj_per_byte(buffer(32, 1, 8)), 20.0);
  // 1 MiB: 1.25 x sqrt(128) = 14.14 pJ/B = 113.1 pJ per 64-bit read against Horowitz's 100: the
  // square-root law is 13% high at the top of the range.
  const double mib = sram_model_read_pj_per_byte(buffer(1024, 1, 8));
  EXPECT_DOUBLE_EQ(mib, 1.25 * std::sqrt(128.0));
  EXPECT_NEAR(8 * mib / 100.0, 1.131, 0.001);
}

TEST(SramModel, ABankIsTheArrayThatIsRead) {
  // 64 KiB in 8 banks of 8 KiB, 64 B/cycle = 8 B per bank: the 8 KiB anchor, 1.25 pJ/B.
  EXPECT_DOUBLE_EQ(sram_model_read_pj_per_byte(buffer(64, 8, 64)), 1.25);
  // The same 64 KiB as one bank with a 64 B word: 1.25 x sqrt(8) = 3.536 pJ/B.
  EXPECT_DOUBLE_EQ(sram_model_read_pj_per_byte(buffer(64, 1, 64)), 1.25 * std::sqrt(8.0));
}

TEST(SramModel, WordsBelowEightBytesPayForAWholeRow) {
  // 8 KiB banks: 8 B and wider words cost 1.25 pJ/B; a 4 B word still swings a 64-bit row, so
  // each byte costs 8 / 4 = 2x, a 2 B word 4x, a 1 B word 8x.
  EXPECT_DOUBLE_EQ(sram_model_read_pj_per_byte(buffer(8, 1, 16)), 1.25);
  EXPECT_DOUBLE_EQ(sram_model_read_pj_per_byte(buffer(8, 1, 8)), 1.25);
  EXPECT_DOUBLE_EQ(sram_model_read_pj_per_byte(buffer(8, 1, 4)), 2.5);
  EXPECT_DOUBLE_EQ(sram_model_read_pj_per_byte(buffer(8, 1, 2)), 5.0);
  EXPECT_DOUBLE_EQ(sram_model_read_pj_per_byte(buffer(8, 1, 1)), 10.0);
}

TEST(SramCosts, AutoDerivesWritesTenPercentAboveReads) {
  EnergyConfig energy;  // both costs auto by default
  // 32 KiB bank, 8 B words: read 2.5 pJ/B, write 2.75.
  const SramCosts costs = sram_costs(energy, SramEnergy{}, buffer(32, 1, 8));
  EXPECT_DOUBLE_EQ(costs.read_pj_per_byte, 2.5);
  EXPECT_DOUBLE_EQ(costs.write_pj_per_byte, 2.75);
}

TEST(SramCosts, GivenValuesWinAndMayMixWithAuto) {
  EnergyConfig energy;
  const SramCosts costs = sram_costs(energy, SramEnergy{4.0, std::nullopt}, buffer(32, 1, 8));
  EXPECT_DOUBLE_EQ(costs.read_pj_per_byte, 4.0);
  EXPECT_DOUBLE_EQ(costs.write_pj_per_byte, 2.75);  // the model's, not 1.1 x the given read
}

TEST(TechScale, ScalesLogicAndSramButNotDram) {
  EnergyConfig energy;
  energy.tech_scale = 0.5;
  EXPECT_DOUBLE_EQ(mac_pj(energy, Precision::kInt8), 0.15);  // 0.3 x 0.5
  EXPECT_DOUBLE_EQ(vector_op_pj(energy), 0.25);              // 0.5 x 0.5
  // Given and derived SRAM costs alike: 4.0 x 0.5, and the model's 2.75 x 0.5.
  const SramCosts costs = sram_costs(energy, SramEnergy{4.0, std::nullopt}, buffer(32, 1, 8));
  EXPECT_DOUBLE_EQ(costs.read_pj_per_byte, 2.0);
  EXPECT_DOUBLE_EQ(costs.write_pj_per_byte, 1.375);
  ArchConfig arch;
  arch.energy = energy;
  EXPECT_DOUBLE_EQ(dram_pj_per_byte(arch), 40.0);  // LPDDR4 5 pJ/bit x 8, unscaled
  EXPECT_DOUBLE_EQ(total_static_mw(arch.energy.static_mw), total_static_mw(StaticPowerTable{}));
}

TEST(DramEnergy, DefaultsByMemoryType) {
  EXPECT_DOUBLE_EQ(dram_type_pj_per_bit(DramType::kHbm2), 3.9);    // O'Connor et al. 2017
  EXPECT_DOUBLE_EQ(dram_type_pj_per_bit(DramType::kGddr5), 14.0);  // O'Connor et al. 2017
  EXPECT_DOUBLE_EQ(dram_type_pj_per_bit(DramType::kLpddr4), 5.0);
  EXPECT_DOUBLE_EQ(dram_type_pj_per_bit(DramType::kDdr4), 15.0);
  ArchConfig arch;
  arch.dram.type = DramType::kHbm2;
  EXPECT_DOUBLE_EQ(dram_pj_per_byte(arch), 31.2);  // 3.9 pJ/bit x 8
  arch.energy.dram_pj_per_bit = 2.5;               // a given figure replaces the type's
  EXPECT_DOUBLE_EQ(dram_pj_per_byte(arch), 20.0);
}

TEST(StaticPower, SumsTheBlocks) {
  EXPECT_DOUBLE_EQ(total_static_mw({1, 2, 4, 8, 16, 32, 64}), 127.0);
}

// ---- the new keys in a file ------------------------------------------------------------------

class EnergyKeys : public testing::ArchFileTest {};

TEST_F(EnergyKeys, AutoAndNumbersBothRead) {
  const ArchConfig config = load(
      "dram:\n  type: hbm2\nenergy:\n  tech_scale: 0.4\n  mac_pj:\n    fp16: 1.5\n"
      "  gated_mac_fraction: 0.2\n  sram:\n    input:\n      read_pj_per_byte: auto\n"
      "      write_pj_per_byte: 3\n  dram_pj_per_bit: auto\n  static_mw:\n    dma: 7\n");
  EXPECT_EQ(config.dram.type, DramType::kHbm2);
  EXPECT_EQ(config.energy.tech_scale, 0.4);
  EXPECT_EQ(config.energy.mac_pj.fp16, 1.5);
  EXPECT_EQ(config.energy.gated_mac_fraction, 0.2);
  EXPECT_FALSE(config.energy.sram.input.read_pj_per_byte.has_value());
  EXPECT_EQ(config.energy.sram.input.write_pj_per_byte, 3.0);
  EXPECT_FALSE(config.energy.dram_pj_per_bit.has_value());
  EXPECT_EQ(config.energy.static_mw.dma, 7.0);
}

TEST_F(EnergyKeys, OverridesTakeAutoAndNumbers) {
  const std::string path = m_dir.write("arch.yaml", "energy:\n  dram_pj_per_bit: 4\n");
  const ArchConfig config =
      load_arch(path, {"energy.dram_pj_per_bit=auto", "energy.sram.weight.read_pj_per_byte=2.5"});
  EXPECT_FALSE(config.energy.dram_pj_per_bit.has_value());
  EXPECT_EQ(config.energy.sram.weight.read_pj_per_byte, 2.5);
}

TEST_F(EnergyKeys, EachNewKeyNamesItsProblem) {
  EXPECT_EQ(error_for("dram:\n  type: ddr5\n"),
            file() +
                ":2:9: dram.type: expected one of 'ddr4' 'lpddr4' 'hbm2' 'gddr5', got 'ddr5'"
                " (did you mean 'ddr4'?)");
  EXPECT_EQ(error_for("energy:\n  tech_scale: 0\n"),
            file() + ":2:15: energy.tech_scale: expected a number in (0, 100], got 0");
  EXPECT_EQ(error_for("energy:\n  mac_pj:\n    bf16: -1\n"),
            file() + ":3:11: energy.mac_pj.bf16: expected a number in [0, 10000], got -1");
  EXPECT_EQ(error_for("energy:\n  gated_mac_fraction: 1.5\n"),
            file() + ":2:23: energy.gated_mac_fraction: expected a number in [0, 1], got 1.5");
  EXPECT_EQ(error_for("energy:\n  sram:\n    weight:\n      read_pj_per_byte: automatic\n"),
            file() +
                ":4:25: energy.sram.weight.read_pj_per_byte: expected 'auto' or a number "
                "in [0, 10000], got 'automatic'");
  EXPECT_EQ(error_for("energy:\n  dram_pj_per_bit: 2000\n"),
            file() +
                ":2:20: energy.dram_pj_per_bit: expected 'auto' or a number in [0, 1000], "
                "got 2000");
  EXPECT_EQ(error_for("energy:\n  static_mw:\n    dma: -5\n"),
            file() + ":3:10: energy.static_mw.dma: expected a number in [0, 1e+06], got -5");
}

TEST_F(EnergyKeys, TheOldScalarFormsAreRejectedByName) {
  // Before the table: one mac_pj, one static_mw, DRAM per byte. Each now says what it expects.
  EXPECT_EQ(error_for("energy:\n  mac_pj: 0.3\n"),
            file() + ":2:11: energy.mac_pj: expected a mapping of keys, got '0.3'");
  EXPECT_EQ(error_for("energy:\n  static_mw: 250\n"),
            file() + ":2:14: energy.static_mw: expected a mapping of keys, got '250'");
  EXPECT_EQ(error_for("energy:\n  dram_pj_per_byte: 40\n"),
            file() +
                ":2:3: energy.dram_pj_per_byte: unknown key (did you mean "
                "'dram_pj_per_bit'?)");
  EXPECT_EQ(error_for("energy:\n  mac_pj:\n    int2: 0.1\n"),
            file() + ":3:5: energy.mac_pj.int2: unknown key (did you mean 'int4'?)");
}

}  // namespace
}  // namespace npu::arch
