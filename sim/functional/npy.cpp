#include "sim/functional/npy.h"

#include <cerrno>
#include <charconv>
#include <cmath>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <limits>
#include <stdexcept>
#include <type_traits>
#include <utility>

#include "arch/user_error.h"

namespace npu::functional {

// Element bytes are copied to and from memory as they are, so the host must be little-endian.
static_assert(__BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__, "npy I/O assumes a little-endian host");

namespace {

constexpr char kMagic[] = "\x93NUMPY";
constexpr size_t kMagicSize = 6;
// numpy aligns the data to 64 bytes (ARRAY_ALIGN) so that it can be memory-mapped.
constexpr size_t kAlign = 64;
// numpy leaves room after the dict for axis 0 to grow to this many digits, so that appending to a
// file can rewrite its header in place (GROWTH_AXIS_MAX_DIGITS in numpy.lib.format).
constexpr size_t kGrowthAxisMaxDigits = 21;

[[noreturn]] void fail(const std::string& path, const std::string& what) {
  throw UserError(path + ": " + what);
}

// The descr numpy writes for each type: no byte order for single bytes, little-endian otherwise.
const char* descr_of(NpyType type) {
  switch (type) {
    case NpyType::kInt8:
      return "|i1";
    case NpyType::kUint8:
      return "|u1";
    case NpyType::kInt32:
      return "<i4";
    case NpyType::kInt64:
      return "<i8";
    case NpyType::kFloat32:
      return "<f4";
    case NpyType::kFloat64:
      return "<f8";
  }
  throw std::logic_error("unknown NpyType");
}

std::string shape_repr(const std::vector<int64_t>& shape) {
  // Python's repr of a tuple: "()", "(3,)", "(2, 3)".
  std::string text = "(";
  for (size_t i = 0; i < shape.size(); ++i) {
    if (i > 0) text += ", ";
    text += std::to_string(shape[i]);
  }
  if (shape.size() == 1) text += ",";
  return text + ")";
}

// The header as one printable line for error messages: padding dropped, control bytes escaped.
std::string quote_header(const std::string& header) {
  size_t end = header.find_last_not_of(" \n");
  std::string text = header.substr(0, end == std::string::npos ? 0 : end + 1);
  constexpr size_t kMaxShown = 160;
  const bool cut = text.size() > kMaxShown;
  if (cut) text.resize(kMaxShown);
  std::string shown = "\"";
  for (unsigned char c : text) {
    if (c >= 0x20 && c < 0x7f) {
      shown += static_cast<char>(c);
    } else {
      constexpr char kHex[] = "0123456789abcdef";
      shown += "\\x";
      shown += kHex[c >> 4];
      shown += kHex[c & 15];
    }
  }
  return shown + (cut ? "...\"" : "\"");
}

struct Header {
  std::string descr;
  bool fortran_order = false;
  std::vector<int64_t> shape;
};

// The header dict is a Python literal, but only one shape of it is valid: exactly the keys
// 'descr' (a string), 'fortran_order' (True or False) and 'shape' (a tuple of non-negative ints),
// in any order, with any spacing and an optional trailing comma. Anything else is an error rather
// than a guess.
class HeaderParser {
 public:
  HeaderParser(const std::string& path, const std::string& text) : m_path(path), m_text(text) {}

