//===- SafeTensors.h - safetensors reader and writer ------------*- C++ -*-===//
//
// Part of neuropt, under the Apache License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//
//
// The safetensors format: an 8-byte little-endian header length N, N bytes
// of JSON header ({"name": {"dtype", "shape", "data_offsets": [b, e]}, ...,
// optional "__metadata__": {string: string}}), then the raw little-endian
// tensor bytes. Every malformed input gets an error that names the file.
//
//===----------------------------------------------------------------------===//

#ifndef NEUROPT_MODEL_SAFETENSORS_H
#define NEUROPT_MODEL_SAFETENSORS_H

#include "neuropt/Model/Status.h"
#include "neuropt/Model/Tensor.h"

#include <string>
#include <utility>
#include <vector>

namespace neuropt {
namespace model {

using NamedTensors = std::vector<std::pair<std::string, Tensor>>;
using Metadata = std::vector<std::pair<std::string, std::string>>;

/// The contents of a safetensors file, tensors in header order.
struct SafeTensorsFile {
  NamedTensors Tensors;
  Metadata Meta;
  /// The tensor named \p Name, or null.
  const Tensor *find(const std::string &Name) const;
};

/// Serializes to the safetensors byte layout (tensors in the given order).
std::string serializeSafeTensors(const NamedTensors &Tensors,
                                 const Metadata &Meta = {});
/// Parses safetensors bytes; errors name \p What.
StatusOr<SafeTensorsFile> parseSafeTensors(const std::string &Bytes,
                                           const std::string &What);
/// Writes \p Path atomically (temporary file, then rename).
Status writeSafeTensors(const std::string &Path, const NamedTensors &Tensors,
                        const Metadata &Meta = {});
StatusOr<SafeTensorsFile> readSafeTensors(const std::string &Path);

/// Reads a whole file; the error names the path and the OS reason.
StatusOr<std::string> readFileBytes(const std::string &Path);
/// Writes a whole file atomically.
Status writeFileBytes(const std::string &Path, const std::string &Bytes);

/// FNV-1a 64-bit hash as 16 hex digits (the hash lib/IR uses for manifests).
std::string fnv1aHex(const std::string &Bytes);

} // namespace model
} // namespace neuropt

#endif // NEUROPT_MODEL_SAFETENSORS_H
