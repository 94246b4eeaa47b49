//===- neuropt-verify.cpp - Check that @tgt refines @src -------*- C++ -*-===//
//
// Part of neuropt, under the Apache License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//
//
// This file implements the neuropt-verify tool:
//
//   neuropt-verify FILE.ll                  @src against @tgt in one file
//   neuropt-verify SRC.ll TGT.ll [--function NAME]
//
// The first line is "verdict: proved|refuted|unknown (REASON)|bounded (k=N)".
// Exit codes (relied on by other tooling): 0 proved, 1 refuted, 2 unknown or
// bounded, 3 input error.
//
//===----------------------------------------------------------------------===//

#include "neuropt/Verify/Verifier.h"

#include "llvm/IR/LLVMContext.h"
#include "llvm/IR/Module.h"
#include "llvm/IRReader/IRReader.h"
#include "llvm/Support/CommandLine.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/InitLLVM.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/SourceMgr.h"
#include "llvm/Support/raw_ostream.h"

using namespace llvm;
using namespace neuropt;

static cl::OptionCategory Cat("neuropt-verify options");
static cl::list<std::string> Inputs(cl::Positional, cl::desc("<file.ll> [<tgt.ll>]"),
                                    cl::OneOrMore, cl::cat(Cat));
static cl::opt<std::string> FunctionName("function",
                                         cl::desc("Function to compare (two-file mode)"),
                                         cl::value_desc("name"), cl::cat(Cat));
static cl::opt<bool> JSON("json", cl::desc("Print the result as JSON"), cl::cat(Cat));
static cl::opt<std::string> SMT2Dir("smt2",
                                    cl::desc("Write an SMT-LIB2 certificate per proof into DIR"),
                                    cl::value_desc("dir"), cl::cat(Cat));
static cl::opt<unsigned> TimeoutMs("timeout-ms", cl::desc("Solver time limit per query"),
                                   cl::init(5000), cl::cat(Cat));
static cl::opt<uint64_t>
    Rlimit("rlimit",
           cl::desc("Solver resource units (Z3 rlimit) for the encoding and "
                    "all queries; unlike --timeout-ms, the same on every run "
                    "and machine (0: unlimited)"),
           cl::init(0), cl::cat(Cat));
static cl::opt<unsigned> MemoryMB("memory-mb", cl::desc("Solver memory cap in MB"),
                                  cl::init(2048), cl::cat(Cat));
static cl::opt<bool> CheapCalls(
    "cheap-call-encoding",
    cl::desc("Keep calls' results and memory behind constants while encoding "
             "(fewer solver units on functions with many calls; "
             "neuropt-size verifies without it)"),
    cl::init(false), cl::cat(Cat));
static cl::opt<bool> DefinedInputs(
    "assume-defined-inputs",
    cl::desc("Verify for inputs without undef bits only (arguments, memory "
             "at entry, bytes callees write); a proof says so"),
    cl::init(false), cl::cat(Cat));
static cl::opt<unsigned> Unroll("unroll", cl::desc("Loop unrolling bound"), cl::init(4),
                                cl::cat(Cat));
static cl::opt<unsigned> RandomInputs("random-inputs",
                                      cl::desc("Random inputs for differential execution"),
                                      cl::init(256), cl::cat(Cat));
enum class Engine { SMT, DiffExec, Layered };
static cl::opt<Engine> EngineOpt(
    "engine", cl::desc("Which verifier stack to use"), cl::init(Engine::SMT),
    cl::values(clEnumValN(Engine::SMT, "smt", "SMT refinement check (default)"),
               clEnumValN(Engine::DiffExec, "diffexec", "differential execution only"),
               clEnumValN(Engine::Layered, "layered",
                          "differential execution first, then SMT")),
    cl::cat(Cat));

static int inputError(const Twine &Msg) {
  errs() << "neuropt-verify: error: " << Msg << "\n";
  return 3;
}

static std::unique_ptr<Module> load(StringRef Path, LLVMContext &Ctx, std::string &Err) {
  if (!sys::fs::exists(Path)) {
    Err = Path.str() + ": no such file";
    return nullptr;
  }
  SMDiagnostic Diag;
  std::unique_ptr<Module> M = parseIRFile(Path, Diag, Ctx);
  if (!M) {
    std::string S;
    raw_string_ostream OS(S);
    Diag.print("neuropt-verify", OS, /*ShowColors=*/false);
    Err = Path.str() + ": malformed IR:\n" + OS.str();
  }
  return M;
}

