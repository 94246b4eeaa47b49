//===- SameFunctionTest.cpp - Unit tests for isSameFunction ----------------===//
//
// Part of neuropt, under the Apache License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//

#include "neuropt/IR/SameFunction.h"
#include "IRTestUtil.h"
#include "neuropt/IR/InlineHelpers.h"

#include "llvm/IR/LLVMContext.h"

#include <tuple>

using namespace llvm;
using namespace neuropt;

namespace {

/// @f of \p A against @f of \p B, each in its own module of one context.
bool same(StringRef A, StringRef B) {
  static LLVMContext Ctx; // One context, as in the pass.
  std::unique_ptr<Module> MA = parseIR(Ctx, A), MB = parseIR(Ctx, B);
  if (!MA || !MB)
    return false;
  return isSameFunction(*MA->getFunction("f"), *MB->getFunction("f"));
}

/// Whether @f of \p Tgt is @f of \p Src with promises dropped.
bool drops(StringRef Src, StringRef Tgt) {
  static LLVMContext Ctx;
  std::unique_ptr<Module> MA = parseIR(Ctx, Src), MB = parseIR(Ctx, Tgt);
  EXPECT_TRUE(MA && MB) << "does not parse";
  if (!MA || !MB)
    return false;
  return dropsPromisesOnly(*MA->getFunction("f"), *MB->getFunction("f"));
}

/// \p Text with the first \p From replaced by \p To (which must be there).
std::string replaced(StringRef Text, StringRef From, StringRef To) {
  std::string S = Text.str();
  size_t P = S.find(From.str());
  EXPECT_NE(P, std::string::npos) << From.str();
  if (P != std::string::npos)
    S.replace(P, From.size(), To.str());
  return S;
}

/// \p IR parsed and printed again: what the parser kept of it.
std::string parseIRTextOf(StringRef IR) {
  LLVMContext Ctx;
  std::unique_ptr<Module> M = parseIR(Ctx, IR);
  return M ? printModule(*M) : std::string();
}

const char *Base = R"IR(
@g = internal global [2 x i32] [i32 1, i32 2]
declare i32 @ext(i32)
define i32 @f(i32 %x, i1 %c) {
entry:
  br i1 %c, label %a, label %b
a:
  %p = getelementptr inbounds [2 x i32], ptr @g, i64 0, i64 1
  %v = load i32, ptr %p, align 4, !range !0
  br label %b
b:
  %m = phi i32 [ %v, %a ], [ %x, %entry ]
  %s = add nsw i32 %m, 7
  %r = call i32 @ext(i32 %s) #0
  ret i32 %r
}
attributes #0 = { nounwind }
!0 = !{i32 0, i32 10}
)IR";

TEST(SameFunction, IdenticalCodeInTwoModulesIsSame) {
  EXPECT_TRUE(same(Base, Base));
  // Value names and unrelated globals do not matter.
  std::string Renamed = Base;
  for (size_t P = 0; (P = Renamed.find("%s ", P)) != std::string::npos; P += 4)
    Renamed.replace(P, 3, "%sum ");
  for (size_t P = 0; (P = Renamed.find("%s)", P)) != std::string::npos; P += 4)
    Renamed.replace(P, 2, "%sum");
  EXPECT_TRUE(same(Base, "@other = global i8 0\n" + Renamed));
}

TEST(SameFunction, EverySemanticDifferenceIsSeen) {
  auto Changed = [](StringRef From, StringRef To) {
    return replaced(Base, From, To);
  };
  EXPECT_FALSE(same(Base, Changed("add nsw", "add")));         // flags
  EXPECT_FALSE(same(Base, Changed("i32 %m, 7", "i32 %m, 8"))); // constant
  EXPECT_FALSE(same(Base, Changed("i32 %m, 7", "i32 %x, 7"))); // operand
  EXPECT_FALSE(same(Base, Changed("[ %v, %a ], [ %x, %entry ]",
                                  "[ %x, %a ], [ %v, %entry ]")));
  EXPECT_FALSE(same(Base, Changed("i64 0, i64 1", "i64 0, i64 0")));
  EXPECT_FALSE(same(Base, Changed("align 4, !range !0", "align 4")));
  EXPECT_FALSE(same(Base, Changed("@ext(i32 %s) #0", "@ext(i32 %s)")));
  EXPECT_FALSE(same(Base, Changed("define i32 @f(i32 %x", "define i32 @f(i32 noundef %x")));
  EXPECT_FALSE(same(Base, Changed("br i1 %c, label %a, label %b",
                                  "br i1 %c, label %b, label %a")));
  // A global of the same name in each module is the same global; a global
  // of another name is not.
  EXPECT_FALSE(same(Base, Changed("ptr @g,", "ptr @h,") +
                              "@h = internal global [2 x i32] zeroinitializer\n"));
}

