#pragma once
// `npusim --set key.path=value`: command-line overrides merged into the arch YAML tree before it is
// read, so an overridden value passes through exactly the same type and range checks as one in the
// file. Keys are checked against the schema first (a typo fails with did-you-mean instead of
// becoming an unknown-key error about a node the user never wrote).

#include <yaml-cpp/yaml.h>

#include <string>
#include <vector>

#include "arch/yaml_reader.h"

namespace npu::arch {

// Sets each override's key in `root` (a mapping; missing groups are created), in order, and
// records `--set key.path=value` in `origins` under the key path so errors about that key name the
// override instead of a file position. `file` names the document in errors about its own shape.
void apply_overrides(YAML::Node root, const std::string& file,
                     const std::vector<std::string>& overrides, yaml::KeyOrigins& origins);

}  // namespace npu::arch
