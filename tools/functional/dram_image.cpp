#include "tools/functional/dram_image.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <stdexcept>

#include "arch/user_error.h"
#include "compiler/element_types.h"
#include "compiler/gemm_codegen.h"
#include "isa/accesses.h"
#include "sim/functional/element_codec.h"
#include "sim/functional/numerics.h"
#include "sim/functional/packed_integers.h"
#include "tools/functional/weight_pruning.h"

namespace npu::functional {
namespace {

using compiler::Activation;
using compiler::OpKind;

// Little-endian byte sink for one parameter block.
class Block {
 public:
  void i32(int32_t v) { raw(&v, 4); }
  void f32(float v) { raw(&v, 4); }
  void i8(int32_t v) {
    const int8_t b = static_cast<int8_t>(v);
    raw(&b, 1);
  }
  void zeros(size_t n) { m_bytes.insert(m_bytes.end(), n, 0); }
  const std::vector<uint8_t>& bytes() const { return m_bytes; }

 private:
  void raw(const void* p, size_t n) {
    const auto* b = static_cast<const uint8_t*>(p);
    m_bytes.insert(m_bytes.end(), b, b + n);
  }
  std::vector<uint8_t> m_bytes;
};

struct ClampRange {
  int32_t lo = -128;
  int32_t hi = 127;
};

// The range a fused activation clamps to within the output's (int8 or int4; docs/numerics.md,
// vec.requant).
ClampRange clamp_for(Activation activation, const Quant& out) {
  ClampRange range{out.min_value(), out.max_value()};
  if (activation == Activation::kRelu || activation == Activation::kRelu6) {
    range.lo = std::max(out.min_value(), out.zero_point);
  }
  if (activation == Activation::kRelu6) {
    range.hi = static_cast<int32_t>(std::min<int64_t>(
        out.max_value(), out.zero_point + round_away(6.0 / static_cast<double>(out.scale))));
  }
  return range;
}

int bits_of(arch::Precision precision) { return precision == arch::Precision::kInt4 ? 4 : 8; }

double activation_function(Activation f, double r) {
  switch (f) {
    case Activation::kNone: return r;
    case Activation::kRelu: return std::max(r, 0.0);
    case Activation::kRelu6: return std::min(std::max(r, 0.0), 6.0);
    case Activation::kSigmoid: return 1.0 / (1.0 + std::exp(-r));
    case Activation::kTanh: return std::tanh(r);
    case Activation::kGelu: return 0.5 * r * (1.0 + std::erf(r / std::sqrt(2.0)));
  }
  return r;
}

class ImageBuilder {
 public:
  ImageBuilder(const compiler::Graph& graph, const compiler::CompiledModel& model,
               const ModelData& data)
      : m_graph(graph),
        m_model(model),
        m_data(data),
        m_image("DRAM", dram_size(model)),
        m_float(isa::is_float(model.program.operand_type)),
        m_type(model.program.operand_type),
        m_bytes(m_float ? isa::element_bytes(model.program.operand_type) : 1) {
    if (compiler::operand_type(data.format) != m_type) {
      throw UserError(std::string("the model's data is ") + arch::to_string(data.format) +
                      " but the program computes in " + isa::to_string(m_type));
    }
    if (!m_float) check_tensor_widths();
  }

  MemoryImage run() {
    for (size_t i = 0; i < m_graph.layers.size(); ++i) {
      if (m_graph.layers[i].op != OpKind::kInput) continue;
      const QTensor& input = m_data.inputs[i];
      const int64_t tensor = m_model.tensor_of[i];
      if (tensor < 0) throw std::logic_error("graph input has no DRAM tensor");
      if (m_float) {
        const std::vector<uint8_t> bytes = encode(input.values);
        put(static_cast<size_t>(tensor), bytes.data(), bytes.size());
      } else {
        // NHWC rows of channels, int4 packed per row (docs/isa.md).
        const int64_t channels = input.shape.empty() ? 1 : input.shape.back();
        const std::vector<uint8_t> bytes = pack_rows(input.data, channels, stored_type(i));
        put(static_cast<size_t>(tensor), bytes.data(), bytes.size());
      }
    }
    for (m_layer = 0; m_layer < m_model.layers.size(); ++m_layer) {
      write_constants(m_model.layers[m_layer]);
    }
    return std::move(m_image);
  }

