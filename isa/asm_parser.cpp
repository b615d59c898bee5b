#include "isa/asm_parser.h"

#include <algorithm>
#include <cassert>
#include <cctype>
#include <cstdint>
#include <cstdlib>
#include <initializer_list>
#include <limits>
#include <tuple>
#include <type_traits>
#include <utility>
#include <vector>

#include "arch/user_error.h"
#include "isa/asm_printer.h"

namespace npu::isa {
namespace {

// Every value of the enums the text names, so that each can be looked up by its to_string name.
// A value added to an enum must be added here too (the round-trip test covers every value).
constexpr VectorOp kVectorOps[] = {
    VectorOp::kRequant, VectorOp::kAdd,       VectorOp::kActivation,    VectorOp::kScaleShift,
    VectorOp::kMaxPool, VectorOp::kAvgPool,   VectorOp::kGlobalAvgPool, VectorOp::kSoftmax,
    VectorOp::kCopy,    VectorOp::kLayerNorm, VectorOp::kMul,           VectorOp::kTranspose,
};
constexpr VectorActivation kActivations[] = {
    VectorActivation::kNone,    VectorActivation::kRelu, VectorActivation::kRelu6,
    VectorActivation::kSigmoid, VectorActivation::kTanh, VectorActivation::kGelu,
};
constexpr ElementType kElementTypes[] = {
    ElementType::kInt8, ElementType::kInt32, ElementType::kFp16,
    ElementType::kBf16, ElementType::kFp32, ElementType::kInt4,
};
constexpr Buffer kBuffers[] = {Buffer::kInput, Buffer::kWeight, Buffer::kOutput};

size_t edit_distance(const std::string& a, const std::string& b) {
  std::vector<size_t> row(b.size() + 1);
  for (size_t j = 0; j <= b.size(); ++j) row[j] = j;
  for (size_t i = 1; i <= a.size(); ++i) {
    size_t diagonal = row[0];
    row[0] = i;
    for (size_t j = 1; j <= b.size(); ++j) {
      const size_t substitution = diagonal + (a[i - 1] == b[j - 1] ? 0 : 1);
      diagonal = row[j];
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, substitution});
    }
  }
  return row[b.size()];
}

// " (did you mean 'x'?)" for the closest candidate within typo distance, else "".
std::string suggestion(const std::string& word, const std::vector<std::string>& candidates) {
  std::string best;
  size_t best_distance = std::max<size_t>(2, word.size() / 3) + 1;
  for (const std::string& candidate : candidates) {
    const size_t distance = edit_distance(word, candidate);
    if (distance < best_distance) {
      best_distance = distance;
      best = candidate;
    }
  }
  return best.empty() ? "" : " (did you mean '" + best + "'?)";
}

// The position errors are reported at, plus what is being parsed ("mx.matmul: ").
struct Where {
  const std::string& source;
  size_t line;
  std::string context;

  [[noreturn]] void fail(const std::string& message) const {
    throw UserError(source + ":" + std::to_string(line) + ": " + context + message);
  }
};

// One whitespace-separated word of a line: `key=value`, `key="quoted value"` or a bare `key`.
struct Token {
  std::string key;
  std::string value;
  bool has_value = false;
  bool quoted = false;
};

bool is_space(char c) { return c == ' ' || c == '\t'; }

// Reads a double-quoted string starting at line[pos] == '"'; pos ends after the closing quote.
std::string read_quoted(const Where& where, const std::string& line, size_t& pos) {
  std::string out;
  for (++pos; pos < line.size(); ++pos) {
    const char c = line[pos];
    if (c == '"') {
      ++pos;
      return out;
    }
    if (c != '\\') {
      out += c;
      continue;
    }
    if (++pos == line.size()) break;
    switch (line[pos]) {
      case '"': out += '"'; break;
      case '\\': out += '\\'; break;
      case 'n': out += '\n'; break;
      case 't': out += '\t'; break;
      case 'r': out += '\r'; break;
      case 'x': {
        const std::string digits = line.substr(pos + 1, 2);
        if (digits.size() != 2 || !std::isxdigit(static_cast<unsigned char>(digits[0])) ||
            !std::isxdigit(static_cast<unsigned char>(digits[1]))) {
          where.fail("'\\x' in a string needs two hex digits");
        }
        out += static_cast<char>(std::stoi(digits, nullptr, 16));
        pos += 2;
        break;
      }
      default: where.fail(std::string("unknown escape '\\") + line[pos] + "' in a string");
    }
  }
  where.fail("unterminated string (missing closing '\"')");
}

