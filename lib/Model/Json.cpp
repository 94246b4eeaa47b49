//===- Json.cpp - A small JSON value, parser and writer -------------------===//
//
// Part of neuropt, under the Apache License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//
//
// This file implements the strict JSON parser and deterministic writer used
// for safetensors headers and model cards.
//
//===----------------------------------------------------------------------===//

#include "neuropt/Model/Json.h"

#include <cmath>
#include <cstdio>
#include <cstdlib>

using namespace neuropt;
using namespace neuropt::model;

void JsonValue::set(const std::string &Key, JsonValue V) {
  assert(K == Kind::Object && "set() on a non-object");
  for (auto &M : Obj)
    if (M.first == Key) {
      M.second = std::move(V);
      return;
    }
  Obj.emplace_back(Key, std::move(V));
}

const JsonValue *JsonValue::get(const std::string &Key) const {
  if (K != Kind::Object)
    return nullptr;
  for (const auto &M : Obj)
    if (M.first == Key)
      return &M.second;
  return nullptr;
}

static void writeString(std::string &Out, const std::string &S) {
  Out += '"';
  for (unsigned char C : S) {
    switch (C) {
    case '"':
      Out += "\\\"";
      break;
    case '\\':
      Out += "\\\\";
      break;
    case '\n':
      Out += "\\n";
      break;
    case '\t':
      Out += "\\t";
      break;
    case '\r':
      Out += "\\r";
      break;
    default:
      if (C < 0x20) {
        char Buf[8];
        std::snprintf(Buf, sizeof(Buf), "\\u%04x", C);
        Out += Buf;
      } else {
        Out += static_cast<char>(C);
      }
    }
  }
  Out += '"';
}

static void writeNumber(std::string &Out, double D) {
  char Buf[32];
  if (!std::isfinite(D)) {
    // JSON has no NaN/Inf; null keeps the document valid.
    Out += "null";
    return;
  }
  if (D == std::floor(D) && std::fabs(D) < 9.007199254740992e15)
    std::snprintf(Buf, sizeof(Buf), "%lld", static_cast<long long>(D));
  else
    std::snprintf(Buf, sizeof(Buf), "%.9g", D);
  Out += Buf;
}

void JsonValue::writeTo(std::string &Out, unsigned Indent,
                        unsigned Level) const {
  auto NewLine = [&](unsigned L) {
    if (!Indent)
      return;
    Out += '\n';
    Out.append(static_cast<size_t>(L) * Indent, ' ');
  };
  switch (K) {
  case Kind::Null:
    Out += "null";
    return;
  case Kind::Bool:
    Out += BoolVal ? "true" : "false";
    return;
  case Kind::Number:
    writeNumber(Out, Num);
    return;
  case Kind::String:
    writeString(Out, Str);
    return;
  case Kind::Array:
    Out += '[';
    for (size_t I = 0; I < Arr.size(); ++I) {
      if (I)
        Out += ',';
      NewLine(Level + 1);
      Arr[I].writeTo(Out, Indent, Level + 1);
    }
    if (!Arr.empty())
      NewLine(Level);
    Out += ']';
    return;
  case Kind::Object:
    Out += '{';
    for (size_t I = 0; I < Obj.size(); ++I) {
      if (I)
        Out += ',';
      NewLine(Level + 1);
      writeString(Out, Obj[I].first);
      Out += Indent ? ": " : ":";
      Obj[I].second.writeTo(Out, Indent, Level + 1);
    }
    if (!Obj.empty())
      NewLine(Level);
    Out += '}';
    return;
  }
}

std::string JsonValue::write(unsigned Indent) const {
  std::string Out;
  writeTo(Out, Indent, 0);
  return Out;
}

namespace {
/// Recursive-descent parser; depth-limited so hostile input cannot blow the
/// stack.
class Parser {
public:
  Parser(const std::string &Text, const std::string &What)
      : Text(Text), What(What) {}

