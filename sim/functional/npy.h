#pragma once
// NumPy .npy files, the tensor format of the functional mode: `--data DIR` holds one .npy per
// tensor and outputs are written as .npy. Only what a quantized model needs is supported: C-order,
// little-endian arrays of int8, uint8, int32, int64, float32 and float64, any rank (0-D included).
//
// Format (numpy.lib.format): "\x93NUMPY", major and minor version bytes, the header length
// (uint16 LE in 1.0, uint32 LE in 2.0 and 3.0), then the header: a Python dict literal such as
// "{'descr': '<i4', 'fortran_order': False, 'shape': (2, 3), }" (latin-1 in 1.0/2.0, utf-8 in 3.0)
// padded with spaces and a final '\n'; the raw element data follows. Reading accepts all three
// versions; writing produces the same bytes numpy.save does (1.0, or 2.0 when the header does not
// fit in 64 KiB). Every problem with a file is an npu::UserError naming the file.

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace npu::functional {

enum class NpyType { kInt8, kUint8, kInt32, kInt64, kFloat32, kFloat64 };

// "int8", "float32", ... as numpy names the dtype.
const char* to_string(NpyType type);
size_t item_size(NpyType type);

// The NpyType of a C++ element type; defined only for the six supported types, so as<T>() and
// write_npy of any other type does not compile.
template <typename T>
struct NpyTypeOf;
template <>
struct NpyTypeOf<int8_t> {
  static constexpr NpyType value = NpyType::kInt8;
};
template <>
struct NpyTypeOf<uint8_t> {
  static constexpr NpyType value = NpyType::kUint8;
};
template <>
struct NpyTypeOf<int32_t> {
  static constexpr NpyType value = NpyType::kInt32;
};
template <>
struct NpyTypeOf<int64_t> {
  static constexpr NpyType value = NpyType::kInt64;
};
template <>
struct NpyTypeOf<float> {
  static constexpr NpyType value = NpyType::kFloat32;
};
template <>
struct NpyTypeOf<double> {
  static constexpr NpyType value = NpyType::kFloat64;
};

struct NpyArray;

namespace detail {
// Converts every element of `array` to `target`, writing element_count() values to `out`.
void convert_elements(const NpyArray& array, NpyType target, void* out);
// write_npy of `count` elements; a count that does not match the shape is a caller bug.
void write_npy_elements(const std::string& path, NpyType type, const std::vector<int64_t>& shape,
                        const void* data, size_t count);
}  // namespace detail

struct NpyArray {
  NpyType type = NpyType::kInt8;
  std::vector<int64_t> shape;  // empty: a scalar (one element)
  std::vector<uint8_t> bytes;  // element_count() * item_size(type) bytes, C order, little-endian
  std::string path;            // the file it came from, named in conversion errors

  int64_t element_count() const;

  // The elements converted to T, in C order. Throws UserError naming the file and the element when
  // a value does not survive the conversion: a fraction, NaN or infinity to an integer type, a
  // value out of T's range, or an integer or float64 that T cannot represent exactly.
  template <typename T>
  std::vector<T> as() const {
    std::vector<T> values(static_cast<size_t>(element_count()));
    detail::convert_elements(*this, NpyTypeOf<T>::value, values.data());
    return values;
  }
};

NpyArray read_npy(const std::string& path);

// `data` holds the product of `shape` elements of `type`, C order, in this (little-endian) host's
// byte order.
void write_npy(const std::string& path, NpyType type, const std::vector<int64_t>& shape,
               const void* data);

// `values.size()` must equal the product of `shape` (std::logic_error otherwise).
template <typename T>
void write_npy(const std::string& path, const std::vector<int64_t>& shape,
               const std::vector<T>& values) {
  detail::write_npy_elements(path, NpyTypeOf<T>::value, shape, values.data(), values.size());
}

}  // namespace npu::functional
