#include "tools/functional/functional_run.h"

#include "sim/functional/element_codec.h"
#include "tools/functional/dram_image.h"

namespace npu::functional {

compiler::CompileOptions compile_options_for(const ModelData& data) {
  compiler::CompileOptions options;
  for (const Quant& quant : data.quant) options.zero_points.push_back(quant.zero_point);
  return options;
}

FunctionalRun run_functional(const compiler::Graph& graph, const compiler::CompiledModel& model,
                             const ModelData& data, const arch::ArchConfig& arch) {
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
      output.value.data.resize(where.bytes);
      dram.read(where.addr, output.value.data.data(), where.bytes);
    }
    run.outputs.push_back(std::move(output));
  }
  return run;
}

}  // namespace npu::functional
