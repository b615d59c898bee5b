#pragma once
// Which ONNX axis each IR axis holds (docs/onnx.md, "Layout: NCHW in, NHWC in the IR"). The
// reader moves no data to bridge ONNX's NCHW and the IR's NHWC: it keeps this record for every
// tensor instead. Plain shapes and indices, no ONNX types, so it can be tested on its own.

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace npu::compiler::onnx_import {

using Shape = std::vector<int64_t>;
// layout[i] is the ONNX axis that IR axis i holds. ONNX keeps the batch first, and so does the IR,
// so layout[0] is always 0.
using Layout = std::vector<int>;

Layout identity_layout(size_t rank);
// [0, 2, 3, ..., rank-1, 1]: ONNX's channel axis (1) held last, as the IR holds feature maps.
Layout channels_last(size_t rank);
bool is_identity(const Layout& layout);
bool is_channels_last(const Layout& layout);

// "[0,2,3,1]", as error messages show a layout or a list of window extents.
std::string format_list(const Layout& layout);

// The ONNX shape of a tensor the IR holds as `held` in `layout`: its axes put back in ONNX order.
Shape onnx_order(const Shape& held, const Layout& layout);

// A tensor held as `held` in `layout`, flattened to [N, features]: entry i is the ONNX row-major
// position (batch excluded) of the feature the IR lists at position i. Empty when the two orders
// agree, as for any layout where the IR holds the axes in ONNX order.
std::vector<int64_t> flattened_feature_order(const Shape& held, const Layout& layout);

}  // namespace npu::compiler::onnx_import
