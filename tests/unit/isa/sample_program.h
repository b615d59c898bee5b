#pragma once
// A hand-built program for the ISA tests that uses every opcode, every VectorOp and every
// VectorActivation, with every field set away from its default, so that a field the text form
// forgot to print or parse shows up as a round-trip mismatch.

#include "isa/program.h"

namespace npu::isa::testing {

inline ConvWindow conv_window() {
  ConvWindow w;
  w.image_h = 224;
  w.image_w = 226;
  w.patch_row0 = -3;
  w.patch_h = 9;
  w.patch_c = 3;
  w.kernel_h = 7;
  w.kernel_w = 5;
  w.stride_h = 2;
  w.stride_w = 3;
  w.dilation_h = 2;
  w.dilation_w = 4;
  w.pad_top = 3;
  w.pad_left = 2;
  w.out_row0 = 5;
  w.out_w = 112;
  w.pad_value = -3;
  w.channel_offset = 1;
  w.channels = 2;
  return w;
}

inline DmaLoad dma_load() {
  DmaLoad load;
  load.dram_addr = 0x12345678;
  load.sram = {Buffer::kWeight, 0x40};
  load.rows = 672;
  load.row_bytes = 3;
  load.dram_stride = 678;
  load.sram_stride = 4;
  return load;
}

inline DmaStore dma_store() {
  DmaStore store;
  store.sram = {Buffer::kOutput, 0x200};
  store.dram_addr = 0xabcdef0123;
  store.rows = 56;
  store.row_bytes = 64;
  store.sram_stride = 72;
  store.dram_stride = 7168;
  return store;
}

inline MatrixPreload matrix_preload() {
  MatrixPreload preload;
  preload.weights = {Buffer::kWeight, 0x1000};
  preload.k_rows = 147;
  preload.n_cols = 63;
  preload.row_stride = 65;
  return preload;
}

inline MatrixMultiply matrix_multiply(bool accumulate) {
  MatrixMultiply mm;
  mm.input = {Buffer::kInput, 0x10};
  mm.window = conv_window();
  mm.m_begin = 17;
  mm.m_rows = 448;
  mm.k_begin = 17;
  mm.k_rows = 64;
  mm.n_cols = 63;
  mm.acc = {Buffer::kOutput, 0x100};
  mm.acc_row_stride = 66;
  mm.accumulate = accumulate;
  return mm;
}

inline VectorInstr vector_instr(VectorOp op, VectorActivation activation, bool has_src1,
                                bool has_params = false) {
  VectorInstr v;
  v.op = op;
  v.activation = activation;
  v.src0 = {Buffer::kOutput, 0x100};
  v.has_src1 = has_src1;
  if (has_src1) v.src1 = {Buffer::kWeight, 0x2000};
  v.has_params = has_params;
  if (has_params) v.params = {Buffer::kWeight, 0x3000};
  v.dst = {Buffer::kInput, 0x800};
  v.rows = 448;
  v.cols = 63;
  v.src_row_stride = 66;
  v.dst_row_stride = 64;
  v.src_type = ElementType::kFp32;
  v.dst_type = ElementType::kBf16;
  if (op == VectorOp::kMaxPool || op == VectorOp::kAvgPool) v.window = conv_window();
  return v;
}

inline Instruction instruction(Payload payload, uint32_t layer, std::vector<uint32_t> deps) {
  Instruction instruction;
  instruction.payload = std::move(payload);
  instruction.layer = layer;
  instruction.deps = std::move(deps);
  return instruction;
}

inline Program sample_program() {
  Program p;
  p.layers = {
      {"conv \"1\" \\ a;b",
       "conv2d",
       {1, 112, 112, 64},
       118013952,
       9408,
       "weight-stationary; k=147 in 3 folds, \"n\"=64\tline\nbreak"},
      {"pool 1", "maxpool", {1, -1, 7}, 1, -2, ""},
      {"pool 1", "gavgpool", {}, -9223372036854775807LL - 1, 9223372036854775807LL, "é unicode"},
  };
  p.tensors = {{"conv1.weight", 0x1000, 9408}, {"in put \"x\"", 0xffffffffffffffffULL, 1}};

  p.code.push_back(instruction(dma_load(), 0, {}));               // 0 load
  p.code.push_back(instruction(matrix_preload(), 0, {0}));        // 1 matrix
  p.code.push_back(instruction(matrix_multiply(false), 0, {0}));  // 2 matrix
  p.code.push_back(instruction(matrix_multiply(true), 0, {0}));   // 3 matrix
  p.code.push_back(instruction(                                   // 4 vector
      vector_instr(VectorOp::kRequant, VectorActivation::kRelu, false, true), 0, {0, 3}));
  p.code.push_back(instruction(  // 5 vector
      vector_instr(VectorOp::kAdd, VectorActivation::kRelu6, true, true), 1, {3}));
  p.code.push_back(instruction(  // 6 vector
      vector_instr(VectorOp::kActivation, VectorActivation::kSigmoid, false, true), 1, {}));
  p.code.push_back(instruction(  // 7 vector
      vector_instr(VectorOp::kScaleShift, VectorActivation::kTanh, false, true), 1, {}));
  p.code.push_back(instruction(  // 8 vector
      vector_instr(VectorOp::kMaxPool, VectorActivation::kGelu, false), 1, {}));
  p.code.push_back(instruction(  // 9 vector
      vector_instr(VectorOp::kAvgPool, VectorActivation::kNone, false), 2, {}));
  p.code.push_back(instruction(  // 10 vector
      vector_instr(VectorOp::kGlobalAvgPool, VectorActivation::kRelu, false), 2, {}));
  p.code.push_back(instruction(  // 11 vector
      vector_instr(VectorOp::kSoftmax, VectorActivation::kNone, false, true), 2, {}));
  // A copy whose unused src1, params and window are not the defaults: still part of the
  // instruction.
  VectorInstr copy = vector_instr(VectorOp::kCopy, VectorActivation::kRelu, false);
  copy.src1 = {Buffer::kOutput, 0x30};
  copy.params = {Buffer::kInput, 0x50};
  copy.window = conv_window();
  p.code.push_back(instruction(copy, 2, {}));  // 12 vector
  p.code.push_back(instruction(                // 13 vector
      vector_instr(VectorOp::kLayerNorm, VectorActivation::kNone, false, true), 2, {}));
  p.code.push_back(instruction(  // 14 vector
      vector_instr(VectorOp::kMul, VectorActivation::kRelu, true, true), 2, {}));
  p.code.push_back(instruction(  // 15 vector
      vector_instr(VectorOp::kTranspose, VectorActivation::kNone, false), 2, {}));
  p.code.push_back(instruction(dma_store(), 2, {1, 11, 13}));  // 16 store
  return p;
}

}  // namespace npu::isa::testing
