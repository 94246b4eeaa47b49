//===- VerifyTests.cpp - Unit and mutation tests for lib/Verify -*- C++ -*-===//
//
// Part of neuropt, under the Apache License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//
//
// This file implements the unit tests of the Verifier API and the mutation
// test: every correct transformation of the .srctgt.ll suite that fits in
// i8 is mutated (operands swapped, constants, predicates and opcodes
// changed); every mutant that exhaustive evaluation by an independent
// concrete interpreter shows to be wrong must be refuted.
//
//===----------------------------------------------------------------------===//

#include "neuropt/Verify/Verifier.h"

#include "llvm/ADT/APFloat.h"
#include "llvm/ADT/APSInt.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/AsmParser/Parser.h"
#include "llvm/IR/Constants.h"
#include "llvm/IR/InstIterator.h"
#include "llvm/IR/Instructions.h"
#include "llvm/IR/IntrinsicInst.h"
#include "llvm/IR/LLVMContext.h"
#include "llvm/IR/Module.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/FormatVariadic.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/SourceMgr.h"
#include "llvm/Support/raw_ostream.h"
#include "llvm/Transforms/Utils/Cloning.h"

#include "gtest/gtest.h"

#include <map>
#include <optional>
#include <random>

using namespace llvm;
using namespace neuropt;

namespace {

std::unique_ptr<Module> parse(LLVMContext &Ctx, StringRef Text) {
  SMDiagnostic Err;
  auto M = parseAssemblyString(Text, Err, Ctx);
  if (!M) {
    std::string S;
    raw_string_ostream OS(S);
    Err.print("test", OS);
    ADD_FAILURE() << OS.str();
  }
  return M;
}

/// A pair the solver proves with few units.
const char *const kEasyPair = R"(
define i32 @a(i32 %x) {
  %r = mul i32 %x, 2
  ret i32 %r
}
define i32 @b(i32 %x) {
  %r = shl i32 %x, 1
  ret i32 %r
}
)";

/// A copy of \p F, in its module, with one dead instruction more: the same
/// meaning, but not F with promises dropped, so that the verifier has to
/// look at what it does (a pair of F with itself is proved statically).
const Function &twin(const Function &F) {
  ValueToValueMapTy VM;
  Function *T = CloneFunction(const_cast<Function *>(&F), VM);
  T->setName(F.getName() + ".twin");
  Constant *Zero = ConstantInt::get(Type::getInt8Ty(F.getContext()), 0);
  BinaryOperator::CreateAdd(Zero, Zero, "dead",
                            T->getEntryBlock().getFirstInsertionPt());
  return *T;
}

VerifyOptions quick() {
  VerifyOptions O;
  O.TimeoutMs = 5000;
  return O;
}

TEST(Verifier, ProvesAndRefutes) {
  LLVMContext Ctx;
  auto M = parse(Ctx, R"(
define i8 @a(i8 %x) {
  %r = mul i8 %x, 4
  ret i8 %r
}
define i8 @b(i8 %x) {
  %r = shl i8 %x, 2
  ret i8 %r
}
define i8 @c(i8 %x) {
  %r = shl i8 %x, 3
  ret i8 %r
}
)");
  auto V = createSMTVerifier();
  VerifyResult R = V->verify(*M->getFunction("a"), *M->getFunction("b"), quick());
  EXPECT_EQ(R.V, Verdict::Proved);
  EXPECT_EQ(verdictLine(R), "proved");
  R = V->verify(*M->getFunction("a"), *M->getFunction("c"), quick());
  ASSERT_EQ(R.V, Verdict::Refuted);
  ASSERT_TRUE(R.CEX.has_value());
  EXPECT_EQ(R.CEX->Inputs.size(), 1u);
  EXPECT_EQ(R.CEX->Inputs[0].first, "%x");
  EXPECT_NE(R.CEX->SrcValue, R.CEX->TgtValue);
}

TEST(Verifier, FunctionsInDifferentContexts) {
  LLVMContext C1, C2;
  auto M1 = parse(C1, "define i32 @f(i32 %x) {\n %r = add i32 %x, %x\n ret i32 %r\n}\n");
  auto M2 = parse(C2, "define i32 @f(i32 %x) {\n %r = shl i32 %x, 1\n ret i32 %r\n}\n");
  VerifyResult R = createSMTVerifier()->verify(*M1->getFunction("f"),
                                               *M2->getFunction("f"), quick());
  EXPECT_EQ(R.V, Verdict::Proved);
}

// Signatures of functions in two contexts are compared by what the types
// are: a struct of the same name but another body differs, one of another
// name but the same body does not.
TEST(Verifier, SignaturesAcrossContexts) {
  LLVMContext C1;
  auto sig = [](LLVMContext &C, StringRef Types, StringRef Param) {
    return parse(
        C, (Types + "define void @f(" + Param + " %p) {\n" + " ret void\n}\n")
               .str());
  };
  auto M1 =
      sig(C1, "%S = type { i32, ptr }\n", "{ %S, [2 x i8], <4 x float>, ptr }");
  auto same = [&](StringRef Types, StringRef Param) {
    LLVMContext C;
    auto M2 = sig(C, Types, Param);
    return checkSignatures(*M1->getFunction("f"), *M2->getFunction("f"));
  };
  EXPECT_EQ(
      same("%T = type { i32, ptr }\n", "{ %T, [2 x i8], <4 x float>, ptr }"),
      "");
  EXPECT_NE(
      same("%S = type { i64, ptr }\n", "{ %S, [2 x i8], <4 x float>, ptr }"),
      "");
  EXPECT_NE(
      same("%S = type { i32, ptr }\n", "{ %S, [3 x i8], <4 x float>, ptr }"),
      "");
  EXPECT_NE(
      same("%S = type { i32, ptr }\n", "{ %S, [2 x i8], <4 x double>, ptr }"),
      "");
  EXPECT_NE(same("%S = type { i32, ptr addrspace(1) }\n",
                 "{ %S, [2 x i8], <4 x float>, ptr }"),
            "");
  EXPECT_NE(
      same("%S = type <{ i32, ptr }>\n", "{ %S, [2 x i8], <4 x float>, ptr }"),
      "");
}

TEST(Verifier, SignatureMismatchIsUnknown) {
  LLVMContext Ctx;
  auto M = parse(Ctx, "define i32 @a(i32 %x) {\n ret i32 %x\n}\n"
                      "define i64 @b(i32 %x) {\n %r = zext i32 %x to i64\n ret i64 %r\n}\n");
  EXPECT_NE(checkSignatures(*M->getFunction("a"), *M->getFunction("b")), "");
  VerifyResult R = createSMTVerifier()->verify(*M->getFunction("a"),
                                               *M->getFunction("b"), quick());
  EXPECT_EQ(R.V, Verdict::Unknown);
  EXPECT_NE(R.Reason.find("signature mismatch"), std::string::npos);
}