TEST(SameFunction, DebugAssignmentIDsAreIgnored) {
  // clang -g tags stores with distinct !DIAssignID nodes, so two copies of
  // one function never share them; they carry no meaning. (Without debug
  // info in the module the parser would drop them.)
  auto WithDebugInfo = [](StringRef Store) {
    return (R"IR(
define void @f(ptr %p, i32 %x) !dbg !4 {
  )IR" + Store + R"IR(
  ret void, !dbg !8
}
!llvm.dbg.cu = !{!0}
!llvm.module.flags = !{!2, !3}
!0 = distinct !DICompileUnit(language: DW_LANG_C11, file: !1, emissionKind: FullDebug)
!1 = !DIFile(filename: "t.c", directory: "/")
!2 = !{i32 2, !"Debug Info Version", i32 3}
!3 = !{i32 7, !"debug-info-assignment-tracking", i1 true}
!4 = distinct !DISubprogram(name: "f", scope: !1, file: !1, line: 1, type: !5, unit: !0, spFlags: DISPFlagDefinition)
!5 = !DISubroutineType(types: !6)
!6 = !{null}
!7 = distinct !DIAssignID()
!8 = !DILocation(line: 1, scope: !4)
!9 = !{i32 1}
)IR")
        .str();
  };
  std::string Tagged =
      WithDebugInfo("store i32 %x, ptr %p, align 4, !DIAssignID !7");
  std::string Plain = WithDebugInfo("store i32 %x, ptr %p, align 4");
  ASSERT_NE(parseIRTextOf(Tagged).find("!DIAssignID"), std::string::npos);
  EXPECT_TRUE(same(Tagged, Tagged));
  EXPECT_TRUE(same(Tagged, Plain));
  // Other metadata still counts.
  EXPECT_FALSE(same(Tagged, WithDebugInfo("store i32 %x, ptr %p, align 4, "
                                          "!DIAssignID !7, !nontemporal !9")));
}

/// A source full of promises, and the same code with one change.
const char *Promising = R"IR(
@g = internal global [2 x i32] [i32 1, i32 2]
declare i32 @ext(ptr, i32)
define noundef i32 @f(ptr noundef nonnull align 4 %p, i32 %x, i8 zeroext %z) #1 {
entry:
  %q = getelementptr inbounds nuw [2 x i32], ptr @g, i64 0, i64 1
  %v = load i32, ptr %q, align 4, !range !0, !noundef !1
  %s = add nuw nsw i32 %v, %x
  %t = shl nsw i32 %s, 1
  %a = alloca i32, align 8
  store i32 %t, ptr %a, align 8
  %r = tail call i32 @ext(ptr nonnull %a, i32 noundef %t) #0
  ret i32 %r
}
attributes #0 = { nounwind }
attributes #1 = { nounwind minsize "denormal-fp-math"="preserve-sign" }
!0 = !{i32 0, i32 10}
!1 = !{}
)IR";

std::string changed(StringRef From, StringRef To) {
  return replaced(Promising, From, To);
}