// Splits a line into tokens; a ';' outside quotes starts a comment that runs to the end.
std::vector<Token> tokenize(const Where& where, const std::string& line) {
  std::vector<Token> tokens;
  size_t pos = 0;
  while (true) {
    while (pos < line.size() && is_space(line[pos])) ++pos;
    if (pos == line.size() || line[pos] == ';') return tokens;
    Token token;
    while (pos < line.size() && !is_space(line[pos]) && line[pos] != ';' && line[pos] != '=') {
      if (line[pos] == '"') where.fail("unexpected '\"': only a field's value can be quoted");
      token.key += line[pos++];
    }
    if (pos < line.size() && line[pos] == '=') {
      if (token.key.empty()) where.fail("expected a field name before '='");
      token.has_value = true;
      ++pos;
      if (pos < line.size() && line[pos] == '"') {
        token.quoted = true;
        token.value = read_quoted(where, line, pos);
        if (pos < line.size() && !is_space(line[pos]) && line[pos] != ';') {
          where.fail("expected a space after the closing '\"' of field '" + token.key + "'");
        }
      } else {
        while (pos < line.size() && !is_space(line[pos]) && line[pos] != ';') {
          if (line[pos] == '"')
            where.fail("field '" + token.key + "': a quoted value must start right after '='");
          token.value += line[pos++];
        }
      }
    }
    tokens.push_back(std::move(token));
  }
}

// ---- numbers: decimal, or hex with a 0x prefix where a number stands alone -------------------

enum class NumberError { kNone, kNotANumber, kOverflow };

// Decimal digits, or 0x and hex digits when allowed; no sign, no separators.
NumberError to_unsigned(const std::string& text, bool allow_hex, uint64_t& value) {
  size_t pos = 0;
  uint64_t base = 10;
  if (allow_hex && text.size() > 2 && text[0] == '0' && (text[1] == 'x' || text[1] == 'X')) {
    base = 16;
    pos = 2;
  }
  if (pos == text.size()) return NumberError::kNotANumber;
  bool overflow = false;
  value = 0;
  for (; pos < text.size(); ++pos) {
    const char c = text[pos];
    uint64_t digit;
    if (c >= '0' && c <= '9') {
      digit = static_cast<uint64_t>(c - '0');
    } else if (base == 16 && c >= 'a' && c <= 'f') {
      digit = static_cast<uint64_t>(c - 'a' + 10);
    } else if (base == 16 && c >= 'A' && c <= 'F') {
      digit = static_cast<uint64_t>(c - 'A' + 10);
    } else {
      return NumberError::kNotANumber;
    }
    if (value > (std::numeric_limits<uint64_t>::max() - digit) / base) overflow = true;
    value = value * base + digit;
  }
  return overflow ? NumberError::kOverflow : NumberError::kNone;
}

[[noreturn]] void fail_range(const Where& where, const std::string& what, const std::string& text,
                             const std::string& min, const std::string& max) {
  where.fail(what + ": " + text + " is out of range (" + min + ".." + max + ")");
}

[[noreturn]] void fail_number(const Where& where, const std::string& what, const std::string& text,
                              bool allow_hex) {
  where.fail(what + ": expected " +
             (allow_hex ? "a number (decimal or 0x hex)" : "a decimal number") + ", got '" + text +
             "'");
}

template <typename T>
T parse_unsigned(const Where& where, const std::string& what, const std::string& text,
                 bool allow_hex = true) {
  static_assert(std::is_unsigned_v<T>);
  uint64_t value = 0;
  const NumberError error = to_unsigned(text, allow_hex, value);
  if (error == NumberError::kNotANumber) fail_number(where, what, text, allow_hex);
  // Print the limit as a number even for uint8_t, which to_string would take for a char.
  const std::string max = std::to_string(uint64_t{std::numeric_limits<T>::max()});
  if (error == NumberError::kOverflow || value > std::numeric_limits<T>::max()) {
    fail_range(where, what, text, "0", max);
  }
  return static_cast<T>(value);
}

