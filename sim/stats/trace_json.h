#pragma once
// The run as a timeline: a Chrome trace-event JSON file (open it in https://ui.perfetto.dev or
// chrome://tracing) with one track per unit (DMA loads, the array, the vector unit, DMA stores, SRAM
// stalls) and one span per instruction, named by its mnemonic and layer. Times are microseconds at
// the design's clock; each span's args give its instruction index and cycles.

#include <ostream>

#include "isa/program.h"
#include "sim/stats/run_stats.h"

namespace npu::stats {

void write_trace_json(std::ostream& out, const RunCounters& counters, const isa::Program& program,
                      double freq_mhz);

}  // namespace npu::stats
