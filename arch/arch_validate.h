#pragma once
// Validation with a caller-supplied notion of where each key came from, so load_arch can point a
// cross-field error at `file:line:col` or `--set key=value` while validate(config, source) points
// every error at `source`.

#include <functional>
#include <string>

#include "arch/arch_config.h"

namespace npu::arch {

// The `<where>` prefix of an error about `key_path` (e.g. "configs/a.yaml:12:15").
using KeyLocator = std::function<std::string(const std::string& key_path)>;

void validate(const ArchConfig& config, const KeyLocator& locate);

}  // namespace npu::arch
