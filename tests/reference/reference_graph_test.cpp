// run_graph against the same layers computed one by one with the reference ops: the graph runner
// must pass each layer its inputs, constants, window, fused activation and quantization, treat a
// batchnorm without constants as the identity and flatten/reshape as relabelling, and reject data
// that does not fit the graph.

#include "tests/reference/reference_graph.h"

#include <gtest/gtest.h>

#include <random>
#include <stdexcept>
#include <string>
#include <vector>

#include "compiler/workload_reader.h"
#include "tests/reference/reference_ops.h"

namespace npu::reference {
namespace {

using compiler::Activation;
using compiler::Graph;
using functional::ModelData;

int index_of(const Graph& graph, const std::string& name) {
  for (size_t i = 0; i < graph.layers.size(); ++i) {
    if (graph.layers[i].name == name) return static_cast<int>(i);
  }
  throw std::logic_error("no layer " + name);
}

template <typename T>
std::vector<T> random_values(std::mt19937& rng, int64_t count, int low, int high) {
  std::uniform_int_distribution<int> dist(low, high);
  std::vector<T> out;
  for (int64_t i = 0; i < count; ++i) out.push_back(static_cast<T>(dist(rng)));
  return out;
}

// Every layer kind except matmul, reshape and layer norm (the next test); two graph inputs, a
// folded (identity) and an unfolded batchnorm, fused relu and relu6, a stand-alone sigmoid.
constexpr const char* kCnnYaml = R"(
name: reference_cnn
batch: 2
inputs:
  - {name: x, shape: [4, 4, 2]}
  - {name: y, shape: [2, 2, 3]}
layers:
  - {name: conv, op: conv2d, input: x, out_channels: 3, kernel: 3, padding: 1, bias: true,
     activation: relu}
  - {name: bn, op: batchnorm, input: conv}
  - {name: pool, op: avgpool, input: bn, kernel: 2}
  - {name: sum, op: add, inputs: [pool, y], activation: relu6}
  - {name: cat, op: concat, inputs: [sum, y]}
  - {name: mp, op: maxpool, input: cat, kernel: 2, stride: 1, padding: [0, 1, 0, 1]}
  - {name: sig, op: sigmoid, input: mp}
  - {name: bn2, op: batchnorm, input: sig}
  - {name: gap, op: global_avgpool, input: bn2}
  - {name: flat, op: flatten, input: bn2}
  - {name: fc, op: dense, input: flat, out_features: 5}
  - {name: sm, op: softmax, input: fc}
)";

struct CnnCase {
  Graph graph;
  ModelData data;
};

CnnCase make_cnn_case() {
  CnnCase c{compiler::parse_workload(kCnnYaml, "reference_cnn.yaml"), {}};
  const Graph& g = c.graph;
  ModelData& d = c.data;
  const size_t n = g.layers.size();
  d.quant.resize(n);
  d.inputs.resize(n);
  d.layers.resize(n);
  std::mt19937 rng(2024);
  auto at = [&](const char* name) { return index_of(g, name); };

  const Quant y_quant{0.1f, -2};
  d.quant[at("x")] = {0.05f, 3};
  d.quant[at("y")] = y_quant;
  d.quant[at("conv")] = {0.06f, -5};
  d.quant[at("bn")] = d.quant[at("conv")];
  d.quant[at("pool")] = d.quant[at("conv")];
  d.quant[at("sum")] = y_quant;  // concat needs one quantization for both of its inputs
  d.quant[at("cat")] = y_quant;
  d.quant[at("mp")] = y_quant;
  d.quant[at("sig")] = {1.0f / 256, -128};
  d.quant[at("bn2")] = {0.02f, 1};
  d.quant[at("gap")] = d.quant[at("bn2")];
  d.quant[at("flat")] = d.quant[at("bn2")];
  d.quant[at("fc")] = {0.2f, 0};
  d.quant[at("sm")] = softmax_output_quant();

  for (const char* name : {"x", "y"}) {
    const int i = at(name);
    const auto& shape = g.layers[i].output_shape;
    d.inputs[i] = {shape, random_values<int8_t>(rng, compiler::element_count(shape), -128, 127),
                   d.quant[i]};
  }
  // conv: [3][3][3][2] weights, a bias; bn: folded (no constants); bn2: 3 + 3 = 6 channels.
  auto& conv = d.layers[at("conv")];
  conv.weights = random_values<int8_t>(rng, 3 * 3 * 3 * 2, -127, 127);
  conv.weight_scales = {0.011f, 0.008f, 0.013f};
  conv.bias = random_values<int32_t>(rng, 3, -1000, 1000);
  auto& bn2 = d.layers[at("bn2")];
  bn2.scale = {0.9f, -1.2f, 0.5f, 1.1f, 0.7f, -0.4f};
  bn2.shift = {0.1f, -0.3f, 0.2f, 0.0f, 0.5f, -0.6f};
  // fc: flatten of [2,2,2,6] gives 24 features; no bias.
  auto& fc = d.layers[at("fc")];
  fc.weights = random_values<int8_t>(rng, 5 * 24, -127, 127);
  fc.weight_scales = {0.004f, 0.005f, 0.006f, 0.003f, 0.0045f};
  return c;
}

TEST(ReferenceGraph, EqualsTheLayersComputedOneByOne) {
  const CnnCase c = make_cnn_case();
  const Graph& g = c.graph;
  const ModelData& d = c.data;
  auto at = [&](const char* name) { return index_of(g, name); };
  const std::vector<QTensor> got = run_graph(g, d);
  ASSERT_EQ(got.size(), g.layers.size());
  for (size_t i = 0; i < got.size(); ++i) {
    EXPECT_EQ(got[i].shape, g.layers[i].output_shape) << g.layers[i].name;
    EXPECT_EQ(got[i].quant, d.quant[i]) << g.layers[i].name;
  }

  const QTensor& x = d.inputs[at("x")];
  const QTensor& y = d.inputs[at("y")];
  const auto& cd = d.layers[at("conv")];
  const QTensor conv = conv2d(x, cd.weights, cd.weight_scales, cd.bias, g.layers[at("conv")].window,
                              1, 3, d.quant[at("conv")], Activation::kRelu);
  const QTensor pool = avg_pool(conv, g.layers[at("pool")].window);
  const QTensor sum = add(pool, y, d.quant[at("sum")], Activation::kRelu6);
  const QTensor cat = concat({sum, y}, sum.shape.size() - 1);
  const QTensor mp = max_pool(cat, g.layers[at("mp")].window);
  const QTensor sig = activation(mp, Activation::kSigmoid, d.quant[at("sig")]);
  const auto& bd = d.layers[at("bn2")];
  const QTensor bn2 = batchnorm(sig, bd.scale, bd.shift, d.quant[at("bn2")]);
  const QTensor gap = global_avg_pool(bn2);
  const QTensor flat{{2, 24}, bn2.data, bn2.quant};
  const auto& fd = d.layers[at("fc")];
  const QTensor fc =
      dense(flat, fd.weights, fd.weight_scales, {}, 5, d.quant[at("fc")], Activation::kNone);
  const QTensor sm = softmax(fc);

  EXPECT_EQ(got[at("x")].data, x.data);
  EXPECT_EQ(got[at("y")].data, y.data);
  EXPECT_EQ(got[at("conv")].data, conv.data);
  EXPECT_EQ(got[at("bn")].data, conv.data);  // folded: the identity
  EXPECT_EQ(got[at("pool")].data, pool.data);
  EXPECT_EQ(got[at("sum")].data, sum.data);
  EXPECT_EQ(got[at("cat")].data, cat.data);
  EXPECT_EQ(got[at("mp")].data, mp.data);
  EXPECT_EQ(got[at("sig")].data, sig.data);
  EXPECT_EQ(got[at("bn2")].data, bn2.data);
  EXPECT_EQ(got[at("gap")].data, gap.data);
  EXPECT_EQ(got[at("flat")].data, bn2.data);
  EXPECT_EQ(got[at("fc")].data, fc.data);
  EXPECT_EQ(got[at("sm")].data, sm.data);
}

TEST(ReferenceGraph, MatmulReshapeAndLayerNorm) {
  // a [1,2,3] x b [1,3,4] = [1,2,4]; reshape to [1,2,2,2] and tanh; layer norm of the product.
  const Graph g = compiler::parse_workload(R"(
name: reference_matmul
inputs:
  - {name: a, shape: [2, 3]}
  - {name: b, shape: [3, 4]}
layers:
  - {name: mm, op: matmul, inputs: [a, b]}
  - {name: r, op: reshape, input: mm, shape: [2, 2, -1]}
  - {name: t, op: tanh, input: r}
  - {name: ln, op: layernorm, input: mm, epsilon: 0.001}
)",
                                           "reference_matmul.yaml");
  ModelData d;
  d.quant = {{0.1f, 0}, {0.05f, 0}, {0.02f, -1}, {0.02f, -1}, {1.0f / 128, 0}, {0.03f, 2}};
  d.inputs.resize(6);
  d.layers.resize(6);
  d.inputs[0] = {{1, 2, 3}, {1, -2, 3, 4, 5, -6}, d.quant[0]};
  d.inputs[1] = {{1, 3, 4}, {1, 2, 3, 4, 5, 6, 7, 8, -9, -10, -11, -12}, d.quant[1]};
  d.layers[5].scale = {1.0f, 0.5f, -2.0f, 1.5f};
  d.layers[5].shift = {0.0f, 0.25f, -0.5f, 1.0f};
  const std::vector<QTensor> got = run_graph(g, d);
  ASSERT_EQ(got.size(), 6u);
  const QTensor mm = matmul(d.inputs[0], d.inputs[1], d.quant[2], Activation::kNone);
  EXPECT_EQ(got[2].data, mm.data);
  EXPECT_EQ(got[3].shape, (std::vector<int64_t>{1, 2, 2, 2}));
  EXPECT_EQ(got[3].data, mm.data);
  EXPECT_EQ(got[4].data, activation(got[3], Activation::kTanh, d.quant[4]).data);
  EXPECT_EQ(got[5].data,
            layer_norm(mm, d.layers[5].scale, d.layers[5].shift, 0.001f, d.quant[5]).data);
  EXPECT_EQ(got[5].shape, (std::vector<int64_t>{1, 2, 4}));
}

