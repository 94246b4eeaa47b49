//===- Status.h - LLVM-free error values for the model runtime -*- C++ -*-===//
//
// Part of neuropt, under the Apache License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//
//
// lib/Model must build without LLVM (the GPU machine has none), so it cannot
// return llvm::Error. Status and StatusOr<T> carry the same information (a
// message naming the file and the problem) and follow llvm::Error's
// convention: a Status converts to true when it holds an error. The LLVM
// side converts them with neuropt/Model/LLVMAdapter.h.
//
//===----------------------------------------------------------------------===//

#ifndef NEUROPT_MODEL_STATUS_H
#define NEUROPT_MODEL_STATUS_H

#include <cassert>
#include <optional>
#include <string>
#include <utility>

namespace neuropt {
namespace model {

/// Success, or an error with a human-readable message.
class Status {
public:
  Status() = default;
  /// Returns a success value.
  static Status success() { return Status(); }
  /// Returns an error carrying \p Message.
  static Status error(std::string Message) {
    Status S;
    S.Failed = true;
    S.Message = std::move(Message);
    return S;
  }
  /// True when this holds an error (the llvm::Error convention).
  explicit operator bool() const { return Failed; }
  const std::string &message() const { return Message; }

private:
  bool Failed = false;
  std::string Message;
};

/// A value of type T, or the error that prevented computing it.
template <typename T> class StatusOr {
public:
  StatusOr(T V) : Value(std::move(V)) {}
  StatusOr(Status E) : Err(std::move(E)) {
    assert(Err && "StatusOr built from a success Status");
  }
  /// True when a value is present.
  explicit operator bool() const { return Value.has_value(); }
  T &operator*() { return *Value; }
  const T &operator*() const { return *Value; }
  T *operator->() { return &*Value; }
  const T *operator->() const { return &*Value; }
  /// The error; only meaningful when no value is present.
  const Status &status() const { return Err; }
  Status takeError() { return std::move(Err); }

private:
  std::optional<T> Value;
  Status Err;
};

} // namespace model
} // namespace neuropt

#endif // NEUROPT_MODEL_STATUS_H