  StatusOr<JsonValue> parseDocument() {
    JsonValue V;
    if (Status S = parseValue(V, 0))
      return S;
    skipSpace();
    if (Pos != Text.size())
      return fail("unexpected trailing characters");
    return V;
  }

private:
  Status fail(const std::string &Msg) {
    return Status::error(What + ": invalid JSON at byte " +
                         std::to_string(Pos) + ": " + Msg);
  }
  void skipSpace() {
    while (Pos < Text.size() && (Text[Pos] == ' ' || Text[Pos] == '\n' ||
                                 Text[Pos] == '\t' || Text[Pos] == '\r'))
      ++Pos;
  }
  bool consume(const char *Lit) {
    size_t N = std::char_traits<char>::length(Lit);
    if (Text.compare(Pos, N, Lit) != 0)
      return false;
    Pos += N;
    return true;
  }

  Status parseValue(JsonValue &Out, unsigned Depth) {
    if (Depth > 64)
      return fail("nesting too deep");
    skipSpace();
    if (Pos >= Text.size())
      return fail("unexpected end of input");
    char C = Text[Pos];
    if (C == '{')
      return parseObject(Out, Depth);
    if (C == '[')
      return parseArray(Out, Depth);
    if (C == '"') {
      std::string S;
      if (Status E = parseString(S))
        return E;
      Out = JsonValue(std::move(S));
      return Status::success();
    }
    if (consume("true")) {
      Out = JsonValue(true);
      return Status::success();
    }
    if (consume("false")) {
      Out = JsonValue(false);
      return Status::success();
    }
    if (consume("null")) {
      Out = JsonValue();
      return Status::success();
    }
    if (C == '-' || (C >= '0' && C <= '9'))
      return parseNumber(Out);
    return fail(std::string("unexpected character '") + C + "'");
  }

  Status parseNumber(JsonValue &Out) {
    size_t Start = Pos;
    if (Text[Pos] == '-')
      ++Pos;
    auto Digits = [&] {
      size_t B = Pos;
      while (Pos < Text.size() && Text[Pos] >= '0' && Text[Pos] <= '9')
        ++Pos;
      return Pos - B;
    };
    if (!Digits())
      return fail("malformed number");
    if (Pos < Text.size() && Text[Pos] == '.') {
      ++Pos;
      if (!Digits())
        return fail("malformed number");
    }
    if (Pos < Text.size() && (Text[Pos] == 'e' || Text[Pos] == 'E')) {
      ++Pos;
      if (Pos < Text.size() && (Text[Pos] == '+' || Text[Pos] == '-'))
        ++Pos;
      if (!Digits())
        return fail("malformed number");
    }
    std::string Lit = Text.substr(Start, Pos - Start);
    Out = JsonValue(std::strtod(Lit.c_str(), nullptr));
    return Status::success();
  }

  static void appendUtf8(std::string &S, unsigned CP) {
    if (CP < 0x80) {
      S += static_cast<char>(CP);
    } else if (CP < 0x800) {
      S += static_cast<char>(0xC0 | (CP >> 6));
      S += static_cast<char>(0x80 | (CP & 0x3F));
    } else if (CP < 0x10000) {
      S += static_cast<char>(0xE0 | (CP >> 12));
      S += static_cast<char>(0x80 | ((CP >> 6) & 0x3F));
      S += static_cast<char>(0x80 | (CP & 0x3F));
    } else {
      S += static_cast<char>(0xF0 | (CP >> 18));
      S += static_cast<char>(0x80 | ((CP >> 12) & 0x3F));
      S += static_cast<char>(0x80 | ((CP >> 6) & 0x3F));
      S += static_cast<char>(0x80 | (CP & 0x3F));
    }
  }

  Status parseHex4(unsigned &CP) {
    if (Pos + 4 > Text.size())
      return fail("truncated \\u escape");
    CP = 0;
    for (int I = 0; I < 4; ++I) {
      char H = Text[Pos++];
      CP <<= 4;
      if (H >= '0' && H <= '9')
        CP |= H - '0';
      else if (H >= 'a' && H <= 'f')
        CP |= H - 'a' + 10;
      else if (H >= 'A' && H <= 'F')
        CP |= H - 'A' + 10;
      else
        return fail("bad \\u escape");
    }
    return Status::success();
  }

