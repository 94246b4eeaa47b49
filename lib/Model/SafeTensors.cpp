//===- SafeTensors.cpp - safetensors reader and writer --------------------===//
//
// Part of neuropt, under the Apache License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//
//
// This file implements the safetensors format with strict validation:
// header bounds, JSON, dtypes, shapes, offsets inside the data section and
// sizes that agree with the shapes. It also holds the file helpers and the
// FNV-1a hash shared by the model card code.
//
//===----------------------------------------------------------------------===//

#include "neuropt/Model/SafeTensors.h"
#include "neuropt/Model/Json.h"

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>

using namespace neuropt;
using namespace neuropt::model;

/// Headers above this size are rejected before allocating (the format's
/// reference implementation uses the same 100 MB limit).
static constexpr uint64_t MaxHeaderBytes = 100u << 20;

std::string neuropt::model::fnv1aHex(const std::string &Bytes) {
  uint64_t H = 0xcbf29ce484222325ULL;
  for (unsigned char C : Bytes) {
    H ^= C;
    H *= 0x100000001b3ULL;
  }
  char Buf[17];
  std::snprintf(Buf, sizeof(Buf), "%016llx", static_cast<unsigned long long>(H));
  return Buf;
}

StatusOr<std::string> neuropt::model::readFileBytes(const std::string &Path) {
  std::FILE *F = std::fopen(Path.c_str(), "rb");
  if (!F)
    return Status::error(Path + ": cannot open: " + std::strerror(errno));
  std::string Bytes;
  char Buf[1 << 16];
  size_t N;
  while ((N = std::fread(Buf, 1, sizeof(Buf), F)) > 0)
    Bytes.append(Buf, N);
  bool Err = std::ferror(F);
  std::fclose(F);
  if (Err)
    return Status::error(Path + ": read error");
  return Bytes;
}

Status neuropt::model::writeFileBytes(const std::string &Path,
                                      const std::string &Bytes) {
  std::string Tmp = Path + ".tmp";
  std::FILE *F = std::fopen(Tmp.c_str(), "wb");
  if (!F)
    return Status::error(Path + ": cannot create: " + std::strerror(errno));
  bool Ok = std::fwrite(Bytes.data(), 1, Bytes.size(), F) == Bytes.size();
  Ok &= std::fclose(F) == 0;
  if (!Ok) {
    std::remove(Tmp.c_str());
    return Status::error(Path + ": write failed");
  }
  if (std::rename(Tmp.c_str(), Path.c_str()) != 0) {
    std::remove(Tmp.c_str());
    return Status::error(Path + ": cannot rename into place: " +
                         std::strerror(errno));
  }
  return Status::success();
}

const Tensor *SafeTensorsFile::find(const std::string &Name) const {
  for (const auto &NT : Tensors)
    if (NT.first == Name)
      return &NT.second;
  return nullptr;
}

std::string neuropt::model::serializeSafeTensors(const NamedTensors &Tensors,
                                                 const Metadata &Meta) {
  JsonValue Header = JsonValue::object();
  if (!Meta.empty()) {
    JsonValue M = JsonValue::object();
    for (const auto &KV : Meta)
      M.set(KV.first, KV.second);
    Header.set("__metadata__", M);
  }
  uint64_t Offset = 0;
  for (const auto &NT : Tensors) {
    JsonValue E = JsonValue::object();
    E.set("dtype", dtypeName(NT.second.dtype()));
    JsonValue Shape = JsonValue::array();
    for (int64_t D : NT.second.shape())
      Shape.push(D);
    E.set("shape", Shape);
    JsonValue Off = JsonValue::array();
    Off.push(Offset);
    Offset += NT.second.byteSize();
    Off.push(Offset);
    E.set("data_offsets", Off);
    Header.set(NT.first, E);
  }
  std::string H = Header.write();
  // Pad with spaces so the data section starts 8-byte aligned.
  while ((H.size() + 8) % 8)
    H += ' ';
  std::string Out;
  uint64_t Len = H.size();
  for (int I = 0; I < 8; ++I)
    Out += char((Len >> (8 * I)) & 0xFF);
  Out += H;
  // Host is little-endian (x86-64 and every CUDA host), as the format is.
  for (const auto &NT : Tensors)
    Out.append(static_cast<const char *>(NT.second.rawData()),
               NT.second.byteSize());
  return Out;
}