  Header parse() {
    Header header;
    bool seen_descr = false;
    bool seen_fortran_order = false;
    bool seen_shape = false;
    skip_space();
    expect('{', "'{' opening the header dict");
    skip_space();
    while (peek() != '}') {
      const size_t key_at = m_pos;
      const std::string key = parse_string("a quoted key");
      skip_space();
      expect(':', "':' after key '" + key + "'");
      skip_space();
      bool* seen = nullptr;
      if (key == "descr") {
        seen = &seen_descr;
        header.descr = parse_descr();
      } else if (key == "fortran_order") {
        seen = &seen_fortran_order;
        header.fortran_order = parse_bool(key);
      } else if (key == "shape") {
        seen = &seen_shape;
        header.shape = parse_shape();
      } else {
        m_pos = key_at;
        malformed("unknown key '" + key + "' (expected descr, fortran_order and shape)");
      }
      if (*seen) {
        m_pos = key_at;
        malformed("duplicate key '" + key + "'");
      }
      *seen = true;
      skip_space();
      if (peek() != ',') break;
      ++m_pos;
      skip_space();
    }
    expect('}', "',' or '}' after a value");
    skip_space();
    if (m_pos != m_text.size()) malformed("unexpected text after the header dict");
    if (!seen_descr) malformed("missing key 'descr'");
    if (!seen_fortran_order) malformed("missing key 'fortran_order'");
    if (!seen_shape) malformed("missing key 'shape'");
    return header;
  }

 private:
  [[noreturn]] void malformed(const std::string& what) const {
    fail(m_path, "malformed .npy header: " + what + " at header offset " + std::to_string(m_pos) +
                     " in " + quote_header(m_text));
  }

  char peek() const { return m_pos < m_text.size() ? m_text[m_pos] : '\0'; }

  void skip_space() {
    while (m_pos < m_text.size() && (m_text[m_pos] == ' ' || m_text[m_pos] == '\t' ||
                                     m_text[m_pos] == '\n' || m_text[m_pos] == '\r')) {
      ++m_pos;
    }
  }

  void expect(char c, const std::string& what) {
    if (peek() != c) malformed("expected " + what);
    ++m_pos;
  }

  // A Python string literal without escapes (no descr or key needs one).
  std::string parse_string(const std::string& what) {
    const char quote = peek();
    if (quote != '\'' && quote != '"') malformed("expected " + what);
    const size_t begin = m_pos + 1;
    size_t end = begin;
    while (end < m_text.size() && m_text[end] != quote) {
      if (m_text[end] == '\\' || m_text[end] == '\n') {
        m_pos = end;
        malformed("unsupported character in a string");
      }
      ++end;
    }
    if (end == m_text.size()) malformed("unterminated string");
    m_pos = end + 1;
    return m_text.substr(begin, end - begin);
  }

  std::string parse_descr() {
    const char c = peek();
    if (c == '[' || c == '(') {
      malformed("descr is a structured or sub-array dtype; only plain numeric types are supported");
    }
    return parse_string("descr as a quoted type string such as '<f4'");
  }

  bool parse_bool(const std::string& key) {
    for (const auto& [word, value] : {std::pair{"True", true}, std::pair{"False", false}}) {
      const size_t n = std::strlen(word);
      if (m_text.compare(m_pos, n, word) == 0 && !is_word_char(m_pos + n)) {
        m_pos += n;
        return value;
      }
    }
    malformed(key + " must be True or False");
  }