 private:
  // The format the program stores graph tensor `i` in.
  isa::ElementType stored_type(size_t i) const {
    return compiler::operand_type(m_model.tensor_precision.at(i));
  }

  // Every tensor's quantization must be as wide as the format the program stores it in: int4
  // data in an int8 tensor (or the reverse) would be packed or clamped wrongly.
  void check_tensor_widths() const {
    for (size_t i = 0; i < m_graph.layers.size(); ++i) {
      const int stored = bits_of(m_model.tensor_precision.at(i));
      if (m_data.quant.at(i).bits != stored) {
        throw UserError("tensor '" + m_graph.layers[i].name + "': its data is " +
                        std::to_string(m_data.quant[i].bits) +
                        "-bit but the program stores it as " +
                        arch::to_string(m_model.tensor_precision[i]));
      }
    }
  }
  static uint64_t dram_size(const compiler::CompiledModel& model) {
    uint64_t end = 0;
    for (const isa::DramTensor& t : model.program.tensors) end = std::max(end, t.addr + t.bytes);
    return end;
  }

  void put(size_t tensor_index, const void* bytes, size_t length) {
    const isa::DramTensor& tensor = m_model.program.tensors[tensor_index];
    if (length != tensor.bytes) {
      throw std::logic_error("tensor '" + tensor.name + "' holds " + std::to_string(tensor.bytes) +
                             " bytes, its data has " + std::to_string(length));
    }
    m_image.write(tensor.addr, bytes, length);
  }

  const Quant& quant(int tensor) const { return m_data.quant[static_cast<size_t>(tensor)]; }

  std::vector<uint8_t> encode(const std::vector<float>& values) const {
    std::vector<uint8_t> bytes(values.size() * static_cast<size_t>(m_bytes));
    for (size_t i = 0; i < values.size(); ++i) encode_float(&bytes[i * m_bytes], m_type, values[i]);
    return bytes;
  }

  // The clamp of a fused activation on a float output (docs/numerics.md, floating point).
  static std::pair<float, float> float_clamp(Activation activation) {
    if (activation == Activation::kRelu) return {0.0f, INFINITY};
    if (activation == Activation::kRelu6) return {0.0f, 6.0f};
    return {-INFINITY, INFINITY};
  }

  void write_float_constants(const compiler::LayerManifest& manifest) {
    const compiler::FusedLayer& fused = manifest.fused;
    const compiler::Layer& anchor = m_graph.layers[static_cast<size_t>(fused.anchor)];
    const LayerData& data = m_data.layers[static_cast<size_t>(fused.anchor)];
    const auto [lo, hi] = float_clamp(fused.activation);
    Block block;
    switch (anchor.op) {
      case OpKind::kConv2d:
      case OpKind::kDense:
        write_weights(manifest, anchor);
        [[fallthrough]];
      case OpKind::kMatmul:
        for (int64_t co = 0; co < manifest.problem.out_c; ++co) {
          block.f32(data.float_bias.empty() ? 0.0f : data.float_bias[static_cast<size_t>(co)]);
          block.f32(lo);
          block.f32(hi);
        }
        break;
      case OpKind::kAdd:
      case OpKind::kMul:
        block.f32(lo);
        block.f32(hi);
        break;
      case OpKind::kBatchNorm:
        for (size_t c = 0; c < data.scale.size(); ++c) {
          block.f32(data.scale[c]);
          block.f32(data.shift[c]);
        }
        break;
      case OpKind::kLayerNorm:
        block.zeros(16);
        block.f32(anchor.epsilon);
        block.zeros(isa::kLayerNormHeaderBytes - 20);
        for (size_t c = 0; c < data.scale.size(); ++c) {
          block.f32(data.scale[c]);
          block.f32(data.shift[c]);
        }
        break;
      default:
        return;  // act, softmax, pooling, concat, transpose, aliases: no constants
    }
    put_params(manifest, block);
  }

