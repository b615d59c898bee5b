#pragma once
// The compiler's entry point: a shape-inferred graph and an arch config in, an ISA program out.
//
//   fuse layers -> place tensors in DRAM -> per layer: choose a tiling, emit instructions
//   -> add the dependencies between streams.
// Throws npu::UserError when a layer cannot be mapped onto the design (no tile fits the SRAM).
//
// Besides the program, compile_model returns a manifest: for each program layer, which graph
// layers it covers, where its tensors and constants live in DRAM and how a GEMM was tiled. The
// functional run needs it to fill DRAM (packed weights, parameter blocks) before executing the
// program; the timing run needs only the program. The manifest is described in docs/compiler.md.

#include <cstdint>
#include <vector>

#include "arch/arch_config.h"
#include "compiler/fusion.h"
#include "compiler/gemm_tiling.h"
#include "compiler/graph.h"
#include "compiler/mapping_objective.h"
#include "isa/program.h"

namespace npu::compiler {

// 20 M instructions: about 7 GB while simulated. ResNet-50 takes 24,172 on int8_64x64 and
// 11.2 M on a 4x4 array.
constexpr uint64_t kDefaultMaxInstructions = 20'000'000;

struct CompileOptions {
  // Zero point of each graph tensor, indexed like Graph::layers (a tensor is its producer's
  // output); empty means every zero point is 0. A conv2d, dense or matmul's padding taps read its
  // input's zero point (isa::ConvWindow::pad_value), so that padding is the real value 0. Float
  // designs (precision.operand fp16, bf16, fp32) have no zero points: their padding reads +0.0
  // (pad_value 0) and these values are not used.
  std::vector<int32_t> zero_points;
  // What the tilers minimise (compiler/mapping_objective.h).
  MappingObjective objective = MappingObjective::kLatency;
  // The most instructions a program may have. A program is held whole while it is compiled and
  // simulated, about 360 bytes an instruction, so a design that cuts a large network into very
  // many small folds (ResNet-50 on a 1x1 array needs tens of millions) is refused with a
  // UserError naming the layer instead of exhausting the machine's memory.
  uint64_t max_instructions = kDefaultMaxInstructions;
};

// One per program layer, in the order of Program::layers.
struct LayerManifest {
  FusedLayer fused;              // which graph layers it covers (compiler/fusion.h)
  bool is_gemm = false;
  GemmProblem problem;           // valid when is_gemm
  GemmTiling tiling;             // valid when is_gemm
  std::vector<uint64_t> inputs;  // DRAM address of each input tensor, in the anchor's operand order
  uint64_t output = 0;           // DRAM address of the output tensor (0 for aliases)
  int64_t weights = -1;          // index into Program::tensors of "<layer>.weight", -1 if none
  int64_t params = -1;           // index into Program::tensors of "<layer>.params", -1 if none
                                 // (no constants, or a 0-byte block: float act and softmax)
};

struct CompiledModel {
  isa::Program program;
  std::vector<LayerManifest> layers;
  // Per graph tensor: the index into Program::tensors of the tensor holding it, -1 if none.
  std::vector<int64_t> tensor_of;
  // Per graph tensor: the format its storage holds (docs/workloads.md, "Mixed precision"): the
  // design's operand precision, or the precision of the conv2d/dense layers that read it.
  std::vector<arch::Precision> tensor_precision;
};

// Per graph tensor, the format compile_model stores it in (CompiledModel::tensor_precision),
// without compiling: data must be generated in these formats before the zero points it gives can
// be compiled in. Throws npu::UserError as compile_model does for a layer whose precision the
// design does not execute or a tensor its readers disagree on.
std::vector<arch::Precision> stored_precisions(const Graph& graph, const arch::ArchConfig& arch);

// Throws std::invalid_argument when options.zero_points is neither empty nor one per graph
// tensor, and npu::UserError when a zero point does not fit pad_value (int16).
CompiledModel compile_model(const Graph& graph, const arch::ArchConfig& arch,
                            const CompileOptions& options = {});

// The program alone (compile_model(...).program).
isa::Program compile(const Graph& graph, const arch::ArchConfig& arch);
isa::Program compile(const Graph& graph, const arch::ArchConfig& arch,
                     const CompileOptions& options);

}  // namespace npu::compiler