// mul with a fused relu, transpose, dense over tokens, softmax into a matmul operand (its
// quantization comes from the data: 1/128, 0 here) and a matmul of the two.
constexpr const char* kAttentionYaml = R"(
name: reference_attention
inputs:
  - {name: a, shape: [2, 3]}
  - {name: b, shape: [2, 3]}
layers:
  - {name: m, op: mul, inputs: [a, b], activation: relu}
  - {name: t, op: transpose, input: m}
  - {name: d, op: dense, input: a, out_features: 2, bias: false}
  - {name: sm, op: softmax, input: d}
  - {name: p, op: matmul, inputs: [t, sm]}
)";

struct AttentionCase {
  Graph graph;
  ModelData data;
};

AttentionCase make_attention_case() {
  AttentionCase c{compiler::parse_workload(kAttentionYaml, "reference_attention.yaml"), {}};
  ModelData& d = c.data;
  d.quant = {{0.1f, 3},   {0.05f, -1},     {0.004f, 0}, {0.004f, 0},
             {0.02f, -2}, {1.0f / 128, 0}, {0.03f, 1}};
  d.inputs.resize(7);
  d.layers.resize(7);
  d.inputs[0] = {{1, 2, 3}, {13, -7, 3, 127, 0, -128}, d.quant[0]};
  d.inputs[1] = {{1, 2, 3}, {9, 9, -100, 50, -1, 127}, d.quant[1]};
  d.layers[4].weights = {1, -2, 3, 40, 50, -60};
  d.layers[4].weight_scales = {0.01f, 0.002f};
  return c;
}

