// .npy reading and writing: round trips, the exact bytes numpy writes, headers numpy (or another
// writer) may produce, every rejected file, and lossless conversion. The NpyInterop tests at the
// end run under npy_interop_test.py against real numpy.

#include "sim/functional/npy.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <cmath>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <limits>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

#include "arch/user_error.h"

namespace npu::functional {
namespace {

namespace fs = std::filesystem;

std::string read_bytes(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

void write_bytes(const std::string& path, const std::string& bytes) {
  std::ofstream out(path, std::ios::binary);
  out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
}

// A .npy file as another writer might lay it out: no padding unless the header carries it.
std::string npy_file(int major, const std::string& header, const std::string& data) {
  std::string file = std::string("\x93NUMPY", 6) + static_cast<char>(major) + '\0';
  const size_t length_size = major == 1 ? 2 : 4;
  for (size_t i = 0; i < length_size; ++i) {
    file += static_cast<char>((header.size() >> (8 * i)) & 0xff);
  }
  return file + header + data;
}

// memcmp, which must not see the null data() of an empty vector.
bool same_bytes(const void* a, const void* b, size_t size) {
  return size == 0 || std::memcmp(a, b, size) == 0;
}

template <typename T>
std::string raw(const std::vector<T>& values) {
  return std::string(reinterpret_cast<const char*>(values.data()), values.size() * sizeof(T));
}

// Each test in its own directory, so that ctest -j can run them side by side.
class Npy : public ::testing::Test {
 protected:
  void SetUp() override {
    const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
    m_dir =
        fs::temp_directory_path() / ("npy_test_" + std::to_string(::getpid()) + "_" + info->name());
    fs::create_directories(m_dir);
  }
  void TearDown() override { fs::remove_all(m_dir); }

  std::string file(const std::string& name) const { return (m_dir / name).string(); }

  // The message of the UserError that reading `bytes` raises ("" when none).
  std::string read_error(const std::string& bytes) {
    const std::string path = file("bad.npy");
    write_bytes(path, bytes);
    try {
      read_npy(path);
    } catch (const UserError& e) {
      return e.what();
    }
    return "";
  }

  template <typename T>
  void expect_round_trip(const std::vector<int64_t>& shape, const std::vector<T>& values) {
    const std::string path = file("round_trip.npy");
    write_npy(path, shape, values);
    const NpyArray array = read_npy(path);
    EXPECT_EQ(array.type, NpyTypeOf<T>::value);
    EXPECT_EQ(array.shape, shape);
    EXPECT_EQ(array.path, path);
    EXPECT_EQ(array.element_count(), static_cast<int64_t>(values.size()));
    ASSERT_EQ(array.bytes.size(), values.size() * sizeof(T));
    // Bytes, not values: -0.0 and NaN must survive too.
    EXPECT_TRUE(same_bytes(array.bytes.data(), values.data(), array.bytes.size()));
    const std::vector<T> back = array.as<T>();
    EXPECT_TRUE(same_bytes(back.data(), values.data(), array.bytes.size()));
    // The data starts on a 64-byte boundary behind a header ending in '\n', as numpy's does.
    const std::string bytes = read_bytes(path);
    const size_t data_begin = bytes.size() - values.size() * sizeof(T);
    EXPECT_EQ(data_begin % 64, 0u);
    EXPECT_EQ(bytes[data_begin - 1], '\n');
  }

  fs::path m_dir;
};

TEST_F(Npy, RoundTripsEveryType) {
  expect_round_trip<int8_t>({5}, {-128, -1, 0, 1, 127});
  expect_round_trip<uint8_t>({2, 2}, {0, 1, 128, 255});
  expect_round_trip<int32_t>({2, 3}, {std::numeric_limits<int32_t>::min(), -1, 0, 1, 123456789,
                                      std::numeric_limits<int32_t>::max()});
  expect_round_trip<int64_t>(
      {3}, {std::numeric_limits<int64_t>::min(), 0, std::numeric_limits<int64_t>::max()});
  const float f_inf = std::numeric_limits<float>::infinity();
  expect_round_trip<float>({2, 4}, {0.0f, -0.0f, 1.5f, -2.25f, std::numeric_limits<float>::max(),
                                    std::numeric_limits<float>::denorm_min(), f_inf,
                                    std::numeric_limits<float>::quiet_NaN()});
  expect_round_trip<double>({2}, {0.1, -1e300});
}

TEST_F(Npy, RoundTripsScalars) {
  expect_round_trip<int8_t>({}, {-7});
  expect_round_trip<uint8_t>({}, {200});
  expect_round_trip<int32_t>({}, {-100000});
  expect_round_trip<int64_t>({}, {1LL << 40});
  expect_round_trip<float>({}, {2.5f});
  expect_round_trip<double>({}, {-0.125});
}

TEST_F(Npy, RoundTripsEmptyArrays) {
  expect_round_trip<int8_t>({0}, {});
  expect_round_trip<int32_t>({2, 0, 3}, {});
  expect_round_trip<float>({0, 0}, {});
  expect_round_trip<double>({1, 0}, {});
}

TEST_F(Npy, RoundTrips3DInCOrder) {
  // Element [i][j][k] of shape (2, 3, 4) is at flat index 12i + 4j + k.
  std::vector<int32_t> values(24);
  for (int i = 0; i < 24; ++i) values[i] = i * 1000 - 7;
  expect_round_trip<int32_t>({2, 3, 4}, values);
  std::vector<float> floats(24);
  for (int i = 0; i < 24; ++i) floats[i] = static_cast<float>(i) * 0.5f - 3.0f;
  expect_round_trip<float>({4, 3, 2}, floats);
}

TEST_F(Npy, WritesTheBytesNumpyWrites) {
  // numpy.save(f, numpy.array([1, -2, 3], dtype=numpy.int8)), numpy 1.24:
  //   dict "{'descr': '|i1', 'fortran_order': False, 'shape': (3,), }"  57 bytes
  //   + 21 - len("3") = 20 spaces of room for axis 0 to grow            77
  //   magic (6) + version (2) + length (2) + 77 + '\n' = 88; the next multiple of 64 is 128,
  //   so 40 more spaces; header length = 77 + 40 + 1 = 118 = 0x76 ('v'); data at 128.
  const std::string expected = std::string("\x93NUMPY\x01\x00\x76\x00", 10) +
                               "{'descr': '|i1', 'fortran_order': False, 'shape': (3,), }" +
                               std::string(60, ' ') + "\n" + std::string("\x01\xfe\x03", 3);
  ASSERT_EQ(expected.size(), 131u);
  const std::string path = file("small.npy");
  write_npy(path, {3}, std::vector<int8_t>{1, -2, 3});
  EXPECT_EQ(read_bytes(path), expected);
}

TEST_F(Npy, WritesAScalarHeaderWithoutGrowthRoom) {
  // numpy.save(f, numpy.float32(2.5)): no axis 0, so no growth room. 10 + 55 ("{..., 'shape':
  // (), }") + '\n' = 66 -> 62 spaces to 128; header length 55 + 62 + 1 = 118; 2.5f = 0x40200000.
  const std::string expected = std::string("\x93NUMPY\x01\x00\x76\x00", 10) +
                               "{'descr': '<f4', 'fortran_order': False, 'shape': (), }" +
                               std::string(62, ' ') + "\n" + std::string("\x00\x00\x20\x40", 4);
  const std::string path = file("scalar.npy");
  write_npy(path, {}, std::vector<float>{2.5f});
  EXPECT_EQ(read_bytes(path), expected);
}

TEST_F(Npy, PadsAFullBlockWhenTheHeaderEndsOnABoundary) {
  // numpy pads 64 - (10 + header + 1) % 64 spaces: a full 64, not 0, when the sum is aligned.
  // For shape (0, 1, 1, 1, 10, 10, 10, 10, 10, 10, 10, 10) the dict is 97 bytes, plus 21 - 1 = 20
  // of growth room: 10 + 117 + 1 = 128, so 64 spaces; header length 117 + 64 + 1 = 182 = 0xb6.
  const std::string dict =
      "{'descr': '|i1', 'fortran_order': False, 'shape': (0, 1, 1, 1, 10, 10, 10, 10, 10, 10, 10, "
      "10), }";
  ASSERT_EQ(dict.size(), 97u);
  const std::string expected =
      std::string("\x93NUMPY\x01\x00\xb6\x00", 10) + dict + std::string(20 + 64, ' ') + "\n";
  const std::string path = file("boundary.npy");
  write_npy(path, {0, 1, 1, 1, 10, 10, 10, 10, 10, 10, 10, 10}, std::vector<int8_t>{});
  EXPECT_EQ(read_bytes(path), expected);
}

TEST_F(Npy, AlignsTheDataForEveryHeaderLength) {
  // From rank 2 on each "1, " adds 3 bytes, and 3 is coprime to 64: ranks 2..65 put the end of the
  // dict at every offset within a 64-byte block.
  for (int rank = 1; rank <= 65; ++rank) {
    const std::vector<int64_t> shape(static_cast<size_t>(rank), 1);
    const std::string path = file("aligned.npy");
    write_npy(path, shape, std::vector<int8_t>{5});
    const std::string bytes = read_bytes(path);
    ASSERT_EQ((bytes.size() - 1) % 64, 0u) << "rank " << rank;
    EXPECT_EQ(bytes[bytes.size() - 2], '\n');
    EXPECT_EQ(bytes[bytes.size() - 3], ' ') << "rank " << rank;
    EXPECT_EQ(read_npy(path).shape, shape);
  }
}

TEST_F(Npy, WritesVersion2OnlyWhenTheHeaderNeedsIt) {
  // Each dimension "1, " adds 3 bytes: 22000 of them overflow the 65535-byte limit of 1.0.
  const std::vector<int64_t> big(22000, 1);
  const std::string path = file("v2.npy");
  write_npy(path, big, std::vector<int8_t>{9});
  const std::string bytes = read_bytes(path);
  EXPECT_EQ(bytes[6], '\x02');
  EXPECT_EQ((bytes.size() - 1) % 64, 0u);
  const NpyArray array = read_npy(path);
  EXPECT_EQ(array.shape, big);
  EXPECT_EQ(array.as<int8_t>(), std::vector<int8_t>{9});

  write_npy(path, std::vector<int64_t>(1000, 1), std::vector<int8_t>{9});
  EXPECT_EQ(read_bytes(path)[6], '\x01');
}

TEST_F(Npy, ReadsVersions2And3) {
  const std::string header = "{'descr': '<i4', 'fortran_order': False, 'shape': (2,), }\n";
  const std::string data = raw(std::vector<int32_t>{7, -8});
  for (int major : {1, 2, 3}) {
    const std::string path = file("v.npy");
    write_bytes(path, npy_file(major, header, data));
    const NpyArray array = read_npy(path);
    EXPECT_EQ(array.type, NpyType::kInt32) << major;
    EXPECT_EQ(array.as<int32_t>(), (std::vector<int32_t>{7, -8})) << major;
  }
}

TEST_F(Npy, ReadsHeadersInAnyLayout) {
  const std::string data = raw(std::vector<float>{1, 2, 3, 4, 5, 6});
  for (const std::string& header : {
           // Key order, quotes, spacing, no trailing comma, no padding, no final newline.
           std::string("{'shape': (2, 3), 'fortran_order': False, 'descr': '<f4'}"),
           std::string("{\"descr\":\"<f4\",\"fortran_order\":False,\"shape\":(2,3)}"),
           std::string(
               "  {  'descr' : '=f4' ,\n 'fortran_order' : False , 'shape' : ( 2 , 3 , ) , }"),
           std::string("{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }") +
               std::string(50, ' ') + "\n",
       }) {
    const std::string path = file("layout.npy");
    write_bytes(path, npy_file(1, header, data));
    const NpyArray array = read_npy(path);
    EXPECT_EQ(array.type, NpyType::kFloat32) << header;
    EXPECT_EQ(array.shape, (std::vector<int64_t>{2, 3})) << header;
    EXPECT_EQ(array.as<float>(), (std::vector<float>{1, 2, 3, 4, 5, 6})) << header;
  }
}

TEST_F(Npy, AcceptsEveryByteOrderMarkOnSingleBytes) {
  // Byte order cannot matter for one byte: numpy writes '|', and '<', '=', '>' mean the same.
  for (const char* descr : {"|i1", "<i1", "=i1", ">i1"}) {
    const std::string header =
        std::string("{'descr': '") + descr + "', 'fortran_order': False, 'shape': (2,), }";
    const std::string path = file("order.npy");
    write_bytes(path, npy_file(1, header, "\x05\xff"));
    EXPECT_EQ(read_npy(path).as<int8_t>(), (std::vector<int8_t>{5, -1})) << descr;
  }
  for (const char* descr : {"|u1", "<u1"}) {
    const std::string header =
        std::string("{'descr': '") + descr + "', 'fortran_order': False, 'shape': (2,), }";
    const std::string path = file("order.npy");
    write_bytes(path, npy_file(1, header, "\x05\xff"));
    EXPECT_EQ(read_npy(path).as<uint8_t>(), (std::vector<uint8_t>{5, 255})) << descr;
  }
}

// --- rejected files ------------------------------------------------------------------------------

std::string header_with(const std::string& descr, const std::string& fortran_order,
                        const std::string& shape) {
  return "{'descr': '" + descr + "', 'fortran_order': " + fortran_order + ", 'shape': " + shape +
         ", }\n";
}

TEST_F(Npy, MissingFileNamesIt) {
  const std::string path = file("absent.npy");
  try {
    read_npy(path);
    FAIL() << "no error";
  } catch (const UserError& e) {
    EXPECT_EQ(std::string(e.what()), path + ": cannot open .npy file: No such file or directory");
  }
  EXPECT_THROW(read_npy(m_dir.string()), UserError);  // a directory
}

TEST_F(Npy, BadMagic) {
  const std::string path = file("bad.npy");
  const std::string expected = path + ": not a .npy file (it does not start with \"\\x93NUMPY\")";
  EXPECT_EQ(read_error("PK\x03\x04 this is a zip"), expected);
  EXPECT_EQ(read_error(""), expected);
  EXPECT_EQ(read_error("\x93NUMP"), expected);
  std::string file = npy_file(1, header_with("|i1", "False", "(1,)"), "x");
  file[1] = 'n';
  EXPECT_EQ(read_error(file), expected);
}

TEST_F(Npy, UnsupportedVersion) {
  std::string file = npy_file(1, header_with("|i1", "False", "(1,)"), "x");
  file[6] = 4;
  EXPECT_EQ(
      read_error(file),
      this->file("bad.npy") + ": unsupported .npy format version 4.0 (supported: 1.0, 2.0, 3.0)");
  file[6] = 1;
  file[7] = 1;
  EXPECT_NE(read_error(file).find("version 1.1"), std::string::npos);
}

TEST_F(Npy, FortranOrder) {
  EXPECT_EQ(read_error(npy_file(1, header_with("<i4", "True", "(2, 2)"), std::string(16, '\0'))),
            file("bad.npy") +
                ": fortran_order is True; only C-order arrays are supported (save "
                "numpy.ascontiguousarray(a) instead)");
}

TEST_F(Npy, BigEndian) {
  EXPECT_EQ(read_error(npy_file(1, header_with(">i4", "False", "(1,)"), std::string(4, '\0'))),
            file("bad.npy") +
                ": big-endian data (descr '>i4') is not supported; save it little-endian, e.g. "
                "a.astype('<i4')");
  EXPECT_NE(read_error(npy_file(1, header_with(">f8", "False", "(1,)"), std::string(8, '\0')))
                .find("big-endian data (descr '>f8')"),
            std::string::npos);
}

TEST_F(Npy, UnsupportedDtypeNamesTheDescr) {
  for (const char* descr : {"<f2", "|b1", "<i2", "<u4", "<c8", "<U3", "|O", "|i4", "f4", "<f4 "}) {
    EXPECT_EQ(read_error(npy_file(1, header_with(descr, "False", "(1,)"), std::string(8, '\0'))),
              file("bad.npy") + ": unsupported dtype descr '" + descr +
                  "' (supported: |i1, |u1, <i4, <i8, <f4, <f8)")
        << descr;
  }
  // A structured dtype's descr is a list of fields, not a string.
  const std::string structured =
      "{'descr': [('a', '<i4'), ('b', '<f4')], 'fortran_order': False, 'shape': (1,), }";
  EXPECT_NE(read_error(npy_file(1, structured, std::string(8, '\0')))
                .find("descr is a structured or sub-array dtype"),
            std::string::npos);
}

TEST_F(Npy, DataLengthMustMatchTheShape) {
  const std::string header = header_with("<i4", "False", "(2, 3)");
  EXPECT_EQ(read_error(npy_file(1, header, std::string(23, '\0'))),
            file("bad.npy") +
                ": truncated data: shape (2, 3) of int32 needs 24 bytes after the header, the file "
                "has 23");
  EXPECT_EQ(read_error(npy_file(1, header, "")),
            file("bad.npy") +
                ": truncated data: shape (2, 3) of int32 needs 24 bytes after the header, the file "
                "has 0");
  EXPECT_EQ(
      read_error(npy_file(1, header, std::string(25, '\0'))),
      file("bad.npy") +
          ": unexpected trailing data: shape (2, 3) of int32 needs 24 bytes after the header, "
          "the file has 25");
  EXPECT_EQ(read_error(npy_file(1, header_with("<f8", "False", "()"), std::string(4, '\0'))),
            file("bad.npy") +
                ": truncated data: shape () of float64 needs 8 bytes after the header, the file "
                "has 4");
  EXPECT_EQ(read_error(npy_file(1, header_with("|i1", "False", "(0,)"), "")), "");
  // A real file cut short.
  const std::string path = file("cut.npy");
  write_npy(path, {4}, std::vector<int32_t>{1, 2, 3, 4});
  const std::string whole = read_bytes(path);
  EXPECT_NE(read_error(whole.substr(0, whole.size() - 1)).find("truncated data"),
            std::string::npos);
  EXPECT_NE(read_error(whole.substr(0, 100)).find("truncated .npy header: 118 bytes announced, 90"),
            std::string::npos);
  EXPECT_NE(read_error(whole.substr(0, 9)).find("it ends in the header length"), std::string::npos);
  // A shape whose size overflows.
  EXPECT_NE(read_error(npy_file(1, header_with("<f8", "False", "(4294967296, 4294967296)"), ""))
                .find("shape (4294967296, 4294967296) is too large"),
            std::string::npos);
}

TEST_F(Npy, MalformedHeaders) {
  struct Case {
    std::string header;
    std::string message;  // expected in the error
  };
  const std::vector<Case> cases = {
      {"", "expected '{' opening the header dict at header offset 0"},
      {"['descr', '<i4']", "expected '{' opening the header dict"},
      {"{'descr': '<i4', 'fortran_order': False}", "missing key 'shape'"},
      {"{'fortran_order': False, 'shape': (1,)}", "missing key 'descr'"},
      {"{'descr': '<i4', 'shape': (1,)}", "missing key 'fortran_order'"},
      {"{'descr': '<i4', 'fortran_order': False, 'shape': (1,), 'extra': 1}",
       "unknown key 'extra' (expected descr, fortran_order and shape) at header offset 56"},
      {"{'descr': '<i4', 'descr': '<i4', 'fortran_order': False, 'shape': (1,)}",
       "duplicate key 'descr'"},
      {"{'descr' '<i4', 'fortran_order': False, 'shape': (1,)}", "expected ':' after key 'descr'"},
      {"{'descr': '<i4' 'fortran_order': False, 'shape': (1,)}",
       "expected ',' or '}' after a value"},
      {"{'descr': '<i4', 'fortran_order': False, 'shape': (1,)",
       "expected ',' or '}' after a value"},
      {"{'descr': '<i4, 'fortran_order': False, 'shape': (1,)}",
       "expected ',' or '}' after a value at header offset 17"},
      {"{'descr': '<i4', 'fortran_order': false, 'shape': (1,)}",
       "fortran_order must be True or False"},
      {"{'descr': '<i4', 'fortran_order': 0, 'shape': (1,)}",
       "fortran_order must be True or False"},
      {"{'descr': '<i4', 'fortran_order': Falsey, 'shape': (1,)}",
       "fortran_order must be True or False"},
      {"{'descr': <i4, 'fortran_order': False, 'shape': (1,)}", "expected descr as a quoted type"},
      {"{'descr': '<i4', 'fortran_order': False, 'shape': [1]}", "expected shape as a tuple"},
      {"{'descr': '<i4', 'fortran_order': False, 'shape': (1)}",
       "shape (1) is not a tuple (a 1-element tuple needs a trailing comma)"},
      {"{'descr': '<i4', 'fortran_order': False, 'shape': (,)}", "expected a dimension"},
      {"{'descr': '<i4', 'fortran_order': False, 'shape': (1,,)}", "expected a dimension"},
      {"{'descr': '<i4', 'fortran_order': False, 'shape': (1 2)}",
       "expected ',' or ')' in the shape tuple"},
      {"{'descr': '<i4', 'fortran_order': False, 'shape': (-1,)}", "negative dimension in shape"},
      {"{'descr': '<i4', 'fortran_order': False, 'shape': (1.5,)}", "expected a dimension"},
      {"{'descr': '<i4', 'fortran_order': False, 'shape': (1L,)}", "expected a dimension"},
      {"{'descr': '<i4', 'fortran_order': False, 'shape': (99999999999999999999,)}",
       "dimension out of range in shape"},
      {"{'descr': '<i4', 'fortran_order': False, 'shape': (1,)} x", "unexpected text after"},
      {"{'descr': '<i4', 'fortran_order': False, 'shape': (1,)}}", "unexpected text after"},
      {"{'descr': '<i\\x34', 'fortran_order': False, 'shape': (1,)}",
       "unsupported character in a string"},
      {"{,}", "expected a quoted key"},
      {"{}", "missing key 'descr'"},
  };
  for (const Case& c : cases) {
    const std::string message = read_error(npy_file(1, c.header, std::string(4, '\0')));
    EXPECT_EQ(message.rfind(file("bad.npy") + ": malformed .npy header: ", 0), 0u)
        << c.header << " -> " << message;
    EXPECT_NE(message.find(c.message), std::string::npos) << c.header << " -> " << message;
    EXPECT_EQ(message.find('\n'), std::string::npos) << message;
  }
}

TEST_F(Npy, MalformedHeaderMessageQuotesTheHeaderOnOneLine) {
  EXPECT_EQ(read_error(npy_file(1, "{'descr': '<i4'\x01}   \n", "")),
            file("bad.npy") +
                ": malformed .npy header: expected ',' or '}' after a value at header offset 15 in "
                "\"{'descr': '<i4'\\x01}\"");
}

TEST_F(Npy, WriteErrors) {
  const std::string path = file("no_such_dir/out.npy");
  try {
    write_npy(path, {1}, std::vector<int8_t>{1});
    FAIL() << "no error";
  } catch (const UserError& e) {
    EXPECT_EQ(std::string(e.what()), path + ": cannot open for writing: No such file or directory");
  }
  // The convenience overload checks its own arguments: a mismatch is a caller bug.
  EXPECT_THROW(write_npy(file("x.npy"), {2, 2}, std::vector<int8_t>{1, 2, 3}), std::logic_error);
  EXPECT_THROW(write_npy(file("x.npy"), {-1}, std::vector<int8_t>{}), std::logic_error);
}

// --- conversions ---------------------------------------------------------------------------------

template <typename S>
NpyArray make_array(const std::vector<int64_t>& shape, const std::vector<S>& values) {
  NpyArray array;
  array.type = NpyTypeOf<S>::value;
  array.shape = shape;
  array.path = "data/w.npy";
  array.bytes.resize(values.size() * sizeof(S));
  if (!values.empty()) std::memcpy(array.bytes.data(), values.data(), array.bytes.size());
  return array;
}

template <typename T, typename S>
std::string conversion_error(const std::vector<int64_t>& shape, const std::vector<S>& values) {
  try {
    make_array(shape, values).template as<T>();
  } catch (const UserError& e) {
    return e.what();
  }
  return "";
}

TEST(NpyConvert, ExactConversions) {
  EXPECT_EQ(make_array<int8_t>({3}, {-128, 0, 127}).as<int32_t>(),
            (std::vector<int32_t>{-128, 0, 127}));
  EXPECT_EQ(make_array<int32_t>({3}, {-128, 0, 127}).as<int8_t>(),
            (std::vector<int8_t>{-128, 0, 127}));
  EXPECT_EQ(make_array<int64_t>({2}, {0, 255}).as<uint8_t>(), (std::vector<uint8_t>{0, 255}));
  EXPECT_EQ(make_array<uint8_t>({2}, {0, 255}).as<int32_t>(), (std::vector<int32_t>{0, 255}));
  EXPECT_EQ(make_array<float>({4}, {-128.0f, -0.0f, 3.0f, 127.0f}).as<int8_t>(),
            (std::vector<int8_t>{-128, 0, 3, 127}));
  EXPECT_EQ(make_array<double>({2}, {-2147483648.0, 2147483647.0}).as<int32_t>(),
            (std::vector<int32_t>{std::numeric_limits<int32_t>::min(),
                                  std::numeric_limits<int32_t>::max()}));
  // 2^24 and 2^53 are the last integers from which every smaller one is exact; 2^62 is exact too.
  EXPECT_EQ(make_array<int32_t>({2}, {16777216, -16777216}).as<float>(),
            (std::vector<float>{16777216.0f, -16777216.0f}));
  EXPECT_EQ(make_array<int64_t>({2}, {1LL << 53, 1LL << 62}).as<double>(),
            (std::vector<double>{9007199254740992.0, 4611686018427387904.0}));
  EXPECT_EQ(make_array<int64_t>({1}, {std::numeric_limits<int64_t>::min()}).as<double>(),
            (std::vector<double>{-9223372036854775808.0}));
  EXPECT_EQ(make_array<double>({3}, {0.5, 3.25, 0.0}).as<float>(),
            (std::vector<float>{0.5f, 3.25f, 0.0f}));
  const double inf = std::numeric_limits<double>::infinity();
  const std::vector<float> specials =
      make_array<double>({3}, {inf, -inf, std::nan("")}).as<float>();
  EXPECT_EQ(specials[0], std::numeric_limits<float>::infinity());
  EXPECT_EQ(specials[1], -std::numeric_limits<float>::infinity());
  EXPECT_TRUE(std::isnan(specials[2]));
  EXPECT_EQ(make_array<float>({2}, {0.1f, 3e38f}).as<double>(),
            (std::vector<double>{static_cast<double>(0.1f), static_cast<double>(3e38f)}));
  EXPECT_EQ(make_array<float>({}, {42.0f}).as<int64_t>(), std::vector<int64_t>{42});
  EXPECT_TRUE(make_array<int8_t>({0, 3}, {}).as<float>().empty());
}

TEST(NpyConvert, LossyConversionsNameTheFileAndElement) {
  EXPECT_EQ((conversion_error<int8_t, float>({2, 2}, {0.0f, 1.0f, 1.5f, 2.0f})),
            "data/w.npy: element [1, 0] = 1.5 (float32) cannot be converted to int8 without loss");
  EXPECT_EQ((conversion_error<int8_t, int32_t>({3}, {1, 300, 2})),
            "data/w.npy: element [1] = 300 (int32) cannot be converted to int8 without loss");
  EXPECT_EQ((conversion_error<int8_t, int32_t>({}, {-129})),
            "data/w.npy: the scalar = -129 (int32) cannot be converted to int8 without loss");
  EXPECT_EQ((conversion_error<uint8_t, int8_t>({1}, {-1})),
            "data/w.npy: element [0] = -1 (int8) cannot be converted to uint8 without loss");
  EXPECT_NE((conversion_error<uint8_t, double>({1}, {256.0})).find("= 256 (float64)"),
            std::string::npos);
  EXPECT_NE((conversion_error<int8_t, double>({1}, {128.0})).find("= 128 (float64)"),
            std::string::npos);
  EXPECT_NE((conversion_error<int32_t, double>({1}, {2147483648.0})).find("to int32"),
            std::string::npos);
  EXPECT_NE((conversion_error<int32_t, float>({1}, {std::nanf("")})).find("= nan"),
            std::string::npos);
  EXPECT_NE((conversion_error<int64_t, double>({1}, {std::numeric_limits<double>::infinity()}))
                .find("= inf"),
            std::string::npos);
  // 2^63 is one past int64 max.
  EXPECT_NE((conversion_error<int64_t, double>({1}, {9223372036854775808.0})).find("to int64"),
            std::string::npos);
  EXPECT_NE((conversion_error<int8_t, float>({1}, {-0.5f})).find("= -0.5"), std::string::npos);
  // 2^24 + 1 and 2^53 + 1 round; int64 max rounds up to 2^63.
  EXPECT_EQ((conversion_error<float, int32_t>({1}, {16777217})),
            "data/w.npy: element [0] = 16777217 (int32) cannot be converted to float32 without "
            "loss");
  EXPECT_NE((conversion_error<double, int64_t>({1}, {(1LL << 53) + 1})).find("= 9007199254740993"),
            std::string::npos);
  EXPECT_NE((conversion_error<double, int64_t>({1}, {std::numeric_limits<int64_t>::max()}))
                .find("to float64"),
            std::string::npos);
  EXPECT_NE((conversion_error<float, int64_t>({1}, {std::numeric_limits<int64_t>::max()}))
                .find("to float32"),
            std::string::npos);
  EXPECT_EQ((conversion_error<float, double>({1}, {0.1})),
            "data/w.npy: element [0] = 0.1 (float64) cannot be converted to float32 without loss; "
            "save it as float32 (a.astype(numpy.float32))");
  EXPECT_NE((conversion_error<float, double>({1}, {1e300})).find("= 1e+300"), std::string::npos);
  EXPECT_NE((conversion_error<float, double>({1}, {1e-320})).find("to float32"), std::string::npos);
  // The first bad element is reported.
  EXPECT_NE((conversion_error<int8_t, int32_t>({2, 3}, {0, 1, 2, 3, 500, 600})).find("[1, 1]"),
            std::string::npos);
}

// --- against numpy (run by npy_interop_test.py, which sets NPY_INTEROP_DIR) ----------------------

// The arrays npy_interop_test.py saves with numpy and expects from us, by name.
struct InteropArrays {
  std::vector<int8_t> int8 = {-128, -1, 0, 1, 127};
  std::vector<uint8_t> uint8 = {0, 1, 254, 255};
  std::vector<int32_t> int32 = {std::numeric_limits<int32_t>::min(), -1, 0, 1, 123456789,
                                std::numeric_limits<int32_t>::max()};
  std::vector<int64_t> int64 = {std::numeric_limits<int64_t>::min(), 0,
                                std::numeric_limits<int64_t>::max()};
  std::vector<float> float32 = {0.0f,
                                -0.0f,
                                1.5f,
                                -2.25f,
                                std::numeric_limits<float>::max(),
                                std::numeric_limits<float>::denorm_min(),
                                std::numeric_limits<float>::infinity(),
                                -std::numeric_limits<float>::infinity()};
  std::vector<float> float32_4d;  // shape (2, 3, 4, 5): (i - 60) / 4 at flat index i
  std::vector<int8_t> int8_4d;    // shape (2, 1, 3, 2): i - 6
  std::vector<double> float64_scalar = {0.1};
  std::vector<int8_t> int8_empty;  // shape (2, 0)

  InteropArrays() {
    for (int i = 0; i < 120; ++i) float32_4d.push_back(static_cast<float>(i - 60) / 4.0f);
    for (int i = 0; i < 12; ++i) int8_4d.push_back(static_cast<int8_t>(i - 6));
  }
};

std::string interop_dir() {
  const char* dir = std::getenv("NPY_INTEROP_DIR");
  return dir == nullptr ? "" : dir;
}

template <typename T>
void expect_numpy_array(const std::string& name, const std::vector<int64_t>& shape,
                        const std::vector<T>& values) {
  SCOPED_TRACE(name);
  const NpyArray array = read_npy(interop_dir() + "/numpy_" + name + ".npy");
  EXPECT_EQ(array.type, NpyTypeOf<T>::value);
  EXPECT_EQ(array.shape, shape);
  const std::vector<T> read = array.as<T>();
  ASSERT_EQ(read.size(), values.size());
  EXPECT_TRUE(same_bytes(read.data(), values.data(), values.size() * sizeof(T)));
}

TEST(NpyInterop, ReadsWhatNumpySaves) {
  if (interop_dir().empty()) GTEST_SKIP() << "run by npy_interop_test.py";
  const InteropArrays a;
  expect_numpy_array("int8", {5}, a.int8);
  expect_numpy_array("uint8", {4}, a.uint8);
  expect_numpy_array("int32", {2, 3}, a.int32);
  expect_numpy_array("int64", {3}, a.int64);
  expect_numpy_array("float32", {8}, a.float32);
  expect_numpy_array("float32_4d", {2, 3, 4, 5}, a.float32_4d);
  expect_numpy_array("int8_4d", {2, 1, 3, 2}, a.int8_4d);
  expect_numpy_array("float64_scalar", {}, a.float64_scalar);
  expect_numpy_array("int8_empty", {2, 0}, a.int8_empty);
  // numpy.lib.format.write_array(f, a, version=(2, 0)) and (3, 0).
  expect_numpy_array("int32_v2", {2, 3}, a.int32);
  expect_numpy_array("int32_v3", {2, 3}, a.int32);
}

TEST(NpyInterop, WritesWhatNumpyLoads) {
  if (interop_dir().empty()) GTEST_SKIP() << "run by npy_interop_test.py";
  const InteropArrays a;
  const std::string dir = interop_dir() + "/ours_";
  write_npy(dir + "int8.npy", {5}, a.int8);
  write_npy(dir + "uint8.npy", {4}, a.uint8);
  write_npy(dir + "int32.npy", {2, 3}, a.int32);
  write_npy(dir + "int64.npy", {3}, a.int64);
  write_npy(dir + "float32.npy", {8}, a.float32);
  write_npy(dir + "float32_4d.npy", {2, 3, 4, 5}, a.float32_4d);
  write_npy(dir + "int8_4d.npy", {2, 1, 3, 2}, a.int8_4d);
  write_npy(dir + "float64_scalar.npy", {}, a.float64_scalar);
  write_npy(dir + "int8_empty.npy", {2, 0}, a.int8_empty);
}

}  // namespace
}  // namespace npu::functional