static const Function *findDefined(Module &M, StringRef Name, StringRef Path,
                                   std::string &Err) {
  const Function *F = M.getFunction(Name);
  if (!F || F->isDeclaration()) {
    Err = Path.str() + ": no definition of @" + Name.str();
    return nullptr;
  }
  return F;
}

int main(int argc, char **argv) {
  InitLLVM X(argc, argv);
  cl::HideUnrelatedOptions(Cat);
  cl::ParseCommandLineOptions(argc, argv,
                              "neuropt-verify: check that a target function refines "
                              "a source function\n");
  if (Inputs.size() > 2)
    return inputError("expected one file (@src and @tgt) or two files");

  // One context for both files, as in the passes: struct types of the
  // second are renamed copies (%struct.S.0), compared by their bodies.
  LLVMContext Ctx;
  std::string Err;
  std::unique_ptr<Module> SM = load(Inputs[0], Ctx, Err);
  if (!SM)
    return inputError(Err);
  std::unique_ptr<Module> TM;
  const Function *Src = nullptr, *Tgt = nullptr;
  if (Inputs.size() == 1) {
    if (!FunctionName.empty())
      return inputError("--function needs two files");
    Src = findDefined(*SM, "src", Inputs[0], Err);
    if (Src)
      Tgt = findDefined(*SM, "tgt", Inputs[0], Err);
  } else {
    TM = load(Inputs[1], Ctx, Err);
    if (!TM)
      return inputError(Err);
    std::string Name = FunctionName;
    if (Name.empty()) {
      // Without --function, the files must define exactly one function.
      for (const Function &F : *SM)
        if (!F.isDeclaration()) {
          if (!Name.empty())
            return inputError(Inputs[0] + ": several functions; pass --function NAME");
          Name = F.getName().str();
        }
      if (Name.empty())
        return inputError(Inputs[0] + ": no function definitions");
    }
    Src = findDefined(*SM, Name, Inputs[0], Err);
    if (Src)
      Tgt = findDefined(*TM, Name, Inputs[1], Err);
  }
  if (!Src || !Tgt)
    return inputError(Err);
  if (std::string Why = checkSignatures(*Src, *Tgt); !Why.empty())
    return inputError("signature mismatch: " + Why);

  VerifyOptions Opts;
  Opts.TimeoutMs = TimeoutMs;
  Opts.ResourceLimit = Rlimit;
  Opts.MemoryMB = MemoryMB;
  Opts.UnrollBound = Unroll;
  Opts.CheapCallEncoding = CheapCalls;
  Opts.AssumeDefinedInputs = DefinedInputs;
  Opts.RandomInputs = RandomInputs;
  Opts.WantCertificate = !SMT2Dir.empty();

  std::unique_ptr<Verifier> V;
  switch (EngineOpt) {
  case Engine::SMT:
    V = createSMTVerifier();
    break;
  case Engine::DiffExec:
    V = createDiffExecVerifier();
    break;
  case Engine::Layered:
    V = createDefaultVerifier();
    break;
  }
  VerifyResult R = V->verify(*Src, *Tgt, Opts);

  if (!SMT2Dir.empty() && !R.Certificates.empty()) {
    if (std::error_code EC = sys::fs::create_directories(SMT2Dir))
      return inputError(SMT2Dir + ": " + EC.message());
    for (const Certificate &C : R.Certificates) {
      SmallString<128> P(SMT2Dir.getValue());
      sys::path::append(P, C.Name + ".smt2");
      std::error_code EC;
      raw_fd_ostream OS(P, EC);
      if (EC)
        return inputError(Twine(P) + ": " + EC.message());
      OS << "; neuropt-verify certificate: " << verdictName(R.V) << " "
         << Inputs[0] << "\n; any SMT-LIB2 solver must answer unsat\n"
         << C.SMT2;
    }
  }

  if (JSON)
    printResultJSON(outs(), R);
  else
    printResult(outs(), R);
  switch (R.V) {
  case Verdict::Proved:
    return 0;
  case Verdict::Refuted:
    return 1;
  default:
    return 2;
  }
}