TEST(Verifier, UnsupportedCallIsUnknown) {
  LLVMContext Ctx;
  auto M =
      parse(Ctx, "declare <2 x i32> @g(i32)\n"
                 "define i32 @a(i32 %x) {\n %v = call <2 x i32> @g(i32 %x)\n"
                 " %r = extractelement <2 x i32> %v, i32 0\n ret i32 %r\n}\n"
                 "define i32 @b(i32 %x) {\n %r = call i32 asm \"bswap $0\", "
                 "\"=r,0\"(i32 %x)\n ret i32 %r\n}\n"
                 "define i32 @c(ptr %f, ...) {\n %r = call i32 (ptr, ...) %f(ptr "
                 "%f)\n ret i32 %r\n}\n");
  auto Check = [&](const char *N) {
    const Function &F = *M->getFunction(N);
    return createSMTVerifier()->verify(F, twin(F), quick());
  };
  VerifyResult R = Check("a");
  EXPECT_EQ(verdictLine(R),
            "unknown (unsupported: call @g returning <2 x i32>)");
  R = Check("b");
  EXPECT_EQ(verdictLine(R), "unknown (unsupported: inline assembly)");
  R = Check("c");
  // A variadic indirect call is an unknown function of the called pointer
  // and of the arguments the call passes, of their types.
  EXPECT_EQ(verdictLine(R), "proved");
}

// A function with an instruction outside the fragment is set aside before
// any solver work, with the reason the encoder would give: it costs no
// units, so the rest of a batch keeps its budget. Pointers into an alloca
// are followed through GEPs, selects and phis.
TEST(Verifier, OutsideTheFragmentCostsNoUnits) {
  LLVMContext Ctx;
  auto M = parse(Ctx, R"(
declare void @g(ptr)
declare void @llvm.memcpy.p0.p0.i64(ptr, ptr, i64, i1)
define void @stored(i1 %c, ptr %o) {
  %p = alloca [2 x i32]
  %q = getelementptr i32, ptr %p, i64 1
  %s = select i1 %c, ptr %p, ptr %q
  store ptr %s, ptr %o
  ret void
}
define i32 @phi(i1 %c, ptr %o) {
entry:
  %p = alloca i32
  br i1 %c, label %a, label %b
a:
  br label %b
b:
  %m = phi ptr [ %p, %a ], [ %o, %entry ]
  %e = icmp eq ptr %m, %o
  %r = zext i1 %e to i32
  ret i32 %r
}
define i64 @cast(i32 %x) {
  %p = alloca i32
  %q = getelementptr i8, ptr %p, i32 %x
  %r = ptrtoint ptr %q to i64
  ret i64 %r
}
define i32 @vec(i32 %x) {
  %v = insertelement <2 x i32> poison, i32 %x, i32 0
  %r = extractelement <2 x i32> %v, i32 0
  ret i32 %r
}
define void @bit(ptr %p) {
  store i1 true, ptr %p
  ret void
}
define i32 @atomic() {
  %s = alloca i32
  %r = load atomic i32, ptr %s seq_cst, align 4
  ret i32 %r
}
define i32 @volloc() {
  %s = alloca i32
  %r = load volatile i32, ptr %s
  ret i32 %r
}
)" + std::string(kEasyPair));
  auto F = [&](const char *N) -> const Function * { return M->getFunction(N); };
  std::unique_ptr<Verifier> V = createSMTVerifier();
  std::vector<std::pair<const char *, const char *>> Expected = {
      {"stored", "storing an alloca pointer"},
      {"phi", "comparison of alloca pointers"},
      {"cast", "ptrtoint of an alloca pointer"},
      {"vec", "vector insertelement"},
      {"bit", "store of type other than i8*k, half, float, double or ptr"},
      {"atomic", "atomic access to an alloca"},
      {"volloc", "volatile access to an alloca"}};
  std::vector<std::pair<const Function *, const Function *>> Pairs;
  for (auto &[Name, Why] : Expected) {
    const Function *T = &twin(*F(Name));
    VerifyResult R = V->verify(*F(Name), *T, quick());
    EXPECT_EQ(verdictLine(R), std::string("unknown (unsupported: ") + Why + ")")
        << Name;
    EXPECT_EQ(R.Resources, 0u) << Name;
    Pairs.push_back({F(Name), T});
  }
  // In a batch, behind all of them, the easy pair has just the units it
  // needs alone.
  VerifyOptions O = quick();
  O.ResourceLimit = 200000;
  VerifyResult Easy = V->verify(*F("a"), *F("b"), O);
  ASSERT_EQ(Easy.V, Verdict::Proved);
  Pairs.push_back({F("a"), F("b")});
  O.BatchResourceLimit = Easy.Resources + 1;
  std::vector<VerifyResult> Rs = V->verifyAll(Pairs, O, 60000);
  ASSERT_EQ(Rs.size(), Pairs.size());
  for (size_t I = 0; I + 1 < Rs.size(); ++I)
    EXPECT_NE(Rs[I].Reason.find("unsupported: "), std::string::npos);
  EXPECT_EQ(Rs.back().V, Verdict::Proved);
  EXPECT_EQ(Rs.back().Resources, Easy.Resources);
}

// A call is an unknown function of its inputs: the same call is proved; a
// target that calls a different function is not, and its counterexample is
// not reported (it depends on what the callees do).
TEST(Verifier, CallsAreUnknownFunctions) {
  LLVMContext Ctx;
  auto M = parse(
      Ctx,
      "declare i32 @g(i32)\ndeclare i32 @h(i32)\n"
      "define i32 @a(i32 %x) {\n %r = call i32 @g(i32 %x)\n ret i32 %r\n}\n"
      "define i32 @b(i32 %x) {\n %r = call i32 @h(i32 %x)\n ret i32 %r\n}\n");
  Function *A = M->getFunction("a"), *B = M->getFunction("b");
  EXPECT_EQ(verdictLine(createSMTVerifier()->verify(*A, twin(*A), quick())),
            "proved");
  VerifyResult R = createSMTVerifier()->verify(*A, *B, quick());
  EXPECT_EQ(R.V, Verdict::Unknown);
  EXPECT_FALSE(R.CEX.has_value());
}

// verifyAll checks a batch in one child process: the same verdicts as one
// call per pair, and pairs past the deadline are reported as not reached.
TEST(Verifier, BatchMatchesSingleCalls) {
  LLVMContext Ctx;
  auto M = parse(
      Ctx,
      "declare i32 @g(i32)\n"
      "define i32 @a(i32 %x) {\n %r = mul i32 %x, 2\n ret i32 %r\n}\n"
      "define i32 @b(i32 %x) {\n %r = shl i32 %x, 1\n ret i32 %r\n}\n"
      "define i32 @c(i32 %x) {\n %r = shl i32 %x, 2\n ret i32 %r\n}\n"
      "define i32 @d(i32 %x) {\n %r = call i32 @g(i32 %x)\n ret i32 %r\n}\n");
  auto F = [&](const char *N) -> const Function * { return M->getFunction(N); };
  std::vector<std::pair<const Function *, const Function *>> Pairs = {
      {F("a"), F("b")}, {F("a"), F("c")}, {F("d"), &twin(*F("d"))}};
  std::unique_ptr<Verifier> V = createSMTVerifier();
  std::vector<VerifyResult> Rs = V->verifyAll(Pairs, quick(), 20000);
  ASSERT_EQ(Rs.size(), 3u);
  for (size_t I = 0; I < Pairs.size(); ++I)
    EXPECT_EQ(
        verdictLine(Rs[I]),
        verdictLine(V->verify(*Pairs[I].first, *Pairs[I].second, quick())));
  EXPECT_EQ(Rs[0].V, Verdict::Proved);
  EXPECT_EQ(Rs[1].V, Verdict::Refuted);
  EXPECT_TRUE(Rs[1].CEX.has_value());
  EXPECT_EQ(Rs[2].V, Verdict::Proved);
  // No time at all: nothing is reached, nothing is claimed.
  for (const VerifyResult &R : V->verifyAll(Pairs, quick(), 0)) {
    EXPECT_EQ(R.V, Verdict::Unknown);
    EXPECT_EQ(R.Reason, Verifier::kNotReached);
  }
}

