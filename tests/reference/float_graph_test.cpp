// run_graph on float models: a small graph worked out by hand, every layer kind against the float
// ops called one by one in each format, and data that does not fit the format or the graph.

#include <gtest/gtest.h>

#include <cmath>
#include <random>
#include <stdexcept>
#include <string>
#include <vector>

#include "compiler/workload_reader.h"
#include "sim/functional/numerics.h"
#include "tests/reference/reference_float_ops.h"
#include "tests/reference/reference_graph.h"

namespace npu::reference {
namespace {

using arch::Precision;
using compiler::Activation;
using compiler::Graph;
using functional::ModelData;

int index_of(const Graph& graph, const std::string& name) {
  for (size_t i = 0; i < graph.layers.size(); ++i) {
    if (graph.layers[i].name == name) return static_cast<int>(i);
  }
  throw std::logic_error("no layer " + name);
}

QTensor tensor(std::vector<int64_t> shape, std::vector<float> values) {
  QTensor t;
  t.shape = std::move(shape);
  t.values = std::move(values);
  return t;
}

// Uniform in [low, high), each value rounded to the format (as model data holds them).
std::vector<float> random_values(std::mt19937& rng, int64_t count, float low, float high,
                                 Precision format) {
  std::uniform_real_distribution<float> dist(low, high);
  std::vector<float> out;
  for (int64_t i = 0; i < count; ++i) out.push_back(functional::round_to_format(dist(rng), format));
  return out;
}

// x [1,2] -> dense (no bias) -> add x -> reshape; a layer norm of the sum.
constexpr const char* kSmallYaml = R"(
name: float_small
inputs:
  - {name: x, shape: [2]}
layers:
  - {name: fc, op: dense, input: x, out_features: 2}
  - {name: sum, op: add, inputs: [fc, x]}
  - {name: r, op: reshape, input: sum, shape: [2, 1]}
  - {name: ln, op: layernorm, input: sum, epsilon: 1.0e-9}
)";

ModelData small_data(Precision format) {
  ModelData d;  // no quantization: a float model does not read data.quant
  d.format = format;
  d.inputs.resize(5);
  d.layers.resize(5);
  d.inputs[0] = tensor({1, 2}, {1.0f, std::ldexp(1.0f, -11)});
  d.layers[1].float_weights = {1, 1, 1, 3};
  d.layers[4].scale = {1, 1};
  d.layers[4].shift = {0, 0};
  return d;
}

TEST(ReferenceFloatGraph, SmallGraphByHand) {
  const Graph g = compiler::parse_workload(kSmallYaml, "float_small.yaml");
  const float u = std::ldexp(1.0f, -11);  // half of fp16's spacing on [1, 2)
  {
    // fp16: fc = [1 + u, 1 + 3u] -> [1, 1 + 4u] (both ties to even);
    // sum = [1 + 1, (1 + 4u) + u] = [2, 1 + 5u] -> [2, 1 + 4u] (a tie between 1 + 4u and 1 + 6u).
    // ln: mean = (3 + 4u) / 2, x - mean = +-(1 - 4u) / 2, var = ((1 - 4u) / 2)^2 (19 significant
    // bits, exact in float32) = 0.249..., where float32's spacing is 2^-26 = 1.5e-8: var + 1e-9
    // rounds back to var, sqrtf(var) = (1 - 4u) / 2 and y = [1, -1] exactly.
    const std::vector<QTensor> got = run_graph(g, small_data(Precision::kFp16));
    ASSERT_EQ(got.size(), 5u);
    EXPECT_EQ(got[0].values, (std::vector<float>{1, u}));
    EXPECT_EQ(got[1].values, (std::vector<float>{1, 1 + 4 * u}));
    EXPECT_EQ(got[2].values, (std::vector<float>{2, 1 + 4 * u}));
    EXPECT_EQ(got[3].shape, (std::vector<int64_t>{1, 2, 1}));
    EXPECT_EQ(got[3].values, got[2].values);
    EXPECT_EQ(got[4].values, (std::vector<float>{1, -1}));
    for (const QTensor& t : got) EXPECT_TRUE(t.data.empty());
  }
  {
    // fp32 keeps every sum: fc = [1 + u, 1 + 3u], sum = [2 + u, 1 + 4u].
    const std::vector<QTensor> got = run_graph(g, small_data(Precision::kFp32));
    EXPECT_EQ(got[1].values, (std::vector<float>{1 + u, 1 + 3 * u}));
    EXPECT_EQ(got[2].values, (std::vector<float>{2 + u, 1 + 4 * u}));
  }
}

// Every layer kind: three graph inputs, a folded (identity) and an unfolded batchnorm, fused relu
// and relu6, a stand-alone gelu; a reshape, a matmul of two activations and a layer norm.
constexpr const char* kCnnYaml = R"(
name: float_cnn
batch: 2
inputs:
  - {name: x, shape: [4, 4, 2]}
  - {name: y, shape: [2, 2, 3]}
  - {name: b, shape: [6, 4]}
layers:
  - {name: conv, op: conv2d, input: x, out_channels: 3, kernel: 3, padding: 1, bias: true,
     activation: relu}
  - {name: bn, op: batchnorm, input: conv}
  - {name: pool, op: avgpool, input: bn, kernel: 2}
  - {name: sum, op: add, inputs: [pool, y], activation: relu6}
  - {name: cat, op: concat, inputs: [sum, y]}
  - {name: mp, op: maxpool, input: cat, kernel: 2, stride: 1, padding: [0, 1, 0, 1]}
  - {name: act, op: gelu, input: mp}
  - {name: bn2, op: batchnorm, input: act}
  - {name: gap, op: global_avgpool, input: bn2}
  - {name: flat, op: flatten, input: bn2}
  - {name: fc, op: dense, input: flat, out_features: 5}
  - {name: sm, op: softmax, input: fc}
  - {name: rows, op: reshape, input: bn2, shape: [4, 6]}
  - {name: mm, op: matmul, inputs: [rows, b]}
  - {name: ln, op: layernorm, input: mm, epsilon: 0.001}
)";

