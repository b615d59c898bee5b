#include "isa/asm_printer.h"

#include <algorithm>
#include <cinttypes>
#include <cstdio>
#include <variant>
#include <vector>

namespace npu::isa {
namespace {

// A printed line before alignment: fixed leading columns, then one cell per column of its kind
// (empty when an optional field is absent, so later fields still line up), then a comment.
struct Row {
  std::string lead;   // ".layer 3", ".tensor", or the instruction's index
  std::string layer;  // "@3" (instructions only)
  std::string name;   // the mnemonic (instructions only)
  int kind = 0;       // rows of one kind share column widths
  std::vector<std::string> cells;
  std::string comment;
};

// Kinds 0..4 follow the Payload variant; directives come after.
constexpr int kLayerKind = static_cast<int>(std::variant_size_v<Payload>);
constexpr int kTensorKind = kLayerKind + 1;
constexpr int kKindCount = kTensorKind + 1;

std::string hex(uint64_t value) {
  char buffer[24];
  std::snprintf(buffer, sizeof buffer, "0x%" PRIx64, value);
  return buffer;
}

std::string field(const char* key, const std::string& value) {
  return std::string(key) + "=" + value;
}
std::string field(const char* key, uint64_t value) { return field(key, std::to_string(value)); }

std::string sram(const SramAddr& addr) {
  return std::string(to_string(addr.buffer)) + "+" + hex(addr.offset);
}

std::string pair(uint64_t h, uint64_t w) { return std::to_string(h) + "x" + std::to_string(w); }

std::string span(int64_t begin, uint64_t count) {
  return std::to_string(begin) + "+" + std::to_string(count);
}

std::string window(const ConvWindow& w) {
  return "win=img" + pair(w.image_h, w.image_w) + ":rows" + span(w.patch_row0, w.patch_h) + ":ch" +
         std::to_string(w.patch_c) +
         (w.channels != 0 ? ":chs" + span(w.channel_offset, w.channels) : "") + ":k" + pair(w.kernel_h, w.kernel_w) + ":s" +
         pair(w.stride_h, w.stride_w) + ":d" + pair(w.dilation_h, w.dilation_w) + ":pad" +
         pair(w.pad_top, w.pad_left) + ":orow" + std::to_string(w.out_row0) + ":ow" +
         std::to_string(w.out_w) + (w.pad_value != 0 ? ":pv" + std::to_string(w.pad_value) : "");
}

std::string deps(const std::vector<uint32_t>& deps) {
  if (deps.empty()) return "";
  std::string text = "deps=";
  for (size_t i = 0; i < deps.size(); ++i) text += (i ? "," : "") + std::to_string(deps[i]);
  return text;
}

// Control bytes would break the line structure; everything else is printed verbatim.
std::string escape(const std::string& text, bool quotes) {
  std::string out;
  for (unsigned char c : text) {
    if (quotes && (c == '"' || c == '\\')) {
      out += '\\';
      out += static_cast<char>(c);
    } else if (c == '\n') {
      out += "\\n";
    } else if (c == '\t') {
      out += "\\t";
    } else if (c == '\r') {
      out += "\\r";
    } else if (c < 0x20 || c == 0x7f) {
      char buffer[8];
      std::snprintf(buffer, sizeof buffer, "\\x%02x", c);
      out += buffer;
    } else {
      out += static_cast<char>(c);
    }
  }
  return out;
}

// "key=addr" for an operand the instruction uses, "key_unused=addr" for an address it ignores
// that is not the default, else nothing.
std::string optional_sram(const std::string& key, const SramAddr& addr, bool used) {
  if (used) return field(key.c_str(), sram(addr));
  if (!(addr == SramAddr{})) return field((key + "_unused").c_str(), sram(addr));
  return "";
}

bool is_windowed_pool(VectorOp op) { return op == VectorOp::kMaxPool || op == VectorOp::kAvgPool; }

struct CellVisitor {
  std::vector<std::string> operator()(const DmaLoad& l) const {
    return {field("dram", hex(l.dram_addr)),
            field("sram", sram(l.sram)),
            field("rows", l.rows),
            field("row_bytes", l.row_bytes),
            field("dram_stride", l.dram_stride),
            field("sram_stride", l.sram_stride)};
  }
  std::vector<std::string> operator()(const DmaStore& s) const {
    return {field("sram", sram(s.sram)),
            field("dram", hex(s.dram_addr)),
            field("rows", s.rows),
            field("row_bytes", s.row_bytes),
            field("sram_stride", s.sram_stride),
            field("dram_stride", s.dram_stride)};
  }
  std::vector<std::string> operator()(const MatrixPreload& p) const {
    const NmCompression& c = p.compression;
    return {field("w", sram(p.weights)),
            field("k", p.k_rows),
            field("n", p.n_cols),
            field("stride", p.row_stride),
            c.compressed() ? field("nm", std::to_string(c.keep_n) + ":" + std::to_string(c.group_m))
                           : "",
            c.compressed() ? field("index_bits", c.index_bits) : ""};
  }
  std::vector<std::string> operator()(const MatrixMultiply& m) const {
    return {field("in", sram(m.input)),
            // A multiply starting at row 0, the usual case, prints just its row count.
            field("m", m.m_begin != 0 ? span(m.m_begin, m.m_rows) : std::to_string(m.m_rows)),
            field("k", span(m.k_begin, m.k_rows)),
            field("n", m.n_cols),
            field("acc", sram(m.acc)),
            field("acc_stride", m.acc_row_stride),
            m.accumulate ? "accumulate" : ""};
  }
  std::vector<std::string> operator()(const VectorInstr& v) const {
    // A src1 the instruction does not use is printed only when it is not the default, so the text
    // stays lossless without cluttering every unary op.
    // The same goes for a parameter address without has_params.
    return {field("src0", sram(v.src0)),
            optional_sram("src1", v.src1, v.has_src1),
            optional_sram("params", v.params, v.has_params),
            field("dst", sram(v.dst)),
            field("rows", v.rows),
            field("cols", v.cols),
            field("src_stride", v.src_row_stride),
            field("dst_stride", v.dst_row_stride),
            field("src_type", to_string(v.src_type)),
            field("dst_type", to_string(v.dst_type)),
            field("act", to_string(v.activation))};
  }
};

// The convolution window goes last, after deps: it is long, and a line without one then ends
// early instead of leaving a gap before deps.
std::string window_cell(const Payload& payload) {
  if (const auto* mm = std::get_if<MatrixMultiply>(&payload)) return window(mm->window);
  if (const auto* v = std::get_if<VectorInstr>(&payload)) {
    // Only pooling reads the window; other ops print it only when it is not the default, which
    // keeps the text lossless without cluttering every element-wise op.
    if (is_windowed_pool(v->op) || !(v->window == ConvWindow{})) return window(v->window);
  }
  return "";
}

Row instruction_row(const Instruction& instruction, uint32_t index, const Program& program) {
  Row row;
  row.lead = std::to_string(index);
  row.layer = "@" + std::to_string(instruction.layer);
  row.name = mnemonic(instruction.payload);
  row.kind = static_cast<int>(instruction.payload.index());
  row.cells = std::visit(CellVisitor{}, instruction.payload);
  row.cells.push_back(deps(instruction.deps));
  row.cells.push_back(window_cell(instruction.payload));
  row.comment = instruction.layer < program.layers.size()
                    ? escape(program.layers[instruction.layer].name, false)
                    : "(no such layer)";
  return row;
}

std::string shape(const std::vector<int64_t>& dims) {
  if (dims.empty()) return "scalar";
  std::string text;
  for (size_t i = 0; i < dims.size(); ++i) text += (i ? "x" : "") + std::to_string(dims[i]);
  return text;
}

Row layer_row(const LayerInfo& layer, size_t index) {
  Row row;
  row.lead = std::to_string(index);
  row.kind = kLayerKind;
  row.cells = {field("name", quote(layer.name)),
               field("op", quote(layer.op)),
               field("shape", shape(layer.output_shape)),
               field("macs", std::to_string(layer.macs)),
               field("params", std::to_string(layer.params)),
               field("mapping", quote(layer.mapping))};
  // Only a sparse layer says so, which keeps dense programs' text as it was.
  if (layer.zero_operand_macs != 0) {
    row.cells.push_back(field("zero_operand_macs", std::to_string(layer.zero_operand_macs)));
  }
  if (layer.skip_m != 0) {
    row.cells.push_back(
        field("skip", std::to_string(layer.skip_n) + ":" + std::to_string(layer.skip_m)));
  }
  if (layer.skip_rows != 0) {
    char density[32];
    std::snprintf(density, sizeof density, "%.17g", layer.skip_density);  // reads back exactly
    row.cells.push_back(field("skip_rows", std::to_string(layer.skip_rows)));
    row.cells.push_back(field("skip_density", density));
  }
  if (layer.precision) row.cells.push_back(field("precision", to_string(*layer.precision)));
  return row;
}

Row tensor_row(const DramTensor& tensor) {
  Row row;
  row.kind = kTensorKind;
  row.cells = {field("name", quote(tensor.name)), field("addr", hex(tensor.addr)),
               field("bytes", tensor.bytes)};
  return row;
}

std::string padded(const std::string& text, size_t width, bool right_align = false) {
  if (text.size() >= width) return text;
  const std::string fill(width - text.size(), ' ');
  return right_align ? fill + text : text + fill;
}

// Lays the rows out in columns: the leading columns across all rows, each field column across
// the rows of one kind. Separators are single spaces between fields and two between the leading
// columns. The comment follows the last field: lines of one kind that end in the same field then
// have their comments aligned too, while a long optional field (a window) does not push the
// comments of every other line far to the right.
std::vector<std::string> render(const std::vector<Row>& rows) {
  size_t lead_width = 0, layer_width = 0, name_width = 0;
  std::vector<std::vector<size_t>> cell_width(kKindCount);
  for (const Row& row : rows) {
    lead_width = std::max(lead_width, row.lead.size());
    layer_width = std::max(layer_width, row.layer.size());
    name_width = std::max(name_width, row.name.size());
    auto& widths = cell_width[row.kind];
    widths.resize(std::max(widths.size(), row.cells.size()), 0);
    for (size_t i = 0; i < row.cells.size(); ++i)
      widths[i] = std::max(widths[i], row.cells[i].size());
  }
  std::vector<std::string> lines;
  for (const Row& row : rows) {
    std::string line;
    if (row.kind == kLayerKind) {
      line = ".layer " + padded(row.lead, lead_width, true);
    } else if (row.kind == kTensorKind) {
      line = ".tensor";
    } else {
      line = padded(row.lead, lead_width, true) + "  " + padded(row.layer, layer_width) + "  " +
             padded(row.name, name_width);
    }
    const auto& widths = cell_width[row.kind];
    for (size_t i = 0; i < row.cells.size(); ++i) {
      if (widths[i] != 0) line += " " + padded(row.cells[i], widths[i]);
    }
    line.erase(line.find_last_not_of(' ') + 1);
    if (!row.comment.empty()) line += "  ; " + row.comment;
    lines.push_back(std::move(line));
  }
  return lines;
}

std::string count(size_t n, const std::string& noun) {
  return std::to_string(n) + " " + noun + (n == 1 ? "" : "s");
}

}  // namespace

std::string quote(const std::string& text) { return "\"" + escape(text, true) + "\""; }

std::string mnemonic(const Payload& payload) {
  struct Visitor {
    std::string operator()(const DmaLoad&) const { return "load.dma"; }
    std::string operator()(const DmaStore&) const { return "store.dma"; }
    std::string operator()(const MatrixPreload&) const { return "mx.preload"; }
    std::string operator()(const MatrixMultiply&) const { return "mx.matmul"; }
    std::string operator()(const VectorInstr& v) const {
      return std::string("vec.") + to_string(v.op);
    }
  };
  return std::visit(Visitor{}, payload);
}

std::string to_asm(const Instruction& instruction, uint32_t index, const Program& program) {
  return render({instruction_row(instruction, index, program)}).front();
}

std::string to_asm(const Program& program) {
  std::string text = "; npusim assembly: " + count(program.layers.size(), "layer") + ", " +
                     count(program.tensors.size(), "DRAM tensor") + ", " +
                     count(program.code.size(), "instruction") + "\n";
  // int8 programs, the common case, leave it out.
  if (program.operand_type != ElementType::kInt8) {
    text += std::string(".operands ") + to_string(program.operand_type) + "\n";
  }
  // Directives and code are rendered separately so that code columns do not depend on them.
  std::vector<Row> directives;
  for (size_t i = 0; i < program.layers.size(); ++i)
    directives.push_back(layer_row(program.layers[i], i));
  for (const DramTensor& tensor : program.tensors) directives.push_back(tensor_row(tensor));
  for (const std::string& line : render(directives)) text += line + "\n";

  std::vector<Row> code;
  for (size_t i = 0; i < program.code.size(); ++i) {
    code.push_back(instruction_row(program.code[i], static_cast<uint32_t>(i), program));
  }
  if (!code.empty()) text += "\n";
  for (const std::string& line : render(code)) text += line + "\n";
  return text;
}

}  // namespace npu::isa