// A target that is the source with promises dropped is proved before any
// solver work, around instructions the encoder does not model too, in a
// child process or not, even with no time left; one promise added and it
// goes to the encoder, which does not take the vector.
TEST(Verifier, PromisesDroppedProvedWithoutTheSolver) {
  LLVMContext Ctx;
  auto M = parse(Ctx, R"(
define i32 @s(<2 x i32> %v, i32 %x) {
  %e = extractelement <2 x i32> %v, i32 0
  %r = add nuw nsw i32 %e, %x
  ret i32 %r
}
define i32 @t(<2 x i32> %v, i32 %x) {
  %e = extractelement <2 x i32> %v, i32 0
  %r = add nsw i32 %e, %x
  ret i32 %r
}
)");
  auto F = [&](const char *N) -> const Function * { return M->getFunction(N); };
  std::unique_ptr<Verifier> V = createSMTVerifier();
  for (bool Isolate : {true, false}) {
    VerifyOptions O = quick();
    O.Isolate = Isolate;
    for (unsigned DeadlineMs : {20000u, 0u}) {
      std::vector<VerifyResult> Rs =
          V->verifyAll({{F("s"), F("t")}, {F("t"), F("s")}}, O, DeadlineMs);
      ASSERT_EQ(Rs.size(), 2u);
      EXPECT_EQ(verdictLine(Rs[0]), "proved") << Isolate << DeadlineMs;
      EXPECT_EQ(Rs[0].Resources, 0u);
      EXPECT_EQ(verdictLine(Rs[1]), "unknown (unsupported: extractelement)")
          << Isolate << DeadlineMs;
    }
  }
}

// Refutation needs the factors of (2^31-1)^2: no budget here reaches it.
const char *const kHardPair = R"(
define i1 @s(i64 %x, i64 %y) {
  %a = zext i64 %x to i128
  %b = zext i64 %y to i128
  %m = mul i128 %a, %b
  %c = icmp eq i128 %m, 4611686014132420609
  %x1 = icmp ugt i64 %x, 1
  %y1 = icmp ugt i64 %y, 1
  %c1 = and i1 %c, %x1
  %c2 = and i1 %c1, %y1
  ret i1 %c2
}
define i1 @t(i64 %x, i64 %y) {
  ret i1 false
}
)";

TEST(Verifier, TimeoutIsUnknown) {
  LLVMContext Ctx;
  auto M = parse(Ctx, kHardPair);
  VerifyOptions O;
  O.TimeoutMs = 50;
  VerifyResult R = createSMTVerifier()->verify(*M->getFunction("s"), *M->getFunction("t"), O);
  EXPECT_EQ(verdictLine(R), "unknown (timeout)");
}

// A resource limit (Z3's rlimit) ends a hard query like a timeout does,
// but at the same point on every run and machine: the verdict and the units
// used are reproducible. A batch limit leaves the pairs after it unreached.
TEST(Verifier, ResourceLimitIsReproducible) {
  LLVMContext Ctx;
  auto M = parse(Ctx, std::string(kHardPair) + kEasyPair);
  auto F = [&](const char *N) -> const Function * { return M->getFunction(N); };
  VerifyOptions O = quick();
  O.ResourceLimit = 200000;
  std::unique_ptr<Verifier> V = createSMTVerifier();
  VerifyResult R1 = V->verify(*F("s"), *F("t"), O);
  VerifyResult R2 = V->verify(*F("s"), *F("t"), O);
  EXPECT_EQ(verdictLine(R1), "unknown (resource limit)");
  EXPECT_GE(R1.Resources, O.ResourceLimit);
  EXPECT_LT(R1.Resources, 2 * O.ResourceLimit);
  EXPECT_EQ(R1.Resources, R2.Resources);
  // An easy pair needs few units, the same number every time.
  VerifyResult E1 = V->verify(*F("a"), *F("b"), O);
  EXPECT_EQ(E1.V, Verdict::Proved);
  EXPECT_GT(E1.Resources, 0u);
  EXPECT_LT(E1.Resources, O.ResourceLimit);
  EXPECT_EQ(V->verify(*F("a"), *F("b"), O).Resources, E1.Resources);

  // The batch: the easy pair, then the hard one, which spends what is left,
  // then an easy pair that is no longer reached.
  std::vector<std::pair<const Function *, const Function *>> Pairs = {
      {F("a"), F("b")}, {F("s"), F("t")}, {F("a"), F("b")}};
  VerifyOptions B = quick();
  B.BatchResourceLimit = 300000;
  for (int Run = 0; Run < 2; ++Run) {
    std::vector<VerifyResult> Rs = V->verifyAll(Pairs, B, 60000);
    ASSERT_EQ(Rs.size(), 3u);
    EXPECT_EQ(Rs[0].V, Verdict::Proved);
    EXPECT_EQ(Rs[0].Resources, E1.Resources);
    EXPECT_EQ(verdictLine(Rs[1]), "unknown (resource limit)");
    EXPECT_GE(Rs[0].Resources + Rs[1].Resources, B.BatchResourceLimit);
    EXPECT_EQ(Rs[2].Reason, Verifier::kNotReached);
  }
  // The same limits without the child process.
  B.Isolate = false;
  std::vector<VerifyResult> Rs = V->verifyAll(Pairs, B, 60000);
  EXPECT_EQ(Rs[0].Resources, E1.Resources);
  EXPECT_EQ(verdictLine(Rs[1]), "unknown (resource limit)");
  EXPECT_EQ(Rs[2].Reason, Verifier::kNotReached);
}

TEST(Verifier, CertificateAndLoopsBounded) {
  LLVMContext Ctx;
  auto M = parse(Ctx, R"(
define i32 @s(i32 noundef %n) {
entry:
  br label %loop
loop:
  %i = phi i32 [0, %entry], [%i1, %loop]
  %i1 = add i32 %i, 1
  %c = icmp ult i32 %i1, %n
  br i1 %c, label %loop, label %exit
exit:
  ret i32 %i1
}
)");
  Function *F = M->getFunction("s");
  VerifyOptions O = quick();
  O.WantCertificate = true;
  O.UnrollBound = 3;
  VerifyResult R = createSMTVerifier()->verify(*F, twin(*F), O);
  EXPECT_EQ(verdictLine(R), "bounded (k=3)");
  ASSERT_FALSE(R.Certificates.empty());
  EXPECT_NE(R.Certificates[0].SMT2.find("(check-sat)"), std::string::npos);
}

