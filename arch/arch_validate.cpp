#include "arch/arch_validate.h"

#include <algorithm>
#include <optional>
#include <string>
#include <vector>

#include "arch/arch_loader.h"
#include "arch/arch_schema.h"
#include "arch/user_error.h"

namespace npu::arch {
namespace {

[[noreturn]] void fail(const KeyLocator& locate, const std::string& key_path,
                       const std::string& message) {
  throw UserError(locate(key_path) + ": " + key_path + ": " + message);
}

// Checks each field against its schema limits; the same rules the reader applies to a file.
struct LimitChecker {
  const KeyLocator& locate;

  template <typename Field>
  void operator()(const std::string&, const Field&) {}  // strings, booleans, enums (valid by type)
  void operator()(const std::string& path, int64_t value, const IntLimits& limits) {
    const std::string problem = int_problem(limits, value);
    if (!problem.empty()) fail(locate, path, problem);
  }
  void operator()(const std::string& path, double value, const yaml::NumberRange& range) {
    const std::string problem = number_problem(range, value);
    if (!problem.empty()) fail(locate, path, problem);
  }
  void operator()(const std::string& path, const std::optional<double>& value,
                  const yaml::NumberRange& range) {
    if (value) (*this)(path, *value, range);  // `auto` is always allowed
  }
};

// "8 KiB" when whole kibibytes, else "130 bytes".
std::string size_text(int64_t bytes) {
  if (bytes % 1024 == 0) return std::to_string(bytes / 1024) + " KiB";
  return std::to_string(bytes) + " bytes";
}

// A buffer's banks must split both its capacity and its port evenly: the model gives each bank
// size/banks bytes and bytes_per_cycle/banks bytes per cycle.
void check_banks(const KeyLocator& locate, const std::string& prefix,
                 const SramBufferConfig& buffer) {
  const int64_t bytes = buffer.size_kib * 1024;
  if (bytes % buffer.banks != 0) {
    fail(locate, prefix + ".banks",
         size_text(bytes) + " does not split evenly into " + std::to_string(buffer.banks) +
             " banks (expected a bank count that divides " + std::to_string(bytes) + " bytes)");
  }
  if (buffer.bytes_per_cycle % buffer.banks != 0) {
    fail(locate, prefix + ".bytes_per_cycle",
         std::to_string(buffer.bytes_per_cycle) + " bytes per cycle do not spread evenly across " +
             std::to_string(buffer.banks) + " banks (expected a multiple of " + prefix + ".banks)");
  }
}

// Double buffering is the least a decoupled load/compute pipeline needs: one copy is consumed
// while the next is filled. Anything smaller cannot overlap DMA with compute at all.
void check_capacity(const KeyLocator& locate, const std::string& prefix,
                    const SramBufferConfig& buffer, int64_t needed_bytes, const std::string& what) {
  const int64_t bytes = buffer.size_kib * 1024;
  if (bytes < needed_bytes) {
    fail(locate, prefix + ".size_kib",
         size_text(bytes) + " cannot double-buffer " + what + " (needs " + size_text(needed_bytes) +
             ")");
  }
}

}  // namespace

void validate(const ArchConfig& config, const KeyLocator& locate) {
  visit_fields(config, LimitChecker{locate});

  // Float operands accumulate in fp32 (docs/numerics.md); no narrower float accumulator is
  // defined. int8 may keep 16 or 32 bits.
  if (is_float(config.precision.operand) && config.precision.accumulator_bits != 32) {
    fail(locate, "precision.accumulator_bits",
         std::string(to_string(config.precision.operand)) +
             " operands accumulate in fp32, so accumulator_bits must be 32, got " +
             std::to_string(config.precision.accumulator_bits));
  }

  // Mixed precision requantizes between the layers' formats, which only the integer formats share
  // (docs/numerics.md): int8 and int4 mix, nothing else.
  for (const std::string& text : config.precision.other_operands) {
    Precision other;
    if (!parse_precision(text, other)) {
      fail(locate, "precision.other_operands",
           "'" + text + "' is not an operand precision (int4, int8, fp16, bf16 or fp32)");
    }
    const bool integer_pair = !is_float(other) && !is_float(config.precision.operand);
    if (other == config.precision.operand || !integer_pair) {
      fail(locate, "precision.other_operands",
           "'" + text + "' cannot mix with operand " + to_string(config.precision.operand) +
               ": only int8 and int4 mix");
    }
  }

  // Sub-word packing puts several reduction elements on each PE row; output stationary streams
  // the reduction through time instead, where packing is not modelled.
  if (config.array.dataflow == Dataflow::kOutputStationary) {
    for (Precision precision : {Precision::kInt4, Precision::kInt8, Precision::kFp16,
                                Precision::kBf16, Precision::kFp32}) {
      if (macs_per_pe_per_cycle(config.array, precision) != 1) {
        fail(locate, std::string("array.macs_per_pe_per_cycle.") + to_string(precision),
             "must be 1 with output_stationary: sub-word packing needs the reduction on the PE "
             "rows (weight_stationary or input_stationary)");
      }
    }
  }

  // Each listed pattern must parse, once: the array's skip logic is built for a fixed set.
  std::vector<NmPattern> patterns;
  for (const std::string& text : config.sparsity.structured_patterns) {
    NmPattern pattern;
    const std::string problem = parse_nm_pattern(text, pattern);
    if (!problem.empty()) fail(locate, "sparsity.structured_patterns", problem);
    if (std::find(patterns.begin(), patterns.end(), pattern) != patterns.end()) {
      fail(locate, "sparsity.structured_patterns", "'" + text + "' is listed twice");
    }
    patterns.push_back(pattern);
  }
  // A skipping array stores skipped weights compressed, each kept value with its position in its
  // group of M (docs/sparsity.md): the index needs ceil(log2 M) bits for the largest listed M.
  if (config.sparsity.support == SparsitySupport::kSkipping) {
    for (const NmPattern& pattern : patterns) {
      int needed = 0;
      while ((1 << needed) < pattern.m) ++needed;
      if (config.sparsity.metadata_bits_per_nonzero < needed) {
        fail(locate, "sparsity.metadata_bits_per_nonzero",
             "skipping " + std::to_string(pattern.n) + ":" + std::to_string(pattern.m) +
                 " stores each kept weight's position among " + std::to_string(pattern.m) +
                 ", which needs at least " + std::to_string(needed) + " bits, got " +
                 std::to_string(config.sparsity.metadata_bits_per_nonzero));
      }
    }
  }

  // Packing unstructured zeros is a skipping mechanism: with none or gating it would be ignored.
  if (config.sparsity.skip_unstructured_weights &&
      config.sparsity.support != SparsitySupport::kSkipping) {
    fail(locate, "sparsity.skip_unstructured_weights",
         std::string("true needs sparsity.support: skipping, got ") +
             to_string(config.sparsity.support));
  }

  check_banks(locate, "sram.input", config.sram.input);
  check_banks(locate, "sram.weight", config.sram.weight);
  check_banks(locate, "sram.output", config.sram.output);

  // Weight-stationary: the array holds one rows x cols weight tile while the next is preloaded;
  // each cycle one input vector of `rows` operands enters and one row of `cols` accumulators is
  // read, added to and written back.
  const int64_t rows = config.array.rows;
  const int64_t cols = config.array.cols;
  const Precision precision = config.precision.operand;
  const std::string operand = to_string(config.precision.operand);
  const std::string accumulator =
      (is_float(config.precision.operand) ? "fp" : "int") +
      std::to_string(config.precision.accumulator_bits);
  check_capacity(
      locate, "sram.weight", config.sram.weight, 2 * rows * packed_bytes(precision, cols),
      "one " + std::to_string(rows) + "x" + std::to_string(cols) + " " + operand + " weight tile");
  check_capacity(locate, "sram.input", config.sram.input, 2 * packed_bytes(precision, rows),
                 "one input vector of " + std::to_string(rows) + " " + operand +
                     " operands (one per array row)");
  check_capacity(locate, "sram.output", config.sram.output,
                 2 * cols * (config.precision.accumulator_bits / 8),
                 "one row of " + std::to_string(cols) + " " + accumulator + " accumulators");
}

void validate(const ArchConfig& config, const std::string& source) {
  validate(config, [&source](const std::string&) { return source; });
}

}  // namespace npu::arch
