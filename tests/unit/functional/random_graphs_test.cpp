// Randomised differential testing: small random layer graphs, compiled for random designs that
// combine the features the hand-picked cases test one at a time (batches sharing tiles, the three
// dataflows, tiny buffers that split every dimension, int4 packing, 2:4 skipping with compressed
// weights, concats in place and copied, slices), must compute what the plain reference computes,
// bit for bit, and execute exactly the MACs their layers declare. The seeds are fixed, so a
// failure names a case that reproduces.

#include <gtest/gtest.h>

#include <cstdint>
#include <string>
#include <vector>

#include "arch/arch_loader.h"
#include "arch/user_error.h"
#include "compiler/compile.h"
#include "compiler/workload_reader.h"
#include "tests/common/random_workload.h"
#include "tests/reference/reference_graph.h"
#include "tools/functional/data_generator.h"
#include "tools/functional/functional_run.h"

namespace npu::functional {
namespace {

TEST(RandomGraphs, CompiledProgramsEqualTheReference) {
  int ran = 0;
  for (uint32_t seed = 1; seed <= 300; ++seed) {
    const testing_support::RandomCase c = testing_support::random_case(seed);
    SCOPED_TRACE(c.description);
    ASSERT_NO_THROW(arch::validate(c.arch, "the random design"));
    const compiler::Graph graph = compiler::parse_workload(c.workload, "random.yaml");
    const ModelData data = generate_model_data(graph, c.arch);
    compiler::CompiledModel model;
    try {
      model = compiler::compile_model(graph, c.arch, compile_options_for(data));
    } catch (const UserError& error) {
      // A design a case cannot map onto (a tile that does not fit the tiny buffers) is a user
      // error by name, never a crash; it is not a case to compare.
      EXPECT_NE(std::string(error.what()).find("layer '"), std::string::npos) << error.what();
      continue;
    }
    const FunctionalRun run = run_functional(graph, model, data, c.arch);
    const std::vector<QTensor> expected = reference::run_graph(graph, data);
    for (const LayerOutput& output : run.outputs) {
      EXPECT_TRUE(output.value.data == expected[static_cast<size_t>(output.tensor)].data)
          << output.name;
    }
    for (size_t l = 0; l < model.program.layers.size(); ++l) {
      const isa::LayerInfo& info = model.program.layers[l];
      // Dense layers execute their MACs exactly; skipped ones N of every M of them.
      if (info.skip_m == 0) {
        EXPECT_EQ(static_cast<int64_t>(run.counts.layer_executed_macs[l]), info.macs) << info.name;
      } else {
        EXPECT_EQ(static_cast<int64_t>(run.counts.layer_executed_macs[l]) * info.skip_m,
                  info.macs * info.skip_n)
            << info.name;
      }
    }
    ++ran;
  }
  // Every case maps (3,000 seeds did when this was written): a user error here would be a
  // design the compiler should have handled.
  EXPECT_EQ(ran, 300);
}

}  // namespace
}  // namespace npu::functional
