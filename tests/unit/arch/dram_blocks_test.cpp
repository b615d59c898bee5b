// The DRAM block rule: hand cases, and the periodic shortcut against a run-by-run count.

#include "arch/dram_blocks.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <random>

namespace npu::arch {
namespace {

// Run by run, as the rule is stated: every block each run touches, one fewer when a run begins in
// the block where the previous one ended.
uint64_t run_by_run(const StridedTransfer& t, uint64_t a) {
  if (t.rows == 0 || t.row_bytes == 0) return 0;
  uint64_t blocks = 0;
  uint64_t previous_last = UINT64_MAX;
  for (uint64_t r = 0; r < t.rows; ++r) {
    const uint64_t begin = t.addr + r * t.stride;
    const uint64_t first = begin / a;
    const uint64_t last = (begin + t.row_bytes - 1) / a;
    blocks += last - first + 1;
    if (first == previous_last) --blocks;
    previous_last = last;
  }
  return blocks * a;
}

TEST(DramBlocks, HandCases) {
  EXPECT_EQ(dram_bus_bytes({0, 1, 64, 64}, 64), 64u);   // one aligned block
  EXPECT_EQ(dram_bus_bytes({1, 1, 64, 64}, 64), 128u);  // misaligned: straddles two
  EXPECT_EQ(dram_bus_bytes({0, 4, 3, 3}, 64), 64u);     // 12 contiguous bytes
  // 48-byte runs 96 bytes apart (one 48-channel group of a 96-channel int8 tensor): the runs
  // start at 0, 96, 192, 288 = offsets 0, 32, 0, 32 in their blocks, so they take 1, 2, 1, 2
  // blocks, and none begins where the previous ended: 6 blocks, 384 B for 192 B of data.
  EXPECT_EQ(dram_bus_bytes({0, 4, 48, 96}, 64), 384u);
  // The other group, 48 bytes in: runs at 48, 144, 240, 336 = offsets 48, 16, 48, 16: 2, 1, 2, 1.
  EXPECT_EQ(dram_bus_bytes({48, 4, 48, 96}, 64), 384u);
  // 64-byte runs 160 bytes apart (a 64-channel chunk of a 160-channel tensor): offsets 0, 32:
  // 1, 2, 1, 2, 1 blocks for 5 runs = 7 blocks.
  EXPECT_EQ(dram_bus_bytes({0, 5, 64, 160}, 64), 448u);
  // Runs closer than a block share blocks: 8-byte runs 16 apart, 8 runs span [0, 120): 2 blocks.
  EXPECT_EQ(dram_bus_bytes({0, 8, 8, 16}, 64), 128u);
}

TEST(DramBlocks, PeriodicCountEqualsRunByRun) {
  std::mt19937_64 dice(20261122);
  for (int i = 0; i < 20000; ++i) {
    const uint64_t a = uint64_t{1} << std::uniform_int_distribution<int>(0, 8)(dice);
    StridedTransfer t;
    t.addr = std::uniform_int_distribution<uint64_t>(0, 4096)(dice);
    t.rows = std::uniform_int_distribution<uint64_t>(0, 700)(dice);
    t.row_bytes = std::uniform_int_distribution<uint64_t>(0, 300)(dice);
    t.stride = t.row_bytes + std::uniform_int_distribution<uint64_t>(0, 400)(dice);
    ASSERT_EQ(dram_bus_bytes(t, a), run_by_run(t, a))
        << "addr " << t.addr << " rows " << t.rows << " row_bytes " << t.row_bytes << " stride "
        << t.stride << " access " << a;
  }
}

}  // namespace
}  // namespace npu::arch