TEST(SameFunction, DroppingPromisesRefines) {
  EXPECT_TRUE(drops(Promising, Promising));
  // Each promise the target drops: flags, metadata, attributes of the
  // function, its parameters, its return value and its calls, a load or
  // store's alignment, the tail marker.
  for (auto [From, To] : std::vector<std::pair<StringRef, StringRef>>{
           {"add nuw nsw", "add nsw"},
           {"add nuw nsw", "add"},
           {"shl nsw", "shl"},
           {"inbounds nuw [2", "[2"},
           {", !range !0, !noundef !1", ""},
           {", !range !0, !noundef !1", ", !noundef !1"},
           {"define noundef i32", "define i32"},
           {"ptr noundef nonnull align 4 %p", "ptr %p"},
           {"ptr nonnull %a", "ptr %a"},
           {"@ext(ptr nonnull %a, i32 noundef %t) #0", "@ext(ptr %a, i32 %t)"},
           {"{ nounwind minsize \"", "{ \""},
           {"load i32, ptr %q, align 4", "load i32, ptr %q, align 1"},
           {"store i32 %t, ptr %a, align 8", "store i32 %t, ptr %a, align 4"},
           {"tail call", "call"}})
    EXPECT_TRUE(drops(Promising, changed(From, To))) << From.str() << " -> "
                                                     << To.str();
  // An internal callee's calling convention, with all its calls' (globalopt
  // makes such callees fastcc): the calls do the same with any.
  const char *Fast = "define internal fastcc i32 @g(i32 %x) {\n ret i32 %x\n}\n"
                     "define i32 @f(i32 %x) {\n %r = call fastcc i32 @g(i32 "
                     "%x)\n ret i32 %r\n}\n";
  auto Slow = [&](StringRef Def) {
    return replaced(replaced(Fast, Def, "define internal i32"), "call fastcc",
                    "call");
  };
  EXPECT_TRUE(drops(Fast, Slow("define internal fastcc i32")));
  // Not a call's alone (it would be undefined), nor an exported callee's.
  EXPECT_FALSE(drops(Fast, replaced(Fast, "call fastcc", "call")));
  EXPECT_FALSE(drops(replaced(Fast, "internal fastcc", "fastcc"),
                     replaced(Slow("define internal fastcc i32"),
                              "define internal i32", "define i32")));
}

TEST(SameFunction, AddingPromisesOrChangingMeaningDoesNotRefine) {
  // The same weakenings the other way round: the target promises more.
  for (auto [From, To] : std::vector<std::pair<StringRef, StringRef>>{
           {"shl nsw", "shl nuw nsw"},
           {", !range !0, !noundef !1", ", !range !0, !noundef !1, !invariant.load !1"},
           {"define noundef i32", "define noundef range(i32 0, 5) i32"},
           {"i32 %x, i8", "i32 noundef %x, i8"},
           {"@ext(ptr nonnull %a", "@ext(ptr nonnull noalias %a"},
           {"load i32, ptr %q, align 4", "load i32, ptr %q, align 8"},
           {"%r = tail call", "%r = notail call"},
           {"{ nounwind minsize \"", "{ nounwind minsize willreturn \""},
           // Not promises: an ABI attribute, a string attribute that
           // changes meaning, an alloca's alignment.
           {"i8 zeroext %z", "i8 %z"},
           {" \"denormal-fp-math\"=\"preserve-sign\"", ""},
           {"alloca i32, align 8", "alloca i32, align 4"},
           // Any other change.
           {"add nuw nsw i32 %v, %x", "add nuw nsw i32 %x, %v"},
           {"shl nsw i32 %s, 1", "shl nsw i32 %s, 2"},
           {"i64 0, i64 1", "i64 0, i64 0"}})
    EXPECT_FALSE(drops(Promising, changed(From, To))) << From.str() << " -> "
                                                      << To.str();
  // An attribute that makes the source more defined cannot be dropped.
  EXPECT_FALSE(drops(changed("{ nounwind", "{ null_pointer_is_valid nounwind"),
                     Promising));
  // Dropping from the source is no refinement of it either.
  EXPECT_FALSE(drops(changed("shl nsw", "shl"), Promising));
  EXPECT_FALSE(drops(changed("tail call", "call"), Promising));
}

// Struct types in byval, an alloca, GEPs (an instruction and a constant),
// a store of a constant and a call's signature.
const char *Structs = R"IR(
%struct.S = type { i32, [2 x i8], ptr }
%struct.P = type <{ i8, i32 }>
@gs = global %struct.S zeroinitializer
declare void @use(ptr byval(%struct.S) align 8, %struct.P)
define i32 @f(ptr %q, i64 %i) {
  %a = alloca %struct.S, align 8
  %p = getelementptr inbounds %struct.S, ptr %a, i64 %i, i32 1, i64 1
  store i8 1, ptr %p, align 1
  store %struct.P zeroinitializer, ptr %q, align 1
  call void @use(ptr byval(%struct.S) align 8 %a, %struct.P <{ i8 1, i32 2 }>)
  %v = load i32, ptr getelementptr inbounds (%struct.S, ptr @gs, i64 1, i32 0)
  ret i32 %v
}
)IR";

