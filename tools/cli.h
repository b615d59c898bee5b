#pragma once
// The npusim command line: parses arguments, runs workload -> compiler -> simulation -> report,
// and maps every failure to an exit code (documented in docs/cli.md and `npusim --help`).

#include <iosfwd>

namespace npu::tools {

enum ExitCode : int {
  kSuccess = 0,
  kUserError = 1,      // bad config or workload, or a design the workload cannot be mapped onto
  kUsageError = 2,     // bad command line
  kInternalError = 3,  // a simulator bug: please report it
};

int run_cli(int argc, const char* const* argv, std::ostream& out, std::ostream& err);

}  // namespace npu::tools
