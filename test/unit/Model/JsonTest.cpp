//===- JsonTest.cpp - The small JSON parser and writer --------------------===//
//
// Part of neuropt, under the Apache License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//

#include "neuropt/Model/Json.h"

#include "gtest/gtest.h"

using namespace neuropt::model;

TEST(JsonTest, RoundTrip) {
  std::string Text =
      R"({"a":1,"b":[true,false,null],"c":"x\"y\\z\n","d":{"e":-2.5e3}})";
  StatusOr<JsonValue> V = parseJson(Text);
  ASSERT_TRUE(V) << V.status().message();
  EXPECT_EQ(V->get("a")->getNumber(), 1);
  EXPECT_EQ(V->get("b")->getArray().size(), 3u);
  EXPECT_TRUE(V->get("b")->getArray()[2].isNull());
  EXPECT_EQ(V->get("c")->getString(), "x\"y\\z\n");
  EXPECT_EQ(V->get("d")->get("e")->getNumber(), -2500);
  EXPECT_EQ(V->write(), R"({"a":1,"b":[true,false,null],"c":"x\"y\\z\n","d":{"e":-2500}})");
  StatusOr<JsonValue> Again = parseJson(V->write(2));
  ASSERT_TRUE(Again);
  EXPECT_EQ(Again->write(), V->write());
}

TEST(JsonTest, UnicodeEscapes) {
  StatusOr<JsonValue> V = parseJson(R"("\u00e9\ud83d\ude00")");
  ASSERT_TRUE(V);
  EXPECT_EQ(V->getString(), "\xc3\xa9\xf0\x9f\x98\x80");
}

TEST(JsonTest, Errors) {
  for (const char *Bad :
       {"", "{", "[1,]", "{\"a\" 1}", "tru", "\"abc", "{\"a\":1,\"a\":2}",
        "1 2", "01x", "[1e]", "\"\\q\"", "{\"a\":-}"}) {
    StatusOr<JsonValue> V = parseJson(Bad, "test.json");
    EXPECT_FALSE(V) << "accepted: " << Bad;
    if (!V) {
      EXPECT_NE(V.status().message().find("test.json"), std::string::npos);
    }
  }
  std::string Deep(100, '[');
  EXPECT_FALSE(parseJson(Deep + std::string(100, ']')));
}