// A module read into a context that has its struct types already gets
// renamed copies of them (%struct.S.0), as the pass's candidates do: the
// same types up to their names. A struct with another body is another type.
TEST(SameFunction, StructsAreComparedByTheirBodies) {
  LLVMContext Ctx;
  std::unique_ptr<Module> MA = parseIR(Ctx, Structs),
                          MB = parseIR(Ctx, Structs);
  ASSERT_TRUE(MA && MB);
  Type *SA = MA->getGlobalVariable("gs")->getValueType(),
       *SB = MB->getGlobalVariable("gs")->getValueType();
  ASSERT_NE(SA, SB);
  EXPECT_NE(SB->getStructName(), "struct.S");
  EXPECT_TRUE(isSameType(SA, SB));
  EXPECT_TRUE(isSameFunction(*MA->getFunction("f"), *MB->getFunction("f")));
  EXPECT_TRUE(dropsPromisesOnly(*MA->getFunction("f"), *MB->getFunction("f")));
  for (auto [From, To] : std::vector<std::pair<StringRef, StringRef>>{
           {"{ i32, [2 x i8], ptr }", "{ i32, [3 x i8], ptr }"},
           {"{ i32, [2 x i8], ptr }", "{ i32, [2 x i8], ptr, i8 }"},
           {"{ i32, [2 x i8], ptr }", "<{ i32, [2 x i8], ptr }>"},
           {"{ i32, [2 x i8], ptr }", "{ i32, <2 x i8>, ptr }"},
           {"<{ i8, i32 }>", "{ i8, i32 }"}}) {
    std::string Text = replaced(Structs, From, To);
    if (From.starts_with("<")) // the constant of that type, unpacked too
      Text = replaced(Text, "<{ i8 1, i32 2 }>", "{ i8 1, i32 2 }");
    std::unique_ptr<Module> MC = parseIR(Ctx, Text);
    ASSERT_TRUE(MC) << To.str();
    EXPECT_FALSE(isSameFunction(*MA->getFunction("f"), *MC->getFunction("f")))
        << From.str() << " -> " << To.str();
    EXPECT_FALSE(
        dropsPromisesOnly(*MA->getFunction("f"), *MC->getFunction("f")))
        << From.str() << " -> " << To.str();
  }
  // Literal structs are uniqued by their elements; an identified struct
  // with the same elements is still another type, and so is an opaque one.
  StructType *Lit =
      StructType::get(Ctx, ArrayRef<Type *>{Type::getInt8Ty(Ctx)});
  StructType *Named = StructType::create(Ctx, {Type::getInt8Ty(Ctx)}, "n");
  EXPECT_FALSE(isSameType(Lit, Named));
  EXPECT_FALSE(
      isSameType(StructType::create(Ctx, "o1"), StructType::create(Ctx, "o2")));
  // Type attributes are compared by isSameType too.
  EXPECT_TRUE(isSameAttribute(Attribute::getWithByValType(Ctx, SA),
                              Attribute::getWithByValType(Ctx, SB)));
  EXPECT_FALSE(isSameAttribute(Attribute::getWithByValType(Ctx, SA),
                               Attribute::getWithStructRetType(Ctx, SB)));
}

const char *Globals = R"IR(
@ext = global i32 1, align 4
@int = internal global [2 x i32] [i32 1, i32 2]
@ro = internal constant i32 7
@.str = private unnamed_addr constant [3 x i8] c"ab\00"
@al = alias i32, ptr @ext
@llvm.used = appending global [1 x ptr] [ptr @int], section "llvm.metadata"
@other = external global i32
declare i32 @lib(i32)
define i32 @f() {
  %v = load i32, ptr @ext
  %w = call i32 @k()
  %u = call i32 @lib(i32 %w)
  ret i32 %v
}
define internal i32 @h() {
  ret i32 0
}
define internal i32 @k() {
  ret i32 1
}
)IR";

