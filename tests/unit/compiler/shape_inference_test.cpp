// Shape inference, MAC and parameter counts of single layers, each worked out by hand.
//
// Conventions in the derivations: shapes are [N,H,W,C]; the output size along an axis is
// floor((in + pad_before + pad_after - dilation * (K - 1) - 1) / stride) + 1; conv MACs are
// N x Hout x Wout x Cout x (Cin/groups) x Kh x Kw and conv params Cout x (Cin/groups) x Kh x Kw.

#include "compiler/shape_inference.h"

#include <gtest/gtest.h>

#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include "arch/user_error.h"
#include "compiler/graph.h"
#include "tests/unit/compiler/graph_test_util.h"
#include "compiler/workload_reader.h"

namespace npu::compiler {
namespace {

using Shape = std::vector<int64_t>;

// A workload with the given input and layer lines (each "  - {...}\n").
Graph parse(const std::string& inputs, const std::string& layers, int batch = 1) {
  return parse_workload(
      "name: t\nbatch: " + std::to_string(batch) + "\ninputs:\n" + inputs + "layers:\n" + layers,
      "t.yaml");
}

using testing_util::find;

TEST(WindowOutputSize, FloorsAndReportsAKernelThatDoesNotFit) {
  // 9 + 1 + 1 - 3 = 8 -> 8/2 + 1 = 5; one more input row still gives floor(9/2) + 1 = 5.
  EXPECT_EQ(window_output_size(9, 3, 2, 1, 1, 1), 5);
  EXPECT_EQ(window_output_size(10, 3, 2, 1, 1, 1), 5);
  // At the limit: a 5-wide kernel over 5 inputs fits once; one input short it does not.
  EXPECT_EQ(window_output_size(5, 5, 1, 1, 0, 0), 1);
  EXPECT_EQ(window_output_size(4, 5, 1, 1, 0, 0), 0);
  // Span -1 with stride 2: floor(-1/2) + 1 = 0; truncating division would wrongly give 1.
  EXPECT_EQ(window_output_size(4, 5, 2, 1, 0, 0), 0);
  // Dilation 2 makes a 3-tap kernel span 5: 5 inputs -> 1 output, 4 inputs -> none.
  EXPECT_EQ(window_output_size(5, 3, 1, 2, 0, 0), 1);
  EXPECT_EQ(window_output_size(4, 3, 1, 2, 0, 0), 0);
}

TEST(SamePadding, MatchesTensorFlow) {
  // 224 / 2 -> 112 outputs need (112 - 1) * 2 + 7 = 229 inputs: 5 pads, the odd one at the end.
  EXPECT_EQ(same_padding(224, 7, 2, 1), std::make_pair(2, 3));
  // Stride 1, kernel 3: out = in, total pad 2.
  EXPECT_EQ(same_padding(56, 3, 1, 1), std::make_pair(1, 1));
  // 8 / 2 -> 4 outputs need 3 * 2 + 1 = 7 <= 8 inputs: no padding.
  EXPECT_EQ(same_padding(8, 1, 2, 1), std::make_pair(0, 0));
  // Dilation 2 turns kernel 3 into extent 5: total pad 4.
  EXPECT_EQ(same_padding(10, 3, 1, 2), std::make_pair(2, 2));
}

TEST(ShapeInference, ConvWithStrideAndPadding) {
  Graph graph = parse("  - {name: x, shape: [9, 9, 4]}\n",
                      "  - {name: c, op: conv2d, input: x, out_channels: 6, kernel: 3, stride: 2,"
                      " padding: 1}\n",
                      /*batch=*/2);
  const Layer& conv = find(graph, "c");
  // H = W = floor((9 + 2 - 2 - 1) / 2) + 1 = 5.
  EXPECT_EQ(conv.output_shape, (Shape{2, 5, 5, 6}));
  // 2 x 5 x 5 x 6 x 4 x 3 x 3 = 10,800.
  EXPECT_EQ(conv.macs, 10'800);
  // 6 x 4 x 3 x 3 = 216, no bias by default.
  EXPECT_EQ(conv.params, 216);
  EXPECT_FALSE(conv.bias);
}

TEST(ShapeInference, DilatedConvWithPerAxisValues) {
  Graph graph = parse("  - {name: x, shape: [10, 10, 2]}\n",
                      "  - {name: c, op: conv2d, input: x, out_channels: 4, kernel: 3,"
                      " dilation: [2, 1]}\n");
  const Layer& conv = find(graph, "c");
  // H: extent 2 x 2 + 1 = 5 -> 10 - 5 + 1 = 6; W: extent 3 -> 10 - 3 + 1 = 8.
  EXPECT_EQ(conv.output_shape, (Shape{1, 6, 8, 4}));
  // Dilation spreads the taps but does not add any: 6 x 8 x 4 x 2 x 3 x 3 = 3,456.
  EXPECT_EQ(conv.macs, 3'456);
  EXPECT_EQ(conv.params, 4 * 2 * 3 * 3);
}

TEST(ShapeInference, RectangularKernelAndFourSidedPadding) {
  Graph graph = parse("  - {name: x, shape: [4, 6, 2]}\n  - {name: y, shape: [5, 5, 1]}\n",
                      "  - {name: a, op: conv2d, input: x, out_channels: 5, kernel: [1, 3],"
                      " padding: [0, 1]}\n"
                      "  - {name: b, op: conv2d, input: y, out_channels: 1, kernel: 3,"
                      " padding: [1, 0, 2, 0]}\n");
  const Layer& a = find(graph, "a");
  // H: 4 - 1 + 1 = 4; W: 6 + 2 - 3 + 1 = 6.
  EXPECT_EQ(a.output_shape, (Shape{1, 4, 6, 5}));
  // 4 x 6 x 5 x 2 x 1 x 3 = 720.
  EXPECT_EQ(a.macs, 720);
  const Layer& b = find(graph, "b");
  EXPECT_EQ(b.window.pad_top, 1);
  EXPECT_EQ(b.window.pad_bottom, 0);
  EXPECT_EQ(b.window.pad_left, 2);
  EXPECT_EQ(b.window.pad_right, 0);
  // H: 5 + 1 - 3 + 1 = 4; W: 5 + 2 - 3 + 1 = 5; MACs 4 x 5 x 1 x 1 x 9 = 180.
  EXPECT_EQ(b.output_shape, (Shape{1, 4, 5, 1}));
  EXPECT_EQ(b.macs, 180);
}

TEST(ShapeInference, GroupedConvWithBias) {
  Graph graph = parse("  - {name: x, shape: [8, 8, 8]}\n",
                      "  - {name: c, op: conv2d, input: x, out_channels: 4, kernel: 3, padding: 1,"
                      " groups: 2, bias: true}\n");
  const Layer& conv = find(graph, "c");
  EXPECT_EQ(conv.output_shape, (Shape{1, 8, 8, 4}));
  // Each output channel sees Cin / groups = 4 input channels: 8 x 8 x 4 x 4 x 9 = 9,216.
  EXPECT_EQ(conv.macs, 9'216);
  // 4 x 4 x 9 weights + 4 biases = 148.
  EXPECT_EQ(conv.params, 148);
}

TEST(ShapeInference, DepthwiseConvWithSamePadding) {
  Graph graph = parse("  - {name: x, shape: [8, 8, 16]}\n",
                      "  - {name: dw, op: conv2d, input: x, out_channels: 16, kernel: 3,"
                      " stride: 2, padding: same, groups: 16, activation: relu6}\n");
  const Layer& dw = find(graph, "dw");
  // same: ceil(8 / 2) = 4 outputs need 3 x 2 + 3 = 9 inputs, one pad, at the bottom/right.
  EXPECT_EQ(dw.output_shape, (Shape{1, 4, 4, 16}));
  EXPECT_TRUE(dw.window.pad_same);
  EXPECT_EQ(dw.window.pad_top, 0);
  EXPECT_EQ(dw.window.pad_bottom, 1);
  EXPECT_EQ(dw.window.pad_left, 0);
  EXPECT_EQ(dw.window.pad_right, 1);
  // One input channel per output: 4 x 4 x 16 x 1 x 9 = 2,304; weights 16 x 1 x 9 = 144.
  EXPECT_EQ(dw.macs, 2'304);
  EXPECT_EQ(dw.params, 144);
  EXPECT_EQ(dw.activation, Activation::kRelu6);
}

TEST(ShapeInference, Dense) {
  Graph graph = parse("  - {name: x, shape: [32]}\n",
                      "  - {name: fc, op: dense, input: x, out_features: 10, activation: relu6}\n"
                      "  - {name: nb, op: dense, input: x, out_features: 10, bias: false}\n",
                      /*batch=*/4);
  const Layer& fc = find(graph, "fc");
  EXPECT_EQ(fc.output_shape, (Shape{4, 10}));
  EXPECT_EQ(fc.out_channels, 10);
  // 4 rows x 32 x 10 = 1,280.
  EXPECT_EQ(fc.macs, 1'280);
  // 32 x 10 weights + 10 biases (bias defaults to true for dense).
  EXPECT_EQ(fc.params, 330);
  EXPECT_EQ(fc.activation, Activation::kRelu6);
  EXPECT_EQ(find(graph, "nb").params, 320);
}

TEST(ShapeInference, DenseOverTheLastAxisOfTokens) {
  Graph graph = parse("  - {name: x, shape: [5, 17]}\n  - {name: y, shape: [2, 4, 6]}\n",
                      "  - {name: fc, op: dense, input: x, out_features: 11}\n"
                      "  - {name: px, op: dense, input: y, out_features: 5, bias: false}\n",
                      /*batch=*/3);
  const Layer& fc = find(graph, "fc");
  // [3,5,17] -> [3,5,11]: every (sample, token) is a row.
  EXPECT_EQ(fc.output_shape, (Shape{3, 5, 11}));
  // 3 x 5 rows x 17 x 11 = 2,805.
  EXPECT_EQ(fc.macs, 2'805);
  // The weights do not depend on the rows: 17 x 11 + 11 biases = 198.
  EXPECT_EQ(fc.params, 198);
  const Layer& px = find(graph, "px");
  // [3,2,4,6] -> [3,2,4,5]: 3 x 2 x 4 = 24 rows x 6 x 5 = 720 MACs, 30 weights.
  EXPECT_EQ(px.output_shape, (Shape{3, 2, 4, 5}));
  EXPECT_EQ(px.macs, 720);
  EXPECT_EQ(px.params, 30);
}

TEST(ShapeInference, MulAndTranspose) {
  Graph graph = parse("  - {name: a, shape: [4, 6]}\n  - {name: x, shape: [3, 7, 13]}\n",
                      "  - {name: g, op: sigmoid, input: a}\n"
                      "  - {name: m, op: mul, inputs: [g, a], activation: relu}\n"
                      "  - {name: t, op: transpose, input: m}\n"
                      "  - {name: tx, op: transpose, input: x}\n",
                      /*batch=*/2);
  const Layer& m = find(graph, "m");
  EXPECT_EQ(m.op, OpKind::kMul);
  EXPECT_EQ(m.output_shape, (Shape{2, 4, 6}));
  EXPECT_EQ(m.activation, Activation::kRelu);
  // [2,4,6] -> [2,6,4]; the batch stays first.
  EXPECT_EQ(find(graph, "t").op, OpKind::kTranspose);
  EXPECT_EQ(find(graph, "t").output_shape, (Shape{2, 6, 4}));
  // Only the last two axes swap: [2,3,7,13] -> [2,3,13,7].
  EXPECT_EQ(find(graph, "tx").output_shape, (Shape{2, 3, 13, 7}));
  // The vector unit's work: no MACs, no parameters.
  for (const char* name : {"m", "t", "tx"}) {
    EXPECT_EQ(find(graph, name).macs, 0) << name;
    EXPECT_EQ(find(graph, name).params, 0) << name;
  }
  EXPECT_STREQ(to_string(OpKind::kMul), "mul");
  EXPECT_STREQ(to_string(OpKind::kTranspose), "transpose");
}

TEST(ShapeInference, BatchedMatmul) {
  Graph graph = parse("  - {name: a, shape: [3, 4, 5]}\n  - {name: b, shape: [3, 5, 6]}\n",
                      "  - {name: mm, op: matmul, inputs: [a, b]}\n", /*batch=*/2);
  const Layer& mm = find(graph, "mm");
  // [2,3 | 4,5] x [2,3 | 5,6] -> [2,3,4,6].
  EXPECT_EQ(mm.output_shape, (Shape{2, 3, 4, 6}));
  // leading 2 x 3, then M 4 x N 6 x K 5: 6 x 120 = 720. Two activations: no parameters.
  EXPECT_EQ(mm.macs, 720);
  EXPECT_EQ(mm.params, 0);
}

TEST(ShapeInference, Pooling) {
  Graph graph = parse("  - {name: x, shape: [112, 112, 64]}\n  - {name: y, shape: [7, 7, 3]}\n",
                      "  - {name: max, op: maxpool, input: x, kernel: 3, stride: 2, padding: 1}\n"
                      "  - {name: avg, op: avgpool, input: y, kernel: 2}\n"
                      "  - {name: gap, op: global_avgpool, input: y}\n");
  // floor((112 + 2 - 3) / 2) + 1 = 56.
  EXPECT_EQ(find(graph, "max").output_shape, (Shape{1, 56, 56, 64}));
  // The stride defaults to the kernel: floor((7 - 2) / 2) + 1 = 3.
  EXPECT_EQ(find(graph, "avg").window.stride_h, 2);
  EXPECT_EQ(find(graph, "avg").output_shape, (Shape{1, 3, 3, 3}));
  EXPECT_EQ(find(graph, "gap").output_shape, (Shape{1, 1, 1, 3}));
  for (const char* name : {"max", "avg", "gap"}) {
    EXPECT_EQ(find(graph, name).macs, 0) << name;
    EXPECT_EQ(find(graph, name).params, 0) << name;
  }
}

TEST(ShapeInference, ConcatAlongChannels) {
  Graph graph = parse(
      "  - {name: a, shape: [4, 4, 3]}\n  - {name: b, shape: [4, 4, 5]}\n"
      "  - {name: c, shape: [4, 4, 8]}\n",
      "  - {name: cat, op: concat, inputs: [a, b, c]}\n");
  // 3 + 5 + 8 = 16 channels.
  EXPECT_EQ(find(graph, "cat").output_shape, (Shape{1, 4, 4, 16}));
  EXPECT_EQ(find(graph, "cat").inputs, (std::vector<int>{0, 1, 2}));
}

TEST(ShapeInference, ConcatAlongAnAxis) {
  Graph graph = parse("  - {name: a, shape: [5, 4]}\n  - {name: b, shape: [1, 4]}\n",
                      "  - {name: rows, op: concat, inputs: [a, b], axis: 0}\n"
                      "  - {name: same, op: concat, inputs: [a, b], axis: -2}\n");
  // Axis 0 of the per-sample shape is index 1 of [batch, 5, 4]: 5 + 1 = 6 rows.
  EXPECT_EQ(find(graph, "rows").output_shape, (Shape{1, 6, 4}));
  EXPECT_EQ(find(graph, "same").output_shape, (Shape{1, 6, 4}));
  EXPECT_EQ(concat_axis(find(graph, "rows")), 1u);
}

TEST(ShapeInference, SliceKeepsSizeElementsOfItsAxis) {
  Graph graph = parse("  - {name: a, shape: [5, 12]}\n",
                      "  - {name: c, op: slice, input: a, begin: 4, size: 6}\n"
                      "  - {name: r, op: slice, input: a, axis: 0, begin: 1, size: 3}\n");
  EXPECT_EQ(find(graph, "c").output_shape, (Shape{1, 5, 6}));
  EXPECT_EQ(find(graph, "r").output_shape, (Shape{1, 3, 12}));
  EXPECT_EQ(find(graph, "c").macs, 0);
}

TEST(ShapeInference, FlattenAndReshape) {
  Graph graph = parse("  - {name: x, shape: [7, 7, 64]}\n  - {name: v, shape: [12]}\n",
                      "  - {name: flat, op: flatten, input: x}\n"
                      "  - {name: r, op: reshape, input: v, shape: [3, -1]}\n"
                      "  - {name: back, op: reshape, input: r, shape: [-1]}\n"
                      "  - {name: grid, op: reshape, input: v, shape: [2, 2, 3]}\n",
                      /*batch=*/2);
  // 7 x 7 x 64 = 3,136 per sample; the batch stays first.
  EXPECT_EQ(find(graph, "flat").output_shape, (Shape{2, 3136}));
  // -1 = 12 / 3 = 4.
  EXPECT_EQ(find(graph, "r").output_shape, (Shape{2, 3, 4}));
  EXPECT_EQ(find(graph, "r").target_shape, (Shape{3, -1}));
  EXPECT_EQ(find(graph, "back").output_shape, (Shape{2, 12}));
  EXPECT_EQ(find(graph, "grid").output_shape, (Shape{2, 2, 2, 3}));
}

TEST(ShapeInference, ElementwiseOpsKeepTheShape) {
  Graph graph = parse("  - {name: x, shape: [4, 4, 6]}\n",
                      "  - {name: bn, op: batchnorm, input: x}\n"
                      "  - {name: act, op: relu6, input: bn}\n"
                      "  - {name: sum, op: add, inputs: [act, x], activation: relu}\n"
                      "  - {name: sm, op: softmax, input: sum}\n");
  for (const char* name : {"bn", "act", "sum", "sm"}) {
    EXPECT_EQ(find(graph, name).output_shape, (Shape{1, 4, 4, 6})) << name;
    EXPECT_EQ(find(graph, name).macs, 0) << name;
  }
  // Scale and shift per channel: 2 x 6.
  EXPECT_EQ(find(graph, "bn").params, 12);
  EXPECT_EQ(find(graph, "act").op, OpKind::kActivation);
  EXPECT_EQ(find(graph, "act").activation, Activation::kRelu6);
  EXPECT_EQ(find(graph, "sum").activation, Activation::kRelu);
}

TEST(ShapeInference, LayerNormOverTheLastAxis) {
  Graph graph = parse("  - {name: tokens, shape: [16, 64]}\n  - {name: image, shape: [4, 4, 6]}\n",
                      "  - {name: ln, op: layernorm, input: tokens}\n"
                      "  - {name: ln_eps, op: layernorm, input: tokens, epsilon: 1.0e-6}\n"
                      "  - {name: ln_image, op: layernorm, input: image}\n",
                      /*batch=*/2);
  const Layer& ln = find(graph, "ln");
  EXPECT_EQ(ln.op, OpKind::kLayerNorm);
  EXPECT_EQ(ln.output_shape, (Shape{2, 16, 64}));
  EXPECT_EQ(ln.macs, 0);
  // gamma and beta per channel of the last axis: 2 x 64, whatever the batch and tokens.
  EXPECT_EQ(ln.params, 128);
  EXPECT_FLOAT_EQ(ln.epsilon, 1e-5f);  // the default
  EXPECT_FLOAT_EQ(find(graph, "ln_eps").epsilon, 1e-6f);
  // An NHWC feature map is normalised over its channels: 2 x 6.
  EXPECT_EQ(find(graph, "ln_image").output_shape, (Shape{2, 4, 4, 6}));
  EXPECT_EQ(find(graph, "ln_image").params, 12);
}

// A graph built in code, as the ONNX reader and tests do, has no source position.
TEST(ShapeInference, GraphBuiltInCode) {
  Graph graph;
  graph.batch = 1;
  Layer input;
  input.name = "x";
  input.output_shape = {1, 4, 4, 3};
  Layer conv;
  conv.name = "c";
  conv.op = OpKind::kConv2d;
  conv.inputs = {0};
  conv.out_channels = 2;
  conv.window.kernel_h = conv.window.kernel_w = 5;
  graph.layers = {input, conv};
  try {
    infer_shapes(graph);
    FAIL() << "a 5x5 kernel over a 4x4 input must not fit";
  } catch (const UserError& error) {
    EXPECT_EQ(std::string(error.what()),
              "layer 'c': kernel 5x5 (extent 5x5 with dilation 1x1) does not fit the padded "
              "input 4x4 (input [1,4,4,3] from 'x', padding top/bottom 0/0, left/right 0/0)");
  }
  graph.layers[1].window.pad_top = graph.layers[1].window.pad_left = 1;
  infer_shapes(graph);
  // 4 + 1 - 5 + 1 = 1 along each axis.
  EXPECT_EQ(graph.layers[1].output_shape, (Shape{1, 1, 1, 2}));
  EXPECT_EQ(graph.layers[1].macs, 2 * 3 * 25);
}

TEST(ShapeInference, RunningTwiceGivesTheSameCounts) {
  Graph graph = parse("  - {name: x, shape: [8, 8, 3]}\n",
                      "  - {name: c, op: conv2d, input: x, out_channels: 4, kernel: 3,"
                      " stride: 2, padding: same}\n"
                      "  - {name: bn, op: batchnorm, input: c}\n");
  const int64_t macs = graph.total_macs();
  const int64_t params = graph.total_params();
  infer_shapes(graph);
  EXPECT_EQ(graph.total_macs(), macs);
  EXPECT_EQ(graph.total_params(), params);
  EXPECT_EQ(find(graph, "c").output_shape, (Shape{1, 4, 4, 4}));
}

}  // namespace
}  // namespace npu::compiler
