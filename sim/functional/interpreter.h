#pragma once
// The functional interpreter: executes an ISA program on real data, one instruction at a time in
// program order (the program's meaning; docs/isa.md), with the arithmetic of docs/numerics.md.
//
// DRAM is a byte image the caller fills (inputs, packed weights, parameter blocks); the three SRAM
// buffers and the array's PE registers are the interpreter's own. The program says what its
// operands are (Program::operand_type, or a mixed-precision layer's own: int4 elements packed two
// per byte); the arch gives buffer sizes, array size and DRAM blocks. Every access is checked: a
// read of SRAM or DRAM bytes nothing wrote, or an access outside a buffer, stops the run with an
// error naming the instruction and its layer. Plain C++: no SystemC, no timing.

#include <array>
#include <cstdint>
#include <stdexcept>
#include <string>
#include <vector>

#include "arch/arch_config.h"
#include "isa/program.h"
#include "sim/functional/memory_image.h"

namespace npu::functional {

// A program that does something the ISA does not allow. Compiled programs never should: when one
// does, it is a compiler bug.
class ProgramError : public std::runtime_error {
 public:
  explicit ProgramError(const std::string& message) : std::runtime_error(message) {}
};

// What the program did, to cross-check the timing model's counts.
struct InterpreterCounts {
  uint64_t executed_macs = 0;         // m x k x n over every multiply
  uint64_t dma_load_bytes = 0;        // bytes copied DRAM -> SRAM
  uint64_t dma_store_bytes = 0;       // bytes copied SRAM -> DRAM
  uint64_t dram_read_bus_bytes = 0;   // the same transfers in whole DRAM access blocks
  uint64_t dram_write_bus_bytes = 0;
  std::vector<uint64_t> layer_executed_macs;  // per program layer
  // Per program layer: the streamed operands its multiplies read (m x k each, padding taps
  // included), and how many of them were zero: equal to the input's zero point (the multiply's
  // pad value) in int8 and int4, +-0.0 in floats. Their ratio is the measured activation zero
  // share.
  std::vector<uint64_t> layer_input_operands;
  std::vector<uint64_t> layer_zero_input_operands;
};

class Interpreter {
 public:
  Interpreter(const arch::ArchConfig& arch, const isa::Program& program, MemoryImage& dram);

  // Runs every instruction. Throws ProgramError.
  void run();
  const InterpreterCounts& counts() const { return m_counts; }

 private:
  friend class VectorSemantics;

  void execute(const isa::DmaLoad& load);
  void execute(const isa::DmaStore& store);
  void execute(const isa::MatrixPreload& preload);
  void execute(const isa::MatrixMultiply& multiply);
  void execute(const isa::VectorInstr& vector);

  // Kernel row, kernel column and channel of each streamed column of a multiply.
  struct TapTable {
    std::vector<int32_t> row, col, channel;
  };
  template <typename OnTap>
  void walk_taps(const isa::MatrixMultiply& mm, uint32_t m, const TapTable& taps, OnTap on_tap);
  template <typename Acc>
  void multiply_rows(const isa::MatrixMultiply& mm, const TapTable& taps);

  MemoryImage& sram(isa::Buffer buffer) { return m_sram[static_cast<int>(buffer)]; }
  // The current instruction's layer's matrix operand type (a mixed-precision layer's own).
  isa::ElementType layer_operand_type() const;
  // The array as the current layer's multiplies see it: sub-word packing (p MACs per PE per cycle
  // of its precision) makes a fold p x R rows, as the compiler tiles it (compiler/compile.cpp).
  arch::ArrayConfig layer_array() const;
  // Throws if the bytes cannot be read / written; `what` names the operand.
  void require_read(MemoryImage& memory, uint64_t addr, uint64_t length, const char* what);
  void require_write(MemoryImage& memory, uint64_t addr, uint64_t length, const char* what);
  [[noreturn]] void fail(const std::string& what) const;

  const arch::ArchConfig& m_arch;
  const isa::Program& m_program;
  MemoryImage& m_dram;
  std::array<MemoryImage, isa::kBufferCount> m_sram;
  bool m_float;  // float operands and fp32 accumulators, else int8/int4 and int32

  // The stationary operands in the PEs: row-major rows x cols, the last preload's block valid
  // (int8 or int4 values, one per element).
  std::vector<int8_t> m_pe_weights;
  std::vector<float> m_pe_float_weights;
  uint32_t m_pe_k_rows = 0;
  uint32_t m_pe_n_cols = 0;

  uint32_t m_current = 0;  // the instruction being executed, for error messages
  InterpreterCounts m_counts;
};

}  // namespace npu::functional