TEST(Verifier, LayeredAndDiffExec) {
  LLVMContext Ctx;
  auto M = parse(Ctx, R"(
define i32 @s(i32 %x) {
  %r = sdiv i32 %x, 2
  ret i32 %r
}
define i32 @t(i32 %x) {
  %r = ashr i32 %x, 1
  ret i32 %r
}
)");
  Function *S = M->getFunction("s"), *T = M->getFunction("t");
  VerifyResult D = createDiffExecVerifier()->verify(*S, *T, quick());
  EXPECT_EQ(D.V, Verdict::Refuted);
  EXPECT_EQ(D.Engine, "diffexec");
  VerifyResult Same = createDiffExecVerifier()->verify(*S, *S, quick());
  EXPECT_EQ(Same.V, Verdict::Unknown);
  EXPECT_EQ(Same.Reason.rfind("tested ", 0), 0u);
  VerifyResult L = verifyRefinement(*S, twin(*S), quick());
  EXPECT_EQ(L.V, Verdict::Proved);
  EXPECT_EQ(L.Engine, "smt");
}

// Differential execution runs real code on made-up arguments, so it runs
// nothing that may call outside the module: a declaration (here @remove,
// which would delete a file named by its argument), directly or through a
// function of the module, or a pointer.
TEST(Verifier, DiffExecRunsNothingThatCallsOutTheModule) {
  LLVMContext Ctx;
  auto M = parse(Ctx, R"(
declare i32 @remove(ptr)
define internal i32 @helper(ptr %p) {
  %r = call i32 @remove(ptr %p)
  ret i32 %r
}
define i32 @direct(ptr %p) {
  %r = call i32 @remove(ptr %p)
  ret i32 %r
}
define i32 @through(ptr %p) {
  %r = call i32 @helper(ptr %p)
  ret i32 %r
}
define i32 @indirect(ptr %f, i32 %x) {
  %r = call i32 %f(i32 %x)
  ret i32 %r
}
define internal i32 @inc(i32 %x) {
  %r = add i32 %x, 1
  ret i32 %r
}
define i32 @inside(i32 %x) {
  %r = call i32 @inc(i32 %x)
  ret i32 %r
}
)");
  std::unique_ptr<Verifier> D = createDiffExecVerifier();
  auto Run = [&](const char *N) {
    const Function *F = M->getFunction(N);
    return D->verify(*F, *F, quick()).Reason;
  };
  EXPECT_EQ(Run("direct"), "unsupported: call of @remove, outside the module");
  EXPECT_EQ(Run("through"), "unsupported: call of @remove, outside the module");
  EXPECT_EQ(Run("indirect"), "unsupported: indirect call");
  // Calls within the module run.
  EXPECT_EQ(Run("inside").rfind("tested ", 0), 0u) << Run("inside");
}

TEST(Verifier, JSON) {
  VerifyResult R;
  R.V = Verdict::Refuted;
  R.Engine = "smt";
  R.CEX = Counterexample{{{"%x", "i8 0x01 (1)"}}, "i8 0x02 (2)", "poison", ""};
  std::string S;
  raw_string_ostream OS(S);
  printResultJSON(OS, R);
  EXPECT_NE(OS.str().find("\"verdict\": \"refuted\""), std::string::npos);
  EXPECT_NE(OS.str().find("\"tgt\": \"poison\""), std::string::npos);
}

//===----------------------------------------------------------------------===//
// An independent concrete interpreter for the i8 fragment.
//===----------------------------------------------------------------------===//

struct CVal {
  APInt V;
  bool Poison = false;
  std::vector<CVal> Elems;
};

enum class Outcome { Value, Poison, UB, Skip };

struct Result {
  Outcome O = Outcome::Skip;
  APInt V;
};

/// Whether the interpreter understands every instruction of F.
bool interpretable(const Function &F) {
  for (const Argument &A : F.args())
    if (!A.getType()->isIntegerTy() || A.getType()->getIntegerBitWidth() > 8)
      return false;
  if (!F.getReturnType()->isIntegerTy())
    return false;
  for (const Instruction &I : instructions(F)) {
    // Integers only (the interpreter has no pointers), but for the callee
    // of an intrinsic call.
    for (const Use &U : I.operands()) {
      const Value *Op = U.get();
      auto *CB = dyn_cast<CallBase>(&I);
      bool Callee = CB && &U == &CB->getCalledOperandUse();
      if ((isa<UndefValue>(Op) && !isa<PoisonValue>(Op)) ||
          (Op->getType()->isPointerTy() && !Callee))
        return false;
    }
    if (isa<BinaryOperator>(I) || isa<ICmpInst>(I) || isa<SelectInst>(I) ||
        isa<ZExtInst>(I) || isa<SExtInst>(I) || isa<TruncInst>(I) ||
        isa<FreezeInst>(I) || isa<PHINode>(I) || isa<BranchInst>(I) ||
        isa<ReturnInst>(I) || isa<SwitchInst>(I) || isa<UnreachableInst>(I) ||
        isa<ExtractValueInst>(I))
      continue;
    if (auto *II = dyn_cast<IntrinsicInst>(&I)) {
      switch (II->getIntrinsicID()) {
      case Intrinsic::smin: case Intrinsic::smax: case Intrinsic::umin:
      case Intrinsic::umax: case Intrinsic::abs: case Intrinsic::ctpop:
      case Intrinsic::ctlz: case Intrinsic::cttz: case Intrinsic::bswap:
      case Intrinsic::bitreverse: case Intrinsic::fshl: case Intrinsic::fshr:
      case Intrinsic::uadd_sat: case Intrinsic::usub_sat:
      case Intrinsic::sadd_sat: case Intrinsic::ssub_sat:
      case Intrinsic::sadd_with_overflow: case Intrinsic::uadd_with_overflow:
      case Intrinsic::ssub_with_overflow: case Intrinsic::usub_with_overflow:
      case Intrinsic::smul_with_overflow: case Intrinsic::umul_with_overflow:
      case Intrinsic::assume:
        continue;
      default:
        return false;
      }
    }
    return false;
  }
  return true;
}

class Interp {
public:
  explicit Interp(const Function &F) : F(F) {}

  Result run(const std::vector<APInt> &Args) {
    Vals.clear();
    for (unsigned I = 0; I < Args.size(); ++I)
      Vals[F.getArg(I)] = CVal{Args[I], false, {}};
    const BasicBlock *BB = &F.getEntryBlock(), *Pred = nullptr;
    for (unsigned Steps = 0; Steps < 1000; ++Steps) {
      // Phis read their operands simultaneously.
      std::vector<std::pair<const PHINode *, CVal>> Phis;
      for (const PHINode &P : BB->phis())
        Phis.push_back({&P, get(P.getIncomingValueForBlock(Pred))});
      for (auto &[P, V] : Phis)
        Vals[P] = V;
      for (const Instruction &I : *BB) {
        if (isa<PHINode>(I))
          continue;
        if (auto *Ret = dyn_cast<ReturnInst>(&I)) {
          CVal V = get(Ret->getReturnValue());
          if (V.Poison)
            return F.hasRetAttribute(Attribute::NoUndef) ? Result{Outcome::UB, APInt()}
                                                         : Result{Outcome::Poison, APInt()};
          return Result{Outcome::Value, V.V};
        }
        if (isa<UnreachableInst>(I))
          return Result{Outcome::UB, APInt()};
        if (auto *Br = dyn_cast<BranchInst>(&I)) {
          Pred = BB;
          if (Br->isUnconditional()) {
            BB = Br->getSuccessor(0);
          } else {
            CVal C = get(Br->getCondition());
            if (C.Poison)
              return Result{Outcome::UB, APInt()};
            BB = Br->getSuccessor(C.V.isOne() ? 0 : 1);
          }
          break;
        }
        if (auto *Sw = dyn_cast<SwitchInst>(&I)) {
          CVal C = get(Sw->getCondition());
          if (C.Poison)
            return Result{Outcome::UB, APInt()};
          Pred = BB;
          BB = Sw->getDefaultDest();
          for (auto &Case : Sw->cases())
            if (Case.getCaseValue()->getValue() == C.V)
              BB = Case.getCaseSuccessor();
          break;
        }
        std::optional<Outcome> Stop;
        CVal R = eval(I, Stop);
        if (Stop)
          return Result{*Stop, APInt()};
        Vals[&I] = R;
      }
    }
    return Result{Outcome::Skip, APInt()};
  }

private:
  const Function &F;
  std::map<const Value *, CVal> Vals;