  Status parseString(std::string &Out) {
    ++Pos; // opening quote
    while (true) {
      if (Pos >= Text.size())
        return fail("unterminated string");
      char C = Text[Pos++];
      if (C == '"')
        return Status::success();
      if (static_cast<unsigned char>(C) < 0x20)
        return fail("control character in string");
      if (C != '\\') {
        Out += C;
        continue;
      }
      if (Pos >= Text.size())
        return fail("unterminated escape");
      char E = Text[Pos++];
      switch (E) {
      case '"':
      case '\\':
      case '/':
        Out += E;
        break;
      case 'b':
        Out += '\b';
        break;
      case 'f':
        Out += '\f';
        break;
      case 'n':
        Out += '\n';
        break;
      case 'r':
        Out += '\r';
        break;
      case 't':
        Out += '\t';
        break;
      case 'u': {
        unsigned CP = 0;
        if (Status S = parseHex4(CP))
          return S;
        if (CP >= 0xD800 && CP < 0xDC00 && Text.compare(Pos, 2, "\\u") == 0) {
          Pos += 2;
          unsigned Lo = 0;
          if (Status S = parseHex4(Lo))
            return S;
          if (Lo < 0xDC00 || Lo >= 0xE000)
            return fail("bad surrogate pair");
          CP = 0x10000 + ((CP - 0xD800) << 10) + (Lo - 0xDC00);
        }
        appendUtf8(Out, CP);
        break;
      }
      default:
        return fail(std::string("bad escape '\\") + E + "'");
      }
    }
  }

  Status parseArray(JsonValue &Out, unsigned Depth) {
    ++Pos;
    Out = JsonValue::array();
    skipSpace();
    if (Pos < Text.size() && Text[Pos] == ']') {
      ++Pos;
      return Status::success();
    }
    while (true) {
      JsonValue V;
      if (Status S = parseValue(V, Depth + 1))
        return S;
      Out.push(std::move(V));
      skipSpace();
      if (Pos >= Text.size())
        return fail("unterminated array");
      if (Text[Pos] == ',') {
        ++Pos;
        continue;
      }
      if (Text[Pos] == ']') {
        ++Pos;
        return Status::success();
      }
      return fail("expected ',' or ']'");
    }
  }

  Status parseObject(JsonValue &Out, unsigned Depth) {
    ++Pos;
    Out = JsonValue::object();
    skipSpace();
    if (Pos < Text.size() && Text[Pos] == '}') {
      ++Pos;
      return Status::success();
    }
    while (true) {
      skipSpace();
      if (Pos >= Text.size() || Text[Pos] != '"')
        return fail("expected a member name");
      std::string Key;
      if (Status S = parseString(Key))
        return S;
      if (Out.get(Key))
        return fail("duplicate member '" + Key + "'");
      skipSpace();
      if (Pos >= Text.size() || Text[Pos] != ':')
        return fail("expected ':'");
      ++Pos;
      JsonValue V;
      if (Status S = parseValue(V, Depth + 1))
        return S;
      Out.set(Key, std::move(V));
      skipSpace();
      if (Pos >= Text.size())
        return fail("unterminated object");
      if (Text[Pos] == ',') {
        ++Pos;
        continue;
      }
      if (Text[Pos] == '}') {
        ++Pos;
        return Status::success();
      }
      return fail("expected ',' or '}'");
    }
  }

  const std::string &Text;
  const std::string &What;
  size_t Pos = 0;
};
} // namespace

StatusOr<JsonValue> neuropt::model::parseJson(const std::string &Text,
                                              const std::string &What) {
  return Parser(Text, What).parseDocument();
}

StatusOr<std::string> neuropt::model::getJsonString(const JsonValue &Obj,
                                                    const std::string &Key,
                                                    const std::string &Where) {
  const JsonValue *V = Obj.get(Key);
  if (!V || !V->isString())
    return Status::error(Where + ": missing string member '" + Key + "'");
  return V->getString();
}

StatusOr<double> neuropt::model::getJsonNumber(const JsonValue &Obj,
                                               const std::string &Key,
                                               const std::string &Where) {
  const JsonValue *V = Obj.get(Key);
  if (!V || !V->isNumber())
    return Status::error(Where + ": missing numeric member '" + Key + "'");
  return V->getNumber();
}

StatusOr<int64_t> neuropt::model::getJsonInt(const JsonValue &Obj,
                                             const std::string &Key,
                                             const std::string &Where) {
  StatusOr<double> D = getJsonNumber(Obj, Key, Where);
  if (!D)
    return D.takeError();
  if (*D != std::floor(*D) || std::fabs(*D) > 9.007199254740992e15)
    return Status::error(Where + ": member '" + Key + "' is not an integer");
  return static_cast<int64_t>(*D);
}