  bool is_word_char(size_t at) const {
    if (at >= m_text.size()) return false;
    const char c = m_text[at];
    return c == '_' || (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
  }

  std::vector<int64_t> parse_shape() {
    expect('(', "shape as a tuple such as (2, 3)");
    std::vector<int64_t> shape;
    bool trailing_comma = false;
    skip_space();
    while (peek() != ')') {
      shape.push_back(parse_dimension());
      skip_space();
      trailing_comma = peek() == ',';
      if (!trailing_comma) break;
      ++m_pos;
      skip_space();
    }
    expect(')', "',' or ')' in the shape tuple");
    // In Python "(3)" is the int 3, not a tuple; numpy rejects it too.
    if (shape.size() == 1 && !trailing_comma) {
      --m_pos;
      malformed("shape (" + std::to_string(shape[0]) +
                ") is not a tuple (a 1-element tuple needs a trailing comma)");
    }
    return shape;
  }

  int64_t parse_dimension() {
    if (peek() == '-') malformed("negative dimension in shape");
    int64_t value = 0;
    const char* begin = m_text.data() + m_pos;
    const char* end = m_text.data() + m_text.size();
    const auto [next, error] = std::from_chars(begin, end, value);
    if (error == std::errc::result_out_of_range) malformed("dimension out of range in shape");
    // "1.5" or "1L" is no more a dimension than "x" is.
    const size_t after = m_pos + static_cast<size_t>(next - begin);
    if (error != std::errc() || is_word_char(after) ||
        (after < m_text.size() && m_text[after] == '.')) {
      malformed("expected a dimension (a non-negative integer) in shape");
    }
    m_pos += static_cast<size_t>(next - begin);
    return value;
  }

  const std::string& m_path;
  const std::string& m_text;
  size_t m_pos = 0;
};

// The type a descr names. Byte order: '<' and '=' (native, and this host is little-endian) are
// accepted for every type; '|' (not applicable) and '>' also for single bytes, where the order
// cannot matter; '>' on a wider type is big-endian data, which we do not swap.
NpyType type_of_descr(const std::string& path, const std::string& descr) {
  const std::string supported = "(supported: |i1, |u1, <i4, <i8, <f4, <f8)";
  if (descr.size() == 3) {
    const char order = descr[0];
    const std::string code = descr.substr(1);
    struct Entry {
      const char* code;
      NpyType type;
    };
    static constexpr Entry kTypes[] = {
        {"i1", NpyType::kInt8},  {"u1", NpyType::kUint8},   {"i4", NpyType::kInt32},
        {"i8", NpyType::kInt64}, {"f4", NpyType::kFloat32}, {"f8", NpyType::kFloat64},
    };
    for (const Entry& entry : kTypes) {
      if (code != entry.code) continue;
      const bool single_byte = item_size(entry.type) == 1;
      if (order == '<' || order == '=' || (single_byte && (order == '|' || order == '>'))) {
        return entry.type;
      }
      if (order == '>') {
        fail(path, "big-endian data (descr '" + descr +
                       "') is not supported; save it little-endian, e.g. a.astype('<" + code +
                       "')");
      }
      break;
    }
  }
  fail(path, "unsupported dtype descr '" + descr + "' " + supported);
}

std::vector<uint8_t> read_file(const std::string& path) {
  std::error_code ec;
  if (std::filesystem::is_directory(path, ec)) fail(path, "cannot read .npy file: is a directory");
  std::ifstream in(path, std::ios::binary);
  if (!in) fail(path, std::string("cannot open .npy file: ") + std::strerror(errno));
  in.seekg(0, std::ios::end);
  const std::streamoff size = in.tellg();
  in.seekg(0, std::ios::beg);
  std::vector<uint8_t> bytes(static_cast<size_t>(size < 0 ? 0 : size));
  if (size < 0 || !in.read(reinterpret_cast<char*>(bytes.data()), size)) {
    fail(path, "cannot read .npy file");
  }
  return bytes;
}

uint32_t read_le(const uint8_t* p, size_t n) {
  uint32_t value = 0;
  for (size_t i = 0; i < n; ++i) value |= static_cast<uint32_t>(p[i]) << (8 * i);
  return value;
}

// Element count and data size of a shape, or an error when either overflows.
int64_t checked_count(const std::string& path, const std::vector<int64_t>& shape, size_t item) {
  int64_t count = 1;
  for (int64_t dim : shape) {
    if (dim < 0) fail(path, "negative dimension in shape " + shape_repr(shape));
    if (dim != 0 &&
        count > std::numeric_limits<int64_t>::max() / static_cast<int64_t>(item) / dim) {
      fail(path, "shape " + shape_repr(shape) + " is too large");
    }
    count *= dim;
  }
  return count;
}

// --- conversions -------------------------------------------------------------------------------

// Whether `value` converts to T without loss, and the converted value.
template <typename T, typename S>
bool convert_exact(S value, T* out) {
  if constexpr (std::is_same_v<S, T>) {
    *out = value;
    return true;
  } else if constexpr (std::is_integral_v<S> && std::is_integral_v<T>) {
    // Every supported integer type fits in int64 (uint8 included).
    const auto wide = static_cast<int64_t>(value);
    if (wide < static_cast<int64_t>(std::numeric_limits<T>::min()) ||
        wide > static_cast<int64_t>(std::numeric_limits<T>::max())) {
      return false;
    }
    *out = static_cast<T>(value);
    return true;
  } else if constexpr (std::is_integral_v<S>) {
    // Integer to float: exact when it converts back. The result is checked against [-2^63, 2^63)
    // first because int64 max rounds up to 2^63, which does not convert back.
    const T converted = static_cast<T>(value);
    const T limit = std::ldexp(T{1}, 63);
    if (!(converted >= -limit && converted < limit)) return false;
    *out = converted;
    return static_cast<int64_t>(converted) == static_cast<int64_t>(value);
  } else if constexpr (std::is_integral_v<T>) {
    // Float to integer: a whole number in [min, max]. T's range is [-2^digits, 2^digits) for the
    // signed types and [0, 2^digits) for uint8, bounds that are exact in any float type.
    const S high = std::ldexp(S{1}, std::numeric_limits<T>::digits);
    const S low = std::is_signed_v<T> ? -high : S{0};
    if (!std::isfinite(value) || value != std::trunc(value) || value < low || value >= high) {
      return false;
    }
    *out = static_cast<T>(value);
    return true;
  } else if constexpr (sizeof(S) < sizeof(T)) {
    *out = value;  // float32 to float64 is exact
    return true;
  } else {
    // float64 to float32: NaN and the infinities carry over; a finite value must be within
    // float32's range (converting beyond it is undefined) and convert back unchanged.
    if (std::isnan(value) || std::isinf(value)) {
      *out = static_cast<T>(value);
      return true;
    }
    if (std::fabs(value) > static_cast<S>(std::numeric_limits<T>::max())) return false;
    *out = static_cast<T>(value);
    return static_cast<S>(*out) == value;
  }
}

template <typename S>
std::string format_value(S value) {
  if constexpr (std::is_integral_v<S>) {
    return std::to_string(static_cast<int64_t>(value));
  } else {
    char text[64];
    const auto result = std::to_chars(text, text + sizeof(text), value);
    return std::string(text, result.ptr);
  }
}

std::string format_index(const std::vector<int64_t>& shape, int64_t flat) {
  if (shape.empty()) return "the scalar";
  std::vector<int64_t> index(shape.size());
  for (size_t d = shape.size(); d-- > 0;) {
    index[d] = flat % shape[d];
    flat /= shape[d];
  }
  std::string text = "element [";
  for (size_t d = 0; d < index.size(); ++d) text += (d > 0 ? ", " : "") + std::to_string(index[d]);
  return text + "]";
}

template <typename T, typename S>
void convert_from(const NpyArray& array, int64_t count, T* out) {
  const uint8_t* in = array.bytes.data();
  for (int64_t i = 0; i < count; ++i) {
    S value;
    std::memcpy(&value, in + static_cast<size_t>(i) * sizeof(S), sizeof(S));
    if (!convert_exact(value, &out[i])) {
      // numpy saves Python floats as float64: most such values (0.1) are not float32 values.
      const bool narrowing_float = std::is_same_v<S, double> && std::is_same_v<T, float>;
      fail(array.path,
           format_index(array.shape, i) + " = " + format_value(value) + " (" +
               to_string(array.type) + ") cannot be converted to " +
               to_string(NpyTypeOf<T>::value) + " without loss" +
               (narrowing_float ? "; save it as float32 (a.astype(numpy.float32))" : ""));
    }
  }
}

template <typename T>
void convert_to(const NpyArray& array, int64_t count, T* out) {
  switch (array.type) {
    case NpyType::kInt8:
      return convert_from<T, int8_t>(array, count, out);
    case NpyType::kUint8:
      return convert_from<T, uint8_t>(array, count, out);
    case NpyType::kInt32:
      return convert_from<T, int32_t>(array, count, out);
    case NpyType::kInt64:
      return convert_from<T, int64_t>(array, count, out);
    case NpyType::kFloat32:
      return convert_from<T, float>(array, count, out);
    case NpyType::kFloat64:
      return convert_from<T, double>(array, count, out);
  }
  throw std::logic_error("unknown NpyType");
}

}  // namespace

const char* to_string(NpyType type) {
  switch (type) {
    case NpyType::kInt8:
      return "int8";
    case NpyType::kUint8:
      return "uint8";
    case NpyType::kInt32:
      return "int32";
    case NpyType::kInt64:
      return "int64";
    case NpyType::kFloat32:
      return "float32";
    case NpyType::kFloat64:
      return "float64";
  }
  throw std::logic_error("unknown NpyType");
}

size_t item_size(NpyType type) {
  switch (type) {
    case NpyType::kInt8:
    case NpyType::kUint8:
      return 1;
    case NpyType::kInt32:
    case NpyType::kFloat32:
      return 4;
    case NpyType::kInt64:
    case NpyType::kFloat64:
      return 8;
  }
  throw std::logic_error("unknown NpyType");
}

int64_t NpyArray::element_count() const {
  int64_t count = 1;
  for (int64_t dim : shape) count *= dim;
  return count;
}

namespace detail {

void convert_elements(const NpyArray& array, NpyType target, void* out) {
  const int64_t count = array.element_count();
  if (array.bytes.size() != static_cast<size_t>(count) * item_size(array.type)) {
    throw std::logic_error("NpyArray " + array.path + ": " + std::to_string(array.bytes.size()) +
                           " bytes do not match shape " + shape_repr(array.shape));
  }
  switch (target) {
    case NpyType::kInt8:
      return convert_to(array, count, static_cast<int8_t*>(out));
    case NpyType::kUint8:
      return convert_to(array, count, static_cast<uint8_t*>(out));
    case NpyType::kInt32:
      return convert_to(array, count, static_cast<int32_t*>(out));
    case NpyType::kInt64:
      return convert_to(array, count, static_cast<int64_t*>(out));
    case NpyType::kFloat32:
      return convert_to(array, count, static_cast<float*>(out));
    case NpyType::kFloat64:
      return convert_to(array, count, static_cast<double*>(out));
  }
  throw std::logic_error("unknown NpyType");
}

void write_npy_elements(const std::string& path, NpyType type, const std::vector<int64_t>& shape,
                        const void* data, size_t count) {
  int64_t expected = 1;
  for (int64_t dim : shape) expected *= dim;
  if (expected < 0 || static_cast<size_t>(expected) != count) {
    throw std::logic_error("write_npy " + path + ": " + std::to_string(count) +
                           " values for shape " + shape_repr(shape));
  }
  write_npy(path, type, shape, data);
}

}  // namespace detail

NpyArray read_npy(const std::string& path) {
  std::vector<uint8_t> file = read_file(path);
  if (file.size() < kMagicSize + 2 || std::memcmp(file.data(), kMagic, kMagicSize) != 0) {
    fail(path, "not a .npy file (it does not start with \"\\x93NUMPY\")");
  }
  const int major = file[kMagicSize];
  const int minor = file[kMagicSize + 1];
  if ((major != 1 && major != 2 && major != 3) || minor != 0) {
    fail(path, "unsupported .npy format version " + std::to_string(major) + "." +
                   std::to_string(minor) + " (supported: 1.0, 2.0, 3.0)");
  }
  const size_t length_size = major == 1 ? 2 : 4;
  const size_t header_begin = kMagicSize + 2 + length_size;
  if (file.size() < header_begin) fail(path, "truncated .npy file: it ends in the header length");
  const size_t header_size = read_le(file.data() + kMagicSize + 2, length_size);
  if (file.size() - header_begin < header_size) {
    fail(path, "truncated .npy header: " + std::to_string(header_size) + " bytes announced, " +
                   std::to_string(file.size() - header_begin) + " in the file");
  }
  // 1.0 and 2.0 headers are latin-1 and 3.0 headers utf-8; every valid header is ASCII, so the
  // parser works on the bytes and rejects anything else.
  const std::string text(reinterpret_cast<const char*>(file.data()) + header_begin, header_size);
  const Header header = HeaderParser(path, text).parse();

  NpyArray array;
  array.path = path;
  array.type = type_of_descr(path, header.descr);
  if (header.fortran_order) {
    fail(path,
         "fortran_order is True; only C-order arrays are supported "
         "(save numpy.ascontiguousarray(a) instead)");
  }
  array.shape = header.shape;
  const size_t item = item_size(array.type);
  const auto data_size = static_cast<size_t>(checked_count(path, array.shape, item)) * item;
  const size_t data_begin = header_begin + header_size;
  const size_t present = file.size() - data_begin;
  if (present != data_size) {
    fail(path, std::string(present < data_size ? "truncated data" : "unexpected trailing data") +
                   ": shape " + shape_repr(array.shape) + " of " + to_string(array.type) +
                   " needs " + std::to_string(data_size) +
                   " bytes after the header, the file has " + std::to_string(present));
  }
  file.erase(file.begin(), file.begin() + static_cast<std::ptrdiff_t>(data_begin));
  array.bytes = std::move(file);
  return array;
}

void write_npy(const std::string& path, NpyType type, const std::vector<int64_t>& shape,
               const void* data) {
  for (int64_t dim : shape) {
    if (dim < 0) throw std::logic_error("write_npy " + path + ": shape " + shape_repr(shape));
  }
  const size_t item = item_size(type);
  const auto data_size = static_cast<size_t>(checked_count(path, shape, item)) * item;

  // The header exactly as numpy.save writes it: keys sorted, each "'key': repr(value), ", room
  // for axis 0 to grow, then spaces and '\n' up to the next multiple of 64 bytes counted from the
  // start of the file (a full 64 bytes of padding when it already ends on one).
  std::string header = std::string("{'descr': '") + descr_of(type) +
                       "', 'fortran_order': False, 'shape': " + shape_repr(shape) + ", }";
  if (!shape.empty()) {
    header.append(kGrowthAxisMaxDigits - std::to_string(shape[0]).size(), ' ');
  }
  int major = 1;
  size_t length_size = 2;
  auto padding = [&] {
    return kAlign - (kMagicSize + 2 + length_size + header.size() + 1) % kAlign;
  };
  if (header.size() + 1 + padding() > std::numeric_limits<uint16_t>::max()) {
    major = 2;  // 2.0 differs only in its 4-byte header length.
    length_size = 4;
  }
  header.append(padding(), ' ');
  header += '\n';

  std::string prefix(kMagic, kMagicSize);
  prefix += static_cast<char>(major);
  prefix += '\0';
  for (size_t i = 0; i < length_size; ++i) {
    prefix += static_cast<char>((header.size() >> (8 * i)) & 0xff);
  }

  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  if (!out) fail(path, std::string("cannot open for writing: ") + std::strerror(errno));
  out.write(prefix.data(), static_cast<std::streamsize>(prefix.size()));
  out.write(header.data(), static_cast<std::streamsize>(header.size()));
  if (data_size > 0) {
    out.write(static_cast<const char*>(data), static_cast<std::streamsize>(data_size));
  }
  out.close();
  if (!out) fail(path, "write failed");
}

}  // namespace npu::functional
