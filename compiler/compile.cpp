#include "compiler/compile.h"

#include <algorithm>
#include <cmath>

#include <cstdint>
#include <map>
#include <sstream>
#include <stdexcept>

#include "arch/user_error.h"
#include "compiler/concat_placement.h"
#include "compiler/dependencies.h"
#include "compiler/dram_allocator.h"
#include "compiler/element_types.h"
#include "compiler/fusion.h"
#include "compiler/gemm_codegen.h"
#include "compiler/gemm_tiling.h"
#include "compiler/planning_design.h"
#include "compiler/program_builder.h"
#include "compiler/tensor_precisions.h"
#include "compiler/unstructured_skipping.h"
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
// A group whose filters fill a sliver of the array (a depthwise conv's 9 x 1) would take a fold of
// its own and move one byte per pixel in DRAM runs that each cost a whole access block. Packing
// several groups into one, with their weights as the diagonal blocks of a zero matrix, makes one
// fold serve them all and the runs as wide as the packed channels: the array multiplies the zeros
// too (executed MACs grow, docs/metrics.md), but no more folds than one group took. Packs the
// largest divisor of the groups whose channels still fit the array's columns.
void pack_groups(GemmProblem& p, const arch::ArchConfig& arch) {
  if (p.groups <= 1) return;
  const int64_t limit = arch.array.cols;
  if (p.taps() * p.cin_per_group() >= arch.array.rows || p.cout_per_group() >= limit) return;
  int64_t best = 1;
  for (int64_t g = 2; g <= p.groups; ++g) {
    if (p.groups % g != 0) continue;
    if (g * p.cin_per_group() > limit || g * p.cout_per_group() > limit) break;
    best = g;
  }
  p.groups /= best;
  p.packed_groups = best;
}