template <typename T>
T parse_signed(const Where& where, const std::string& what, const std::string& text,
               bool allow_hex = true) {
  static_assert(std::is_signed_v<T>);
  const bool negative = !text.empty() && text[0] == '-';
  uint64_t magnitude = 0;
  const NumberError error = to_unsigned(negative ? text.substr(1) : text, allow_hex, magnitude);
  if (error == NumberError::kNotANumber) fail_number(where, what, text, allow_hex);
  // The most negative value has one more unit of magnitude than the most positive one.
  const uint64_t max = static_cast<uint64_t>(std::numeric_limits<T>::max());
  if (error == NumberError::kOverflow || magnitude > max + (negative ? 1 : 0)) {
    fail_range(where, what, text, std::to_string(int64_t{std::numeric_limits<T>::min()}),
               std::to_string(max));
  }
  if (!negative) return static_cast<T>(magnitude);
  return static_cast<T>(-static_cast<int64_t>(magnitude - 1) - 1);
}

// "HxW": two decimal numbers (hex would be ambiguous with the 'x' separator).
template <typename T>
std::pair<T, T> parse_pair(const Where& where, const std::string& what, const std::string& text) {
  const size_t x = text.find('x');
  if (x == std::string::npos) where.fail(what + ": expected HxW, got '" + text + "'");
  return {parse_unsigned<T>(where, what, text.substr(0, x), false),
          parse_unsigned<T>(where, what, text.substr(x + 1), false)};
}

// "begin+count", where begin may be negative.
template <typename Begin>
std::pair<Begin, uint32_t> parse_span(const Where& where, const std::string& what,
                                      const std::string& text) {
  const size_t plus = text.find('+', 1);
  if (plus == std::string::npos) where.fail(what + ": expected begin+count, got '" + text + "'");
  const std::string begin = text.substr(0, plus);
  const uint32_t count = parse_unsigned<uint32_t>(where, what, text.substr(plus + 1));
  if constexpr (std::is_signed_v<Begin>) {
    return {parse_signed<Begin>(where, what, begin), count};
  } else {
    return {parse_unsigned<Begin>(where, what, begin), count};
  }
}

template <typename Enum, size_t N>
Enum parse_name(const Where& where, const std::string& what, const std::string& text,
                const Enum (&values)[N]) {
  std::vector<std::string> names;
  for (Enum value : values) {
    if (text == to_string(value)) return value;
    names.emplace_back(to_string(value));
  }
  std::string list;
  for (const std::string& name : names) list += (list.empty() ? "" : ", ") + name;
  where.fail(what + ": unknown name '" + text + "'" + suggestion(text, names) +
             "; expected one of " + list);
}

// "buffer+offset", e.g. output+0x400.
SramAddr parse_sram(const Where& where, const std::string& what, const std::string& text) {
  const size_t plus = text.find('+');
  if (plus == std::string::npos) {
    where.fail(what + ": expected an SRAM address buffer+offset (e.g. input+0x0), got '" + text +
               "'");
  }
  return {parse_name(where, what + " buffer", text.substr(0, plus), kBuffers),
          parse_unsigned<uint32_t>(where, what, text.substr(plus + 1))};
}

using TokenIt = std::vector<Token>::const_iterator;

// ---- fields of one line ----------------------------------------------------------------------

// The fields after the mnemonic (or directive), checked against the ones the line may have.
class Fields {
 public:
  // `keys` take a value (key=value); `flags` are bare words whose presence means true.
  Fields(const Where& where, TokenIt begin, TokenIt end, std::initializer_list<const char*> keys,
         std::initializer_list<const char*> flags = {})
      : m_where(where) {
    std::vector<std::string> known(keys.begin(), keys.end());
    known.insert(known.end(), flags.begin(), flags.end());
    for (auto it = begin; it != end; ++it) {
      const Token& token = *it;
      if (std::find(known.begin(), known.end(), token.key) == known.end()) {
        where.fail("unknown field '" + token.key + "'" + suggestion(token.key, known));
      }
      if (find(token.key)) where.fail("field '" + token.key + "' given twice");
      const bool flag = std::find(flags.begin(), flags.end(), token.key) != flags.end();
      if (flag && token.has_value) where.fail("'" + token.key + "' is a flag and takes no value");
      if (!flag && !token.has_value) {
        where.fail("field '" + token.key + "' needs a value (" + token.key + "=...)");
      }
      m_tokens.push_back(token);
    }
  }

