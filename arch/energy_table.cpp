#include "arch/energy_table.h"

#include <algorithm>
#include <cmath>

namespace npu::arch {

double mac_pj(const EnergyConfig& energy, Precision precision) {
  const MacEnergyTable& table = energy.mac_pj;
  double entry = table.int8;
  switch (precision) {
    case Precision::kInt4:
      entry = table.int4;
      break;
    case Precision::kInt8:
      entry = table.int8;
      break;
    case Precision::kFp16:
      entry = table.fp16;
      break;
    case Precision::kBf16:
      entry = table.bf16;
      break;
    case Precision::kFp32:
      entry = table.fp32;
      break;
  }
  return entry * energy.tech_scale;
}

double sram_model_read_pj_per_byte(const SramBufferConfig& buffer) {
  const double bank_kib = static_cast<double>(buffer.size_kib) / buffer.banks;
  const double word_bytes = static_cast<double>(buffer.bytes_per_cycle) / buffer.banks;
  return kSramAnchorPjPerByte * std::sqrt(bank_kib / kSramAnchorBankKib) *
         std::max(1.0, kSramAnchorWordBytes / word_bytes);
}

SramCosts sram_costs(const EnergyConfig& energy, const SramEnergy& entry,
                     const SramBufferConfig& buffer) {
  const double model_read = sram_model_read_pj_per_byte(buffer);
  SramCosts costs;
  costs.read_pj_per_byte = entry.read_pj_per_byte.value_or(model_read) * energy.tech_scale;
  costs.write_pj_per_byte =
      entry.write_pj_per_byte.value_or(kSramWriteOverRead * model_read) * energy.tech_scale;
  return costs;
}

double dram_type_pj_per_bit(DramType type) {
  switch (type) {
    case DramType::kDdr4:
      return 15.0;  // DIMM-based DDR4, I/O and termination included (docs/energy.md)
    case DramType::kLpddr4:
      return 5.0;  // mid-point of the 4-6 pJ/bit reported for LPDDR4
    case DramType::kHbm2:
      return 3.9;  // O'Connor et al., MICRO 2017
    case DramType::kGddr5:
      return 14.0;  // O'Connor et al., MICRO 2017
  }
  return 0.0;
}

double dram_pj_per_byte(const ArchConfig& arch) {
  return arch.energy.dram_pj_per_bit.value_or(dram_type_pj_per_bit(arch.dram.type)) * 8.0;
}

double vector_op_pj(const EnergyConfig& energy) { return energy.vector_op_pj * energy.tech_scale; }

double total_static_mw(const StaticPowerTable& power) {
  return power.array + power.vector + power.input_buffer + power.weight_buffer +
         power.output_buffer + power.dma + power.controller;
}

}  // namespace npu::arch
