#pragma once
// Geometry shared by the tilers and code generators: which input rows a band of output rows
// needs, clipped to the image (rows in the padding are never loaded: the array reads them as the
// window's pad_value, pooling skips them).

#include <cstdint>

#include "compiler/graph.h"
#include "isa/instruction.h"

namespace npu::compiler {

struct RowSpan {
  int64_t first = 0;  // first input row held (image coordinates)
  int64_t count = 0;  // rows held; 0 when the band sees only padding
};

// Input rows that output rows [out_row0, out_row0 + out_rows) read through `window`, within an
// image of `in_h` rows.
RowSpan input_rows_for(const Window& window, int64_t in_h, int64_t out_row0, int64_t out_rows);

// The largest number of input rows any band of `out_rows` output rows needs.
int64_t max_input_rows(const Window& window, int64_t in_h, int64_t out_rows);

// The address-generator description of a band of `out_rows` output rows starting at `out_row0`
// reading an input patch of `span` rows x in_w columns x `channels` channels through `window`.
isa::ConvWindow conv_window(const Window& window, int64_t in_h, int64_t in_w, const RowSpan& span,
                            int64_t channels, int64_t out_row0, int64_t out_w);

}  // namespace npu::compiler