  const Token* find(const std::string& key) const {
    for (const Token& token : m_tokens) {
      if (token.key == key) return &token;
    }
    return nullptr;
  }

  bool flag(const char* key) const { return find(key) != nullptr; }

  // The unquoted text of a required field.
  const std::string& text(const char* key) const {
    const Token* token = find(key);
    if (token == nullptr) m_where.fail(std::string("missing field '") + key + "'");
    return token->value;
  }

  // A field that must not be quoted (numbers, addresses, names of enum values).
  const std::string& word(const char* key) const {
    const std::string& value = text(key);
    if (find(key)->quoted) m_where.fail(std::string(key) + ": expected an unquoted value");
    return value;
  }

  template <typename T>
  T number(const char* key) const {
    if constexpr (std::is_signed_v<T>) {
      return parse_signed<T>(m_where, key, word(key));
    } else {
      return parse_unsigned<T>(m_where, key, word(key));
    }
  }

  SramAddr sram(const char* key) const { return parse_sram(m_where, key, word(key)); }

 private:
  const Where& m_where;
  std::vector<Token> m_tokens;
};

// "img224x224:rows-3+7:ch3:k7x7:s2x2:d1x1:pad3x3:orow0:ow112:pv-3:chs0+3"; any order. Every
// part is required except pv (pad_value), which is 0 when absent, and chs (the channel slice
// channel_offset+channels), which is all of ch when absent.
ConvWindow parse_window(const Where& where, const std::string& text) {
  static const std::vector<std::string> kParts = {"img", "rows", "ch", "k",  "s",  "d",
                                                  "pad", "orow", "ow", "pv", "chs"};
  constexpr size_t kRequiredParts = 9;  // all but pv and chs
  std::vector<std::string> values(kParts.size());
  std::vector<bool> seen(kParts.size(), false);
  size_t begin = 0;
  while (begin <= text.size()) {
    size_t end = text.find(':', begin);
    if (end == std::string::npos) end = text.size();
    const std::string part = text.substr(begin, end - begin);
    size_t name_end = 0;
    while (name_end < part.size() && std::isalpha(static_cast<unsigned char>(part[name_end]))) {
      ++name_end;
    }
    const std::string name = part.substr(0, name_end);
    const auto it = std::find(kParts.begin(), kParts.end(), name);
    if (it == kParts.end()) {
      where.fail("win: unknown part '" + part + "'" + suggestion(name, kParts) +
                 "; expected img<H>x<W>:rows<first>+<count>:ch<C>:k<H>x<W>:s<H>x<W>:d<H>x<W>:"
                 "pad<top>x<left>:orow<R>:ow<W>[:pv<pad value>][:chs<first>+<count>]");
    }
    const size_t i = static_cast<size_t>(it - kParts.begin());
    if (seen[i]) where.fail("win: part '" + name + "' given twice");
    seen[i] = true;
    values[i] = part.substr(name_end);
    begin = end + 1;
  }
  for (size_t i = 0; i < kRequiredParts; ++i) {
    if (!seen[i]) where.fail("win: missing part '" + kParts[i] + "'");
  }
  ConvWindow w;
  std::tie(w.image_h, w.image_w) = parse_pair<uint32_t>(where, "win.img", values[0]);
  std::tie(w.patch_row0, w.patch_h) = parse_span<int32_t>(where, "win.rows", values[1]);
  w.patch_c = parse_unsigned<uint32_t>(where, "win.ch", values[2]);
  std::tie(w.kernel_h, w.kernel_w) = parse_pair<uint16_t>(where, "win.k", values[3]);
  std::tie(w.stride_h, w.stride_w) = parse_pair<uint16_t>(where, "win.s", values[4]);
  std::tie(w.dilation_h, w.dilation_w) = parse_pair<uint16_t>(where, "win.d", values[5]);
  std::tie(w.pad_top, w.pad_left) = parse_pair<uint16_t>(where, "win.pad", values[6]);
  w.out_row0 = parse_unsigned<uint32_t>(where, "win.orow", values[7]);
  w.out_w = parse_unsigned<uint32_t>(where, "win.ow", values[8]);
  if (seen[9]) w.pad_value = parse_signed<int16_t>(where, "win.pv", values[9]);
  if (seen[10]) {
    std::tie(w.channel_offset, w.channels) = parse_span<uint32_t>(where, "win.chs", values[10]);
    // A zero count would mean "all of ch", which is written by leaving chs out.
    if (w.channels == 0) where.fail("win.chs: the slice needs at least one channel");
    if (uint64_t{w.channel_offset} + w.channels > w.patch_c) {
      where.fail("win.chs: channels " + std::to_string(w.channel_offset) + ".." +
                 std::to_string(uint64_t{w.channel_offset} + w.channels - 1) +
                 " lie outside the patch's " + std::to_string(w.patch_c) + " channels");
    }
  }
  return w;
}