  void write_constants(const compiler::LayerManifest& manifest) {
    if (m_float) return write_float_constants(manifest);
    const compiler::FusedLayer& fused = manifest.fused;
    const compiler::Layer& anchor = m_graph.layers[static_cast<size_t>(fused.anchor)];
    const Quant& out = quant(fused.output);
    switch (anchor.op) {
      case OpKind::kConv2d:
      case OpKind::kDense:
        write_weights(manifest, anchor);
        write_requant_records(manifest, anchor, out);
        break;
      case OpKind::kMatmul:
        write_matmul_records(manifest, anchor, out);
        break;
      case OpKind::kAdd:
        write_add_block(manifest, anchor, out, fused.activation);
        break;
      case OpKind::kMul:
        write_mul_block(manifest, anchor, out, fused.activation);
        break;
      case OpKind::kActivation:
        write_table(manifest, anchor, out);
        break;
      case OpKind::kBatchNorm:
        write_scale_shift(manifest, anchor, out);
        break;
      case OpKind::kSoftmax: {
        Block block;
        block.f32(quant(anchor.inputs[0]).scale);
        block.i32(quant(anchor.inputs[0]).zero_point);
        block.f32(1.0f / out.scale);
        block.i32(out.zero_point);
        put_params(manifest, block);
        break;
      }
      case OpKind::kLayerNorm:
        write_layer_norm(manifest, anchor, out);
        break;
      default:
        break;  // pooling, concat, transpose, aliases: no constants
    }
  }

  void put_params(const compiler::LayerManifest& manifest, const Block& block) {
    if (manifest.params < 0) throw std::logic_error("layer '" + manifest.fused.name + "' has no parameter tensor");
    put(static_cast<size_t>(manifest.params), block.bytes().data(), block.bytes().size());
  }

  // Weights in tile order: per group, output-channel chunk, input-channel chunk, a row-major
  // (kernel row, kernel column, input channel) x output channel matrix.
  void write_weights(const compiler::LayerManifest& manifest, const compiler::Layer& anchor) {
    const LayerData& data = m_data.layers[static_cast<size_t>(manifest.fused.anchor)];
    const compiler::GemmProblem& p = manifest.problem;
    const compiler::GemmTiling& t = manifest.tiling;
    const int64_t cin = p.cin_per_group();
    const int64_t cout = p.cout_per_group();
    const int64_t kh = p.window.kernel_h;
    const int64_t kw = p.window.kernel_w;
    // Packed groups (GemmProblem::packed_groups): the layer's own weights sit on the diagonal
    // blocks, zeros elsewhere.
    const int64_t layer_cin = p.layer_cin_per_group();
    const int64_t layer_cout = p.layer_cout_per_group();
    const size_t count = m_float ? data.float_weights.size() : data.weights.size();
    if (static_cast<int64_t>(count) != p.out_c * kh * kw * layer_cin) {
      throw UserError("layer '" + anchor.name + "': weights hold " + std::to_string(count) +
                      " values, the layer needs " + std::to_string(p.out_c * kh * kw * layer_cin));
    }
    if (p.compression.compressed()) return write_compressed_weights(manifest, anchor);
    const isa::ElementType type = m_model.program.operand_type_of(static_cast<uint32_t>(m_layer));
    const bool int4 = type == isa::ElementType::kInt4;
    if (int4) {
      for (int8_t w : data.weights) {
        if (w < -7 || w > 7) {
          throw UserError("layer '" + anchor.name + "': weight " + std::to_string(w) +
                          " is outside int4's symmetric [-7, 7]");
        }
      }
    }
    // Each tile row (one reduction element's nt weights) starts on a byte: whole-byte elements
    // one after another, int4 two per byte (sim/functional/packed_integers.h).
    const compiler::Packing packing(int4 ? 4 : 8 * m_bytes);
    std::vector<uint8_t> packed(compiler::packed_weights_bytes(p, t, packing), 0);
    std::vector<int8_t> row_values;
    for (int64_t g = 0; g < p.groups; ++g) {
      for (int64_t n0 = 0, nc = 0; n0 < cout; n0 += t.out_channels, ++nc) {
        const int64_t nt = std::min(t.out_channels, cout - n0);
        for (int64_t c0 = 0, kc = 0; c0 < cin; c0 += t.in_channels, ++kc) {
          const int64_t ct = std::min(t.in_channels, cin - c0);
          const uint64_t base = compiler::packed_weight_offset(p, t, packing, g, nc, kc);
          for (int64_t row = 0; row < kh * kw * ct; ++row) {
            const int64_t tap = row / ct;
            const int64_t ci = c0 + row % ct;  // within the packed group
            uint8_t* target = &packed[base + static_cast<uint64_t>(row * packing.bytes(nt))];
            row_values.assign(static_cast<size_t>(nt), 0);
            for (int64_t n = 0; n < nt; ++n) {
              if ((n0 + n) / layer_cout != ci / layer_cin) continue;  // off the diagonal: 0
              const int64_t co = g * cout + n0 + n;
              const size_t source = static_cast<size_t>(
                  ((co * kh + tap / kw) * kw + tap % kw) * layer_cin + ci % layer_cin);
              if (m_float) {
                encode_float(target + n * m_bytes, m_type, data.float_weights[source]);
              } else {
                row_values[static_cast<size_t>(n)] = data.weights[source];
              }
            }
            if (m_float) continue;
            const std::vector<uint8_t> bytes =
                int4 ? pack_rows(row_values, nt, isa::ElementType::kInt4)
                     : std::vector<uint8_t>(row_values.begin(), row_values.end());
            std::copy(bytes.begin(), bytes.end(), target);
          }
        }
      }
    }
    if (manifest.weights < 0) throw std::logic_error("layer '" + anchor.name + "' has no weight tensor");
    put(static_cast<size_t>(manifest.weights), packed.data(), packed.size());
  }

