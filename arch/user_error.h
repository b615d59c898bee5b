#pragma once
// A mistake in what the user gave us (config, workload, command line) or a design that cannot be
// built. The message is one line, already naming the file, the key or layer, and what was expected;
// the CLI prints it as is and exits non-zero. Simulator bugs are assertions, never UserError.

#include <stdexcept>
#include <string>

namespace npu {

class UserError : public std::runtime_error {
 public:
  explicit UserError(const std::string& message) : std::runtime_error(message) {}
};

}  // namespace npu
