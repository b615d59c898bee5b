// Cross-field feasibility: what a weight-stationary array fed from these buffers certainly needs.
// Each rule is tested one short of its limit and at it.

#include <gtest/gtest.h>

#include "arch/arch_loader.h"
#include "tests/unit/arch/arch_test_util.h"

namespace npu::arch {
namespace {

using testing::contains;
using testing::TempDir;
using testing::user_error;

TEST(ArchValidate, DefaultConfigIsValid) { validate(ArchConfig{}, "defaults"); }

TEST(ArchValidate, CodeBuiltConfigErrorsNameTheSourceAndKey) {
  ArchConfig config;
  config.array.rows = 0;
  EXPECT_EQ(user_error([&] { validate(config, "my_test"); }),
            "my_test: array.rows: expected an integer in [1, 4096], got 0");
  config = ArchConfig{};
  config.clock.freq_mhz = -1;
  EXPECT_EQ(user_error([&] { validate(config, "my_test"); }),
            "my_test: clock.freq_mhz: expected a number in (0, 10000], got -1");
}

TEST(ArchValidate, WeightBufferMustDoubleBufferOneTile) {
  ArchConfig config;  // 64x64 int8: 2 x 64 x 64 x 1 B = 8 KiB
  config.sram.weight.size_kib = 7;
  config.sram.weight.banks = 7;
  config.sram.weight.bytes_per_cycle = 63;
  EXPECT_EQ(user_error([&] { validate(config, "cfg"); }),
            "cfg: sram.weight.size_kib: 7 KiB cannot double-buffer one 64x64 int8 weight tile "
            "(needs 8 KiB)");
  config.sram.weight.size_kib = 8;
  config.sram.weight.banks = 8;
  config.sram.weight.bytes_per_cycle = 64;
  validate(config, "cfg");
}

TEST(ArchValidate, InputBufferMustDoubleBufferOneInputVector) {
  ArchConfig config;
  config.array.rows = 4096;  // 2 x 4096 x 1 B = 8 KiB of input; weights: 2 x 4096 x 1 = 8 KiB
  config.array.cols = 1;
  config.sram.input.size_kib = 7;
  config.sram.input.banks = 1;
  EXPECT_EQ(user_error([&] { validate(config, "cfg"); }),
            "cfg: sram.input.size_kib: 7 KiB cannot double-buffer one input vector of 4096 int8 "
            "operands (one per array row) (needs 8 KiB)");
  config.sram.input.size_kib = 8;
  validate(config, "cfg");
}

TEST(ArchValidate, OutputBufferMustDoubleBufferOneAccumulatorRow) {
  ArchConfig config;
  config.array.rows = 1;
  config.array.cols = 4096;  // 2 x 4096 x 4 B = 32 KiB of int32 accumulators
  config.sram.output.size_kib = 31;
  config.sram.output.banks = 1;
  EXPECT_EQ(user_error([&] { validate(config, "cfg"); }),
            "cfg: sram.output.size_kib: 31 KiB cannot double-buffer one row of 4096 int32 "
            "accumulators (needs 32 KiB)");
  config.sram.output.size_kib = 32;
  validate(config, "cfg");
  // 16-bit accumulators halve the need: 2 x 4096 x 2 B = 16 KiB.
  config.precision.accumulator_bits = 16;
  config.sram.output.size_kib = 16;
  validate(config, "cfg");
}

TEST(ArchValidate, BanksMustSplitTheBufferEvenly) {
  ArchConfig config;
  config.sram.input.size_kib = 1;  // 1024 bytes do not split into 3 banks
  config.sram.input.banks = 3;
  config.sram.input.bytes_per_cycle = 3;
  EXPECT_EQ(user_error([&] { validate(config, "cfg"); }),
            "cfg: sram.input.banks: 1 KiB does not split evenly into 3 banks (expected a bank "
            "count that divides 1024 bytes)");
  config.sram.input.size_kib = 3;  // 3072 bytes: 1 KiB per bank
  validate(config, "cfg");
}

TEST(ArchValidate, PortMustSpreadEvenlyAcrossBanks) {
  ArchConfig config;  // 8 banks by default
  config.sram.output.bytes_per_cycle = 60;
  EXPECT_EQ(user_error([&] { validate(config, "cfg"); }),
            "cfg: sram.output.bytes_per_cycle: 60 bytes per cycle do not spread evenly across 8 "
            "banks (expected a multiple of sram.output.banks)");
  config.sram.output.bytes_per_cycle = 64;
  validate(config, "cfg");
}

TEST(ArchValidate, FileErrorPointsAtTheKeyThatIsTooSmall) {
  TempDir dir;
  const std::string path =
      dir.write("small.yaml", "sram:\n  weight:\n    size_kib: 4\n    banks: 4\n");
  EXPECT_EQ(user_error([&] { load_arch(path); }),
            path +
                ":3:15: sram.weight.size_kib: 4 KiB cannot double-buffer one 64x64 int8 "
                "weight tile (needs 8 KiB)");
}

TEST(ArchValidate, DefaultedKeyIsReportedAgainstTheFile) {
  TempDir dir;  // sram.weight.size_kib keeps its 1 MiB default; a 1024x1024 tile needs 2 MiB
  const std::string path = dir.write("big.yaml", "array:\n  rows: 1024\n  cols: 1024\n");
  EXPECT_EQ(user_error([&] { load_arch(path); }),
            path +
                ": sram.weight.size_kib: 1024 KiB cannot double-buffer one 1024x1024 int8 "
                "weight tile (needs 2048 KiB)");
}

}  // namespace
}  // namespace npu::arch
