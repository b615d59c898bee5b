#include "sim/stats/trace_json.h"

#include <nlohmann/json.hpp>

#include "isa/asm_printer.h"

namespace npu::stats {
namespace {

// A track per unit, in the order a reader follows data through the NPU.
int track_of(const TraceEvent& event, const isa::Program& program) {
  if (event.activity == Activity::kSramStall) return 5;
  switch (isa::stream_of(program.code[event.instruction])) {
    case isa::Stream::kLoad: return 1;
    case isa::Stream::kMatrix: return 2;
    case isa::Stream::kVector: return 3;
    case isa::Stream::kStore: return 4;
  }
  return 0;
}

const char* track_name(int track) {
  switch (track) {
    case 1: return "DMA load";
    case 2: return "systolic array";
    case 3: return "vector unit";
    case 4: return "DMA store";
    case 5: return "SRAM port stalls";
  }
  return "?";
}

}  // namespace

void write_trace_json(std::ostream& out, const RunCounters& counters, const isa::Program& program,
                      double freq_mhz) {
  using Json = nlohmann::ordered_json;
  Json events = Json::array();
  for (int track = 1; track <= 5; ++track) {
    events.push_back({{"name", "thread_name"}, {"ph", "M"}, {"pid", 0}, {"tid", track},
                      {"args", {{"name", track_name(track)}}}});
  }
  for (const TraceEvent& event : counters.trace) {
    const isa::Instruction& instruction = program.code[event.instruction];
    const std::string& layer = program.layers[instruction.layer].name;
    const bool stall = event.activity == Activity::kSramStall;
    events.push_back({{"name", stall ? "wait for port" : isa::mnemonic(instruction.payload)},
                      {"cat", layer},
                      {"ph", "X"},
                      {"ts", static_cast<double>(event.start) / freq_mhz},
                      {"dur", static_cast<double>(event.end - event.start) / freq_mhz},
                      {"pid", 0},
                      {"tid", track_of(event, program)},
                      {"args",
                       {{"instruction", event.instruction},
                        {"layer", layer},
                        {"cycles", event.end - event.start},
                        {"start_cycle", event.start}}}});
  }
  Json document{{"displayTimeUnit", "ns"}, {"traceEvents", std::move(events)}};
  out << document.dump() << '\n';
}

}  // namespace npu::stats
