// The functional interpreter and the timing model run the same program: what one executes, the
// other must charge. MACs the array multiplied and DRAM bytes the DMA moved (in whole access
// blocks) must agree exactly, per layer and in total.

#include <gtest/gtest.h>

#include <string>

#include "arch/arch_loader.h"
#include "compiler/compile.h"
#include "compiler/workload_reader.h"
#include "sim/simulate.h"
#include "tests/common/small_arch.h"
#include "tests/common/valid_design_compile.h"
#include "tools/functional/data_generator.h"
#include "tools/functional/functional_run.h"

namespace npu {
namespace {

const std::string kRepo = NPU_REPO_DIR;

class CrossCheck : public testing::TestWithParam<std::string> {};

TEST_P(CrossCheck, InterpreterAndTimingModelCountTheSameWork) {
  const compiler::Graph graph = compiler::read_workload(kRepo + "/workloads/resnet8_cifar.yaml");
  const arch::ArchConfig arch = GetParam() == "tiny_sram"
                                    ? testing_support::small_arch()
                                    : arch::load_arch(kRepo + "/configs/" + GetParam() + ".yaml");
  // int8 data on int8 designs; int4, packed two per byte, on int4_64x64.
  const functional::ModelData data = functional::generate_model_data(graph, arch);
  const compiler::CompiledModel model =
      testing_support::compile_for_valid_design(graph, arch, functional::compile_options_for(data));
  const functional::FunctionalRun run = functional::run_functional(graph, model, data, arch);
  const stats::RunCounters timing = sim::simulate(arch, model.program);

  uint64_t read = 0, written = 0, executed = 0;
  for (size_t l = 0; l < timing.layers.size(); ++l) {
    EXPECT_EQ(timing.layers[l].executed_macs, run.counts.layer_executed_macs[l])
        << timing.layers[l].name;
    read += timing.layers[l].dram_read_bytes;
    written += timing.layers[l].dram_write_bytes;
    executed += timing.layers[l].executed_macs;
  }
  EXPECT_EQ(executed, run.counts.executed_macs);
  EXPECT_EQ(read, run.counts.dram_read_bus_bytes);
  EXPECT_EQ(written, run.counts.dram_write_bus_bytes);
  EXPECT_EQ(static_cast<int64_t>(executed), graph.total_macs());
}

// The same with every convolution but the stem declared 2:4 and skipped, in each dataflow: the
// interpreter decodes the compressed weight blocks the timing model moves, so both must count
// the same executed MACs and the same DRAM bus bytes (compressed tiles padded to access blocks).
class SkippedCrossCheck : public testing::TestWithParam<arch::Dataflow> {};

TEST_P(SkippedCrossCheck, InterpreterAndTimingModelCountTheSameCompressedWork) {
  compiler::Graph graph = compiler::read_workload(kRepo + "/workloads/resnet8_cifar.yaml");
  int64_t skipped_layer_macs = 0;
  for (compiler::Layer& layer : graph.layers) {
    if (layer.op != compiler::OpKind::kConv2d || layer.name == "stem.conv") continue;
    layer.weight_pattern_n = 2;
    layer.weight_pattern_m = 4;
    layer.weight_density = 0.5;
    skipped_layer_macs += layer.macs;
  }
  arch::ArchConfig arch = arch::load_arch(kRepo + "/configs/int8_32x32.yaml");
  arch.array.dataflow = GetParam();
  arch.sparsity.support = arch::SparsitySupport::kSkipping;
  arch.sparsity.structured_patterns = {"2:4"};
  arch.sparsity.metadata_bits_per_nonzero = 2;
  const functional::ModelData data = functional::generate_model_data(graph);
  const compiler::CompiledModel model =
      testing_support::compile_for_valid_design(graph, arch, functional::compile_options_for(data));
  const functional::FunctionalRun run = functional::run_functional(graph, model, data, arch);
  const stats::RunCounters timing = sim::simulate(arch, model.program);

  uint64_t read = 0, executed = 0;
  for (size_t l = 0; l < timing.layers.size(); ++l) {
    EXPECT_EQ(timing.layers[l].executed_macs, run.counts.layer_executed_macs[l])
        << timing.layers[l].name;
    read += timing.layers[l].dram_read_bytes;
    executed += timing.layers[l].executed_macs;
  }
  EXPECT_EQ(read, run.counts.dram_read_bus_bytes);
  // Every skipped conv has Cin a multiple of 4, so exactly half its MACs execute.
  EXPECT_GT(skipped_layer_macs, 0);
  EXPECT_EQ(static_cast<int64_t>(executed), graph.total_macs() - skipped_layer_macs / 2);
}

INSTANTIATE_TEST_SUITE_P(Dataflows, SkippedCrossCheck,
                         testing::Values(arch::Dataflow::kWeightStationary,
                                         arch::Dataflow::kOutputStationary,
                                         arch::Dataflow::kInputStationary),
                         [](const testing::TestParamInfo<arch::Dataflow>& info) {
                           return std::string(arch::to_string(info.param));
                         });

INSTANTIATE_TEST_SUITE_P(Designs, CrossCheck,
                         testing::Values("tiny_sram", "int8_32x32", "int8_64x64", "int4_64x64"),
                         [](const testing::TestParamInfo<std::string>& info) {
                           return info.param;
                         });

}  // namespace
}  // namespace npu
