#pragma once
// The hardware description of one NPU design, as read from an arch YAML file.
//
// Plain structs with defaults as member initializers: every YAML key has exactly one typed field
// here and one default. The YAML tree mirrors this struct tree key for key (see docs/config.md);
// arch/arch_loader.h reads and validates it. Units live in the field names.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace npu::arch {

// Which operand stays in the PEs while the other streams through (docs/timing.md derives each):
// weights (reduction K on rows, output channels N on columns, output pixels M stream), outputs
// (M on rows, N on columns, K streams) or inputs (K on rows, M on columns, N streams).
enum class Dataflow { kWeightStationary, kOutputStationary, kInputStationary };

// Whether the next fold's stationary operands shift into shadow registers while the current fold
// streams (double-buffered PEs, as in the TPU), or only after it has drained (serial: the classic
// count of published systolic-array models).
enum class StationaryPreload { kSerial, kDoubleBuffered };

// Operand formats: int4 and int8 (TFLite quantization), IEEE fp16 and fp32, bfloat16. Floats
// accumulate in fp32 (docs/numerics.md).
enum class Precision { kInt4, kInt8, kFp16, kBf16, kFp32 };
bool is_float(Precision precision);

// Bits one operand element occupies in DRAM and SRAM. int4 is packed two per byte.
int element_bits(Precision precision);
// Bytes one operand element occupies; only for formats of whole bytes (a bug to ask for int4's).
int element_bytes(Precision precision);
// Bytes a run of `elements` consecutive elements occupies: packed, rounded up to a whole byte
// (a row of 3 int4 values takes 2 bytes). Exactly elements x element_bytes for whole-byte formats.
int64_t packed_bytes(Precision precision, int64_t elements);
// The precision named `text` ("int4", "int8", ...), or false.
bool parse_precision(const std::string& text, Precision& precision);
const char* to_string(Dataflow dataflow);
const char* to_string(StationaryPreload preload);
const char* to_string(Precision precision);

// What the array does with zero operands (docs/sparsity.md): nothing (none), keeps the MAC from
// toggling so it spends no energy (gating), or does not schedule the work at all, saving cycles
// too (skipping; for the N:M weight patterns the array lists and, if it packs them, unstructured
// zero weights).
enum class SparsitySupport { kNone, kGating, kSkipping };
const char* to_string(SparsitySupport support);

// An N:M structured pattern: at most N nonzeros in every M consecutive weights along the
// reduction axis (the "2:4" of Ampere's sparse tensor cores).
struct NmPattern {
  int n = 0;
  int m = 0;
  bool operator==(const NmPattern& other) const { return n == other.n && m == other.m; }
};
constexpr int kMaxPatternM = 16;
// Parses "N:M" with 1 <= N < M <= kMaxPatternM; returns "" and fills `pattern`, or says what is
// wrong with the text.
std::string parse_nm_pattern(const std::string& text, NmPattern& pattern);

struct ClockConfig {
  double freq_mhz = 1000.0;  // one clock domain for the whole NPU
};

// Sub-word packing: the MACs one PE completes per cycle at each operand precision (an 8-bit
// multiplier split into two 4-bit ones does 2 at int4). Each PE row then covers that many
// reduction elements, so a fold's K reach is rows x this (docs/timing.md, "Sub-word packing").
struct MacsPerPe {
  int int4 = 1;
  int int8 = 1;
  int fp16 = 1;
  int bf16 = 1;
  int fp32 = 1;
};

struct ArrayConfig {
  int rows = 64;  // PE rows: the reduction (K) dimension of a weight-stationary fold
  int cols = 64;  // PE columns: the output-channel (N) dimension of a fold
  Dataflow dataflow = Dataflow::kWeightStationary;
  StationaryPreload stationary_preload = StationaryPreload::kSerial;
  MacsPerPe macs_per_pe_per_cycle;
};
int macs_per_pe_per_cycle(const ArrayConfig& array, Precision precision);

// The largest GEMM block one fold can cover: m output pixels, k reduction elements, n output
// channels. Two of the three are bounded by the array's rows and columns; the third streams
// through time and is unbounded (0 here).
struct FoldLimits {
  int64_t m = 0, k = 0, n = 0;  // 0: unbounded
};
FoldLimits fold_limits(const ArrayConfig& array);

struct PrecisionConfig {
  Precision operand = Precision::kInt8;
  int accumulator_bits = 32;  // width of the partial sums kept in the output buffer
  // Operand precisions the datapath also executes, which a conv2d or dense layer may choose with
  // its own `precision:` (mixed precision, docs/workloads.md). Only int8 and int4 mix.
  std::vector<std::string> other_operands;
};

// One on-chip SRAM buffer. Reads and writes each have a port of bytes_per_cycle, spread evenly
// across the banks.
struct SramBufferConfig {
  int64_t size_kib = 1024;
  int banks = 8;
  int bytes_per_cycle = 64;
};

struct SramConfig {
  SramBufferConfig input;   // activations streamed into the array and vector operands
  SramBufferConfig weight;  // stationary operands (weights) and per-channel parameters
  SramBufferConfig output;  // int32 accumulators and requantized results awaiting store
};

// The memory a DRAM channel is built from. Timing comes from the dram keys alone; the type sets the
// default energy per bit (docs/energy.md).
enum class DramType { kDdr4, kLpddr4, kHbm2, kGddr5 };
const char* to_string(DramType type);

