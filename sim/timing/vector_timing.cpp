#include "sim/timing/vector_timing.h"

#include <algorithm>

#include "isa/accesses.h"
#include "sim/timing/dram_timing.h"

namespace npu::timing {
namespace {

int op_class_cycles(const arch::VectorOpCycles& table, isa::VectorOp op) {
  switch (op) {
    case isa::VectorOp::kRequant:
      return table.requant;
    case isa::VectorOp::kAdd:
    case isa::VectorOp::kActivation:
    case isa::VectorOp::kScaleShift:
    case isa::VectorOp::kCopy:
      return table.eltwise;
    case isa::VectorOp::kMaxPool:
    case isa::VectorOp::kAvgPool:
    case isa::VectorOp::kGlobalAvgPool:
      return table.pool;
    // Layer norm costs what softmax does: per element a subtract, a square-accumulate and a
    // multiply-add in float32, plus a per-row reduction and reciprocal square root, the same
    // class of float work as softmax's exp, sum and divide (no op class of its own).
    case isa::VectorOp::kSoftmax:
    case isa::VectorOp::kLayerNorm:
      return table.softmax;
  }
  return 1;
}

const arch::SramBufferConfig& buffer_config(const arch::ArchConfig& arch, isa::Buffer buffer) {
  switch (buffer) {
    case isa::Buffer::kInput:
      return arch.sram.input;
    case isa::Buffer::kWeight:
      return arch.sram.weight;
    case isa::Buffer::kOutput:
      return arch.sram.output;
  }
  return arch.sram.input;
}

}  // namespace

uint64_t vector_element_ops(const isa::VectorInstr& instr) {
  uint64_t elements = uint64_t{instr.rows} * instr.cols;
  if (instr.op == isa::VectorOp::kMaxPool || instr.op == isa::VectorOp::kAvgPool) {
    return elements * instr.window.kernel_h * instr.window.kernel_w;
  }
  return elements;
}

SramTraffic vector_sram_traffic(const isa::VectorInstr& instr) {
  SramTraffic traffic;
  const uint64_t elements = uint64_t{instr.rows} * instr.cols;
  auto read = [&](const isa::SramAddr& at, uint64_t bytes) {
    traffic.read_bytes[static_cast<int>(at.buffer)] += bytes;
  };
  // Windowed pooling reads every tap; everything else reads each source element once. Only add
  // has a second operand; the parameter block is read once per instruction.
  const uint64_t src_bytes = isa::element_bytes(instr.src_type);
  read(instr.src0, vector_element_ops(instr) * src_bytes);
  if (instr.op == isa::VectorOp::kAdd && instr.has_src1) read(instr.src1, elements * src_bytes);
  if (instr.has_params) read(instr.params, isa::params_bytes(instr));
  const uint64_t written = instr.op == isa::VectorOp::kGlobalAvgPool ? instr.cols : elements;
  traffic.write_bytes[static_cast<int>(instr.dst.buffer)] +=
      written * isa::element_bytes(instr.dst_type);
  return traffic;
}

uint64_t sram_port_cycles(const arch::ArchConfig& arch, isa::Buffer buffer, uint64_t bytes) {
  return ceil_div(bytes, buffer_config(arch, buffer).bytes_per_cycle);
}

uint64_t vector_cycles(const arch::ArchConfig& arch, const isa::VectorInstr& instr) {
  const uint64_t ops = vector_element_ops(instr);
  if (ops == 0) return 0;
  uint64_t busy = ceil_div(ops, arch.vector.lanes) * op_class_cycles(arch.vector.op_cycles, instr.op);
  const SramTraffic traffic = vector_sram_traffic(instr);
  for (int b = 0; b < isa::kBufferCount; ++b) {
    auto buffer = static_cast<isa::Buffer>(b);
    busy = std::max(busy, sram_port_cycles(arch, buffer, traffic.read_bytes[b]));
    busy = std::max(busy, sram_port_cycles(arch, buffer, traffic.write_bytes[b]));
  }
  return arch.vector.pipeline_latency_cycles + busy;
}

}  // namespace npu::timing
