// docs/config.md documents every key the schema reads, so documentation cannot fall behind code.

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "arch/arch_schema.h"
#include "tests/unit/arch/arch_test_util.h"

namespace npu::arch {
namespace {

TEST(ConfigDocs, EverySchemaKeyIsDocumented) {
  std::ifstream file(testing::source_dir() + "/docs/config.md");
  ASSERT_TRUE(file) << "docs/config.md is missing";
  std::stringstream text;
  text << file.rdbuf();
  for (const std::string& key : schema_keys()) {
    EXPECT_NE(text.str().find("`" + key + "`"), std::string::npos)
        << "docs/config.md does not document `" << key << "`";
  }
}

}  // namespace
}  // namespace npu::arch
