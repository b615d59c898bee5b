#include "compiler/compile.h"

#include <sstream>

#include "arch/user_error.h"
#include "compiler/dependencies.h"
#include "compiler/dram_allocator.h"
#include "compiler/fusion.h"
#include "compiler/gemm_codegen.h"
#include "compiler/gemm_tiling.h"
#include "compiler/program_builder.h"
#include "compiler/vector_codegen.h"
#include "isa/accesses.h"

namespace npu::compiler {
namespace {

int64_t last_dim(const std::vector<int64_t>& shape) { return shape.empty() ? 1 : shape.back(); }

RowsByChannels rows_by_channels(const std::vector<int64_t>& shape) {
  const int64_t channels = last_dim(shape);
  return {element_count(shape) / channels, channels};
}

// The implicit-GEMM view of a conv2d, dense or matmul layer.
GemmProblem gemm_problem(const Graph& graph, const Layer& layer) {
  const auto& in = graph.layers[layer.inputs[0]].output_shape;
  const auto& out = layer.output_shape;
  GemmProblem p;
  if (layer.op == OpKind::kConv2d) {
    p.images = in[0];
    p.in_h = in[1], p.in_w = in[2], p.in_c = in[3];
    p.out_h = out[1], p.out_w = out[2], p.out_c = out[3];
    p.window = layer.window;
    p.groups = layer.groups;
    return p;
  }
  // Dense and matmul: rows of the input are output rows; a 1x1 "convolution" over a column.
  const int64_t k = last_dim(in);
  const int64_t n = last_dim(out);
  if (layer.op == OpKind::kMatmul) {
    const int64_t m = in.size() >= 2 ? in[in.size() - 2] : 1;
    p.images = element_count(in) / (m * k);
    p.in_h = m;
    p.out_h = m;
    p.weights_are_activations = true;
  } else {
    p.in_h = element_count(in) / k;
    p.out_h = p.in_h;
  }
  p.in_c = k;
  p.out_c = n;
  return p;
}

std::string describe_gemm(const GemmProblem& p, const GemmTiling& t) {
  std::ostringstream text;
  text << "implicit GEMM M=" << p.out_h * p.out_w << " K=" << p.taps() * p.cin_per_group()
       << " N=" << p.cout_per_group();
  if (p.images * p.groups > 1) text << " x" << p.images * p.groups;
  text << "; tile " << t.out_rows << " rows (" << t.out_rows * p.out_w << " px) x "
       << t.in_channels << " in-ch x " << t.out_channels << " out-ch, order " << to_string(t.order)
       << "; estimate " << static_cast<int64_t>(t.estimated_cycles) << " cycles, "
       << t.estimated_dram_bytes << " B DRAM";
  return text.str();
}

class Compiler {
 public:
  Compiler(const Graph& graph, const arch::ArchConfig& arch)
      : m_graph(graph),
        m_arch(arch),
        m_eb(arch::element_bytes(arch.precision.operand)),
        m_builder(arch),
        m_dram(m_builder.program().tensors, static_cast<uint64_t>(arch.dram.access_bytes)) {}

  isa::Program run() {
    const FusedGraph fused = fuse(m_graph);
    m_storage_of = fused.storage_of;
    m_addr.assign(m_graph.layers.size(), 0);
    for (size_t i = 0; i < m_graph.layers.size(); ++i) {
      if (m_graph.layers[i].op == OpKind::kInput) place_activation(static_cast<int>(i));
    }
    for (const FusedLayer& layer : fused.layers) lower(layer);
    isa::Program program = m_builder.take_program();
    add_dependencies(program, m_eb);
    return program;
  }

 private:
  void place_activation(int index) {
    const Layer& layer = m_graph.layers[index];
    m_addr[index] = m_dram.allocate(layer.name, element_count(layer.output_shape) * m_eb);
  }
  uint64_t addr_of(int tensor) const { return m_addr[m_storage_of[tensor]]; }
  const std::vector<int64_t>& shape_of(int tensor) const {
    return m_graph.layers[tensor].output_shape;
  }