  CVal get(const Value *V) {
    if (auto *C = dyn_cast<ConstantInt>(V))
      return CVal{C->getValue(), false, {}};
    if (isa<PoisonValue>(V))
      return CVal{APInt(V->getType()->getIntegerBitWidth(), 0), true, {}};
    return Vals.at(V);
  }

  CVal eval(const Instruction &I, std::optional<Outcome> &Stop) {
    unsigned W = I.getType()->isIntegerTy() ? I.getType()->getIntegerBitWidth() : 0;
    if (auto *BO = dyn_cast<BinaryOperator>(&I)) {
      CVal A = get(BO->getOperand(0)), B = get(BO->getOperand(1));
      bool P = A.Poison || B.Poison, Ov = false;
      APInt X = A.V, Y = B.V, R(W, 0);
      switch (BO->getOpcode()) {
      case Instruction::Add:
        R = X + Y;
        if (BO->hasNoSignedWrap()) { (void)X.sadd_ov(Y, Ov); P |= Ov; }
        if (BO->hasNoUnsignedWrap()) { (void)X.uadd_ov(Y, Ov); P |= Ov; }
        break;
      case Instruction::Sub:
        R = X - Y;
        if (BO->hasNoSignedWrap()) { (void)X.ssub_ov(Y, Ov); P |= Ov; }
        if (BO->hasNoUnsignedWrap()) { (void)X.usub_ov(Y, Ov); P |= Ov; }
        break;
      case Instruction::Mul:
        R = X * Y;
        if (BO->hasNoSignedWrap()) { (void)X.smul_ov(Y, Ov); P |= Ov; }
        if (BO->hasNoUnsignedWrap()) { (void)X.umul_ov(Y, Ov); P |= Ov; }
        break;
      case Instruction::UDiv: case Instruction::URem:
      case Instruction::SDiv: case Instruction::SRem: {
        bool Signed = BO->getOpcode() == Instruction::SDiv || BO->getOpcode() == Instruction::SRem;
        if (B.Poison || Y.isZero() ||
            (Signed && Y.isAllOnes() && (A.Poison || X.isMinSignedValue()))) {
          Stop = Outcome::UB;
          return CVal{APInt(), false, {}};
        }
        P = A.Poison;
        switch (BO->getOpcode()) {
        case Instruction::UDiv: R = X.udiv(Y); P |= BO->isExact() && !X.urem(Y).isZero(); break;
        case Instruction::URem: R = X.urem(Y); break;
        case Instruction::SDiv: R = X.sdiv(Y); P |= BO->isExact() && !X.srem(Y).isZero(); break;
        default: R = X.srem(Y); break;
        }
        break;
      }
      case Instruction::Shl: case Instruction::LShr: case Instruction::AShr: {
        if (Y.uge(W)) {
          P = true;
          break;
        }
        unsigned S = Y.getZExtValue();
        if (BO->getOpcode() == Instruction::Shl) {
          R = X.shl(S);
          if (BO->hasNoUnsignedWrap()) P |= R.lshr(S) != X;
          if (BO->hasNoSignedWrap()) P |= R.ashr(S) != X;
        } else {
          R = BO->getOpcode() == Instruction::LShr ? X.lshr(S) : X.ashr(S);
          if (BO->isExact()) P |= R.shl(S) != X;
        }
        break;
      }
      case Instruction::And: R = X & Y; break;
      case Instruction::Or:
        R = X | Y;
        if (cast<PossiblyDisjointInst>(BO)->isDisjoint()) P |= (X & Y) != 0;
        break;
      case Instruction::Xor: R = X ^ Y; break;
      default: Stop = Outcome::Skip; return CVal{APInt(), false, {}};
      }
      return CVal{R, P, {}};
    }
    if (auto *IC = dyn_cast<ICmpInst>(&I)) {
      CVal A = get(IC->getOperand(0)), B = get(IC->getOperand(1));
      bool R = ICmpInst::compare(A.V, B.V, IC->getPredicate());
      bool P = A.Poison || B.Poison;
      if (IC->hasSameSign()) P |= A.V.isNegative() != B.V.isNegative();
      return CVal{APInt(1, R), P, {}};
    }
    if (auto *SI = dyn_cast<SelectInst>(&I)) {
      CVal C = get(SI->getCondition());
      CVal R = C.V.isOne() ? get(SI->getTrueValue()) : get(SI->getFalseValue());
      R.Poison |= C.Poison;
      return R;
    }
    if (auto *CI = dyn_cast<CastInst>(&I)) {
      CVal A = get(CI->getOperand(0));
      switch (CI->getOpcode()) {
      case Instruction::ZExt:
        return CVal{A.V.zext(W), A.Poison || (CI->hasNonNeg() && A.V.isNegative()), {}};
      case Instruction::SExt:
        return CVal{A.V.sext(W), A.Poison, {}};
      default: {
        APInt R = A.V.trunc(W);
        auto *TI = cast<TruncInst>(CI);
        bool P = A.Poison || (TI->hasNoUnsignedWrap() && R.zext(A.V.getBitWidth()) != A.V) ||
                 (TI->hasNoSignedWrap() && R.sext(A.V.getBitWidth()) != A.V);
        return CVal{R, P, {}};
      }
      }
    }
    if (auto *FI = dyn_cast<FreezeInst>(&I)) {
      CVal A = get(FI->getOperand(0));
      if (A.Poison) // a nondeterministic choice: this input tells nothing
        Stop = Outcome::Skip;
      return A;
    }
    if (auto *EV = dyn_cast<ExtractValueInst>(&I))
      return get(EV->getAggregateOperand()).Elems.at(EV->getIndices()[0]);
    auto *II = cast<IntrinsicInst>(&I);
    auto arg = [&](unsigned N) { return get(II->getArgOperand(N)); };
    auto flag = [&](unsigned N) { return !cast<ConstantInt>(II->getArgOperand(N))->isZero(); };
    switch (II->getIntrinsicID()) {
    case Intrinsic::assume: {
      CVal C = arg(0);
      if (C.Poison || C.V.isZero())
        Stop = Outcome::UB;
      return CVal{APInt(), false, {}};
    }
    case Intrinsic::smin: case Intrinsic::smax: case Intrinsic::umin: case Intrinsic::umax: {
      CVal A = arg(0), B = arg(1);
      APInt R = II->getIntrinsicID() == Intrinsic::smin ? APIntOps::smin(A.V, B.V)
              : II->getIntrinsicID() == Intrinsic::smax ? APIntOps::smax(A.V, B.V)
              : II->getIntrinsicID() == Intrinsic::umin ? APIntOps::umin(A.V, B.V)
                                                        : APIntOps::umax(A.V, B.V);
      return CVal{R, A.Poison || B.Poison, {}};
    }
    case Intrinsic::abs: {
      CVal A = arg(0);
      return CVal{A.V.abs(), A.Poison || (flag(1) && A.V.isMinSignedValue()), {}};
    }
    case Intrinsic::ctpop: {
      CVal A = arg(0);
      return CVal{APInt(W, A.V.popcount()), A.Poison, {}};
    }
    case Intrinsic::ctlz: case Intrinsic::cttz: {
      CVal A = arg(0);
      unsigned N = II->getIntrinsicID() == Intrinsic::ctlz ? A.V.countl_zero() : A.V.countr_zero();
      return CVal{APInt(W, N), A.Poison || (flag(1) && A.V.isZero()), {}};
    }
    case Intrinsic::bswap: { CVal A = arg(0); return CVal{A.V.byteSwap(), A.Poison, {}}; }
    case Intrinsic::bitreverse: { CVal A = arg(0); return CVal{A.V.reverseBits(), A.Poison, {}}; }
    case Intrinsic::fshl: case Intrinsic::fshr: {
      CVal A = arg(0), B = arg(1), S = arg(2);
      APInt R = II->getIntrinsicID() == Intrinsic::fshl ? APIntOps::fshl(A.V, B.V, S.V)
                                                        : APIntOps::fshr(A.V, B.V, S.V);
      return CVal{R, A.Poison || B.Poison || S.Poison, {}};
    }
    case Intrinsic::uadd_sat: case Intrinsic::usub_sat:
    case Intrinsic::sadd_sat: case Intrinsic::ssub_sat: {
      CVal A = arg(0), B = arg(1);
      APInt R = II->getIntrinsicID() == Intrinsic::uadd_sat ? A.V.uadd_sat(B.V)
              : II->getIntrinsicID() == Intrinsic::usub_sat ? A.V.usub_sat(B.V)
              : II->getIntrinsicID() == Intrinsic::sadd_sat ? A.V.sadd_sat(B.V)
                                                            : A.V.ssub_sat(B.V);
      return CVal{R, A.Poison || B.Poison, {}};
    }
    default: {
      CVal A = arg(0), B = arg(1);
      bool Ov = false;
      APInt R(A.V.getBitWidth(), 0);
      switch (II->getIntrinsicID()) {
      case Intrinsic::sadd_with_overflow: R = A.V.sadd_ov(B.V, Ov); break;
      case Intrinsic::uadd_with_overflow: R = A.V.uadd_ov(B.V, Ov); break;
      case Intrinsic::ssub_with_overflow: R = A.V.ssub_ov(B.V, Ov); break;
      case Intrinsic::usub_with_overflow: R = A.V.usub_ov(B.V, Ov); break;
      case Intrinsic::smul_with_overflow: R = A.V.smul_ov(B.V, Ov); break;
      default: R = A.V.umul_ov(B.V, Ov); break;
      }
      bool P = A.Poison || B.Poison;
      return CVal{R, P, {CVal{R, P, {}}, CVal{APInt(1, Ov), P, {}}}};
    }
    }
  }
};

