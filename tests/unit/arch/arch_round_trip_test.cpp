// to_yaml writes every key so that load_arch reads back an equal config.

#include <gtest/gtest.h>
#include <yaml-cpp/yaml.h>

#include "arch/arch_loader.h"
#include "arch/arch_schema.h"
#include "tests/unit/arch/arch_test_util.h"

namespace npu::arch {
namespace {

using testing::expect_same_config;
using testing::TempDir;

// Every field differs from its default, so a key that to_yaml drops or load_arch ignores comes
// back as the default and the comparison catches it. Reals are chosen to have no short binary
// form (0.1, 733.3, ...) so any rounding in the writer would show.
ArchConfig all_fields_changed() {
  ArchConfig config;
  config.name = "round_trip";
  config.description = "quoted: with # and 'quotes' \"too\"";
  config.clock.freq_mhz = 733.3;
  config.array.rows = 48;
  config.array.cols = 40;
  config.precision.accumulator_bits = 16;
  config.sram.input = {3072, 12, 96};
  config.sram.weight = {1536, 6, 48};
  config.sram.output = {640, 5, 320};
  config.dram = {DramType::kHbm2, 19.2, 87.5, 128};
  config.dma.setup_cycles = 21;
  config.memory.ideal = true;
  config.controller.queue_depth = 7;
  config.vector.lanes = 24;
  config.vector.pipeline_latency_cycles = 3;
  config.vector.op_cycles = {2, 3, 5, 7};
  config.energy.tech_scale = 0.35;
  config.energy.mac_pj = {0.05, 0.1, 1.7, 1.3, 4.4};
  config.energy.gated_mac_fraction = 0.25;
  // One of each kind: both values given, one `auto`, both `auto` (the default).
  config.energy.sram.input = {1.1, 1.2};
  config.energy.sram.weight = {std::nullopt, 2.2};
  config.energy.dram_pj_per_bit = 4.16;
  config.energy.vector_op_pj = 0.7;
  config.energy.static_mw = {11.5, 2.25, 3.5, 4.5, 5.5, 6.5, 7.5};
  config.sparsity.support = SparsitySupport::kSkipping;
  config.sparsity.structured_patterns = {"2:4", "1:8"};
  config.sparsity.metadata_bits_per_nonzero = 3;
  config.sparsity.skip_unstructured_weights = true;
  return config;
}

ArchConfig reload(const ArchConfig& config) {
  TempDir dir;
  return load_arch(dir.write("resolved.yaml", to_yaml(config)));
}

TEST(ArchRoundTrip, EveryFieldSurvives) {
  const ArchConfig original = all_fields_changed();
  validate(original, "all_fields_changed");
  expect_same_config(reload(original), original);
}

TEST(ArchRoundTrip, DefaultsSurvive) {
  ArchConfig defaults;
  defaults.name = "defaults";
  expect_same_config(reload(defaults), defaults);
}

TEST(ArchRoundTrip, OutputHoldsEverySchemaKey) {
  const YAML::Node root = YAML::Load(to_yaml(ArchConfig{}));
  for (const std::string& key : schema_keys()) {
    YAML::Node node = root;
    size_t start = 0;
    for (size_t dot = key.find('.');; dot = key.find('.', start)) {
      const std::string part = key.substr(start, dot == std::string::npos ? dot : dot - start);
      node.reset(static_cast<const YAML::Node&>(node)[part]);
      ASSERT_TRUE(node.IsDefined()) << key;
      if (dot == std::string::npos) break;
      start = dot + 1;
    }
    // A leaf is a value: a scalar, or the one list-valued key, a sequence of scalars.
    EXPECT_TRUE(node.IsScalar() || ((key == "sparsity.structured_patterns" || key == "precision.other_operands") &&
                                  node.IsSequence()))
        << key;
  }
}

TEST(ArchRoundTrip, RealsAreWrittenInShortestExactForm) {
  const std::string text = to_yaml(all_fields_changed());
  EXPECT_NE(text.find("freq_mhz: 733.3\n"), std::string::npos) << text;
  EXPECT_NE(text.find("int8: 0.1\n"), std::string::npos) << text;
}

TEST(ArchRoundTrip, DerivedCostsAreWrittenAsAuto) {
  const std::string text = to_yaml(all_fields_changed());
  EXPECT_NE(text.find("read_pj_per_byte: auto\n"), std::string::npos) << text;
  EXPECT_NE(text.find("write_pj_per_byte: 2.2\n"), std::string::npos) << text;
  EXPECT_NE(to_yaml(ArchConfig{}).find("dram_pj_per_bit: auto\n"), std::string::npos);
}

TEST(ArchRoundTrip, StringsThatLookLikeOtherTypesStayStrings) {
  ArchConfig config;
  config.name = "null";
  config.description = "64";
  const ArchConfig back = reload(config);
  EXPECT_EQ(back.name, "null");
  EXPECT_EQ(back.description, "64");
}

}  // namespace
}  // namespace npu::arch
