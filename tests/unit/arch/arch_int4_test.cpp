// int4 operands, sub-word packing and mixed precision in the arch config: the packed byte rule,
// MAC energy per precision, and one-line errors for what the datapath cannot do.

#include <gtest/gtest.h>

#include <stdexcept>
#include <string>

#include "arch/arch_loader.h"
#include "arch/energy_table.h"
#include "tests/unit/arch/arch_test_util.h"

namespace npu::arch {
namespace {

using testing::TempDir;
using testing::user_error;

class ArchInt4 : public ::testing::Test {
 protected:
  std::string write(const std::string& text) { return m_dir.write("arch.yaml", text); }
  std::string file() const { return m_dir.path("arch.yaml"); }

  TempDir m_dir;
};

TEST(PackedBytes, Int4IsTwoPerByteRoundedUp) {
  // Each row starts on a byte: 3 int4 values take 2 bytes (the last nibble is padding), 4 take 2.
  EXPECT_EQ(packed_bytes(Precision::kInt4, 3), 2);
  EXPECT_EQ(packed_bytes(Precision::kInt4, 4), 2);
  EXPECT_EQ(packed_bytes(Precision::kInt4, 1), 1);
  EXPECT_EQ(packed_bytes(Precision::kInt4, 0), 0);
  // Whole-byte formats: exactly elements x bytes.
  EXPECT_EQ(packed_bytes(Precision::kInt8, 3), 3);
  EXPECT_EQ(packed_bytes(Precision::kFp16, 3), 6);
  EXPECT_EQ(element_bits(Precision::kInt4), 4);
  // A whole-byte size of int4 does not exist; asking for one is a bug, not a rounding.
  EXPECT_THROW(element_bytes(Precision::kInt4), std::logic_error);
  EXPECT_FALSE(is_float(Precision::kInt4));
}

TEST(MacEnergy, Int4LayersUseTheInt4Entry) {
  EnergyConfig energy;
  energy.mac_pj.int4 = 0.15;
  energy.mac_pj.int8 = 0.3;
  energy.mac_pj.fp16 = 2.0;
  EXPECT_DOUBLE_EQ(mac_pj(energy, Precision::kInt4), 0.15);
  EXPECT_DOUBLE_EQ(mac_pj(energy, Precision::kInt8), 0.3);
  EXPECT_DOUBLE_EQ(mac_pj(energy, Precision::kFp16), 2.0);
}

TEST_F(ArchInt4, ShippedInt4DesignPacksTwoMacsPerPe) {
  const ArchConfig arch = load_arch(std::string(NPU_SOURCE_DIR) + "/configs/int4_64x64.yaml");
  EXPECT_EQ(arch.precision.operand, Precision::kInt4);
  EXPECT_EQ(macs_per_pe_per_cycle(arch.array, Precision::kInt4), 2);
  EXPECT_EQ(macs_per_pe_per_cycle(arch.array, Precision::kInt8), 1);
  EXPECT_TRUE(arch.supports(Precision::kInt4));
  EXPECT_TRUE(arch.supports(Precision::kInt8));
  EXPECT_FALSE(arch.supports(Precision::kFp16));
  // 0.2 pJ x (4/8)^2 + 0.1 pJ.
  EXPECT_DOUBLE_EQ(mac_pj(arch.energy, Precision::kInt4), 0.15);
}

TEST_F(ArchInt4, OtherOperandsMustNameAPrecision) {
  EXPECT_EQ(user_error([&] { load_arch(write("precision:\n  other_operands: [int2]\n")); }),
            file() + ":2:19: precision.other_operands: 'int2' is not an operand precision (int4, "
                     "int8, fp16, bf16 or fp32)");
}

TEST_F(ArchInt4, OnlyInt8AndInt4Mix) {
  EXPECT_EQ(user_error([&] { load_arch(write("precision:\n  other_operands: [fp16]\n")); }),
            file() + ":2:19: precision.other_operands: 'fp16' cannot mix with operand int8: only "
                     "int8 and int4 mix");
  EXPECT_EQ(user_error([&] { load_arch(write("precision:\n  other_operands: [int8]\n")); }),
            file() + ":2:19: precision.other_operands: 'int8' cannot mix with operand int8: only "
                     "int8 and int4 mix");
  // The one allowed mix loads.
  EXPECT_TRUE(load_arch(write("precision:\n  other_operands: [int4]\n")).supports(Precision::kInt4));
}

TEST_F(ArchInt4, PackingNeedsTheReductionOnThePeRows) {
  EXPECT_EQ(user_error([&] {
              load_arch(write("array:\n  dataflow: output_stationary\n  macs_per_pe_per_cycle:\n"
                              "    int4: 2\n"));
            }),
            file() + ":4:11: array.macs_per_pe_per_cycle.int4: must be 1 with output_stationary: "
                     "sub-word packing needs the reduction on the PE rows (weight_stationary or "
                     "input_stationary)");
  // The boundary of the range: 16 loads, 17 does not.
  EXPECT_EQ(load_arch(write("array:\n  macs_per_pe_per_cycle:\n    int4: 16\n"))
                .array.macs_per_pe_per_cycle.int4,
            16);
  EXPECT_NE(user_error([&] {
              load_arch(write("array:\n  macs_per_pe_per_cycle:\n    int4: 17\n"));
            }).find("array.macs_per_pe_per_cycle.int4"),
            std::string::npos);
}

}  // namespace
}  // namespace npu::arch
