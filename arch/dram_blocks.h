#pragma once
// Which DRAM access blocks a strided transfer touches: the rule the simulator charges a DMA
// transfer by (sim/timing/dram_timing.h) and the compiler's tiler estimates bytes with, kept in one
// place so the two cannot drift apart.
//
// A transfer moves `rows` runs of `row_bytes` bytes, run r starting at addr + r * stride. The DRAM
// moves whole aligned blocks of `access_bytes`, so each run costs every block it touches;
// consecutive runs that touch the same block share it (a contiguous transfer costs its bytes
// rounded out to block boundaries).

#include <cstdint>

namespace npu::arch {

struct StridedTransfer {
  uint64_t addr = 0;
  uint64_t rows = 1;
  uint64_t row_bytes = 0;
  uint64_t stride = 0;
};

// Bytes the DRAM bus carries for the transfer: the blocks it touches, times access_bytes. Runs in
// O(access_bytes), not O(rows): run placement repeats every access / gcd(stride, access) runs.
uint64_t dram_bus_bytes(const StridedTransfer& transfer, uint64_t access_bytes);

}  // namespace npu::arch
