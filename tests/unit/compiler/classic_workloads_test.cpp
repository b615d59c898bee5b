// The classic CNN workloads (LeNet-5, AlexNet, VGG-16, ResNet-18, MobileNetV2, SqueezeNet 1.1, and
// ResNet-50 for comparison): the exact MAC and parameter totals our counting gives, that they are
// within 1% of the published figures, and the shapes where the architectures are easy to get wrong.
// scripts/gen_workloads.py derives the same totals independently and writes them into each
// generated file's header.

#include <gtest/gtest.h>

#include <cstdint>
#include <ostream>
#include <stdexcept>
#include <string>
#include <vector>

#include "compiler/graph.h"
#include "tests/unit/compiler/graph_test_util.h"
#include "compiler/workload_reader.h"

namespace npu::compiler {
namespace {

using Shape = std::vector<int64_t>;

const std::string kWorkloads = NPU_WORKLOADS_DIR;

using testing_util::find;

int count_if(const Graph& graph, bool (*predicate)(const Layer&)) {
  int count = 0;
  for (const Layer& layer : graph.layers) count += predicate(layer) ? 1 : 0;
  return count;
}

struct Classic {
  const char* file;
  const char* name;
  int64_t macs;    // our count: conv + dense (docs/workloads.md)
  int64_t params;  // conv and dense weights and biases, batchnorm scale and shift
  // The published figures: torchvision's model docs (each weights entry's `_ops`, listed there as
  // GFLOPS but counting multiply-accumulates, and `num_params`); 0 where nobody publishes one.
  double published_macs;
  int64_t published_params;
};

// Derivations (per-layer arithmetic in each file's header or in scripts/gen_workloads.py):
//   lenet5        117,600 + 240,000 (convs) + 48,000 + 10,080 + 840 (dense); the table in the file
//   alexnet       655,566,528 (5 convs) + 58,621,952 (9216x4096 + 4096x4096 + 4096x1000)
//   vgg16         15,346,630,656 (13 convs) + 123,633,664 (25088x4096 + 4096x4096 + 4096x1000)
//   resnet18      1,813,561,344 (20 convs) + 512,000 (512 x 1000)
//   mobilenet_v2  278,777,856 (dense convs) + 20,716,416 (17 depthwise) + 1,280,000 (1280 x 1000)
//   squeezenet1_1 349,151,936, all convolutions (the classifier is a 1x1 conv)
//   resnet        4,089,184,256, pinned by workload_reader_test.cpp as well
const Classic kClassics[] = {
    {"lenet5.yaml", "lenet5", 416'520, 61'706, 0, 61'706},
    {"alexnet.yaml", "alexnet", 714'188'480, 61'100'840, 0.714e9, 61'100'840},
    {"vgg16.yaml", "vgg16", 15'470'264'320, 138'357'544, 15.47e9, 138'357'544},
    {"resnet18.yaml", "resnet18", 1'814'073'344, 11'689'512, 1.814e9, 11'689'512},
    {"mobilenet_v2.yaml", "mobilenet_v2", 300'774'272, 3'504'872, 0.301e9, 3'504'872},
    {"squeezenet1_1.yaml", "squeezenet1_1", 349'151'936, 1'235'496, 0.349e9, 1'235'496},
    {"resnet.yaml", "resnet50", 4'089'184'256, 25'557'032, 4.089e9, 25'557'032},
};

// Names the case in test listings (ctest shows GetParam()) instead of dumping its bytes.
void PrintTo(const Classic& c, std::ostream* out) { *out << c.file; }

class ClassicWorkload : public testing::TestWithParam<Classic> {};

TEST_P(ClassicWorkload, TotalsAreExact) {
  const Classic& c = GetParam();
  const Graph graph = read_workload(kWorkloads + "/" + c.file);
  EXPECT_EQ(graph.name, c.name);
  EXPECT_EQ(graph.batch, 1);
  EXPECT_EQ(graph.total_macs(), c.macs);
  EXPECT_EQ(graph.total_params(), c.params);
}

TEST_P(ClassicWorkload, TotalsAreWithinOnePercentOfThePublishedFigures) {
  const Classic& c = GetParam();
  // Published MACs have 3-4 significant digits, so the exact counts differ by their rounding
  // (all below 0.1%); parameter counts are published exactly and match exactly.
  if (c.published_macs > 0) {
    EXPECT_NEAR(static_cast<double>(c.macs), c.published_macs, 0.01 * c.published_macs);
  }
  EXPECT_EQ(c.params, c.published_params);
}

INSTANTIATE_TEST_SUITE_P(Classics, ClassicWorkload, testing::ValuesIn(kClassics),
                         [](const testing::TestParamInfo<Classic>& info) {
                           return std::string(info.param.name);
                         });

TEST(LeNet5, FollowsTheClassicShapes) {
  const Graph graph = read_workload(kWorkloads + "/lenet5.yaml");
  EXPECT_EQ(find(graph, "c1").output_shape, (Shape{1, 28, 28, 6}));
  EXPECT_EQ(find(graph, "s2").output_shape, (Shape{1, 14, 14, 6}));
  EXPECT_EQ(find(graph, "c3").output_shape, (Shape{1, 10, 10, 16}));
  EXPECT_EQ(find(graph, "flatten").output_shape, (Shape{1, 400}));
  // C3 fully connected to S2: 16 x 6 x 5 x 5 + 16 = 2,416 (the paper's sparse table: 1,516).
  EXPECT_EQ(find(graph, "c3").params, 2'416);
  EXPECT_EQ(find(graph, "c5").params, 48'120);
  EXPECT_EQ(find(graph, "c1.tanh").activation, Activation::kTanh);
}

TEST(AlexNet, TheLastPoolIsAlreadySixBySix) {
  const Graph graph = read_workload(kWorkloads + "/alexnet.yaml");
  // (224 + 2 + 2 - 11) / 4 + 1 = 55, pooled to 27, 13 and 6: torchvision's
  // AdaptiveAvgPool2d((6, 6)) has nothing to do, so the workload leaves it out.
  EXPECT_EQ(find(graph, "features.0").output_shape, (Shape{1, 55, 55, 64}));
  EXPECT_EQ(find(graph, "features.12").output_shape, (Shape{1, 6, 6, 256}));
  EXPECT_EQ(find(graph, "flatten").output_shape, (Shape{1, 9216}));
  // 9216 x 4096 weights + 4096 biases.
  EXPECT_EQ(find(graph, "classifier.1").params, 37'752'832);
}

TEST(Vgg16, ThirteenConvsAndThreeDenseLayers) {
  const Graph graph = read_workload(kWorkloads + "/vgg16.yaml");
  EXPECT_EQ(count_if(graph, [](const Layer& l) { return l.op == OpKind::kConv2d; }), 13);
  EXPECT_EQ(count_if(graph, [](const Layer& l) { return l.op == OpKind::kDense; }), 3);
  EXPECT_EQ(find(graph, "features.30").output_shape, (Shape{1, 7, 7, 512}));
  // The largest conv: 224 x 224 x 64 x 64 x 3 x 3 = 1,849,688,064 MACs.
  EXPECT_EQ(find(graph, "features.2").macs, 1'849'688'064);
}

TEST(ResNet18, BasicBlocksWithThreeDownsampleBranches) {
  const Graph graph = read_workload(kWorkloads + "/resnet18.yaml");
  EXPECT_EQ(count_if(graph, [](const Layer& l) { return l.op == OpKind::kAdd; }), 8);
  EXPECT_EQ(find(graph, "layer2.0.conv1").output_shape, (Shape{1, 28, 28, 128}));
  EXPECT_EQ(find(graph, "layer2.0.downsample.0").output_shape, (Shape{1, 28, 28, 128}));
  EXPECT_THROW(find(graph, "layer1.0.downsample.0"), std::out_of_range);
  EXPECT_EQ(find(graph, "layer4.1.relu2").output_shape, (Shape{1, 7, 7, 512}));
}

TEST(MobileNetV2, DepthwiseConvsAndResidualsWhereStrideOneAndChannelsMatch) {
  const Graph graph = read_workload(kWorkloads + "/mobilenet_v2.yaml");
  // One depthwise 3x3 per block, 17 blocks.
  EXPECT_EQ(count_if(graph,
                     [](const Layer& l) {
                       return l.op == OpKind::kConv2d && l.groups > 1 && l.groups == l.out_channels;
                     }),
            17);
  // Blocks 3, 5, 6, 8, 9, 10, 12, 13, 15, 16: the repeats of each (t, c, n, s) row after its first.
  EXPECT_EQ(count_if(graph, [](const Layer& l) { return l.op == OpKind::kAdd; }), 10);
  EXPECT_EQ(find(graph, "features.3.add").output_shape, (Shape{1, 56, 56, 24}));
  EXPECT_THROW(find(graph, "features.2.add"), std::out_of_range);   // stride 2
  EXPECT_THROW(find(graph, "features.11.add"), std::out_of_range);  // 64 -> 96 channels
  // features.2's depthwise conv: 56 x 56 x 96 outputs x 1 x 3 x 3 = 2,709,504 MACs.
  const Layer& depthwise = find(graph, "features.2.conv.1.0");
  EXPECT_EQ(depthwise.groups, 96);
  EXPECT_EQ(depthwise.macs, 2'709'504);
  EXPECT_EQ(find(graph, "features.2.conv.1.2").activation, Activation::kRelu6);
  EXPECT_EQ(find(graph, "features.18.0").output_shape, (Shape{1, 7, 7, 1280}));
}

TEST(SqueezeNet11, FloorPoolingGivesTorchvisionsCeilModeShapes) {
  const Graph graph = read_workload(kWorkloads + "/squeezenet1_1.yaml");
  // (224 - 3) / 2 + 1 = 111; then (111 - 3) / 2 + 1 = 55, 27, 13 with floor and with ceil alike.
  EXPECT_EQ(find(graph, "features.0").output_shape, (Shape{1, 111, 111, 64}));
  EXPECT_EQ(find(graph, "features.2").output_shape, (Shape{1, 55, 55, 64}));
  EXPECT_EQ(find(graph, "features.5").output_shape, (Shape{1, 27, 27, 128}));
  EXPECT_EQ(find(graph, "features.8").output_shape, (Shape{1, 13, 13, 256}));
  // expand1x1 (256) and expand3x3 (256) concatenated.
  EXPECT_EQ(find(graph, "features.12.cat").output_shape, (Shape{1, 13, 13, 512}));
  EXPECT_EQ(count_if(graph, [](const Layer& l) { return l.op == OpKind::kConcat; }), 8);
  EXPECT_EQ(graph.layers.back().output_shape, (Shape{1, 1000}));
}

}  // namespace
}  // namespace npu::compiler
