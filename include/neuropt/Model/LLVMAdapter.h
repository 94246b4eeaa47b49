//===- LLVMAdapter.h - Status/StatusOr to llvm::Error/Expected --*- C++ -*-===//
//
// Part of neuropt, under the Apache License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//
//
// The LLVM-side bridge for lib/Model's LLVM-free error values, so passes can
// report model problems as llvm::Error diagnostics. Only built (library
// NeuroptModelLLVM) when NEUROPT_ENABLE_LLVM is ON.
//
//===----------------------------------------------------------------------===//

#ifndef NEUROPT_MODEL_LLVMADAPTER_H
#define NEUROPT_MODEL_LLVMADAPTER_H

#include "neuropt/Model/Runner.h"
#include "neuropt/Model/Status.h"

#include "llvm/Support/Error.h"

namespace neuropt {
namespace model {

/// Converts a Status into an llvm::Error (an llvm::StringError with
/// inconvertible_error_code on failure, success otherwise).
llvm::Error toLLVMError(Status S);

/// Converts a StatusOr<T> into an llvm::Expected<T>.
template <typename T> llvm::Expected<T> toExpected(StatusOr<T> V) {
  if (!V)
    return toLLVMError(V.takeError());
  return std::move(*V);
}

/// Parses the value of -neuropt-device as an llvm::Expected.
llvm::Expected<Device> parseDeviceOption(llvm::StringRef S);

} // namespace model
} // namespace neuropt

#endif // NEUROPT_MODEL_LLVMADAPTER_H
