#include "sim/stats/report_json.h"

#include <yaml-cpp/yaml.h>

#include <cassert>
#include <charconv>
#include <cmath>
#include <system_error>

namespace npu::stats {
namespace {

using Json = nlohmann::ordered_json;

Json energy_to_json(const EnergyBreakdown& energy) {
  Json json;
  json["mac"] = energy.mac_pj;
  json["sram"] = energy.sram_pj;
  json["dram"] = energy.dram_pj;
  json["vector"] = energy.vector_pj;
  json["static"] = energy.static_pj;
  return json;
}

Json sram_energy_to_json(const SramEnergyByBuffer& sram) {
  Json json;
  json["input"] = sram.input_pj;
  json["weight"] = sram.weight_pj;
  json["output"] = sram.output_pj;
  return json;
}

Json static_energy_to_json(const StaticEnergyByBlock& leak) {
  Json json;
  json["array"] = leak.array_pj;
  json["vector"] = leak.vector_pj;
  json["input_buffer"] = leak.input_buffer_pj;
  json["weight_buffer"] = leak.weight_buffer_pj;
  json["output_buffer"] = leak.output_buffer_pj;
  json["dma"] = leak.dma_pj;
  json["controller"] = leak.controller_pj;
  return json;
}

Json sram_costs_to_json(const arch::SramCosts& costs) {
  Json json;
  json["read_pj_per_byte"] = costs.read_pj_per_byte;
  json["write_pj_per_byte"] = costs.write_pj_per_byte;
  return json;
}

Json event_costs_to_json(const EventCosts& costs) {
  Json json;
  json["mac_pj"] = costs.mac_pj;
  json["gated_mac_pj"] = costs.gated_mac_pj;
  json["sram"] = {{"input", sram_costs_to_json(costs.input)},
                  {"weight", sram_costs_to_json(costs.weight)},
                  {"output", sram_costs_to_json(costs.output)}};
  json["dram_pj_per_byte"] = costs.dram_pj_per_byte;
  json["vector_op_pj"] = costs.vector_op_pj;
  json["static_mw"] = costs.static_mw;
  return json;
}

Json breakdown_to_json(const CyclesBreakdown& breakdown) {
  Json json;
  json["compute"] = breakdown.compute;
  json["dram_wait"] = breakdown.dram_wait;
  json["sram_wait"] = breakdown.sram_wait;
  json["vector_wait"] = breakdown.vector_wait;
  json["dependency_wait"] = breakdown.dependency_wait;
  return json;
}

Json roofline_to_json(const Roofline& roofline) {
  Json json;
  json["peak_macs_per_cycle"] = roofline.peak_macs_per_cycle;
  json["dram_bytes_per_cycle"] = roofline.dram_bytes_per_cycle;
  json["ridge_macs_per_byte"] = roofline.ridge_macs_per_byte;
  return json;
}

Json bounds_to_json(const BoundCounts& bounds) {
  Json json;
  json["compute"] = bounds.compute;
  json["memory"] = bounds.memory;
  json["vector"] = bounds.vector;
  json["none"] = bounds.none;
  return json;
}

Json totals_to_json(const ReportTotals& totals) {
  Json json;
  // The contract's keys first, in its order.
  json["cycles"] = totals.cycles;
  json["macs"] = totals.macs;
  json["flops"] = totals.flops;
  json["params"] = totals.params;
  json["utilization"] = totals.utilization;
  json["macs_per_cycle"] = totals.macs_per_cycle;
  json["latency_ms"] = totals.latency_ms;
  json["inferences_per_s"] = totals.inferences_per_s;
  json["peak_tops"] = totals.peak_tops;
  json["achieved_tops"] = totals.achieved_tops;
  json["dram_read_bytes"] = totals.dram_read_bytes;
  json["dram_write_bytes"] = totals.dram_write_bytes;
  json["energy_pj"] = totals.energy.total_pj();
  json["energy_breakdown_pj"] = energy_to_json(totals.energy);
  json["tops_per_w"] = totals.tops_per_w;
  json["sram_energy_pj"] = sram_energy_to_json(totals.energy.sram_by_buffer);
  json["static_energy_pj"] = static_energy_to_json(totals.energy.static_by_block);
  json["model_size_bytes"] = totals.model_size_bytes;
  json["peak_activation_bytes"] = totals.peak_activation_bytes;
  json["peak_activation_layer"] = totals.peak_activation_layer;
  json["activation_bytes"] = totals.activation_bytes;
  json["dram_payload_bytes"] = totals.dram_payload_bytes;
  json["executed_macs"] = totals.executed_macs;
  json["mapping_efficiency"] = totals.mapping_efficiency;
  json["cycles_breakdown"] = breakdown_to_json(totals.cycles_breakdown);
  json["compute_fraction"] = totals.compute_fraction;
  json["streaming_fraction"] = totals.streaming_fraction;
  json["operational_intensity"] = totals.operational_intensity;
  json["attainable_macs_per_cycle"] = totals.attainable_macs_per_cycle;
  json["pj_per_mac"] = totals.pj_per_mac;
  json["inferences_per_j"] = totals.inferences_per_j;
  json["dense_macs"] = totals.dense_macs;
  json["effective_macs"] = totals.effective_macs;
  json["skipped_macs"] = totals.skipped_macs;
  json["dense_baseline_cycles"] = totals.dense_baseline_cycles;
  json["dense_baseline_energy_pj"] = totals.dense_baseline_energy_pj;
  json["layers_by_bound"] = bounds_to_json(totals.bounds);
  return json;
}

bool is_one_of(const std::string& text, std::initializer_list<const char*> words) {
  for (const char* word : words) {
    if (text == word) return true;
  }
  return false;
}

// A plain scalar typed by the YAML 1.2 core schema (decimal forms only: the resolved config is
// written by our own emitter, which writes no octal or hex).
Json plain_scalar_to_json(const std::string& text) {
  if (is_one_of(text, {"true", "True", "TRUE"})) return true;
  if (is_one_of(text, {"false", "False", "FALSE"})) return false;
  if (is_one_of(text, {"null", "Null", "NULL", "~", ""})) return nullptr;
  const char* begin = text.data();
  const char* end = text.data() + text.size();
  // from_chars rejects a leading '+', which the core schema allows.
  const char* digits = (*begin == '+') ? begin + 1 : begin;
  int64_t integer = 0;
  auto [int_end, int_error] = std::from_chars(digits, end, integer);
  if (int_error == std::errc() && int_end == end) return integer;
  double real = 0.0;
  auto [real_end, real_error] = std::from_chars(digits, end, real);
  // from_chars also reads "inf" and "nan", which are strings in YAML and not numbers in JSON.
  if (real_error == std::errc() && real_end == end && std::isfinite(real)) return real;
  return text;
}

Json yaml_node_to_json(const YAML::Node& node) {
  switch (node.Type()) {
    case YAML::NodeType::Undefined:
    case YAML::NodeType::Null:
      return nullptr;
    case YAML::NodeType::Scalar:
      // yaml-cpp tags quoted scalars "!" and plain ones "?": only plain scalars are typed.
      if (node.Tag() == "!") return node.Scalar();
      return plain_scalar_to_json(node.Scalar());
    case YAML::NodeType::Sequence: {
      Json json = Json::array();
      for (const YAML::Node& element : node) json.push_back(yaml_node_to_json(element));
      return json;
    }
    case YAML::NodeType::Map: {
      Json json = Json::object();
      for (const auto& entry : node)
        json[entry.first.as<std::string>()] = yaml_node_to_json(entry.second);
      return json;
    }
  }
  return nullptr;
}

}  // namespace

Json layer_to_json(const LayerReport& layer) {
  Json json;
  json["name"] = layer.name;
  json["op"] = layer.op;
  json["precision"] = arch::to_string(layer.precision);
  json["output_shape"] = layer.output_shape;
  json["macs"] = layer.macs;
  json["params"] = layer.params;
  json["live_activation_bytes"] = layer.live_activation_bytes;
  json["cycles"] = layer.cycles;
  json["macs_per_cycle"] = layer.macs_per_cycle;
  json["utilization"] = layer.utilization;
  json["bound"] = to_string(layer.bound);
  json["matrix_busy_cycles"] = layer.matrix_busy_cycles;
  json["dram_busy_cycles"] = layer.dram_busy_cycles;
  json["vector_busy_cycles"] = layer.vector_busy_cycles;
  json["dram_read_bytes"] = layer.dram_read_bytes;
  json["dram_write_bytes"] = layer.dram_write_bytes;
  json["dram_payload_bytes"] = layer.dram_payload_bytes;
  json["operational_intensity"] = layer.operational_intensity;
  json["executed_macs"] = layer.executed_macs;
  json["dense_macs"] = layer.dense_macs;
  json["effective_macs"] = layer.effective_macs;
  json["skipped_macs"] = layer.skipped_macs;
  // Every layer carries every key, so that the CSV view has one column set: null when the run
  // did not measure the layer, zeros when its unstructured weights were not skipped.
  json["measured_activation_density"] =
      layer.measured_activation_density >= 0 ? Json(layer.measured_activation_density) : Json();
  // What load imbalance left of the skipping (docs/sparsity.md): rows per fold against the
  // floor(R / d) of an even spread.
  json["unstructured_skip"] = {{"weight_density", layer.skip_density},
                               {"fold_rows", layer.skip_rows},
                               {"balanced_fold_rows", layer.skip_balanced_rows}};
  json["dense_baseline_cycles"] = layer.dense_baseline_cycles;
  json["dense_baseline_energy_pj"] = layer.dense_baseline_energy_pj;
  json["mapping_efficiency"] = layer.mapping_efficiency;
  json["cycles_breakdown"] = breakdown_to_json(layer.cycles_breakdown);
  json["compute_fraction"] = layer.compute_fraction;
  json["streaming_fraction"] = layer.streaming_fraction;
  json["attainable_macs_per_cycle"] = layer.attainable_macs_per_cycle;
  json["energy_pj"] = layer.energy.total_pj();
  json["energy_breakdown_pj"] = energy_to_json(layer.energy);
  json["sram_energy_pj"] = sram_energy_to_json(layer.energy.sram_by_buffer);
  json["static_energy_pj"] = static_energy_to_json(layer.energy.static_by_block);
  json["pj_per_mac"] = layer.pj_per_mac;
  json["tops_per_w"] = layer.tops_per_w;
  json["mapping"] = layer.mapping;
  return json;
}

Json report_to_json(const Report& report) {
  Json json;
  json["schema"] = kReportSchema;
  json["arch"] = report.arch_name;
  json["workload"] = report.workload_name;
  json["batch"] = report.batch;
  json["arch_config"] = yaml_text_to_json(report.resolved_arch_yaml);
  json["totals"] = totals_to_json(report.totals);
  json["roofline"] = roofline_to_json(report.roofline);
  json["energy_costs"] = event_costs_to_json(report.energy_costs);
  assert(report.explanations.empty() || report.explanations.size() == report.layers.size());
  Json layers = Json::array();
  for (size_t i = 0; i < report.layers.size(); ++i) {
    layers.push_back(layer_to_json(report.layers[i]));
    // Only on request (--explain): the CSV, built from layer_to_json, keeps fixed columns.
    if (!report.explanations.empty()) layers.back()["explanation"] = report.explanations[i];
  }
  json["layers"] = std::move(layers);
  // {"npu.dram": {"busy_cycles": 123, ...}, ...}: units and meanings are in docs/metrics.md.
  Json modules = Json::object();
  for (const ModuleCounter& counter : report.modules)
    modules[counter.module][counter.name] = counter.value;
  json["modules"] = std::move(modules);
  return json;
}

Json yaml_text_to_json(const std::string& yaml_text) {
  return yaml_node_to_json(YAML::Load(yaml_text));
}

void write_json(std::ostream& out, const Report& report) {
  // Names come from user files; a stray non-UTF-8 byte is replaced rather than aborting the dump.
  out << report_to_json(report).dump(2, ' ', false, Json::error_handler_t::replace) << '\n';
}

}  // namespace npu::stats