struct CnnCase {
  Graph graph;
  ModelData data;
};

CnnCase make_cnn_case(Precision format) {
  CnnCase c{compiler::parse_workload(kCnnYaml, "float_cnn.yaml"), {}};
  const Graph& g = c.graph;
  ModelData& d = c.data;
  const size_t n = g.layers.size();
  d.format = format;
  d.inputs.resize(n);
  d.layers.resize(n);
  std::mt19937 rng(2025);
  auto at = [&](const char* name) { return index_of(g, name); };
  for (const char* name : {"x", "y", "b"}) {
    const int i = at(name);
    const auto& shape = g.layers[i].output_shape;
    d.inputs[i] = tensor(shape, random_values(rng, compiler::element_count(shape), -2, 2, format));
  }
  // conv: [3][3][3][2] weights and a bias; bn: folded (no constants); bn2: 6 channels.
  auto& conv = d.layers[at("conv")];
  conv.float_weights = random_values(rng, 3 * 3 * 3 * 2, -0.5f, 0.5f, format);
  conv.float_bias = random_values(rng, 3, -0.5f, 0.5f, format);
  auto& bn2 = d.layers[at("bn2")];
  bn2.scale = {0.9f, -1.2f, 0.5f, 1.1f, 0.7f, -0.4f};
  bn2.shift = {0.1f, -0.3f, 0.2f, 0.0f, 0.5f, -0.6f};
  // fc: flatten of [2,2,2,6] gives 24 features; no bias.
  d.layers[at("fc")].float_weights = random_values(rng, 5 * 24, -0.5f, 0.5f, format);
  auto& ln = d.layers[at("ln")];
  ln.scale = {1.0f, 0.5f, -2.0f, 1.5f};
  ln.shift = {0.0f, 0.25f, -0.5f, 1.0f};
  return c;
}

