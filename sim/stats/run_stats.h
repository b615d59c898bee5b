#pragma once
// What one simulation measured: raw event counts and times per layer, nothing derived.
// Derived metrics (utilization, energy, bound, TOPS) are computed at report time
// (sim/stats/report.h) from these counts and the arch config.

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "arch/arch_config.h"

namespace npu::stats {

struct LayerCounters {
  // Identity, copied from the program's LayerInfo.
  std::string name;
  std::string op;
  std::vector<int64_t> output_shape;
  int64_t macs = 0;
  int64_t zero_operand_macs = 0;  // of macs, those with a zero operand (declared sparsity)
  uint32_t skip_n = 0, skip_m = 0;  // the N:M weight pattern the array skips; 0 when none
  // Unstructured weights the array skips: reduction rows per fold and weight density; 0 when none.
  uint32_t skip_rows = 0;
  double skip_density = 0.0;
  // The layer's own operand precision when it differs from the design's (mixed precision);
  // unset, its matrix work runs at precision.operand.
  std::optional<arch::Precision> precision;
  int64_t params = 0;
  std::string mapping;

  // Time. A layer's cycles run from the completion of everything before it in program order to its
  // own last completion, so the layers' cycles add up exactly to the run's total.
  uint64_t first_issue_cycle = 0;
  uint64_t end_cycle = 0;
  uint64_t cycles = 0;

  // Busy time of each resource on this layer's instructions.
  uint64_t matrix_busy_cycles = 0;
  uint64_t vector_busy_cycles = 0;
  uint64_t dram_busy_cycles = 0;  // occupancy of the shared DRAM channel
  uint64_t dma_load_busy_cycles = 0;
  uint64_t dma_store_busy_cycles = 0;
  // Time this layer's instructions waited for an SRAM port booked by another unit, summed over
  // instructions (each wait is also an Activity::kSramStall interval).
  uint64_t sram_wait_cycles = 0;

  // Events.
  uint64_t executed_macs = 0;   // operand pairs the array multiplied (includes padding taps)
  uint64_t skipped_macs = 0;    // dense-equivalent MACs of zero weights the array did not schedule
  uint64_t array_pe_cycles = 0; // PE slots offered while streaming: folds x rows x cols x m_rows
  uint64_t dram_read_bytes = 0;   // bytes moved over the DRAM bus, in whole access blocks
  uint64_t dram_write_bytes = 0;
  // The data those transfers carried (rows x row bytes, read and write): the rest of the bus bytes
  // are the parts of access blocks that strided or misaligned runs touch but do not use.
  uint64_t dram_payload_bytes = 0;
  std::array<uint64_t, 3> sram_read_bytes{};   // per isa::Buffer
  std::array<uint64_t, 3> sram_write_bytes{};
  uint64_t vector_element_ops = 0;  // lane-element operations
  uint64_t instructions = 0;
};

// What a unit was doing over an interval of a layer's time, recorded by the SystemC modules so that
// a layer's cycles can be split into compute and the kinds of waiting (sim/stats/stall_breakdown.h).
enum class Activity : uint8_t {
  kArray,      // the systolic array preloading or streaming
  kVector,     // the vector unit executing
  kDma,        // a DMA transfer from issue to done (channel wait, occupancy, latency)
  kSramStall,  // an instruction held back by a busy SRAM port
};
constexpr int kActivityCount = 4;

struct Interval {
  uint64_t start = 0;
  uint64_t end = 0;
};

struct LayerTimeline {
  std::array<std::vector<Interval>, kActivityCount> intervals;
};

// One busy interval of one instruction, for the timeline trace (sim/stats/trace_json.h).
struct TraceEvent {
  uint32_t instruction = 0;
  Activity activity = Activity::kArray;
  uint64_t start = 0;
  uint64_t end = 0;
};

// One counter of one hardware module, named by the module's path in the SystemC hierarchy
// ("npu.dram") so the stats tree mirrors the model.
struct ModuleCounter {
  std::string module;
  std::string name;
  uint64_t value = 0;
  std::string unit;
  std::string description;
};

struct RunCounters {
  std::vector<LayerCounters> layers;
  std::vector<LayerTimeline> timelines;  // per layer, what each unit did when
  std::vector<TraceEvent> trace;         // every interval, when tracing was asked for
  std::vector<ModuleCounter> modules;  // whole-run totals per module, in hierarchy order
  uint64_t total_cycles = 0;
};

}  // namespace npu::stats
