// A grouped convolution whose groups share each band's input patch, loaded once as whole pixels
// (compiler/gemm_tiling.h, GemmTiling::shared_patch): its DRAM reads, worked out by hand.

#include <gtest/gtest.h>

#include <string>

#include "arch/arch_loader.h"
#include "compiler/compile.h"
#include "compiler/workload_reader.h"
#include "sim/simulate.h"

namespace npu {
namespace {

const std::string kRepo = NPU_REPO_DIR;

// A MobileNetV2-style depthwise 3x3 (96 channels, padding 1) on an 8x8 image. On int8_64x64 (64-row
// array, 64 B DRAM blocks) the compiler packs its 96 groups block-diagonally as 2 groups of 48
// (compiler/compile.cpp, pack_groups): K = 9 x 48 = 432, N = 48 per group.
TEST(SharedPatch, DepthwiseReadsEachPixelOnceInWholeBlocks) {
  const arch::ArchConfig arch = arch::load_arch(kRepo + "/configs/int8_64x64.yaml");
  const compiler::Graph graph = compiler::parse_workload(
      "name: dw\ninputs: [{name: x, shape: [8, 8, 96]}]\nlayers:\n"
      "  - {name: c, op: conv2d, input: x, out_channels: 96, kernel: 3, padding: 1, groups: 96}\n",
      "dw.yaml");
  const compiler::CompiledModel model = compiler::compile_model(graph, arch);
  ASSERT_EQ(model.layers.size(), 1u);
  const compiler::GemmTiling& tiling = model.layers[0].tiling;
  ASSERT_TRUE(tiling.shared_patch) << model.program.layers[0].mapping;
  EXPECT_NE(model.program.layers[0].mapping.find("shared whole-pixel patch"), std::string::npos);
  // The whole image is one band (8 rows) and one sub-band (64 pixels < 4 x 64 array rows).
  EXPECT_EQ(tiling.out_rows, 8);

  // Reads, every tensor starting on a 64 B block (compiler/dram_allocator.h):
  //   input:   one load of all 8 rows x 8 pixels x 96 channels, contiguous:   6,144 B = 96 blocks
  //            (group 1 finds it resident: the same load descriptors fill the same half)
  //   weights: 2 groups x 9 taps x 48 x 48 block-diagonal int8, contiguous: 2 x 20,736 B
  //            = 2 x 324 blocks = 41,472 B
  //   records: 2 groups x 48 channels x 12 B (bias, scale, shift):         2 x 576 B = 1,152 B
  // 6,144 + 41,472 + 1,152 = 48,768 B. Loading each group's 48 channels separately instead costs
  // 48 B runs 96 B apart, which straddle a block boundary every other pixel: 1.5 blocks = 96 B
  // per pixel and group, 2 x 64 x 96 = 12,288 B of input for the same 6,144 B of data.
  const stats::RunCounters counters = sim::simulate(arch, model.program);
  ASSERT_EQ(counters.layers.size(), 1u);
  EXPECT_EQ(counters.layers[0].dram_read_bytes, 48'768u);
}

}  // namespace
}  // namespace npu
