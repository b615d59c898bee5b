#pragma once
// The design the tilers plan for. Under memory.ideal a DMA transfer costs the simulation nothing,
// so the tilers see a memory that costs nothing too: otherwise a program planned around a slow
// DRAM (fewer, longer folds to save bytes) would make the ideal run depend on dram.* and dma.*,
// and the ideal run would stop being a lower bound on every real run of the same array (ResNet-50
// on int8_64x64 measured 2.73 M ideal cycles when planned for 6.4 GB/s, 2.33 M for 51.2 GB/s).
// Everything that shapes the program's bytes is kept: buffer sizes and the DRAM access block.

#include "arch/arch_config.h"

namespace npu::compiler {

arch::ArchConfig planning_design(const arch::ArchConfig& arch);

}  // namespace npu::compiler