  // A skipped N:M layer's weights, tile by tile as the compiler laid them out
  // (compiler/compressed_weights.h): per K fold and column block, each column's kept values of
  // every group of M rows, then their positions in the group. The weights follow the pattern
  // (pruned, or checked when they came from files), so the kept values are the group's nonzeros.
  void write_compressed_weights(const compiler::LayerManifest& manifest,
                                const compiler::Layer& anchor) {
    const LayerData& data = m_data.layers[static_cast<size_t>(manifest.fused.anchor)];
    const compiler::GemmProblem& p = manifest.problem;
    const compiler::GemmTiling& t = manifest.tiling;
    const compiler::WeightCompression& c = p.compression;
    const isa::NmCompression& nm = c.nm;
    const int64_t cin = p.cin_per_group();
    const int64_t cout = p.cout_per_group();
    const int64_t kw = p.window.kernel_w;
    const int64_t eb = m_bytes;
    std::vector<uint8_t> packed(compiler::packed_weights_bytes(p, t, compiler::Packing(8 * m_bytes)), 0);
    std::vector<double> magnitudes;
    for (int64_t g = 0; g < p.groups; ++g) {
      for (int64_t n0 = 0, nc = 0; n0 < cout; n0 += t.out_channels, ++nc) {
        const int64_t nt = std::min(t.out_channels, cout - n0);
        for (int64_t c0 = 0, kc = 0; c0 < cin; c0 += t.in_channels, ++kc) {
          const int64_t ct = std::min(t.in_channels, cin - c0);
          const int64_t k_tile = p.taps() * ct;
          const uint64_t base = compiler::packed_weight_offset(p, t, compiler::Packing(8 * m_bytes), g, nc, kc);
          // The layer's weight at tile row `row` ((kernel row, kernel column, channel) in the
          // chunk) and tile column n, as stored in the model data.
          auto source = [&](int64_t row, int64_t n) {
            const int64_t tap = row / ct;
            const int64_t co = g * cout + n0 + n;
            return static_cast<size_t>(((co * p.window.kernel_h + tap / kw) * kw + tap % kw) * cin +
                                       c0 + row % ct);
          };
          const int64_t k_step = c.k_step > 0 ? c.k_step : k_tile;
          const int64_t n_step = c.n_step > 0 ? c.n_step : nt;
          for (int64_t kf = 0; kf < k_tile; kf += k_step) {
            const int64_t kr = std::min(k_step, k_tile - kf);
            const int64_t kept = static_cast<int64_t>(isa::nm_kept_rows(kr, nm.keep_n, nm.group_m));
            for (int64_t nf = 0; nf < nt; nf += n_step) {
              const int64_t nr = std::min(n_step, nt - nf);
              const uint64_t block = base + compiler::fold_dram_offset(c, kf, nt, eb) +
                                     compiler::column_block_offset(c, kr, nt, nf, eb);
              const uint64_t indices = block + static_cast<uint64_t>(kept * nr * eb);
              for (int64_t n = 0; n < nr; ++n) {
                for (int64_t r0 = 0, group = 0; r0 < kr; r0 += nm.group_m, ++group) {
                  const int64_t rows = std::min<int64_t>(nm.group_m, kr - r0);
                  magnitudes.assign(static_cast<size_t>(rows), 0.0);
                  int64_t nonzeros = 0;
                  for (int64_t r = 0; r < rows; ++r) {
                    const size_t at = source(kf + r0 + r, nf + n);
                    const double w = m_float ? data.float_weights[at] : data.weights[at];
                    magnitudes[static_cast<size_t>(r)] = std::fabs(w);
                    nonzeros += w != 0.0;
                  }
                  if (nonzeros > static_cast<int64_t>(nm.keep_n)) {
                    throw std::logic_error("layer '" + anchor.name + "': weights break its " +
                                           std::to_string(nm.keep_n) + ":" +
                                           std::to_string(nm.group_m) + " pattern");
                  }
                  const std::vector<int> positions = nm_kept_positions(magnitudes, nm.keep_n);
                  for (size_t slot = 0; slot < positions.size(); ++slot) {
                    const int64_t j = group * nm.keep_n + static_cast<int64_t>(slot);
                    const size_t at = source(kf + r0 + positions[slot], nf + n);
                    uint8_t* target = &packed[block + static_cast<uint64_t>((j * nr + n) * eb)];
                    if (m_float) {
                      encode_float(target, m_type, data.float_weights[at]);
                    } else {
                      *target = static_cast<uint8_t>(data.weights[at]);
                    }
                    put_bits(&packed[indices], static_cast<uint64_t>(j * nr + n) * nm.index_bits,
                             nm.index_bits, static_cast<uint64_t>(positions[slot]));
                  }
                }
              }
            }
          }
        }
      }
    }
    if (manifest.weights < 0)
      throw std::logic_error("layer '" + anchor.name + "' has no weight tensor");
    put(static_cast<size_t>(manifest.weights), packed.data(), packed.size());
  }

