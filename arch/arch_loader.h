#pragma once
// Reading, checking and writing arch configs: the only way an ArchConfig gets from a YAML file
// (plus `npusim --set` overrides) into the simulator, and back out next to the results.
//
// Every problem is an npu::UserError whose one-line message reads
//   `<where>: <key.path>: <what is wrong, and what is expected>`
// where <where> is `file:line:col` for a key in the file, `--set key.path=value` for a key set on
// the command line, or just the file (or the `source` given to validate) for a key left at its
// default. docs/config.md lists every key with its unit, default and allowed range.

#include <string>
#include <vector>

#include "arch/arch_config.h"

namespace npu::arch {

// Reads `path`, applies command-line overrides, validates. Throws npu::UserError (one line) on any
// problem. `overrides` are strings "key.path=value" as given to `npusim --set`, applied in order
// (a later one wins); each value is read as a YAML scalar. An override may set a key the file
// leaves out; an override of a key that is not in the schema fails, with did-you-mean. `name`
// defaults to the file's stem (configs/int8_64x64.yaml -> "int8_64x64").
ArchConfig load_arch(const std::string& path, const std::vector<std::string>& overrides = {});

// The fully resolved config (every key, defaults included) as YAML text that load_arch reads back
// to an equal config. Reals are written in their shortest exact form, so nothing is rounded.
std::string to_yaml(const ArchConfig& config);

// Checks every key's range and the cross-field feasibility a weight-stationary array needs (double
// buffering of one tile in each SRAM buffer, banks dividing each buffer and its port evenly).
// load_arch calls it; call it too on a config built in code. Errors are prefixed with `source`.
void validate(const ArchConfig& config, const std::string& source);

}  // namespace npu::arch
