#pragma once
// The arch config schema: every YAML key, the ArchConfig field it fills and the values it allows,
// listed once in visit_fields(). Reading, writing (to_yaml), range validation, the --set key check
// and the docs test all walk this one list, so a key cannot be read but not written, or written
// but not range-checked. The ranges are documented in docs/config.md; keep the two in step.

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "arch/arch_config.h"
#include "arch/yaml_reader.h"

namespace npu::arch {

// Allowed values of an integer key: [min, max], then optionally only `one_of` or powers of two.
struct IntLimits {
  IntLimits(int64_t min, int64_t max, std::vector<int64_t> one_of = {}, bool power_of_two = false)
      : min(min), max(max), one_of(std::move(one_of)), power_of_two(power_of_two) {}

  int64_t min;
  int64_t max;
  std::vector<int64_t> one_of;  // when not empty, the only allowed values
  bool power_of_two;
};

// "expected ..., got <value>" when `value` breaks the limits, or "" when it is allowed. The text
// matches MapReader's own range errors, so a value reads the same whether it came from a file or
// was set in code.
std::string int_problem(const IntLimits& limits, int64_t value);
std::string number_problem(const yaml::NumberRange& range, double value);

// Every key path ("clock.freq_mhz", ...) in schema order.
std::vector<std::string> schema_keys();

// Calls `visit(path, field)` for strings, lists of strings, booleans and enums, `visit(path, field, IntLimits)` for
// integers and `visit(path, field, NumberRange)` for reals, and for reals that may be `auto`
// (std::optional<double>, empty when `auto`), in the order keys are written. `Config`
// is ArchConfig or const ArchConfig. Members of one group must stay contiguous: the writer opens
// each mapping once.
template <typename Config, typename Visitor>
void visit_fields(Config& config, Visitor&& visit) {
  using yaml::NumberRange;
  // Upper bounds are far beyond any real design; they are there to catch unit mistakes
  // (a frequency in Hz, a size in bytes) rather than to limit exploration.
  const NumberRange non_negative{0.0, 1e4};
  const IntLimits positive_count{1, 65536};

  visit("name", config.name);
  visit("description", config.description);

  visit("clock.freq_mhz", config.clock.freq_mhz, NumberRange{0.0, 10000.0, true});

  visit("array.rows", config.array.rows, IntLimits{1, 4096});
  visit("array.cols", config.array.cols, IntLimits{1, 4096});
  visit("array.dataflow", config.array.dataflow);
  visit("array.stationary_preload", config.array.stationary_preload);
  const IntLimits packing{1, 16};
  visit("array.macs_per_pe_per_cycle.int4", config.array.macs_per_pe_per_cycle.int4, packing);
  visit("array.macs_per_pe_per_cycle.int8", config.array.macs_per_pe_per_cycle.int8, packing);
  visit("array.macs_per_pe_per_cycle.fp16", config.array.macs_per_pe_per_cycle.fp16, packing);
  visit("array.macs_per_pe_per_cycle.bf16", config.array.macs_per_pe_per_cycle.bf16, packing);
  visit("array.macs_per_pe_per_cycle.fp32", config.array.macs_per_pe_per_cycle.fp32, packing);

  visit("precision.operand", config.precision.operand);
  visit("precision.accumulator_bits", config.precision.accumulator_bits,
        IntLimits{16, 32, {16, 32}});
  visit("precision.other_operands", config.precision.other_operands);

  const auto sram_buffer = [&](const std::string& prefix, auto& buffer) {
    visit(prefix + ".size_kib", buffer.size_kib, IntLimits{1, 1 << 20});  // up to 1 GiB
    visit(prefix + ".banks", buffer.banks, IntLimits{1, 1024});
    visit(prefix + ".bytes_per_cycle", buffer.bytes_per_cycle, positive_count);
  };
  sram_buffer("sram.input", config.sram.input);
  sram_buffer("sram.weight", config.sram.weight);
  sram_buffer("sram.output", config.sram.output);

  visit("dram.type", config.dram.type);
  visit("dram.bandwidth_gbps", config.dram.bandwidth_gbps, NumberRange{0.0, 1e5, true});
  visit("dram.latency_ns", config.dram.latency_ns, NumberRange{0.0, 1e5});
  visit("dram.access_bytes", config.dram.access_bytes, IntLimits{1, 4096, {}, true});

  visit("dma.setup_cycles", config.dma.setup_cycles, IntLimits{0, 1000000});

  visit("memory.ideal", config.memory.ideal);

  visit("controller.queue_depth", config.controller.queue_depth, positive_count);

  visit("vector.lanes", config.vector.lanes, positive_count);
  visit("vector.pipeline_latency_cycles", config.vector.pipeline_latency_cycles,
        IntLimits{0, 10000});
  const IntLimits op_cycles{1, 10000};
  visit("vector.op_cycles.requant", config.vector.op_cycles.requant, op_cycles);
  visit("vector.op_cycles.eltwise", config.vector.op_cycles.eltwise, op_cycles);
  visit("vector.op_cycles.pool", config.vector.op_cycles.pool, op_cycles);
  visit("vector.op_cycles.softmax", config.vector.op_cycles.softmax, op_cycles);

  // `energy.sram.*.*_pj_per_byte` and `energy.dram_pj_per_bit` are std::optional<double>: empty
  // is `auto` (a model or a published figure, arch/energy_table.h), otherwise within the range.
  visit("energy.tech_scale", config.energy.tech_scale, NumberRange{0.0, 100.0, true});
  visit("energy.mac_pj.int4", config.energy.mac_pj.int4, non_negative);
  visit("energy.mac_pj.int8", config.energy.mac_pj.int8, non_negative);
  visit("energy.mac_pj.fp16", config.energy.mac_pj.fp16, non_negative);
  visit("energy.mac_pj.bf16", config.energy.mac_pj.bf16, non_negative);
  visit("energy.mac_pj.fp32", config.energy.mac_pj.fp32, non_negative);
  visit("energy.gated_mac_fraction", config.energy.gated_mac_fraction, NumberRange{0.0, 1.0});
  const auto sram_energy = [&](const std::string& prefix, auto& energy) {
    visit(prefix + ".read_pj_per_byte", energy.read_pj_per_byte, non_negative);
    visit(prefix + ".write_pj_per_byte", energy.write_pj_per_byte, non_negative);
  };
  sram_energy("energy.sram.input", config.energy.sram.input);
  sram_energy("energy.sram.weight", config.energy.sram.weight);
  sram_energy("energy.sram.output", config.energy.sram.output);
  visit("energy.dram_pj_per_bit", config.energy.dram_pj_per_bit, NumberRange{0.0, 1000.0});
  visit("energy.vector_op_pj", config.energy.vector_op_pj, non_negative);
  const NumberRange power{0.0, 1e6};  // mW: up to 1 kW
  visit("energy.static_mw.array", config.energy.static_mw.array, power);
  visit("energy.static_mw.vector", config.energy.static_mw.vector, power);
  visit("energy.static_mw.input_buffer", config.energy.static_mw.input_buffer, power);
  visit("energy.static_mw.weight_buffer", config.energy.static_mw.weight_buffer, power);
  visit("energy.static_mw.output_buffer", config.energy.static_mw.output_buffer, power);
  visit("energy.static_mw.dma", config.energy.static_mw.dma, power);
  visit("energy.static_mw.controller", config.energy.static_mw.controller, power);

  visit("sparsity.support", config.sparsity.support);
  visit("sparsity.structured_patterns", config.sparsity.structured_patterns);
  visit("sparsity.metadata_bits_per_nonzero", config.sparsity.metadata_bits_per_nonzero,
        IntLimits{0, 32});
  visit("sparsity.skip_unstructured_weights", config.sparsity.skip_unstructured_weights);
}

}  // namespace npu::arch
