#pragma once
// The dependency pass: makes the four concurrently running streams honour the program's
// sequential meaning.
//
// Walking the program in order, it tracks for every byte range of each SRAM buffer and of DRAM
// the last instruction that wrote it and the last one of each stream that read it. An
// instruction then depends on the last writer of what it reads (read after write), and on the last
// writer and readers of what it writes (write after write, write after read). Streams execute and
// complete in order, so only the latest conflicting instruction of each other stream is kept, and
// none of its own stream: at most three dependencies per instruction.
//
// Layers are separated by a barrier: the first instruction of each stream in a layer also waits
// for the previous layer's last instruction in every other stream. Within a layer loads, compute
// and stores overlap; across layers they do not, so each layer's cycles are exactly its own span
// and can be compared with its own compute and memory bounds (docs/timing.md).

#include "isa/program.h"

namespace npu::compiler {

// Replaces every instruction's deps. Matrix operands are read at each layer's operand type
// (Program::operand_type_of).
void add_dependencies(isa::Program& program);

}  // namespace npu::compiler