std::vector<uint32_t> parse_deps(const Where& where, const std::string& text) {
  std::vector<uint32_t> deps;
  size_t begin = 0;
  while (true) {
    const size_t end = std::min(text.find(',', begin), text.size());
    deps.push_back(parse_unsigned<uint32_t>(where, "deps", text.substr(begin, end - begin)));
    if (end == text.size()) return deps;
    begin = end + 1;
  }
}

// ---- opcodes ---------------------------------------------------------------------------------

// An N:M pattern written `N:M` with 0 < N < M (a layer's `skip`, a preload's `nm`).
void parse_nm(const Where& where, const char* key, const std::string& text, uint32_t& n,
              uint32_t& m) {
  const size_t colon = text.find(':');
  if (colon == std::string::npos)
    where.fail(std::string(key) + ": expected N:M, got '" + text + "'");
  n = parse_unsigned<uint32_t>(where, key, text.substr(0, colon), false);
  m = parse_unsigned<uint32_t>(where, key, text.substr(colon + 1), false);
  if (n == 0 || n >= m) {
    where.fail(std::string(key) + ": expected N:M with 0 < N < M, got '" + text + "'");
  }
}

enum class Kind { kLoad, kStore, kPreload, kMatmul, kVector };

struct Mnemonic {
  std::string name;
  Kind kind;
  VectorOp op = VectorOp::kCopy;
};

const std::vector<Mnemonic>& mnemonics() {
  static const std::vector<Mnemonic> table = [] {
    std::vector<Mnemonic> list = {{mnemonic(DmaLoad{}), Kind::kLoad},
                                  {mnemonic(DmaStore{}), Kind::kStore},
                                  {mnemonic(MatrixPreload{}), Kind::kPreload},
                                  {mnemonic(MatrixMultiply{}), Kind::kMatmul}};
    for (VectorOp op : kVectorOps) {
      VectorInstr v;
      v.op = op;
      list.push_back({mnemonic(v), Kind::kVector, op});
    }
    return list;
  }();
  return table;
}

const Mnemonic* find_mnemonic(const std::string& name) {
  for (const Mnemonic& m : mnemonics()) {
    if (m.name == name) return &m;
  }
  return nullptr;
}

// An optional operand printed as `key=addr` when used or `key_unused=addr` when ignored; returns
// whether it is used and leaves `addr` at its default when neither is given.
bool read_optional_sram(const Where& where, const Fields& f, const std::string& key,
                        const std::string& what, SramAddr& addr) {
  const std::string unused = key + "_unused";
  if (f.find(key) && f.find(unused)) {
    where.fail("give either " + key + " (" + what + ") or " + unused +
               " (an ignored address), not both");
  }
  if (f.find(unused)) addr = f.sram(unused.c_str());
  if (!f.find(key)) return false;
  addr = f.sram(key.c_str());
  return true;
}

