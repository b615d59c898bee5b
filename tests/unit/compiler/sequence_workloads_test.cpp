// The sequence workloads (a BERT-base encoder layer, a GPT-2-small decode step, a 2-layer LSTM
// unrolled over 10 steps): MAC and parameter totals derived by hand below, against the published
// parameter counts of the models they are cut from, and the structure that gives them their
// character (per-head attention, matrix-vector products, weights shared across time steps).

#include <gtest/gtest.h>

#include <cstdint>
#include <string>

#include "compiler/graph.h"
#include "compiler/workload_reader.h"

namespace npu::compiler {
namespace {

const std::string kWorkloads = NPU_WORKLOADS_DIR;

int count_op(const Graph& graph, OpKind op) {
  int count = 0;
  for (const Layer& layer : graph.layers) count += layer.op == op ? 1 : 0;
  return count;
}

// d = 768, 12 heads of 64, feed-forward 3072, T = 128 tokens.
//   MACs: Q, K, V  3 x 128 x 768 x 768       = 226,492,416
//         scores   12 x 128 x 64 x 128        =  12,582,912
//         context  12 x 128 x 128 x 64        =  12,582,912
//         output   128 x 768 x 768            =  75,497,472
//         FFN      2 x 128 x 768 x 3072       = 603,979,776   -> 931,135,488
//   params: Q, K, V 3 x (768 x 768 + 768) = 1,771,776; output 590,592;
//           FFN 768 x 3072 + 3072 + 3072 x 768 + 768 = 4,722,432; 2 layer norms 3,072
//           -> 7,087,872, BERT-base's 85,054,464 encoder parameters / 12 layers.
TEST(BertBaseLayer, TotalsAndAttentionPerHead) {
  const Graph graph = read_workload(kWorkloads + "/bert_base_layer.yaml");
  EXPECT_EQ(graph.total_macs(), 931'135'488);
  EXPECT_EQ(graph.total_params(), 7'087'872);
  EXPECT_EQ(graph.total_params() * 12, 85'054'464);
  EXPECT_EQ(count_op(graph, OpKind::kMatmul), 2 * 12);  // scores and context, per head
  EXPECT_EQ(count_op(graph, OpKind::kSoftmax), 12);
  EXPECT_EQ(count_op(graph, OpKind::kLayerNorm), 2);
  EXPECT_EQ(graph.layers.back().output_shape, (std::vector<int64_t>{1, 128, 768}));
}

// 12 blocks; the new token attends to 511 cached tokens and itself (512).
//   MACs per block: Q, K, V 768 x 2304 = 1,769,472; scores 12 x 64 x 512 = 393,216; context the
//   same; output 768 x 768 = 589,824; FFN 2 x 768 x 3072 = 4,718,592 -> 7,864,320; x 12 =
//   94,371,840; LM head 768 x 50,257 = 38,597,376 -> 132,969,216.
//   params: blocks 12 x 7,087,872 = 85,054,464; final layer norm 1,536; LM head 38,597,376
//   -> 123,653,376. GPT-2 small has 124,439,808: the same plus the 786,432 learned position
//   embeddings (1024 x 768), a table lookup this workload does not model (-0.63%).
TEST(Gpt2DecodeStep, TotalsAndMatrixVectorProducts) {
  const Graph graph = read_workload(kWorkloads + "/gpt2_decode_step.yaml");
  EXPECT_EQ(graph.total_macs(), 132'969'216);
  EXPECT_EQ(graph.total_params(), 123'653'376);
  EXPECT_EQ(graph.total_params() + 1024 * 768, 124'439'808);
  // Every dense layer works on one token: a matrix-vector product.
  for (const Layer& layer : graph.layers) {
    if (layer.op != OpKind::kDense) continue;
    const std::vector<int64_t>& in =
        graph.layers[static_cast<size_t>(layer.inputs[0])].output_shape;
    EXPECT_EQ(in[in.size() - 2], 1) << layer.name;
  }
  EXPECT_EQ(count_op(graph, OpKind::kMatmul), 2 * 12 * 12);
  EXPECT_EQ(graph.layers.back().output_shape, (std::vector<int64_t>{1, 1, 50'257}));
}

// Input 128, hidden 256, 2 layers, 10 steps; each gate is W_x x + b_x + W_h h + b_h.
//   MACs per step: layer 0 4 x (128 + 256) x 256 = 393,216; layer 1 4 x (256 + 256) x 256 =
//   524,288; x 10 steps -> 9,175,040.
//   params: PyTorch's nn.LSTM(128, 256, num_layers=2): 4 x 256 x (128 + 256 + 2) = 395,264 and
//   4 x 256 x (256 + 256 + 2) = 526,336 -> 921,600, counted once though applied in 10 steps.
TEST(Lstm2, TotalsAndWeightsSharedAcrossSteps) {
  const Graph graph = read_workload(kWorkloads + "/lstm2.yaml");
  EXPECT_EQ(graph.total_macs(), 9'175'040);
  EXPECT_EQ(graph.total_params(), 921'600);
  int owners = 0, sharers = 0;
  for (const Layer& layer : graph.layers) {
    if (layer.op != OpKind::kDense) continue;
    (layer.weights_of < 0 ? owners : sharers) += 1;
  }
  EXPECT_EQ(owners, 2 * 4 * 2);                          // layers x gates x (input, recurrent)
  EXPECT_EQ(sharers, 9 * 2 * 4 * 2);                     // the other 9 steps
  EXPECT_EQ(count_op(graph, OpKind::kMul), 10 * 2 * 3);  // f*c, i*g, o*tanh(c)
}

}  // namespace
}  // namespace npu::compiler
