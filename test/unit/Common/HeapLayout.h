//===- HeapLayout.h - Tests of output that must not follow the heap -*- C++ -*-===//
//
// Part of neuropt, under the Apache License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//
//
// LLVM 22's GVNSink sorts each instruction's users by address, so which
// instructions it sinks follows the heap's layout: in a thread whose heap
// has holes in a varying order, the same module gives different output.
// neuropt runs candidate pipelines in forked children on threads with
// fresh malloc arenas, and its pipelines run that step on a copy read from
// bitcode; these helpers let tests scramble the parent's heap and check
// that nothing changes (bench/results/size.md, sessions 30 and 34).
//
//===----------------------------------------------------------------------===//

#ifndef NEUROPT_TEST_UNIT_COMMON_HEAPLAYOUT_H
#define NEUROPT_TEST_UNIT_COMMON_HEAPLAYOUT_H

#include "IRTestUtil.h"

#include "llvm/AsmParser/Parser.h"
#include "llvm/IR/LLVMContext.h"
#include "llvm/IR/Module.h"
#include "llvm/Passes/PassBuilder.h"
#include "llvm/Support/SourceMgr.h"

#include <cstdlib>
#include <memory>
#include <set>
#include <string>
#include <utility>
#include <vector>

namespace neuropt {

/// Twenty functions whose four switch cases each run the same five
/// instructions on a different constant, the first of them used three
/// times: GVNSink can sink all five into the join. \p Header goes first
/// (a target triple and data layout, say).
inline std::string fourWayTwins(const std::string &Header = "") {
  std::string IR = Header + "declare void @h(i32, i32)\n";
  for (unsigned F = 0; F < 20; ++F) {
    IR += "define void @t" + std::to_string(F) +
          "(i32 %s, i32 %x, i32 %y, ptr %p) {\nentry:\n  switch i32 %s, "
          "label %e [";
    for (unsigned C = 0; C < 4; ++C)
      IR += " i32 " + std::to_string(C) + ", label %b" + std::to_string(C);
    IR += " ]\n";
    for (unsigned C = 0; C < 4; ++C) {
      std::string N = std::to_string(C);
      IR += "b" + N + ":\n  %v1." + N + " = add i32 %x, " +
            std::to_string(F * 10 + C + 1) + "\n  %v2." + N +
            " = mul i32 %v1." + N + ", %y\n  store i32 %v1." + N +
            ", ptr %p\n  %v3." + N + " = xor i32 %v2." + N + ", %v1." + N +
            "\n  call void @h(i32 %v3." + N + ", i32 %v2." + N +
            ")\n  br label %e\n";
    }
    IR += "e:\n  ret void\n}\n";
  }
  return IR;
}

/// Leaves many small free blocks in the calling thread's heap, freed in an
/// order drawn from \p Seed, so that the next small allocations get
/// addresses in that order rather than in the order they are made.
inline void scrambleHeap(unsigned Seed) {
  constexpr unsigned N = 40000;
  std::vector<void *> Blocks(N);
  unsigned X = Seed;
  auto Next = [&] { return X = X * 1103515245u + 12345u; };
  for (void *&B : Blocks)
    B = std::malloc(8 + (Next() >> 8) % 25 * 8);
  for (unsigned I = N - 1; I > 0; --I)
    std::swap(Blocks[I], Blocks[(Next() >> 4) % (I + 1)]);
  for (void *B : Blocks)
    std::free(B);
}

/// Parses \p IR, runs LLVM's own gvn-sink on it in this thread and prints
/// the result.
inline std::string sinkWithLLVMAndPrint(const std::string &IR) {
  llvm::LLVMContext Ctx;
  llvm::SMDiagnostic Err;
  std::unique_ptr<llvm::Module> M = llvm::parseAssemblyString(IR, Err, Ctx);
  if (!M)
    return "parse error: " + Err.getMessage().str();
  llvm::PassBuilder PB;
  llvm::LoopAnalysisManager LAM;
  llvm::FunctionAnalysisManager FAM;
  llvm::CGSCCAnalysisManager CGAM;
  llvm::ModuleAnalysisManager MAM;
  PB.registerModuleAnalyses(MAM);
  PB.registerCGSCCAnalyses(CGAM);
  PB.registerFunctionAnalyses(FAM);
  PB.registerLoopAnalyses(LAM);
  PB.crossRegisterProxies(LAM, FAM, CGAM, MAM);
  llvm::ModulePassManager MPM;
  if (llvm::Error E = PB.parsePassPipeline(MPM, "function(gvn-sink)"))
    return llvm::toString(std::move(E));
  MPM.run(*M, MAM);
  return printModule(*M);
}

/// The distinct outputs of LLVM's own gvn-sink on \p IR in this thread,
/// the heap scrambled with seeds 1-6 before each run. More than one shows
/// that the step follows the heap, which the tests need to show anything.
inline std::set<std::string> sinkUnderScrambledHeaps(const std::string &IR) {
  std::set<std::string> Out;
  for (unsigned Seed = 1; Seed <= 6; ++Seed) {
    scrambleHeap(Seed);
    Out.insert(sinkWithLLVMAndPrint(IR));
  }
  return Out;
}

} // namespace neuropt

#endif