StatusOr<SafeTensorsFile>
neuropt::model::parseSafeTensors(const std::string &Bytes,
                                 const std::string &What) {
  auto Fail = [&](const std::string &M) {
    return Status::error(What + ": " + M);
  };
  if (Bytes.size() < 8)
    return Fail("truncated safetensors file (" + std::to_string(Bytes.size()) +
                " bytes, the header length alone needs 8)");
  uint64_t Len = 0;
  for (int I = 0; I < 8; ++I)
    Len |= uint64_t(static_cast<unsigned char>(Bytes[I])) << (8 * I);
  if (Len > MaxHeaderBytes)
    return Fail("header length " + std::to_string(Len) +
                " is implausible (corrupt file?)");
  if (Len > Bytes.size() - 8)
    return Fail("truncated safetensors file: header needs " +
                std::to_string(Len) + " bytes but only " +
                std::to_string(Bytes.size() - 8) + " follow");
  StatusOr<JsonValue> Header =
      parseJson(Bytes.substr(8, Len), What + " (safetensors header)");
  if (!Header)
    return Header.takeError();
  if (!Header->isObject())
    return Fail("safetensors header is not a JSON object");
  uint64_t DataStart = 8 + Len, DataLen = Bytes.size() - DataStart;
  SafeTensorsFile File;
  std::vector<std::pair<uint64_t, uint64_t>> Ranges;
  for (const auto &M : Header->getObject()) {
    const std::string &Name = M.first;
    if (Name == "__metadata__") {
      if (!M.second.isObject())
        return Fail("__metadata__ is not an object");
      for (const auto &KV : M.second.getObject()) {
        if (!KV.second.isString())
          return Fail("__metadata__ value for '" + KV.first +
                      "' is not a string");
        File.Meta.emplace_back(KV.first, KV.second.getString());
      }
      continue;
    }
    std::string Where = "tensor '" + Name + "'";
    if (!M.second.isObject())
      return Fail(Where + " is not an object");
    const JsonValue *DT = M.second.get("dtype");
    DType Ty;
    if (!DT || !DT->isString())
      return Fail(Where + " has no dtype");
    if (!parseDType(DT->getString(), Ty))
      return Fail(Where + " has unsupported dtype '" + DT->getString() + "'");
    const JsonValue *Sh = M.second.get("shape");
    if (!Sh || !Sh->isArray())
      return Fail(Where + " has no shape");
    std::vector<int64_t> Shape;
    uint64_t Numel = 1;
    for (const JsonValue &D : Sh->getArray()) {
      if (!D.isNumber() || D.getNumber() < 0 || D.getNumber() > 4.0e9 ||
          D.getNumber() != double(int64_t(D.getNumber())))
        return Fail(Where + " has an invalid dimension");
      Shape.push_back(int64_t(D.getNumber()));
      Numel *= uint64_t(Shape.back());
      if (Numel > (uint64_t(1) << 40))
        return Fail(Where + " is implausibly large");
    }
    const JsonValue *Off = M.second.get("data_offsets");
    if (!Off || !Off->isArray() || Off->getArray().size() != 2 ||
        !Off->getArray()[0].isNumber() || !Off->getArray()[1].isNumber())
      return Fail(Where + " has no valid data_offsets");
    double B = Off->getArray()[0].getNumber(),
           E = Off->getArray()[1].getNumber();
    if (B < 0 || E < B || E > double(DataLen))
      return Fail(Where + " has data_offsets [" + std::to_string(uint64_t(B)) +
                  ", " + std::to_string(uint64_t(E)) +
                  "] outside the data section of " + std::to_string(DataLen) +
                  " bytes (truncated file?)");
    uint64_t Begin = uint64_t(B), End = uint64_t(E);
    if (End - Begin != Numel * dtypeSize(Ty))
      return Fail(Where + " with shape " + shapeToString(Shape) + " and dtype " +
                  dtypeName(Ty) + " needs " +
                  std::to_string(Numel * dtypeSize(Ty)) + " bytes but has " +
                  std::to_string(End - Begin));
    Ranges.emplace_back(Begin, End);
    Tensor T(Ty, Shape);
    if (End > Begin)
      std::memcpy(T.rawData(), Bytes.data() + DataStart + Begin, End - Begin);
    File.Tensors.emplace_back(Name, std::move(T));
  }
  std::sort(Ranges.begin(), Ranges.end());
  for (size_t I = 1; I < Ranges.size(); ++I)
    if (Ranges[I].first < Ranges[I - 1].second)
      return Fail("tensor data ranges overlap (corrupt header)");
  return File;
}

Status neuropt::model::writeSafeTensors(const std::string &Path,
                                        const NamedTensors &Tensors,
                                        const Metadata &Meta) {
  return writeFileBytes(Path, serializeSafeTensors(Tensors, Meta));
}

StatusOr<SafeTensorsFile>
neuropt::model::readSafeTensors(const std::string &Path) {
  StatusOr<std::string> Bytes = readFileBytes(Path);
  if (!Bytes)
    return Bytes.takeError();
  return parseSafeTensors(*Bytes, Path);
}
