// The arch config's sparsity block: what the array does with zeros (docs/sparsity.md), the N:M
// patterns it can skip and the metadata compressed weights carry; each mistake a one-line error
// naming the key.

#include <gtest/gtest.h>

#include "arch/arch_loader.h"
#include "tests/unit/arch/arch_test_util.h"

namespace npu::arch {
namespace {

using testing::TempDir;
using testing::user_error;

class ArchSparsity : public testing::ArchFileTest {};

TEST_F(ArchSparsity, DefaultsAreDense) {
  const ArchConfig config = load("");
  EXPECT_EQ(config.sparsity.support, SparsitySupport::kNone);
  EXPECT_TRUE(config.sparsity.structured_patterns.empty());
  EXPECT_EQ(config.sparsity.metadata_bits_per_nonzero, 0);
  EXPECT_FALSE(config.sparsity.skip_unstructured_weights);
}

TEST_F(ArchSparsity, ReadsTheBlock) {
  const ArchConfig config = load(
      "sparsity:\n  support: skipping\n  structured_patterns: [\"2:4\", \"1:16\"]\n"
      "  metadata_bits_per_nonzero: 4\n");
  EXPECT_EQ(config.sparsity.support, SparsitySupport::kSkipping);
  EXPECT_EQ(config.sparsity.structured_patterns, (std::vector<std::string>{"2:4", "1:16"}));
  EXPECT_EQ(config.sparsity.metadata_bits_per_nonzero, 4);
}

TEST_F(ArchSparsity, SkippingNeedsIndexBitsForEveryListedPattern) {
  // 1:16 numbers 16 positions: 4 bits; 2:4 alone needs 2. Gating stores nothing compressed.
  EXPECT_EQ(error_for("sparsity:\n  support: skipping\n  structured_patterns: [\"2:4\", \"1:16\"]\n"
                      "  metadata_bits_per_nonzero: 3\n"),
            file() +
                ":4:30: sparsity.metadata_bits_per_nonzero: skipping 1:16 stores each kept "
                "weight's position among 16, which needs at least 4 bits, got 3");
  EXPECT_EQ(load("sparsity:\n  support: skipping\n  structured_patterns: [\"2:4\"]\n"
                 "  metadata_bits_per_nonzero: 2\n")
                .sparsity.metadata_bits_per_nonzero,
            2);
  EXPECT_EQ(load("sparsity:\n  support: gating\n  structured_patterns: [\"2:4\"]\n")
                .sparsity.metadata_bits_per_nonzero,
            0);
}

TEST_F(ArchSparsity, UnknownKeySuggestsTheRightOne) {
  EXPECT_EQ(error_for("sparsity:\n  suport: gating\n"),
            file() + ":2:3: sparsity.suport: unknown key (did you mean 'support'?)");
}

TEST_F(ArchSparsity, SupportListsTheAllowedValues) {
  EXPECT_EQ(error_for("sparsity:\n  support: skiping\n"),
            file() + ":2:12: sparsity.support: expected one of 'none' 'gating' 'skipping', got "
                     "'skiping' (did you mean 'skipping'?)");
  // Too far from any name for a hint.
  EXPECT_EQ(error_for("sparsity:\n  support: zero\n"),
            file() + ":2:12: sparsity.support: expected one of 'none' 'gating' 'skipping', got "
                     "'zero'");
}

TEST_F(ArchSparsity, PatternsMustBeAList) {
  EXPECT_EQ(error_for("sparsity:\n  structured_patterns: \"2:4\"\n"),
            file() + ":2:24: sparsity.structured_patterns: expected a list, got '2:4'");
}

TEST_F(ArchSparsity, MalformedPatternsNameTheKey) {
  const std::string expected = "sparsity.structured_patterns: expected an N:M pattern such as "
                               "\"2:4\" (1 <= N < M <= 16), got ";
  // N must be below M (4:4 is dense), M at most 16, both positive whole numbers.
  for (const std::string bad : {"4:4", "3:2", "0:4", "2:32", "2:", ":4", "two:four", "2/4", "-1:4",
                                "2:17"}) {
    const std::string message =
        error_for("sparsity:\n  structured_patterns: [\"2:4\", \"" + bad + "\"]\n");
    EXPECT_NE(message.find(expected + "'" + bad + "'"), std::string::npos) << message;
    // Located at the list, column 24.
    EXPECT_EQ(message.rfind(file() + ":2:24: ", 0), 0u) << message;
  }
  // The boundaries themselves are allowed.
  EXPECT_EQ(load("sparsity:\n  structured_patterns: [\"15:16\", \"1:2\"]\n")
                .sparsity.structured_patterns.size(),
            2u);
}

TEST_F(ArchSparsity, PatternListedTwiceIsAnError) {
  EXPECT_EQ(error_for("sparsity:\n  structured_patterns: [\"2:4\", \"2:4\"]\n"),
            file() + ":2:24: sparsity.structured_patterns: '2:4' is listed twice");
}

TEST_F(ArchSparsity, MetadataBitsRange) {
  EXPECT_EQ(load("sparsity:\n  metadata_bits_per_nonzero: 32\n")
                .sparsity.metadata_bits_per_nonzero,
            32);
  EXPECT_EQ(error_for("sparsity:\n  metadata_bits_per_nonzero: 33\n"),
            file() + ":2:30: sparsity.metadata_bits_per_nonzero: expected an integer in [0, 32], "
                     "got 33");
}

TEST_F(ArchSparsity, UnstructuredWeightSkippingNeedsSkippingSupport) {
  EXPECT_TRUE(load("sparsity:\n  support: skipping\n  skip_unstructured_weights: true\n")
                  .sparsity.skip_unstructured_weights);
  // With gating or none the packing would silently do nothing.
  EXPECT_EQ(error_for("sparsity:\n  support: gating\n  skip_unstructured_weights: true\n"),
            file() + ":3:30: sparsity.skip_unstructured_weights: true needs sparsity.support: "
                     "skipping, got gating");
  EXPECT_EQ(error_for("sparsity:\n  skip_unstructured_weights: yes please\n"),
            file() + ":2:30: sparsity.skip_unstructured_weights: expected true or false, got "
                     "'yes please'");
}

TEST_F(ArchSparsity, PatternElementMustBeAString) {
  EXPECT_EQ(error_for("sparsity:\n  structured_patterns: [[2, 4]]\n"),
            file() + ":2:24: sparsity.structured_patterns: expected a list of strings, got a "
                     "nested list");
}

}  // namespace
}  // namespace npu::arch
