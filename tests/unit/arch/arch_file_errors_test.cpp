// Mistakes in an arch file: each error is one line naming file:line:col, the dotted key and what
// was expected.

#include <gtest/gtest.h>

#include "arch/arch_loader.h"
#include "tests/unit/arch/arch_test_util.h"

namespace npu::arch {
namespace {

using testing::contains;
using testing::TempDir;
using testing::user_error;

class ArchFileErrors : public ::testing::Test {
 protected:
  // The error load_arch gives for a file `arch.yaml` holding `text`.
  std::string error_for(const std::string& text) {
    const std::string path = m_dir.write("arch.yaml", text);
    return user_error([&] { load_arch(path); });
  }
  std::string file() const { return m_dir.path("arch.yaml"); }

  TempDir m_dir;
};

TEST_F(ArchFileErrors, EmptyFileIsAllDefaultsNamedAfterTheFile) {
  const ArchConfig config = load_arch(m_dir.write("tiny_npu.yaml", ""));
  EXPECT_EQ(config.name, "tiny_npu");
  EXPECT_EQ(config.array.rows, ArchConfig{}.array.rows);
}

TEST_F(ArchFileErrors, ExplicitNameWinsOverTheStem) {
  EXPECT_EQ(load_arch(m_dir.write("a.yaml", "name: other\n")).name, "other");
}

TEST_F(ArchFileErrors, UnknownNestedKeySuggestsTheRightOne) {
  const std::string message = error_for("sram:\n  input:\n    size_kb: 4\n");
  EXPECT_EQ(message, file() + ":3:5: sram.input.size_kb: unknown key (did you mean 'size_kib'?)");
}

TEST_F(ArchFileErrors, UnknownTopLevelKeySuggestsTheGroup) {
  EXPECT_EQ(error_for("arrays:\n  rows: 4\n"),
            file() + ":1:1: arrays: unknown key (did you mean 'array'?)");
}

TEST_F(ArchFileErrors, UnknownKeyFarFromAnyGetsNoSuggestion) {
  EXPECT_EQ(error_for("dram:\n  refresh_interval_us: 7.8\n"),
            file() + ":2:3: dram.refresh_interval_us: unknown key");
}

TEST_F(ArchFileErrors, StringWhereANumberIsExpected) {
  EXPECT_EQ(error_for("clock:\n  freq_mhz: fast\n"),
            file() + ":2:13: clock.freq_mhz: expected a number in (0, 10000], got 'fast'");
}

TEST_F(ArchFileErrors, FractionWhereAnIntegerIsExpected) {
  EXPECT_EQ(error_for("array:\n  rows: 1.5\n"),
            file() + ":2:9: array.rows: expected an integer in [1, 4096], got '1.5'");
}

TEST_F(ArchFileErrors, ListWhereAMappingIsExpected) {
  EXPECT_EQ(error_for("sram:\n  input: [1, 2]\n"),
            file() + ":2:10: sram.input: expected a mapping of keys, got a list");
}

TEST_F(ArchFileErrors, ScalarWhereAMappingIsExpected) {
  EXPECT_EQ(error_for("vector: 64\n"),
            file() + ":1:9: vector: expected a mapping of keys, got '64'");
}

TEST_F(ArchFileErrors, ListWhereANumberIsExpected) {
  EXPECT_TRUE(contains(error_for("array:\n  rows: [64]\n"),
                       ":2:9: array.rows: expected an integer in [1, 4096], got a list"));
}

TEST_F(ArchFileErrors, DuplicateKeyIsNotSilentlyIgnored) {
  EXPECT_EQ(error_for("array:\n  rows: 32\n  rows: 64\n"),
            file() + ":3:3: array.rows: duplicate key (first given on line 2)");
}

TEST_F(ArchFileErrors, KeyWithNoValueIsNotASilentDefault) {
  EXPECT_EQ(error_for("array:\n  rows:\n"),
            file() + ":2:3: array.rows: expected an integer in [1, 4096], got nothing");
}

TEST_F(ArchFileErrors, DocumentMustBeAMapping) {
  EXPECT_TRUE(
      contains(error_for("- a\n- b\n"), "document: expected a mapping of keys, got a list"));
}

TEST_F(ArchFileErrors, IntegerRangeBoundaries) {
  EXPECT_EQ(error_for("array:\n  rows: 0\n"),
            file() + ":2:9: array.rows: expected an integer in [1, 4096], got 0");
  EXPECT_EQ(error_for("array:\n  cols: 4097\n"),
            file() + ":2:9: array.cols: expected an integer in [1, 4096], got 4097");
  // 4096 rows need 8 KiB of input and weight double buffers; the defaults (1 MiB) hold them.
  EXPECT_EQ(load_arch(m_dir.write("edge.yaml", "array:\n  rows: 4096\n")).array.rows, 4096);
}

TEST_F(ArchFileErrors, FrequencyMustBeStrictlyPositive) {
  EXPECT_EQ(error_for("clock:\n  freq_mhz: 0\n"),
            file() + ":2:13: clock.freq_mhz: expected a number in (0, 10000], got 0");
  EXPECT_TRUE(contains(error_for("clock:\n  freq_mhz: 10000.5\n"), "got 10000.5"));
  EXPECT_EQ(load_arch(m_dir.write("fast.yaml", "clock:\n  freq_mhz: 10000\n")).clock.freq_mhz,
            10000.0);
}

TEST_F(ArchFileErrors, EnergiesMustNotBeNegative) {
  EXPECT_EQ(error_for("energy:\n  sram:\n    output:\n      write_pj_per_byte: -0.1\n"),
            file() +
                ":4:26: energy.sram.output.write_pj_per_byte: expected 'auto' or a number in "
                "[0, 10000], got -0.1");
  EXPECT_EQ(load_arch(m_dir.write("free.yaml", "energy:\n  mac_pj:\n    int8: 0\n"))
                .energy.mac_pj.int8,
            0.0);
}

TEST_F(ArchFileErrors, AccumulatorBitsIsOneOfAFixedSet) {
  EXPECT_EQ(error_for("precision:\n  accumulator_bits: 24\n"),
            file() + ":2:21: precision.accumulator_bits: expected one of 16, 32, got 24");
  EXPECT_EQ(load_arch(m_dir.write("acc16.yaml", "precision:\n  accumulator_bits: 16\n"))
                .precision.accumulator_bits,
            16);
}

TEST_F(ArchFileErrors, DramAccessMustBeAPowerOfTwo) {
  EXPECT_EQ(error_for("dram:\n  access_bytes: 48\n"),
            file() + ":2:17: dram.access_bytes: expected a power of two in [1, 4096], got 48");
}

TEST_F(ArchFileErrors, DataflowListsTheAllowedValues) {
  EXPECT_EQ(error_for("array:\n  dataflow: output_stationery\n"),
            file() +
                ":2:13: array.dataflow: expected one of 'weight_stationary' "
                "'output_stationary' 'input_stationary', got 'output_stationery' (did you mean "
                "'output_stationary'?)");
}

TEST_F(ArchFileErrors, StationaryPreloadListsTheAllowedValues) {
  EXPECT_EQ(error_for("array:\n  stationary_preload: overlapped\n"),
            file() +
                ":2:23: array.stationary_preload: expected one of 'serial' 'double_buffered', "
                "got 'overlapped'");
}

TEST_F(ArchFileErrors, OperandPrecisionListsTheAllowedValues) {
  EXPECT_EQ(error_for("precision:\n  operand: int2\n"),
            file() +
                ":2:12: precision.operand: expected one of 'int4' 'int8' 'fp16' 'bf16' 'fp32', got "
                "'int2' (did you mean 'int4'?)");
}

TEST_F(ArchFileErrors, MissingFile) {
  const std::string path = m_dir.path("absent.yaml");
  EXPECT_EQ(user_error([&] { load_arch(path); }), path + ": cannot open file");
}

TEST_F(ArchFileErrors, DirectoryIsNotAConfig) {
  const std::string path = m_dir.path("");
  EXPECT_EQ(user_error([&] { load_arch(path); }), path + ": is a directory, expected a YAML file");
}

TEST_F(ArchFileErrors, YamlSyntaxErrorNamesThePosition) {
  const std::string message = error_for("array:\n  rows: [64\n  cols: 64\n");
  EXPECT_TRUE(contains(message, file() + ":"));
  EXPECT_TRUE(contains(message, ": YAML syntax error: "));
}

TEST_F(ArchFileErrors, EveryMessageIsOneLine) {
  for (const char* text : {"sram:\n  input:\n    size_kb: 4\n", "array:\n  rows: x\n", "array: [\n",
                           "sram:\n  weight:\n    size_kib: 1\n"}) {
    EXPECT_EQ(error_for(text).find('\n'), std::string::npos) << text;
  }
}

}  // namespace
}  // namespace npu::arch
