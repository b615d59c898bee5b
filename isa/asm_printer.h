#pragma once
// The ISA's text form, for people: one instruction per line with its index, its layer and every
// field by name, so a listing can be read, diffed and edited, and parse_asm reads it back to the
// identical Program. The syntax is specified in docs/isa.md.

#include <cstdint>
#include <string>

#include "isa/instruction.h"
#include "isa/program.h"

namespace npu::isa {

// The whole program: a header comment, the .layer and .tensor directives, then the code, with
// fields aligned in columns per instruction kind.
std::string to_asm(const Program& program);

// One instruction as a single line without alignment padding (no trailing newline). `index` is
// its position in program.code; `program` supplies the layer name for the trailing comment. Never
// throws: an out-of-range layer prints as is.
std::string to_asm(const Instruction& instruction, uint32_t index, const Program& program);

// The opcode's text name, which also names its stream: "load.dma", "store.dma", "mx.preload",
// "mx.matmul", "vec.<op>" (vec.requant, vec.add, ...).
std::string mnemonic(const Payload& payload);

// `text` in double quotes with `"` and `\` escaped and control bytes as \n, \t, \r or \xHH;
// other bytes (UTF-8 included) are kept as they are.
std::string quote(const std::string& text);

}  // namespace npu::isa
