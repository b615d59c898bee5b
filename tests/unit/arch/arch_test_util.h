#pragma once
// Shared helpers for the arch tests: a self-cleaning temp directory for config files, capturing a
// UserError's message, and a field-by-field config comparison written out by hand (independent of
// the schema list it is used to check).

#include <gtest/gtest.h>
#include <stdlib.h>

#include <filesystem>
#include <fstream>
#include <stdexcept>
#include <string>
#include <utility>

#include "arch/arch_config.h"
#include "arch/arch_loader.h"
#include "arch/user_error.h"

namespace npu::arch::testing {

inline std::string source_dir() { return NPU_SOURCE_DIR; }

// A fresh directory under the system temp dir, removed with everything in it on destruction.
class TempDir {
 public:
  TempDir() {
    std::string pattern = (std::filesystem::temp_directory_path() / "npusim_arch_XXXXXX").string();
    if (mkdtemp(pattern.data()) == nullptr) throw std::runtime_error("mkdtemp failed");
    m_path = pattern;
  }
  ~TempDir() {
    std::error_code ignored;
    std::filesystem::remove_all(m_path, ignored);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;

  // Writes `text` to `name` inside the directory and returns the file's path.
  std::string write(const std::string& name, const std::string& text) const {
    const std::string path = (m_path / name).string();
    std::ofstream(path) << text;
    return path;
  }
  std::string path(const std::string& name) const { return (m_path / name).string(); }

 private:
  std::filesystem::path m_path;
};

// The message of the UserError `action` throws; a test failure (and "") when it throws none.
template <typename Action>
std::string user_error(Action&& action) {
  try {
    std::forward<Action>(action)();
  } catch (const UserError& error) {
    return error.what();
  }
  ADD_FAILURE() << "expected an npu::UserError";
  return "";
}

// A test that loads config text written to "arch.yaml" in a temp directory.
class ArchFileTest : public ::testing::Test {
 protected:
  ArchConfig load(const std::string& text) { return load_arch(m_dir.write("arch.yaml", text)); }
  std::string error_for(const std::string& text) {
    const std::string path = m_dir.write("arch.yaml", text);
    return user_error([&] { load_arch(path); });
  }
  std::string file() const { return m_dir.path("arch.yaml"); }

  TempDir m_dir;
};

inline ::testing::AssertionResult contains(const std::string& text, const std::string& part) {
  if (text.find(part) != std::string::npos) return ::testing::AssertionSuccess();
  return ::testing::AssertionFailure() << "'" << text << "'\n    does not contain '" << part << "'";
}

// Every field of ArchConfig, listed by hand: a key the schema forgets to read or write shows up
// here as a mismatch, because round-trip tests start from a config where every field differs
// from its default.
inline void expect_same_config(const ArchConfig& a, const ArchConfig& b) {
  EXPECT_EQ(a.name, b.name);
  EXPECT_EQ(a.description, b.description);
  EXPECT_EQ(a.clock.freq_mhz, b.clock.freq_mhz);
  EXPECT_EQ(a.array.rows, b.array.rows);
  EXPECT_EQ(a.array.cols, b.array.cols);
  EXPECT_EQ(a.array.dataflow, b.array.dataflow);
  EXPECT_EQ(a.precision.operand, b.precision.operand);
  EXPECT_EQ(a.precision.accumulator_bits, b.precision.accumulator_bits);
  const std::pair<const SramBufferConfig*, const SramBufferConfig*> buffers[] = {
      {&a.sram.input, &b.sram.input},
      {&a.sram.weight, &b.sram.weight},
      {&a.sram.output, &b.sram.output}};
  for (const auto& [x, y] : buffers) {
    EXPECT_EQ(x->size_kib, y->size_kib);
    EXPECT_EQ(x->banks, y->banks);
    EXPECT_EQ(x->bytes_per_cycle, y->bytes_per_cycle);
  }
  EXPECT_EQ(a.dram.type, b.dram.type);
  EXPECT_EQ(a.dram.bandwidth_gbps, b.dram.bandwidth_gbps);
  EXPECT_EQ(a.dram.latency_ns, b.dram.latency_ns);
  EXPECT_EQ(a.dram.access_bytes, b.dram.access_bytes);
  EXPECT_EQ(a.dma.setup_cycles, b.dma.setup_cycles);
  EXPECT_EQ(a.memory.ideal, b.memory.ideal);
  EXPECT_EQ(a.controller.queue_depth, b.controller.queue_depth);
  EXPECT_EQ(a.vector.lanes, b.vector.lanes);
  EXPECT_EQ(a.vector.pipeline_latency_cycles, b.vector.pipeline_latency_cycles);
  EXPECT_EQ(a.vector.op_cycles.requant, b.vector.op_cycles.requant);
  EXPECT_EQ(a.vector.op_cycles.eltwise, b.vector.op_cycles.eltwise);
  EXPECT_EQ(a.vector.op_cycles.pool, b.vector.op_cycles.pool);
  EXPECT_EQ(a.vector.op_cycles.softmax, b.vector.op_cycles.softmax);
  EXPECT_EQ(a.energy.tech_scale, b.energy.tech_scale);
  EXPECT_EQ(a.energy.mac_pj.int4, b.energy.mac_pj.int4);
  EXPECT_EQ(a.energy.mac_pj.int8, b.energy.mac_pj.int8);
  EXPECT_EQ(a.energy.mac_pj.fp16, b.energy.mac_pj.fp16);
  EXPECT_EQ(a.energy.mac_pj.bf16, b.energy.mac_pj.bf16);
  EXPECT_EQ(a.energy.mac_pj.fp32, b.energy.mac_pj.fp32);
  EXPECT_EQ(a.energy.gated_mac_fraction, b.energy.gated_mac_fraction);
  const std::pair<const SramEnergy*, const SramEnergy*> energies[] = {
      {&a.energy.sram.input, &b.energy.sram.input},
      {&a.energy.sram.weight, &b.energy.sram.weight},
      {&a.energy.sram.output, &b.energy.sram.output}};
  for (const auto& [x, y] : energies) {
    EXPECT_EQ(x->read_pj_per_byte, y->read_pj_per_byte);
    EXPECT_EQ(x->write_pj_per_byte, y->write_pj_per_byte);
  }
  EXPECT_EQ(a.energy.dram_pj_per_bit, b.energy.dram_pj_per_bit);
  EXPECT_EQ(a.energy.vector_op_pj, b.energy.vector_op_pj);
  const StaticPowerTable& x = a.energy.static_mw;
  const StaticPowerTable& y = b.energy.static_mw;
  EXPECT_EQ(x.array, y.array);
  EXPECT_EQ(x.vector, y.vector);
  EXPECT_EQ(x.input_buffer, y.input_buffer);
  EXPECT_EQ(x.weight_buffer, y.weight_buffer);
  EXPECT_EQ(x.output_buffer, y.output_buffer);
  EXPECT_EQ(x.dma, y.dma);
  EXPECT_EQ(x.controller, y.controller);
  EXPECT_EQ(a.sparsity.support, b.sparsity.support);
  EXPECT_EQ(a.sparsity.structured_patterns, b.sparsity.structured_patterns);
  EXPECT_EQ(a.sparsity.metadata_bits_per_nonzero, b.sparsity.metadata_bits_per_nonzero);
}

}  // namespace npu::arch::testing
