//===- Tensor.cpp - Typed, shaped, row-major tensors ----------------------===//
//
// Part of neuropt, under the Apache License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//
//
// This file implements dtype names and shape rendering for Tensor.
//
//===----------------------------------------------------------------------===//

#include "neuropt/Model/Tensor.h"

using namespace neuropt::model;

const char *neuropt::model::dtypeName(DType T) {
  switch (T) {
  case DType::F32:
    return "F32";
  case DType::I8:
    return "I8";
  case DType::I32:
    return "I32";
  case DType::I64:
    return "I64";
  }
  return "?";
}

bool neuropt::model::parseDType(const std::string &Name, DType &Out) {
  for (DType T : {DType::F32, DType::I8, DType::I32, DType::I64})
    if (Name == dtypeName(T)) {
      Out = T;
      return true;
    }
  return false;
}

std::string neuropt::model::shapeToString(const std::vector<int64_t> &Shape) {
  std::string S = "[";
  for (size_t I = 0; I < Shape.size(); ++I) {
    if (I)
      S += ", ";
    S += std::to_string(Shape[I]);
  }
  return S + "]";
}

std::string Tensor::shapeString() const { return shapeToString(Shape); }