Payload parse_payload(const Where& where, const Mnemonic& m, TokenIt begin, TokenIt end,
                      std::vector<uint32_t>& deps) {
  auto read_deps = [&](const Fields& fields) {
    if (const Token* token = fields.find("deps")) {
      if (token->quoted) where.fail("deps: expected an unquoted value");
      deps = parse_deps(where, token->value);
    }
  };
  switch (m.kind) {
    case Kind::kLoad: {
      const Fields f(where, begin, end,
                     {"dram", "sram", "rows", "row_bytes", "dram_stride", "sram_stride", "deps"});
      DmaLoad load;
      load.dram_addr = f.number<uint64_t>("dram");
      load.sram = f.sram("sram");
      load.rows = f.number<uint32_t>("rows");
      load.row_bytes = f.number<uint32_t>("row_bytes");
      load.dram_stride = f.number<uint64_t>("dram_stride");
      load.sram_stride = f.number<uint32_t>("sram_stride");
      read_deps(f);
      return load;
    }
    case Kind::kStore: {
      const Fields f(where, begin, end,
                     {"sram", "dram", "rows", "row_bytes", "sram_stride", "dram_stride", "deps"});
      DmaStore store;
      store.sram = f.sram("sram");
      store.dram_addr = f.number<uint64_t>("dram");
      store.rows = f.number<uint32_t>("rows");
      store.row_bytes = f.number<uint32_t>("row_bytes");
      store.sram_stride = f.number<uint32_t>("sram_stride");
      store.dram_stride = f.number<uint64_t>("dram_stride");
      read_deps(f);
      return store;
    }
    case Kind::kPreload: {
      const Fields f(where, begin, end, {"w", "k", "n", "stride", "nm", "index_bits", "deps"});
      MatrixPreload preload;
      preload.weights = f.sram("w");
      preload.k_rows = f.number<uint32_t>("k");
      preload.n_cols = f.number<uint32_t>("n");
      preload.row_stride = f.number<uint32_t>("stride");
      if (f.find("nm") != nullptr) {
        parse_nm(where, "nm", f.word("nm"), preload.compression.keep_n,
                 preload.compression.group_m);
        preload.compression.index_bits = f.number<uint32_t>("index_bits");
        if ((1ull << std::min<uint32_t>(preload.compression.index_bits, 32)) <
            preload.compression.group_m) {
          where.fail("index_bits: " + std::to_string(preload.compression.index_bits) +
                     " bits cannot number " + std::to_string(preload.compression.group_m) +
                     " positions");
        }
      } else if (f.find("index_bits") != nullptr) {
        where.fail("index_bits: only a compressed block (nm=N:M) has indices");
      }
      read_deps(f);
      return preload;
    }
    case Kind::kMatmul: {
      const Fields f(where, begin, end, {"in", "m", "k", "n", "acc", "acc_stride", "win", "deps"},
                     {"accumulate"});
      MatrixMultiply mm;
      mm.input = f.sram("in");
      if (f.word("m").find('+') != std::string::npos) {
        std::tie(mm.m_begin, mm.m_rows) = parse_span<uint32_t>(where, "m", f.word("m"));
      } else {
        mm.m_rows = f.number<uint32_t>("m");
      }
      std::tie(mm.k_begin, mm.k_rows) = parse_span<uint32_t>(where, "k", f.word("k"));
      mm.n_cols = f.number<uint32_t>("n");
      mm.acc = f.sram("acc");
      mm.acc_row_stride = f.number<uint32_t>("acc_stride");
      mm.accumulate = f.flag("accumulate");
      mm.window = parse_window(where, f.word("win"));
      read_deps(f);
      return mm;
    }
    case Kind::kVector: {
      const Fields f(
          where, begin, end,
          {"src0", "src1", "src1_unused", "params", "params_unused", "dst", "rows", "cols",
           "src_stride", "dst_stride", "src_type", "dst_type", "act", "win", "deps"});
      VectorInstr v;
      v.op = m.op;
      v.src0 = f.sram("src0");
      v.has_src1 = read_optional_sram(where, f, "src1", "an operand", v.src1);
      v.has_params = read_optional_sram(where, f, "params", "the op's constants", v.params);
      v.dst = f.sram("dst");
      v.rows = f.number<uint32_t>("rows");
      v.cols = f.number<uint32_t>("cols");
      v.src_row_stride = f.number<uint32_t>("src_stride");
      v.dst_row_stride = f.number<uint32_t>("dst_stride");
      v.src_type = parse_name(where, "src_type", f.word("src_type"), kElementTypes);
      v.dst_type = parse_name(where, "dst_type", f.word("dst_type"), kElementTypes);
      v.activation = parse_name(where, "act", f.word("act"), kActivations);
      // Windowed pooling needs its window; other ops carry one only if it is not the default.
      const bool pool = m.op == VectorOp::kMaxPool || m.op == VectorOp::kAvgPool;
      if (pool || f.find("win")) v.window = parse_window(where, f.word("win"));
      read_deps(f);
      return v;
    }
  }
  assert(!"every Kind is handled above");
  return Payload{};
}

