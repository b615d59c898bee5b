#pragma once
// Hand-built programs and instruction helpers for the SystemC tests: each program's cycles are
// derived by hand in the test that uses it (docs/timing.md).

#include <cstdint>
#include <utility>
#include <vector>

#include "isa/program.h"

namespace npu::testing_support {

using isa::Buffer;

inline isa::Instruction at(isa::Payload payload, std::vector<uint32_t> deps = {}) {
  isa::Instruction instruction;
  instruction.payload = std::move(payload);
  instruction.deps = std::move(deps);
  return instruction;
}

inline isa::DmaLoad load(uint64_t dram, isa::SramAddr sram, uint32_t bytes) {
  isa::DmaLoad l;
  l.dram_addr = dram;
  l.sram = sram;
  l.rows = 1;
  l.row_bytes = bytes;
  l.dram_stride = bytes;
  l.sram_stride = bytes;
  return l;
}

inline isa::DmaStore store(isa::SramAddr sram, uint64_t dram, uint32_t bytes) {
  isa::DmaStore s;
  s.sram = sram;
  s.dram_addr = dram;
  s.rows = 1;
  s.row_bytes = bytes;
  s.sram_stride = bytes;
  s.dram_stride = bytes;
  return s;
}

// A dense layer 4 -> 4 at batch 1: one fold, as the compiler emits it.
inline isa::Program one_fold_dense() {
  isa::Program program;
  program.layers.push_back({"fc", "dense", {1, 4}, 16, 20, ""});
  isa::MatrixPreload preload;
  preload.weights = {Buffer::kWeight, 0};
  preload.k_rows = 4;
  preload.n_cols = 4;
  preload.row_stride = 4;
  isa::MatrixMultiply multiply;
  multiply.input = {Buffer::kInput, 0};
  multiply.window.patch_h = 1;
  multiply.window.patch_c = 4;
  multiply.m_rows = 1;
  multiply.k_rows = 4;
  multiply.n_cols = 4;
  multiply.acc = {Buffer::kOutput, 0};
  multiply.acc_row_stride = 4;
  isa::VectorInstr requant;
  requant.op = isa::VectorOp::kRequant;
  requant.src0 = {Buffer::kOutput, 0};
  requant.params = {Buffer::kWeight, 16};
  requant.has_params = true;
  requant.dst = {Buffer::kOutput, 16};
  requant.rows = 1;
  requant.cols = 4;
  requant.src_row_stride = 4;
  requant.dst_row_stride = 4;
  requant.src_type = isa::ElementType::kInt32;
  program.code = {
      at(load(0, {Buffer::kInput, 0}, 4)),       // 0 input
      at(load(4, {Buffer::kWeight, 0}, 16)),     // 1 weights
      at(load(20, {Buffer::kWeight, 16}, 48)),   // 2 bias, multiplier, shift x 4
      at(preload, {1}),                          // 3
      at(multiply, {0}),                         // 4
      at(requant, {2, 4}),                       // 5
      at(store({Buffer::kOutput, 16}, 68, 4), {5}),  // 6
  };
  return program;
}

}  // namespace npu::testing_support
