// Packed int4 as docs/isa.md states it: two elements per byte, the first (even index) in the low
// nibble, sign-extended when read, each row starting on a byte. The DRAM image must lay tensors
// out this way, since the compiler's addresses assume it: a flipped nibble order has to fail here
// even where it would be consistent end to end.

#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <vector>

#include "arch/user_error.h"
#include "compiler/compile.h"
#include "compiler/workload_reader.h"
#include "sim/functional/npy.h"
#include "sim/functional/packed_integers.h"
#include "tests/common/small_arch.h"
#include "tests/common/valid_design_compile.h"
#include "tools/functional/data_generator.h"
#include "tools/functional/dram_image.h"
#include "tools/functional/functional_run.h"
#include "tools/functional/model_data_io.h"

namespace npu::functional {
namespace {

TEST(PackedInt4, LowNibbleFirstAndEachRowStartsOnAByte) {
  // Two rows of 3: {1, -2, 3} -> 0xE1 (1 low, -2 = 0xE high), 0x03 (3, then the padding nibble);
  // {-8, 7, -1} -> 0x78, 0x0F.
  const std::vector<int8_t> values{1, -2, 3, -8, 7, -1};
  const std::vector<uint8_t> bytes = pack_rows(values, 3, isa::ElementType::kInt4);
  EXPECT_EQ(bytes, (std::vector<uint8_t>{0xE1, 0x03, 0x78, 0x0F}));
  EXPECT_EQ(unpack_rows(bytes.data(), 2, 3, isa::ElementType::kInt4), values);
  EXPECT_EQ(read_integer(bytes.data(), isa::ElementType::kInt4, 1), -2);
  EXPECT_EQ(read_integer(bytes.data() + 2, isa::ElementType::kInt4, 0), -8);
  EXPECT_EQ(row_offset(isa::ElementType::kInt4, 3, 1), 2u);
}

TEST(PackedInt4, WritingANibbleKeepsItsNeighbour) {
  MemoryImage memory("SRAM", 4);
  write_integer(memory, 1, isa::ElementType::kInt4, 1, -3);  // high nibble of byte 1: 0xD0
  EXPECT_EQ(memory.data()[1], 0xD0);
  write_integer(memory, 1, isa::ElementType::kInt4, 0, 5);
  EXPECT_EQ(memory.data()[1], 0xD5);
  write_integer(memory, 1, isa::ElementType::kInt4, 3, 7);  // byte 2, high nibble
  EXPECT_EQ(memory.data()[2], 0x70);
  EXPECT_TRUE(memory.written(1));
  EXPECT_FALSE(memory.written(0));
}

// The graph input of an int4 design in DRAM: [1, 2, 3] values, rows of 3 channels in 2 bytes.
TEST(PackedInt4, DramImagePacksTensorsAsTheIsaStates) {
  const compiler::Graph graph = compiler::parse_workload(R"(
name: t
inputs: [{name: x, shape: [2, 3]}]
layers:
  - {name: d, op: dense, input: x, out_features: 2}
)",
                                                         "t");
  arch::ArchConfig arch = testing_support::small_arch();
  arch.precision.operand = arch::Precision::kInt4;
  ModelData data = generate_model_data(graph, arch);
  data.inputs[0].data = {1, -2, 3, -8, 7, -1};
  const compiler::CompiledModel model =
      testing_support::compile_for_valid_design(graph, arch, compile_options_for(data));
  const MemoryImage image = build_dram_image(graph, model, data);
  const isa::DramTensor& x = model.program.tensors[static_cast<size_t>(model.tensor_of[0])];
  ASSERT_EQ(x.bytes, 4u);
  EXPECT_EQ(std::vector<uint8_t>(image.data() + x.addr, image.data() + x.addr + 4),
            (std::vector<uint8_t>{0xE1, 0x03, 0x78, 0x0F}));
}

// int4 data from a seed: every value in its tensor's range, the same on every run, and weights
// symmetric in [-7, 7].
TEST(GeneratedInt4Data, InRangeAndRepeatable) {
  const compiler::Graph graph = compiler::parse_workload(R"(
name: t
inputs: [{name: x, shape: [5, 4, 6]}]
layers:
  - {name: c, op: conv2d, input: x, out_channels: 8, kernel: 3, padding: 1, activation: relu}
  - {name: s, op: sigmoid, input: c}
)",
                                                         "t");
  arch::ArchConfig arch = testing_support::small_arch();
  arch.precision.operand = arch::Precision::kInt4;
  const ModelData data = generate_model_data(graph, arch, 7);
  for (const Quant& quant : data.quant) {
    EXPECT_EQ(quant.bits, 4);
    EXPECT_GE(quant.zero_point, -8);
    EXPECT_LE(quant.zero_point, 7);
  }
  EXPECT_EQ(data.quant[1].zero_point, -8);  // the relu output uses the whole range
  const std::vector<int8_t>& x = data.inputs[0].data;
  EXPECT_EQ(*std::min_element(x.begin(), x.end()), -8);
  EXPECT_EQ(*std::max_element(x.begin(), x.end()), 7);
  const std::vector<int8_t>& w = data.layers[1].weights;
  EXPECT_EQ(*std::min_element(w.begin(), w.end()), -7);
  EXPECT_EQ(*std::max_element(w.begin(), w.end()), 7);
  const ModelData again = generate_model_data(graph, arch, 7);
  EXPECT_EQ(again.inputs[0].data, x);
  EXPECT_EQ(again.layers[1].weights, w);
  EXPECT_EQ(again.quant, data.quant);
}

// An int4 tensor's .npy holds int8 values; one outside [-8, 7] is an error naming the file.
TEST(GeneratedInt4Data, FileValueOutsideInt4IsRejected) {
  const compiler::Graph graph = compiler::parse_workload(R"(
name: t
inputs: [{name: x, shape: [3]}]
layers:
  - {name: d, op: dense, input: x, out_features: 2}
)",
                                                         "t");
  arch::ArchConfig arch = testing_support::small_arch();
  arch.precision.operand = arch::Precision::kInt4;
  const std::string dir =
      (std::filesystem::temp_directory_path() / "npusim_int4_file_test").string();
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  write_npy(dir + "/x.npy", {1, 3}, std::vector<int8_t>{1, 9, -8});
  try {
    load_or_keep(graph, dir, generate_model_data(graph, arch));
    ADD_FAILURE() << "expected a UserError";
  } catch (const UserError& error) {
    EXPECT_EQ(std::string(error.what()),
              dir + "/x.npy: value 9 is outside the tensor's 4-bit range [-8, 7]");
  }
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace npu::functional