  // Writes `width` bits of value at bit `first` of a little-endian bit string.
  static void put_bits(uint8_t* bytes, uint64_t first, uint32_t width, uint64_t value) {
    for (uint32_t b = 0; b < width; ++b) {
      const uint64_t bit = first + b;
      if ((value >> b) & 1u) bytes[bit / 8] |= static_cast<uint8_t>(1u << (bit % 8));
    }
  }

  void write_requant_records(const compiler::LayerManifest& manifest, const compiler::Layer& anchor,
                             const Quant& out) {
    const LayerData& data = m_data.layers[static_cast<size_t>(manifest.fused.anchor)];
    const compiler::GemmProblem& p = manifest.problem;
    const Quant& in = quant(anchor.inputs[0]);
    const int64_t per_channel = p.taps() * p.layer_cin_per_group();
    const ClampRange range = clamp_for(manifest.fused.activation, out);
    Block block;
    for (int64_t co = 0; co < p.out_c; ++co) {
      // The array sums x * w with padding reading the zero point: fold -z_in * sum(w) into the bias.
      int64_t weight_sum = 0;
      for (int64_t j = 0; j < per_channel; ++j) {
        weight_sum += data.weights[static_cast<size_t>(co * per_channel + j)];
      }
      const int64_t bias = (data.bias.empty() ? 0 : data.bias[static_cast<size_t>(co)]) -
                           int64_t{in.zero_point} * weight_sum;
      const QuantizedMultiplier m = quantize_multiplier(
          static_cast<double>(in.scale) * data.weight_scales[static_cast<size_t>(co)] / out.scale);
      block.i32(static_cast<int32_t>(bias));
      block.i32(m.multiplier);
      block.i8(m.shift);
      block.i8(out.zero_point);
      block.i8(range.lo);
      block.i8(range.hi);
    }
    put_params(manifest, block);
  }

  void write_matmul_records(const compiler::LayerManifest& manifest, const compiler::Layer& anchor,
                            const Quant& out) {
    const Quant& a = quant(anchor.inputs[0]);
    const Quant& b = quant(anchor.inputs[1]);
    if (a.zero_point != 0 || b.zero_point != 0) {
      throw UserError("layer '" + anchor.name + "': a functional matmul needs both operands "
                      "quantized with zero point 0");
    }
    const QuantizedMultiplier m =
        quantize_multiplier(static_cast<double>(a.scale) * b.scale / out.scale);
    const ClampRange range = clamp_for(manifest.fused.activation, out);
    Block block;
    for (int64_t co = 0; co < manifest.problem.out_c; ++co) {
      block.i32(0);
      block.i32(m.multiplier);
      block.i8(m.shift);
      block.i8(out.zero_point);
      block.i8(range.lo);
      block.i8(range.hi);
    }
    put_params(manifest, block);
  }

