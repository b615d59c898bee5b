// The configs shipped in configs/: each loads, validates, spells out every key, feeds its array
// every cycle, and matches the design its description claims.

#include <gtest/gtest.h>
#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <string>
#include <utility>
#include <vector>

#include "arch/arch_loader.h"
#include "arch/arch_schema.h"
#include "arch/energy_table.h"
#include "tests/unit/arch/arch_test_util.h"

namespace npu::arch {
namespace {

using testing::expect_same_config;
using testing::source_dir;
using testing::TempDir;

std::vector<std::string> shipped_configs() {
  std::vector<std::string> paths;
  for (const auto& entry : std::filesystem::directory_iterator(source_dir() + "/configs")) {
    if (entry.path().extension() == ".yaml") paths.push_back(entry.path().string());
  }
  std::sort(paths.begin(), paths.end());
  return paths;
}

std::string config_path(const std::string& name) {
  return source_dir() + "/configs/" + name + ".yaml";
}

// 2 x PEs x f: one MAC is two operations.
double peak_tops(const ArchConfig& config) {
  return 2.0 * static_cast<double>(config.pes()) * config.clock.freq_mhz * 1e6 / 1e12;
}

int64_t total_sram_kib(const ArchConfig& config) {
  return config.sram.input.size_kib + config.sram.weight.size_kib + config.sram.output.size_kib;
}

TEST(ShippedConfigs, TheThreeReferenceDesignsExist) {
  for (const char* name : {"int8_32x32", "int8_64x64", "int8_128x128"}) {
    EXPECT_TRUE(std::filesystem::exists(config_path(name))) << name;
  }
}

TEST(ShippedConfigs, TheFloatVariantsOfTheEdgeDesignExist) {
  for (const char* name : {"fp16_64x64", "bf16_64x64"}) {
    EXPECT_TRUE(std::filesystem::exists(config_path(name))) << name;
  }
}

TEST(ShippedConfigs, EachLoadsValidatesAndIsNamedAfterItsFile) {
  for (const std::string& path : shipped_configs()) {
    SCOPED_TRACE(path);
    const ArchConfig config = load_arch(path);
    EXPECT_EQ(config.name, std::filesystem::path(path).stem().string());
    EXPECT_FALSE(config.description.empty());
  }
}

TEST(ShippedConfigs, EachSpellsOutEveryKey) {
  for (const std::string& path : shipped_configs()) {
    const YAML::Node root = YAML::LoadFile(path);
    for (const std::string& key : schema_keys()) {
      YAML::Node node = root;
      size_t start = 0;
      for (size_t dot = key.find('.');; dot = key.find('.', start)) {
        const std::string part = key.substr(start, dot == std::string::npos ? dot : dot - start);
        node.reset(static_cast<const YAML::Node&>(node)[part]);
        if (!node.IsDefined() || dot == std::string::npos) break;
        start = dot + 1;
      }
      // Leaves are scalars, except the list-valued keys.
      const bool list_key =
          key == "sparsity.structured_patterns" || key == "precision.other_operands";
      EXPECT_TRUE(node.IsDefined() && (list_key ? node.IsSequence() : node.IsScalar()))
          << path << ": " << key;
    }
  }
}

// Without these the array stalls on its own operands every cycle: one operand per PE row enters per
// cycle, one weight row per cycle during preload, and each column reads and writes back one
// accumulator per cycle. Operands are 1 (int8) or 2 (fp16, bf16) bytes here, or half a byte
// (int4), of which a packed PE row takes macs_per_pe_per_cycle per step.
TEST(ShippedConfigs, BufferPortsFeedTheArrayEveryCycle) {
  for (const std::string& path : shipped_configs()) {
    SCOPED_TRACE(path);
    const ArchConfig config = load_arch(path);
    const Precision operand = config.precision.operand;
    const int packing = macs_per_pe_per_cycle(config.array, operand);
    const int accumulator_bytes = config.precision.accumulator_bits / 8;
    EXPECT_GE(config.sram.input.bytes_per_cycle, packed_bytes(operand, config.array.rows * packing));
    EXPECT_GE(config.sram.weight.bytes_per_cycle, packed_bytes(operand, config.array.cols));
    EXPECT_GE(config.sram.output.bytes_per_cycle, config.array.cols * accumulator_bytes * 2);
    EXPECT_GE(config.vector.lanes, config.array.cols);
  }
}

TEST(ShippedConfigs, EachRoundTripsThroughToYaml) {
  for (const std::string& path : shipped_configs()) {
    SCOPED_TRACE(path);
    const ArchConfig config = load_arch(path);
    TempDir dir;
    expect_same_config(load_arch(dir.write("resolved.yaml", to_yaml(config))), config);
  }
}

TEST(ShippedConfigs, EdgeDesignMatchesItsDescription) {
  const ArchConfig config = load_arch(config_path("int8_64x64"));
  EXPECT_NEAR(peak_tops(config), 3.93, 0.01);  // 2 x 4096 x 480e6
  EXPECT_EQ(total_sram_kib(config), 8 * 1024);
  EXPECT_EQ(config.dram.bandwidth_gbps, 12.8);
}

// fp16_64x64 and bf16_64x64 are int8_64x64 with another operand format: every key but the
// precision, the energy of a MAC and of a vector lane operation (and the name and description) is
// the int8 design's, so a comparison of the three isolates the format.
TEST(ShippedConfigs, FloatDesignsDifferFromTheEdgeDesignOnlyInFormatAndItsEnergy) {
  const ArchConfig int8 = load_arch(config_path("int8_64x64"));
  const std::pair<const char*, Precision> variants[] = {{"fp16_64x64", Precision::kFp16},
                                                        {"bf16_64x64", Precision::kBf16}};
  for (const auto& [name, precision] : variants) {
    SCOPED_TRACE(name);
    const ArchConfig config = load_arch(config_path(name));
    EXPECT_EQ(config.precision.operand, precision);
    EXPECT_EQ(config.precision.accumulator_bits, 32);  // fp32 accumulation
    EXPECT_NEAR(peak_tops(config), 3.93, 0.01);          // same array and clock
    ArchConfig expected = int8;
    expected.name = config.name;
    expected.description = config.description;
    expected.precision = config.precision;
    expected.energy.vector_op_pj = config.energy.vector_op_pj;
    expect_same_config(config, expected);
  }
}

// The MAC cost each design is charged: its operand precision's entry of the table.
double design_mac_pj(const char* name) {
  const ArchConfig config = load_arch(config_path(name));
  return mac_pj(config.energy, config.precision.operand);
}

TEST(ShippedConfigs, FloatMacEnergiesFollowHorowitz) {
  // fp16 multiply 1.1 pJ + fp32 add 0.9 pJ (Horowitz, ISSCC 2014, 45 nm).
  EXPECT_DOUBLE_EQ(design_mac_pj("fp16_64x64"), 2.0);
  // bf16: the fp16 multiplier scaled by the squared significand widths, (8 / 11)^2 x 1.1 = 0.58
  // ~ 0.6 pJ, plus the fp32 add 0.9 pJ: cheaper than fp16, dearer than int8 (0.3 pJ).
  const double bf16 = design_mac_pj("bf16_64x64");
  EXPECT_DOUBLE_EQ(bf16, 1.5);
  EXPECT_GT(bf16, design_mac_pj("int8_64x64"));
  EXPECT_LT(bf16, design_mac_pj("fp16_64x64"));
}

TEST(ShippedConfigs, SmallDesignMatchesItsDescription) {
  const ArchConfig config = load_arch(config_path("int8_32x32"));
  EXPECT_NEAR(peak_tops(config), 1.02, 0.01);  // 2 x 1024 x 500e6
  EXPECT_GE(total_sram_kib(config), 512);
  EXPECT_LE(total_sram_kib(config), 1024);
  EXPECT_EQ(config.dram.bandwidth_gbps, 6.4);
}

TEST(ShippedConfigs, DatacenterDesignMatchesItsDescription) {
  const ArchConfig config = load_arch(config_path("int8_128x128"));
  EXPECT_NEAR(peak_tops(config), 22.9, 0.1);  // 2 x 16384 x 700e6
  EXPECT_GE(total_sram_kib(config), 16 * 1024);
  EXPECT_LE(total_sram_kib(config), 24 * 1024);
  EXPECT_GE(config.dram.bandwidth_gbps, 68.0);
}

// The SRAM costs each shipped config derives (`auto`), as docs/energy.md tabulates them:
// 1.25 pJ/B x sqrt(bank KiB / 8) for banks with 8 B or wider words, writes 10% above reads.
TEST(ShippedConfigs, SramCostsFollowTheModel) {
  struct Expected {
    const char* name;
    double input, weight, output;  // read pJ/B
  };
  const double root2 = std::sqrt(2.0);
  const Expected expected[] = {
      {"int8_32x32", 2.5, 1.25 * 2 * root2, 1.25},              // 32, 64, 8 KiB banks
      {"int8_64x64", 5.0, 1.25 * 4 * root2, 1.25 * 2 * root2},  // 128, 256, 64 KiB
      {"fp16_64x64", 5.0, 1.25 * 4 * root2, 1.25 * 2 * root2},
      {"bf16_64x64", 5.0, 1.25 * 4 * root2, 1.25 * 2 * root2},
      {"int8_128x128", 1.25 * 4 * root2, 1.25 * 4 * root2, 1.25 * 2 * root2},  // 256, 256, 64
  };
  for (const Expected& design : expected) {
    SCOPED_TRACE(design.name);
    const ArchConfig config = load_arch(config_path(design.name));
    const std::pair<SramCosts, double> buffers[] = {
        {sram_costs(config.energy, config.energy.sram.input, config.sram.input), design.input},
        {sram_costs(config.energy, config.energy.sram.weight, config.sram.weight), design.weight},
        {sram_costs(config.energy, config.energy.sram.output, config.sram.output), design.output}};
    for (const auto& [costs, read] : buffers) {
      EXPECT_NEAR(costs.read_pj_per_byte, read, 1e-12);
      EXPECT_NEAR(costs.write_pj_per_byte, 1.1 * read, 1e-12);
    }
  }
}

// DRAM per byte and total static power, unchanged by the move to the table: LPDDR4 5 pJ/bit,
// DDR4 15 pJ/bit; 40, 250 and 7000 mW split by block (each file derives its split).
TEST(ShippedConfigs, DramAndStaticTotals) {
  const std::pair<const char*, std::pair<double, double>> expected[] = {
      {"int8_32x32", {40.0, 40.0}},
      {"int8_64x64", {40.0, 250.0}},
      {"fp16_64x64", {40.0, 250.0}},
      {"bf16_64x64", {40.0, 250.0}},
      {"int8_128x128", {120.0, 7000.0}}};
  for (const auto& [name, figures] : expected) {
    SCOPED_TRACE(name);
    const ArchConfig config = load_arch(config_path(name));
    EXPECT_DOUBLE_EQ(dram_pj_per_byte(config), figures.first);
    EXPECT_DOUBLE_EQ(total_static_mw(config.energy.static_mw), figures.second);
    EXPECT_EQ(config.energy.tech_scale, 1.0);  // the table's own node, 45 nm
  }
}

}  // namespace
}  // namespace npu::arch
