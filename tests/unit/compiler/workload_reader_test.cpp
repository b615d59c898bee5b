// The workload reader: the shipped workloads and their exact totals, and one-line errors that name
// the file, line, column and layer.

#include "compiler/workload_reader.h"

#include <gtest/gtest.h>

#include <fstream>
#include <stdexcept>
#include <string>
#include <vector>

#include "arch/user_error.h"
#include "arch/arch_config.h"
#include "compiler/compile.h"
#include "compiler/graph.h"
#include "tests/unit/compiler/graph_test_util.h"

namespace npu::compiler {
namespace {

using Shape = std::vector<int64_t>;

const std::string kWorkloads = NPU_WORKLOADS_DIR;

using testing_util::find;

TEST(ResNet50, TotalsMatchTheKnownFigures) {
  const Graph graph = read_workload(kWorkloads + "/resnet.yaml");
  EXPECT_EQ(graph.name, "resnet50");
  EXPECT_EQ(graph.batch, 1);
  // The well-known 4.09 GMACs (convolutions and fc) and torchvision's 25,557,032 parameters.
  EXPECT_EQ(graph.total_macs(), 4'089'184'256);
  EXPECT_EQ(graph.total_params(), 25'557'032);
  // 1 input + stem (4) + 16 bottlenecks x 10 + 4 downsample branches x 2 + head (4).
  EXPECT_EQ(graph.layers.size(), 1u + 4 + 16 * 10 + 4 * 2 + 4);
}

TEST(ResNet50, LayersHaveTorchvisionShapes) {
  const Graph graph = read_workload(kWorkloads + "/resnet.yaml");
  // Stem: 112 x 112 x 64 outputs x 3 x 7 x 7 taps = 118,013,952 MACs.
  EXPECT_EQ(find(graph, "conv1").output_shape, (Shape{1, 112, 112, 64}));
  EXPECT_EQ(find(graph, "conv1").macs, 118'013'952);
  EXPECT_EQ(find(graph, "maxpool").output_shape, (Shape{1, 56, 56, 64}));
  EXPECT_EQ(find(graph, "layer1.0.downsample.0").output_shape, (Shape{1, 56, 56, 256}));
  // v1.5: the first block of stage 2 strides on its 3x3 conv, not on the 1x1 before it.
  EXPECT_EQ(find(graph, "layer2.0.conv1").output_shape, (Shape{1, 56, 56, 128}));
  EXPECT_EQ(find(graph, "layer2.0.conv2").output_shape, (Shape{1, 28, 28, 128}));
  EXPECT_EQ(find(graph, "layer2.0.downsample.0").window.stride_h, 2);
  EXPECT_EQ(find(graph, "layer3.5.relu3").output_shape, (Shape{1, 14, 14, 1024}));
  EXPECT_EQ(find(graph, "layer4.2.relu3").output_shape, (Shape{1, 7, 7, 2048}));
  EXPECT_EQ(find(graph, "flatten").output_shape, (Shape{1, 2048}));
  // fc: 2048 x 1000 = 2,048,000 MACs; + 1000 biases = 2,049,000 parameters.
  EXPECT_EQ(find(graph, "fc").macs, 2'048'000);
  EXPECT_EQ(find(graph, "fc").params, 2'049'000);
  EXPECT_EQ(graph.layers.back().name, "softmax");
  EXPECT_EQ(graph.layers.back().output_shape, (Shape{1, 1000}));
}

TEST(ResNet50, IsTopologicalAndOnlyConvAndDenseHaveMacs) {
  const Graph graph = read_workload(kWorkloads + "/resnet.yaml");
  for (size_t i = 0; i < graph.layers.size(); ++i) {
    const Layer& layer = graph.layers[i];
    for (int input : layer.inputs) EXPECT_LT(static_cast<size_t>(input), i) << layer.name;
    const bool computes = layer.op == OpKind::kConv2d || layer.op == OpKind::kDense;
    EXPECT_EQ(layer.macs > 0, computes) << layer.name;
    if (layer.op == OpKind::kConv2d) {
      EXPECT_FALSE(layer.bias) << layer.name;
    }
    EXPECT_GT(layer.source_line, 0) << layer.name;
  }
}

TEST(SmallWorkloads, TinyCnnMatchesItsHandCount) {
  const Graph graph = read_workload(kWorkloads + "/tiny_cnn.yaml");
  // The table at the top of tiny_cnn.yaml: 13,824 + 36,864 + 1,280 MACs; 224 + 576 + 16 + 1,290
  // parameters.
  EXPECT_EQ(graph.total_macs(), 51'968);
  EXPECT_EQ(graph.total_params(), 2'106);
  EXPECT_EQ(find(graph, "conv1").activation, Activation::kRelu);
  EXPECT_EQ(find(graph, "residual").activation, Activation::kRelu);
  EXPECT_EQ(find(graph, "pool").output_shape, (Shape{1, 4, 4, 8}));
  EXPECT_EQ(find(graph, "fc").output_shape, (Shape{1, 10}));
}

TEST(SmallWorkloads, MlpMatchesItsHandCount) {
  const Graph graph = read_workload(kWorkloads + "/mlp.yaml");
  EXPECT_EQ(graph.batch, 8);
  // 8 x (784 x 256 + 256 x 128 + 128 x 10) = 8 x 234,752.
  EXPECT_EQ(graph.total_macs(), 1'878'016);
  // 200,960 + 32,896 + 1,290.
  EXPECT_EQ(graph.total_params(), 235'146);
  EXPECT_EQ(graph.layers.back().output_shape, (Shape{8, 10}));
}

TEST(WorkloadReader, RecordsWhereEachLayerIs) {
  const Graph graph = parse_workload(
      "name: t\ninputs:\n  - {name: x, shape: [4]}\nlayers:\n"
      "  - {name: a, op: relu, input: x}\n"
      "  - name: b\n    op: softmax\n    input: a\n",
      "t.yaml");
  EXPECT_EQ(graph.source_path, "t.yaml");
  EXPECT_EQ(find(graph, "x").source_line, 3);
  EXPECT_EQ(find(graph, "a").source_line, 5);
  EXPECT_EQ(find(graph, "a").source_column, 5);
  EXPECT_EQ(find(graph, "b").source_line, 6);
  EXPECT_EQ(find(graph, "b").inputs, (std::vector<int>{1}));
}

// Errors. Layers in these workloads start on line 5, each entry at column 5.
std::string error_of(const std::string& layers) {
  const std::string text =
      "name: t\n"
      "inputs:\n"
      "  - {name: x, shape: [8, 8, 3]}\n"
      "layers:\n" +
      layers;
  try {
    parse_workload(text, "net.yaml");
  } catch (const UserError& error) {
    return error.what();
  }
  return "(no error)";
}

// The message, cut to the length of `expected`: several messages end in long lists.
std::string start_of(const std::string& message, const std::string& expected) {
  return message.substr(0, expected.size());
}

// An unrolled recurrent step applies its cell's weights: counted once, at the layer that owns them.
TEST(SharedWeights, ParamsAreCountedOnceAtTheOwner) {
  const Graph graph = parse_workload(
      "name: t\n"
      "inputs: [{name: x, shape: [12]}]\n"
      "layers:\n"
      "  - {name: a, op: dense, input: x, out_features: 12}\n"
      "  - {name: b, op: dense, input: a, out_features: 12, weights_of: a}\n"
      "  - {name: c, op: dense, input: b, out_features: 12, weights_of: b}\n",
      "t.yaml");
  // 12 x 12 weights + 12 biases = 156, once; each layer still does 12 x 12 = 144 MACs.
  EXPECT_EQ(graph.total_params(), 156);
  EXPECT_EQ(graph.total_macs(), 3 * 144);
  EXPECT_EQ(graph.layers[2].weights_of, 1);
  EXPECT_EQ(graph.layers[3].weights_of, 1);  // a chain resolves to the owner
  EXPECT_EQ(graph.layers[1].weights_of, -1);
}

TEST(WorkloadErrors, WeightsOfMustBeAnEarlierLayerOfTheSameOpAndShape) {
  EXPECT_EQ(error_of("  - {name: c, op: conv2d, input: x, out_channels: 3, kernel: 1, weights_of: d}\n"),
            "net.yaml:5:77: layers[c].weights_of: unknown layer or input 'd' (did you mean 'x'?)");
  EXPECT_EQ(error_of("  - {name: c, op: conv2d, input: x, out_channels: 3, kernel: 1}\n"
                     "  - {name: f, op: flatten, input: c}\n"
                     "  - {name: d, op: dense, input: f, out_features: 3, weights_of: c}\n"),
            "net.yaml:7:65: layers[d].weights_of: 'c' is a conv2d layer; expected a dense layer, "
            "whose weights this one can use");
  EXPECT_EQ(error_of("  - {name: c, op: conv2d, input: x, out_channels: 3, kernel: 1}\n"
                     "  - {name: d, op: conv2d, input: c, out_channels: 3, kernel: 3, weights_of: c}\n"),
            "net.yaml:6:5: layer 'd': weights_of 'c': this layer needs conv weights "
            "[Cout,Kh,Kw,Cin/groups] = [3,3,3,3], groups 1 without bias, 'c' has conv weights "
            "[Cout,Kh,Kw,Cin/groups] = [3,1,1,3], groups 1 without bias");
  EXPECT_EQ(error_of("  - {name: r, op: relu, input: x, weights_of: x}\n"),
            "net.yaml:5:35: layers[r].weights_of: 'weights_of' is not a key of op 'relu' (it "
            "applies to conv2d, dense)");
}

TEST(WorkloadErrors, UnknownOpSuggestsTheClosest) {
  const std::string message = error_of("  - {name: c1, op: conv2, input: x}\n");
  const std::string expected =
      "net.yaml:5:20: layers[c1].op: unknown op 'conv2' (did you mean 'conv2d'?); expected one "
      "of conv2d, dense, matmul,";
  EXPECT_EQ(start_of(message, expected), expected);
}

TEST(WorkloadErrors, UnknownKeyOnALayerSuggestsTheClosest) {
  // The misspelt kernel is reported as a typo, not as a missing kernel.
  EXPECT_EQ(error_of("  - {name: c1, op: conv2d, input: x, out_channels: 4, kernal: 3}\n"),
            "net.yaml:5:55: layers[c1].kernal: unknown key (did you mean 'kernel'?)");
  EXPECT_EQ(error_of("  - {nmae: c1, op: relu, input: x}\n"),
            "net.yaml:5:6: layers[0].nmae: unknown key (did you mean 'name'?)");
}

TEST(WorkloadErrors, KeyOfAnotherOp) {
  EXPECT_EQ(error_of("  - {name: r, op: relu, input: x, stride: 2}\n"),
            "net.yaml:5:35: layers[r].stride: 'stride' is not a key of op 'relu' (it applies to "
            "conv2d, maxpool, avgpool)");
  EXPECT_EQ(error_of("  - {name: fc, op: dense, input: x, out_channels: 4}\n"),
            "net.yaml:5:37: layers[fc].out_channels: 'out_channels' is not a key of op 'dense' "
            "(it applies to conv2d; dense layers use out_features)");
}

TEST(WorkloadErrors, EpsilonIsALayerNormKey) {
  EXPECT_EQ(error_of("  - {name: b, op: batchnorm, input: x, epsilon: 1.0e-3}\n"),
            "net.yaml:5:40: layers[b].epsilon: 'epsilon' is not a key of op 'batchnorm' (it "
            "applies to layernorm)");
}

TEST(WorkloadErrors, MissingRequiredKey) {
  EXPECT_EQ(error_of("  - {name: c1, op: conv2d, input: x, kernel: 3}\n"),
            "net.yaml:5:5: layers[c1].out_channels: required key is missing");
  EXPECT_EQ(error_of("  - {name: r, op: relu}\n"),
            "net.yaml:5:5: layers[r].input: required key is missing (or 'inputs: [names]' for "
            "several)");
}

TEST(WorkloadErrors, DuplicateName) {
  EXPECT_EQ(error_of("  - {name: a, op: relu, input: x}\n  - {name: a, op: relu, input: x}\n"),
            "net.yaml:6:12: layers[a].name: duplicate name 'a' (first defined on line 5)");
  // Inputs and layers share one namespace.
  EXPECT_EQ(error_of("  - {name: x, op: relu, input: x}\n"),
            "net.yaml:5:12: layers[x].name: duplicate name 'x' (first defined on line 3)");
}

TEST(WorkloadErrors, UnknownInputName) {
  EXPECT_EQ(error_of("  - {name: conv1, op: conv2d, input: x, out_channels: 4, kernel: 1}\n"
                     "  - {name: r, op: relu, input: conv}\n"),
            "net.yaml:6:32: layers[r].input: unknown layer or input 'conv' (did you mean "
            "'conv1'?)");
  // In a list, the position is that of the bad name.
  EXPECT_EQ(error_of("  - {name: s, op: add, inputs: [x, y]}\n"),
            "net.yaml:5:36: layers[s].inputs: unknown layer or input 'y' (did you mean 'x'?)");
}

TEST(WorkloadErrors, ReferenceToALaterLayer) {
  EXPECT_EQ(error_of("  - {name: a, op: relu, input: b}\n  - {name: b, op: relu, input: x}\n"),
            "net.yaml:5:32: layers[a].input: 'b' is defined later, on line 6; layers must be "
            "listed in topological order");
  EXPECT_EQ(error_of("  - {name: a, op: relu, input: a}\n"),
            "net.yaml:5:32: layers[a].input: a layer cannot read its own output");
}

TEST(WorkloadErrors, MismatchedAddShapes) {
  EXPECT_EQ(error_of("  - {name: c, op: conv2d, input: x, out_channels: 4, kernel: 1}\n"
                     "  - {name: sum, op: add, inputs: [c, x]}\n"),
            "net.yaml:6:5: layer 'sum': inputs have shapes [1,8,8,4] from 'c' and [1,8,8,3] "
            "from 'x'; add needs equal shapes");
}

TEST(WorkloadErrors, ConvKernelLargerThanPaddedInput) {
  // Padded input 8 + 1 + 1 = 10: a kernel of 10 fits exactly once, 11 does not.
  EXPECT_EQ(error_of("  - {name: big, op: conv2d, input: x, out_channels: 4, kernel: 10,"
                     " padding: 1}\n"),
            "(no error)");
  EXPECT_EQ(error_of("  - {name: big, op: conv2d, input: x, out_channels: 4, kernel: 11,"
                     " padding: 1}\n"),
            "net.yaml:5:5: layer 'big': kernel 11x11 (extent 11x11 with dilation 1x1) does not "
            "fit the padded input 10x10 (input [1,8,8,3] from 'x', padding top/bottom 1/1, "
            "left/right 1/1)");
  // Dilation 4 stretches a 3-tap kernel over 9 inputs.
  EXPECT_EQ(error_of("  - {name: dil, op: conv2d, input: x, out_channels: 4, kernel: 3,"
                     " dilation: 4}\n"),
            "net.yaml:5:5: layer 'dil': kernel 3x3 (extent 9x9 with dilation 4x4) does not fit "
            "the padded input 8x8 (input [1,8,8,3] from 'x', padding top/bottom 0/0, "
            "left/right 0/0)");
}

TEST(WorkloadErrors, GroupsMustDivideTheChannels) {
  EXPECT_EQ(
      error_of("  - {name: g, op: conv2d, input: x, out_channels: 4, kernel: 1, groups: 2}\n"),
      "net.yaml:5:5: layer 'g': groups 2 must divide both the input channels (3, of "
      "[1,8,8,3] from 'x') and out_channels (4)");
  EXPECT_EQ(
      error_of("  - {name: g, op: conv2d, input: x, out_channels: 4, kernel: 1, groups: 3}\n"),
      "net.yaml:5:5: layer 'g': groups 3 must divide both the input channels (3, of "
      "[1,8,8,3] from 'x') and out_channels (4)");
}

TEST(WorkloadErrors, OperandShapesOfOtherOps) {
  // dense works on the last axis whatever the rank: a feature map is transformed per pixel.
  EXPECT_EQ(error_of("  - {name: fc, op: dense, input: x, out_features: 10}\n"), "(no error)");
  EXPECT_EQ(error_of("  - {name: p, op: maxpool, input: x, kernel: 2}\n"
                     "  - {name: m, op: mul, inputs: [x, p]}\n"),
            "net.yaml:6:5: layer 'm': inputs have shapes [1,8,8,3] from 'x' and [1,4,4,3] from "
            "'p'; mul needs equal shapes");
  EXPECT_EQ(error_of("  - {name: m, op: mul, input: x}\n"),
            "net.yaml:5:5: layer 'm': mul takes exactly 2 inputs, got 1");
  EXPECT_EQ(error_of("  - {name: t, op: transpose, inputs: [x, x]}\n"),
            "net.yaml:5:5: layer 't': transpose takes exactly 1 input, got 2");
  EXPECT_EQ(error_of("  - {name: s, op: add, inputs: [x, x, x]}\n"),
            "net.yaml:5:5: layer 's': add takes exactly 2 inputs, got 3");
  EXPECT_EQ(error_of("  - {name: p, op: maxpool, input: x, kernel: 2}\n"
                     "  - {name: cat, op: concat, inputs: [x, p]}\n"),
            "net.yaml:6:5: layer 'cat': concat joins along the last axis, so all other "
            "dimensions must be equal, got [1,8,8,3] from 'x' and [1,4,4,3] from 'p'");
  EXPECT_EQ(error_of("  - {name: p, op: maxpool, input: x, kernel: 2}\n"
                     "  - {name: cat, op: concat, inputs: [x, p], axis: 0}\n"),
            "net.yaml:6:5: layer 'cat': concat joins along axis 0, so all other "
            "dimensions must be equal, got [1,8,8,3] from 'x' and [1,4,4,3] from 'p'");
  EXPECT_EQ(error_of("  - {name: cat, op: concat, inputs: [x, x], axis: 3}\n"),
            "net.yaml:5:5: layer 'cat': axis 3 is out of range for inputs of 3 dimension(s) "
            "per sample: expected -3 .. 2");
  EXPECT_EQ(error_of("  - {name: cat, op: concat, inputs: [x, x], axis: -4}\n"),
            "net.yaml:5:5: layer 'cat': axis -4 is out of range for inputs of 3 dimension(s) "
            "per sample: expected -3 .. 2");
  EXPECT_EQ(error_of("  - {name: s, op: slice, input: x, begin: 2, size: 2}\n"),
            "net.yaml:5:5: layer 's': slice [2, 4) of axis -1 is past its 3 elements in "
            "[1,8,8,3] from 'x'");
  EXPECT_EQ(error_of("  - {name: s, op: slice, input: x, axis: 3, begin: 0, size: 1}\n"),
            "net.yaml:5:5: layer 's': axis 3 is out of range for an input of 3 dimension(s) per "
            "sample: expected -3 .. 2");
  EXPECT_EQ(error_of("  - {name: mm, op: matmul, inputs: [x, x]}\n"),
            "net.yaml:5:5: layer 'mm': matmul needs [...,M,K] x [...,K,N] with equal leading "
            "dimensions, got [1,8,8,3] from 'x' and [1,8,8,3] from 'x'");
  EXPECT_EQ(error_of("  - {name: r, op: reshape, input: x, shape: [5, -1]}\n"),
            "net.yaml:5:5: layer 'r': reshape target [5,-1] cannot hold the 192 elements per "
            "sample of [1,8,8,3] from 'x'");
  EXPECT_EQ(error_of("  - {name: r, op: reshape, input: x, shape: [-1, -1]}\n"),
            "net.yaml:5:5: layer 'r': reshape target [-1,-1] must have at least one dimension "
            "and at most one -1");
}

TEST(WorkloadErrors, TransposeNeedsTwoAxesBesidesTheBatch) {
  const std::string text =
      "name: t\n"
      "inputs:\n"
      "  - {name: v, shape: [8]}\n"
      "  - {name: w, shape: [2, 8]}\n"
      "layers:\n"
      "  - {name: ok, op: transpose, input: w}\n"
      "  - {name: t, op: transpose, input: v}\n";
  try {
    parse_workload(text, "net.yaml");
    FAIL() << "expected an error";
  } catch (const UserError& error) {
    // [1,8] is a batch of vectors: swapping its axes would move data between samples.
    EXPECT_STREQ(error.what(),
                 "net.yaml:7:5: layer 't': transpose swaps the last two axes of the per-sample "
                 "shape, which needs at least 2 dimensions, got [1,8] from 'v'");
  }
  // transpose takes no keys; fused activations belong to the ops that compute.
  EXPECT_EQ(error_of("  - {name: t, op: transpose, input: x, activation: relu}\n"),
            "net.yaml:5:40: layers[t].activation: 'activation' is not a key of op 'transpose' (it "
            "applies to conv2d, dense, add, mul; use a separate layer such as 'op: relu')");
  EXPECT_EQ(error_of("  - {name: t, op: transpose, input: x, perm: [0, 2, 1]}\n"),
            "net.yaml:5:40: layers[t].perm: unknown key");
}

TEST(WorkloadErrors, MalformedAttributes) {
  EXPECT_EQ(error_of("  - {name: c, op: conv2d, input: x, out_channels: 4, kernel: 3,"
                     " padding: sme}\n"),
            "net.yaml:5:74: layers[c].padding: expected an integer >= 0, 'same', [pad_h, pad_w] "
            "or [top, bottom, left, right], got 'sme'");
  EXPECT_EQ(error_of("  - {name: c, op: conv2d, input: x, out_channels: 4, kernel: [3, 3, 3]}\n"),
            "net.yaml:5:62: layers[c].kernel: expected an integer or a list [h, w] of 2 "
            "integers, got a list of 3");
  EXPECT_EQ(error_of("  - {name: c, op: conv2d, input: x, out_channels: 0, kernel: 1}\n"),
            "net.yaml:5:51: layers[c].out_channels: expected an integer >= 1, got 0");
  EXPECT_EQ(error_of("  - {name: c, op: conv2d, input: x, out_channels: 4, kernel: 1,"
                     " activation: rleu}\n"),
            "net.yaml:5:77: layers[c].activation: expected one of 'relu' 'relu6' 'sigmoid' "
            "'tanh' 'gelu', got 'rleu' (did you mean 'relu'?)");
  // Only the clamps relu and relu6 can be fused; the other functions need a layer (and a tensor).
  EXPECT_EQ(error_of("  - {name: c, op: conv2d, input: x, out_channels: 4, kernel: 1,"
                     " activation: gelu}\n"),
            "net.yaml:5:77: layers[c].activation: 'gelu' cannot be fused into conv2d (only relu "
            "and relu6, which requantization applies as a clamp); give it a layer of its own: "
            "{name: ..., op: gelu, input: c}");
  EXPECT_EQ(error_of("  - {name: m, op: mul, inputs: [x, x], activation: tanh}\n"),
            "net.yaml:5:52: layers[m].activation: 'tanh' cannot be fused into mul (only relu "
            "and relu6, which requantization applies as a clamp); give it a layer of its own: "
            "{name: ..., op: tanh, input: m}");
  EXPECT_EQ(error_of("  - {name: s, op: add, inputs: [x, x], activation: sigmoid}\n"),
            "net.yaml:5:52: layers[s].activation: 'sigmoid' cannot be fused into add (only relu "
            "and relu6, which requantization applies as a clamp); give it a layer of its own: "
            "{name: ..., op: sigmoid, input: s}");
  EXPECT_EQ(error_of("  - {name: n, op: layernorm, input: x, epsilon: 0}\n"),
            "net.yaml:5:49: layers[n].epsilon: expected a number > 0, got 0");
  EXPECT_EQ(error_of("  - {name: n, op: layernorm, input: x, epsilon: -1.0e-5}\n"),
            "net.yaml:5:49: layers[n].epsilon: expected a number > 0, got -1.0e-5");
  EXPECT_EQ(error_of("  - {name: n, op: layernorm, input: x, epsilon: 1.0e-50}\n"),
            "net.yaml:5:49: layers[n].epsilon: expected a number > 0, got one that rounds to 0 "
            "in float32");
  EXPECT_EQ(error_of("  - {name: n, op: layernorm, input: x, epsilon: tiny}\n"),
            "net.yaml:5:49: layers[n].epsilon: expected a number > 0, got 'tiny'");
  EXPECT_EQ(error_of("  - {name: s, op: add, input: x, inputs: [x, x]}\n"),
            "net.yaml:5:42: layers[s].inputs: give either 'input' or 'inputs', not both");
  EXPECT_EQ(error_of("  - {name: r, op: relu, input: x, name: q}\n"),
            "net.yaml:5:35: layers[r].name: duplicate key (first given on line 5)");
}

TEST(WorkloadErrors, TopLevel) {
  auto error = [](const std::string& text) -> std::string {
    try {
      parse_workload(text, "net.yaml");
    } catch (const UserError& e) {
      return e.what();
    }
    return "(no error)";
  };
  EXPECT_EQ(error(""), "net.yaml: empty workload; expected the keys name, inputs and layers");
  EXPECT_EQ(error("name: t\ninputs:\n  - {name: x, shape: [4]}\nlayer:\n  - {name: r}\n"),
            "net.yaml:4:1: layer: unknown key (did you mean 'layers'?)");
  EXPECT_EQ(error("name: t\nbatch: 0\ninputs: []\nlayers: []\n"),
            "net.yaml:2:8: batch: expected an integer >= 1, got 0");
  EXPECT_EQ(error("name: t\ninputs:\n  - {name: x, shape: [1, 8, 8, 3]}\n"
                  "layers:\n  - {name: r, op: relu, input: x}\n"),
            "net.yaml:3:22: inputs[x].shape: expected the per-sample shape without the batch: 1 "
            "to 3 dimensions ([features], [tokens, features] or [H, W, C]), got 4 dimensions");
  EXPECT_EQ(error("name: t\ninputs:\n  - {nmae: x, shape: [4]}\nlayers: [{name: r}]\n"),
            "net.yaml:3:6: inputs[0].nmae: unknown key (did you mean 'name'?)");
  EXPECT_EQ(error("name: t\ninputs:\n  - {name: x, shpae: [4]}\nlayers: [{name: r}]\n"),
            "net.yaml:3:15: inputs[x].shpae: unknown key (did you mean 'shape'?)");
  EXPECT_EQ(error("name: t\ninputs: [{name: x, shape: [4]}]\nlayers: [{name: r, op: relu,"),
            "net.yaml:3:1: YAML syntax error: end of map flow not found");
}

TEST(WorkloadErrors, FromAFileNameTheFile) {
  const std::string path = testing::TempDir() + "workload_reader_test_bad.yaml";
  std::ofstream(path) << "name: t\ninputs:\n  - {name: x, shape: [4]}\nlayers:\n"
                         "  - {name: r, op: rleu, input: x}\n";
  try {
    read_workload(path);
    FAIL() << "expected an error";
  } catch (const UserError& error) {
    const std::string expected =
        path + ":5:19: layers[r].op: unknown op 'rleu' (did you mean 'relu'?)";
    EXPECT_EQ(start_of(error.what(), expected), expected);
  }
  try {
    read_workload(path + ".missing");
    FAIL() << "expected an error";
  } catch (const UserError& error) {
    EXPECT_EQ(std::string(error.what()), path + ".missing: cannot open file");
  }
}

}  // namespace
}  // namespace npu::compiler

namespace npu::compiler {
namespace {

// Sparsity annotations (docs/sparsity.md): a weight density or an N:M pattern, and an activation
// density, on conv2d and dense layers only.
TEST(WorkloadSparsity, DefaultsAreDenseAndAnnotationsAreRead) {
  const Graph graph = parse_workload(
      "name: t\n"
      "inputs: [{name: x, shape: [16]}]\n"
      "layers:\n"
      "  - {name: a, op: dense, input: x, out_features: 8}\n"
      "  - {name: b, op: dense, input: a, out_features: 8, weight_pattern: \"2:4\"}\n"
      "  - {name: c, op: dense, input: b, out_features: 8, weight_density: 0.3,\n"
      "     activation_density: 0.5}\n"
      "  - {name: d, op: dense, input: c, out_features: 8, weight_pattern: 1:8}\n",
      "t.yaml");
  const Layer& a = graph.layers[1];
  EXPECT_EQ(a.weight_density, 1.0);
  EXPECT_EQ(a.weight_pattern_m, 0);
  EXPECT_EQ(a.activation_density, 1.0);
  const Layer& b = graph.layers[2];
  EXPECT_EQ(b.weight_pattern_n, 2);
  EXPECT_EQ(b.weight_pattern_m, 4);
  EXPECT_EQ(b.weight_density, 0.5);
  const Layer& c = graph.layers[3];
  EXPECT_EQ(c.weight_density, 0.3);
  EXPECT_EQ(c.weight_pattern_m, 0);  // unstructured
  EXPECT_EQ(c.activation_density, 0.5);
  // Unquoted 1:8 is a plain YAML string too.
  EXPECT_EQ(graph.layers[4].weight_pattern_n, 1);
  EXPECT_EQ(graph.layers[4].weight_density, 0.125);
  // MACs stay the dense count: sparsity changes what is executed, not the mathematics.
  EXPECT_EQ(b.macs, 8 * 8);
}

// The compiler hands the declared zeros to the report as each layer's zero-operand MACs; the
// program itself (tiles, bytes, instructions) is the dense one.
TEST(WorkloadSparsity, CompiledLayersCarryTheirZeroOperandMacs) {
  const std::string head =
      "name: t\n"
      "inputs: [{name: x, shape: [4, 4, 8]}]\n"
      "layers:\n";
  const Graph sparse = parse_workload(
      head + "  - {name: c, op: conv2d, input: x, out_channels: 8, kernel: 3, padding: 1,\n"
             "     weight_pattern: \"2:4\", activation_density: 0.25, activation: relu}\n",
      "t.yaml");
  const Graph dense = parse_workload(
      head + "  - {name: c, op: conv2d, input: x, out_channels: 8, kernel: 3, padding: 1,\n"
             "     activation: relu}\n",
      "t.yaml");
  arch::ArchConfig arch;
  arch.array.rows = arch.array.cols = 8;
  const isa::Program sparse_program = compile(sparse, arch);
  const isa::Program dense_program = compile(dense, arch);
  // 4 x 4 x 8 outputs x 8 x 3 x 3 taps = 9216 MACs; nonzero pairs 9216 x 0.5 x 0.25 = 1152.
  ASSERT_EQ(sparse_program.layers.size(), 1u);
  EXPECT_EQ(sparse_program.layers[0].macs, 9216);
  EXPECT_EQ(sparse_program.layers[0].zero_operand_macs, 9216 - 1152);
  EXPECT_EQ(sparse_program.layers[0].effective_macs(), 1152);
  EXPECT_EQ(dense_program.layers[0].zero_operand_macs, 0);
  EXPECT_TRUE(sparse_program.code == dense_program.code);
}

TEST(WorkloadSparsity, SharedWeightsShareTheirSparsity) {
  const std::string head =
      "name: t\n"
      "inputs: [{name: x, shape: [12]}]\n"
      "layers:\n"
      "  - {name: a, op: dense, input: x, out_features: 12, weight_pattern: \"2:4\"}\n";
  const Graph graph =
      parse_workload(head + "  - {name: b, op: dense, input: a, out_features: 12, weights_of: a}\n",
                     "t.yaml");
  EXPECT_EQ(graph.layers[2].weight_pattern_n, 2);
  EXPECT_EQ(graph.layers[2].weight_pattern_m, 4);
  try {
    parse_workload(head + "  - {name: b, op: dense, input: a, out_features: 12, weights_of: a, "
                          "weight_density: 0.5}\n",
                   "t.yaml");
    ADD_FAILURE() << "expected an error";
  } catch (const UserError& error) {
    EXPECT_EQ(std::string(error.what()),
              "t.yaml:5:85: layers[b].weight_density: differs from that of 'a', whose weights "
              "this layer uses");
  }
}

TEST(WorkloadSparsity, Errors) {
  const std::string conv = "  - {name: c, op: conv2d, input: x, out_channels: 3, kernel: 1, ";
  // Column 81 is the value after "weight_density: " or "weight_pattern: " (conv is 64 characters,
  // the key 16 more).
  EXPECT_EQ(error_of(conv + "weight_density: 0}\n"),
            "net.yaml:5:81: layers[c].weight_density: expected a number in (0, 1], got 0");
  EXPECT_EQ(error_of(conv + "weight_density: 1.5}\n"),
            "net.yaml:5:81: layers[c].weight_density: expected a number in (0, 1], got 1.5");
  EXPECT_EQ(error_of(conv + "weight_density: dense}\n"),
            "net.yaml:5:81: layers[c].weight_density: expected a number in (0, 1], got 'dense'");
  EXPECT_EQ(error_of(conv + "weight_pattern: \"4:2\"}\n"),
            "net.yaml:5:81: layers[c].weight_pattern: expected an N:M pattern such as \"2:4\" "
            "(1 <= N < M <= 16), got '4:2'");
  EXPECT_EQ(error_of(conv + "weight_pattern: \"8:32\"}\n"),
            "net.yaml:5:81: layers[c].weight_pattern: expected an N:M pattern such as \"2:4\" "
            "(1 <= N < M <= 16), got '8:32'");
  EXPECT_EQ(error_of(conv + "weight_density: 0.5, weight_pattern: \"2:4\"}\n"),
            "net.yaml:5:102: layers[c].weight_pattern: give either weight_density or "
            "weight_pattern, not both");
  // Boundaries: density 1 (dense) and 15:16 are allowed.
  EXPECT_EQ(error_of(conv + "weight_density: 1, activation_density: 1}\n"), "(no error)");
  EXPECT_EQ(error_of(conv + "weight_pattern: \"15:16\"}\n"), "(no error)");
  EXPECT_EQ(error_of(conv + "activation_density: 0}\n"),
            "net.yaml:5:85: layers[c].activation_density: expected a number in (0, 1], got 0");
  EXPECT_EQ(error_of("  - {name: r, op: relu, input: x, activation_density: 0.5}\n"),
            "net.yaml:5:35: layers[r].activation_density: 'activation_density' is not a key of op "
            "'relu' (it applies to conv2d, dense)");
}

}  // namespace
}  // namespace npu::compiler