/// Exhaustive check on defined inputs: a witness that Tgt does not refine
/// Src, if there is one. Also reports whether every input was decided.
std::optional<std::vector<APInt>> bruteForceWitness(const Function &Src,
                                                    const Function &Tgt) {
  std::vector<unsigned> Widths;
  unsigned Total = 0;
  for (const Argument &A : Src.args()) {
    Widths.push_back(A.getType()->getIntegerBitWidth());
    Total += Widths.back();
  }
  if (Total > 16)
    return std::nullopt;
  Interp IS(Src), IT(Tgt);
  for (uint64_t Bits = 0; Bits < (1ULL << Total); ++Bits) {
    std::vector<APInt> Args;
    unsigned Shift = 0;
    for (unsigned W : Widths) {
      Args.push_back(APInt(W, (Bits >> Shift) & ((1ULL << W) - 1)));
      Shift += W;
    }
    // A value outside a source argument's range is poison (UB under
    // noundef), which the interpreter does not model: anything refines the
    // source there.
    bool OutOfRange = false;
    for (const Argument &A : Src.args())
      if (Attribute RA = A.getAttribute(Attribute::Range); RA.isValid())
        OutOfRange |= !RA.getRange().contains(Args[A.getArgNo()]);
    if (OutOfRange)
      continue;
    Result S = IS.run(Args);
    if (S.O != Outcome::Value)
      continue; // UB or poison in the source: anything refines it
    Result T = IT.run(Args);
    if (T.O == Outcome::Skip)
      continue;
    if (T.O != Outcome::Value || T.V != S.V)
      return Args;
  }
  return std::nullopt;
}

/// Narrows every integer type wider than 8 bits to i8 (constants wrap).
std::string narrow(std::string Text) {
  for (const char *W : {"i128", "i64", "i32", "i16"}) {
    size_t Pos = 0;
    std::string From = W;
    while ((Pos = Text.find(From, Pos)) != std::string::npos) {
      bool Word = Pos + From.size() >= Text.size() || !isDigit(Text[Pos + From.size()]);
      if (Word && (Pos == 0 || !isAlnum(Text[Pos - 1]))) {
        Text.replace(Pos, From.size(), "i8");
        Pos += 2;
      } else {
        Pos += From.size();
      }
    }
  }
  return Text;
}

/// One mutant per applicable (instruction, operator) pair of @tgt.
struct Mutation {
  unsigned Inst;
  unsigned Kind;
};

bool applyMutation(Function &F, const Mutation &M) {
  Instruction *I = nullptr;
  unsigned N = 0;
  for (Instruction &X : instructions(F))
    if (N++ == M.Inst)
      I = &X;
  if (!I)
    return false;
  static const Instruction::BinaryOps Ops[] = {
      Instruction::Add, Instruction::Sub, Instruction::Mul, Instruction::And,
      Instruction::Or, Instruction::Xor, Instruction::Shl, Instruction::LShr,
      Instruction::AShr, Instruction::UDiv, Instruction::SDiv};
  static const CmpInst::Predicate Preds[] = {
      CmpInst::ICMP_EQ, CmpInst::ICMP_NE, CmpInst::ICMP_SLT, CmpInst::ICMP_ULT,
      CmpInst::ICMP_SGT, CmpInst::ICMP_UGE, CmpInst::ICMP_SLE};
  if (auto *BO = dyn_cast<BinaryOperator>(I)) {
    if (M.Kind == 0) { // swap operands
      Value *A = BO->getOperand(0);
      BO->setOperand(0, BO->getOperand(1));
      BO->setOperand(1, A);
      return true;
    }
    unsigned K = M.Kind - 1;
    if (K < std::size(Ops)) {
      if (Ops[K] == BO->getOpcode())
        return false;
      auto *New = BinaryOperator::Create(Ops[K], BO->getOperand(0), BO->getOperand(1), "", BO->getIterator());
      BO->replaceAllUsesWith(New);
      New->takeName(BO);
      BO->eraseFromParent();
      return true;
    }
  } else if (auto *IC = dyn_cast<ICmpInst>(I)) {
    if (M.Kind == 0) {
      Value *A = IC->getOperand(0);
      IC->setOperand(0, IC->getOperand(1));
      IC->setOperand(1, A);
      return true;
    }
    unsigned K = M.Kind - 1;
    if (K < std::size(Preds) && Preds[K] != IC->getPredicate()) {
      IC->setPredicate(Preds[K]);
      IC->setSameSign(false);
      return true;
    }
    return false;
  } else if (auto *SI = dyn_cast<SelectInst>(I)) {
    if (M.Kind == 0) {
      SI->swapValues();
      return true;
    }
  }
  // Constant operands: +1, -1, 0.
  unsigned CK = M.Kind >= 20 ? M.Kind - 20 : ~0u;
  if (CK == ~0u || isa<PHINode>(I) || isa<SwitchInst>(I) || isa<IntrinsicInst>(I))
    return false;
  unsigned OpNo = CK / 3, Which = CK % 3;
  if (OpNo >= I->getNumOperands())
    return false;
  auto *C = dyn_cast<ConstantInt>(I->getOperand(OpNo));
  if (!C)
    return false;
  APInt V = C->getValue();
  APInt NV = Which == 0 ? V + 1 : Which == 1 ? V - 1 : APInt(V.getBitWidth(), 0);
  if (NV == V)
    return false;
  I->setOperand(OpNo, ConstantInt::get(C->getType(), NV));
  return true;
}

