#include "tests/reference/reference_common.h"

#include <iomanip>
#include <sstream>
#include <stdexcept>

namespace npu::reference::detail {
namespace {

// floor((in + pad_before + pad_after - dilation (kernel - 1) - 1) / stride) + 1
// (docs/workloads.md).
int64_t window_extent(int64_t in, int kernel, int stride, int dilation, int pad_before,
                      int pad_after) {
  const int64_t span = in + pad_before + pad_after - int64_t{dilation} * (kernel - 1) - 1;
  const int64_t steps = span >= 0 ? span / stride : -((-span + stride - 1) / stride);
  return steps + 1;
}

}  // namespace

void fail(const std::string& op, const std::string& message) {
  throw std::invalid_argument("reference " + op + ": " + message);
}

std::string shape_text(const std::vector<int64_t>& shape) { return compiler::format_shape(shape); }

std::string float_text(float value) {
  std::ostringstream text;
  text << std::setprecision(9) << value;
  return text.str();
}

void check_shape(const std::string& op, const std::vector<int64_t>& shape, size_t count,
                 const char* what) {
  bool positive = !shape.empty();
  for (int64_t dim : shape) positive = positive && dim >= 1;
  if (!positive) fail(op, std::string(what) + " has shape " + shape_text(shape));
  if (static_cast<size_t>(compiler::element_count(shape)) != count) {
    fail(op, std::string(what) + " has shape " + shape_text(shape) + " but " +
                 std::to_string(count) + " values");
  }
}

void check_rank(const std::string& op, const functional::QTensor& t, size_t rank,
                const char* form) {
  if (t.shape.size() != rank) {
    fail(op,
         "needs a " + std::to_string(rank) + "-D input " + form + ", got " + shape_text(t.shape));
  }
}

WindowShape window_shape(const std::string& op, const functional::QTensor& in,
                         const compiler::Window& w) {
  if (w.kernel_h < 1 || w.kernel_w < 1 || w.stride_h < 1 || w.stride_w < 1 || w.dilation_h < 1 ||
      w.dilation_w < 1 || w.pad_top < 0 || w.pad_bottom < 0 || w.pad_left < 0 || w.pad_right < 0) {
    fail(op, "kernel, stride and dilation must be >= 1 and padding >= 0");
  }
  const WindowShape shape{
      window_extent(in.shape[1], w.kernel_h, w.stride_h, w.dilation_h, w.pad_top, w.pad_bottom),
      window_extent(in.shape[2], w.kernel_w, w.stride_w, w.dilation_w, w.pad_left, w.pad_right)};
  if (shape.out_h < 1 || shape.out_w < 1) {
    fail(op, "the window does not fit the padded input " + shape_text(in.shape));
  }
  return shape;
}

int64_t rows_of(const functional::QTensor& t) {
  return compiler::element_count(t.shape) / t.shape.back();
}

std::vector<int64_t> concat_shape(const std::string& op,
                                  const std::vector<functional::QTensor>& inputs, size_t axis) {
  if (inputs.empty()) fail(op, "needs at least one input");
  const std::vector<int64_t>& first = inputs.front().shape;
  if (axis >= first.size()) fail(op, "axis " + std::to_string(axis) + " is out of range");
  std::vector<int64_t> shape = first;
  for (size_t i = 1; i < inputs.size(); ++i) {
    const std::vector<int64_t>& other = inputs[i].shape;
    bool fits = other.size() == first.size();
    for (size_t d = 0; fits && d < first.size(); ++d) fits = d == axis || other[d] == first[d];
    if (!fits) {
      fail(op, "joins along axis " + std::to_string(axis) +
                   ", so all other dimensions must be equal, got " + shape_text(first) + " and " +
                   shape_text(other));
    }
    shape[axis] += other[axis];
  }
  return shape;
}

std::vector<int64_t> slice_shape(const std::string& op, const std::vector<int64_t>& shape,
                                 size_t axis, int64_t begin, int64_t size) {
  if (axis >= shape.size()) fail(op, "axis " + std::to_string(axis) + " is out of range");
  if (begin < 0 || size < 1 || begin + size > shape[axis]) {
    fail(op, "[" + std::to_string(begin) + ", " + std::to_string(begin + size) +
                 ") is past axis " + std::to_string(axis) + " of " + shape_text(shape));
  }
  std::vector<int64_t> out = shape;
  out[axis] = size;
  return out;
}

ConcatRuns concat_runs(const std::vector<functional::QTensor>& inputs, size_t axis) {
  ConcatRuns runs;
  const std::vector<int64_t>& first = inputs.front().shape;
  for (size_t d = 0; d < axis; ++d) runs.outer *= first[d];
  int64_t inner = 1;
  for (size_t d = axis + 1; d < first.size(); ++d) inner *= first[d];
  for (const functional::QTensor& t : inputs) runs.run.push_back(t.shape[axis] * inner);
  return runs;
}

}  // namespace npu::reference::detail
