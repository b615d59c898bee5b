#include "arch/dram_blocks.h"

#include <cassert>
#include <numeric>

namespace npu::arch {

uint64_t dram_bus_bytes(const StridedTransfer& transfer, uint64_t access_bytes) {
  assert(access_bytes > 0);
  const uint64_t a = access_bytes;
  const uint64_t rows = transfer.rows;
  const uint64_t length = transfer.row_bytes;
  const uint64_t stride = transfer.stride;
  if (rows == 0 || length == 0) return 0;
  if (rows == 1 || stride == length) {
    const uint64_t first = transfer.addr / a;
    const uint64_t last = (transfer.addr + rows * length - 1) / a;
    return (last - first + 1) * a;
  }
  // Run 0 costs its blocks. Run r > 0 costs its blocks, less one when it begins in the block where
  // run r - 1 ended; with x = run r - 1's start modulo a, that depends on x alone.
  auto later_run = [&](uint64_t x) {
    const uint64_t start = x + stride;  // run r's start, relative to run r - 1's block
    const uint64_t blocks = (start % a + length - 1) / a + 1;
    const bool shares = start / a == (x + length - 1) / a;
    return blocks - (shares ? 1 : 0);
  };
  const uint64_t first_run = (transfer.addr % a + length - 1) / a + 1;
  const uint64_t step = stride % a;
  const uint64_t period = step == 0 ? 1 : a / std::gcd(step, a);
  const uint64_t later = rows - 1;
  uint64_t per_period = 0;
  uint64_t in_remainder = 0;
  uint64_t x = transfer.addr % a;
  for (uint64_t j = 0; j < period && j < later; ++j) {
    const uint64_t blocks = later_run(x);
    per_period += blocks;
    if (j < later % period) in_remainder += blocks;
    x = (x + step) % a;
  }
  const uint64_t periods = later / period;
  if (later < period) return (first_run + per_period) * a;  // the loop covered every run
  return (first_run + periods * per_period + in_remainder) * a;
}

}  // namespace npu::arch
