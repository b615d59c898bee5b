#pragma once
// What each vector instruction computes (docs/numerics.md), executed on the interpreter's SRAM.
// One object per instruction: it copies the instruction's parameter block once, checks every
// operand's bytes, then runs the op's loops.

#include <cstdint>
#include <vector>

#include "isa/instruction.h"
#include "sim/functional/interpreter.h"

namespace npu::functional {

class VectorSemantics {
 public:
  VectorSemantics(Interpreter& interpreter, const isa::VectorInstr& vector);
  void run();

 private:
  void load_params();
  void check_rows(const isa::SramAddr& base, uint32_t rows, uint32_t cols, uint32_t row_stride,
                  int element_bytes, bool for_write, const char* what);
  void require_int8_output();
  int32_t element(const isa::SramAddr& base, int element_bytes, uint32_t row_stride, uint32_t r,
                  uint32_t c) const;
  void store_int8(uint32_t r, uint32_t c, int32_t value);

  void requant();
  void add();
  void table_lookup();
  void scale_shift();
  void window_pool();
  void global_pool();
  void softmax();
  void layer_norm();
  void copy();

  Interpreter& m_in;
  const isa::VectorInstr& m_v;
  std::vector<uint8_t> m_params;
};

}  // namespace npu::functional
