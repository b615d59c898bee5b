// Randomised differential testing: small random layer graphs, compiled for random designs that
// combine the features the hand-picked cases test one at a time (batches sharing tiles, the three
// dataflows, tiny buffers that split every dimension, int4 packing, float formats, 2:4 skipping
// with compressed weights, grouped, depthwise and dilated convolutions, pooling, transposes,
// normalisations, concats in place and copied, slices), must compute what the plain reference
// computes (bit for bit, or within docs/numerics.md's tolerance for floats) and execute exactly
// the MACs their layers declare. The seeds are fixed, so a
// failure names a case that reproduces.

#include <gtest/gtest.h>

#include <cstdint>
#include <string>
#include <variant>
#include <vector>

#include "arch/arch_loader.h"
#include "arch/user_error.h"
#include "compiler/compile.h"
#include "compiler/workload_reader.h"
#include "tests/common/float_tolerance.h"
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
      compiler::CompileOptions options = compile_options_for(data);
      if (c.traffic_objective) options.objective = compiler::MappingObjective::kDramTraffic;
      model = compiler::compile_model(graph, c.arch, options);
    } catch (const UserError& error) {
      // A design a case cannot map onto (a tile that does not fit the tiny buffers) is a user
      // error by name, never a crash; it is not a case to compare.
      EXPECT_NE(std::string(error.what()).find("layer '"), std::string::npos) << error.what();
      continue;
    }
    const FunctionalRun run = run_functional(graph, model, data, c.arch);
    const std::vector<QTensor> expected = reference::run_graph(graph, data);
    for (const LayerOutput& output : run.outputs) {
      const QTensor& want = expected[static_cast<size_t>(output.tensor)];
      if (arch::is_float(c.arch.precision.operand)) {
        // docs/numerics.md's tolerance holds per layer on identical inputs (the hand-picked
        // cases check it). Here each layer computes on its predecessors' compiled outputs, whose
        // last-place differences it carries on (a bf16 conv reading one value 1 ulp off can land
        // 3 ulp off), so the check is looser: it still catches any addressing or tiling mistake,
        // which is never a few units in the last place.
        EXPECT_EQ(testing_support::outside_float_tolerance(c.arch.precision.operand,
                                                           output.value.values, want.values, 16,
                                                           8),
                  "")
            << output.name;
      } else {
        EXPECT_TRUE(output.value.data == want.data) << output.name;
      }
    }
    // What the program's multiplies execute, by the layer's rule for skipped rows.
    std::vector<int64_t> by_instructions(model.program.layers.size(), 0);
    for (const isa::Instruction& instruction : model.program.code) {
      if (const auto* mm = std::get_if<isa::MatrixMultiply>(&instruction.payload)) {
        by_instructions[instruction.layer] += static_cast<int64_t>(
            uint64_t{mm->m_rows} * model.program.layers[instruction.layer].executed_k(mm->k_rows) *
            mm->n_cols);
      }
    }
    for (size_t l = 0; l < model.program.layers.size(); ++l) {
      const isa::LayerInfo& info = model.program.layers[l];
      const int64_t executed = static_cast<int64_t>(run.counts.layer_executed_macs[l]);
      EXPECT_EQ(executed, by_instructions[l]) << info.name;
      // A layer executes its MACs exactly, times the groups packed block-diagonally into one
      // weight matrix (their zeros are multiplied too); an N:M-skipped one N of every M of those.
      const int64_t packed =
          model.layers[l].is_gemm ? model.layers[l].problem.packed_groups : int64_t{1};
      if (info.skip_m != 0) {
        EXPECT_EQ(executed * info.skip_m, info.macs * packed * info.skip_n) << info.name;
      } else if (info.skip_rows == 0) {
        EXPECT_EQ(executed, info.macs * packed) << info.name;
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
