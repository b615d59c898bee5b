// The load-imbalance model of skipping unstructured zero weights (docs/sparsity.md, "Skipping
// unstructured weights"): the exact expected busiest column, checked by hand on a tiny case and
// by Monte Carlo on the 64x64 design, and the fold size it implies against a greedy packer run on
// random weights.

#include "compiler/unstructured_skipping.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <random>
#include <vector>

namespace npu::compiler {
namespace {

TEST(UnstructuredSkipping, ExpectedBusiestLaneByHand) {
  // Two columns, density 1/2. E[max] = sum over j < k of (1 - F(j)^2).
  // k = 2: F(0) = 1/4, F(1) = 3/4: (1 - 1/16) + (1 - 9/16) = 22/16 = 1.375.
  // k = 3: F = 1/8, 1/2, 7/8: (63 + 48 + 15) / 64 = 1.96875.
  // k = 4: F = 1/16, 5/16, 11/16, 15/16: (255 + 231 + 135 + 31) / 256 = 2.546875.
  EXPECT_DOUBLE_EQ(expected_busiest_lane(2, 2, 0.5), 1.375);
  EXPECT_DOUBLE_EQ(expected_busiest_lane(2, 3, 0.5), 1.96875);
  EXPECT_DOUBLE_EQ(expected_busiest_lane(2, 4, 0.5), 2.546875);
  // One column has no imbalance: the maximum is the mean, k x d.
  EXPECT_NEAR(expected_busiest_lane(1, 100, 0.3), 30.0, 1e-9);
  // Dense weights: every column holds all k.
  EXPECT_DOUBLE_EQ(expected_busiest_lane(64, 17, 1.0), 17.0);
}

TEST(UnstructuredSkipping, FoldRowsByHand) {
  // R = 2 PE rows, 2 columns, d = 1/2: k = 3 expects 1.97 <= 2 nonzeros in the busiest column,
  // k = 4 expects 2.55 > 2 (above), so a fold covers 3 reduction rows; the ideal R / d is 4.
  EXPECT_EQ(unstructured_fold_rows(2, 2, 0.5), 3);
  // A single column reaches the ideal R / d.
  EXPECT_EQ(unstructured_fold_rows(64, 1, 0.5), 128);
  EXPECT_EQ(unstructured_fold_rows(64, 1, 0.25), 256);
  // Dense: R.
  EXPECT_EQ(unstructured_fold_rows(64, 64, 1.0), 64);
}

TEST(UnstructuredSkipping, FoldRowsOfThe64x64Design) {
  // R = C = 64, d = 0.5: k = 104 expects 63.90 nonzeros in the busiest of 64 columns, k = 105
  // above 64 (exact values from the formula, also computed independently in Python): 104 rows per
  // fold against the 128 a perfectly balanced spread would give.
  EXPECT_EQ(unstructured_fold_rows(64, 64, 0.5), 104);
  EXPECT_NEAR(expected_busiest_lane(64, 104, 0.5), 63.901, 1e-3);
  EXPECT_GT(expected_busiest_lane(64, 105, 0.5), 64.0);
  // Sparser weights gain more rows but lose a larger share to imbalance: d = 0.25 gives 197 of 256.
  EXPECT_EQ(unstructured_fold_rows(64, 64, 0.25), 197);
}

TEST(UnstructuredSkipping, ExactExpectationMatchesMonteCarlo) {
  // 64 columns of k = 104 weights, each nonzero with probability 0.5: the mean of the busiest
  // column's count over many draws must agree with the exact expectation within 4 standard
  // errors.
  std::mt19937_64 random(5);
  std::bernoulli_distribution nonzero(0.5);
  const int trials = 4000;
  double sum = 0, sum_sq = 0;
  for (int t = 0; t < trials; ++t) {
    int busiest = 0;
    for (int c = 0; c < 64; ++c) {
      int count = 0;
      for (int k = 0; k < 104; ++k) count += nonzero(random);
      busiest = std::max(busiest, count);
    }
    sum += busiest;
    sum_sq += double(busiest) * busiest;
  }
  const double mean = sum / trials;
  const double standard_error = std::sqrt((sum_sq / trials - mean * mean) / trials);
  EXPECT_NEAR(mean, expected_busiest_lane(64, 104, 0.5), 4 * standard_error);
}

TEST(UnstructuredSkipping, ModelAgreesWithAGreedyPackerOnRandomWeights) {
  // The model sizes every fold by the expected maximum. A real packer closes each fold when the
  // next reduction row would give some column more than R nonzeros, so its folds vary. Run that
  // packer on random 64-column weights at d = 0.5 for K = 4608 reduction rows: the model says
  // K / 104 = 44.3 folds; the packer's mean must be within one fold of it.
  std::mt19937_64 random(11);
  std::bernoulli_distribution nonzero(0.5);
  const int trials = 40, columns = 64, pe_rows = 64, k_rows = 4608;
  double folds_sum = 0;
  for (int t = 0; t < trials; ++t) {
    std::vector<int> held(columns, 0);
    int folds = 1;
    for (int k = 0; k < k_rows; ++k) {
      std::vector<int> row(columns);
      bool overflows = false;
      for (int c = 0; c < columns; ++c) {
        row[c] = nonzero(random);
        overflows = overflows || held[c] + row[c] > pe_rows;
      }
      if (overflows) {
        ++folds;
        std::fill(held.begin(), held.end(), 0);
      }
      for (int c = 0; c < columns; ++c) held[c] += row[c];
    }
    folds_sum += folds;
  }
  const double model_folds = double(k_rows) / unstructured_fold_rows(pe_rows, columns, 0.5);
  EXPECT_NEAR(folds_sum / trials, model_folds, 1.0);
}

// The input port's limit, by hand, on the 64x64 designs with serial preload (fold overhead
// 2 x 64 + 64 - 2 = 190). fp16: the 128 B/cycle port feeds 64 operands a cycle, so the 104 rows of
// d = 0.5 take 2 cycles a step. Over a 56 x 56 image (3,136 steps): 104 rows cost
// (2 x 3136 + 190) / 104 = 62.1 cycles a row, 64 rows (3136 + 190) / 64 = 52.0: 64. Over a 7 x 7
// image (49 steps): (98 + 190) / 104 = 2.77 against (49 + 190) / 64 = 3.73: 104. int8 (128 a
// cycle): 104 fits. int8 at d = 0.25, 197 rows, 56 x 56: (6272 + 190) / 197 = 32.8 against
// (3136 + 190) / 128 = 26.0: 128; at 7 x 7: 288 / 197 = 1.46 against 239 / 128 = 1.87: 197.
TEST(UnstructuredSkipping, FoldRowsTheInputPortFeeds) {
  EXPECT_EQ(port_fed_fold_rows(104, 64, 64, 3136, 190), 64);
  EXPECT_EQ(port_fed_fold_rows(104, 64, 64, 49, 190), 104);
  EXPECT_EQ(port_fed_fold_rows(104, 64, 128, 3136, 190), 104);
  EXPECT_EQ(port_fed_fold_rows(197, 64, 128, 3136, 190), 128);
  EXPECT_EQ(port_fed_fold_rows(197, 64, 128, 49, 190), 197);
  EXPECT_EQ(port_fed_fold_rows(104, 64, 0, 3136, 190), 104);  // ideal memory: no port limit
}

}  // namespace
}  // namespace npu::compiler
