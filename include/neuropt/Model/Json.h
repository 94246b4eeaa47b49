//===- Json.h - A small JSON value, parser and writer -----------*- C++ -*-===//
//
// Part of neuropt, under the Apache License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//
//
// safetensors headers and model cards are JSON. lib/Model cannot use
// llvm::json (it builds without LLVM), so this is a minimal, strict RFC 8259
// implementation: objects keep insertion order, so writing is deterministic.
//
//===----------------------------------------------------------------------===//

#ifndef NEUROPT_MODEL_JSON_H
#define NEUROPT_MODEL_JSON_H

#include "neuropt/Model/Status.h"

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

namespace neuropt {
namespace model {

/// A JSON value. Objects are ordered lists of members.
class JsonValue {
public:
  enum class Kind { Null, Bool, Number, String, Array, Object };

  JsonValue() = default;
  JsonValue(bool B) : K(Kind::Bool), BoolVal(B) {}
  JsonValue(double D) : K(Kind::Number), Num(D) {}
  JsonValue(int V) : K(Kind::Number), Num(V) {}
  JsonValue(unsigned V) : K(Kind::Number), Num(V) {}
  JsonValue(int64_t V) : K(Kind::Number), Num(static_cast<double>(V)) {}
  JsonValue(uint64_t V) : K(Kind::Number), Num(static_cast<double>(V)) {}
  JsonValue(const char *S) : K(Kind::String), Str(S) {}
  JsonValue(std::string S) : K(Kind::String), Str(std::move(S)) {}

  static JsonValue array() {
    JsonValue V;
    V.K = Kind::Array;
    return V;
  }
  static JsonValue object() {
    JsonValue V;
    V.K = Kind::Object;
    return V;
  }

  Kind kind() const { return K; }
  bool isNull() const { return K == Kind::Null; }
  bool isBool() const { return K == Kind::Bool; }
  bool isNumber() const { return K == Kind::Number; }
  bool isString() const { return K == Kind::String; }
  bool isArray() const { return K == Kind::Array; }
  bool isObject() const { return K == Kind::Object; }

  bool getBool() const { return BoolVal; }
  double getNumber() const { return Num; }
  const std::string &getString() const { return Str; }
  const std::vector<JsonValue> &getArray() const { return Arr; }
  std::vector<JsonValue> &getArray() { return Arr; }
  const std::vector<std::pair<std::string, JsonValue>> &getObject() const {
    return Obj;
  }

  /// Appends to an array.
  void push(JsonValue V) { Arr.push_back(std::move(V)); }
  /// Sets (or replaces) an object member, keeping first-insertion order.
  void set(const std::string &Key, JsonValue V);
  /// Returns the member named \p Key, or null when absent or not an object.
  const JsonValue *get(const std::string &Key) const;

  /// Renders compact JSON (no whitespace) when \p Indent is 0, otherwise
  /// pretty-printed with that many spaces per level.
  std::string write(unsigned Indent = 0) const;

private:
  void writeTo(std::string &Out, unsigned Indent, unsigned Level) const;

  Kind K = Kind::Null;
  bool BoolVal = false;
  double Num = 0;
  std::string Str;
  std::vector<JsonValue> Arr;
  std::vector<std::pair<std::string, JsonValue>> Obj;
};

/// Parses \p Text as one JSON document. Errors name \p What (usually the
/// file) and the byte offset of the problem.
StatusOr<JsonValue> parseJson(const std::string &Text,
                              const std::string &What = "JSON");

/// Typed member access with errors that name \p Where and the key.
StatusOr<std::string> getJsonString(const JsonValue &Obj, const std::string &Key,
                                    const std::string &Where);
StatusOr<double> getJsonNumber(const JsonValue &Obj, const std::string &Key,
                               const std::string &Where);
StatusOr<int64_t> getJsonInt(const JsonValue &Obj, const std::string &Key,
                             const std::string &Where);

} // namespace model
} // namespace neuropt

#endif // NEUROPT_MODEL_JSON_H
