#include "sim/modules/systolic_array.h"

#include <algorithm>
#include <cmath>

#include "sim/timing/systolic_timing.h"

namespace npu::sim {

std::ostream& operator<<(std::ostream& out, const ScheduledMatrixOp& op) {
  return out << "matrix op " << op.index << " [" << op.start << ", " << op.end << ")";
}

SystolicArray::SystolicArray(sc_core::sc_module_name name, const arch::ArchConfig& arch,
                             ExecutionContext& context, InstructionQueue& queue,
                             SramBuffers buffers)
    : sc_core::sc_module(name),
      m_arch(arch),
      m_context(context),
      m_queue(queue),
      m_buffers(buffers),
      m_scheduled("scheduled", arch.controller.queue_depth),
      m_double_buffered(arch.array.stationary_preload == arch::StationaryPreload::kDoubleBuffered) {
  SC_THREAD(issue);
  SC_THREAD(retire);
}

uint64_t SystolicArray::add_busy(uint64_t start, uint64_t end) {
  const uint64_t added = end > std::max(start, m_busy_until) ? end - std::max(start, m_busy_until) : 0;
  m_busy_until = std::max(m_busy_until, end);
  m_stats.busy_cycles += added;
  return added;
}

const arch::ArchConfig& SystolicArray::arch_for(arch::Precision precision) {
  if (precision == m_arch.precision.operand) return m_arch;
  auto [at, inserted] = m_arch_at.try_emplace(precision);
  if (inserted) at->second = arch::with_operand(m_arch, precision);
  return at->second;
}

ScheduledMatrixOp SystolicArray::schedule(uint32_t index, const isa::MatrixPreload& preload,
                                          uint64_t now, const arch::ArchConfig& arch) {
  const uint64_t cycles =
      timing::preload_cycles(arch, preload.k_rows, preload.n_cols, preload.compression);
  // Output and input stationary stream this block's weights in the multiplies that follow.
  m_streamed_weights = m_arch.array.dataflow == arch::Dataflow::kWeightStationary
                           ? isa::NmCompression{}
                           : preload.compression;
  ++m_stats.preloads;
  // Output and input stationary stream their weights during the multiply: nothing to place.
  if (cycles == 0) return {index, now, now};
  uint64_t start;
  if (m_double_buffered) {
    // Shadow registers: free once the fold now streaming started (it holds the other set).
    start = std::max({now, m_stationary_free, m_last_stream_start});
    m_stationary_free = start + cycles;
  } else {
    start = std::max({now, m_stream_free, m_stationary_free});
    m_stream_free = m_stationary_free = start + cycles;
  }
  m_stationary_ready = start + cycles;
  m_chain_open = false;
  return {index, start, start + cycles};
}

ScheduledMatrixOp SystolicArray::schedule(uint32_t index, const isa::MatrixMultiply& multiply,
                                          uint64_t now, const arch::ArchConfig& arch) {
  const timing::MultiplyTiming t = timing::multiply_timing(arch, multiply.m_rows, multiply.k_rows,
                                                           multiply.n_cols, m_streamed_weights);
  const uint64_t steps =
      uint64_t{multiply.m_rows} * timing::stream_interval(arch, multiply.m_rows, multiply.k_rows,
                                                          multiply.n_cols, m_streamed_weights);
  // Weight stationary, same weights as the multiply before: the rows keep streaming right behind
  // the previous ones, whose drain this one's fill overlaps (docs/timing.md, chained multiplies).
  if (m_chain_open && m_arch.array.dataflow == arch::Dataflow::kWeightStationary) {
    const uint64_t stream_start = std::max(now, m_steps_free);
    const uint64_t end = stream_start + t.stream;
    m_steps_free = stream_start + steps;
    m_stream_free = std::max(m_stream_free, end);
    if (!m_double_buffered) m_stationary_free = m_stream_free;
    ++m_stats.multiplies;
    return {index, stream_start, end};
  }
  uint64_t start, stream_start, end;
  if (m_double_buffered) {
    // Input stationary: this fold's inputs shift into the shadow registers first.
    uint64_t setup_start = now;
    uint64_t ready = m_stationary_ready;
    if (t.setup > 0) {
      setup_start = std::max({now, m_stationary_free, m_last_stream_start});
      m_stationary_free = setup_start + t.setup;
      ready = std::max(ready, m_stationary_free);
    }
    stream_start = std::max({now, m_stream_free, ready});
    m_stream_free = stream_start + t.stream;
    // Output stationary: the outputs shift out while the next fold streams.
    const uint64_t drain_start = std::max(m_stream_free, m_stationary_free);
    if (t.drain > 0) m_stationary_free = drain_start + t.drain;
    start = t.setup > 0 ? setup_start : stream_start;
    end = t.drain > 0 ? drain_start + t.drain : m_stream_free;
  } else {
    start = std::max({now, m_stream_free, m_stationary_free, m_stationary_ready});
    stream_start = start + t.setup;
    end = start + t.total();
    m_stream_free = m_stationary_free = end;
  }
  m_last_stream_start = stream_start;
  m_steps_free = stream_start + steps;
  m_chain_open = true;
  ++m_stats.multiplies;
  return {index, start, end};
}

void SystolicArray::count_sram(const isa::MatrixPreload& preload, stats::LayerCounters& layer,
                               const arch::ArchConfig& arch) {
  // k rows of n weights, each row whole bytes (packed int4).
  m_buffers[static_cast<int>(preload.weights.buffer)]->read(
      preload.compression.compressed()
          ? isa::nm_block_bytes(preload.k_rows, preload.n_cols, preload.compression,
                                static_cast<uint64_t>(arch::packed_bytes(arch.precision.operand, 1)))
          : uint64_t{preload.k_rows} *
                static_cast<uint64_t>(arch::packed_bytes(arch.precision.operand, preload.n_cols)),
      layer);
}

void SystolicArray::count_sram(const isa::MatrixMultiply& multiply, stats::LayerCounters& layer,
                               const arch::ArchConfig& arch) {
  const uint64_t acc_bytes = 4;  // int32 or fp32 accumulators
  const uint64_t m = multiply.m_rows;
  // Every tap of the streamed matrix is counted as one SRAM read, padding taps included: m steps
  // of k operands (packed int4: k / 2 bytes, rounded up).
  m_buffers[static_cast<int>(multiply.input.buffer)]->read(
      m * static_cast<uint64_t>(arch::packed_bytes(arch.precision.operand, multiply.k_rows)),
      layer);
  SramBuffer& acc = *m_buffers[static_cast<int>(multiply.acc.buffer)];
  acc.write(m * multiply.n_cols * acc_bytes, layer);
  if (multiply.accumulate) acc.read(m * multiply.n_cols * acc_bytes, layer);

  // A skipped layer's PEs hold only the kept weights: k x N/M of the k reduction rows multiply,
  // or, for unstructured zeros, the k x d a column holds on average.
  const uint64_t kept_k = isa::executed_rows(multiply.k_rows, layer.skip_n, layer.skip_m,
                                             layer.skip_rows, layer.skip_density);
  const uint64_t macs = m * kept_k * multiply.n_cols;
  layer.executed_macs += macs;
  layer.skipped_macs += m * (multiply.k_rows - kept_k) * multiply.n_cols;
  // MAC slots offered while streaming: every PE, for every step of the streamed dimension, times
  // the MACs a PE packs per cycle at this precision.
  const uint64_t steps = timing::stream_steps(arch, multiply.m_rows, multiply.k_rows,
                                              multiply.n_cols, m_streamed_weights);
  layer.array_pe_cycles +=
      steps * static_cast<uint64_t>(m_arch.pes()) *
      static_cast<uint64_t>(arch::macs_per_pe_per_cycle(arch.array, arch.precision.operand));
  m_stats.executed_macs += macs;
}

void SystolicArray::issue() {
  for (;;) {
    const uint32_t index = m_queue.read();
    const isa::Instruction& instruction = m_context.program.code[index];
    m_context.scoreboard.wait_for(instruction.deps);
    // SRAM ports (docs/timing.md, "SRAM buffers"): the op starts no earlier than every port it
    // books has room for it; waiting beyond the array's own readiness is an SRAM stall.
    const uint64_t issued = m_context.clock.now_cycles();
    stats::LayerCounters& layer = m_context.layer_of(index);
    const arch::ArchConfig& arch = arch_for(layer.precision.value_or(m_arch.precision.operand));
    const std::vector<timing::SramPortUse> ports =
        timing::matrix_port_use(arch, instruction.payload, m_streamed_weights);
    std::vector<timing::Claim> claims;
    for (const timing::SramPortUse& use : ports) {
      claims.push_back({&m_buffers[static_cast<int>(use.buffer)]->bookings(use.port), use.cycles});
    }
    const uint64_t now = timing::earliest_common(claims, issued);
    const uint64_t array_free = std::max(issued, m_stream_free);
    ScheduledMatrixOp op;
    if (const auto* preload = std::get_if<isa::MatrixPreload>(&instruction.payload)) {
      count_sram(*preload, layer, arch);
      op = schedule(index, *preload, now, arch);
    } else if (const auto* multiply = std::get_if<isa::MatrixMultiply>(&instruction.payload)) {
      count_sram(*multiply, layer, arch);
      op = schedule(index, *multiply, now, arch);
    } else {
      SC_REPORT_FATAL("npusim/array", "non-matrix instruction in the matrix queue");
    }
    // The array's own schedule may start the op after the window it was granted; its ports are
    // then booked from the first room at or after its start.
    for (const timing::SramPortUse& use : ports) {
      m_buffers[static_cast<int>(use.buffer)]->bookings(use.port).book_from(op.start, use.cycles);
    }
    if (now > array_free) {
      layer.sram_wait_cycles += now - array_free;
      m_context.record(index, stats::Activity::kSramStall, array_free, now);
    }
    m_scheduled.write(op);
  }
}

void SystolicArray::retire() {
  uint64_t last_end = 0;
  for (;;) {
    const ScheduledMatrixOp op = m_scheduled.read();
    // Completion is signalled in program order; the op's own busy interval is unchanged.
    last_end = std::max(op.end, last_end);
    m_context.clock.wait_until(last_end);
    stats::LayerCounters& layer = m_context.layer_of(op.index);
    layer.matrix_busy_cycles += add_busy(op.start, op.end);
    m_context.record(op.index, stats::Activity::kArray, op.start, op.end);
    m_context.record_span(op.index, op.start, op.end);
    m_context.scoreboard.complete(op.index);
  }
}

}  // namespace npu::sim
