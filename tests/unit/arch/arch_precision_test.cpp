// precision.operand: the four operand formats load, round-trip and override; float formats
// accumulate in fp32 only; the buffers' feasibility checks scale with the element size.

#include <gtest/gtest.h>

#include <string>

#include "arch/arch_loader.h"
#include "tests/unit/arch/arch_test_util.h"

namespace npu::arch {
namespace {

using testing::expect_same_config;
using testing::TempDir;
using testing::user_error;

struct Format {
  const char* name;
  Precision precision;
  int bytes;
  bool is_float;
};

constexpr Format kFormats[] = {{"int8", Precision::kInt8, 1, false},
                               {"fp16", Precision::kFp16, 2, true},
                               {"bf16", Precision::kBf16, 2, true},
                               {"fp32", Precision::kFp32, 4, true}};

class ArchPrecision : public ::testing::Test {
 protected:
  std::string write(const std::string& text) { return m_dir.write("arch.yaml", text); }
  std::string file() const { return m_dir.path("arch.yaml"); }

  TempDir m_dir;
};

TEST_F(ArchPrecision, EachFormatLoads) {
  for (const Format& format : kFormats) {
    SCOPED_TRACE(format.name);
    const ArchConfig config = load_arch(
        write(std::string("precision:\n  operand: ") + format.name + "\n  accumulator_bits: 32\n"));
    EXPECT_EQ(config.precision.operand, format.precision);
    EXPECT_EQ(config.precision.accumulator_bits, 32);
    EXPECT_STREQ(to_string(config.precision.operand), format.name);
    EXPECT_EQ(element_bytes(config.precision.operand), format.bytes);
    EXPECT_EQ(is_float(config.precision.operand), format.is_float);
  }
}

TEST_F(ArchPrecision, FloatFormatsLoadWithTheDefaultAccumulator) {
  // accumulator_bits defaults to 32, which every format accepts.
  EXPECT_EQ(load_arch(write("precision:\n  operand: bf16\n")).precision.operand, Precision::kBf16);
}

TEST_F(ArchPrecision, EachFormatRoundTripsThroughToYaml) {
  for (const Format& format : kFormats) {
    SCOPED_TRACE(format.name);
    ArchConfig config;
    config.name = "round_trip";
    config.precision.operand = format.precision;
    validate(config, "code");
    TempDir dir;
    const std::string yaml = to_yaml(config);
    EXPECT_NE(yaml.find(std::string("operand: ") + format.name), std::string::npos) << yaml;
    expect_same_config(load_arch(dir.write("resolved.yaml", yaml)), config);
  }
}

TEST_F(ArchPrecision, UnknownFormatSuggestsTheClosest) {
  EXPECT_EQ(user_error([&] { load_arch(write("precision:\n  operand: fp61\n")); }),
            file() +
                ":2:12: precision.operand: expected one of 'int4' 'int8' 'fp16' 'bf16' 'fp32', got 'fp61' "
                "(did you mean 'fp16'?)");
  EXPECT_EQ(user_error([&] { load_arch(write("precision:\n  operand: bfloat16\n")); }),
            file() +
                ":2:12: precision.operand: expected one of 'int4' 'int8' 'fp16' 'bf16' 'fp32', got "
                "'bfloat16'");
}

TEST_F(ArchPrecision, FloatOperandsNeedThirtyTwoBitAccumulators) {
  for (const char* name : {"fp16", "bf16", "fp32"}) {
    SCOPED_TRACE(name);
    EXPECT_EQ(user_error([&] {
                load_arch(write(std::string("precision:\n  operand: ") + name +
                                "\n  accumulator_bits: 16\n"));
              }),
              file() + ":3:21: precision.accumulator_bits: " + name +
                  " operands accumulate in fp32, so accumulator_bits must be 32, got 16");
  }
  // int8 keeps both widths.
  for (const char* bits : {"16", "32"}) {
    EXPECT_EQ(load_arch(write(std::string("precision:\n  operand: int8\n  accumulator_bits: ") +
                              bits + "\n"))
                  .precision.accumulator_bits,
              std::stoi(bits));
  }
}

TEST_F(ArchPrecision, AccumulatorRuleInCodeBuiltConfigs) {
  ArchConfig config;
  config.precision.operand = Precision::kFp16;
  config.precision.accumulator_bits = 16;
  EXPECT_EQ(user_error([&] { validate(config, "cfg"); }),
            "cfg: precision.accumulator_bits: fp16 operands accumulate in fp32, so "
            "accumulator_bits must be 32, got 16");
  config.precision.accumulator_bits = 32;
  validate(config, "cfg");
}

TEST_F(ArchPrecision, SetOverridesTheFormat) {
  const std::string path = write("array:\n  rows: 64\n");
  EXPECT_EQ(load_arch(path, {"precision.operand=fp16"}).precision.operand, Precision::kFp16);
  EXPECT_EQ(load_arch(path, {"precision.operand=fp32", "precision.operand=bf16"}).precision.operand,
            Precision::kBf16);
  EXPECT_EQ(user_error([&] { load_arch(path, {"precision.operand=fp61"}); }),
            "--set precision.operand=fp61: precision.operand: expected one of 'int4' 'int8' 'fp16' 'bf16' "
            "'fp32', got 'fp61' (did you mean 'fp16'?)");
  // The accumulator rule sees the overridden format: the error points at the key that breaks it.
  const std::string narrow = write("precision:\n  operand: int8\n  accumulator_bits: 16\n");
  EXPECT_EQ(user_error([&] { load_arch(narrow, {"precision.operand=fp16"}); }),
            file() +
                ":3:21: precision.accumulator_bits: fp16 operands accumulate in fp32, so "
                "accumulator_bits must be 32, got 16");
  EXPECT_EQ(user_error([&] {
              load_arch(narrow, {"precision.operand=bf16", "precision.accumulator_bits=16"});
            }),
            "--set precision.accumulator_bits=16: precision.accumulator_bits: bf16 operands "
            "accumulate in fp32, so accumulator_bits must be 32, got 16");
  EXPECT_EQ(load_arch(narrow, {"precision.operand=fp16", "precision.accumulator_bits=32"})
                .precision.operand,
            Precision::kFp16);
}

// The double-buffering rules (docs/config.md) in bytes: a 2-byte format needs twice what int8
// does, a 4-byte one four times. Each at the limit and one KiB short.
TEST_F(ArchPrecision, WeightTileScalesWithElementBytes) {
  for (const Format& format : kFormats) {
    SCOPED_TRACE(format.name);
    ArchConfig config;  // 64x64: 2 x 64 x 64 x bytes = 8 KiB x bytes
    config.precision.operand = format.precision;
    const int64_t needed_kib = 8 * format.bytes;
    config.sram.weight.size_kib = needed_kib - 1;
    config.sram.weight.banks = 1;
    EXPECT_EQ(user_error([&] { validate(config, "cfg"); }),
              "cfg: sram.weight.size_kib: " + std::to_string(needed_kib - 1) +
                  " KiB cannot double-buffer one 64x64 " + format.name + " weight tile (needs " +
                  std::to_string(needed_kib) + " KiB)");
    config.sram.weight.size_kib = needed_kib;
    validate(config, "cfg");
  }
}

TEST_F(ArchPrecision, InputVectorScalesWithElementBytes) {
  for (const Format& format : kFormats) {
    SCOPED_TRACE(format.name);
    ArchConfig config;
    config.array.rows = 4096;  // 2 x 4096 x bytes = 8 KiB x bytes (weights: the same)
    config.array.cols = 1;
    config.precision.operand = format.precision;
    const int64_t needed_kib = 8 * format.bytes;
    config.sram.input.size_kib = needed_kib - 1;
    config.sram.input.banks = 1;
    EXPECT_EQ(user_error([&] { validate(config, "cfg"); }),
              "cfg: sram.input.size_kib: " + std::to_string(needed_kib - 1) +
                  " KiB cannot double-buffer one input vector of 4096 " + format.name +
                  " operands (one per array row) (needs " + std::to_string(needed_kib) + " KiB)");
    config.sram.input.size_kib = needed_kib;
    validate(config, "cfg");
  }
}

TEST_F(ArchPrecision, FloatAccumulatorRowIsFp32) {
  ArchConfig config;
  config.precision.operand = Precision::kFp16;
  config.array.rows = 1;
  config.array.cols = 4096;  // 2 x 4096 x 4 B = 32 KiB of fp32 accumulators
  config.sram.output.size_kib = 31;
  config.sram.output.banks = 1;
  EXPECT_EQ(user_error([&] { validate(config, "cfg"); }),
            "cfg: sram.output.size_kib: 31 KiB cannot double-buffer one row of 4096 fp32 "
            "accumulators (needs 32 KiB)");
  config.sram.output.size_kib = 32;
  validate(config, "cfg");
}

}  // namespace
}  // namespace npu::arch
