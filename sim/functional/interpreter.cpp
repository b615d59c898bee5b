#include "sim/functional/interpreter.h"

#include <algorithm>
#include <cstring>
#include <sstream>
#include <type_traits>

#include "isa/asm_printer.h"
#include "sim/functional/element_codec.h"
#include "sim/functional/packed_integers.h"
#include "sim/functional/vector_semantics.h"
#include "sim/timing/dram_timing.h"
#include "sim/timing/operand_precision.h"

namespace npu::functional {
namespace {

// `width` bits starting at bit `first` of a little-endian bit string (isa/nm_compression.h).
uint64_t read_bits(const uint8_t* bytes, uint64_t first, uint32_t width) {
  uint64_t value = 0;
  for (uint32_t b = 0; b < width; ++b) {
    const uint64_t bit = first + b;
    value |= uint64_t{(bytes[bit / 8] >> (bit % 8)) & 1u} << b;
  }
  return value;
}

}  // namespace

Interpreter::Interpreter(const arch::ArchConfig& arch, const isa::Program& program,
                         MemoryImage& dram)
    : m_arch(arch),
      m_program(program),
      m_dram(dram),
      m_sram{
          MemoryImage("the input buffer", static_cast<uint64_t>(arch.sram.input.size_kib) * 1024),
          MemoryImage("the weight buffer", static_cast<uint64_t>(arch.sram.weight.size_kib) * 1024),
          MemoryImage("the output buffer",
                      static_cast<uint64_t>(arch.sram.output.size_kib) * 1024)},
      m_float(isa::is_float(program.operand_type)),
      m_pe_weights(),
      m_pe_float_weights() {
  m_counts.layer_executed_macs.assign(program.layers.size(), 0);
  m_counts.layer_input_operands.assign(program.layers.size(), 0);
  m_counts.layer_zero_input_operands.assign(program.layers.size(), 0);
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

isa::ElementType Interpreter::layer_operand_type() const {
  return m_program.operand_type_of(m_program.code[m_current].layer);
}

arch::ArrayConfig Interpreter::layer_array() const {
  arch::ArrayConfig array = m_arch.array;
  array.rows *= arch::macs_per_pe_per_cycle(m_arch.array, timing::operand_precision(layer_operand_type()));
  return array;
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
  arch::FoldLimits limits = arch::fold_limits(layer_array());
  // A skipped layer's PE rows hold one kept weight of every M/N reduction rows (docs/sparsity.md).
  const isa::LayerInfo& info = m_program.layers[m_program.code[m_current].layer];
  if (info.skip_m != 0 && limits.k > 0) limits.k = limits.k / info.skip_n * info.skip_m;
  // An unstructured-skipped layer's columns pack their nonzeros: skip_rows reduction rows a fold.
  if (info.skip_rows != 0 && limits.k > 0) limits.k = info.skip_rows;
  if ((limits.k > 0 && preload.k_rows > limits.k) || (limits.n > 0 && preload.n_cols > limits.n)) {
    fail("stages a " + std::to_string(preload.k_rows) + "x" + std::to_string(preload.n_cols) +
         " weight block, more than a " + arch::to_string(m_arch.array.dataflow) + " fold of a " +
         std::to_string(m_arch.array.rows) + "x" + std::to_string(m_arch.array.cols) +
         " array can use");
  }
  // The block, row-major k_rows x n_cols: stored as it is, or compressed (the kept rows, then
  // the indices that place each kept value back on its reduction row).
  const size_t cols = preload.n_cols;
  MemoryImage& buffer = sram(preload.weights.buffer);
  m_pe_weights.assign(size_t{preload.k_rows} * cols, 0);
  m_pe_float_weights.assign(size_t{preload.k_rows} * cols, 0.0f);
  const isa::NmCompression& nm = preload.compression;
  const uint64_t stored_rows =
      nm.compressed() ? isa::nm_kept_rows(preload.k_rows, nm.keep_n, nm.group_m) : preload.k_rows;
  const isa::ElementType type = layer_operand_type();
  const uint64_t index_base =
      preload.weights.offset + isa::packed_bytes(type, stored_rows * preload.row_stride);
  if (nm.compressed() && stored_rows > 0 && cols > 0) {
    require_read(buffer, index_base, isa::nm_index_bytes(stored_rows * cols, nm.index_bits),
                 "weight indices");
  }
  for (uint64_t r = 0; r < stored_rows; ++r) {
    const uint64_t from = preload.weights.offset + row_offset(type, preload.row_stride, r);
    require_read(buffer, from, isa::packed_bytes(type, preload.n_cols), "weights");
    const uint8_t* row = buffer.data() + from;
    for (uint32_t n = 0; n < preload.n_cols; ++n) {
      uint64_t k = r;
      if (nm.compressed()) {
        const uint64_t position =
            read_bits(buffer.data() + index_base, (r * cols + n) * nm.index_bits, nm.index_bits);
        const uint64_t group_first = r / nm.keep_n * nm.group_m;
        k = group_first + position;
        if (position >= nm.group_m || k >= preload.k_rows) {
          fail("holds index " + std::to_string(position) + " for kept row " + std::to_string(r) +
               ", column " + std::to_string(n) + ", outside its group of " +
               std::to_string(std::min<uint64_t>(nm.group_m, preload.k_rows - group_first)) +
               " rows");
        }
        if (r % nm.keep_n != 0 &&
            position <= read_bits(buffer.data() + index_base, ((r - 1) * cols + n) * nm.index_bits,
                                  nm.index_bits)) {
          fail("holds indices out of ascending order in kept row " + std::to_string(r) +
               ", column " + std::to_string(n));
        }
      }
      if (m_float) {
        m_pe_float_weights[k * cols + n] = decode_float(row + n * isa::element_bytes(type), type);
      } else {
        m_pe_weights[k * cols + n] = static_cast<int8_t>(read_integer(row, type, n));
      }
    }
  }
  m_pe_k_rows = preload.k_rows;
  m_pe_n_cols = preload.n_cols;
}

// The streamed operand of row m at column k: the patch element its conv window names, or nothing
// (a padding tap). Shared by every format; the caller decodes the element of the pixel's row
// (channel index within it: an int4 element shares its byte).
template <typename OnTap>
void Interpreter::walk_taps(const isa::MatrixMultiply& mm, uint32_t m, const TapTable& taps,
                            OnTap on_tap) {
  const isa::ConvWindow& w = mm.window;
  MemoryImage& input = sram(mm.input.buffer);
  const isa::ElementType type = layer_operand_type();
  const uint32_t row = mm.m_begin + m;
  const int64_t oh = int64_t{w.out_row0} + row / w.out_w;
  const int64_t ow = row % w.out_w;
  for (uint32_t k = 0; k < mm.k_rows; ++k) {
    const int64_t ih = oh * w.stride_h - w.pad_top + int64_t{taps.row[k]} * w.dilation_h;
    const int64_t iw = ow * w.stride_w - w.pad_left + int64_t{taps.col[k]} * w.dilation_w;
    if (ih < 0 || ih >= w.image_h || iw < 0 || iw >= w.image_w) {
      on_tap(k, nullptr, 0);
      continue;
    }
    const int64_t patch_row = ih - w.patch_row0;
    if (patch_row < 0 || patch_row >= w.patch_h) {
      fail("needs image row " + std::to_string(ih) + " outside its patch of rows [" +
           std::to_string(w.patch_row0) + ", " + std::to_string(w.patch_row0 + w.patch_h) + ")");
    }
    const uint64_t pixel =
        mm.input.offset +
        row_offset(type, w.patch_c, static_cast<uint64_t>(patch_row * w.image_w + iw));
    const uint64_t channel = static_cast<uint64_t>(taps.channel[k]);
    // The bytes holding the element: half a byte of int4 lies in one whole byte.
    const uint64_t addr = pixel + channel * isa::element_bits(type) / 8;
    const uint64_t bytes = std::max(1, isa::element_bits(type) / 8);
    if (addr + bytes > input.size() || !input.written(addr) || !input.written(addr + bytes - 1)) {
      require_read(input, addr, bytes, "input");
    }
    on_tap(k, input.data() + pixel, channel);
  }
}

void Interpreter::execute(const isa::MatrixMultiply& mm) {
  const isa::ConvWindow& w = mm.window;
  if (mm.k_rows > m_pe_k_rows || mm.n_cols > m_pe_n_cols) {
    fail("streams " + std::to_string(mm.k_rows) + " rows into " + std::to_string(mm.n_cols) +
         " columns but the last preload placed " + std::to_string(m_pe_k_rows) + "x" +
         std::to_string(m_pe_n_cols));
  }
  const int64_t m_limit = arch::fold_limits(layer_array()).m;
  if (m_limit > 0 && mm.m_rows > m_limit) {
    fail("streams " + std::to_string(mm.m_rows) + " output rows, more than a " +
         arch::to_string(m_arch.array.dataflow) + " fold holds (" + std::to_string(m_limit) + ")");
  }
  if (w.patch_c == 0 || w.out_w == 0 || w.kernel_w == 0) fail("has an empty conv window");
  if (uint64_t{w.channel_offset} + w.slice_channels() > w.patch_c) {
    fail("reads channels " + std::to_string(w.channel_offset) + "+" +
         std::to_string(w.slice_channels()) + " of a patch of " + std::to_string(w.patch_c));
  }
  if (m_float && w.pad_value != 0) fail("pads a float operand with a nonzero pad_value");
  TapTable taps;
  taps.row.resize(mm.k_rows);
  taps.col.resize(mm.k_rows);
  taps.channel.resize(mm.k_rows);
  for (uint32_t k = 0; k < mm.k_rows; ++k) {
    const uint32_t kk = mm.k_begin + k;
    // Pixels stay patch_c apart (row_offset below); the column picks a channel of the slice.
    const uint32_t tap = kk / w.slice_channels();
    taps.channel[k] = static_cast<int32_t>(w.channel_offset + kk % w.slice_channels());
    taps.col[k] = static_cast<int32_t>(tap % w.kernel_w);
    taps.row[k] = static_cast<int32_t>(tap / w.kernel_w);
    if (taps.row[k] >= w.kernel_h) fail("streams column " + std::to_string(kk) + " past the kernel");
  }
  if (m_float) {
    multiply_rows<float>(mm, taps);
  } else {
    multiply_rows<int32_t>(mm, taps);
  }
  // A skipped layer's array multiplies only the kept weights (the data are dense here, so the
  // result is the same as multiplying them all).
  const isa::LayerInfo& info = m_program.layers[m_program.code[m_current].layer];
  const uint64_t macs = uint64_t{mm.m_rows} * info.executed_k(mm.k_rows) * mm.n_cols;
  m_counts.executed_macs += macs;
  m_counts.layer_executed_macs[m_program.code[m_current].layer] += macs;
}

// acc[n] (+)= sum over k, in order, of x[k] * w[k][n]: int32 for int8 operands, float32 for floats.
template <typename Acc>
void Interpreter::multiply_rows(const isa::MatrixMultiply& mm, const TapTable& taps) {
  const size_t cols = m_pe_n_cols;  // the staged block's row stride
  MemoryImage& acc_buffer = sram(mm.acc.buffer);
  std::vector<Acc> x(mm.k_rows);
  std::vector<Acc> acc(mm.n_cols);
  uint64_t zero_operands = 0;
  const isa::ElementType type = layer_operand_type();
  for (uint32_t m = 0; m < mm.m_rows; ++m) {
    walk_taps(mm, m, taps, [&](uint32_t k, const uint8_t* pixel, uint64_t channel) {
      if constexpr (std::is_same_v<Acc, float>) {
        x[k] = pixel ? decode_float(pixel + channel * isa::element_bytes(type), type) : 0.0f;
      } else {
        x[k] = pixel ? read_integer(pixel, type, channel) : int32_t{mm.window.pad_value};
      }
    });
    const Acc zero = std::is_same_v<Acc, float> ? Acc{0} : static_cast<Acc>(mm.window.pad_value);
    zero_operands += static_cast<uint64_t>(std::count(x.begin(), x.end(), zero));
    const uint64_t acc_addr = mm.acc.offset + uint64_t{m} * mm.acc_row_stride * 4;
    const uint64_t acc_bytes = uint64_t{mm.n_cols} * 4;
    require_write(acc_buffer, acc_addr, acc_bytes, "accumulators");
    if (mm.accumulate) {
      require_read(acc_buffer, acc_addr, acc_bytes, "accumulators");
      acc_buffer.read(acc_addr, acc.data(), acc_bytes);
    } else {
      std::fill(acc.begin(), acc.end(), Acc{0});
    }
    for (uint32_t k = 0; k < mm.k_rows; ++k) {
      const Acc xv = x[k];
      if constexpr (std::is_same_v<Acc, float>) {
        const float* weights = &m_pe_float_weights[k * cols];
        for (uint32_t n = 0; n < mm.n_cols; ++n) acc[n] += xv * weights[n];
      } else {
        if (xv == 0) continue;  // exact for integers, and saves a third of ResNet's work
        const int8_t* weights = &m_pe_weights[k * cols];
        for (uint32_t n = 0; n < mm.n_cols; ++n) acc[n] += xv * int32_t{weights[n]};
      }
    }
    acc_buffer.write(acc_addr, acc.data(), acc_bytes);
  }
  const uint32_t layer = m_program.code[m_current].layer;
  m_counts.layer_input_operands[layer] += uint64_t{mm.m_rows} * mm.k_rows;
  m_counts.layer_zero_input_operands[layer] += zero_operands;
}

void Interpreter::execute(const isa::VectorInstr& vector) {
  VectorSemantics(*this, vector).run();
}

}  // namespace npu::functional