/// moduleDifference of \p Globals changed as said against Globals, as
/// text: "" if none, "wrong: WHY" or "unknown: WHY".
std::string moduleDiff(StringRef From, StringRef To) {
  LLVMContext Ctx;
  std::unique_ptr<Module> R = parseIR(Ctx, Globals),
                          T = parseIR(Ctx, replaced(Globals, From, To));
  EXPECT_TRUE(R && T) << To.str();
  if (!R || !T)
    return "no module";
  std::optional<ModuleDifference> D = moduleDifference(*R, *T);
  return D ? (D->Wrong ? "wrong: " : "unknown: ") + D->Why : "";
}

// What the function checks leave out: the globals' initial values and the
// definitions other modules see. Internal ones may go, or come (checked
// where they are used); a constant may become a variable.
TEST(SameFunction, ModuleDifferences) {
  for (auto [From, To] : std::vector<std::pair<StringRef, StringRef>>{
           {"@llvm.used", "@llvm.used"},
           {"define internal i32 @h() {\n  ret i32 0\n}", ""},
           {"define internal i32 @h()", "define internal i32 @h2()"},
           {"@ro = internal constant", "@ro = internal global"},
           {"i32 1, align 4", "i32 1, align 8"},
           {"@ext = global", "@ext = dso_local global"},
           {"@.str = private", "@.str = internal"},
           // An internal function's calling convention, with its calls'.
           {"define internal i32 @h()", "define internal fastcc i32 @h()"},
           {"call i32 @k()\n  %u = call i32 @lib(i32 %w)\n  ret i32 %v\n}\n"
            "define internal i32 @h() {\n  ret i32 0\n}\ndefine internal i32 "
            "@k()",
            "call fastcc i32 @k()\n  %u = call i32 @lib(i32 %w)\n  ret i32 "
            "%v\n}\ndefine internal i32 @h() {\n  ret i32 0\n}\ndefine "
            "internal fastcc i32 @k()"}})
    EXPECT_EQ(moduleDiff(From, To), "") << From.str() << " -> " << To.str();
  for (auto [From, To, Why] :
       std::vector<std::tuple<StringRef, StringRef, StringRef>>{
           {"global i32 1", "global i32 2",
            "unknown: initial value or attributes of @ext"},
           {"i32 1, i32 2]", "i32 1, i32 3]",
            "unknown: initial value or attributes of @int"},
           {"c\"ab\\00\"", "c\"ac\\00\"",
            "unknown: initial value or attributes of @.str"},
           {"@int = internal global", "@int = internal constant",
            "unknown: initial value or attributes of @int"},
           {"i32 1, align 4", "i32 1, align 2",
            "unknown: initial value or attributes of @ext"},
           {", section \"llvm.metadata\"", "",
            "unknown: initial value or attributes of @llvm.used"},
           {"@ext = global", "@ext = internal global",
            "wrong: linkage of @ext"},
           {"@ext = global", "@ext = hidden global", "wrong: linkage of @ext"},
           {"@ext = global", "@ext = weak global", "wrong: linkage of @ext"},
           {"@other = external global i32", "declare i32 @other()",
            "unknown: kind of @other"},
           // Another file's symbol instead of the internal one.
           {"define internal i32 @k() {\n  ret i32 1\n}", "declare i32 @k()",
            "wrong: declares @k, which -Oz defines internally"},
           // One without the other: the call would be undefined.
           {"define internal i32 @k()", "define internal fastcc i32 @k()",
            "unknown: calling convention of @k"},
           {"call i32 @k()", "call fastcc i32 @k()",
            "unknown: a call of @k with another calling convention"},
           {"call i32 @lib(", "call fastcc i32 @lib(",
            "unknown: a call of @lib with another calling convention"},
           {"declare i32 @lib(i32)\ndefine i32 @f() {\n  %v = load i32, ptr "
            "@ext\n  %w = call i32 @k()\n  %u = call i32",
            "declare fastcc i32 @lib(i32)\ndefine i32 @f() {\n  %v = load "
            "i32, ptr @ext\n  %w = call i32 @k()\n  %u = call fastcc i32",
            "wrong: calling convention of @lib"},
           {"define i32 @f()", "define fastcc i32 @f()",
            "wrong: calling convention of @f"},
           {"define i32 @f()", "define internal i32 @f()",
            "wrong: linkage of @f"},
           {"@ro = internal constant i32 7", "@ro = internal constant i64 7",
            "unknown: type of @ro"},
           {"define i32 @f()", "define i32 @f(i32 %unused)",
            "wrong: type of @f"},
           {"@int = internal global", "@int = internal thread_local global",
            "unknown: kind of @int"},
           {"alias i32, ptr @ext", "alias i32, ptr @int",
            "unknown: aliasee of @al"},
           {"define internal i32 @h()", "define i32 @h()",
            "wrong: linkage of @h"},
           {"define internal i32 @h()", "define i32 @h2()",
            "wrong: defines @h2, which -Oz does not"},
           {"define i32 @f() {\n  %v = load i32, ptr @ext\n  %w = call i32 "
            "@k()\n  %u = call i32 @lib(i32 %w)\n  ret i32 %v\n}",
            "declare i32 @f()", "wrong: does not define @f"}})
    EXPECT_EQ(moduleDiff(From, To), Why.str())
        << From.str() << " -> " << To.str();
}