TEST(ReferenceGraph, MulTransposeTokenDenseAndSoftmaxIntoMatmul) {
  const AttentionCase c = make_attention_case();
  const ModelData& d = c.data;
  const std::vector<QTensor> got = run_graph(c.graph, d);
  ASSERT_EQ(got.size(), 7u);
  const QTensor m = mul(d.inputs[0], d.inputs[1], d.quant[2], Activation::kRelu);
  const QTensor t = transpose(m);
  const QTensor dn = dense(d.inputs[0], d.layers[4].weights, d.layers[4].weight_scales, {}, 2,
                           d.quant[4], Activation::kNone);
  const QTensor sm = softmax(dn, d.quant[5]);
  const QTensor p = matmul(t, sm, d.quant[6], Activation::kNone);
  EXPECT_EQ(got[2].data, m.data);
  EXPECT_EQ(got[3].shape, (std::vector<int64_t>{1, 3, 2}));
  EXPECT_EQ(got[3].data, t.data);
  EXPECT_EQ(got[3].quant, d.quant[2]);
  EXPECT_EQ(got[4].shape, (std::vector<int64_t>{1, 2, 2}));
  EXPECT_EQ(got[4].data, dn.data);
  EXPECT_EQ(got[5].data, sm.data);
  EXPECT_EQ(got[5].quant, d.quant[5]);
  EXPECT_EQ(got[6].shape, (std::vector<int64_t>{1, 3, 2}));
  EXPECT_EQ(got[6].data, p.data);
  // relu at z_out 0: no negative products survive.
  for (int8_t v : got[2].data) EXPECT_GE(v, 0);

  AttentionCase rescaled = make_attention_case();  // a transpose cannot rescale
  rescaled.data.quant[3] = {0.008f, 0};
  try {
    run_graph(rescaled.graph, rescaled.data);
    ADD_FAILURE() << "a transpose with its own quantization must be rejected";
  } catch (const std::invalid_argument& e) {
    EXPECT_NE(std::string(e.what()).find("layer 't'"), std::string::npos) << e.what();
  }
}

