#include "tools/functional/functional_run.h"

#include "arch/user_error.h"
#include "compiler/element_types.h"
#include "sim/functional/element_codec.h"
#include "sim/functional/packed_integers.h"
#include "tools/functional/dram_image.h"

namespace npu::functional {
namespace {

// A concat along the channels whose input starts inside a byte of packed int4 channels (an odd
// offset) is stored by a DMA that shifts nibbles, which the timing model charges but the ISA's
// byte-moving DMA cannot express: the interpreter would compute something else, so refuse it.
void refuse_int4_concat_inside_a_byte(const compiler::Graph& graph,
                                      const compiler::CompiledModel& model) {
  for (const compiler::LayerManifest& manifest : model.layers) {
    const compiler::Layer& anchor = graph.layers[static_cast<size_t>(manifest.fused.anchor)];
    if (anchor.op != compiler::OpKind::kConcat ||
        model.tensor_precision.at(static_cast<size_t>(manifest.fused.output)) !=
            arch::Precision::kInt4) {
      continue;
    }
    if (compiler::concat_axis(anchor) + 1 != anchor.output_shape.size())
      continue;  // whole rows: every part starts on a byte
    int64_t offset = 0;
    for (int input : anchor.inputs) {
      if (offset % 2 != 0) {
        throw UserError("--functional: layer '" + anchor.name + "': input '" +
                        graph.layers[static_cast<size_t>(input)].name +
                        "' starts at int4 channel " + std::to_string(offset) +
                        ", inside a byte; the nibble-shifting DMA this needs is modelled for "
                        "timing only and the functional interpreter does not execute it");
      }
      offset += graph.layers[static_cast<size_t>(input)].output_shape.back();
    }
  }
}

}  // namespace

compiler::CompileOptions compile_options_for(const ModelData& data) {
  compiler::CompileOptions options;
  for (const Quant& quant : data.quant) options.zero_points.push_back(quant.zero_point);
  return options;
}

FunctionalRun run_functional(const compiler::Graph& graph, const compiler::CompiledModel& model,
                             const ModelData& data, const arch::ArchConfig& arch) {
  refuse_int4_concat_inside_a_byte(graph, model);
  MemoryImage dram = build_dram_image(graph, model, data);
  Interpreter interpreter(arch, model.program, dram);
  interpreter.run();

  FunctionalRun run;
  run.counts = interpreter.counts();
  for (size_t l = 0; l < model.layers.size(); ++l) {
    const int tensor = model.layers[l].fused.output;
    const int64_t dram_tensor = model.tensor_of[static_cast<size_t>(tensor)];
    if (dram_tensor < 0) continue;
    const isa::DramTensor& where = model.program.tensors[static_cast<size_t>(dram_tensor)];
    const std::string problem = dram.check_read(where.addr, where.bytes);
    if (!problem.empty()) {
      throw ProgramError("layer '" + model.program.layers[l].name + "': its output " + problem);
    }
    LayerOutput output;
    output.name = model.program.layers[l].name;
    output.tensor = tensor;
    output.value.shape = graph.layers[static_cast<size_t>(tensor)].output_shape;
    output.value.quant = data.quant[static_cast<size_t>(tensor)];
    if (isa::is_float(model.program.operand_type)) {
      const isa::ElementType type = model.program.operand_type;
      const uint64_t bytes = static_cast<uint64_t>(isa::element_bytes(type));
      output.value.values.resize(where.bytes / bytes);
      for (uint64_t i = 0; i < where.bytes / bytes; ++i) {
        output.value.values[i] = decode_float(dram.data() + where.addr + i * bytes, type);
      }
    } else {
      // Rows of channels, int4 unpacked to one value per int8.
      const std::vector<int64_t>& shape = output.value.shape;
      const int64_t channels = shape.empty() ? 1 : shape.back();
      const int64_t rows = compiler::element_count(shape) / channels;
      output.value.data = unpack_rows(
          dram.data() + where.addr, rows, channels,
          compiler::operand_type(model.tensor_precision.at(static_cast<size_t>(tensor))));
    }
    run.outputs.push_back(std::move(output));
  }
  return run;
}

}  // namespace npu::functional