TEST(Mutation, EveryWrongMutantIsRefuted) {
  SmallString<256> Dir(NEUROPT_VERIFY_SUITE);
  std::error_code EC;
  unsigned Bases = 0, Mutants = 0, Wrong = 0, Refuted = 0;
  std::vector<std::string> Missed;
  auto SMT = createSMTVerifier();
  VerifyOptions Opts = quick();
  Opts.Isolate = false; // small queries; forking per mutant costs more

  std::vector<std::string> Files;
  for (sys::fs::directory_iterator It(Dir, EC), End; It != End && !EC; It.increment(EC)) {
    StringRef Name = sys::path::filename(It->path());
    if (Name.starts_with("p-") && Name.ends_with(".srctgt.ll"))
      Files.push_back(It->path());
  }
  std::sort(Files.begin(), Files.end());
  ASSERT_GE(Files.size(), 80u) << "suite not found in " << Dir.str().str();
  for (const std::string &Path : Files) {
    auto Buf = MemoryBuffer::getFile(Path);
    ASSERT_TRUE((bool)Buf);
    for (bool Narrow : {false, true}) {
      std::string Text = (*Buf)->getBuffer().str();
      if (Narrow)
        Text = narrow(Text);
      LLVMContext Ctx;
      SMDiagnostic Err;
      auto M = parseAssemblyString(Text, Err, Ctx);
      if (!M)
        continue;
      Function *Src = M->getFunction("src"), *Tgt = M->getFunction("tgt");
      if (!Src || !Tgt || !interpretable(*Src) || !interpretable(*Tgt))
        continue;
      // The (narrowed) base must itself be a correct transformation.
      if (bruteForceWitness(*Src, *Tgt))
        continue;
      ++Bases;
      unsigned NInst = 0;
      for (Instruction &I : instructions(*Tgt))
        (void)I, ++NInst;
      for (unsigned II = 0; II < NInst; ++II)
        for (unsigned K = 0; K < 20 + 3 * 4; ++K) {
          std::unique_ptr<Module> MM = CloneModule(*M);
          Function *MT = MM->getFunction("tgt");
          if (!applyMutation(*MT, {II, K}))
            continue;
          ++Mutants;
          auto W = bruteForceWitness(*MM->getFunction("src"), *MT);
          if (!W)
            continue;
          ++Wrong;
          VerifyResult R = SMT->verify(*MM->getFunction("src"), *MT, Opts);
          if (R.V == Verdict::Refuted) {
            ++Refuted;
            continue;
          }
          std::string S;
          raw_string_ostream OS(S);
          OS << sys::path::filename(Path) << (Narrow ? " (i8)" : "") << " inst " << II
             << " kind " << K << ": " << verdictLine(R) << "\n";
          MT->print(OS);
          Missed.push_back(OS.str());
        }
    }
  }
  outs() << "mutation: " << Bases << " base transformations, " << Mutants
         << " mutants, " << Wrong << " wrong by brute force, " << Refuted
         << " refuted\n";
  EXPECT_GE(Bases, 40u);
  EXPECT_GE(Wrong, 200u);
  EXPECT_EQ(Refuted, Wrong);
  for (auto &S : Missed)
    ADD_FAILURE() << "wrong mutant not refuted: " << S;
}

