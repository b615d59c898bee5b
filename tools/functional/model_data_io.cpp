#include "tools/functional/model_data_io.h"

#include <filesystem>
#include <functional>

#include "arch/user_error.h"
#include "sim/functional/npy.h"
#include "sim/functional/numerics.h"
#include "tools/functional/data_generator.h"

namespace npu::functional {
namespace {

namespace fs = std::filesystem;
using compiler::OpKind;

class DataDirectory {
 public:
  DataDirectory(std::string dir, LoadedData& loaded) : m_dir(std::move(dir)), m_loaded(loaded) {}

  // Reads `name`.npy into `values` (checking its shape) if the file exists, else writes `values`.
  template <typename T>
  void exchange(const std::string& name, const std::vector<int64_t>& shape, std::vector<T>& values) {
    const std::string path = (fs::path(m_dir) / (name + ".npy")).string();
    if (!fs::exists(path)) {
      write_npy(path, shape, values);
      m_loaded.generated.push_back(path);
      return;
    }
    const NpyArray array = read_npy(path);
    if (array.shape != shape) {
      throw UserError(path + ": shape " + compiler::format_shape(array.shape) + ", expected " +
                      compiler::format_shape(shape));
    }
    values = array.as<T>();
    m_loaded.read.push_back(path);
  }

