#pragma once
// What each vector instruction computes (docs/numerics.md), executed on the interpreter's SRAM:
// the integer rule (int8, or int4 elements packed two per byte) or, in a float model, the float
// rule of each op. One object per instruction: it
// copies the instruction's parameter block once, checks every operand's bytes, then runs the
// op's loops.

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
                  isa::ElementType type, bool for_write, const char* what);
  void check_source(const isa::SramAddr& base, const char* what);
  void require_output(uint32_t rows);
  // Where a whole-byte (float) element lies; integers go through packed_integers.h.
  const uint8_t* address(const isa::SramAddr& base, isa::ElementType type, uint32_t row_stride,
                         uint32_t r, uint32_t c) const;
  int32_t element(const isa::SramAddr& base, isa::ElementType type, uint32_t row_stride, uint32_t r,
                  uint32_t c) const;
  float value(const isa::SramAddr& base, uint32_t row_stride, uint32_t r, uint32_t c) const;
  // Stores an integer result, which the op has already brought into the destination type's range.
  void store(uint32_t r, uint32_t c, int32_t value);
  // Clamps to the destination type's range: [-128, 127] for int8, [-8, 7] for int4.
  int32_t saturate(int64_t value) const;
  void store_float(uint32_t r, uint32_t c, float value);
  float activation(float x) const;
  void row_values(uint32_t r, float scale, int32_t zero_point, std::vector<float>& x) const;

  void requant();
  void add();
  void mul();
  void table_lookup();
  void scale_shift();
  void window_pool();
  void global_pool();
  void softmax();
  void layer_norm();
  void copy();
  void transpose();
  void transpose_packed();

  Interpreter& m_in;
  const isa::VectorInstr& m_v;
  bool m_float;  // the model's format: float rules, else integer rules (docs/numerics.md)
  std::vector<uint8_t> m_params;
};

}  // namespace npu::functional
