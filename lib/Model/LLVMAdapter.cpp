//===- LLVMAdapter.cpp - Status/StatusOr to llvm::Error/Expected ----------===//
//
// Part of neuropt, under the Apache License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//
//
// This file implements the conversion of lib/Model errors to llvm::Error.
//
//===----------------------------------------------------------------------===//

#include "neuropt/Model/LLVMAdapter.h"

using namespace neuropt;
using namespace neuropt::model;

llvm::Error neuropt::model::toLLVMError(Status S) {
  if (!S)
    return llvm::Error::success();
  return llvm::createStringError(llvm::inconvertibleErrorCode(), S.message());
}

llvm::Expected<Device> neuropt::model::parseDeviceOption(llvm::StringRef S) {
  return toExpected(parseDevice(S.str()));
}
