// `npusim --set key.path=value`: overrides pass through the same checks as the file, and their
// errors name the override instead of a file position.

#include <gtest/gtest.h>

#include "arch/arch_loader.h"
#include "tests/unit/arch/arch_test_util.h"

namespace npu::arch {
namespace {

using testing::contains;
using testing::TempDir;
using testing::user_error;

class ArchOverrides : public ::testing::Test {
 protected:
  std::string error_for(const std::vector<std::string>& overrides) {
    return user_error([&] { load_arch(m_path, overrides); });
  }

  TempDir m_dir;  // declared before m_path, which is written into it
  std::string m_path = m_dir.write("base.yaml", "array:\n  rows: 64\n  cols: 64\n");
};

TEST_F(ArchOverrides, ValidOverrideChangesTheField) {
  const ArchConfig config = load_arch(m_path, {"array.rows=32"});
  EXPECT_EQ(config.array.rows, 32);
  EXPECT_EQ(config.array.cols, 64);
}

TEST_F(ArchOverrides, OverrideMaySetAKeyTheFileLeavesOut) {
  const ArchConfig config =
      load_arch(m_path, {"dram.bandwidth_gbps=6.4", "energy.sram.weight.read_pj_per_byte=2.5"});
  EXPECT_EQ(config.dram.bandwidth_gbps, 6.4);
  EXPECT_EQ(config.energy.sram.weight.read_pj_per_byte, 2.5);
}

TEST_F(ArchOverrides, LaterOverrideWins) {
  EXPECT_EQ(load_arch(m_path, {"array.rows=16", "array.rows=8"}).array.rows, 8);
}

TEST_F(ArchOverrides, ValueIsAYamlScalar) {
  const ArchConfig config = load_arch(m_path, {"description='a: b # c'", "name=\"x y\""});
  EXPECT_EQ(config.description, "a: b # c");
  EXPECT_EQ(config.name, "x y");
  EXPECT_EQ(load_arch(m_path, {"array.dataflow=weight_stationary"}).array.dataflow,
            Dataflow::kWeightStationary);
}

TEST_F(ArchOverrides, UnknownKeySuggestsTheFullPath) {
  EXPECT_EQ(error_for({"sram.input.size_kb=4"}),
            "--set sram.input.size_kb=4: sram.input.size_kb: unknown key (did you mean "
            "'sram.input.size_kib'?)");
}

TEST_F(ArchOverrides, BareLeafNameSuggestsWhereItLives) {
  EXPECT_EQ(error_for({"rows=32"}),
            "--set rows=32: rows: unknown key (did you mean 'array.rows'?)");
  EXPECT_EQ(error_for({"size_kib=4"}),
            "--set size_kib=4: size_kib: unknown key (did you mean one of 'sram.input.size_kib', "
            "'sram.weight.size_kib', 'sram.output.size_kib'?)");
}

TEST_F(ArchOverrides, GroupIsNotAValue) {
  EXPECT_EQ(error_for({"sram.input=4"}),
            "--set sram.input=4: sram.input: is a group of keys, not a value (set one of its "
            "keys, e.g. 'sram.input.size_kib')");
}

TEST_F(ArchOverrides, WrongTypeNamesTheOverride) {
  EXPECT_EQ(error_for({"array.rows=abc"}),
            "--set array.rows=abc: array.rows: expected an integer in [1, 4096], got 'abc'");
  EXPECT_EQ(error_for({"clock.freq_mhz="}),
            "--set clock.freq_mhz=: clock.freq_mhz: expected a number in (0, 10000], got ''");
}

TEST_F(ArchOverrides, OutOfRangeNamesTheOverride) {
  EXPECT_EQ(error_for({"array.cols=0"}),
            "--set array.cols=0: array.cols: expected an integer in [1, 4096], got 0");
}

TEST_F(ArchOverrides, EnumValueNamesTheOverride) {
  EXPECT_EQ(error_for({"precision.operand=fp61"}),
            "--set precision.operand=fp61: precision.operand: expected one of 'int4' 'int8' 'fp16' 'bf16' "
            "'fp32', got 'fp61' (did you mean 'fp16'?)");
  EXPECT_EQ(load_arch(m_path, {"precision.operand=fp16"}).precision.operand, Precision::kFp16);
}

TEST_F(ArchOverrides, InfeasibilityFromAnOverrideNamesTheOverride) {
  EXPECT_EQ(error_for({"sram.weight.size_kib=4", "sram.weight.banks=4"}),
            "--set sram.weight.size_kib=4: sram.weight.size_kib: 4 KiB cannot double-buffer one "
            "64x64 int8 weight tile (needs 8 KiB)");
}

TEST_F(ArchOverrides, MappingOrListValueIsRejected) {
  EXPECT_EQ(error_for({"array.rows={a: 1}"}),
            "--set array.rows={a: 1}: array.rows: expected a value, got a mapping");
  EXPECT_EQ(error_for({"array.rows=[1]"}),
            "--set array.rows=[1]: array.rows: expected an integer in [1, 4096], got a list");
  EXPECT_EQ(error_for({"sparsity.structured_patterns=[[2, 4]]"}),
            "--set sparsity.structured_patterns=[[2, 4]]: sparsity.structured_patterns: expected a "
            "list of single values");
}

// List keys take a flow list, checked element by element like the file's.
TEST_F(ArchOverrides, ListKeysTakeAFlowList) {
  const ArchConfig arch = load_arch(m_path, {"sparsity.support=skipping",
                                             "sparsity.structured_patterns=[\"2:4\", 1:4]",
                                             "sparsity.metadata_bits_per_nonzero=2"});
  EXPECT_EQ(arch.sparsity.structured_patterns, (std::vector<std::string>{"2:4", "1:4"}));
  EXPECT_EQ(load_arch(m_path, {"sparsity.structured_patterns=[]"}).sparsity.structured_patterns,
            std::vector<std::string>{});
  const std::string error = error_for({"sparsity.structured_patterns=[4:2]"});
  EXPECT_NE(error.find("--set sparsity.structured_patterns=[4:2]: sparsity.structured_patterns"),
            std::string::npos)
      << error;
}

TEST_F(ArchOverrides, MalformedOverride) {
  EXPECT_EQ(error_for({"array.rows"}),
            "--set array.rows: expected key.path=value (e.g. --set array.rows=32)");
  EXPECT_EQ(error_for({"=4"}), "--set =4: expected key.path=value (e.g. --set array.rows=32)");
}

TEST_F(ArchOverrides, FileErrorsKeepTheirPositionAlongsideOverrides) {
  const std::string path = m_dir.write("bad.yaml", "array:\n  cols: 0\n");
  EXPECT_EQ(user_error([&] { load_arch(path, {"array.rows=32"}); }),
            path + ":2:9: array.cols: expected an integer in [1, 4096], got 0");
}

TEST_F(ArchOverrides, OverrideBelowAScalarGroupReportsTheFile) {
  const std::string path = m_dir.write("scalar.yaml", "sram: 5\n");
  EXPECT_EQ(user_error([&] { load_arch(path, {"sram.input.size_kib=4"}); }),
            path + ":1:7: sram: expected a mapping of keys, got '5'");
}

}  // namespace
}  // namespace npu::arch
