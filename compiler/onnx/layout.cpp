#include "compiler/onnx/layout.h"

#include "compiler/graph.h"

namespace npu::compiler::onnx_import {

Layout identity_layout(size_t rank) {
  Layout layout(rank);
  for (size_t i = 0; i < rank; ++i) layout[i] = static_cast<int>(i);
  return layout;
}

Layout channels_last(size_t rank) {
  Layout layout = {0};
  for (size_t i = 2; i < rank; ++i) layout.push_back(static_cast<int>(i));
  layout.push_back(1);
  return layout;
}

bool is_identity(const Layout& layout) { return layout == identity_layout(layout.size()); }

bool is_channels_last(const Layout& layout) {
  return layout.size() >= 3 && layout == channels_last(layout.size());
}

std::string format_list(const Layout& layout) {
  return format_shape(Shape(layout.begin(), layout.end()));
}

Shape onnx_order(const Shape& held, const Layout& layout) {
  Shape shape(held.size());
  for (size_t i = 0; i < held.size(); ++i) shape[static_cast<size_t>(layout[i])] = held[i];
  return shape;
}

std::vector<int64_t> flattened_feature_order(const Shape& held, const Layout& layout) {
  if (is_identity(layout)) return {};
  const Shape onnx = onnx_order(held, layout);
  const size_t rank = held.size();
  Shape stride(rank, 1);  // ONNX strides, batch excluded
  for (size_t a = rank - 1; a > 1; --a) stride[a - 1] = stride[a] * onnx[a];
  std::vector<int64_t> order;
  Shape index(rank, 0);
  const int64_t features = element_count(held) / held[0];
  bool same = true;
  for (int64_t i = 0; i < features; ++i) {
    int64_t position = 0;
    for (size_t j = 1; j < rank; ++j) position += index[j] * stride[static_cast<size_t>(layout[j])];
    order.push_back(position);
    same = same && position == i;
    for (size_t j = rank - 1; j >= 1; --j) {  // next IR index, row-major
      if (++index[j] < held[j]) break;
      index[j] = 0;
    }
  }
  return same ? std::vector<int64_t>{} : order;
}

}  // namespace npu::compiler::onnx_import