 private:
  std::string m_dir;
  LoadedData& m_loaded;
};

// [Cout, Kh, Kw, Cin/groups] for conv2d, [out, in] for dense (model_data.h's layouts).
std::vector<int64_t> weight_shape(const compiler::Graph& graph, const compiler::Layer& layer) {
  const auto& in = graph.layers[static_cast<size_t>(layer.inputs[0])].output_shape;
  const int64_t channels = layer.output_shape.back();
  if (layer.op == OpKind::kConv2d) {
    return {channels, layer.window.kernel_h, layer.window.kernel_w, in.back() / layer.groups};
  }
  return {channels, in.back()};
}

// The range follows the tensor's stored format: [-128, 127] for int8, [-8, 7] for int4.
std::string range_text(const Quant& quant) {
  return "[" + std::to_string(quant.min_value()) + ", " + std::to_string(quant.max_value()) + "]";
}

void check_quant(const std::string& tensor, const Quant& quant) {
  if (!(quant.scale > 0) || quant.zero_point < quant.min_value() ||
      quant.zero_point > quant.max_value()) {
    throw UserError(tensor + ".quant.npy: scale must be > 0 and zero point in " +
                    range_text(quant));
  }
}

// An int4 tensor is stored as int8 values, each of which must fit int4.
void check_values(const std::string& file, const std::vector<int8_t>& values, const Quant& quant) {
  for (int8_t v : values) {
    if (v < quant.min_value() || v > quant.max_value()) {
      throw UserError(file + ": value " + std::to_string(v) + " is outside the tensor's " +
                      std::to_string(quant.bits) + "-bit range " + range_text(quant));
    }
  }
}

}  // namespace

namespace {

void exchange_float_model(const compiler::Graph& graph, DataDirectory& files, ModelData& data) {
  auto round_all = [&](std::vector<float>& values) {
    for (float& v : values) v = round_to_format(v, data.format);
  };
  for (size_t i = 0; i < graph.layers.size(); ++i) {
    const compiler::Layer& layer = graph.layers[i];
    LayerData& constants = data.layers[i];
    const int64_t channels = layer.output_shape.empty() ? 1 : layer.output_shape.back();
    switch (layer.op) {
      case OpKind::kInput:
        files.exchange(layer.name, layer.output_shape, data.inputs[i].values);
        round_all(data.inputs[i].values);
        break;
      case OpKind::kConv2d:
      case OpKind::kDense: {
        const std::vector<int64_t> shape = weight_shape(graph, layer);
        files.exchange(layer.name + ".weight", shape, constants.float_weights);
        round_all(constants.float_weights);
        if (!constants.float_bias.empty()) {
          files.exchange(layer.name + ".bias", {channels}, constants.float_bias);
        }
        break;
      }
      case OpKind::kBatchNorm:
      case OpKind::kLayerNorm:
        if (!constants.scale.empty()) {
          files.exchange(layer.name + ".scale", {channels}, constants.scale);
          files.exchange(layer.name + ".shift", {channels}, constants.shift);
        }
        break;
      default:
        break;
    }
  }
}

}  // namespace

LoadedData load_or_generate(const compiler::Graph& graph, const std::string& dir, uint64_t seed,
                            arch::Precision format) {
  return load_or_keep(graph, dir, generate_model_data(graph, seed, format));
}

LoadedData load_or_keep(const compiler::Graph& graph, const std::string& dir, ModelData base,
                        const std::function<void(ModelData&)>& before_constants) {
  std::error_code error;
  fs::create_directories(dir, error);
  if (error) throw UserError(dir + ": cannot create directory: " + error.message());
  LoadedData loaded;
  loaded.data = std::move(base);
  ModelData& data = loaded.data;
  const arch::Precision format = data.format;
  DataDirectory files(dir, loaded);
  if (arch::is_float(format)) {
    if (before_constants) before_constants(data);
    exchange_float_model(graph, files, data);
    return loaded;
  }

  // Every quantization first: constants set up by `before_constants` (a model's own weights,
  // quantized at their input's scale) must see the scales the directory holds.
  for (size_t i = 0; i < graph.layers.size(); ++i) {
    const compiler::Layer& layer = graph.layers[i];
    std::vector<double> quant{data.quant[i].scale, static_cast<double>(data.quant[i].zero_point)};
    files.exchange(layer.name + ".quant", {2}, quant);
    data.quant[i] =
        Quant{static_cast<float>(quant[0]), static_cast<int32_t>(quant[1]), data.quant[i].bits};
    if (quant[1] != static_cast<double>(data.quant[i].zero_point)) {
      throw UserError(dir + "/" + layer.name + ".quant.npy: the zero point must be an integer");
    }
    check_quant(dir + "/" + layer.name, data.quant[i]);
  }
  if (before_constants) before_constants(data);

  for (size_t i = 0; i < graph.layers.size(); ++i) {
    const compiler::Layer& layer = graph.layers[i];
    LayerData& constants = data.layers[i];
    const int64_t channels = layer.output_shape.empty() ? 1 : layer.output_shape.back();
    switch (layer.op) {
      case OpKind::kInput:
        files.exchange(layer.name, layer.output_shape, data.inputs[i].data);
        data.inputs[i].quant = data.quant[i];
        check_values(dir + "/" + layer.name + ".npy", data.inputs[i].data, data.quant[i]);
        break;
      case OpKind::kConv2d:
      case OpKind::kDense: {
        const std::vector<int64_t> shape = weight_shape(graph, layer);
        files.exchange(layer.name + ".weight", shape, constants.weights);
        files.exchange(layer.name + ".weight_scale", {channels}, constants.weight_scales);
        if (!constants.bias.empty()) files.exchange(layer.name + ".bias", {channels}, constants.bias);
        break;
      }
      case OpKind::kBatchNorm:
      case OpKind::kLayerNorm:
        if (!constants.scale.empty()) {
          files.exchange(layer.name + ".scale", {channels}, constants.scale);
          files.exchange(layer.name + ".shift", {channels}, constants.shift);
        }
        break;
      default:
        break;
    }
  }
  return loaded;
}

void write_outputs(const std::string& dir, const FunctionalRun& run) {
  std::error_code error;
  fs::create_directories(dir, error);
  if (error) throw UserError(dir + ": cannot create directory: " + error.message());
  for (const LayerOutput& output : run.outputs) {
    const std::string path = (fs::path(dir) / (output.name + ".npy")).string();
    if (output.value.values.empty()) {
      write_npy(path, output.value.shape, output.value.data);
    } else {
      write_npy(path, output.value.shape, output.value.values);
    }
  }
}

}  // namespace npu::functional
