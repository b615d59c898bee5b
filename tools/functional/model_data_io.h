#pragma once
// The model data as a directory of .npy files, one per tensor, named after it (docs/numerics.md,
// "Data files"):
//   <input>.npy              int8, the graph input, NHWC with batch (an int4 tensor: int8 values
//                            in [-8, 7], one per element, unpacked)
//   <tensor>.quant.npy       float64 [2]: scale, zero point of every activation tensor
//   <layer>.weight.npy       int8 [Cout, Kh, Kw, Cin/groups] (conv2d) or [out, in] (dense);
//                            a layer at int4: values in [-7, 7]
//   <layer>.weight_scale.npy float32 [Cout]
//   <layer>.bias.npy         int32 [Cout]
//   <layer>.scale.npy, <layer>.shift.npy   float32 [C]: unfolded batchnorm, layernorm gamma/beta
// Files present are read (and checked against the graph); the rest are generated from the seed and
// written, so the next run reads exactly the same data and a user can edit any of it.

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "compiler/graph.h"
#include "sim/functional/model_data.h"
#include "tools/functional/functional_run.h"

namespace npu::functional {

struct LoadedData {
  ModelData data;
  std::vector<std::string> generated;  // files this call wrote
  std::vector<std::string> read;       // files this call read
};

// `format`: int8 as above; a float format stores float32 values (inputs, weights, biases) that
// are rounded to the format when read, and no .quant files.
LoadedData load_or_generate(const compiler::Graph& graph, const std::string& dir, uint64_t seed,
                            arch::Precision format = arch::Precision::kInt8);

// The same starting from `base` (generated data) instead of data generated from a seed: files
// present replace its values, the rest of it is written. `before_constants`, when given, runs once
// the directory's quantizations are in `data` and before inputs and layer constants are exchanged
// (it puts a model's own weights in, quantized at the scales the run will use).
LoadedData load_or_keep(const compiler::Graph& graph, const std::string& dir, ModelData base,
                        const std::function<void(ModelData&)>& before_constants = {});

// Writes <layer>.npy (int8, int8 holding int4 values for an int4 tensor, or float32 for a float
// model; the layer's output shape) for every
// layer of the run.
void write_outputs(const std::string& dir, const FunctionalRun& run);

}  // namespace npu::functional
