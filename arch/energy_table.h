#pragma once
// The energy table resolved to what one event costs on one design, in picojoules: the MAC entry of
// an operand precision, SRAM costs per byte given in the config or derived from a model of bank
// capacity and word width, DRAM per byte from the memory type, each scaled from the table's
// reference node (45 nm) to the design's where the physics allows. The model and its sources are
// derived in docs/energy.md; sim/stats/energy.h charges these costs to event counts.

#include "arch/arch_config.h"

namespace npu::arch {

// Horowitz (ISSCC 2014, 45 nm): a 64-bit (8-byte) read from an 8 KB SRAM costs 10 pJ, i.e.
// 1.25 pJ per byte, from 32 KB 20 pJ and from 1 MB 100 pJ.
constexpr double kSramAnchorPjPerByte = 1.25;
constexpr double kSramAnchorBankKib = 8.0;
constexpr int kSramAnchorWordBytes = 8;
// Writes drive the bitlines full swing where reads sense a small one; taken as 10% above a read
// (Horowitz lists reads only).
constexpr double kSramWriteOverRead = 1.1;

// The table's entry for `precision` times tech_scale: the one place a MAC's precision picks its
// cost.
double mac_pj(const EnergyConfig& energy, Precision precision);

// The SRAM model at the reference node, per byte read from one bank of `buffer`:
//   1.25 pJ x sqrt(bank_kib / 8) x max(1, 8 / word_bytes)
// with bank_kib = size_kib / banks and word_bytes = bytes_per_cycle / banks. Energy grows with
// the square root of the bank's capacity (the wires a bit crosses grow with its side); a word of
// 8 bytes or more reads that many bytes from side-by-side 64-bit columns, so the cost per byte does
// not depend on it, while a narrower word still swings a whole 64-bit row and pays for 8 bytes.
double sram_model_read_pj_per_byte(const SramBufferConfig& buffer);

struct SramCosts {
  double read_pj_per_byte = 0.0;
  double write_pj_per_byte = 0.0;
};
// The entry's values, or where it says `auto` the model's (writes kSramWriteOverRead x reads),
// times tech_scale.
SramCosts sram_costs(const EnergyConfig& energy, const SramEnergy& entry,
                     const SramBufferConfig& buffer);

// Published energy per bit moved to or from each memory type, I/O included (docs/energy.md).
double dram_type_pj_per_bit(DramType type);
// energy.dram_pj_per_bit, or dram.type's figure when `auto`, x 8 bits. Not tech-scaled: the DRAM
// array and its off-chip interface do not shrink with the NPU's logic node.
double dram_pj_per_byte(const ArchConfig& arch);

// energy.vector_op_pj x tech_scale.
double vector_op_pj(const EnergyConfig& energy);

// The blocks' static powers summed.
double total_static_mw(const StaticPowerTable& power);

}  // namespace npu::arch
