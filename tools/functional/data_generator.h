#pragma once
// Generates the data of a quantized model from a seed (rules in docs/numerics.md, "Generated
// data"): graph inputs, every tensor's quantization, and each layer's weights, scales, biases and
// normalisation constants. Deterministic across platforms: it uses its own integer arithmetic on a
// fixed 64-bit generator, not the standard library's distributions (whose output is unspecified).
//
// Quantization constraints of the numerics are honoured: pooling, transpose and aliases keep their
// input's quantization, tensors that share storage (a conv and the batchnorm and relu fused into
// it) share it, concatenated tensors share one, matmul operands are symmetric (zero point 0), and
// softmax outputs use 1/256 and -128 (1/128 and 0 when they are a matmul operand).

#include <cstdint>

#include "arch/arch_config.h"
#include "compiler/graph.h"
#include "sim/functional/model_data.h"

namespace npu::functional {

constexpr uint64_t kDefaultSeed = 20261121;

// `format` int8: quantized data as above. A float format: inputs uniform in [-1, 1], weights
// uniform with variance 1/K, biases uniform in [-0.1, 0.1], all rounded to the format (biases stay
// fp32, as the requantization record holds them). int4 (every tensor and layer int4) likewise, in
// int4's ranges.
ModelData generate_model_data(const compiler::Graph& graph, uint64_t seed = kDefaultSeed,
                              arch::Precision format = arch::Precision::kInt8);

// The data for running `graph` on `arch`: in its operand format, each tensor in the format the
// compiler stores it in and each conv2d/dense layer's weights at its own precision (a
// mixed-precision model has int8 and int4 tensors; compiler::stored_precisions).
ModelData generate_model_data(const compiler::Graph& graph, const arch::ArchConfig& arch,
                              uint64_t seed = kDefaultSeed);

// The same with the stored formats given: `stored` has one entry per graph tensor.
ModelData generate_model_data(const compiler::Graph& graph, uint64_t seed, arch::Precision format,
                              const std::vector<arch::Precision>& stored);

}  // namespace npu::functional