std::vector<int64_t> parse_shape(const Where& where, const std::string& text) {
  if (text == "scalar") return {};
  std::vector<int64_t> dims;
  size_t begin = 0;
  while (true) {
    const size_t end = std::min(text.find('x', begin), text.size());
    dims.push_back(parse_signed<int64_t>(where, "shape", text.substr(begin, end - begin), false));
    if (end == text.size()) return dims;
    begin = end + 1;
  }
}

class Parser {
 public:
  explicit Parser(const std::string& source) : m_source(source) {}

  Program run(const std::string& text) {
    size_t begin = 0;
    size_t line_number = 0;
    while (begin < text.size()) {
      size_t end = text.find('\n', begin);
      if (end == std::string::npos) end = text.size();
      std::string line = text.substr(begin, end - begin);
      if (!line.empty() && line.back() == '\r') line.pop_back();
      parse_line(Where{m_source, ++line_number, ""}, line);
      begin = end + 1;
    }
    // Directives may follow the code that names them, so layers are checked once all are known.
    for (size_t i = 0; i < m_program.code.size(); ++i) {
      const uint32_t layer = m_program.code[i].layer;
      if (layer >= m_program.layers.size()) {
        Where{m_source, m_code_lines[i], ""}.fail(
            "layer @" + std::to_string(layer) + " does not exist (the program has " +
            std::to_string(m_program.layers.size()) + " .layer directives)");
      }
    }
    return std::move(m_program);
  }

 private:
  void parse_line(const Where& where, const std::string& line) {
    const std::vector<Token> tokens = tokenize(where, line);
    if (tokens.empty()) return;
    const Token& first = tokens.front();
    if (first.key == ".layer" && !first.has_value) return parse_layer(where, tokens);
    if (first.key == ".tensor" && !first.has_value) return parse_tensor(where, tokens);
    if (first.key == ".operands" && !first.has_value) {
      const Where directive{where.source, where.line, ".operands: "};
      if (tokens.size() != 2 || tokens[1].has_value) directive.fail("expected one element type");
      m_program.operand_type = parse_name(directive, "type", tokens[1].key, kElementTypes);
      return;
    }
    if (!first.key.empty() && first.key[0] == '.') {
      where.fail("unknown directive '" + first.key + "'" +
                 suggestion(first.key, {".layer", ".tensor", ".operands"}));
    }
    if (!first.has_value && !first.key.empty() &&
        std::isdigit(static_cast<unsigned char>(first.key[0]))) {
      return parse_instruction(where, tokens);
    }
    if (find_mnemonic(first.key)) {
      where.fail("'" + first.key + "' needs its index and layer first: <index> @<layer> " +
                 first.key + " ...");
    }
    where.fail("expected '<index> @<layer> <mnemonic> fields...', '.layer' or '.tensor', got '" +
               first.key + (first.has_value ? "=" + first.value : "") + "'");
  }

  void parse_layer(const Where& directive, const std::vector<Token>& tokens) {
    const Where where{directive.source, directive.line, ".layer: "};
    if (tokens.size() < 2 || tokens[1].has_value)
      where.fail("expected the layer index after .layer");
    const uint32_t index = parse_unsigned<uint32_t>(where, "index", tokens[1].key);
    if (index != m_program.layers.size()) {
      where.fail("index " + std::to_string(index) + " out of sequence (expected " +
                 std::to_string(m_program.layers.size()) + ")");
    }
    const Fields f(
        where, tokens.begin() + 2, tokens.end(),
        {"name", "op", "shape", "macs", "params", "mapping", "zero_operand_macs", "skip",
         "skip_rows", "skip_density", "precision"});
    LayerInfo layer;
    layer.name = f.text("name");
    layer.op = f.text("op");
    layer.output_shape = parse_shape(where, f.word("shape"));
    layer.macs = f.number<int64_t>("macs");
    layer.params = f.number<int64_t>("params");
    layer.mapping = f.text("mapping");
    if (f.find("zero_operand_macs")) {
      layer.zero_operand_macs = f.number<int64_t>("zero_operand_macs");
      if (layer.zero_operand_macs > layer.macs) where.fail("zero_operand_macs exceeds macs");
    }
    if (f.find("skip")) parse_nm(where, "skip", f.word("skip"), layer.skip_n, layer.skip_m);
    if (f.find("skip_rows") || f.find("skip_density")) {
      layer.skip_rows = parse_unsigned<uint32_t>(where, "skip_rows", f.word("skip_rows"), false);
      const std::string& text = f.word("skip_density");
      char* end = nullptr;
      layer.skip_density = std::strtod(text.c_str(), &end);
      if (end != text.c_str() + text.size() || !(layer.skip_density > 0) ||
          layer.skip_density > 1) {
        where.fail("skip_density: expected a density in (0, 1], got '" + text + "'");
      }
    }
    if (f.find("precision")) {
      layer.precision = parse_name(where, "precision", f.word("precision"), kElementTypes);
    }
    m_program.layers.push_back(std::move(layer));
  }