TEST(ReferenceFloatGraph, EqualsTheLayersComputedOneByOne) {
  for (Precision format : {Precision::kFp32, Precision::kFp16, Precision::kBf16}) {
    SCOPED_TRACE(arch::to_string(format));
    const CnnCase c = make_cnn_case(format);
    const Graph& g = c.graph;
    const ModelData& d = c.data;
    auto at = [&](const char* name) { return index_of(g, name); };
    const std::vector<QTensor> got = run_graph(g, d);
    ASSERT_EQ(got.size(), g.layers.size());
    for (size_t i = 0; i < got.size(); ++i) {
      EXPECT_EQ(got[i].shape, g.layers[i].output_shape) << g.layers[i].name;
    }

    const QTensor& x = d.inputs[at("x")];
    const QTensor& y = d.inputs[at("y")];
    const auto& cd = d.layers[at("conv")];
    const QTensor conv = conv2d_float(x, cd.float_weights, cd.float_bias,
                                      g.layers[at("conv")].window, 1, 3, Activation::kRelu, format);
    const QTensor pool = avg_pool_float(conv, g.layers[at("pool")].window, format);
    const QTensor sum = add_float(pool, y, Activation::kRelu6, format);
    const QTensor cat = concat_float({sum, y}, sum.shape.size() - 1);
    const QTensor mp = max_pool_float(cat, g.layers[at("mp")].window, format);
    const QTensor act = activation_float(mp, Activation::kGelu, format);
    const auto& bd = d.layers[at("bn2")];
    const QTensor bn2 = batchnorm_float(act, bd.scale, bd.shift, format);
    const QTensor gap = global_avg_pool_float(bn2, format);
    const QTensor flat = tensor({2, 24}, bn2.values);
    const QTensor fc =
        dense_float(flat, d.layers[at("fc")].float_weights, {}, 5, Activation::kNone, format);
    const QTensor sm = softmax_float(fc, format);
    const QTensor mm =
        matmul_float(tensor({2, 4, 6}, bn2.values), d.inputs[at("b")], Activation::kNone, format);
    const auto& ld = d.layers[at("ln")];
    const QTensor ln = layer_norm_float(mm, ld.scale, ld.shift, 0.001f, format);

    EXPECT_EQ(got[at("x")].values, x.values);
    EXPECT_EQ(got[at("y")].values, y.values);
    EXPECT_EQ(got[at("conv")].values, conv.values);
    EXPECT_EQ(got[at("bn")].values, conv.values);  // folded: the identity
    EXPECT_EQ(got[at("pool")].values, pool.values);
    EXPECT_EQ(got[at("sum")].values, sum.values);
    EXPECT_EQ(got[at("cat")].values, cat.values);
    EXPECT_EQ(got[at("mp")].values, mp.values);
    EXPECT_EQ(got[at("act")].values, act.values);
    EXPECT_EQ(got[at("bn2")].values, bn2.values);
    EXPECT_EQ(got[at("gap")].values, gap.values);
    EXPECT_EQ(got[at("flat")].values, bn2.values);
    EXPECT_EQ(got[at("fc")].values, fc.values);
    EXPECT_EQ(got[at("sm")].values, sm.values);
    EXPECT_EQ(got[at("rows")].values, bn2.values);
    EXPECT_EQ(got[at("mm")].values, mm.values);
    EXPECT_EQ(got[at("ln")].values, ln.values);
    // Every result is a value of the format.
    for (const QTensor& t : got) {
      for (float v : t.values) ASSERT_EQ(functional::round_to_format(v, format), v);
    }
  }
}

TEST(ReferenceFloatGraph, RejectsDataThatDoesNotFitTheFormatOrTheGraph) {
  auto expect_error = [](const Graph& g, const ModelData& d, const std::string& fragment) {
    try {
      run_graph(g, d);
      ADD_FAILURE() << "no error, expected one containing '" << fragment << "'";
    } catch (const std::invalid_argument& e) {
      EXPECT_NE(std::string(e.what()).find(fragment), std::string::npos) << e.what();
    }
  };
  const Graph g = compiler::parse_workload(kSmallYaml, "float_small.yaml");
  {
    ModelData d = small_data(Precision::kBf16);  // 2^-11 is a bf16 value, 1 + 2^-11 is not
    d.inputs[0].values[0] = 1.0f + std::ldexp(1.0f, -11);
    expect_error(
        g, d,
        "layer 'x' (input): data.inputs value 1.00048828 at index 0 is not representable in bf16");
  }
  {
    ModelData d = small_data(Precision::kFp16);
    d.inputs[0].values.pop_back();
    expect_error(g, d, "layer 'x'");
  }
  {
    ModelData d = small_data(Precision::kFp16);  // int8 constants only
    d.layers[1].float_weights.clear();
    d.layers[1].weights = {1, 1, 1, 3};
    expect_error(g, d, "layer 'fc'");
  }
  {
    ModelData d = small_data(Precision::kFp16);
    d.layers[1].float_weights[0] = 0.1f;
    expect_error(g, d, "layer 'fc'");
  }
  {
    ModelData d = small_data(Precision::kFp16);
    d.layers[4].shift.clear();
    expect_error(g, d, "layer 'ln'");
  }
  {
    ModelData d = small_data(Precision::kFp16);
    d.layers.resize(2);
    expect_error(g, d, "no layer data");
  }
}

}  // namespace
}  // namespace npu::reference
