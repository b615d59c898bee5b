// The ONNX reader: models built in code with the protobuf API (no downloads), read into the graph
// IR and checked against hand-worked shapes, MACs and parameters, against the same networks written
// as YAML workloads, and through the whole pipeline (compiler + functional interpreter against the
// reference implementations).

#include "compiler/onnx_reader.h"

#include <gtest/gtest.h>
#include <onnx/onnx_pb.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <functional>
#include <map>
#include <string>
#include <vector>

#include "arch/arch_loader.h"
#include "arch/user_error.h"
#include "compiler/compile.h"
#include "compiler/graph.h"
#include "tests/unit/compiler/graph_test_util.h"
#include "compiler/workload_reader.h"
#include "tests/common/onnx_model_builder.h"
#include "tests/common/small_arch.h"
#include "tests/reference/reference_graph.h"
#include "tools/functional/data_generator.h"
#include "tools/functional/functional_run.h"

namespace npu::compiler {
namespace {

using Shape = std::vector<int64_t>;

const std::string kWorkloads = NPU_WORKLOADS_DIR;

using testing_support::ModelBuilder;
using testing_support::NodeRef;
using testing_support::Weights;

// The message of the UserError `read` throws.
template <typename Read>
std::string error_of(Read read) {
  try {
    read();
  } catch (const UserError& error) {
    return error.what();
  }
  return "(no error)";
}

using testing_util::find;

std::vector<std::string> names(const Graph& graph) {
  std::vector<std::string> result;
  for (const Layer& layer : graph.layers) result.push_back(layer.name);
  return result;
}

// Two graphs describe the same network: layer by layer the same op, shape, window, MACs and
// parameters.
void expect_same_layers(const Graph& actual, const Graph& expected) {
  ASSERT_EQ(actual.layers.size(), expected.layers.size());
  for (size_t i = 0; i < expected.layers.size(); ++i) {
    const Layer& a = actual.layers[i];
    const Layer& e = expected.layers[i];
    SCOPED_TRACE(e.name);
    EXPECT_EQ(a.name, e.name);
    EXPECT_EQ(a.op, e.op);
    EXPECT_EQ(a.activation, e.activation);
    EXPECT_EQ(a.output_shape, e.output_shape);
    EXPECT_EQ(a.macs, e.macs);
    EXPECT_EQ(a.params, e.params);
    EXPECT_EQ(a.bias, e.bias);
    EXPECT_EQ(a.groups, e.groups);
    EXPECT_EQ(a.window.stride_h, e.window.stride_h);
    EXPECT_EQ(a.window.stride_w, e.window.stride_w);
    EXPECT_EQ(a.window.pad_top, e.window.pad_top);
    EXPECT_EQ(a.window.pad_bottom, e.window.pad_bottom);
    EXPECT_EQ(a.window.pad_left, e.window.pad_left);
    EXPECT_EQ(a.window.pad_right, e.window.pad_right);
  }
  EXPECT_EQ(actual.total_macs(), expected.total_macs());
  EXPECT_EQ(actual.total_params(), expected.total_params());
}

// --- A small CNN: every window attribute, checked by hand and against YAML ---

// conv (stride 2, asymmetric pads, bias) + batchnorm + relu + grouped dilated conv + relu +
// maxpool + global average pool + flatten + gemm, on a 3 x 17 x 23 image.
ModelBuilder small_cnn(Weights weights) {
  ModelBuilder b(13, weights);
  b.input("x", {1, 3, 17, 23});
  b.weight("conv1.weight", {8, 3, 3, 3});
  b.weight("conv1.bias", {8});
  // pads are [top, left, bottom, right]: 0, 0, 3, 1.
  b.node("Conv", "conv1", {"x", "conv1.weight", "conv1.bias"})
      .ints("kernel_shape", {3, 3})
      .ints("strides", {2, 2})
      .ints("pads", {0, 0, 3, 1});
  for (const char* p : {"bn1.weight", "bn1.bias", "bn1.running_mean", "bn1.running_var"}) {
    b.weight(p, {8});
  }
  b.node("BatchNormalization", "bn1",
         {"conv1", "bn1.weight", "bn1.bias", "bn1.running_mean", "bn1.running_var"})
      .f("epsilon", 1e-5f)
      .f("momentum", 0.9f);
  b.node("Relu", "relu1", {"bn1"});
  b.weight("conv2.weight", {16, 2, 3, 3});
  b.node("Conv", "conv2", {"relu1", "conv2.weight"})
      .i("group", 4)
      .ints("dilations", {2, 1})
      .ints("pads", {2, 1, 2, 1});
  b.node("Relu", "relu2", {"conv2"});
  b.node("MaxPool", "pool", {"relu2"})
      .ints("kernel_shape", {3, 3})
      .ints("strides", {2, 2})
      .ints("pads", {1, 1, 1, 1});
  b.node("GlobalAveragePool", "gap", {"pool"});
  b.node("Flatten", "flat", {"gap"}).i("axis", 1);
  b.weight("fc.weight", {10, 16});
  b.weight("fc.bias", {10});
  b.node("Gemm", "fc", {"flat", "fc.weight", "fc.bias"}).i("transB", 1).f("alpha", 1).f("beta", 1);
  b.output("fc");
  return b;
}

// The same network as a workload; YAML padding is [top, bottom, left, right].
const char* kSmallCnnYaml = R"(
name: small_cnn
inputs: [{name: x, shape: [17, 23, 3]}]
layers:
  - {name: conv1, op: conv2d, input: x, out_channels: 8, kernel: 3, stride: 2, padding: [0, 3, 0, 1], bias: true}
  - {name: bn1, op: batchnorm, input: conv1}
  - {name: relu1, op: relu, input: bn1}
  - {name: conv2, op: conv2d, input: relu1, out_channels: 16, kernel: 3, dilation: [2, 1], padding: [2, 2, 1, 1], groups: 4}
  - {name: relu2, op: relu, input: conv2}
  - {name: pool, op: maxpool, input: relu2, kernel: 3, stride: 2, padding: 1}
  - {name: gap, op: global_avgpool, input: pool}
  - {name: flat, op: flatten, input: gap}
  - {name: fc, op: dense, input: flat, out_features: 10}
)";

TEST(OnnxSmallCnn, ShapesMacsAndParamsMatchTheHandCount) {
  std::vector<std::string> warnings;
  const Graph graph = small_cnn(Weights::kData).read(&warnings);
  EXPECT_TRUE(warnings.empty()) << warnings.front();
  EXPECT_EQ(graph.name, "model");
  EXPECT_EQ(graph.batch, 1);
  EXPECT_EQ(names(graph), (std::vector<std::string>{"x", "conv1", "bn1", "relu1", "conv2", "relu2",
                                                    "pool", "gap", "flat", "fc"}));
  // NCHW [1,3,17,23] is held NHWC.
  EXPECT_EQ(find(graph, "x").output_shape, (Shape{1, 17, 23, 3}));

  // conv1: ONNX pads [0,0,3,1] are top 0, left 0, bottom 3, right 1.
  //   H: (17 + 0 + 3 - 3) / 2 + 1 = 9, W: (23 + 0 + 1 - 3) / 2 + 1 = 11.
  //   MACs 9·11·8 outputs x 3·3·3 taps = 21,384; params 8·3·3·3 + 8 bias = 224.
  const Layer& conv1 = find(graph, "conv1");
  EXPECT_EQ(conv1.op, OpKind::kConv2d);
  EXPECT_EQ(conv1.window.pad_top, 0);
  EXPECT_EQ(conv1.window.pad_left, 0);
  EXPECT_EQ(conv1.window.pad_bottom, 3);
  EXPECT_EQ(conv1.window.pad_right, 1);
  EXPECT_EQ(conv1.window.stride_h, 2);
  EXPECT_TRUE(conv1.bias);
  EXPECT_EQ(conv1.output_shape, (Shape{1, 9, 11, 8}));
  EXPECT_EQ(conv1.macs, 21'384);
  EXPECT_EQ(conv1.params, 224);
  // bn1: scale and shift per channel, 2·8.
  EXPECT_EQ(find(graph, "bn1").op, OpKind::kBatchNorm);
  EXPECT_EQ(find(graph, "bn1").params, 16);
  EXPECT_EQ(find(graph, "relu1").activation, Activation::kRelu);
  // conv2: group 4 (2 input channels each), dilation 2 x 1, pads top 2, left 1, bottom 2, right 1.
  //   H: (9 + 4 - 2·2 - 1) + 1 = 9, W: (11 + 2 - 1·2 - 1) + 1 = 11.
  //   MACs 9·11·16 x 2·3·3 = 28,512; params 16·2·3·3 = 288.
  const Layer& conv2 = find(graph, "conv2");
  EXPECT_EQ(conv2.groups, 4);
  EXPECT_EQ(conv2.window.dilation_h, 2);
  EXPECT_EQ(conv2.window.dilation_w, 1);
  EXPECT_FALSE(conv2.bias);
  EXPECT_EQ(conv2.output_shape, (Shape{1, 9, 11, 16}));
  EXPECT_EQ(conv2.macs, 28'512);
  EXPECT_EQ(conv2.params, 288);
  // pool 3x3 / 2 pad 1: H (9 + 2 - 3) / 2 + 1 = 5, W (11 + 2 - 3) / 2 + 1 = 6.
  EXPECT_EQ(find(graph, "pool").output_shape, (Shape{1, 5, 6, 16}));
  EXPECT_EQ(find(graph, "gap").output_shape, (Shape{1, 1, 1, 16}));
  EXPECT_EQ(find(graph, "flat").output_shape, (Shape{1, 16}));
  // fc: transB weight [10, 16]: 16·10 = 160 MACs, 160 + 10 = 170 params.
  const Layer& fc = find(graph, "fc");
  EXPECT_EQ(fc.op, OpKind::kDense);
  EXPECT_EQ(fc.output_shape, (Shape{1, 10}));
  EXPECT_EQ(fc.macs, 160);
  EXPECT_EQ(fc.params, 170);

  EXPECT_EQ(graph.total_macs(), 21'384 + 28'512 + 160);
  EXPECT_EQ(graph.total_params(), 224 + 16 + 288 + 170);
}

TEST(OnnxSmallCnn, EqualsTheSameNetworkWrittenInYaml) {
  const Graph from_onnx = small_cnn(Weights::kData).read();
  const Graph from_yaml = parse_workload(kSmallCnnYaml, "small_cnn.yaml");
  expect_same_layers(from_onnx, from_yaml);
  EXPECT_EQ(from_onnx.total_macs(), 50'056);
  EXPECT_EQ(from_onnx.total_params(), 698);
}

// Weights may be present, stripped (dims only, or declared without initializers) or external:
// the counts come from dims and attributes, so all read the same.
class OnnxWeightStorage : public testing::TestWithParam<Weights> {};

TEST_P(OnnxWeightStorage, CountsAsWithWeights) {
  std::vector<std::string> warnings;
  const Graph graph = small_cnn(GetParam()).read(&warnings);
  EXPECT_TRUE(warnings.empty());
  expect_same_layers(graph, small_cnn(Weights::kData).read());
  EXPECT_EQ(graph.total_macs(), 50'056);
  EXPECT_EQ(graph.total_params(), 698);
}

INSTANTIATE_TEST_SUITE_P(Forms, OnnxWeightStorage,
                         testing::Values(Weights::kDimsOnly, Weights::kExternal,
                                         Weights::kGraphInputs, Weights::kValueInfo),
                         [](const testing::TestParamInfo<Weights>& info) {
                           switch (info.param) {
                             case Weights::kDimsOnly:
                               return "dims_only";
                             case Weights::kExternal:
                               return "external_data";
                             case Weights::kGraphInputs:
                               return "graph_inputs";
                             case Weights::kValueInfo:
                               return "value_info";
                             default:
                               return "data";
                           }
                         });

TEST(OnnxWeights, AStrippedWeightNobodyDeclaresIsAnErrorNamingIt) {
  ModelBuilder b;
  b.input("x", {1, 3, 8, 8});
  b.node("Conv", "c", {"x", "c.weight"});
  EXPECT_EQ(error_of([&] { b.read(); }),
            "model.onnx: node 'c' (Conv): weight 'c.weight' has no shape: it is not an "
            "initializer, a Constant, a graph input or a value_info entry (keep the dims of "
            "stripped initializers)");
}

// --- Windows ---

// A 2 x 10 x 7 input, 3x3 kernel, stride 2, under each auto_pad.
Layer conv_with_auto_pad(const std::string& auto_pad) {
  ModelBuilder b;
  b.input("x", {1, 2, 10, 7});
  b.weight("w", {4, 2, 3, 3});
  b.node("Conv", "c", {"x", "w"}).ints("strides", {2, 2}).s("auto_pad", auto_pad);
  return find(b.read(), "c");
}

TEST(OnnxWindows, AutoPad) {
  // SAME_UPPER: ceil(10 / 2) = 5 and ceil(7 / 2) = 4 outputs. Padding needed:
  //   H (5 - 1)·2 + 3 - 10 = 1 -> top 0, bottom 1;  W (4 - 1)·2 + 3 - 7 = 2 -> 1 and 1.
  const Layer upper = conv_with_auto_pad("SAME_UPPER");
  EXPECT_EQ(upper.output_shape, (Shape{1, 5, 4, 4}));
  EXPECT_EQ(upper.window.pad_top, 0);
  EXPECT_EQ(upper.window.pad_bottom, 1);
  EXPECT_EQ(upper.window.pad_left, 1);
  EXPECT_EQ(upper.window.pad_right, 1);
  // SAME_LOWER: the odd element at the beginning.
  const Layer lower = conv_with_auto_pad("SAME_LOWER");
  EXPECT_EQ(lower.output_shape, (Shape{1, 5, 4, 4}));
  EXPECT_EQ(lower.window.pad_top, 1);
  EXPECT_EQ(lower.window.pad_bottom, 0);
  EXPECT_EQ(lower.window.pad_left, 1);
  EXPECT_EQ(lower.window.pad_right, 1);
  // VALID: (10 - 3) / 2 + 1 = 4, (7 - 3) / 2 + 1 = 3.
  EXPECT_EQ(conv_with_auto_pad("VALID").output_shape, (Shape{1, 4, 3, 4}));
}

TEST(OnnxWindows, PoolCeilModeAndCountIncludePad) {
  ModelBuilder b;
  b.input("x", {1, 4, 8, 8});
  // 3x3 / 2 on 8: floor gives (8 - 3) / 2 + 1 = 3, ceil gives ceil(5 / 2) + 1 = 4, which one
  // extra row and column of padding at the end reproduces: (8 + 1 - 3) / 2 + 1 = 4.
  b.node("MaxPool", "mp", {"x"})
      .ints("kernel_shape", {3, 3})
      .ints("strides", {2, 2})
      .i("ceil_mode", 1);
  b.node("AveragePool", "ap", {"mp"})
      .ints("kernel_shape", {2, 2})
      .ints("pads", {1, 1, 1, 1})
      .i("count_include_pad", 1);
  std::vector<std::string> warnings;
  const Graph graph = b.read(&warnings);
  EXPECT_EQ(find(graph, "mp").output_shape, (Shape{1, 4, 4, 4}));
  EXPECT_EQ(find(graph, "mp").window.pad_bottom, 1);
  EXPECT_EQ(find(graph, "mp").window.pad_right, 1);
  // Average pooling steps by 1 unless told (ONNX's default, unlike the YAML's): 4 + 2 - 2 + 1 = 5.
  EXPECT_EQ(find(graph, "ap").output_shape, (Shape{1, 5, 5, 4}));
  ASSERT_EQ(warnings.size(), 1u);
  EXPECT_EQ(warnings[0],
            "model.onnx: node 'ap' (AveragePool): count_include_pad=1: npusim's avgpool divides "
            "by the valid taps only, so border values differ in a functional run (timing is the "
            "same)");
}

// --- Dense layers ---

TEST(OnnxDense, MatMulPlusBiasIsOneDenseWithBias) {
  ModelBuilder b;
  b.input("x", {1, 16});
  b.weight("w", {16, 32});
  b.weight("b", {32});
  b.node("MatMul", "fc", {"x", "w"});
  b.node("Add", "fc_bias", {"fc", "b"});
  b.output("fc_bias");
  std::vector<std::string> warnings;
  const Graph graph = b.read(&warnings);
  EXPECT_TRUE(warnings.empty());
  ASSERT_EQ(graph.layers.size(), 2u);
  const Layer& fc = graph.layers[1];
  EXPECT_EQ(fc.op, OpKind::kDense);
  EXPECT_TRUE(fc.bias);
  // 16·32 = 512 MACs; 512 weights + 32 biases.
  EXPECT_EQ(fc.macs, 512);
  EXPECT_EQ(fc.params, 544);
}

TEST(OnnxDense, MatMulOverTokensKeepsThemAndTheBiasFoldsFromEitherSide) {
  ModelBuilder b;
  b.input("x", {2, 5, 16});
  b.weight("w", {16, 32});
  b.weight("b", {32});
  b.node("MatMul", "fc", {"x", "w"});
  b.node("Add", "fc_bias", {"b", "fc"});
  const Graph graph = b.read();
  ASSERT_EQ(graph.layers.size(), 2u);
  EXPECT_EQ(graph.batch, 2);
  // 2·5 rows x 16·32 = 5,120 MACs.
  EXPECT_EQ(graph.layers[1].output_shape, (Shape{2, 5, 32}));
  EXPECT_EQ(graph.layers[1].macs, 5'120);
  EXPECT_TRUE(graph.layers[1].bias);
}

TEST(OnnxDense, ABiasOnAMatMulOthersAlsoReadDoesNotFold) {
  ModelBuilder b;
  b.input("x", {1, 16});
  b.weight("w", {16, 8});
  b.weight("b", {8});
  b.node("MatMul", "fc", {"x", "w"});
  b.node("Add", "shifted", {"fc", "b"});
  b.node("Add", "sum", {"fc", "shifted"});
  std::vector<std::string> warnings;
  const Graph graph = b.read(&warnings);
  EXPECT_FALSE(find(graph, "fc").bias);
  ASSERT_EQ(warnings.size(), 1u);
  EXPECT_NE(warnings[0].find("node 'shifted' (Add): 'Add' with the constant 'b' [8] does not fold"),
            std::string::npos)
      << warnings[0];

  // Nor through an alias of it.
  ModelBuilder aliased;
  aliased.input("x", {1, 16});
  aliased.weight("w", {16, 8});
  aliased.weight("b", {8});
  aliased.node("MatMul", "fc", {"x", "w"});
  aliased.node("Identity", "same", {"fc"});
  aliased.node("Add", "shifted", {"same", "b"});
  aliased.node("Add", "sum", {"fc", "shifted"});
  EXPECT_FALSE(find(aliased.read(&warnings), "fc").bias);
  EXPECT_EQ(warnings.size(), 1u);
}

TEST(OnnxDense, ScalarMulFoldsAndTwoActivationsMultiply) {
  ModelBuilder b;
  b.input("x", {1, 16});
  b.weight("w", {16, 8});
  b.scalar("half", 0.5f);
  b.node("MatMul", "fc", {"x", "w"});
  b.node("Mul", "scaled", {"fc", "half"});
  b.node("Sigmoid", "gate", {"scaled"});
  b.node("Mul", "silu", {"scaled", "gate"});
  std::vector<std::string> warnings;
  const Graph graph = b.read(&warnings);
  EXPECT_TRUE(warnings.empty());
  // The scalar multiple is the same int8 tensor at another scale: no layer.
  EXPECT_EQ(names(graph), (std::vector<std::string>{"x", "fc", "gate", "silu"}));
  EXPECT_EQ(find(graph, "silu").op, OpKind::kMul);
  EXPECT_EQ(graph.layers[find(graph, "silu").inputs[0]].name, "fc");
}

// --- Activations ---

TEST(OnnxActivations, ClipZeroSixIsRelu6InBothOpsetStyles) {
  // Opset 6: bounds are attributes.
  ModelBuilder old_style(6);
  old_style.input("x", {1, 8});
  old_style.node("Clip", "act", {"x"}).f("min", 0).f("max", 6);
  // Opset 13: bounds are constant inputs.
  ModelBuilder new_style(13);
  new_style.input("x", {1, 8});
  new_style.scalar("zero", 0);
  new_style.scalar("six", 6);
  new_style.node("Clip", "act", {"x", "zero", "six"});
  for (const ModelBuilder* b : {&old_style, &new_style}) {
    std::vector<std::string> warnings;
    const Layer act = find(b->read(&warnings), "act");
    EXPECT_EQ(act.op, OpKind::kActivation);
    EXPECT_EQ(act.activation, Activation::kRelu6);
    EXPECT_TRUE(warnings.empty());
  }
}

TEST(OnnxActivations, ClipWithOnlyAZeroMinimumIsReluAndOtherBoundsWarn) {
  ModelBuilder b;
  b.input("x", {1, 8});
  b.scalar("zero", 0);
  b.scalar("minus_one", -1);
  b.scalar("one", 1);
  b.node("Clip", "r", {"x", "zero"});
  b.node("Clip", "hardtanh", {"r", "minus_one", "one"});
  std::vector<std::string> warnings;
  const Graph graph = b.read(&warnings);
  EXPECT_EQ(find(graph, "r").activation, Activation::kRelu);
  EXPECT_EQ(find(graph, "hardtanh").activation, Activation::kSigmoid);
  ASSERT_EQ(warnings.size(), 1u);
  EXPECT_EQ(warnings[0],
            "model.onnx: node 'hardtanh' (Clip): Clip to [-1, 1] is neither relu (min 0) nor relu6 "
            "(min 0, max 6); costed as a vector table-lookup activation (as sigmoid)");
}

// fc1 -> GELU written out in elementary ops -> fc2, in the forms exporters produce.
enum class GeluForm {
  kTorchModule,  // x / sqrt2 -> Erf -> + 1 -> x * . -> * 0.5   (torch.nn.GELU, constants as nodes)
  kHalfFirst,    // x * 0.5 computed first, then times (1 + erf(x / sqrt2))
  kReciprocalScale  // x * (1 / sqrt2) -> Erf -> + 1 -> * 0.5 -> x * .
};

ModelBuilder gelu_mlp(GeluForm form, float sqrt2 = 1.4142135f) {
  ModelBuilder b;
  b.input("x", {1, 16});
  b.weight("w1", {16, 32});
  b.weight("b1", {32});
  b.weight("w2", {32, 8});
  b.node("MatMul", "fc1", {"x", "w1"});
  b.node("Add", "h", {"b1", "fc1"});
  switch (form) {
    case GeluForm::kTorchModule:
      b.constant_node("sqrt2", sqrt2);
      b.constant_node("one", 1.0f);
      b.constant_node("half", 0.5f);
      b.node("Div", "/act/Div", {"h", "sqrt2"});
      b.node("Erf", "/act/Erf", {"/act/Div"});
      b.node("Add", "/act/Add", {"/act/Erf", "one"});
      b.node("Mul", "/act/Mul", {"h", "/act/Add"});
      b.node("Mul", "/act/Mul_1", {"/act/Mul", "half"});
      b.node("MatMul", "fc2", {"/act/Mul_1", "w2"});
      break;
    case GeluForm::kHalfFirst:
      b.scalar("sqrt2", sqrt2);
      b.scalar("one", 1.0f);
      b.scalar("half", 0.5f);
      b.node("Mul", "/act/half_x", {"half", "h"});
      b.node("Div", "/act/Div", {"h", "sqrt2"});
      b.node("Erf", "/act/Erf", {"/act/Div"});
      b.node("Add", "/act/Add", {"one", "/act/Erf"});
      b.node("Mul", "/act/Mul", {"/act/half_x", "/act/Add"});
      b.node("MatMul", "fc2", {"/act/Mul", "w2"});
      break;
    case GeluForm::kReciprocalScale:
      b.scalar("rsqrt2", 1 / sqrt2);
      b.scalar("one", 1.0f);
      b.scalar("half", 0.5f);
      b.node("Mul", "/act/Scale", {"h", "rsqrt2"});
      b.node("Erf", "/act/Erf", {"/act/Scale"});
      b.node("Add", "/act/Add", {"/act/Erf", "one"});
      b.node("Mul", "/act/Half", {"/act/Add", "half"});
      b.node("Mul", "/act/Mul", {"h", "/act/Half"});
      b.node("MatMul", "fc2", {"/act/Mul", "w2"});
      break;
  }
  b.output("fc2");
  return b;
}

TEST(OnnxActivations, ErfGeluPatternsBecomeOneGeluLayer) {
  for (GeluForm form : {GeluForm::kTorchModule, GeluForm::kHalfFirst, GeluForm::kReciprocalScale}) {
    SCOPED_TRACE(static_cast<int>(form));
    std::vector<std::string> warnings;
    const Graph graph = gelu_mlp(form).read(&warnings);
    EXPECT_TRUE(warnings.empty());
    EXPECT_EQ(names(graph), (std::vector<std::string>{"x", "fc1", "/act/Erf", "fc2"}));
    EXPECT_EQ(graph.layers[2].op, OpKind::kActivation);
    EXPECT_EQ(graph.layers[2].activation, Activation::kGelu);
    EXPECT_EQ(graph.layers[3].inputs, (std::vector<int>{2}));
    EXPECT_TRUE(graph.layers[1].bias);
    // 16·32 + 32·8 MACs; 16·32 + 32 + 32·8 params.
    EXPECT_EQ(graph.total_macs(), 768);
    EXPECT_EQ(graph.total_params(), 800);
  }
}

TEST(OnnxActivations, AnErfThatIsNotGeluStaysElementwiseWithWarnings) {
  std::vector<std::string> warnings;
  const Graph graph = gelu_mlp(GeluForm::kTorchModule, /*sqrt2=*/3.0f).read(&warnings);
  for (const Layer& layer : graph.layers) {
    EXPECT_NE(layer.activation, Activation::kGelu) << layer.name;
  }
  // x / 3 is a scalar scale (it folds); Erf is a function npusim lacks; + 1 is a constant that
  // folds into nothing; x * (...) is an element-wise product, and * 0.5 folds again.
  ASSERT_EQ(warnings.size(), 2u);
  EXPECT_EQ(warnings[0],
            "model.onnx: node '/act/Erf' (Erf): npusim has no 'Erf' function; costed as a vector "
            "table-lookup activation (as sigmoid)");
  EXPECT_NE(warnings[1].find("node '/act/Add' (Add): 'Add' with the scalar 'one' does not "
                             "fold into a conv's or dense's bias or weights"),
            std::string::npos)
      << warnings[1];
  EXPECT_EQ(names(graph),
            (std::vector<std::string>{"x", "fc1", "/act/Erf", "/act/Add", "/act/Mul", "fc2"}));
  EXPECT_EQ(find(graph, "/act/Mul").op, OpKind::kMul);
}

TEST(OnnxActivations, GeluOperatorAndPlainOnes) {
  ModelBuilder b(20);
  b.input("x", {1, 4, 6});
  b.node("Gelu", "g", {"x"}).s("approximate", "tanh");
  b.node("Tanh", "t", {"g"});
  b.node("Sigmoid", "s", {"t"});
  b.node("Dropout", "d", {"s"});
  b.node("Identity", "i", {"d"});
  b.node("Relu", "r", {"i"});
  const Graph graph = b.read();
  EXPECT_EQ(names(graph), (std::vector<std::string>{"x", "g", "t", "s", "r"}));
  EXPECT_EQ(find(graph, "g").activation, Activation::kGelu);
  EXPECT_EQ(find(graph, "t").activation, Activation::kTanh);
  EXPECT_EQ(find(graph, "s").activation, Activation::kSigmoid);
  EXPECT_EQ(graph.layers[find(graph, "r").inputs[0]].name, "s");
}

TEST(OnnxOperators, PerChannelScaleFoldsIntoItsConvAndOtherPoolsMapToIrPools) {
  ModelBuilder b(11);
  b.input("x", {1, 4, 6, 6});
  b.weight("w", {8, 4, 3, 3});
  b.weight("gamma", {8, 1, 1});
  b.node("Conv", "c", {"x", "w"}).ints("pads", {1, 1, 1, 1});
  b.node("Mul", "layer_scale", {"c", "gamma"});
  b.node("GlobalMaxPool", "gmp", {"layer_scale"});
  b.node("ReduceMean", "mean", {"layer_scale"}).ints("axes", {2, 3}).i("keepdims", 0);
  b.node("Squeeze", "squeezed", {"gmp"}).ints("axes", {2, 3});
  b.node("Sub", "diff", {"squeezed", "mean"});
  std::vector<std::string> warnings;
  const Graph graph = b.read(&warnings);
  // The per-channel scale folds into the conv's weights: no layer. GlobalMaxPool is one 6x6
  // window; ReduceMean over H and W is a global average pool, flattened by keepdims=0.
  EXPECT_EQ(names(graph), (std::vector<std::string>{"x", "c", "gmp", "mean", "mean/flatten",
                                                    "squeezed", "diff"}));
  EXPECT_EQ(find(graph, "gmp").op, OpKind::kMaxPool);
  EXPECT_EQ(find(graph, "gmp").window.kernel_h, 6);
  EXPECT_EQ(find(graph, "gmp").output_shape, (Shape{1, 1, 1, 8}));
  EXPECT_EQ(find(graph, "mean").op, OpKind::kGlobalAvgPool);
  EXPECT_EQ(find(graph, "mean/flatten").output_shape, (Shape{1, 8}));
  EXPECT_EQ(find(graph, "squeezed").output_shape, (Shape{1, 8}));
  EXPECT_EQ(find(graph, "diff").op, OpKind::kAdd);
  ASSERT_EQ(warnings.size(), 1u);
  EXPECT_EQ(warnings[0],
            "model.onnx: node 'diff' (Sub): npusim has no element-wise 'Sub' of two tensors; "
            "costed as an element-wise add");
}

TEST(OnnxOperators, AttributesThatChangeTheMeaningAreErrors) {
  auto error_for = [](const std::function<void(ModelBuilder&)>& add) {
    ModelBuilder b;
    b.input("x", {1, 4, 6, 6});
    add(b);
    return error_of([&] { b.read(); });
  };
  EXPECT_EQ(error_for([](ModelBuilder& b) { b.node("Flatten", "f", {"x"}).i("axis", 2); }),
            "model.onnx: node 'f' (Flatten): axis 2 would not keep the batch alone in the first "
            "dimension; npusim flattens at axis 1 only");
  EXPECT_EQ(error_for([](ModelBuilder& b) { b.node("Softmax", "p", {"x"}).i("axis", 2); }),
            "model.onnx: node 'p' (Softmax): softmax over ONNX axis 2 of [1,4,6,6], which the IR "
            "does not hold last; npusim's softmax is over the last axis");
  EXPECT_EQ(error_for([](ModelBuilder& b) {
              b.node("MaxPool", "m", {"x"}).ints("kernel_shape", {2, 2}).ints("dilations", {2, 2});
            }),
            "model.onnx: node 'm' (MaxPool): dilated pooling is not supported");
  EXPECT_EQ(error_for([](ModelBuilder& b) { b.node("Relu", "r", {"x"}).i("inplace", 1); }),
            "model.onnx: node 'r' (Relu): attribute 'inplace' is not supported");
  EXPECT_EQ(error_for([](ModelBuilder& b) {
              b.weight("w", {8, 3, 3, 3});
              b.node("Conv", "c", {"x", "w"});
            }),
            "model.onnx: node 'c' (Conv): weight 'w' [8,3,3,3] with group 1 takes 3 input "
            "channels, but input 'x' [1,4,6,6] has 4");
  EXPECT_EQ(error_for([](ModelBuilder& b) {
              b.int64s("shape", {2, -1});
              b.node("Reshape", "r", {"x", "shape"});
            }),
            "model.onnx: node 'r' (Reshape): reshapes [1,4,6,6] to [2,72], which does not keep "
            "the batch alone in the first dimension");
}

// --- Operators npusim does not have ---

TEST(OnnxUnsupported, AnOperatorItCannotLowerIsAnErrorNamingNodeAndOp) {
  for (const char* op : {"LRN", "Einsum"}) {
    ModelBuilder b;
    b.input("x", {1, 4, 8, 8});
    b.node("Relu", "r", {"x"});
    b.node(op, "odd1", {"r"});
    EXPECT_EQ(error_of([&] { b.read(); }),
              "model.onnx: node 'odd1' (" + std::string(op) +
                  "): operator not supported (docs/onnx.md lists those npusim reads)");
  }
}

TEST(OnnxUnsupported, AnUnknownElementwiseOpWarnsAndIsCostedAsAVectorOp) {
  ModelBuilder b;
  b.input("x", {1, 4, 8, 8});
  b.weight("w", {4, 4, 1, 1});
  b.node("Conv", "c", {"x", "w"});
  b.node("Elu", "elu1", {"c"}).f("alpha", 1.0f);
  std::vector<std::string> warnings;
  const Graph graph = b.read(&warnings);
  ASSERT_EQ(warnings.size(), 1u);
  EXPECT_EQ(warnings[0],
            "model.onnx: node 'elu1' (Elu): npusim has no 'Elu' function; costed as a vector "
            "table-lookup activation (as sigmoid)");
  const Layer& elu = find(graph, "elu1");
  EXPECT_EQ(elu.op, OpKind::kActivation);
  EXPECT_EQ(elu.output_shape, (Shape{1, 8, 8, 4}));
  // It compiles to a vector layer of its own (a table lookup is never fused into the conv).
  const isa::Program program = compile(graph, testing_support::small_arch());
  bool found = false;
  for (const auto& layer : program.layers) found = found || layer.name == "elu1";
  EXPECT_TRUE(found);
}

TEST(OnnxUnsupported, ForeignDomainsAndLayoutsThatNeedDataMovedAreErrors) {
  {
    ModelBuilder b;
    b.input("x", {1, 4, 8, 8});
    onnx::NodeProto* node = b.graph()->add_node();
    node->set_op_type("FusedConv");
    node->set_domain("com.microsoft");
    node->set_name("fc");
    node->add_input("x");
    node->add_output("y");
    EXPECT_EQ(error_of([&] { b.read(); }),
              "model.onnx: node 'fc' (FusedConv): operator of domain 'com.microsoft' is not a "
              "standard ONNX operator; npusim reads the default domain only");
  }
  {
    ModelBuilder b;
    b.input("x", {1, 4, 6});
    b.node("Transpose", "swap_batch", {"x"}).ints("perm", {1, 0, 2});
    EXPECT_EQ(error_of([&] { b.read(); }),
              "model.onnx: node 'swap_batch' (Transpose): perm [1,0,2] of a tensor held with its "
              "axes in ONNX order [0,1,2] is not expressible: npusim relabels NCHW <-> NHWC "
              "transposes and moves data only to swap the last two axes");
  }
  {
    ModelBuilder b;
    b.input("x", {1, 4, 6, 6});
    b.input("y", {1, 4, 6, 6});
    b.node("Concat", "cat", {"x", "y"}).i("axis", 0);
    EXPECT_EQ(error_of([&] { b.read(); }),
              "model.onnx: node 'cat' (Concat): joins along the batch axis, which npusim keeps "
              "whole");
  }
  {
    ModelBuilder b;
    b.input("x", {1, 4, 6, 6});
    b.input("y", {1, 4, 1, 1});
    b.node("Add", "broadcast", {"x", "y"});
    EXPECT_EQ(error_of([&] { b.read(); }),
              "model.onnx: node 'broadcast' (Add): operands have shapes [1,4,6,6] and [1,4,1,1]; "
              "npusim's element-wise ops need equal shapes (no broadcasting)");
  }
}

// --- Layouts ---

// NCHW [1, 4, 6, 6] is held NHWC: ONNX axis 2 (H) is the IR's per-sample axis 0, so a concat
// along it stacks rows, [1, 12, 6, 4]; a Slice of channels 2..5 (ONNX axis 1) cuts the IR's last
// axis, [1, 6, 6, 4]; one of H from -4 to "the end" (INT64_MAX, clamped) keeps rows 2..5.
TEST(OnnxLayouts, ConcatAndSliceAlongAnyAxisButTheBatch) {
  ModelBuilder b;
  b.input("x", {1, 4, 6, 6});
  b.input("y", {1, 8, 6, 6});
  b.node("Concat", "rows", {"x", "x"}).i("axis", 2);
  b.int64s("c_starts", {2});
  b.int64s("c_ends", {6});
  b.int64s("c_axes", {1});
  b.node("Slice", "channels", {"y", "c_starts", "c_ends", "c_axes"});
  b.int64s("h_starts", {-4});
  b.int64s("h_ends", {INT64_MAX});
  b.int64s("h_axes", {-2});
  b.node("Slice", "bottom", {"y", "h_starts", "h_ends", "h_axes"});
  const Graph graph = b.read();
  EXPECT_EQ(find(graph, "rows").output_shape, (Shape{1, 12, 6, 4}));
  EXPECT_EQ(find(graph, "rows").axis, 0);
  const Layer& channels = find(graph, "channels");
  EXPECT_EQ(channels.output_shape, (Shape{1, 6, 6, 4}));
  EXPECT_EQ(channels.axis, 2);
  EXPECT_EQ(channels.slice_begin, 2);
  EXPECT_EQ(channels.slice_size, 4);
  const Layer& bottom = find(graph, "bottom");
  EXPECT_EQ(bottom.output_shape, (Shape{1, 4, 6, 8}));
  EXPECT_EQ(bottom.slice_begin, 2);
  EXPECT_EQ(bottom.slice_size, 4);
}

TEST(OnnxLayouts, SliceItCannotExpressNamesWhy) {
  auto slice_error = [](const std::vector<int64_t>& starts, const std::vector<int64_t>& ends,
                        const std::vector<int64_t>& axes, const std::vector<int64_t>& steps) {
    ModelBuilder b;
    b.input("x", {1, 4, 6, 6});
    b.int64s("starts", starts);
    b.int64s("ends", ends);
    b.int64s("axes", axes);
    b.int64s("steps", steps);
    b.node("Slice", "s", {"x", "starts", "ends", "axes", "steps"});
    return error_of([&] { b.read(); });
  };
  EXPECT_EQ(slice_error({0}, {6}, {2}, {2}),
            "model.onnx: node 's' (Slice): steps by 2 along ONNX axis 2; npusim slices "
            "contiguous ranges only");
  EXPECT_EQ(slice_error({1, 1}, {3, 3}, {1, 2}, {1, 1}),
            "model.onnx: node 's' (Slice): cuts more than one axis; npusim slices one axis per "
            "layer");
  EXPECT_EQ(slice_error({0}, {0}, {0}, {1}),
            "model.onnx: node 's' (Slice): keeps nothing of ONNX axis 0");
}

TEST(OnnxLayouts, ConcatOnChannelsAndNhwcInputsTransposedByTheModel) {
  ModelBuilder b;
  // A TensorFlow-style model: NHWC input, transposed to NCHW for the conv.
  b.input("x", {1, 6, 5, 3});
  b.node("Transpose", "to_nchw", {"x"}).ints("perm", {0, 3, 1, 2});
  b.weight("w", {4, 3, 1, 1});
  b.node("Conv", "c", {"to_nchw", "w"});
  b.node("Concat", "cat", {"c", "to_nchw"}).i("axis", 1);
  b.node("Transpose", "to_nhwc", {"cat"}).ints("perm", {0, 2, 3, 1});
  b.node("Softmax", "p", {"to_nhwc"});
  const Graph graph = b.read();
  // The input is held as given; both transposes only relabel axes.
  EXPECT_EQ(names(graph), (std::vector<std::string>{"x", "c", "cat", "p"}));
  EXPECT_EQ(find(graph, "x").output_shape, (Shape{1, 6, 5, 3}));
  EXPECT_EQ(find(graph, "cat").output_shape, (Shape{1, 6, 5, 7}));
}

TEST(OnnxLayouts, PatchEmbeddingTokensAndAttentionScores) {
  ModelBuilder b;
  b.input("image", {1, 3, 8, 8});
  b.weight("patch.weight", {16, 3, 4, 4});
  b.node("Conv", "patch", {"image", "patch.weight"}).ints("strides", {4, 4});
  b.int64s("tokens_shape", {1, 16, -1});
  b.node("Reshape", "flat", {"patch", "tokens_shape"});             // [1,16,2,2] -> [1,16,4]
  b.node("Transpose", "tokens", {"flat"}).ints("perm", {0, 2, 1});  // [1,4,16]
  b.weight("ln.weight", {16});
  b.weight("ln.bias", {16});
  b.node("LayerNormalization", "ln", {"tokens", "ln.weight", "ln.bias"})
      .i("axis", -1)
      .f("epsilon", 1e-6f);
  b.weight("wq", {16, 16});
  b.weight("wk", {16, 16});
  b.node("MatMul", "q", {"ln", "wq"});
  b.node("MatMul", "k", {"ln", "wk"});
  b.node("Transpose", "kt", {"k"}).ints("perm", {0, 2, 1});
  b.node("MatMul", "scores", {"q", "kt"});
  b.node("Softmax", "attn", {"scores"}).i("axis", -1);
  const Graph graph = b.read();
  // Conv output [1,2,2,16] NHWC is already the token order [1,4,16]: the reshape merges H and W,
  // and the transpose to tokens only relabels. K^T moves data.
  EXPECT_EQ(names(graph), (std::vector<std::string>{"image", "patch", "flat", "ln", "q", "k", "kt",
                                                    "scores", "attn"}));
  EXPECT_EQ(find(graph, "flat").output_shape, (Shape{1, 4, 16}));
  EXPECT_EQ(find(graph, "ln").op, OpKind::kLayerNorm);
  EXPECT_FLOAT_EQ(find(graph, "ln").epsilon, 1e-6f);
  EXPECT_EQ(find(graph, "kt").op, OpKind::kTranspose);
  EXPECT_EQ(find(graph, "kt").output_shape, (Shape{1, 16, 4}));
  // 4 tokens x 4 tokens x 16 features.
  EXPECT_EQ(find(graph, "scores").macs, 256);
}

// --- The batch ---

TEST(OnnxBatch, ASymbolicOrMissingBatchIsTheGraphsBatchOfOneAndSaysSo) {
  for (int64_t batch : {int64_t{-1}, int64_t{-2}}) {
    ModelBuilder b;
    b.input("x", {batch, 3, 8, 8});
    b.node("Relu", "r", {"x"});
    std::vector<std::string> warnings;
    const Graph graph = b.read(&warnings);
    EXPECT_EQ(graph.batch, 1);
    EXPECT_EQ(find(graph, "x").output_shape, (Shape{1, 8, 8, 3}));
    ASSERT_EQ(warnings.size(), 1u);
    EXPECT_EQ(warnings[0], batch == -1 ? "model.onnx: input 'x': batch dimension is symbolic "
                                         "('N'); npusim uses the graph's batch, 1"
                                       : "model.onnx: input 'x': batch dimension is not given; "
                                         "npusim uses the graph's batch, 1");
  }
}

TEST(OnnxBatch, AFixedBatchIsKeptAndOtherSymbolicDimensionsAreErrors) {
  ModelBuilder fixed;
  fixed.input("x", {4, 3, 8, 8});
  fixed.node("Relu", "r", {"x"});
  std::vector<std::string> warnings;
  const Graph graph = fixed.read(&warnings);
  EXPECT_EQ(graph.batch, 4);
  EXPECT_TRUE(warnings.empty());

  ModelBuilder symbolic;
  symbolic.input("x", {1, 3, -1, 8});
  symbolic.node("Relu", "r", {"x"});
  EXPECT_EQ(error_of([&] { symbolic.read(); }),
            "model.onnx: input 'x': dimension 2 is symbolic ('N'); npusim needs fixed sizes "
            "except the batch (export the model with a fixed input size)");
}

// --- Files ---

TEST(OnnxFiles, ReadsAFileAndRejectsWhatIsNotAModel) {
  const std::filesystem::path dir = testing::TempDir();
  const std::string path = (dir / "npusim_small_cnn.onnx").string();
  {
    std::ofstream file(path, std::ios::binary);
    file << small_cnn(Weights::kExternal).bytes();
  }
  std::vector<std::string> warnings;
  const Graph graph = read_onnx(path, warnings);
  EXPECT_EQ(graph.name, "npusim_small_cnn");
  EXPECT_EQ(graph.source_path, path);
  EXPECT_EQ(graph.total_macs(), 50'056);
  std::remove(path.c_str());

  EXPECT_TRUE(is_onnx_path("models/resnet50.onnx"));
  EXPECT_TRUE(is_onnx_path("MODEL.ONNX"));
  EXPECT_FALSE(is_onnx_path("workloads/resnet.yaml"));
  EXPECT_EQ(error_of([&] { read_onnx(kWorkloads + "/tiny_cnn.yaml", warnings); }),
            kWorkloads +
                "/tiny_cnn.yaml: not an ONNX model (it does not parse as an "
                "onnx.ModelProto)");
  EXPECT_EQ(error_of([&] { read_onnx("/nonexistent/model.onnx", warnings); }),
            "/nonexistent/model.onnx: cannot open file");
}

// --- ResNet-50 as torchvision exports it ---

// torchvision's ResNet-50 (v1.5) in the ONNX form its export produces before any optimisation:
// Conv without bias + BatchNormalization + Relu, Add, MaxPool, GlobalAveragePool, Flatten, Gemm.
// Mirrors scripts/gen_resnet.py, node names being the workload's layer names, and ends with the
// workload's Softmax (torchvision's model has none). Weights are stored as `storage` says:
// stripped to their dims unless a test needs their values.
// `fold_batchnorm`: as torch.onnx.export writes a model in eval mode, each batchnorm folded into
// its conv, which gains a bias.
std::string resnet50_onnx(bool fold_batchnorm = false, Weights storage = Weights::kDimsOnly) {
  ModelBuilder b(13, storage);
  b.input("image", {-1, 3, 224, 224});
  std::map<std::string, std::string> folded;  // a folded batchnorm's name -> its conv's
  auto source_of = [&](const std::string& name) {
    auto found = folded.find(name);
    return found == folded.end() ? name : found->second;
  };
  auto conv = [&](const std::string& name, const std::string& source, int64_t in, int64_t out,
                  int64_t kernel, int64_t stride, int64_t pad) {
    b.weight(name + ".weight", {out, in, kernel, kernel});
    std::vector<std::string> inputs = {source_of(source), name + ".weight"};
    if (fold_batchnorm) {
      b.weight(name + ".bias", {out});
      inputs.push_back(name + ".bias");
    }
    b.node("Conv", name, inputs)
        .ints("kernel_shape", {kernel, kernel})
        .ints("strides", {stride, stride})
        .ints("pads", {pad, pad, pad, pad})
        .ints("dilations", {1, 1})
        .i("group", 1);
  };
  auto batchnorm = [&](const std::string& name, const std::string& source, int64_t channels) {
    if (fold_batchnorm) {
      folded[name] = source;
      return;
    }
    for (const char* p : {".weight", ".bias", ".running_mean", ".running_var"}) {
      b.weight(name + p, {channels});
    }
    b.node(
         "BatchNormalization", name,
         {source, name + ".weight", name + ".bias", name + ".running_mean", name + ".running_var"})
        .f("epsilon", 1e-5f)
        .f("momentum", 0.9f);
  };
  conv("conv1", "image", 3, 64, 7, 2, 3);
  batchnorm("bn1", "conv1", 64);
  b.node("Relu", "relu", {source_of("bn1")});
  b.node("MaxPool", "maxpool", {"relu"})
      .ints("kernel_shape", {3, 3})
      .ints("strides", {2, 2})
      .ints("pads", {1, 1, 1, 1})
      .i("ceil_mode", 0);
  struct Stage {
    int blocks;
    int64_t width;
    int64_t stride;
  };
  std::string source = "maxpool";
  int64_t channels = 64;
  int stage_number = 1;
  for (const Stage& stage :
       {Stage{3, 64, 1}, Stage{4, 128, 2}, Stage{6, 256, 2}, Stage{3, 512, 2}}) {
    for (int block = 0; block < stage.blocks; ++block) {
      const std::string p = "layer" + std::to_string(stage_number) + "." + std::to_string(block);
      const int64_t stride = block == 0 ? stage.stride : 1;
      const int64_t out = stage.width * 4;
      conv(p + ".conv1", source, channels, stage.width, 1, 1, 0);
      batchnorm(p + ".bn1", p + ".conv1", stage.width);
      b.node("Relu", p + ".relu1", {source_of(p + ".bn1")});
      conv(p + ".conv2", p + ".relu1", stage.width, stage.width, 3, stride, 1);  // v1.5
      batchnorm(p + ".bn2", p + ".conv2", stage.width);
      b.node("Relu", p + ".relu2", {source_of(p + ".bn2")});
      conv(p + ".conv3", p + ".relu2", stage.width, out, 1, 1, 0);
      batchnorm(p + ".bn3", p + ".conv3", out);
      std::string identity = source;
      if (stride != 1 || channels != out) {
        conv(p + ".downsample.0", source, channels, out, 1, stride, 0);
        batchnorm(p + ".downsample.1", p + ".downsample.0", out);
        identity = p + ".downsample.1";
      }
      b.node("Add", p + ".add", {source_of(p + ".bn3"), source_of(identity)});
      b.node("Relu", p + ".relu3", {p + ".add"});
      source = p + ".relu3";
      channels = out;
    }
    ++stage_number;
  }
  b.node("GlobalAveragePool", "avgpool", {source});
  b.node("Flatten", "flatten", {"avgpool"}).i("axis", 1);
  b.weight("fc.weight", {1000, 2048});
  b.weight("fc.bias", {1000});
  b.node("Gemm", "fc", {"flatten", "fc.weight", "fc.bias"})
      .f("alpha", 1)
      .f("beta", 1)
      .i("transB", 1);
  b.node("Softmax", "softmax", {"fc"}).i("axis", 1);
  b.output("softmax");
  return b.bytes();
}

TEST(OnnxResNet50, TorchvisionExportCountsAsTheShippedWorkload) {
  std::vector<std::string> warnings;
  const Graph graph = parse_onnx(resnet50_onnx(), "resnet50.onnx", warnings);
  ASSERT_EQ(warnings.size(), 1u);  // the symbolic batch
  EXPECT_EQ(graph.total_macs(), 4'089'184'256);
  EXPECT_EQ(graph.total_params(), 25'557'032);
  const Graph yaml = read_workload(kWorkloads + "/resnet.yaml");
  EXPECT_EQ(graph.layers.size(), yaml.layers.size());
  expect_same_layers(graph, yaml);
}

TEST(OnnxResNet50, ItsWeightValuesAreEveryParameter) {
  std::vector<std::string> warnings;
  ModelWeights weights;
  const Graph graph =
      parse_onnx(resnet50_onnx(false, Weights::kData), "resnet50.onnx", warnings, &weights);
  ASSERT_TRUE(weights.complete()) << weights.missing;
  // Conv and dense weights and biases, batchnorm a and b: one value per counted parameter.
  int64_t values = 0;
  for (const LayerWeights& layer : weights.layers) {
    values += static_cast<int64_t>(layer.weights.size() + layer.bias.size() + layer.scale.size() +
                                   layer.shift.size());
  }
  EXPECT_EQ(values, graph.total_params());
}

TEST(OnnxResNet50, WithBatchnormFoldedIntoTheConvsParamsDiffer) {
  std::vector<std::string> warnings;
  const Graph graph = parse_onnx(resnet50_onnx(/*fold_batchnorm=*/true), "resnet50.onnx", warnings);
  // The same MACs; each of the 53 batchnorms (26,560 channels: stem 64; per stage blocks x 6w
  // plus the downsample's 4w, i.e. 1,408 + 3,584 + 10,240 + 11,264) trades its scale and shift
  // (2C) for its conv's bias (C): 25,557,032 - 26,560 = 25,530,472 parameters, and the 177
  // layers of the workload (1 + 4 + 16·10 + 4·2 + 4) lose the 53 batchnorms.
  EXPECT_EQ(graph.total_macs(), 4'089'184'256);
  EXPECT_EQ(graph.total_params(), 25'530'472);
  EXPECT_EQ(graph.layers.size(), 177u - 53);
}

// What a user compares: the report lists program layers, and an exporter's folding is the
// compiler's. The folded export compiles to the workload's program layer for layer: the same
// layers with the same MACs, tiled alike, in the same number of instructions.
TEST(OnnxResNet50, WithBatchnormFoldedCompilesToTheWorkloadsProgram) {
  std::vector<std::string> warnings;
  const Graph folded =
      parse_onnx(resnet50_onnx(/*fold_batchnorm=*/true), "resnet50.onnx", warnings);
  const Graph yaml = read_workload(kWorkloads + "/resnet.yaml");
  const arch::ArchConfig arch = arch::load_arch(NPU_REPO_DIR "/configs/int8_64x64.yaml");
  const isa::Program from_onnx = compile(folded, arch);
  const isa::Program from_yaml = compile(yaml, arch);
  ASSERT_EQ(from_onnx.layers.size(), from_yaml.layers.size());
  for (size_t l = 0; l < from_yaml.layers.size(); ++l) {
    EXPECT_EQ(from_onnx.layers[l].macs, from_yaml.layers[l].macs) << from_yaml.layers[l].name;
    // The same tiling; only the list of fused layers differs (no batchnorm to fold).
    auto tiling_of = [](const std::string& mapping) {
      return mapping.substr(0, mapping.find("; fused:"));
    };
    EXPECT_EQ(tiling_of(from_onnx.layers[l].mapping), tiling_of(from_yaml.layers[l].mapping))
        << from_yaml.layers[l].name;
  }
  EXPECT_EQ(from_onnx.code.size(), from_yaml.code.size());
}

// --- The whole pipeline ---

// Every ONNX construct the reader folds or relabels, in a model small enough to run functionally:
// NCHW input, conv with bias (stride 2, asymmetric pads), batchnorm, relu, grouped dilated conv,
// residual add, maxpool, global average pool, flatten, gemm, Clip -> relu6, MatMul + bias,
// the erf GELU pattern and softmax.
ModelBuilder pipeline_model() {
  ModelBuilder b;
  b.input("x", {1, 5, 11, 9});
  b.weight("c1.w", {6, 5, 3, 3});
  b.weight("c1.b", {6});
  b.node("Conv", "c1", {"x", "c1.w", "c1.b"}).ints("strides", {2, 2}).ints("pads", {1, 0, 1, 1});
  for (const char* p : {"bn.s", "bn.b", "bn.m", "bn.v"}) b.weight(p, {6});
  b.node("BatchNormalization", "bn", {"c1", "bn.s", "bn.b", "bn.m", "bn.v"});
  b.node("Relu", "r1", {"bn"});
  b.weight("c2.w", {6, 3, 3, 3});
  b.node("Conv", "c2", {"r1", "c2.w"})
      .i("group", 2)
      .ints("dilations", {2, 2})
      .ints("pads", {2, 2, 2, 2});
  b.node("Add", "res", {"c2", "r1"});
  b.node("Relu", "r2", {"res"});
  b.node("MaxPool", "mp", {"r2"}).ints("kernel_shape", {2, 2}).ints("strides", {2, 2});
  b.node("GlobalAveragePool", "gap", {"mp"});
  b.node("Flatten", "flat", {"gap"});
  b.weight("fc1.w", {12, 6});
  b.weight("fc1.b", {12});
  b.node("Gemm", "fc1", {"flat", "fc1.w", "fc1.b"}).i("transB", 1);
  b.scalar("zero", 0);
  b.scalar("six", 6);
  b.node("Clip", "r6", {"fc1", "zero", "six"});
  b.weight("fc2.w", {12, 10});
  b.weight("fc2.b", {10});
  b.node("MatMul", "fc2", {"r6", "fc2.w"});
  b.node("Add", "fc2_bias", {"fc2", "fc2.b"});
  b.scalar("sqrt2", 1.4142135f);
  b.scalar("one", 1);
  b.scalar("half", 0.5f);
  b.node("Div", "g_div", {"fc2_bias", "sqrt2"});
  b.node("Erf", "gelu", {"g_div"});
  b.node("Add", "g_add", {"gelu", "one"});
  b.node("Mul", "g_mul", {"fc2_bias", "g_add"});
  b.node("Mul", "g_half", {"g_mul", "half"});
  b.node("Softmax", "prob", {"g_half"});
  b.output("prob");
  return b;
}

TEST(OnnxPipeline, CompilesAndRunsBitExactAgainstTheReference) {
  std::vector<std::string> warnings;
  const Graph graph = pipeline_model().read(&warnings);
  EXPECT_TRUE(warnings.empty());
  EXPECT_EQ(names(graph),
            (std::vector<std::string>{"x", "c1", "bn", "r1", "c2", "res", "r2", "mp", "gap", "flat",
                                      "fc1", "r6", "fc2", "gelu", "prob"}));
  arch::ArchConfig arch = testing_support::small_arch();  // 4x4 array, 1 KiB buffers
  arch.array.rows = arch.array.cols = 8;
  arch.sram.input.size_kib = arch.sram.weight.size_kib = arch.sram.output.size_kib = 64;
  const functional::ModelData data = functional::generate_model_data(graph);
  const CompiledModel model = compile_model(graph, arch, functional::compile_options_for(data));
  const functional::FunctionalRun run = functional::run_functional(graph, model, data, arch);
  const std::vector<functional::QTensor> expected = reference::run_graph(graph, data);
  ASSERT_FALSE(run.outputs.empty());
  for (const functional::LayerOutput& output : run.outputs) {
    EXPECT_EQ(output.value.shape, expected[static_cast<size_t>(output.tensor)].shape)
        << output.name;
    EXPECT_EQ(output.value.data, expected[static_cast<size_t>(output.tensor)].data) << output.name;
  }
  EXPECT_EQ(static_cast<int64_t>(run.counts.executed_macs), graph.total_macs());
}

}  // namespace
}  // namespace npu::compiler
