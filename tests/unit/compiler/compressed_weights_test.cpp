// Where a skipped N:M layer's compressed weights lie (compiler/compressed_weights.h,
// docs/sparsity.md): block, fold and tile bytes in SRAM and DRAM, and what the compiler emits.

#include "compiler/compressed_weights.h"

#include <gtest/gtest.h>

#include <variant>

#include "arch/arch_loader.h"
#include "compiler/compile.h"
#include "compiler/workload_reader.h"
#include "tests/unit/compiler/backend_test_util.h"

namespace npu::compiler {
namespace {

using testing_util::kRepo;
using testing_util::tensor_named;

// 2:4 with 2-bit indices, K folds of 128 rows, column blocks of 64, 64-byte DRAM blocks.
WeightCompression two_of_four() {
  WeightCompression c;
  c.nm = {2, 4, 2};
  c.k_step = 128;
  c.n_step = 64;
  c.dram_align = 64;
  return c;
}

TEST(CompressedWeights, BlockFoldAndTileBytes) {
  const WeightCompression c = two_of_four();
  // A tile 100 columns wide: column blocks of 64 and 36. A full K fold keeps 64 of its 128 rows:
  // 64 x 64 int8 values + 64 x 64 x 2 / 8 index bytes = 4096 + 1024 = 5120, and 64 x 36 +
  // 64 x 36 x 2 / 8 = 2304 + 576 = 2880: 8000 B, the second block at 5120.
  EXPECT_EQ(column_block_bytes(c, 128, 100, 0, 1), 5120);
  EXPECT_EQ(column_block_bytes(c, 128, 100, 64, 1), 2880);
  EXPECT_EQ(column_block_offset(c, 128, 100, 64, 1), 5120);
  EXPECT_EQ(fold_bytes(c, 128, 100, 1), 8000);
  // K = 320: folds of 128, 128 and 64 rows; the last keeps 32: 32 x 100 + 32 x 100 x 2 / 8 =
  // 4000 B. In SRAM they follow one another: 8000 + 8000 + 4000 = 20,000 B, the last at 16,000.
  EXPECT_EQ(fold_bytes(c, 64, 100, 1), 4000);
  EXPECT_EQ(fold_offset(c, 256, 100, 1), 16000);
  EXPECT_EQ(tile_bytes(c, 320, 100, 1), 20000);
  // In DRAM each fold starts on a 64-byte block: 8000 B is exactly 125 blocks, 4000 B rounds up
  // to 63 blocks = 4032 B: 20,032 B.
  EXPECT_EQ(fold_dram_bytes(c, 64, 100, 1), 4032);
  EXPECT_EQ(fold_dram_offset(c, 256, 100, 1), 16000);
  EXPECT_EQ(tile_dram_bytes(c, 320, 100, 1), 20032);
  // fp16 values, same indices: 64 x 64 x 2 + 1024 = 9216 for the first block.
  EXPECT_EQ(column_block_bytes(c, 128, 100, 0, 2), 9216);
}

TEST(CompressedWeights, ResNetConvCompilesToFiveCompressedFoldsPerBand) {
  // ResNet's 3x3 conv 64 -> 64 on 56x56 skipped 2:4 on int8_64x64: K = 576 in folds of 128 rows
  // (4 x 5120 B and one of 64 rows, 2560 B: docs/sparsity.md), weights loaded once: a 23,040-byte
  // tensor, 0.625 of the dense 36,864.
  arch::ArchConfig arch = arch::load_arch(kRepo + "/configs/int8_64x64.yaml");
  arch.sparsity.support = arch::SparsitySupport::kSkipping;
  arch.sparsity.structured_patterns = {"2:4"};
  arch.sparsity.metadata_bits_per_nonzero = 2;
  const Graph graph = parse_workload(
      "name: one\ninputs: [{name: x, shape: [56, 56, 64]}]\nlayers:\n"
      "  - {name: c, op: conv2d, input: x, out_channels: 64, kernel: 3, padding: 1, "
      "weight_pattern: \"2:4\"}\n",
      "one.yaml");
  const isa::Program program = compile(graph, arch);
  EXPECT_EQ(tensor_named(program, "c.weight").bytes, 23'040u);
  int folds = 0;
  for (const isa::Instruction& instruction : program.code) {
    const auto* preload = std::get_if<isa::MatrixPreload>(&instruction.payload);
    if (preload == nullptr) continue;
    EXPECT_EQ(preload->compression, (isa::NmCompression{2, 4, 2}));
    EXPECT_EQ(preload->k_rows, folds % 5 == 4 ? 64u : 128u);
    ++folds;
  }
  EXPECT_EQ(folds, 2 * 5);  // two bands of 28 rows, 5 K folds each
}

}  // namespace
}  // namespace npu::compiler