  void parse_tensor(const Where& directive, const std::vector<Token>& tokens) {
    const Where where{directive.source, directive.line, ".tensor: "};
    const Fields f(where, tokens.begin() + 1, tokens.end(), {"name", "addr", "bytes"});
    DramTensor tensor;
    tensor.name = f.text("name");
    tensor.addr = f.number<uint64_t>("addr");
    tensor.bytes = f.number<uint64_t>("bytes");
    m_program.tensors.push_back(std::move(tensor));
  }

  void parse_instruction(const Where& line, const std::vector<Token>& tokens) {
    const uint32_t index = parse_unsigned<uint32_t>(line, "instruction index", tokens[0].key);
    if (index != m_program.code.size()) {
      line.fail("instruction index " + std::to_string(index) + " out of sequence (expected " +
                std::to_string(m_program.code.size()) + ")");
    }
    if (tokens.size() < 2 || tokens[1].has_value || tokens[1].key.empty() ||
        tokens[1].key[0] != '@') {
      line.fail("expected the layer as '@<layer>' after instruction index " +
                std::to_string(index));
    }
    Instruction instruction;
    instruction.layer = parse_unsigned<uint32_t>(line, "layer", tokens[1].key.substr(1));
    if (tokens.size() < 3 || tokens[2].has_value) line.fail("expected a mnemonic after the layer");
    const std::string& name = tokens[2].key;
    const Mnemonic* m = find_mnemonic(name);
    if (m == nullptr) {
      std::vector<std::string> names;
      for (const Mnemonic& candidate : mnemonics()) names.push_back(candidate.name);
      // Activations are not opcodes but an operand of vec.act (and of the fused ops).
      const std::string vec = "vec.";
      if (name.rfind(vec, 0) == 0) {
        for (VectorActivation activation : kActivations) {
          if (name.substr(vec.size()) == to_string(activation)) {
            line.fail("unknown mnemonic '" + name +
                      "' (did you mean 'vec.act' with act=" + to_string(activation) + "?)");
          }
        }
      }
      line.fail("unknown mnemonic '" + name + "'" + suggestion(name, names));
    }
    const Where where{line.source, line.line, name + ": "};
    instruction.payload =
        parse_payload(where, *m, tokens.begin() + 3, tokens.end(), instruction.deps);

    // A stream executes in order, so deps only ever name other streams (docs/isa.md).
    const Stream stream = stream_of(instruction);
    for (size_t i = 0; i < instruction.deps.size(); ++i) {
      const uint32_t dep = instruction.deps[i];
      if (dep >= index) {
        where.fail("dependency " + std::to_string(dep) +
                   " is not an earlier instruction (this is " + std::to_string(index) + ")");
      }
      if (i > 0 && dep <= instruction.deps[i - 1]) {
        where.fail("deps must be in ascending order without repeats (" +
                   std::to_string(instruction.deps[i - 1]) + " then " + std::to_string(dep) + ")");
      }
      if (stream_of(m_program.code[dep]) == stream) {
        where.fail("dependency " + std::to_string(dep) + " is in the same stream (" +
                   to_string(stream) +
                   "); a stream runs in order, so deps may only name other streams");
      }
    }
    m_program.code.push_back(std::move(instruction));
    m_code_lines.push_back(line.line);
  }

  const std::string& m_source;
  Program m_program;
  std::vector<size_t> m_code_lines;  // source line of each instruction, for late errors
};

}  // namespace

Program parse_asm(const std::string& text, const std::string& source_name) {
  return Parser(source_name).run(text);
}

}  // namespace npu::isa
