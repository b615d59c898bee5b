#include "tools/cli.h"

#include <CLI/CLI.hpp>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <functional>
#include <iostream>
#include <map>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

#include "arch/arch_loader.h"
#include "arch/user_error.h"
#include "compiler/activation_memory.h"
#include "compiler/compile.h"
#include "compiler/onnx_reader.h"
#include "compiler/workload_reader.h"
#include "isa/asm_printer.h"
#include "sim/simulate.h"
#include "sim/stats/explain.h"
#include "sim/stats/report.h"
#include "sim/stats/report_csv.h"
#include "sim/stats/report_json.h"
#include "sim/stats/report_table.h"
#include "sim/stats/trace_json.h"
#include "tools/functional/data_generator.h"
#include "tools/functional/functional_run.h"
#include "tools/functional/measured_activations.h"
#include "tools/functional/model_data_io.h"
#include "tools/functional/onnx_weights.h"
#include "tools/functional/weight_pruning.h"
#include "tools/functional/unstructured_pruning.h"

namespace npu::tools {
namespace {

constexpr const char* kVersion = "npusim 0.1.0";

struct Options {
  std::string arch_path;
  std::string workload_path;
  std::string format = "table";
  std::string out_dir;
  std::string asm_path;
  std::vector<std::string> overrides;
  std::string trace_path;
  bool functional = false;
  bool explain = false;
  std::string data_dir;
  uint64_t seed = functional::kDefaultSeed;
  compiler::MappingObjective objective = compiler::MappingObjective::kLatency;
  uint64_t max_instructions = compiler::kDefaultMaxInstructions;
};

// Everything a run produces, rendered in memory first so that a failure writes nothing.
struct Outputs {
  std::string primary;  // what goes to stdout, in the chosen format
  std::string json;
  std::string csv;
  std::string resolved_arch;
  std::string assembly;
  std::optional<functional::FunctionalRun> functional;
  std::string weights_note;  // where an ONNX model's functional run took its weights from
  std::string trace;
};

void write_file(const std::filesystem::path& path, const std::string& text) {
  std::ofstream file(path, std::ios::binary);
  file << text;
  if (!file) throw UserError(path.string() + ": cannot write file");
}

std::string workload_stem(const std::string& path) {
  return std::filesystem::path(path).stem().string();
}

// An ONNX model (.onnx) or a YAML layer graph; the ONNX reader's warnings go to `err` at once.
// `weights`, when given, receives an ONNX model's weight values; a YAML workload has none.
compiler::Graph read_graph(const std::string& path, std::ostream& err,
                           std::optional<compiler::ModelWeights>* weights) {
  if (!compiler::is_onnx_path(path)) return compiler::read_workload(path);
  std::vector<std::string> warnings;
  compiler::ModelWeights values;
  compiler::Graph graph = compiler::read_onnx(path, warnings, weights ? &values : nullptr);
  for (const std::string& warning : warnings) err << "npusim: warning: " << warning << "\n";
  if (weights) *weights = std::move(values);
  return graph;
}

// With --explain, each conv/dense layer of an ONNX model holding its weights also says how many of
// them are zero: measured sparsity, which the timing model does not use (docs/onnx.md).
void add_measured_density(const compiler::Graph& graph, const compiler::ModelWeights& weights,
                          stats::Report& report) {
  std::map<std::string, size_t> index_of;
  for (size_t i = 0; i < graph.layers.size(); ++i) index_of[graph.layers[i].name] = i;
  for (size_t l = 0; l < report.layers.size(); ++l) {
    auto found = index_of.find(report.layers[l].name);
    if (found == index_of.end() || found->second >= weights.layers.size()) continue;
    const compiler::LayerWeights& layer = weights.layers[found->second];
    if (layer.weights.empty()) continue;
    char text[200];
    std::snprintf(text, sizeof text,
                  " Measured weight density %.4f: %lld of the model's %zu weights are zero "
                  "(timing does not use it).",
                  compiler::weight_density(layer),
                  static_cast<long long>(compiler::zero_weight_count(layer)), layer.weights.size());
    report.explanations[l] += text;
  }
}

// A skipping array skips only listed N:M weight patterns (in whole groups of input channels) and,
// if it packs them, unstructured zero weights on a weight-stationary array; any other declared
// zeros are gated (docs/sparsity.md). Say so once, rather than let a user read unchanged cycles
// as "skipping saves nothing".
void warn_gated_under_skipping(const arch::ArchConfig& arch, const isa::Program& program,
                               std::ostream& err) {
  if (arch.sparsity.support != arch::SparsitySupport::kSkipping) return;
  for (const isa::LayerInfo& layer : program.layers) {
    // Rounded as the compiler rounds zero_operand_macs (compiler/compile.cpp).
    const double skipped_density = layer.skip_rows != 0 ? layer.skip_density
                                   : layer.skip_m != 0
                                       ? static_cast<double>(layer.skip_n) / layer.skip_m
                                       : 0.0;
    const bool only_weights_skipped =
        skipped_density > 0 &&
        layer.zero_operand_macs ==
            layer.macs - std::llround(static_cast<double>(layer.macs) * skipped_density);
    if (layer.zero_operand_macs > 0 && !only_weights_skipped &&
        layer.precision.value_or(program.operand_type) == isa::ElementType::kInt4) {
      err << "npusim: warning: layer '" << layer.name
          << "': sparsity.support: skipping is not modelled for packed int4 layers; their zeros "
             "are gated (docs/sparsity.md)\n";
      return;
    }
    if (layer.zero_operand_macs > 0 && !only_weights_skipped) {
      err << "npusim: warning: layer '" << layer.name
          << "': sparsity.support: skipping skips only listed N:M weight patterns over whole "
             "groups of input channels (and unstructured weights with skip_unstructured_weights, "
             "on a weight-stationary array); the other zeros are gated (docs/sparsity.md)\n";
      return;
    }
  }
}

compiler::CompileOptions compiler_options(const Options& options) {
  compiler::CompileOptions compile_options;
  compile_options.objective = options.objective;
  compile_options.max_instructions = options.max_instructions;
  return compile_options;
}

// Generated weights are pruned to their layer's N:M pattern; weights read from files must
// already follow it (docs/sparsity.md): pruning them silently would run a different model.
void reject_weights_breaking_their_pattern(const compiler::Graph& graph,
                                           const functional::ModelData& data,
                                           const std::string& data_dir) {
  for (size_t i = 0; i < graph.layers.size(); ++i) {
    const compiler::Layer& layer = graph.layers[i];
    const std::string problem = functional::nm_pattern_violation(graph, layer, data.layers[i]);
    if (problem.empty()) continue;
    const std::string file =
        (data_dir.empty() ? std::string() : data_dir + "/") + layer.name + ".weight.npy";
    throw UserError(file + ": layer '" + layer.name + "' declares weight_pattern " +
                    std::to_string(layer.weight_pattern_n) + ":" +
                    std::to_string(layer.weight_pattern_m) + " but " + problem +
                    "; prune the weights to the pattern, or remove the file to have pruned ones "
                    "generated");
  }
}

Outputs run_pipeline(const Options& options, std::ostream& err) {
  const arch::ArchConfig arch = arch::load_arch(options.arch_path, options.overrides);
  std::optional<compiler::ModelWeights> weights;
  const bool want_weights = options.functional || options.explain;
  const compiler::Graph graph =
      read_graph(options.workload_path, err, want_weights ? &weights : nullptr);
  Outputs outputs;
  isa::Program program;
  std::vector<double> measured_activations;  // per program layer; empty unless functional
  compiler::ActivationMemory activations;
  if (options.functional) {
    // Data first: its zero points decide what the compiler makes padding read. The model's own
    // weights, when it holds them all, replace the generated ones; files in --data replace both.
    functional::ModelData data = functional::generate_model_data(graph, arch, options.seed);
    std::function<void(functional::ModelData&)> use_model_weights;
    if (weights && weights->complete()) {
      use_model_weights = [&](functional::ModelData& d) {
        functional::apply_model_weights(graph, *weights, d);
      };
      outputs.weights_note = "weights from " + options.workload_path;
    } else if (weights) {
      outputs.weights_note = "weights generated from seed " + std::to_string(options.seed) +
                             ", since " + weights->missing;
    }
    if (!options.data_dir.empty()) {
      data = functional::load_or_keep(graph, options.data_dir, std::move(data), use_model_weights)
                 .data;
    } else if (use_model_weights) {
      use_model_weights(data);
    }
    // Declared unstructured zeros become real ones; the zero activations are then counted, not
    // assumed (docs/sparsity.md, "Functional runs").
    functional::prune_unstructured_weights(graph, data);
    reject_weights_breaking_their_pattern(graph, data, options.data_dir);
    compiler::CompileOptions compile_options = functional::compile_options_for(data);
    compile_options.objective = options.objective;
    compile_options.max_instructions = options.max_instructions;
    compiler::CompiledModel model = compiler::compile_model(graph, arch, compile_options);
    activations = compiler::activation_memory(graph, model);
    outputs.functional = functional::run_functional(graph, model, data, arch);
    measured_activations =
        functional::measured_activation_density(graph, model, outputs.functional->counts);
    functional::use_measured_activation_density(graph, measured_activations, model);
    program = std::move(model.program);
  } else {
    compiler::CompiledModel model = compiler::compile_model(graph, arch, compiler_options(options));
    activations = compiler::activation_memory(graph, model);
    program = std::move(model.program);
  }
  warn_gated_under_skipping(arch, program, err);
  const stats::RunCounters counters =
      sim::simulate(arch, program, {/*trace=*/!options.trace_path.empty()});
  if (!options.trace_path.empty()) {
    std::ostringstream trace;
    stats::write_trace_json(trace, counters, program, arch.clock.freq_mhz);
    outputs.trace = trace.str();
  }

  outputs.resolved_arch = arch::to_yaml(arch);
  const std::string workload_name = graph.name.empty() ? workload_stem(options.workload_path)
                                                       : graph.name;
  stats::Report report =
      stats::build_report(counters, arch, workload_name, graph.batch, outputs.resolved_arch);
  stats::attach_activation_memory(report, activations.live_bytes, activations.total_bytes);
  for (size_t l = 0; l < measured_activations.size() && l < report.layers.size(); ++l) {
    report.layers[l].measured_activation_density = measured_activations[l];
  }
  if (stats::sparsity_applies(arch, counters)) {
    // The baseline is the same workload on the same design with sparsity support off: what the
    // gating or skipping hardware saved (docs/sparsity.md). It is compiled again, since skipping
    // tiles a layer differently.
    arch::ArchConfig dense_arch = arch;
    dense_arch.sparsity.support = arch::SparsitySupport::kNone;
    const stats::RunCounters dense_counters =
        sim::simulate(dense_arch, compiler::compile(graph, dense_arch, compiler_options(options)), {});
    stats::attach_dense_baseline(
        report, stats::build_report(dense_counters, dense_arch, workload_name, graph.batch,
                                    arch::to_yaml(dense_arch)));
  }
  if (options.explain) {
    report.explanations = stats::explain_layers(report);
    if (weights) add_measured_density(graph, *weights, report);
  }
  std::ostringstream json, csv, table;
  stats::write_json(json, report);
  stats::write_csv(csv, report);
  outputs.json = json.str();
  outputs.csv = csv.str();
  if (options.format == "json") {
    outputs.primary = outputs.json;
  } else if (options.format == "csv") {
    outputs.primary = outputs.csv;
  } else {
    stats::write_table(table, report);
    outputs.primary = table.str();
  }
  if (!options.asm_path.empty() || !options.out_dir.empty()) outputs.assembly = isa::to_asm(program);
  return outputs;
}

void write_outputs(const Options& options, const Outputs& outputs, std::ostream& out) {
  if (!options.out_dir.empty()) {
    const std::filesystem::path dir(options.out_dir);
    std::error_code error;
    std::filesystem::create_directories(dir, error);
    if (error) throw UserError(options.out_dir + ": cannot create directory: " + error.message());
    write_file(dir / "report.json", outputs.json);
    write_file(dir / "layers.csv", outputs.csv);
    write_file(dir / "arch.yaml", outputs.resolved_arch);
    write_file(dir / "program.asm", outputs.assembly);
    if (outputs.functional) functional::write_outputs(options.out_dir, *outputs.functional);
  }
  if (!options.asm_path.empty()) write_file(options.asm_path, outputs.assembly);
  if (!options.trace_path.empty()) write_file(options.trace_path, outputs.trace);
  out << outputs.primary;
}

// One line on stderr, so that stdout stays the report in the chosen format.
void summarize_functional(const Options& options, const Outputs& outputs, std::ostream& err) {
  const functional::FunctionalRun& run = *outputs.functional;
  err << "npusim: functional run: " << run.outputs.size() << " layers, "
      << run.counts.executed_macs << " MACs executed";
  if (!options.out_dir.empty()) err << "; layer outputs written to " << options.out_dir << "/<layer>.npy";
  if (!options.data_dir.empty()) err << "; data in " << options.data_dir;
  if (!outputs.weights_note.empty()) err << "; " << outputs.weights_note;
  err << "\n";
}

const char* kFooter = R"(
Exit codes:
  0  success
  1  bad config or workload, or a design the workload cannot be mapped onto (one-line message)
  2  bad command line
  3  internal simulator error, including a compiled program that breaks the ISA's rules in a
     functional run (a bug: please report it with the command line)

Example:
  npusim --arch configs/int8_64x64.yaml workloads/resnet.yaml
  npusim --arch configs/int8_64x64.yaml resnet50.onnx
  npusim --arch configs/int8_64x64.yaml --set dram.bandwidth_gbps=25.6 --format json workloads/resnet.yaml
  npusim --arch configs/int8_64x64.yaml --functional --data data/resnet --out out/resnet workloads/resnet.yaml)";

}  // namespace

