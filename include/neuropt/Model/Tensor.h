//===- Tensor.h - Typed, shaped, row-major tensors --------------*- C++ -*-===//
//
// Part of neuropt, under the Apache License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//
//
// The tensor of lib/Model: an element type (float32 for training, int8 and
// int32 for the deployed integer path, int64 for raw counts), a shape and
// contiguous row-major storage. It is a value type; kernels work on the raw
// pointers it hands out.
//
//===----------------------------------------------------------------------===//

#ifndef NEUROPT_MODEL_TENSOR_H
#define NEUROPT_MODEL_TENSOR_H

#include <cassert>
#include <cstdint>
#include <cstring>
#include <string>
#include <type_traits>
#include <vector>

namespace neuropt {
namespace model {

/// Element types, named as in safetensors.
enum class DType : uint8_t { F32, I8, I32, I64 };

/// Bytes per element.
inline size_t dtypeSize(DType T) {
  switch (T) {
  case DType::I8:
    return 1;
  case DType::F32:
  case DType::I32:
    return 4;
  case DType::I64:
    return 8;
  }
  return 0;
}

/// The safetensors spelling ("F32", "I8", "I32", "I64").
const char *dtypeName(DType T);
/// Parses a safetensors dtype name; false when unsupported.
bool parseDType(const std::string &Name, DType &Out);

template <typename T> constexpr DType dtypeOf();
template <> constexpr DType dtypeOf<float>() { return DType::F32; }
template <> constexpr DType dtypeOf<int8_t>() { return DType::I8; }
template <> constexpr DType dtypeOf<int32_t>() { return DType::I32; }
template <> constexpr DType dtypeOf<int64_t>() { return DType::I64; }

/// A dense row-major tensor that owns its storage (8-byte aligned).
class Tensor {
public:
  Tensor() = default;
  /// A zero-filled tensor.
  Tensor(DType Ty, std::vector<int64_t> Shape)
      : Ty(Ty), Shape(std::move(Shape)) {
    Storage.assign((byteSize() + 7) / 8, 0);
  }
  /// A tensor holding a copy of \p Values, which must match \p Shape.
  template <typename T>
  static Tensor fromVector(std::vector<int64_t> Shape,
                           const std::vector<T> &Values) {
    Tensor R(dtypeOf<T>(), std::move(Shape));
    assert(size_t(R.numel()) == Values.size() && "shape/value mismatch");
    if (!Values.empty())
      std::memcpy(R.rawData(), Values.data(), Values.size() * sizeof(T));
    return R;
  }

  DType dtype() const { return Ty; }
  const std::vector<int64_t> &shape() const { return Shape; }
  size_t rank() const { return Shape.size(); }
  int64_t dim(size_t I) const { return Shape[I]; }
  int64_t numel() const {
    int64_t N = 1;
    for (int64_t D : Shape)
      N *= D;
    return N;
  }
  size_t byteSize() const { return size_t(numel()) * dtypeSize(Ty); }

  template <typename T> T *data() {
    assert(dtypeOf<T>() == Ty && "tensor dtype mismatch");
    return reinterpret_cast<T *>(Storage.data());
  }
  template <typename T> const T *data() const {
    assert(dtypeOf<T>() == Ty && "tensor dtype mismatch");
    return reinterpret_cast<const T *>(Storage.data());
  }
  void *rawData() { return Storage.data(); }
  const void *rawData() const { return Storage.data(); }

  /// Copies the elements out as a vector.
  template <typename T> std::vector<T> toVector() const {
    const T *P = data<T>();
    return std::vector<T>(P, P + numel());
  }

  /// Renders the shape as "[2, 3]" for diagnostics.
  std::string shapeString() const;

private:
  DType Ty = DType::F32;
  std::vector<int64_t> Shape;
  std::vector<uint64_t> Storage;
};

/// Renders any shape as "[2, 3]".
std::string shapeToString(const std::vector<int64_t> &Shape);

} // namespace model
} // namespace neuropt

#endif // NEUROPT_MODEL_TENSOR_H
