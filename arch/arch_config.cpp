#include "arch/arch_config.h"

namespace npu::arch {

int element_bytes(Precision precision) {
  switch (precision) {
    case Precision::kInt8:
      return 1;
    case Precision::kFp16:
    case Precision::kBf16:
      return 2;
    case Precision::kFp32:
      return 4;
  }
  return 1;
}

FoldLimits fold_limits(const ArrayConfig& array) {
  switch (array.dataflow) {
    case Dataflow::kWeightStationary:
      return {0, array.rows, array.cols};  // K on rows, N on columns, M streams
    case Dataflow::kOutputStationary:
      return {array.rows, 0, array.cols};  // M on rows, N on columns, K streams
    case Dataflow::kInputStationary:
      return {array.cols, array.rows, 0};  // K on rows, M on columns, N streams
  }
  return {};
}

bool is_float(Precision precision) { return precision != Precision::kInt8; }

const char* to_string(Dataflow dataflow) {
  switch (dataflow) {
    case Dataflow::kWeightStationary:
      return "weight_stationary";
    case Dataflow::kOutputStationary:
      return "output_stationary";
    case Dataflow::kInputStationary:
      return "input_stationary";
  }
  return "?";
}

const char* to_string(StationaryPreload preload) {
  switch (preload) {
    case StationaryPreload::kSerial:
      return "serial";
    case StationaryPreload::kDoubleBuffered:
      return "double_buffered";
  }
  return "?";
}

const char* to_string(Precision precision) {
  switch (precision) {
    case Precision::kInt8:
      return "int8";
    case Precision::kFp16:
      return "fp16";
    case Precision::kBf16:
      return "bf16";
    case Precision::kFp32:
      return "fp32";
  }
  return "?";
}

}  // namespace npu::arch
