// The three views of a Report: JSON (contract keys, types, byte stability), CSV (columns, quoting)
// and the human table (totals lines, width).

#include <gtest/gtest.h>

#include <algorithm>
#include <sstream>
#include <string>
#include <vector>

#include "arch/arch_loader.h"
#include "sim/stats/report.h"
#include "sim/stats/report_csv.h"
#include "sim/stats/report_json.h"
#include "sim/stats/report_table.h"
#include "tests/unit/sim/report_fixture.h"

namespace npu::stats {
namespace {

using Json = nlohmann::ordered_json;
using fixture::tiny_arch;
using fixture::tiny_arch_yaml;
using fixture::tiny_counters;

Report tiny_report() {
  return build_report(tiny_counters(), tiny_arch(), "tiny_net", 2, tiny_arch_yaml());
}

std::string json_text(const Report& report) {
  std::ostringstream out;
  write_json(out, report);
  return out.str();
}

std::string csv_text(const Report& report) {
  std::ostringstream out;
  write_csv(out, report);
  return out.str();
}

std::string table_text(const Report& report) {
  std::ostringstream out;
  write_table(out, report);
  return out.str();
}

std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  return lines;
}

std::vector<std::string> keys_of(const Json& object) {
  std::vector<std::string> keys;
  for (const auto& [key, value] : object.items()) keys.push_back(key);
  return keys;
}

// ---- JSON -------------------------------------------------------------------------------------

TEST(ReportJson, TopLevelKeysInOrder) {
  const Json doc = Json::parse(json_text(tiny_report()));
  EXPECT_EQ(keys_of(doc),
            (std::vector<std::string>{"schema", "arch", "workload", "batch", "arch_config",
                                      "totals", "roofline", "energy_costs", "layers",
                                      "modules"}));
  EXPECT_EQ(doc["schema"], "npusim.report/1");
  EXPECT_EQ(doc["arch"], "tiny");
  EXPECT_EQ(doc["workload"], "tiny_net");
  EXPECT_TRUE(doc["batch"].is_number_integer());
  EXPECT_EQ(doc["batch"], 2);
}

TEST(ReportJson, ModuleCountersNestUnderTheirModulePath) {
  Report report = tiny_report();
  report.modules = {{"npu.dram", "transfers", 7, "transfers", ""},
                    {"npu.dram", "busy_cycles", 120, "cycles", ""},
                    {"npu.array", "preloads", 3, "instructions", ""}};
  const Json modules = Json::parse(json_text(report))["modules"];
  EXPECT_EQ(keys_of(modules), (std::vector<std::string>{"npu.dram", "npu.array"}));
  EXPECT_EQ(modules["npu.dram"]["transfers"], 7);
  EXPECT_EQ(modules["npu.dram"]["busy_cycles"], 120);
  EXPECT_EQ(modules["npu.array"]["preloads"], 3);
}

TEST(ReportJson, TotalsHaveEveryContractKeyWithItsType) {
  const Json totals = Json::parse(json_text(tiny_report()))["totals"];
  for (const char* key : {"cycles", "macs", "flops", "params", "dram_read_bytes",
                          "dram_write_bytes", "model_size_bytes", "executed_macs"}) {
    ASSERT_TRUE(totals.contains(key)) << key;
    EXPECT_TRUE(totals[key].is_number_integer()) << key;
  }
  for (const char* key : {"utilization", "macs_per_cycle", "latency_ms", "inferences_per_s",
                          "peak_tops", "achieved_tops", "energy_pj", "tops_per_w",
                          "mapping_efficiency", "operational_intensity", "pj_per_mac",
                          "inferences_per_j"}) {
    ASSERT_TRUE(totals.contains(key)) << key;
    EXPECT_TRUE(totals[key].is_number_float()) << key;
  }
  // The contract's keys lead, in the contract's order.
  const std::vector<std::string> contract = {"cycles",          "macs",
                                             "flops",           "params",
                                             "utilization",     "macs_per_cycle",
                                             "latency_ms",      "inferences_per_s",
                                             "peak_tops",       "achieved_tops",
                                             "dram_read_bytes", "dram_write_bytes",
                                             "energy_pj",       "energy_breakdown_pj",
                                             "tops_per_w"};
  const std::vector<std::string> keys = keys_of(totals);
  ASSERT_GE(keys.size(), contract.size());
  EXPECT_EQ(std::vector<std::string>(keys.begin(), keys.begin() + contract.size()), contract);

  const Json& breakdown = totals["energy_breakdown_pj"];
  EXPECT_EQ(keys_of(breakdown),
            (std::vector<std::string>{"mac", "sram", "dram", "vector", "static"}));
  for (const auto& [key, value] : breakdown.items()) EXPECT_TRUE(value.is_number_float()) << key;
  EXPECT_EQ(totals["layers_by_bound"],
            Json::parse(R"({"compute": 1, "memory": 1, "vector": 0, "none": 1})"));
}

TEST(ReportJson, TotalsValues) {
  const Json totals = Json::parse(json_text(tiny_report()))["totals"];
  EXPECT_EQ(totals["cycles"], 300);
  EXPECT_EQ(totals["macs"], 2400);
  EXPECT_EQ(totals["flops"], 4800);
  EXPECT_EQ(totals["params"], 132);
  EXPECT_DOUBLE_EQ(totals["utilization"].get<double>(), 0.5);
  EXPECT_DOUBLE_EQ(totals["latency_ms"].get<double>(), 0.003);
  EXPECT_DOUBLE_EQ(totals["peak_tops"].get<double>(), 0.0032);
  EXPECT_DOUBLE_EQ(totals["achieved_tops"].get<double>(), 0.0016);
  EXPECT_DOUBLE_EQ(totals["energy_pj"].get<double>(), 28620.0);
  EXPECT_DOUBLE_EQ(totals["energy_breakdown_pj"]["dram"].get<double>(), 20000.0);
}

TEST(ReportJson, LayersHaveEveryContractKeyWithItsType) {
  const Json layers = Json::parse(json_text(tiny_report()))["layers"];
  ASSERT_EQ(layers.size(), 3u);
  for (const Json& layer : layers) {
    for (const char* key : {"name", "op", "bound", "mapping"}) {
      ASSERT_TRUE(layer.contains(key)) << key;
      EXPECT_TRUE(layer[key].is_string()) << key;
    }
    for (const char* key :
         {"macs", "params", "cycles", "dram_read_bytes", "dram_write_bytes", "executed_macs",
          "matrix_busy_cycles", "dram_busy_cycles", "vector_busy_cycles"}) {
      ASSERT_TRUE(layer.contains(key)) << key;
      EXPECT_TRUE(layer[key].is_number_integer()) << key;
    }
    for (const char* key : {"utilization", "macs_per_cycle", "energy_pj", "mapping_efficiency",
                            "operational_intensity"}) {
      ASSERT_TRUE(layer.contains(key)) << key;
      EXPECT_TRUE(layer[key].is_number_float()) << key;
    }
    ASSERT_TRUE(layer["output_shape"].is_array());
    ASSERT_TRUE(layer["energy_breakdown_pj"].is_object());
  }
  EXPECT_EQ(layers[0]["name"], "conv1");
  EXPECT_EQ(layers[0]["output_shape"], Json::parse("[2, 8, 8, 4]"));
  EXPECT_EQ(layers[0]["bound"], "compute");
  EXPECT_DOUBLE_EQ(layers[0]["energy_pj"].get<double>(), 18300.0);
  EXPECT_EQ(layers[1]["bound"], "memory");
  EXPECT_EQ(layers[2]["name"], "flat, \"view\"");
  EXPECT_EQ(layers[2]["bound"], "none");
  // A 0-cycle layer's ratios are 0.0, still floats (never null from a NaN).
  EXPECT_TRUE(layers[2]["utilization"].is_number_float());
  EXPECT_DOUBLE_EQ(layers[2]["utilization"].get<double>(), 0.0);
}

TEST(ReportJson, CycleBreakdownSitsNextToMappingEfficiency) {
  const Json doc = Json::parse(json_text(tiny_report()));
  const std::vector<std::string> breakdown_keys = {"compute", "dram_wait", "sram_wait",
                                                   "vector_wait", "dependency_wait"};
  for (const Json* object : {&doc["layers"][0], &doc["totals"]}) {
    const std::vector<std::string> keys = keys_of(*object);
    const auto at = std::find(keys.begin(), keys.end(), "mapping_efficiency");
    ASSERT_NE(at, keys.end());
    ASSERT_LT(at + 1, keys.end());
    EXPECT_EQ(*(at + 1), "cycles_breakdown");
    EXPECT_EQ(keys_of((*object)["cycles_breakdown"]), breakdown_keys);
    uint64_t sum = 0;
    for (const auto& [key, value] : (*object)["cycles_breakdown"].items()) {
      EXPECT_TRUE(value.is_number_integer()) << key;
      sum += value.get<uint64_t>();
    }
    EXPECT_EQ(sum, (*object)["cycles"].get<uint64_t>());
    for (const char* key :
         {"compute_fraction", "streaming_fraction", "attainable_macs_per_cycle"}) {
      ASSERT_TRUE(object->contains(key)) << key;
      EXPECT_TRUE((*object)[key].is_number_float()) << key;
    }
  }
  EXPECT_EQ(doc["layers"][0]["cycles_breakdown"],
            Json::parse(R"({"compute": 150, "dram_wait": 25, "sram_wait": 5, "vector_wait": 20,
                            "dependency_wait": 0})"));
  EXPECT_DOUBLE_EQ(doc["layers"][0]["compute_fraction"].get<double>(), 0.75);
  EXPECT_DOUBLE_EQ(doc["layers"][1]["attainable_macs_per_cycle"].get<double>(), 8.0);
}

TEST(ReportJson, RooflineOfTheDesign) {
  const Json roofline = Json::parse(json_text(tiny_report()))["roofline"];
  EXPECT_EQ(keys_of(roofline),
            (std::vector<std::string>{"peak_macs_per_cycle", "dram_bytes_per_cycle",
                                      "ridge_macs_per_byte"}));
  for (const auto& [key, value] : roofline.items()) EXPECT_TRUE(value.is_number_float()) << key;
  EXPECT_DOUBLE_EQ(roofline["peak_macs_per_cycle"].get<double>(), 16.0);
  EXPECT_DOUBLE_EQ(roofline["dram_bytes_per_cycle"].get<double>(), 8.0);
  EXPECT_DOUBLE_EQ(roofline["ridge_macs_per_byte"].get<double>(), 2.0);
}

TEST(ReportJson, ExplanationsOnlyWhenAskedFor) {
  Report report = tiny_report();
  const Json plain = Json::parse(json_text(report));
  for (const Json& layer : plain["layers"]) EXPECT_FALSE(layer.contains("explanation"));
  const std::string csv_before = csv_text(report);
  report.explanations = {"one", "two", "three"};
  const Json layers = Json::parse(json_text(report))["layers"];
  EXPECT_EQ(layers[0]["explanation"], "one");
  EXPECT_EQ(layers[2]["explanation"], "three");
  EXPECT_EQ(keys_of(layers[1]).back(), "explanation");
  // The CSV keeps its fixed columns.
  EXPECT_EQ(csv_text(report), csv_before);
}

TEST(ReportJson, ByteIdenticalForTheSameInput) {
  const std::string first = json_text(tiny_report());
  EXPECT_EQ(first, json_text(tiny_report()));
  const Report report = tiny_report();
  EXPECT_EQ(json_text(report), json_text(report));
  EXPECT_EQ(first.back(), '\n');
}

TEST(ReportJson, ArchConfigIsTheResolvedYamlAsAnObject) {
  const Json config = Json::parse(json_text(tiny_report()))["arch_config"];
  EXPECT_EQ(keys_of(config), (std::vector<std::string>{"name", "clock", "array", "tag", "flags"}));
  EXPECT_EQ(config["name"], "tiny");
  EXPECT_TRUE(config["clock"]["freq_mhz"].is_number_float());
  EXPECT_DOUBLE_EQ(config["clock"]["freq_mhz"].get<double>(), 100.5);
  EXPECT_TRUE(config["array"]["rows"].is_number_integer());
  EXPECT_EQ(config["array"]["rows"], 4);
  EXPECT_EQ(config["array"]["dataflow"], "weight_stationary");
  // Quoted in the YAML: a string, even though it reads as a number.
  EXPECT_EQ(config["tag"], "8");
  EXPECT_EQ(config["flags"], Json::parse("[true, null, -3]"));
}

TEST(ReportJson, ArchConfigFromTheArchWriter) {
  // The text the CLI writes next to the results (arch::to_yaml) converts key for key. The writer
  // prints reals in their shortest form, so a whole one (100.0 MHz) arrives as an integer.
  const Json config = yaml_text_to_json(arch::to_yaml(tiny_arch()));
  EXPECT_EQ(config["name"], "tiny");
  EXPECT_EQ(config["clock"]["freq_mhz"], 100);
  EXPECT_EQ(config["array"]["rows"], 4);
  EXPECT_EQ(config["energy"]["vector_op_pj"], 0.5);
  EXPECT_EQ(config["energy"]["sram"]["output"]["write_pj_per_byte"], 6);
}

TEST(YamlTextToJson, PlainScalarsAreTypedQuotedOnesAreNot) {
  const Json json = yaml_text_to_json(
      "a: 12\nb: -0.25\nc: +7\nd: 1e3\ne: false\nf: .inf\ng: \"12\"\nh: 0x10\ni:\nj: [1, x]\n");
  EXPECT_EQ(json, Json::parse(R"({"a": 12, "b": -0.25, "c": 7, "d": 1000.0, "e": false,
                                  "f": ".inf", "g": "12", "h": "0x10", "i": null,
                                  "j": [1, "x"]})"));
  EXPECT_TRUE(json["d"].is_number_float());
  EXPECT_TRUE(yaml_text_to_json("").is_null());
}

// ---- CSV --------------------------------------------------------------------------------------

TEST(ReportCsv, HeaderIsTheFlattenedJsonLayerKeys) {
  const std::vector<std::string> lines = lines_of(csv_text(tiny_report()));
  ASSERT_EQ(lines.size(), 4u);  // header + 3 layers, no totals row
  EXPECT_EQ(lines[0],
            "name,op,precision,output_shape,macs,params,live_activation_bytes,cycles,macs_per_cycle,"
            "utilization,bound,"
            "matrix_busy_cycles,dram_busy_cycles,vector_busy_cycles,dram_read_bytes,"
            "dram_write_bytes,dram_payload_bytes,operational_intensity,executed_macs,dense_macs,"
            "effective_macs,"
            "skipped_macs,measured_activation_density,unstructured_skip.weight_density,"
            "unstructured_skip.fold_rows,unstructured_skip.balanced_fold_rows,"
            "dense_baseline_cycles,dense_baseline_energy_pj,mapping_efficiency,"
            "cycles_breakdown.compute,cycles_breakdown.dram_wait,cycles_breakdown.sram_wait,"
            "cycles_breakdown.vector_wait,cycles_breakdown.dependency_wait,compute_fraction,"
            "streaming_fraction,attainable_macs_per_cycle,energy_pj,"
            "energy_breakdown_pj.mac,energy_breakdown_pj.sram,energy_breakdown_pj.dram,"
            "energy_breakdown_pj.vector,energy_breakdown_pj.static,"
            "sram_energy_pj.input,sram_energy_pj.weight,sram_energy_pj.output,"
            "static_energy_pj.array,static_energy_pj.vector,static_energy_pj.input_buffer,"
            "static_energy_pj.weight_buffer,static_energy_pj.output_buffer,"
            "static_energy_pj.dma,static_energy_pj.controller,pj_per_mac,tops_per_w,mapping");
  // Every contract layer key is a column.
  const Json layer = Json::parse(json_text(tiny_report()))["layers"][0];
  for (const auto& [key, value] : layer.items()) {
    if (!value.is_object()) {
      EXPECT_NE(("," + lines[0] + ",").find("," + key + ","), std::string::npos) << key;
    }
  }
}

TEST(ReportCsv, RowsMatchTheJsonValues) {
  const std::vector<std::string> lines = lines_of(csv_text(tiny_report()));
  EXPECT_EQ(lines[1],
            "conv1,conv2d,int8,2x8x8x4,1600,100,0,200,8.0,0.5,compute,150,100,20,1000,200,0,"
            // Not measured (an empty cell) and not unstructured-skipped (zeros).
            "1.3333333333333333,1800,1600,1600,0,,0.0,0,0,200,18300.0,0.75,150,25,5,20,0,0.75,1.0,"
            "10.666666666666666,18300.0,"
            "1800.0,2480.0,12000.0,20.0,2000.0,"
            // SRAM by buffer (report_test.cpp); static 2000 pJ per mW over 200 cycles at 100 MHz
            // by block (1/2, 1/8, 1/16, 1/8, 1/16, 1/16, 1/16 mW); 18300 / 1600 pJ/MAC and
            // 3200 / 18300 TOPS/W.
            "120.0,680.0,1680.0,1000.0,250.0,125.0,250.0,125.0,125.0,125.0,"
            "11.4375,0.17486338797814208,\"k-fold 1, n-fold 1\"");
}

TEST(ReportCsv, QuotesFieldsWithCommasAndQuotes) {
  const std::vector<std::string> lines = lines_of(csv_text(tiny_report()));
  EXPECT_EQ(lines[3].rfind("\"flat, \"\"view\"\"\",flatten,int8,2x128,0,0,0,0,0.0,0.0,none,", 0), 0u)
      << lines[3];
  EXPECT_EQ(lines[2].rfind("layer4.2.downsample.0,conv2d,int8,2x4x4x8,800,", 0), 0u) << lines[2];
}

TEST(ReportCsv, EmptyRunPrintsTheHeaderOnly) {
  const Report report = build_report(RunCounters{}, tiny_arch(), "empty", 1, "");
  const std::vector<std::string> lines = lines_of(csv_text(report));
  ASSERT_EQ(lines.size(), 1u);
  EXPECT_EQ(lines[0].rfind("name,op,precision,output_shape,", 0), 0u);
}

// ---- Table ------------------------------------------------------------------------------------

TEST(ReportTable, HeaderNamesTheDesignAndWorkload) {
  const std::string text = table_text(tiny_report());
  EXPECT_NE(text.find("arch 'tiny', workload 'tiny_net', batch 2"), std::string::npos) << text;
  EXPECT_NE(text.find("array 4x4 PEs (16), int8, 100 MHz, peak 0.0032 TOPS"), std::string::npos)
      << text;
}

TEST(ReportTable, LayerRows) {
  const std::string text = table_text(tiny_report());
  // name, op, shape, MACs, cycles, MAC/cyc, util%, bound, DRAM read+write (1200 B), energy uJ
  // (18300 pJ).
  EXPECT_NE(text.find("conv1"), std::string::npos);
  EXPECT_NE(text.find("2x8x8x4"), std::string::npos);
  EXPECT_NE(text.find("1.17 KiB"), std::string::npos) << text;  // 1200 / 1024
  EXPECT_NE(text.find("layer4.2.downsample.0"), std::string::npos);
  // MAC/cyc, util%, comp% (150 of 200 cycles computing), bound.
  EXPECT_NE(text.find("  8.0   50.0   75.0  compute"), std::string::npos) << text;
  EXPECT_NE(text.find("0.018"), std::string::npos) << text;  // 18300 pJ = 0.0183 uJ
}

TEST(ReportTable, MeasuredActivationDensityLine) {
  // conv1 (1600 MACs) measured 0.5, the downsample (800 MACs) 0.8: MAC-weighted
  // (1600 x 0.5 + 800 x 0.8) / 2400 = 1440 / 2400 = 0.600. Unmeasured runs have no such line.
  EXPECT_EQ(table_text(tiny_report()).find("activations"), std::string::npos);
  Report report = tiny_report();
  report.layers[0].measured_activation_density = 0.5;
  report.layers[1].measured_activation_density = 0.8;
  const std::string text = table_text(report);
  EXPECT_NE(text.find("  activations        density 0.600 measured from the data (MAC-weighted "
                      "over conv/dense layers)\n"),
            std::string::npos)
      << text;
  // The CSV keeps its columns: the measured cell holds the value, the unmeasured one is empty.
  const std::vector<std::string> lines = lines_of(csv_text(report));
  EXPECT_NE(lines[1].find(",0,0.5,0.0,0,0,"), std::string::npos) << lines[1];
  EXPECT_NE(lines[3].find(",0,,0.0,0,0,"), std::string::npos) << lines[3];
}

// Skipped zero weights count as done without being executed, so MACs exceed executed MACs and
// the first factor is named for what it is: 2400 / 1200 = 200 %.
TEST(ReportTable, SkippedWorkMakesTheFirstFactorDenseEquivalent) {
  RunCounters counters = tiny_counters();
  counters.layers[0].executed_macs = 800;
  counters.layers[0].skipped_macs = 800;
  counters.layers[1].executed_macs = 400;
  counters.layers[1].skipped_macs = 400;
  const std::string text =
      table_text(build_report(counters, tiny_arch(), "tiny_net", 2, tiny_arch_yaml()));
  EXPECT_NE(text.find("  utilization split  50.0 % = dense-equivalent 200.0 % x mapping "),
            std::string::npos)
      << text;
}

// Float arithmetic is counted in floating-point operations: the same 2 per MAC, named TFLOPS.
TEST(ReportTable, FloatDesignsCountTflops) {
  arch::ArchConfig arch = tiny_arch();
  arch.precision.operand = arch::Precision::kFp16;
  const std::string text =
      table_text(build_report(tiny_counters(), arch, "tiny_net", 2, tiny_arch_yaml()));
  EXPECT_NE(text.find("MHz, peak 0.0032 TFLOPS\n"), std::string::npos) << text;
  EXPECT_NE(text.find("  TFLOPS             peak 0.0032, achieved 0.0016\n"), std::string::npos)
      << text;
  EXPECT_NE(text.find(" TFLOPS/W, "), std::string::npos) << text;
  EXPECT_EQ(text.find(" TOPS"), std::string::npos) << text;
}

TEST(ReportTable, TotalsLines) {
  const std::string text = table_text(tiny_report());
  for (const char* line : {
           "  cycles             300\n",
           "  latency            0.003 ms (666666.7 inferences/s at batch 2)\n",
           "  TOPS               peak 0.0032, achieved 0.0016\n",
           "  utilization        50.0 % (8.0 MACs/cycle of 16 PEs), mapping efficiency 81.2 %\n",
           // 200 compute, 25 DRAM, 5 SRAM, 70 vector, 0 dependency of 300 cycles.
           "  cycle split        compute 66.7 %, DRAM wait 8.3 %, SRAM wait 1.7 %, vector wait "
           "23.3 %, dependency 0.0 %\n",
           // 2400 / 2600, 2600 / 3200, 3200 / (16 x 200), 200 / 300.
           "  utilization split  50.0 % = useful 92.3 % x mapping 81.2 % x streaming 100.0 % x "
           "compute 66.7 %\n",
           "  roofline           peak 16 MACs/cycle / DRAM 8.00 B/cycle = ridge 2.0 MACs/B\n",
           "  intensity          1.2 MACs/B: attainable 10 MACs/cycle, achieved 8.0\n",
           "  MACs               2,400 (flops = 2 x MACs = 4,800), executed 2,600\n",
           "  params             0.000 M, model size 0.00 MiB at int8\n",
           "  DRAM traffic       read 1.46 KiB, write 500 B\n",
           "  energy             0.029 uJ\n",
           "    MAC                     0.003 uJ    9.1 %\n",
           "    SRAM                    0.003 uJ   10.5 %\n",
           "    DRAM                    0.020 uJ   69.9 %\n",
           "    vector                  0.000 uJ    0.1 %\n",
           "    static                  0.003 uJ   10.5 %\n",
           "  efficiency         11.925 pJ/MAC, 0.1677 TOPS/W, 6.988e+07 inferences/J\n",
           "  layers by bound    compute 1, memory 1, vector 0, none 1\n",
       }) {
    EXPECT_NE(text.find(line), std::string::npos) << "missing: " << line << "in:\n" << text;
  }
}

TEST(ReportTable, LongNamesFitA120ColumnTerminal) {
  RunCounters run = tiny_counters();
  run.layers[0].name = "encoder.layer.11.attention.self.query_key_value.projection.weight_only";
  const std::string text = table_text(build_report(run, tiny_arch(), "bert", 1, ""));
  for (const std::string& line : lines_of(text)) {
    EXPECT_LE(line.size(), kTableWidth) << line;
    EXPECT_TRUE(line.empty() || line.back() != ' ') << "trailing space: '" << line << "'";
  }
  // The short name still shows whole; the long one keeps its head and tail.
  EXPECT_NE(text.find("layer4.2.downsample.0"), std::string::npos);
  // The other ten columns take 67 plus ten 2-space gaps, leaving the name 33: 16 + ".." + 15.
  EXPECT_NE(text.find("\nencoder.layer.11..ion.weight_only  conv2d"), std::string::npos) << text;
}

TEST(ReportTable, ExplanationsFollowTheTotalsWrappedToTheWidth) {
  Report report = tiny_report();
  EXPECT_EQ(table_text(report).find("explanations"), std::string::npos);
  std::string long_text;
  for (int i = 0; i < 40; ++i) long_text += "word" + std::to_string(i) + " ";
  report.explanations = {long_text + "end.", "Short.", "Takes no time."};
  const std::string text = table_text(report);
  const size_t section = text.find("\nexplanations\n");
  ASSERT_NE(section, std::string::npos) << text;
  EXPECT_GT(section, text.find("layers by bound"));
  EXPECT_NE(text.find("\n  conv1 (conv2d, 2x8x8x4, 200 cycles): word0 word1 "), std::string::npos)
      << text;
  EXPECT_NE(text.find("\n  layer4.2.downsample.0 (conv2d, 2x4x4x8, 100 cycles): Short.\n"),
            std::string::npos)
      << text;
  // The long explanation continues on indented lines, none wider than the table.
  EXPECT_NE(text.find("\n      word"), std::string::npos) << text;
  for (const std::string& line : lines_of(text)) {
    EXPECT_LE(line.size(), kTableWidth) << line;
    EXPECT_TRUE(line.empty() || line.back() != ' ') << "trailing space: '" << line << "'";
  }
}

TEST(ReportTable, MacsRoundToFourSignificantDigits) {
  RunCounters run = tiny_counters();
  run.layers[0].macs = 99'996'000;  // 99.996M rounds up into the next decade
  run.layers[1].macs = 4'089'184'256;
  const std::string text = table_text(build_report(run, tiny_arch(), "r", 1, ""));
  EXPECT_NE(text.find(" 100.0M "), std::string::npos) << text;
  EXPECT_NE(text.find(" 4.089G "), std::string::npos) << text;
}

TEST(TruncateMiddle, KeepsHeadAndTail) {
  EXPECT_EQ(truncate_middle("layer4.2.downsample.0", 21), "layer4.2.downsample.0");
  EXPECT_EQ(truncate_middle("layer4.2.downsample.0", 20), "layer4.2...nsample.0");
  EXPECT_EQ(truncate_middle("abcdefgh", 6), "ab..gh");
  EXPECT_EQ(truncate_middle("abcdefgh", 7), "abc..gh");
  EXPECT_EQ(truncate_middle("abcdefgh", 2), "ab");
}

}  // namespace
}  // namespace npu::stats