  void write_add_block(const compiler::LayerManifest& manifest, const compiler::Layer& anchor,
                       const Quant& out, Activation activation) {
    constexpr int kLeftShift = 20;
    const Quant& a = quant(anchor.inputs[0]);
    const Quant& b = quant(anchor.inputs[1]);
    const double twice_max = 2.0 * std::max(a.scale, b.scale);
    const QuantizedMultiplier ma = quantize_multiplier(a.scale / twice_max);
    const QuantizedMultiplier mb = quantize_multiplier(b.scale / twice_max);
    const QuantizedMultiplier mo =
        quantize_multiplier(twice_max / (static_cast<double>(1 << kLeftShift) * out.scale));
    const ClampRange range = clamp_for(activation, out);
    Block block;
    for (int32_t v : {ma.multiplier, ma.shift, a.zero_point, mb.multiplier, mb.shift, b.zero_point,
                      mo.multiplier, mo.shift, out.zero_point, kLeftShift, range.lo, range.hi}) {
      block.i32(v);
    }
    put_params(manifest, block);
  }

  void write_mul_block(const compiler::LayerManifest& manifest, const compiler::Layer& anchor,
                       const Quant& out, Activation activation) {
    const Quant& a = quant(anchor.inputs[0]);
    const Quant& b = quant(anchor.inputs[1]);
    const QuantizedMultiplier m =
        quantize_multiplier(static_cast<double>(a.scale) * b.scale / out.scale);
    const ClampRange range = clamp_for(activation, out);
    Block block;
    for (int32_t v : {a.zero_point, b.zero_point, m.multiplier, m.shift, out.zero_point, range.lo,
                      range.hi, 0}) {
      block.i32(v);
    }
    put_params(manifest, block);
  }

  void write_table(const compiler::LayerManifest& manifest, const compiler::Layer& anchor,
                   const Quant& out) {
    const Quant& in = quant(anchor.inputs[0]);
    Block block;
    for (int i = 0; i < 256; ++i) {
      const double real = static_cast<double>(in.scale) * (i - 128 - in.zero_point);
      const double y = activation_function(anchor.activation, real);
      block.i8(std::clamp<int64_t>(round_away(y / out.scale) + out.zero_point, out.min_value(),
                                   out.max_value()));
    }
    put_params(manifest, block);
  }

  void write_scale_shift(const compiler::LayerManifest& manifest, const compiler::Layer& anchor,
                         const Quant& out) {
    const LayerData& data = m_data.layers[static_cast<size_t>(manifest.fused.anchor)];
    const Quant& in = quant(anchor.inputs[0]);
    Block block;
    for (size_t c = 0; c < data.scale.size(); ++c) {
      const double a = data.scale[c];
      QuantizedMultiplier m = quantize_multiplier(std::fabs(static_cast<double>(in.scale) * a / out.scale));
      if (a < 0) m.multiplier = -m.multiplier;
      block.i32(m.multiplier);
      block.i32(static_cast<int32_t>(round_away(data.shift[c] / out.scale)));
      block.i8(m.shift);
      block.i8(in.zero_point);
      block.i8(out.zero_point);
      block.zeros(isa::kScaleShiftParamBytes - 11);
    }
    put_params(manifest, block);
  }

  void write_layer_norm(const compiler::LayerManifest& manifest, const compiler::Layer& anchor,
                        const Quant& out) {
    const LayerData& data = m_data.layers[static_cast<size_t>(manifest.fused.anchor)];
    const Quant& in = quant(anchor.inputs[0]);
    Block block;
    block.f32(in.scale);
    block.i32(in.zero_point);
    block.f32(1.0f / out.scale);
    block.i32(out.zero_point);
    block.f32(anchor.epsilon);
    block.zeros(isa::kLayerNormHeaderBytes - 20);
    for (size_t c = 0; c < data.scale.size(); ++c) {
      block.f32(data.scale[c]);
      block.f32(data.shift[c]);
    }
    put_params(manifest, block);
  }

  const compiler::Graph& m_graph;
  const compiler::CompiledModel& m_model;
  const ModelData& m_data;
  MemoryImage m_image;
  bool m_float;
  isa::ElementType m_type;
  int m_bytes;         // a float operand's bytes; 1 for integer models (int4 packs per tensor)
  size_t m_layer = 0;  // the program layer whose constants are being written
};

}  // namespace

MemoryImage build_dram_image(const compiler::Graph& graph, const compiler::CompiledModel& model,
                             const ModelData& data) {
  return ImageBuilder(graph, model, data).run();
}

}  // namespace npu::functional
