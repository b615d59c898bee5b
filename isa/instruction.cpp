#include "isa/instruction.h"

#include "isa/program.h"

#include <stdexcept>

namespace npu::isa {

const char* to_string(Stream stream) {
  switch (stream) {
    case Stream::kLoad: return "load";
    case Stream::kMatrix: return "matrix";
    case Stream::kVector: return "vector";
    case Stream::kStore: return "store";
  }
  return "?";
}

const char* to_string(Buffer buffer) {
  switch (buffer) {
    case Buffer::kInput: return "input";
    case Buffer::kWeight: return "weight";
    case Buffer::kOutput: return "output";
  }
  return "?";
}

const char* to_string(VectorOp op) {
  switch (op) {
    case VectorOp::kRequant: return "requant";
    case VectorOp::kAdd: return "add";
    case VectorOp::kActivation: return "act";
    case VectorOp::kScaleShift: return "scale_shift";
    case VectorOp::kMaxPool: return "maxpool";
    case VectorOp::kAvgPool: return "avgpool";
    case VectorOp::kGlobalAvgPool: return "gavgpool";
    case VectorOp::kSoftmax: return "softmax";
    case VectorOp::kCopy: return "copy";
    case VectorOp::kLayerNorm: return "layernorm";
    case VectorOp::kMul: return "mul";
    case VectorOp::kTranspose: return "transpose";
  }
  return "?";
}

const char* to_string(VectorActivation activation) {
  switch (activation) {
    case VectorActivation::kNone: return "none";
    case VectorActivation::kRelu: return "relu";
    case VectorActivation::kRelu6: return "relu6";
    case VectorActivation::kSigmoid: return "sigmoid";
    case VectorActivation::kTanh: return "tanh";
    case VectorActivation::kGelu: return "gelu";
  }
  return "?";
}

int element_bits(ElementType type) {
  switch (type) {
    case ElementType::kInt4: return 4;
    case ElementType::kInt8: return 8;
    case ElementType::kFp16:
    case ElementType::kBf16: return 16;
    case ElementType::kInt32:
    case ElementType::kFp32: return 32;
  }
  return 8;
}

uint64_t packed_bytes(ElementType type, uint64_t elements) {
  return (elements * static_cast<uint64_t>(element_bits(type)) + 7) / 8;
}

int element_bytes(ElementType type) {
  switch (type) {
    case ElementType::kInt4:
      throw std::logic_error("element_bytes(int4): int4 is packed; use packed_bytes");
    case ElementType::kInt8: return 1;
    case ElementType::kFp16:
    case ElementType::kBf16: return 2;
    case ElementType::kInt32:
    case ElementType::kFp32: return 4;
  }
  return 1;
}

bool is_float(ElementType type) {
  return type == ElementType::kFp16 || type == ElementType::kBf16 || type == ElementType::kFp32;
}

const char* to_string(ElementType type) {
  switch (type) {
    case ElementType::kInt4: return "int4";
    case ElementType::kInt8: return "int8";
    case ElementType::kInt32: return "int32";
    case ElementType::kFp16: return "fp16";
    case ElementType::kBf16: return "bf16";
    case ElementType::kFp32: return "fp32";
  }
  return "?";
}

Stream stream_of(const Payload& payload) {
  struct Visitor {
    Stream operator()(const DmaLoad&) const { return Stream::kLoad; }
    Stream operator()(const DmaStore&) const { return Stream::kStore; }
    Stream operator()(const MatrixPreload&) const { return Stream::kMatrix; }
    Stream operator()(const MatrixMultiply&) const { return Stream::kMatrix; }
    Stream operator()(const VectorInstr&) const { return Stream::kVector; }
  };
  return std::visit(Visitor{}, payload);
}

bool DmaLoad::operator==(const DmaLoad& o) const {
  return dram_addr == o.dram_addr && sram == o.sram && rows == o.rows &&
         row_bytes == o.row_bytes && dram_stride == o.dram_stride && sram_stride == o.sram_stride;
}

bool DmaStore::operator==(const DmaStore& o) const {
  return sram == o.sram && dram_addr == o.dram_addr && rows == o.rows &&
         row_bytes == o.row_bytes && sram_stride == o.sram_stride && dram_stride == o.dram_stride;
}

bool MatrixPreload::operator==(const MatrixPreload& o) const {
  return weights == o.weights && k_rows == o.k_rows && n_cols == o.n_cols &&
         row_stride == o.row_stride && compression == o.compression;
}

bool ConvWindow::operator==(const ConvWindow& o) const {
  return image_h == o.image_h && image_w == o.image_w && patch_row0 == o.patch_row0 &&
         patch_h == o.patch_h && patch_c == o.patch_c &&
         channel_offset == o.channel_offset && channels == o.channels && kernel_h == o.kernel_h &&
         kernel_w == o.kernel_w && stride_h == o.stride_h && stride_w == o.stride_w &&
         dilation_h == o.dilation_h && dilation_w == o.dilation_w && pad_top == o.pad_top &&
         pad_left == o.pad_left && out_row0 == o.out_row0 && out_w == o.out_w &&
         pad_value == o.pad_value;
}

bool MatrixMultiply::operator==(const MatrixMultiply& o) const {
  return input == o.input && window == o.window && m_begin == o.m_begin && m_rows == o.m_rows &&
         k_begin == o.k_begin &&
         k_rows == o.k_rows && n_cols == o.n_cols && acc == o.acc &&
         acc_row_stride == o.acc_row_stride && accumulate == o.accumulate;
}

bool VectorInstr::operator==(const VectorInstr& o) const {
  return op == o.op && activation == o.activation && src0 == o.src0 && src1 == o.src1 &&
         has_src1 == o.has_src1 && params == o.params && has_params == o.has_params &&
         dst == o.dst && rows == o.rows && cols == o.cols &&
         src_row_stride == o.src_row_stride && dst_row_stride == o.dst_row_stride &&
         src_type == o.src_type && dst_type == o.dst_type && window == o.window;
}

bool Instruction::operator==(const Instruction& o) const {
  return payload == o.payload && layer == o.layer && deps == o.deps;
}

bool LayerInfo::operator==(const LayerInfo& o) const {
  return name == o.name && op == o.op && output_shape == o.output_shape && macs == o.macs &&
         params == o.params && mapping == o.mapping && zero_operand_macs == o.zero_operand_macs &&
         skip_n == o.skip_n && skip_m == o.skip_m && skip_rows == o.skip_rows &&
         skip_density == o.skip_density && precision == o.precision;
}

bool DramTensor::operator==(const DramTensor& o) const {
  return name == o.name && addr == o.addr && bytes == o.bytes;
}

bool Program::operator==(const Program& o) const {
  return operand_type == o.operand_type && layers == o.layers && tensors == o.tensors &&
         code == o.code;
}

}  // namespace npu::isa