GemmProblem gemm_problem(const Graph& graph, const Layer& layer, const arch::ArchConfig& arch) {
  const auto& in = graph.layers[layer.inputs[0]].output_shape;
  const auto& out = layer.output_shape;
  GemmProblem p;
  if (layer.op == OpKind::kConv2d) {
    p.images = in[0];
    p.in_h = in[1], p.in_w = in[2], p.in_c = in[3];
    p.out_h = out[1], p.out_w = out[2], p.out_c = out[3];
    p.window = layer.window;
    p.groups = layer.groups;
    pack_groups(p, arch);
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
  if (p.packed_groups > 1) text << " (" << p.packed_groups << " groups each, block-diagonal)";
  text << "; tile " << t.out_rows << " rows (" << t.out_rows * p.out_w << " px) x "
       << t.in_channels << " in-ch x " << t.out_channels << " out-ch";
  if (t.images_per_tile > 1) text << " x " << t.images_per_tile << " images";
  if (t.shared_patch) text << ", shared whole-pixel patch";
  text << ", order " << to_string(t.order)
       << "; estimate " << static_cast<int64_t>(t.estimated_cycles) << " cycles, "
       << t.estimated_dram_bytes << " B DRAM";
  return text.str();
}

// Where one tensor went: its DRAM address and its entry in Program::tensors.
struct Placement {
  uint64_t addr = 0;
  int64_t index = -1;
};

class Compiler {
 public:
  Compiler(const Graph& graph, const arch::ArchConfig& arch, const CompileOptions& options)
      : m_graph(graph),
        m_arch(planning_design(arch)),
        m_options(options),
        m_builder(arch, options.max_instructions),
        m_dram(m_builder.program().tensors, static_cast<uint64_t>(arch.dram.access_bytes)) {
    if (!options.zero_points.empty() && options.zero_points.size() != graph.layers.size()) {
      throw std::invalid_argument("CompileOptions::zero_points has " +
                                  std::to_string(options.zero_points.size()) +
                                  " entries; expected none or one per graph tensor (" +
                                  std::to_string(graph.layers.size()) + ")");
    }
  }

  CompiledModel run() {
    const FusedGraph fused = fuse(m_graph);
    m_storage_of = fused.storage_of;
    m_precision = assign_tensor_precisions(m_graph, fused, m_arch);
    m_tensor.assign(m_graph.layers.size(), Placement{});
    m_concats = plan_concats_in_place(m_graph, m_storage_of, m_precision);
    for (size_t i = 0; i < m_graph.layers.size(); ++i) {
      if (m_graph.layers[i].op == OpKind::kInput) place_activation(static_cast<int>(i));
    }
    for (const FusedLayer& layer : fused.layers) lower(layer);
    CompiledModel model;
    model.program = m_builder.take_program();
    model.program.operand_type = operand_type(m_arch.precision.operand);
    add_dependencies(model.program);
    model.layers = std::move(m_manifest);
    model.tensor_of.reserve(m_graph.layers.size());
    for (int storage : m_storage_of) model.tensor_of.push_back(m_tensor[storage].index);
    model.tensor_precision = stored_precisions_of_tensors();
    return model;
  }

  // The fusion and precision passes alone (compiler::stored_precisions).
  std::vector<arch::Precision> precisions_only() {
    const FusedGraph fused = fuse(m_graph);
    m_storage_of = fused.storage_of;
    m_precision = assign_tensor_precisions(m_graph, fused, m_arch);
    return stored_precisions_of_tensors();
  }

 private:
  Placement allocate(const std::string& name, uint64_t bytes) {
    Placement placement;
    placement.index = static_cast<int64_t>(m_builder.program().tensors.size());
    placement.addr = m_dram.allocate(name, bytes);
    return placement;
  }
  // Places a tensor once: in its own space (NHWC rows of channels, each starting on a byte: packed
  // int4 pads an odd row, compiler/packing.h), or inside the output of the concat it is written
  // into in place (placing that first).
  void place_activation(int index) {
    if (m_tensor[index].index >= 0) return;
    const Layer& layer = m_graph.layers[index];
    const uint64_t bytes = static_cast<uint64_t>(stored_bytes(index));
    const auto slice = m_concats.slice_of.find(index);
    if (slice == m_concats.slice_of.end()) {
      m_tensor[index] = allocate(layer.name, bytes);
      return;
    }
    place_activation(slice->second.concat);
    Placement placement;
    placement.index = static_cast<int64_t>(m_builder.program().tensors.size());
    placement.addr = m_tensor[slice->second.concat].addr + slice->second.offset_bytes;
    m_dram.place_within(layer.name, placement.addr, bytes);
    m_tensor[index] = placement;
  }

  // A reshape or flatten relabels its input's bytes. Packed int4 rows start on a byte, so that
  // holds only while the rows keep their length or carry no padding nibble on either side; the
  // bytes would need repacking otherwise, which no instruction does (a [.., 1, n] <-> [.., n, 1]
  // reshape can be written as a transpose, which moves the elements).
  void refuse_alias_across_padding_nibbles(const Layer& alias) const {
    const int input = alias.inputs[0];
    if (Packing(m_precision[m_storage_of[input]]).bits() % 8 == 0) return;
    const int64_t from = last_dim(shape_of(input));
    const int64_t to = last_dim(alias.output_shape);
    const int64_t per_byte = Packing(m_precision[m_storage_of[input]]).alignment();
    if (from == to || (from % per_byte == 0 && to % per_byte == 0)) return;
    throw UserError(layer_location(m_graph, alias) + ": " + to_string(alias.op) +
                    " of packed " + arch::to_string(m_precision[m_storage_of[input]]) +
                    " rows of " + std::to_string(from) + " into rows of " + std::to_string(to) +
                    ": an odd row carries a padding nibble, so its bytes cannot be relabelled; "
                    "use a transpose for a [.., 1, n] <-> [.., n, 1] reshape, or keep the "
                    "tensor at int8");
  }

  int64_t stored_bytes(int index) const {
    return compiler::stored_bytes(m_graph.layers[index], m_precision[index]);
  }

  arch::Precision layer_precision(const Layer& layer) const {
    return compiler::layer_precision(m_graph, layer, m_arch);
  }

  std::vector<arch::Precision> stored_precisions_of_tensors() const {
    std::vector<arch::Precision> precisions;
    precisions.reserve(m_storage_of.size());
    for (int storage : m_storage_of) precisions.push_back(m_precision[storage]);
    return precisions;
  }
  uint64_t addr_of(int tensor) const { return m_tensor[m_storage_of[tensor]].addr; }
  const std::vector<int64_t>& shape_of(int tensor) const {
    return m_graph.layers[tensor].output_shape;
  }

  // What padding taps of a convolution over `tensor` read: its zero point (docs/numerics.md). A
  // float tensor has none: its padding is +0.0, whose encoding is 0 in every float format.
  int16_t pad_value_of(const Layer& layer, int tensor) const {
    if (m_options.zero_points.empty() || arch::is_float(m_arch.precision.operand)) return 0;
    const int32_t zero_point = m_options.zero_points[tensor];
    if (zero_point < INT16_MIN || zero_point > INT16_MAX) {
      throw UserError(layer_location(m_graph, layer) + ": input '" + m_graph.layers[tensor].name +
                      "' has zero point " + std::to_string(zero_point) +
                      ", which padding cannot represent (int16)");
    }
    return static_cast<int16_t>(zero_point);
  }

  // The parameter block "<layer>.params" of a layer whose `op` writes `channels` columns in the
  // operand type, sized by isa::params_bytes (docs/numerics.md). An op whose block is 0 bytes
  // (float act and softmax) gets no tensor: the placement keeps index -1.
  Placement place_params(const FusedLayer& fused, isa::VectorOp op, int64_t channels) {
    const uint32_t bytes = isa::params_bytes(op, static_cast<uint32_t>(channels),
                                             operand_type(m_arch.precision.operand));
    if (bytes == 0) return Placement{};
    return allocate(fused.name + ".params", bytes);
  }

  void lower(const FusedLayer& fused) {
    const Layer& anchor = m_graph.layers[fused.anchor];
    isa::LayerInfo info;
    info.name = fused.name;
    info.op = fused.op;
    info.output_shape = shape_of(fused.output);
    info.macs = fused.macs;
    info.params = fused.params;
    // Only conv2d and dense carry sparsity; every other anchor keeps its defaults (density 1).
    info.zero_operand_macs =
        fused.macs - std::llround(static_cast<double>(fused.macs) * anchor.weight_density *
                                  anchor.activation_density);

    LayerManifest manifest;
    manifest.fused = fused;
    for (int input : anchor.inputs) manifest.inputs.push_back(addr_of(input));

    if (fused.kind == LoweringKind::kAlias) {
      refuse_alias_across_padding_nibbles(anchor);
      info.mapping = "alias of '" + m_graph.layers[anchor.inputs[0]].name + "': NHWC data is " +
                     "already in this order, nothing moves";
      m_builder.begin_layer(std::move(info));
      m_manifest.push_back(std::move(manifest));
      return;
    }
    if (fused.kind == LoweringKind::kGemm) {
      lower_gemm(fused, anchor, info, manifest);
      m_manifest.push_back(std::move(manifest));
      return;
    }
    place_activation(fused.output);
    const uint64_t output = m_tensor[fused.output].addr;
    manifest.output = output;
    const std::string where = layer_location(m_graph, anchor);
    const std::vector<uint64_t>& sources = manifest.inputs;
    const auto& in_shape = shape_of(anchor.inputs[0]);
    const RowsByChannels rows = rows_by_channels(in_shape);

    switch (anchor.op) {
      case OpKind::kAdd:
      case OpKind::kMul:
      case OpKind::kActivation:
      case OpKind::kBatchNorm:
      case OpKind::kSoftmax:
      case OpKind::kLayerNorm: {
        const isa::VectorOp op = vector_op_of(anchor.op);
        const Placement params = place_params(fused, op, rows.channels);
        manifest.params = params.index;
        info.mapping = anchor.op == OpKind::kBatchNorm
                           ? "vector scale_shift (batchnorm not foldable into a conv or dense)"
                           : std::string("vector ") + isa::to_string(op) + " over rows x channels";
        m_builder.begin_layer(std::move(info));
        emit_eltwise(m_builder, m_arch, op, fused.activation, sources, params.addr, output, rows,
                     where);
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
                         sources[0], output, shape, where, m_options.objective);
        break;
      }
      case OpKind::kGlobalAvgPool: {
        info.mapping = "vector mean over all positions, per channel chunk";
        m_builder.begin_layer(std::move(info));
        emit_global_pool(m_builder, m_arch, sources[0], output, in_shape[0],
                         element_count(in_shape) / (in_shape[0] * last_dim(in_shape)),
                         last_dim(in_shape), m_precision[m_storage_of[fused.output]], where);
        break;
      }
      case OpKind::kTranspose: {
        TransposeShape shape;
        shape.a = in_shape[in_shape.size() - 2];
        shape.b = in_shape.back();
        shape.slices = element_count(in_shape) / (shape.a * shape.b);
        const TransposeTile tile = choose_transpose_tile(m_builder, m_arch, shape, where);
        info.mapping = "vector transpose of " + std::to_string(shape.slices) + " slice(s) of " +
                       std::to_string(shape.a) + "x" + std::to_string(shape.b) + " in tiles of " +
                       std::to_string(tile.rows) + "x" + std::to_string(tile.cols);
        m_builder.begin_layer(std::move(info));
        emit_transpose(m_builder, m_arch, sources[0], output, shape, tile);
        break;
      }
      case OpKind::kSlice: {
        // Rows of the input as stored: along the last axis, each row of channels; along an
        // earlier one, everything before the axis, each holding whole rows of channels.
        const std::vector<int64_t>& in = in_shape;
        const size_t axis = concat_axis(anchor);
        const Packing packing(m_precision[m_storage_of[anchor.inputs[0]]]);
        const int64_t channels = last_dim(in);
        int64_t outer = 1;
        for (size_t d = 0; d < axis; ++d) outer *= in[d];
        int64_t row_bytes = 0, offset_bytes = 0, run_bytes = 0;
        if (axis + 1 == in.size()) {
          if (anchor.slice_begin % packing.alignment() != 0) {
            throw UserError(where + ": slice begins at " + arch::to_string(m_precision[
                                m_storage_of[anchor.inputs[0]]]) +
                            " channel " + std::to_string(anchor.slice_begin) +
                            ", inside a byte of packed channels; begin on a multiple of " +
                            std::to_string(packing.alignment()));
          }
          row_bytes = packing.bytes(channels);
          offset_bytes = packing.offset(anchor.slice_begin);
          run_bytes = packing.bytes(anchor.slice_size);
        } else {
          int64_t rows_per_index = 1;  // rows of channels per index of the axis
          for (size_t d = axis + 1; d + 1 < in.size(); ++d) rows_per_index *= in[d];
          const int64_t index_bytes = rows_per_index * packing.bytes(channels);
          row_bytes = in[axis] * index_bytes;
          offset_bytes = anchor.slice_begin * index_bytes;
          run_bytes = anchor.slice_size * index_bytes;
        }
        info.mapping = "DMA copy of a " + std::to_string(run_bytes) + "-byte run of each of " +
                       std::to_string(outer) + " row(s)";
        m_builder.begin_layer(std::move(info));
        emit_slice(m_builder, m_arch, sources[0], output, outer, row_bytes, offset_bytes,
                   run_bytes);
        break;
      }
      case OpKind::kConcat: {
        if (m_concats.in_place.count(fused.anchor) > 0) {
          info.mapping = "in place: each input was written into its slice of the output";
          m_builder.begin_layer(std::move(info));
          break;
        }
        ConcatLayout layout = concat_layout(m_graph, anchor);
        info.mapping = "DMA copy of each input to its offset in every row";
        m_builder.begin_layer(std::move(info));
        const size_t axis = concat_axis(anchor);
        if (axis + 1 < anchor.output_shape.size() && Packing(m_precision[fused.output]).bits() < 8) {
          // Along an axis before the last, each run is whole rows of channels, each row starting
          // on a byte: copy them as bytes, so that packed rows keep their padding nibble.
          const int64_t channels = last_dim(anchor.output_shape);
          const int64_t row_bytes = Packing(m_precision[fused.output]).bytes(channels);
          for (int64_t& run : layout.run) run = run / channels * row_bytes;
          emit_concat(m_builder, arch::with_operand(m_arch, arch::Precision::kInt8), sources,
                      layout.run, output, layout.outer, where);
          break;
        }
        emit_concat(m_builder, m_arch, sources, layout.run, output, layout.outer, where);
        break;
      }
      default:
        throw std::logic_error("no lowering for op " + std::string(to_string(anchor.op)));
    }
    m_manifest.push_back(std::move(manifest));
  }

  static isa::VectorOp vector_op_of(OpKind op) {
    switch (op) {
      case OpKind::kAdd:
        return isa::VectorOp::kAdd;
      case OpKind::kMul:
        return isa::VectorOp::kMul;
      case OpKind::kBatchNorm:
        return isa::VectorOp::kScaleShift;
      case OpKind::kSoftmax:
        return isa::VectorOp::kSoftmax;
      case OpKind::kLayerNorm:
        return isa::VectorOp::kLayerNorm;
      default:
        return isa::VectorOp::kActivation;
    }
  }

  // Skipping is modelled for whole-byte operands a PE multiplies one at a time: packed int4 (sub-
  // word packing, nibble-sized compressed blocks) is gated instead (docs/sparsity.md, "Limits").
  bool skippable_precision(const Layer& anchor) const {
    const arch::Precision precision = anchor.precision.value_or(m_arch.precision.operand);
    return Packing(precision).bits() % 8 == 0 &&
           arch::macs_per_pe_per_cycle(m_arch.array, precision) == 1;
  }

  // Whether the array skips this layer's N:M zero weights: it must skip (support: skipping) and
  // list the layer's N:M pattern (docs/sparsity.md). Unstructured weights: skips_unstructured.
  // Activation sparsity is only gated.
  bool skips(const Layer& anchor) const {
    if (m_arch.sparsity.support != arch::SparsitySupport::kSkipping) return false;
    if (anchor.weight_pattern_m == 0) return false;
    if (anchor.op != OpKind::kConv2d && anchor.op != OpKind::kDense) return false;
    if (!skippable_precision(anchor)) return false;
    // Groups of M input channels at one tap (docs/sparsity.md): the channels must fill them, and
    // packed groups would put another group's zeros in the same reduction rows.
    const GemmProblem problem = gemm_problem(m_graph, anchor, m_arch);
    if (problem.packed_groups != 1 || problem.cin_per_group() % anchor.weight_pattern_m != 0) {
      return false;
    }
    for (const std::string& text : m_arch.sparsity.structured_patterns) {
      arch::NmPattern pattern;
      if (arch::parse_nm_pattern(text, pattern).empty() && pattern.n == anchor.weight_pattern_n &&
          pattern.m == anchor.weight_pattern_m) {
        return true;
      }
    }
    return false;
  }

  // Whether the array skips this layer's unstructured zero weights: it packs them
  // (sparsity.skip_unstructured_weights, which needs support: skipping), holds weights stationary,
  // and the layer declares a weight_density below 1 rather than an N:M pattern.
  bool skips_unstructured(const Layer& anchor) const {
    return m_arch.sparsity.support == arch::SparsitySupport::kSkipping && skippable_precision(anchor) &&
           m_arch.sparsity.skip_unstructured_weights &&
           m_arch.array.dataflow == arch::Dataflow::kWeightStationary &&
           anchor.weight_pattern_m == 0 && anchor.weight_density < 1.0 &&
           (anchor.op == OpKind::kConv2d || anchor.op == OpKind::kDense);
  }

  void lower_gemm(const FusedLayer& fused, const Layer& anchor, isa::LayerInfo& info,
                  LayerManifest& manifest) {
    GemmProblem problem = gemm_problem(m_graph, anchor, m_arch);
    const arch::Precision precision = layer_precision(anchor);
    const arch::Precision output_precision = m_precision[m_storage_of[fused.output]];
    if (output_precision != precision) problem.output_precision = output_precision;
    if (precision != m_arch.precision.operand) info.precision = operand_type(precision);
    check_group_alignment(anchor, problem, precision, output_precision);
    // Sub-word packing: each PE does p MACs of this precision per cycle on p consecutive
    // reduction elements, so a fold of R PE rows covers p x R of K (docs/timing.md). Weight and
    // input stationary put K on the PE rows; skipping, each PE row holds one kept weight (or
    // multiplies one, picking its group's input) of every M/N reduction rows, so a fold of R PE
    // rows covers floor(R / N) groups of M and the layer is tiled as if the array had that many
    // rows. Output stationary streams K: its folds stay, and each multiply streams only the kept
    // rows (sim/timing/systolic_timing.h). Everything else (columns, fill and drain in the
    // simulator) stays the real array's. The weights move and sit compressed: kept values and
    // their indices.
    arch::ArchConfig layer_arch = arch::with_operand(m_arch, precision);
    const int packing = arch::macs_per_pe_per_cycle(m_arch.array, precision);
    if (packing > 1) {
      layer_arch.array.rows *= packing;
      problem.physical_rows = m_arch.array.rows;
    }
    if (skips(anchor)) {
      if (m_arch.array.dataflow != arch::Dataflow::kOutputStationary) {
        layer_arch.array.rows =
            layer_arch.array.rows / anchor.weight_pattern_n * anchor.weight_pattern_m;
      }
      info.skip_n = static_cast<uint32_t>(anchor.weight_pattern_n);
      info.skip_m = static_cast<uint32_t>(anchor.weight_pattern_m);
      const arch::FoldLimits limits = arch::fold_limits(layer_arch.array);
      problem.compression.nm = {info.skip_n, info.skip_m,
                                static_cast<uint32_t>(m_arch.sparsity.metadata_bits_per_nonzero)};
      problem.compression.k_step = limits.k;
      problem.compression.n_step = limits.n;
      problem.compression.dram_align = m_arch.dram.access_bytes;
    } else if (skips_unstructured(anchor)) {
      // Each PE column packs its own nonzeros, and the columns of a fold share its preload and
      // stream: the fold covers as many reduction rows as the busiest of them fits in R
      // (load imbalance, docs/sparsity.md). The columns competing are those a fold fills.
      const int64_t columns = std::min<int64_t>(m_arch.array.cols, problem.cout_per_group());
      // A fold deeper than the input port feeds per cycle streams a step every few cycles; it
      // pays only where fewer folds save more fill and drain than the slower steps cost. Judged
      // on a stream of one image's output pixels (the tiler may cut it into bands) and the
      // serial preload's fill and drain (docs/sparsity.md).
      const int64_t port_operands =
          m_arch.memory.ideal
              ? 0
              : m_arch.sram.input.bytes_per_cycle / Packing(layer_precision(anchor)).offset(1);
      const int64_t fold_overhead =
          m_arch.array.rows + m_arch.array.cols - 2 +
          (m_arch.array.stationary_preload == arch::StationaryPreload::kSerial ? m_arch.array.rows
                                                                               : 0);
      const int64_t rows = port_fed_fold_rows(
          unstructured_fold_rows(m_arch.array.rows, columns, anchor.weight_density),
          m_arch.array.rows, port_operands, problem.out_h * problem.out_w, fold_overhead);
      layer_arch.array.rows = static_cast<int>(rows);
      info.skip_rows = static_cast<uint32_t>(rows);
      info.skip_density = anchor.weight_density;
    }
    const GemmTiling tiling =
        choose_gemm_tiling(problem, layer_arch, layer_location(m_graph, anchor),
                           m_options.objective);
    GemmOperands operands;
    operands.input = addr_of(anchor.inputs[0]);
    operands.pad_value = pad_value_of(anchor, anchor.inputs[0]);
    if (problem.weights_are_activations) {
      operands.weights = addr_of(anchor.inputs[1]);
    } else {
      const Placement weights = place_weights(fused, anchor, problem, tiling, Packing(precision));
      operands.weights = weights.addr;
      manifest.weights = weights.index;
    }
    const Placement params = place_params(fused, isa::VectorOp::kRequant, problem.out_c);
    operands.params = params.addr;
    manifest.params = params.index;
    place_activation(fused.output);
    operands.output = m_tensor[fused.output].addr;

    manifest.is_gemm = true;
    manifest.problem = problem;
    manifest.tiling = tiling;
    manifest.output = operands.output;

    info.mapping = describe_gemm(problem, tiling);
    if (!fused.absorbed.empty()) {
      info.mapping += "; fused:";
      for (int a : fused.absorbed) info.mapping += " " + m_graph.layers[a].name;
    }
    m_builder.begin_layer(std::move(info));
    emit_gemm(m_builder, layer_arch, problem, tiling, operands, fused.activation);
  }

  // Groups are cut at channel offsets group x Cin/groups of the input (and x Cout/groups of the
  // output); packed int4 rows can only be cut on a byte.
  void check_group_alignment(const Layer& anchor, const GemmProblem& problem,
                             arch::Precision input, arch::Precision output) const {
    if (problem.groups <= 1) return;
    const bool input_split = problem.cin_per_group() % Packing(input).alignment() != 0;
    const bool output_split = problem.cout_per_group() % Packing(output).alignment() != 0;
    if (input_split || output_split) {
      throw UserError(layer_location(m_graph, anchor) + ": its groups of " +
                      std::to_string(problem.cin_per_group()) + " input and " +
                      std::to_string(problem.cout_per_group()) +
                      " output channels would start inside a byte of packed int4 channels");
    }
  }

  // Weights are packed in tile order (docs/compiler.md), so a layer applying another's weights
  // (Layer::weights_of) reads the same DRAM tensor only when both cut K and N alike at the same
  // precision; otherwise it gets its own copy, packed for its tiling, as a compiler for a real NPU
  // would lay one out.
  Placement place_weights(const FusedLayer& fused, const Layer& anchor, const GemmProblem& problem,
                          const GemmTiling& tiling, const Packing& packing) {
    const auto owner = m_weights_by_owner.find(anchor.weights_of);
    if (owner != m_weights_by_owner.end() && owner->second.bits == packing.bits() &&
        owner->second.tiling.in_channels == tiling.in_channels &&
        owner->second.tiling.out_channels == tiling.out_channels &&
        owner->second.compression == problem.compression) {
      return owner->second.placement;
    }
    const Placement weights =
        allocate(fused.name + ".weight", packed_weights_bytes(problem, tiling, packing));
    if (anchor.weights_of < 0) {
      m_weights_by_owner[fused.anchor] = {weights, tiling, problem.compression, packing.bits()};
    }
    return weights;
  }

  struct PackedWeights {
    Placement placement;
    GemmTiling tiling;
    WeightCompression compression;
    int bits = 8;  // the owner's weight precision: a layer at another gets its own copy
  };

  const Graph& m_graph;
  const arch::ArchConfig m_arch;  // planning_design(): what the tilers plan for
  const CompileOptions& m_options;
  std::vector<arch::Precision> m_precision;  // per graph tensor that has storage: its format
  ProgramBuilder m_builder;
  DramAllocator m_dram;
  std::vector<int> m_storage_of;
  std::vector<Placement> m_tensor;  // per graph tensor that has storage: where it went
  InPlaceConcats m_concats;  // concat inputs written straight into their slices
  std::vector<LayerManifest> m_manifest;
  std::map<int, PackedWeights> m_weights_by_owner;  // by graph layer index of the owner
};

}  // namespace

CompiledModel compile_model(const Graph& graph, const arch::ArchConfig& arch,
                            const CompileOptions& options) {
  return Compiler(graph, arch, options).run();
}

std::vector<arch::Precision> stored_precisions(const Graph& graph, const arch::ArchConfig& arch) {
  const CompileOptions options;
  return Compiler(graph, arch, options).precisions_only();
}

isa::Program compile(const Graph& graph, const arch::ArchConfig& arch) {
  return compile_model(graph, arch).program;
}

isa::Program compile(const Graph& graph, const arch::ArchConfig& arch,
                     const CompileOptions& options) {
  return compile_model(graph, arch, options).program;
}

}  // namespace npu::compiler
