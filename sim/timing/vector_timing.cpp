#include "sim/timing/vector_timing.h"

#include <algorithm>
#include <utility>

#include "isa/accesses.h"
#include "sim/timing/dram_timing.h"

namespace npu::timing {
namespace {

int op_class_cycles(const arch::VectorOpCycles& table, isa::VectorOp op) {
  switch (op) {
    case isa::VectorOp::kRequant:
      return table.requant;
    // A product, like a sum, is one multiply-and-rescale per element; a transpose moves each
    // element once, as a copy does.
    case isa::VectorOp::kAdd:
    case isa::VectorOp::kMul:
    case isa::VectorOp::kActivation:
    case isa::VectorOp::kScaleShift:
    case isa::VectorOp::kCopy:
    case isa::VectorOp::kTranspose:
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

bool reads_src1(const isa::VectorInstr& instr) {
  return (instr.op == isa::VectorOp::kAdd || instr.op == isa::VectorOp::kMul) && instr.has_src1;
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
  // and mul have a second operand; the parameter block is read once per instruction.
  // Packed int4 elements count half a byte each.
  read(instr.src0, isa::packed_bytes(instr.src_type, vector_element_ops(instr)));
  if (reads_src1(instr)) read(instr.src1, isa::packed_bytes(instr.src_type, elements));
  if (instr.has_params) read(instr.params, isa::params_bytes(instr));
  const uint64_t written = instr.op == isa::VectorOp::kGlobalAvgPool ? instr.cols : elements;
  traffic.write_bytes[static_cast<int>(instr.dst.buffer)] +=
      isa::packed_bytes(instr.dst_type, written);
  return traffic;
}

SramBlocks vector_sram_blocks(const isa::VectorInstr& instr) {
  SramBlocks blocks;
  if (instr.rows == 0 || instr.cols == 0) return blocks;
  // Rows of packed int4 start on a byte (isa::packed_bytes).
  auto src_bytes = [&](uint64_t elements) { return isa::packed_bytes(instr.src_type, elements); };
  auto dst_bytes = [&](uint64_t elements) { return isa::packed_bytes(instr.dst_type, elements); };
  auto read = [&](const isa::SramAddr& at, uint64_t rows, uint64_t row_bytes, uint64_t stride) {
    blocks.reads[static_cast<int>(at.buffer)].push_back({at.offset, rows, row_bytes, stride});
  };
  // An operand matrix: rows x cols elements, rows `stride` elements apart.
  const uint64_t src_row = src_bytes(instr.cols);
  const uint64_t src_stride = src_bytes(instr.src_row_stride);
  if (instr.op == isa::VectorOp::kMaxPool || instr.op == isa::VectorOp::kAvgPool) {
    // The unit reads each patch row once and forms every window from it.
    const uint64_t patch_row = uint64_t{instr.window.image_w} * src_bytes(instr.window.patch_c);
    read(instr.src0, instr.window.patch_h, patch_row, patch_row);
  } else {
    read(instr.src0, instr.rows, src_row, src_stride);
  }
  if (reads_src1(instr)) read(instr.src1, instr.rows, src_row, src_stride);
  const uint64_t params = instr.has_params ? isa::params_bytes(instr) : 0;
  if (params > 0) read(instr.params, 1, params, params);
  // The result: rows x cols; one row for global pooling; cols rows of rows for a transpose.
  uint64_t dst_rows = instr.rows;
  uint64_t dst_cols = instr.cols;
  if (instr.op == isa::VectorOp::kGlobalAvgPool) dst_rows = 1;
  if (instr.op == isa::VectorOp::kTranspose) std::swap(dst_rows, dst_cols);
  blocks.writes[static_cast<int>(instr.dst.buffer)].push_back(
      {instr.dst.offset, dst_rows, dst_bytes(dst_cols), dst_bytes(instr.dst_row_stride)});
  return blocks;
}

SramPortCycles vector_port_cycles(const arch::ArchConfig& arch, const isa::VectorInstr& instr) {
  SramPortCycles ports;
  const SramBlocks blocks = vector_sram_blocks(instr);
  for (int b = 0; b < isa::kBufferCount; ++b) {
    const auto buffer = static_cast<isa::Buffer>(b);
    ports.read[b] = sram_port_cycles(arch, buffer, blocks.reads[b]);
    ports.write[b] = sram_port_cycles(arch, buffer, blocks.writes[b]);
  }
  return ports;
}

uint64_t vector_cycles(const arch::ArchConfig& arch, const isa::VectorInstr& instr) {
  const uint64_t ops = vector_element_ops(instr);
  if (ops == 0) return 0;
  uint64_t busy =
      ceil_div(ops, arch.vector.lanes) * op_class_cycles(arch.vector.op_cycles, instr.op);
  const SramPortCycles ports = vector_port_cycles(arch, instr);
  for (int b = 0; b < isa::kBufferCount; ++b) {
    busy = std::max({busy, ports.read[b], ports.write[b]});
  }
  return arch.vector.pipeline_latency_cycles + busy;
}

}  // namespace npu::timing