/// The encoder's floating-point semantics against LLVM's own APFloat, on
/// half (and float, for fpext and fptrunc): each operation on constant
/// operands (special values and seeded random bits) must be proved to return APFloat's result, and refuted
/// against the neighbouring bit pattern unless the result is a NaN (whose
/// sign and payload LangRef leaves partly open). fptosi and fptoui must be
/// poison exactly where APFloat reports an invalid conversion.
TEST(FloatingPoint, AgreesWithAPFloat) {
  auto SMT = createSMTVerifier();
  VerifyOptions Opts = quick();
  Opts.Isolate = false;
  const fltSemantics &H = APFloat::IEEEhalf();
  auto hex = [](uint16_t B) { return formatv("0xH{0:X-4}", B).str(); };
  auto bits = [](const APFloat &F) {
    return (uint16_t)F.bitcastToAPInt().getZExtValue();
  };
  std::vector<uint16_t> Vals = {0x0000, 0x8000, 0x3c00, 0xbc00, 0x7c00,
                                0xfc00, 0x7e00, 0x7d01, 0x0001, 0x03ff,
                                0x7bff, 0xfbff, 0x3555};
  std::mt19937 Rng(1);
  for (unsigned I = 0; I < 12; ++I)
    Vals.push_back((uint16_t)Rng());
  unsigned Checked = 0;
  std::vector<std::string> Bad;
  // Src computes Expr (whose operands are constants); Tgt returns Want.
  auto check = [&](const std::string &Ty, const std::string &Expr,
                   const std::string &Want, bool Proved) {
    std::string Text = "define " + Ty + " @src() {\n  %r = " + Expr +
                       "\n  ret " + Ty + " %r\n}\ndefine " + Ty +
                       " @tgt() {\n  ret " + Ty + " " + Want + "\n}\n" +
                       "declare half @llvm.fma.f16(half, half, half)\n"
                       "declare half @llvm.floor.f16(half)\n"
                       "declare half @llvm.ceil.f16(half)\n"
                       "declare half @llvm.trunc.f16(half)\n"
                       "declare half @llvm.round.f16(half)\n"
                       "declare half @llvm.roundeven.f16(half)\n"
                       "declare half @llvm.rint.f16(half)\n"
                       "declare half @llvm.nearbyint.f16(half)\n"
                       "declare i1 @llvm.is.fpclass.f16(half, i32)\n";
    LLVMContext Ctx;
    auto M = parse(Ctx, Text);
    VerifyResult R = SMT->verify(*M->getFunction("src"), *M->getFunction("tgt"), Opts);
    ++Checked;
    if (R.V != (Proved ? Verdict::Proved : Verdict::Refuted))
      Bad.push_back(Expr + " -> " + Want + ": " + verdictLine(R));
  };
  auto checkHalf = [&](const std::string &Expr, const APFloat &F) {
    uint16_t B = bits(F);
    check("half", Expr, hex(B), true);
    if (!F.isNaN())
      check("half", Expr, hex(B ^ 1), false);
  };
  const APFloat::roundingMode RNE = APFloat::rmNearestTiesToEven;
  for (size_t I = 0; I < Vals.size(); ++I)
    for (size_t J = 0; J < Vals.size(); ++J) {
      if ((I * Vals.size() + J) % 3) // a third of the pairs
        continue;
      APFloat X(H, APInt(16, Vals[I])), Y(H, APInt(16, Vals[J]));
      std::string Ops = " half " + hex(Vals[I]) + ", " + hex(Vals[J]);
      APFloat R = X;
      switch ((I + J) % 4) {
      case 0: R.add(Y, RNE); checkHalf("fadd" + Ops, R); break;
      case 1: R.subtract(Y, RNE); checkHalf("fsub" + Ops, R); break;
      case 2: R.multiply(Y, RNE); checkHalf("fmul" + Ops, R); break;
      default: R.divide(Y, RNE); checkHalf("fdiv" + Ops, R); break;
      }
      APFloat::cmpResult CR = X.compare(Y);
      bool Olt = CR == APFloat::cmpLessThan, Ueq = CR == APFloat::cmpEqual ||
                                                   CR == APFloat::cmpUnordered;
      bool UseOlt = (I + J) % 2;
      bool Want = UseOlt ? Olt : Ueq;
      std::string Cmp = std::string("fcmp ") + (UseOlt ? "olt" : "ueq") + Ops;
      check("i1", Cmp, Want ? "true" : "false", true);
      check("i1", Cmp, Want ? "false" : "true", false);
    }
  for (size_t I = 0; I + 2 < Vals.size(); I += 2) {
    APFloat X(H, APInt(16, Vals[I])), Y(H, APInt(16, Vals[I + 1])),
        Z(H, APInt(16, Vals[I + 2]));
    APFloat R = X;
    R.fusedMultiplyAdd(Y, Z, RNE);
    checkHalf("call half @llvm.fma.f16(half " + hex(Vals[I]) + ", half " +
                  hex(Vals[I + 1]) + ", half " + hex(Vals[I + 2]) + ")",
              R);
  }
  // Rounding to an integral value, in the direction each intrinsic names
  // (rint and nearbyint: the default environment's).
  const std::pair<const char *, APFloat::roundingMode> Roundings[] = {
      {"floor", APFloat::rmTowardNegative},
      {"ceil", APFloat::rmTowardPositive},
      {"trunc", APFloat::rmTowardZero},
      {"round", APFloat::rmNearestTiesToAway},
      {"roundeven", RNE},
      {"rint", RNE},
      {"nearbyint", RNE}};
  std::vector<uint16_t> ToRound = Vals;
  for (uint16_t V :
       {0x3800, 0xb800, 0x3e00, 0xbe00, 0x4100, 0xc100, 0x3bff, 0xb400, 0x6400})
    ToRound.push_back(V); // +-0.5, +-1.5, +-2.5, 0.99.., -0.25, 1024
  for (const auto &[Name, Mode] : Roundings)
    for (uint16_t V : ToRound) {
      APFloat R(H, APInt(16, V));
      R.roundToIntegral(Mode);
      checkHalf(std::string("call half @llvm.") + Name + ".f16(half " + hex(V) +
                    ")",
                R);
    }
  // llvm.is.fpclass against APFloat's classification, for each class alone
  // and for some unions of classes.
  for (uint16_t V : ToRound) {
    FPClassTest Class = APFloat(H, APInt(16, V)).classify();
    for (unsigned Mask : {1u, 2u, 4u, 8u, 16u, 32u, 64u, 128u, 256u, 512u, 3u,
                          0x264u, 0x3fcu, 0x1f8u}) {
      bool Want = Class & Mask;
      std::string Expr = "call i1 @llvm.is.fpclass.f16(half " + hex(V) +
                         ", i32 " + std::to_string(Mask) + ")";
      check("i1", Expr, Want ? "true" : "false", true);
      check("i1", Expr, Want ? "false" : "true", false);
    }
  }
  for (uint16_t V : Vals) {
    for (bool Signed : {true, false}) {
      APFloat R(H);
      R.convertFromAPInt(APInt(16, V), Signed, RNE);
      checkHalf(std::string(Signed ? "sitofp" : "uitofp") + " i16 " +
                    std::to_string(Signed ? (int16_t)V : V) + " to half",
                R);
      APSInt Int(16, /*isUnsigned=*/!Signed);
      bool Exact = false;
      APFloat::opStatus St = APFloat(H, APInt(16, V))
                                 .convertToInteger(Int, APFloat::rmTowardZero, &Exact);
      std::string Expr = std::string(Signed ? "fptosi" : "fptoui") + " half " +
                         hex(V) + " to i16";
      if (St & APFloat::opInvalidOp) {
        check("i16", Expr, "poison", true);
      } else {
        check("i16", Expr, std::to_string(Int.getExtValue()), true);
        check("i16", Expr, std::to_string(Int.getExtValue() ^ 1), false);
      }
    }
  }
  // fpext half -> float (every half, signalling NaNs included, can be
  // written exactly) and fptrunc float -> half (float constants are
  // written in double's hex form, so no signalling NaN survives parsing).
  // A float constant as IR writes it: the hex of the equal double.
  auto floatHex = [&](APFloat F) {
    bool LosesInfo = false;
    F.convert(APFloat::IEEEdouble(), RNE, &LosesInfo);
    return formatv("0x{0:X-16}", F.bitcastToAPInt().getZExtValue()).str();
  };
  auto checkFloat = [&](const std::string &Expr, const APFloat &F) {
    uint32_t B = (uint32_t)F.bitcastToAPInt().getZExtValue();
    check("float", Expr, floatHex(F), true);
    if (!F.isNaN())
      check("float", Expr,
            floatHex(APFloat(APFloat::IEEEsingle(), APInt(32, B ^ 1))), false);
  };
  for (uint16_t V : Vals) {
    APFloat R(H, APInt(16, V));
    bool LosesInfo = false;
    R.convert(APFloat::IEEEsingle(), RNE, &LosesInfo);
    checkFloat("fpext half " + hex(V) + " to float", R);
  }
  std::vector<uint32_t> Floats = {0x3f800000, 0x477fe000, 0x477ff000,
                                  0x477fefff, 0x33000000, 0x33000001,
                                  0x80000000, 0x7f800000, 0x7fc12345,
                                  0xffc00001, 0x40490fdb, 0x38800000};
  for (unsigned I = 0; I < 12; ++I)
    Floats.push_back((uint32_t)Rng());
  for (uint32_t V : Floats) {
    APFloat X(APFloat::IEEEsingle(), APInt(32, V));
    if (X.isSignaling())
      continue;
    APFloat R = X;
    bool LosesInfo = false;
    R.convert(H, RNE, &LosesInfo);
    checkHalf("fptrunc float " + floatHex(X) + " to half", R);
  }
  outs() << "floating point: " << Checked << " checks against APFloat\n";
  EXPECT_GE(Checked, 300u);
  for (auto &S : Bad)
    ADD_FAILURE() << S;
}

} // namespace