  void lower(const FusedLayer& fused) {
    const Layer& anchor = m_graph.layers[fused.anchor];
    isa::LayerInfo info;
    info.name = fused.name;
    info.op = fused.op;
    info.output_shape = shape_of(fused.output);
    info.macs = fused.macs;
    info.params = fused.params;

    if (fused.kind == LoweringKind::kAlias) {
      info.mapping = "alias of '" + m_graph.layers[anchor.inputs[0]].name + "': NHWC data is " +
                     "already in this order, nothing moves";
      m_builder.begin_layer(std::move(info));
      return;
    }
    if (fused.kind == LoweringKind::kGemm) {
      lower_gemm(fused, anchor, info);
      return;
    }
    place_activation(fused.output);
    const uint64_t output = m_addr[fused.output];
    const std::string where = layer_location(m_graph, anchor);
    std::vector<uint64_t> sources;
    for (int input : anchor.inputs) sources.push_back(addr_of(input));
    const auto& in_shape = shape_of(anchor.inputs[0]);

    switch (anchor.op) {
      case OpKind::kAdd:
      case OpKind::kActivation:
      case OpKind::kSoftmax: {
        const isa::VectorOp op = anchor.op == OpKind::kAdd     ? isa::VectorOp::kAdd
                                 : anchor.op == OpKind::kSoftmax ? isa::VectorOp::kSoftmax
                                                                 : isa::VectorOp::kActivation;
        info.mapping = std::string("vector ") + isa::to_string(op) + " over rows x channels";
        m_builder.begin_layer(std::move(info));
        emit_eltwise(m_builder, m_arch, op, fused.activation, sources, 0, output,
                     rows_by_channels(in_shape), where);
        break;
      }
      case OpKind::kBatchNorm: {
        const int64_t channels = last_dim(in_shape);
        const uint64_t params = m_dram.allocate(
            fused.name + ".params", static_cast<uint64_t>(channels) * isa::kScaleShiftParamBytes);
        info.mapping = "vector scale_shift (batchnorm not foldable into a conv or dense)";
        m_builder.begin_layer(std::move(info));
        emit_eltwise(m_builder, m_arch, isa::VectorOp::kScaleShift, fused.activation, sources,
                     params, output, rows_by_channels(in_shape), where);
        break;
      }
      case OpKind::kMaxPool:
      case OpKind::kAvgPool: {
        PoolShape shape;
        shape.images = in_shape[0];
        shape.in_h = in_shape[1], shape.in_w = in_shape[2], shape.channels = in_shape[3];
        shape.out_h = info.output_shape[1], shape.out_w = info.output_shape[2];
        shape.window = anchor.window;
        info.mapping = "vector window pooling over row bands";
        m_builder.begin_layer(std::move(info));
        emit_window_pool(m_builder, m_arch,
                         anchor.op == OpKind::kMaxPool ? isa::VectorOp::kMaxPool
                                                       : isa::VectorOp::kAvgPool,
                         sources[0], output, shape, where);
        break;
      }
      case OpKind::kGlobalAvgPool: {
        info.mapping = "vector mean over all positions, per channel chunk";
        m_builder.begin_layer(std::move(info));
        emit_global_pool(m_builder, m_arch, sources[0], output, in_shape[0],
                         element_count(in_shape) / (in_shape[0] * last_dim(in_shape)),
                         last_dim(in_shape), where);
        break;
      }
      case OpKind::kConcat: {
        std::vector<int64_t> channels;
        for (int input : anchor.inputs) channels.push_back(last_dim(shape_of(input)));
        info.mapping = "DMA copy of each input to its channel offset";
        m_builder.begin_layer(std::move(info));
        emit_concat(m_builder, m_arch, sources, channels, output,
                    rows_by_channels(in_shape).rows, where);
        break;
      }
      default:
        throw std::logic_error("no lowering for op " + std::string(to_string(anchor.op)));
    }
  }

  void lower_gemm(const FusedLayer& fused, const Layer& anchor, isa::LayerInfo& info) {
    const GemmProblem problem = gemm_problem(m_graph, anchor);
    const GemmTiling tiling =
        choose_gemm_tiling(problem, m_arch, layer_location(m_graph, anchor));
    GemmOperands operands;
    operands.input = addr_of(anchor.inputs[0]);
    if (problem.weights_are_activations) {
      operands.weights = addr_of(anchor.inputs[1]);
    } else {
      operands.weights = m_dram.allocate(
          fused.name + ".weight",
          static_cast<uint64_t>(problem.taps() * problem.cin_per_group() * problem.out_c * m_eb));
    }
    operands.params = m_dram.allocate(
        fused.name + ".params", static_cast<uint64_t>(problem.out_c) * kChannelParamBytes);
    place_activation(fused.output);
    operands.output = m_addr[fused.output];

    info.mapping = describe_gemm(problem, tiling);
    if (!fused.absorbed.empty()) {
      info.mapping += "; fused:";
      for (int a : fused.absorbed) info.mapping += " " + m_graph.layers[a].name;
    }
    m_builder.begin_layer(std::move(info));
    emit_gemm(m_builder, m_arch, problem, tiling, operands, fused.activation);
  }

  const Graph& m_graph;
  const arch::ArchConfig& m_arch;
  int m_eb;
  ProgramBuilder m_builder;
  DramAllocator m_dram;
  std::vector<int> m_storage_of;
  std::vector<uint64_t> m_addr;  // DRAM address per graph tensor that has storage
};

}  // namespace

isa::Program compile(const Graph& graph, const arch::ArchConfig& arch) {
  return Compiler(graph, arch).run();
}

}  // namespace npu::compiler