struct DramConfig {
  DramType type = DramType::kLpddr4;
  double bandwidth_gbps = 25.6;  // GB/s = 1e9 bytes per second, shared by all DMA traffic
  double latency_ns = 100.0;     // from request to first data, paid once per DMA transfer
  int access_bytes = 64;         // transfers move whole aligned blocks of this many bytes
};

struct DmaConfig {
  int setup_cycles = 16;  // descriptor decode and address generation, per transfer
};

// How the memory system is timed. An ideal memory (the "perfect memory" bound of architecture
// studies) moves every DMA transfer in 0 cycles and never lets an SRAM port limit or conflict, so
// cycles depend only on the array, the dataflow and the layer shapes; DRAM bytes are still counted
// (docs/timing.md, "Ideal memory").
struct MemoryConfig {
  bool ideal = false;
};

struct ControllerConfig {
  int queue_depth = 64;  // instructions each stream (load, matrix, vector, store) can hold
};

// Cycles one lane spends per element for each vector operation class.
struct VectorOpCycles {
  int requant = 1;  // int32 accumulator -> int8 with bias, multiplier, shift, activation
  int eltwise = 1;  // add, activation functions, scale/shift
  int pool = 1;     // per window element (max or sum)
  int softmax = 4;  // per element: max, exp, sum, divide
};

struct VectorConfig {
  int lanes = 64;
  int pipeline_latency_cycles = 4;  // paid once per vector instruction
  VectorOpCycles op_cycles;
};

// pJ per multiply-accumulate in one PE, one entry per operand precision, at the table's reference
// node (Horowitz, ISSCC 2014, 45 nm; derivations in docs/energy.md). Charged through
// arch/energy_table.h's mac_pj(), the one place that picks the entry.
struct MacEnergyTable {
  double int4 = 0.15;  // 0.2 pJ 8-bit multiply x (4/8)^2 + 0.1 pJ 32-bit add
  double int8 = 0.3;   // 0.2 pJ 8-bit multiply + 0.1 pJ 32-bit add
  double fp16 = 2.0;   // 1.1 pJ fp16 multiply + 0.9 pJ fp32 add (fp32 accumulation)
  double bf16 = 1.5;   // 1.1 pJ x (8/11)^2 = 0.6 pJ multiply + 0.9 pJ fp32 add
  double fp32 = 4.6;   // 3.7 pJ fp32 multiply + 0.9 pJ fp32 add
};

// One buffer's cost per byte; empty (`auto` in YAML) derives it from the buffer's bank capacity and
// word width (arch/energy_table.h, docs/energy.md).
struct SramEnergy {
  std::optional<double> read_pj_per_byte;
  std::optional<double> write_pj_per_byte;
};

struct SramEnergyTable {
  SramEnergy input;
  SramEnergy weight;
  SramEnergy output;
};

// Leakage and clock power of each block, paid for the whole run whether it works or not. Named
// after the blocks' modules (npu.array, npu.input_buffer, ...).
struct StaticPowerTable {
  double array = 40.0;
  double vector = 5.0;
  double input_buffer = 10.0;
  double weight_buffer = 10.0;
  double output_buffer = 10.0;
  double dma = 15.0;
  double controller = 10.0;
};

struct EnergyConfig {
  // Multiplies the logic and SRAM entries (MAC, SRAM, vector) from the reference node to the
  // design's; DRAM energy and static power are not scaled (docs/energy.md says why).
  double tech_scale = 1.0;
  MacEnergyTable mac_pj;
  // The share of a MAC's energy a gated MAC (zero operand) still spends: zero detection, operand
  // and partial-sum registers, clock.
  double gated_mac_fraction = 0.1;
  SramEnergyTable sram;
  std::optional<double> dram_pj_per_bit;  // empty (`auto`): dram.type's published figure
  double vector_op_pj = 0.5;              // one lane processing one element once
  StaticPowerTable static_mw;
};

struct SparsityConfig {
  SparsitySupport support = SparsitySupport::kNone;
  std::vector<std::string> structured_patterns;  // "N:M" weight patterns skipping applies to
  // Index bits stored with each nonzero of a compressed weight tensor (2 for 2:4: which of the 4).
  int metadata_bits_per_nonzero = 0;
  // With support: skipping, whether each PE column also packs its output channel's unstructured
  // nonzero weights (weight_density < 1), so a weight-stationary fold covers more reduction rows,
  // as many as its busiest column fits (docs/sparsity.md, load imbalance).
  bool skip_unstructured_weights = false;
};

struct ArchConfig {
  std::string name;         // defaults to the file's stem
  std::string description;  // free text: what real design this resembles
  ClockConfig clock;
  ArrayConfig array;
  PrecisionConfig precision;
  SramConfig sram;
  DramConfig dram;
  DmaConfig dma;
  MemoryConfig memory;
  ControllerConfig controller;
  VectorConfig vector;
  EnergyConfig energy;
  SparsityConfig sparsity;

  int64_t pes() const { return int64_t{array.rows} * array.cols; }
  // Whether the datapath executes `precision`: the design's operand or one of its other_operands.
  bool supports(Precision precision) const;
  // GB/s over MHz: bytes the DRAM channel moves per NPU clock cycle.
  double dram_bytes_per_cycle() const { return dram.bandwidth_gbps * 1000.0 / clock.freq_mhz; }
};

// The design as a layer at `precision` sees it: the same hardware with that operand format.
ArchConfig with_operand(const ArchConfig& arch, Precision precision);

}  // namespace npu::arch
