#include "compiler/dependencies.h"

#include <algorithm>
#include <array>
#include <iterator>
#include <map>

#include "isa/accesses.h"

namespace npu::compiler {
namespace {

constexpr int64_t kNone = -1;
using LatestPerStream = std::array<int64_t, isa::kStreamCount>;

// Last writer and last reader per stream of each byte range of one address space. Ranges are kept
// disjoint; bytes no instruction has touched have no entry.
class RegionTracker {
 public:
  void read(uint64_t begin, uint64_t end, uint32_t instruction, isa::Stream stream,
            LatestPerStream& deps) {
    if (begin >= end) return;
    split_at(begin);
    split_at(end);
    fill_gaps(begin, end);
    for (auto it = m_ranges.lower_bound(begin); it != m_ranges.end() && it->first < end; ++it) {
      note(it->second.writer, deps);
      it->second.readers[static_cast<int>(stream)] = instruction;
    }
  }

  void write(uint64_t begin, uint64_t end, uint32_t instruction, LatestPerStream& deps) {
    if (begin >= end) return;
    split_at(begin);
    split_at(end);
    auto first = m_ranges.lower_bound(begin);
    auto last = first;
    for (; last != m_ranges.end() && last->first < end; ++last) {
      note(last->second.writer, deps);
      for (int64_t reader : last->second.readers) note(reader, deps);
    }
    m_ranges.erase(first, last);
    Range written;
    written.end = end;
    written.writer = instruction;
    m_ranges.emplace(begin, written);
  }

  void set_streams(const std::vector<isa::Stream>* streams) { m_streams = streams; }

 private:
  struct Range {
    uint64_t end = 0;
    int64_t writer = kNone;
    LatestPerStream readers{kNone, kNone, kNone, kNone};
  };

  void note(int64_t instruction, LatestPerStream& deps) const {
    if (instruction == kNone) return;
    int64_t& latest = deps[static_cast<int>((*m_streams)[instruction])];
    latest = std::max(latest, instruction);
  }

  // Ensures no range straddles `at`.
  void split_at(uint64_t at) {
    auto it = m_ranges.upper_bound(at);
    if (it == m_ranges.begin()) return;
    --it;
    if (it->first < at && it->second.end > at) {
      Range tail = it->second;
      it->second.end = at;
      m_ranges.emplace(at, tail);
    }
  }

  // Adds empty ranges for untouched bytes in [begin, end), so that readers are recorded there.
  void fill_gaps(uint64_t begin, uint64_t end) {
    uint64_t cursor = begin;
    auto it = m_ranges.lower_bound(begin);
    while (cursor < end) {
      const uint64_t next = (it == m_ranges.end()) ? end : std::min(it->first, end);
      if (cursor < next) {
        Range gap;
        gap.end = next;
        m_ranges.emplace_hint(it, cursor, gap);
      }
      if (it == m_ranges.end() || it->first >= end) break;
      cursor = it->second.end;
      ++it;
    }
  }

  std::map<uint64_t, Range> m_ranges;
  const std::vector<isa::Stream>* m_streams = nullptr;
};

// The DRAM bytes a transfer spans, gaps of its stride included.
std::pair<uint64_t, uint64_t> dram_span(uint64_t addr, uint64_t rows, uint64_t row_bytes,
                                        uint64_t stride) {
  if (rows == 0 || row_bytes == 0) return {addr, addr};
  return {addr, addr + (rows - 1) * stride + row_bytes};
}

}  // namespace

void add_dependencies(isa::Program& program) {
  std::vector<isa::Stream> streams;
  streams.reserve(program.code.size());
  for (const isa::Instruction& instruction : program.code) streams.push_back(isa::stream_of(instruction));

  std::array<RegionTracker, isa::kBufferCount> sram;
  RegionTracker dram;
  for (RegionTracker& tracker : sram) tracker.set_streams(&streams);
  dram.set_streams(&streams);

  uint32_t current_layer = program.code.empty() ? 0 : program.code[0].layer;
  LatestPerStream layer_last{kNone, kNone, kNone, kNone};
  LatestPerStream previous_layer_last{kNone, kNone, kNone, kNone};
  std::array<bool, isa::kStreamCount> barrier_pending{};
  for (uint32_t index = 0; index < program.code.size(); ++index) {
    isa::Instruction& instruction = program.code[index];
    const isa::Stream stream = streams[index];
    LatestPerStream latest{kNone, kNone, kNone, kNone};

    const isa::Accesses accesses = isa::sram_accesses(instruction, program.operand_type_of(instruction.layer));
    for (const isa::SramRegion& region : accesses.reads) {
      sram[static_cast<int>(region.buffer)].read(region.begin, region.end, index, stream, latest);
    }
    if (const auto* load = std::get_if<isa::DmaLoad>(&instruction.payload)) {
      auto [begin, end] = dram_span(load->dram_addr, load->rows, load->row_bytes, load->dram_stride);
      dram.read(begin, end, index, stream, latest);
    }
    for (const isa::SramRegion& region : accesses.writes) {
      sram[static_cast<int>(region.buffer)].write(region.begin, region.end, index, latest);
    }
    if (const auto* store = std::get_if<isa::DmaStore>(&instruction.payload)) {
      auto [begin, end] =
          dram_span(store->dram_addr, store->rows, store->row_bytes, store->dram_stride);
      dram.write(begin, end, index, latest);
    }

    // Layer barrier: the first instruction of each stream in a layer waits for everything of the
    // previous layer (its last instruction in every other stream; streams complete in order).
    if (index > 0 && instruction.layer != current_layer) {
      previous_layer_last = layer_last;
      layer_last = {kNone, kNone, kNone, kNone};
      barrier_pending = {true, true, true, true};
      current_layer = instruction.layer;
    }
    if (barrier_pending[static_cast<int>(stream)]) {
      for (int s = 0; s < isa::kStreamCount; ++s) latest[s] = std::max(latest[s], previous_layer_last[s]);
      barrier_pending[static_cast<int>(stream)] = false;
    }
    layer_last[static_cast<int>(stream)] = index;

    instruction.deps.clear();
    for (int s = 0; s < isa::kStreamCount; ++s) {
      if (s != static_cast<int>(stream) && latest[s] != kNone) {
        instruction.deps.push_back(static_cast<uint32_t>(latest[s]));
      }
    }
    std::sort(instruction.deps.begin(), instruction.deps.end());
  }
}

}  // namespace npu::compiler