int run_cli(int argc, const char* const* argv, std::ostream& out, std::ostream& err) {
  Options options;
  CLI::App app("npusim: cycle-approximate simulator of a systolic-array NPU.\n"
               "Compiles a workload (YAML layer graph or ONNX model) for an arch config, simulates "
               "it, and "
               "reports cycles, utilization, bound, memory traffic and energy per layer.",
               "npusim");
  app.footer(kFooter);
  app.set_version_flag("--version", kVersion);
  app.add_option("--arch", options.arch_path, "Arch config YAML (e.g. configs/int8_64x64.yaml)")
      ->required();
  app.add_option("workload", options.workload_path,
                 "Workload: a YAML layer graph (e.g. workloads/resnet.yaml) or an ONNX model "
                 "(.onnx; docs/onnx.md)")
      ->required();
  app.add_option("--format", options.format, "Report on stdout: table (default), json or csv")
      ->check(CLI::IsMember({"table", "json", "csv"}));
  app.add_option("--out", options.out_dir,
                 "Also write report.json, layers.csv, arch.yaml (resolved config) and "
                 "program.asm into this directory");
  app.add_option("--emit-asm", options.asm_path, "Write the compiled program as assembly");
  app.add_option("--trace", options.trace_path,
                 "Write the run's timeline (Chrome trace-event JSON: open in ui.perfetto.dev), one "
                 "span per instruction on each unit's track");
  app.add_flag("--explain", options.explain,
               "Say per layer why it takes the time it does and what would change that (after "
               "the table; in JSON and report.json as each layer's 'explanation')");
  app.add_flag("--functional", options.functional,
               "Also execute the program on data in the design's precision (docs/numerics.md); "
               "with --out, write each layer's output as <layer>.npy");
  app.add_option("--data", options.data_dir,
                 "With --functional: directory of .npy inputs and weights; missing ones are "
                 "generated from --seed and written there")
      ->needs("--functional");
  app.add_option("--seed", options.seed, "With --functional: seed of generated data")
      ->needs("--functional");
  app.add_option_function<std::string>(
         "--mapping-objective",
         [&options](const std::string& text) {
           compiler::parse_mapping_objective(text, options.objective);
         },
         "What the compiler's tilers minimise: latency (default: the least estimated time) or "
         "traffic (the fewest DRAM bytes, then the least time; docs/compiler.md)")
      ->check(CLI::IsMember({"latency", "traffic"}));
  app.add_option("--max-instructions", options.max_instructions,
                 "Refuse (exit 1, naming the layer) a program longer than this; it is held whole "
                 "in memory, about 360 bytes an instruction (default 20000000)")
      ->check(CLI::Validator(
          [](const std::string& text) -> std::string {
            return text.find_first_not_of("0123456789") == std::string::npos &&
                           text.find_first_not_of('0') != std::string::npos
                       ? ""
                       : "expected a positive whole number, got '" + text + "'";
          },
          "N"));
  app.add_option("--set", options.overrides,
                 "Override a config key, e.g. --set sram.input.size_kib=512 (repeatable)")
      ->take_last()
      ->allow_extra_args(false);
  // --set may be given many times; each occurrence adds one override.
  app.get_option("--set")->multi_option_policy(CLI::MultiOptionPolicy::TakeAll);

  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp&) {
    out << app.help();
    return kSuccess;
  } catch (const CLI::CallForVersion&) {
    out << kVersion << "\n";
    return kSuccess;
  } catch (const CLI::ParseError& error) {
    err << "npusim: " << error.what() << "\n" << "Run 'npusim --help' for usage.\n";
    return kUsageError;
  }

  try {
    const Outputs outputs = run_pipeline(options, err);
    write_outputs(options, outputs, out);
    if (outputs.functional) summarize_functional(options, outputs, err);
    return kSuccess;
  } catch (const UserError& error) {
    err << "npusim: error: " << error.what() << "\n";
    return kUserError;
  } catch (const std::exception& error) {
    err << "npusim: internal error: " << error.what() << "\n";
    return kInternalError;
  }
}

}  // namespace npu::tools
