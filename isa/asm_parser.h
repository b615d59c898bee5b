#pragma once
// Reads the ISA's text form (docs/isa.md) back into a Program: the inverse of to_asm, so that
// parse_asm(to_asm(p)) == p, and a way to write or edit small programs by hand for tests.

#include <string>

#include "isa/program.h"

namespace npu::isa {

// Parses a whole listing. Besides the syntax it checks what makes a program well-formed: indices
// in sequence, layers that exist, and dependencies that name strictly earlier instructions of
// other streams in ascending order. Any problem throws npu::UserError with a one-line message
// "source_name:line: what is wrong".
Program parse_asm(const std::string& text, const std::string& source_name);

}  // namespace npu::isa
