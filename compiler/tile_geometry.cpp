#include "compiler/tile_geometry.h"

#include <algorithm>

namespace npu::compiler {

RowSpan input_rows_for(const Window& window, int64_t in_h, int64_t out_row0, int64_t out_rows) {
  const int64_t lo = out_row0 * window.stride_h - window.pad_top;
  const int64_t hi = (out_row0 + out_rows - 1) * window.stride_h - window.pad_top +
                     int64_t{window.kernel_h - 1} * window.dilation_h;
  const int64_t first = std::max<int64_t>(lo, 0);
  const int64_t last = std::min<int64_t>(hi, in_h - 1);
  if (last < first) return {first, 0};
  return {first, last - first + 1};
}

int64_t max_input_rows(const Window& window, int64_t in_h, int64_t out_rows) {
  // Unclipped span of a band; clipping only shrinks it.
  const int64_t span = (out_rows - 1) * window.stride_h + int64_t{window.kernel_h - 1} * window.dilation_h + 1;
  return std::min(span, in_h);
}

isa::ConvWindow conv_window(const Window& window, int64_t in_h, int64_t in_w, const RowSpan& span,
                            int64_t channels, int64_t out_row0, int64_t out_w) {
  isa::ConvWindow w;
  w.image_h = static_cast<uint32_t>(in_h);
  w.image_w = static_cast<uint32_t>(in_w);
  w.patch_row0 = static_cast<int32_t>(span.first);
  w.patch_h = static_cast<uint32_t>(span.count);
  w.patch_c = static_cast<uint32_t>(channels);
  w.kernel_h = static_cast<uint16_t>(window.kernel_h);
  w.kernel_w = static_cast<uint16_t>(window.kernel_w);
  w.stride_h = static_cast<uint16_t>(window.stride_h);
  w.stride_w = static_cast<uint16_t>(window.stride_w);
  w.dilation_h = static_cast<uint16_t>(window.dilation_h);
  w.dilation_w = static_cast<uint16_t>(window.dilation_w);
  w.pad_top = static_cast<uint16_t>(window.pad_top);
  w.pad_left = static_cast<uint16_t>(window.pad_left);
  w.out_row0 = static_cast<uint32_t>(out_row0);
  w.out_w = static_cast<uint32_t>(out_w);
  return w;
}

}  // namespace npu::compiler
