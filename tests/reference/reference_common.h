#pragma once
// Argument checks and window geometry shared by the int8 (reference_ops.cpp) and float
// (reference_float_ops.cpp) reference implementations. Internal to tests/reference.

#include <cstdint>
#include <string>
#include <vector>

#include "compiler/graph.h"
#include "sim/functional/model_data.h"

namespace npu::reference::detail {

// Throws std::invalid_argument("reference <op>: <message>").
[[noreturn]] void fail(const std::string& op, const std::string& message);

std::string shape_text(const std::vector<int64_t>& shape);

// Enough digits to tell any two float32 values apart.
std::string float_text(float value);

// Every dimension >= 1 and `count` elements, the number the shape holds.
void check_shape(const std::string& op, const std::vector<int64_t>& shape, size_t count,
                 const char* what);

// `form` names the expected layout in the message, e.g. "[N,H,W,C]".
void check_rank(const std::string& op, const functional::QTensor& t, size_t rank, const char* form);

// The output extent of a window over a [N,H,W,C] input; rejects bad geometry and a window that
// does not fit the padded input.
struct WindowShape {
  int64_t out_h = 0;
  int64_t out_w = 0;
};
WindowShape window_shape(const std::string& op, const functional::QTensor& in,
                         const compiler::Window& w);

// The number of rows of a tensor seen as [rows, C] over its last axis.
int64_t rows_of(const functional::QTensor& t);

// The output shape of a concatenation along `axis` (an index into the whole shape, batch
// included; all other dimensions equal).
std::vector<int64_t> concat_shape(const std::string& op,
                                  const std::vector<functional::QTensor>& inputs, size_t axis);

// The parts of a concatenation along `axis`: each input is, for every index of the dimensions
// before it (`outer`), one run of its extent along the axis times the dimensions after it.
struct ConcatRuns {
  int64_t outer = 1;
  std::vector<int64_t> run;  // per input, elements per outer index
};
ConcatRuns concat_runs(const std::vector<functional::QTensor>& inputs, size_t axis);

// The shape of [begin, begin + size) of `axis` of `shape`; fails when the range is past it.
std::vector<int64_t> slice_shape(const std::string& op, const std::vector<int64_t>& shape,
                                 size_t axis, int64_t begin, int64_t size);

// The elements of that slice, in order, from a row-major tensor of `shape`.
template <typename T>
std::vector<T> slice_values(const std::vector<T>& values, const std::vector<int64_t>& shape,
                            size_t axis, int64_t begin, int64_t size) {
  int64_t outer = 1, inner = 1;
  for (size_t d = 0; d < axis; ++d) outer *= shape[d];
  for (size_t d = axis + 1; d < shape.size(); ++d) inner *= shape[d];
  std::vector<T> out;
  out.reserve(static_cast<size_t>(outer * size * inner));
  for (int64_t o = 0; o < outer; ++o) {
    const auto first = values.begin() + (o * shape[axis] + begin) * inner;
    out.insert(out.end(), first, first + size * inner);
  }
  return out;
}

}  // namespace npu::reference::detail
