// memory.ideal: a boolean key of its own section, read from a file or set with --set, strictly
// true or false, and written back by to_yaml.

#include <gtest/gtest.h>

#include "arch/arch_loader.h"
#include "tests/unit/arch/arch_test_util.h"

namespace npu::arch {
namespace {

using testing::TempDir;
using testing::user_error;

TEST(ArchMemory, RealMemoryByDefault) {
  EXPECT_FALSE(ArchConfig{}.memory.ideal);
  TempDir dir;
  EXPECT_FALSE(load_arch(dir.write("empty.yaml", "")).memory.ideal);
}

TEST(ArchMemory, ReadFromTheFile) {
  TempDir dir;
  EXPECT_TRUE(load_arch(dir.write("ideal.yaml", "memory:\n  ideal: true\n")).memory.ideal);
  EXPECT_FALSE(load_arch(dir.write("real.yaml", "memory: {ideal: false}\n")).memory.ideal);
}

TEST(ArchMemory, SelectableWithSet) {
  TempDir dir;
  const std::string path = dir.write("real.yaml", "memory:\n  ideal: false\n");
  EXPECT_TRUE(load_arch(path, {"memory.ideal=true"}).memory.ideal);
  EXPECT_FALSE(load_arch(path, {"memory.ideal=true", "memory.ideal=false"}).memory.ideal);
}

TEST(ArchMemory, OnlyTrueOrFalse) {
  TempDir dir;
  const std::string path = dir.write("yes.yaml", "memory:\n  ideal: yes\n");
  EXPECT_EQ(user_error([&] { load_arch(path); }),
            path + ":2:10: memory.ideal: expected true or false, got 'yes'");
  const std::string real = dir.write("real.yaml", "");
  EXPECT_EQ(user_error([&] { load_arch(real, {"memory.ideal=1"}); }),
            "--set memory.ideal=1: memory.ideal: expected true or false, got '1'");
  EXPECT_EQ(user_error([&] { load_arch(real, {"memory=true"}); }),
            "--set memory=true: memory: is a group of keys, not a value (set one of its keys, "
            "e.g. 'memory.ideal')");
}

TEST(ArchMemory, UnknownKeyInTheSectionIsAnError) {
  TempDir dir;
  const std::string path = dir.write("typo.yaml", "memory:\n  idael: true\n");
  EXPECT_EQ(user_error([&] { load_arch(path); }),
            path + ":2:3: memory.idael: unknown key (did you mean 'ideal'?)");
}

TEST(ArchMemory, WrittenByToYaml) {
  ArchConfig config;
  config.memory.ideal = true;
  const std::string text = to_yaml(config);
  EXPECT_NE(text.find("memory:\n  ideal: true\n"), std::string::npos) << text;
  EXPECT_NE(to_yaml(ArchConfig{}).find("memory:\n  ideal: false\n"), std::string::npos);
}

}  // namespace
}  // namespace npu::arch