TEST(ReferenceGraph, RejectsDataThatDoesNotFitTheGraph) {
  auto expect_error = [](const CnnCase& c, const std::string& fragment) {
    try {
      run_graph(c.graph, c.data);
      ADD_FAILURE() << "no error, expected one containing '" << fragment << "'";
    } catch (const std::invalid_argument& e) {
      EXPECT_NE(std::string(e.what()).find(fragment), std::string::npos) << e.what();
    }
  };
  {
    CnnCase c = make_cnn_case();  // pooling cannot rescale
    c.data.quant[index_of(c.graph, "pool")] = {0.07f, -5};
    expect_error(c, "layer 'pool'");
  }
  {
    CnnCase c = make_cnn_case();  // a folded batchnorm is the identity
    c.data.quant[index_of(c.graph, "bn")] = {0.07f, -5};
    expect_error(c, "layer 'bn'");
  }
  {
    CnnCase c = make_cnn_case();  // only clamps fuse into a requantization
    c.graph.layers[index_of(c.graph, "conv")].activation = Activation::kGelu;
    expect_error(c, "layer 'conv'");
  }
  {
    CnnCase c = make_cnn_case();
    c.data.inputs[index_of(c.graph, "y")].data.pop_back();
    expect_error(c, "layer 'y'");
  }
  {
    CnnCase c = make_cnn_case();
    c.data.layers[index_of(c.graph, "conv")].weight_scales.pop_back();
    expect_error(c, "layer 'conv'");
  }
  {
    CnnCase c = make_cnn_case();
    c.data.quant.pop_back();
    expect_error(c, "data.quant");
  }
}

}  // namespace
}  // namespace npu::reference