// A wrong difference is reported even where an unknown one comes before it
// (a candidate that is only unknown is applied by default).
TEST(SameFunction, ModuleDifferenceWrongOverUnknown) {
  LLVMContext Ctx;
  std::unique_ptr<Module> R = parseIR(Ctx,
                                      "@int = internal global i32 1\n"
                                      "define i32 @f() {\n  ret i32 0\n}\n"),
                          T = parseIR(Ctx, "@int = internal global i32 2\n"
                                           "declare i32 @f()\n");
  ASSERT_TRUE(R && T);
  std::optional<ModuleDifference> D = moduleDifference(*R, *T);
  ASSERT_TRUE(D);
  EXPECT_TRUE(D->Wrong);
  EXPECT_EQ(D->Why, "does not define @f");
}

// The IR outliner passes functions to the helpers it creates. With the
// helpers inlined (the copy the function checks compare), such a function
// is only called again, and may change its calling convention; a call of a
// helper with another convention than the helper's is still found.
TEST(SameFunction, ModuleDifferencesSeeThroughInlinedHelpers) {
  const char *Ref = "define internal fastcc i32 @k() {\n  ret i32 1\n}\n"
                    "define i32 @f() {\n  %v = call fastcc i32 @k()\n"
                    "  ret i32 %v\n}\n";
  auto check = [&](StringRef HelperCall) {
    std::string Tgt = ("define internal i32 @k() {\n  ret i32 1\n}\n"
                       "define i32 @f() {\n  %v = " +
                       HelperCall +
                       " i32 @outlined_ir_func_0(ptr @k)\n  ret i32 %v\n}\n"
                       "define internal i32 @outlined_ir_func_0(ptr %p) {\n"
                       "  %r = call i32 %p()\n  ret i32 %r\n}\n")
                          .str();
    LLVMContext Ctx;
    std::unique_ptr<Module> R = parseIR(Ctx, Ref), T = parseIR(Ctx, Tgt),
                            I = parseIR(Ctx, Tgt);
    EXPECT_TRUE(R && T && I);
    if (!R || !T || !I)
      return std::make_pair(std::string("no module"), std::string());
    SmallPtrSet<const Function *, 4> Covered;
    inlineHelpers(
        *I,
        [](const Function &F) { return F.getName() == "outlined_ir_func_0"; },
        Covered);
    auto str = [](std::optional<ModuleDifference> D) {
      return D ? (D->Wrong ? "wrong: " : "unknown: ") + D->Why : std::string();
    };
    return std::make_pair(str(moduleDifference(*R, *T)),
                          str(moduleDifference(*R, *T, I.get())));
  };
  auto [Alone, WithInlined] = check("call");
  EXPECT_EQ(Alone, "unknown: calling convention of @k");
  EXPECT_EQ(WithInlined, "");
  std::tie(Alone, WithInlined) = check("call fastcc");
  EXPECT_EQ(WithInlined,
            "unknown: a call of @outlined_ir_func_0 with another calling "
            "convention");
}

TEST(SameFunction, DeclarationsAreNeverSame) {
  const char *Decl = "declare i32 @f(i32, i1)\n";
  EXPECT_FALSE(same(Decl, Decl));
}

} // namespace
