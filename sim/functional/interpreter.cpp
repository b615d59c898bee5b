#include "sim/functional/interpreter.h"

#include <algorithm>
#include <cstring>
#include <sstream>

#include "isa/asm_printer.h"
#include "sim/functional/vector_semantics.h"
#include "sim/timing/dram_timing.h"

namespace npu::functional {

Interpreter::Interpreter(const arch::ArchConfig& arch, const isa::Program& program,
                         MemoryImage& dram)
    : m_arch(arch),
      m_program(program),
      m_dram(dram),
      m_sram{MemoryImage("the input buffer", static_cast<uint64_t>(arch.sram.input.size_kib) * 1024),
             MemoryImage("the weight buffer", static_cast<uint64_t>(arch.sram.weight.size_kib) * 1024),
             MemoryImage("the output buffer", static_cast<uint64_t>(arch.sram.output.size_kib) * 1024)},
      m_operand_bytes(arch::element_bytes(arch.precision.operand)),
      m_pe_weights(static_cast<size_t>(arch.pes()), 0) {
  m_counts.layer_executed_macs.assign(program.layers.size(), 0);
}

void Interpreter::run() {
  for (m_current = 0; m_current < m_program.code.size(); ++m_current) {
    std::visit([this](const auto& op) { execute(op); }, m_program.code[m_current].payload);
  }
}

void Interpreter::fail(const std::string& what) const {
  const isa::Instruction& instruction = m_program.code[m_current];
  std::string layer = instruction.layer < m_program.layers.size()
                          ? m_program.layers[instruction.layer].name
                          : "#" + std::to_string(instruction.layer);
  throw ProgramError("instruction " + std::to_string(m_current) + " (" +
                     isa::mnemonic(instruction.payload) + ", layer '" + layer + "') " + what);
}

void Interpreter::require_read(MemoryImage& memory, uint64_t addr, uint64_t length,
                               const char* what) {
  const std::string problem = memory.check_read(addr, length);
  if (!problem.empty()) fail(std::string(what) + ": " + problem);
}

void Interpreter::require_write(MemoryImage& memory, uint64_t addr, uint64_t length,
                                const char* what) {
  const std::string problem = memory.check_write(addr, length);
  if (!problem.empty()) fail(std::string(what) + ": " + problem);
}

void Interpreter::execute(const isa::DmaLoad& load) {
  MemoryImage& buffer = sram(load.sram.buffer);
  for (uint64_t r = 0; r < load.rows; ++r) {
    const uint64_t from = load.dram_addr + r * load.dram_stride;
    const uint64_t to = load.sram.offset + r * load.sram_stride;
    require_read(m_dram, from, load.row_bytes, "source");
    require_write(buffer, to, load.row_bytes, "destination");
    buffer.write(to, m_dram.data() + from, load.row_bytes);
  }
  const uint64_t bytes = uint64_t{load.rows} * load.row_bytes;
  m_counts.dma_load_bytes += bytes;
  m_counts.dram_read_bus_bytes += timing::dram_bus_bytes(
      {load.dram_addr, load.rows, load.row_bytes, load.dram_stride},
      static_cast<uint64_t>(m_arch.dram.access_bytes));
}

void Interpreter::execute(const isa::DmaStore& store) {
  MemoryImage& buffer = sram(store.sram.buffer);
  for (uint64_t r = 0; r < store.rows; ++r) {
    const uint64_t from = store.sram.offset + r * store.sram_stride;
    const uint64_t to = store.dram_addr + r * store.dram_stride;
    require_read(buffer, from, store.row_bytes, "source");
    require_write(m_dram, to, store.row_bytes, "destination");
    m_dram.write(to, buffer.data() + from, store.row_bytes);
  }
  m_counts.dma_store_bytes += uint64_t{store.rows} * store.row_bytes;
  m_counts.dram_write_bus_bytes += timing::dram_bus_bytes(
      {store.dram_addr, store.rows, store.row_bytes, store.dram_stride},
      static_cast<uint64_t>(m_arch.dram.access_bytes));
}

void Interpreter::execute(const isa::MatrixPreload& preload) {
  const uint32_t rows = static_cast<uint32_t>(m_arch.array.rows);
  const uint32_t cols = static_cast<uint32_t>(m_arch.array.cols);
  if (preload.k_rows > rows || preload.n_cols > cols) {
    fail("places a " + std::to_string(preload.k_rows) + "x" + std::to_string(preload.n_cols) +
         " block in a " + std::to_string(rows) + "x" + std::to_string(cols) + " array");
  }
  MemoryImage& buffer = sram(preload.weights.buffer);
  std::fill(m_pe_weights.begin(), m_pe_weights.end(), 0);
  for (uint32_t k = 0; k < preload.k_rows; ++k) {
    const uint64_t from =
        preload.weights.offset + uint64_t{k} * preload.row_stride * m_operand_bytes;
    require_read(buffer, from, uint64_t{preload.n_cols} * m_operand_bytes, "weights");
    std::memcpy(&m_pe_weights[static_cast<size_t>(k) * cols], buffer.data() + from, preload.n_cols);
  }
  m_pe_k_rows = preload.k_rows;
  m_pe_n_cols = preload.n_cols;
}

void Interpreter::execute(const isa::MatrixMultiply& mm) {
  const isa::ConvWindow& w = mm.window;
  if (mm.k_rows > m_pe_k_rows || mm.n_cols > m_pe_n_cols) {
    fail("streams " + std::to_string(mm.k_rows) + " rows into " + std::to_string(mm.n_cols) +
         " columns but the last preload placed " + std::to_string(m_pe_k_rows) + "x" +
         std::to_string(m_pe_n_cols));
  }
  if (w.patch_c == 0 || w.out_w == 0 || w.kernel_w == 0) fail("has an empty conv window");
  const size_t cols = static_cast<size_t>(m_arch.array.cols);
  MemoryImage& input = sram(mm.input.buffer);
  MemoryImage& acc_buffer = sram(mm.acc.buffer);

  // Kernel tap and channel of each streamed column k (the same for every row).
  std::vector<int32_t> tap_row(mm.k_rows), tap_col(mm.k_rows), tap_channel(mm.k_rows);
  for (uint32_t k = 0; k < mm.k_rows; ++k) {
    const uint32_t kk = mm.k_begin + k;
    const uint32_t tap = kk / w.patch_c;
    tap_channel[k] = static_cast<int32_t>(kk % w.patch_c);
    tap_col[k] = static_cast<int32_t>(tap % w.kernel_w);
    tap_row[k] = static_cast<int32_t>(tap / w.kernel_w);
    if (tap_row[k] >= w.kernel_h) fail("streams column " + std::to_string(kk) + " past the kernel");
  }

  std::vector<int8_t> x(mm.k_rows);
  std::vector<int32_t> acc(mm.n_cols);
  for (uint32_t m = 0; m < mm.m_rows; ++m) {
    const int64_t oh = int64_t{w.out_row0} + m / w.out_w;
    const int64_t ow = m % w.out_w;
    for (uint32_t k = 0; k < mm.k_rows; ++k) {
      const int64_t ih = oh * w.stride_h - w.pad_top + int64_t{tap_row[k]} * w.dilation_h;
      const int64_t iw = ow * w.stride_w - w.pad_left + int64_t{tap_col[k]} * w.dilation_w;
      if (ih < 0 || ih >= w.image_h || iw < 0 || iw >= w.image_w) {
        x[k] = static_cast<int8_t>(w.pad_value);
        continue;
      }
      const int64_t patch_row = ih - w.patch_row0;
      if (patch_row < 0 || patch_row >= w.patch_h) {
        fail("needs image row " + std::to_string(ih) + " outside its patch of rows [" +
             std::to_string(w.patch_row0) + ", " + std::to_string(w.patch_row0 + w.patch_h) + ")");
      }
      const uint64_t addr = mm.input.offset +
                            static_cast<uint64_t>((patch_row * w.image_w + iw) * w.patch_c +
                                                  tap_channel[k]) * m_operand_bytes;
      if (addr >= input.size() || !input.written(addr)) require_read(input, addr, 1, "input");
      x[k] = static_cast<int8_t>(input.data()[addr]);
    }

    const uint64_t acc_addr = mm.acc.offset + uint64_t{m} * mm.acc_row_stride * 4;
    const uint64_t acc_bytes = uint64_t{mm.n_cols} * 4;
    require_write(acc_buffer, acc_addr, acc_bytes, "accumulators");
    if (mm.accumulate) {
      require_read(acc_buffer, acc_addr, acc_bytes, "accumulators");
      acc_buffer.read(acc_addr, acc.data(), acc_bytes);
    } else {
      std::fill(acc.begin(), acc.end(), 0);
    }
    for (uint32_t k = 0; k < mm.k_rows; ++k) {
      const int32_t xv = x[k];
      if (xv == 0) continue;
      const int8_t* weights = &m_pe_weights[k * cols];
      for (uint32_t n = 0; n < mm.n_cols; ++n) acc[n] += xv * int32_t{weights[n]};
    }
    acc_buffer.write(acc_addr, acc.data(), acc_bytes);
  }
  const uint64_t macs = uint64_t{mm.m_rows} * mm.k_rows * mm.n_cols;
  m_counts.executed_macs += macs;
  m_counts.layer_executed_macs[m_program.code[m_current].layer] += macs;
}

void Interpreter::execute(const isa::VectorInstr& vector) {
  VectorSemantics(*this, vector).run();
}

}  // namespace npu::functional
