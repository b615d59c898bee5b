// MapReader and its helpers, below the arch schema.

#include "arch/yaml_reader.h"

#include <gtest/gtest.h>

#include "tests/unit/arch/arch_test_util.h"

namespace npu::yaml {
namespace {

using npu::arch::testing::user_error;

TEST(ClosestMatch, SuggestsOnlyLikelyTypos) {
  EXPECT_EQ(closest_match("size_kb", {"size_kib", "banks", "bytes_per_cycle"}), "size_kib");
  EXPECT_EQ(closest_match("colums", {"rows", "cols", "dataflow"}), "cols");
  EXPECT_EQ(closest_match("refresh", {"rows", "cols"}), "");
}

TEST(RangeText, IntegerRanges) {
  EXPECT_EQ(integer_range_text(1, 4096), "in [1, 4096]");
  EXPECT_EQ(integer_range_text(0, std::numeric_limits<int64_t>::max()), ">= 0");
  EXPECT_EQ(integer_range_text(std::numeric_limits<int>::min(), std::numeric_limits<int>::max()),
            "");
}

TEST(RangeText, NumberRanges) {
  EXPECT_EQ((NumberRange{0.0, 10000.0, true}.text()), "in (0, 10000]");
  EXPECT_EQ((NumberRange{0.0, 1e300}.text()), ">= 0");
  EXPECT_EQ((NumberRange{0.0, 1e300, true}.text()), "> 0");
  EXPECT_EQ(NumberRange{}.text(), "");
  EXPECT_FALSE((NumberRange{0.0, 1.0, true}.contains(0.0)));
  EXPECT_TRUE((NumberRange{0.0, 1.0, true}.contains(1.0)));
  EXPECT_TRUE((NumberRange{0.0, 1.0}.contains(0.0)));
}

TEST(MapReader, ReadsTypedValuesAndKeepsDefaultsForAbsentKeys) {
  MapReader reader(YAML::Load("a: 3\nb: 2.5\nc: text\n"), "f.yaml", "");
  int a = 0;
  double b = 0;
  std::string c;
  int64_t d = 9;
  reader.read("a", a, 1, 10);
  reader.read("b", b, NumberRange{0.0, 3.0, true});
  reader.read("c", c);
  reader.read("d", d);
  reader.finish();
  EXPECT_EQ(a, 3);
  EXPECT_EQ(b, 2.5);
  EXPECT_EQ(c, "text");
  EXPECT_EQ(d, 9);
}

TEST(MapReader, UnboundedIntegerErrorDoesNotPrintTypeLimits) {
  MapReader reader(YAML::Load("a: x\n"), "f.yaml", "grp");
  int64_t a = 0;
  EXPECT_EQ(user_error([&] { reader.read("a", a); }),
            "f.yaml:1:4: grp.a: expected an integer, got 'x'");
}

TEST(MapReader, NullLeafIsAnErrorButNullGroupIsEmpty) {
  MapReader reader(YAML::Load("a:\nb:\n"), "f.yaml", "");
  std::string a = "default";
  EXPECT_EQ(user_error([&] { reader.read("a", a); }),
            "f.yaml:1:1: a: expected a string, got nothing");
  MapReader group = reader.child("b");
  int x = 5;
  group.read("x", x);
  EXPECT_EQ(x, 5);
}

TEST(MapReader, FinishRejectsKeysNobodyAskedAbout) {
  MapReader reader(YAML::Load("rows: 1\ncolums: 2\n"), "f.yaml", "array");
  int rows = 0;
  reader.read("rows", rows);
  reader.has("cols");
  EXPECT_EQ(user_error([&] { reader.finish(); }),
            "f.yaml:2:1: array.colums: unknown key (did you mean 'cols'?)");
}

TEST(MapReader, OriginsReplaceThePositionOfKeysFromTheCommandLine) {
  YAML::Node root = YAML::Load("grp:\n  a: 1\n");
  root["grp"]["b"] = YAML::Node("oops");  // as an override would add it: no position
  auto origins = std::make_shared<KeyOrigins>(KeyOrigins{{"grp.b", "--set grp.b=oops"}});
  MapReader reader(root, "f.yaml", "", origins);
  MapReader group = reader.child("grp");
  int a = 0;
  int b = 0;
  group.read("a", a);
  EXPECT_EQ(user_error([&] { group.read("b", b, 0, 10); }),
            "--set grp.b=oops: grp.b: expected an integer in [0, 10], got 'oops'");
}

}  // namespace
}  // namespace npu::yaml
