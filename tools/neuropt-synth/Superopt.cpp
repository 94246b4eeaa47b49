//===- Superopt.cpp - neuropt-synth superopt: fill the synthesis cache -*- C++ -*-===//
//
// Part of neuropt, under the Apache License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//
//
// This file implements `neuropt-synth superopt`, the offline driver of the
// superoptimizer. It optimizes every input module (O2 by default, as clang
// would before neuropt-superopt runs at the end of its pipeline), harvests
// the integer DAGs, drops repeated hashes and hashes the cache already
// answers (so an interrupted run resumes), synthesizes the rest within a
// budget each and stores every result in the cache. A DAG whose interior
// nodes are used elsewhere also yields its cut (Synth/CutDAG.h), the
// problem the pass looks up when the whole DAG saves nothing in place. It
// ends with a report: problems, solved, no cheaper form, over budget,
// instructions saved, time and work units per problem and solver calls.
//
// Inputs are IR files, directories of them, or a neuropt-corpus directory
// (one with corpus.db), of which --split selects the packages' split.
// --jobs N runs N copies of the driver on disjoint shards in child processes
// (the verifier forks, so the engine must not share a process with other
// threads) and merges their reports.
//
// --import LHS.ll --rhs RHS.ll stores one hand-written rewrite: @rhs must be
// proved to refine @lhs. With --no-verify it is stored as given, which is
// only useful to check that consumers of the cache distrust what they read.
//
//===----------------------------------------------------------------------===//

#include "neuropt/Cache/Cache.h"
#include "neuropt/Synth/CutDAG.h"
#include "neuropt/Synth/Harvest.h"
#include "neuropt/Synth/Synthesize.h"
#include "neuropt/Verify/Verifier.h"

#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/StringMap.h"
#include "llvm/ADT/StringSwitch.h"
#include "llvm/AsmParser/Parser.h"
#include "llvm/IR/Function.h"
#include "llvm/IR/Instructions.h"
#include "llvm/IR/LLVMContext.h"
#include "llvm/IR/Module.h"
#include "llvm/IR/Verifier.h"
#include "llvm/IRReader/IRReader.h"
#include "llvm/MC/TargetRegistry.h"
#include "llvm/Passes/PassBuilder.h"
#include "llvm/Support/CommandLine.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Format.h"
#include "llvm/Support/FormatVariadic.h"
#include "llvm/Support/JSON.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/Process.h"
#include "llvm/Support/Program.h"
#include "llvm/Support/SourceMgr.h"
#include "llvm/Support/TargetSelect.h"
#include "llvm/Support/WithColor.h"
#include "llvm/Support/raw_ostream.h"
#include "llvm/Target/TargetMachine.h"
#include "llvm/TargetParser/Triple.h"

#include <sqlite3.h>

#include <algorithm>
#include <chrono>
#include <set>

using namespace llvm;
using namespace neuropt;

static cl::SubCommand SuperoptCmd(
    "superopt", "Synthesize cheaper forms of the integer DAGs of a corpus or "
                "of IR files and store them in the synthesis cache");

static cl::list<std::string>
    Inputs(cl::Positional, cl::desc("<corpus-dir|dir|file.ll|file.bc>..."),
           cl::sub(SuperoptCmd));
static cl::opt<std::string>
    CacheSpecOpt("cache", cl::value_desc("PATH|sqlite:PATH|redis://HOST:PORT"),
                 cl::desc("The synthesis cache (default: the one the pass "
                          "uses, getDefaultCachePath())"),
                 cl::sub(SuperoptCmd));
static cl::opt<std::string>
    Split("split", cl::init(""),
          cl::desc("Corpus inputs: only packages of this split (train, val, "
                   "test); empty: all"),
          cl::sub(SuperoptCmd));
static cl::opt<std::string> ShardOpt("shard", cl::init("0/1"),
                                     cl::value_desc("i/N"),
                                     cl::desc("Work on every N-th module from "
                                              "the i-th on"),
                                     cl::sub(SuperoptCmd));
static cl::opt<unsigned>
    BudgetMsOpt("budget-ms", cl::init(1000),
                cl::desc("Synthesis budget per problem in nominal milliseconds "
                         "(deterministic work units, 2000 per ms)"),
                cl::sub(SuperoptCmd));
static cl::opt<unsigned>
    MaxProblems("max-problems", cl::init(0),
                cl::desc("Stop after this many synthesis problems (0: all)"),
                cl::sub(SuperoptCmd));
static cl::opt<unsigned>
    MaxModules("max-modules", cl::init(0),
               cl::desc("Use at most this many modules (after sharding; "
                        "0: all)"),
               cl::sub(SuperoptCmd));
static cl::opt<unsigned> Jobs("jobs", cl::init(1),
                              cl::desc("Worker processes"),
                              cl::sub(SuperoptCmd));
static cl::opt<unsigned> MaxSizeOpt("max-size",
                                    cl::init(HarvestOptions().MaxSize),
                                    cl::desc("Most instructions in one DAG"),
                                    cl::sub(SuperoptCmd));
static cl::opt<unsigned>
    MaxRHSOpt("max-rhs-insts", cl::init(SynthOptions().MaxRHSInsts),
              cl::desc("Most instructions in a synthesized RHS"),
              cl::sub(SuperoptCmd));
static cl::opt<unsigned>
    SolverTimeoutOpt("solver-timeout-ms", cl::init(2000),
                     cl::desc("Solver time limit per query"),
                     cl::sub(SuperoptCmd));
static cl::opt<std::string>
    OptLevel("opt", cl::init("O2"),
             cl::desc("Pipeline run on each module before harvesting: O1, "
                      "O2, O3, Os, Oz or none"),
             cl::sub(SuperoptCmd));
static cl::opt<std::string>
    ReportJSON("report-json", cl::init(""),
               cl::desc("Also write the report, with every problem, as JSON"),
               cl::sub(SuperoptCmd));
static cl::opt<bool> Quiet("quiet", cl::desc("No progress lines"),
                           cl::sub(SuperoptCmd));
static cl::opt<std::string>
    ImportLHS("import", cl::init(""), cl::value_desc("LHS.ll"),
              cl::desc("Store one rewrite: the DAG returned by @lhs in this "
                       "file (see --rhs)"),
              cl::sub(SuperoptCmd));
static cl::opt<std::string>
    ImportRHS("rhs", cl::init(""), cl::value_desc("RHS.ll"),
              cl::desc("With --import: the module text with @rhs to store"),
              cl::sub(SuperoptCmd));
static cl::opt<bool> NoVerify(
    "no-verify",
    cl::desc("With --import: store the RHS without proving it (to test that "
             "the pass distrusts the cache)"),
    cl::sub(SuperoptCmd));

static const char *const ToolName = "neuropt-synth superopt";

namespace {

/// One synthesis problem and what became of it.
struct ProblemRecord {
  std::string Hash;
  std::string Where; ///< file @function of the first occurrence.
  std::string Status; ///< found, none-cheaper, budget, unsupported, error.
  double Ms = 0;
  unsigned LHSInsts = 0, RHSInsts = 0, LHSCost = 0, RHSCost = 0;
  uint64_t SolverCalls = 0;
  uint64_t Units = 0; ///< Work units (the same on every run).
  unsigned Occurrences = 1;
};

struct Report {
  unsigned Modules = 0, FailedModules = 0;
  uint64_t DAGs = 0, Cuts = 0, Distinct = 0, Cached = 0;
  std::vector<ProblemRecord> Problems;
};

struct Shard {
  unsigned Index = 0, Count = 1;
};

} // namespace

static Error makeError(const Twine &Msg) {
  return createStringError(inconvertibleErrorCode(), Msg);
}

static Expected<Shard> parseShard(StringRef Text) {
  auto [A, B] = Text.split('/');
  Shard S;
  if (A.getAsInteger(10, S.Index) || B.getAsInteger(10, S.Count) ||
      S.Count == 0 || S.Index >= S.Count)
    return makeError("bad --shard '" + Text + "' (expected i/N with i < N)");
  return S;
}

/// The modules of a neuropt-corpus database, in hash order.
static Expected<std::vector<std::string>> corpusModules(StringRef Dir) {
  SmallString<256> DBPath(Dir);
  sys::path::append(DBPath, "corpus.db");
  sqlite3 *DB = nullptr;
  if (sqlite3_open_v2(DBPath.c_str(), &DB, SQLITE_OPEN_READONLY, nullptr) !=
      SQLITE_OK) {
    std::string Msg = DB ? sqlite3_errmsg(DB) : "out of memory";
    sqlite3_close(DB);
    return makeError("cannot open corpus database '" + DBPath + "': " + Msg);
  }
  sqlite3_busy_timeout(DB, 30000);
  sqlite3_stmt *S = nullptr;
  const char *SQL = "SELECT m.path FROM modules m JOIN packages p"
                    " ON p.name = m.package WHERE (?1 = '' OR p.split = ?1)"
                    " ORDER BY m.hash";
  if (sqlite3_prepare_v2(DB, SQL, -1, &S, nullptr) != SQLITE_OK) {
    std::string Msg = sqlite3_errmsg(DB);
    sqlite3_close(DB);
    return makeError("corpus database '" + DBPath +
                     "' has no modules/packages tables: " + Msg);
  }
  sqlite3_bind_text(S, 1, Split.c_str(), -1, SQLITE_TRANSIENT);
  std::vector<std::string> Paths;
  while (sqlite3_step(S) == SQLITE_ROW) {
    SmallString<256> P(Dir);
    sys::path::append(P, reinterpret_cast<const char *>(sqlite3_column_text(S, 0)));
    Paths.push_back(std::string(P));
  }
  sqlite3_finalize(S);
  sqlite3_close(DB);
  if (Paths.empty())
    return makeError("no modules in '" + DBPath + "'" +
                     (Split.empty() ? "" : " for split '" + Split + "'"));
  return Paths;
}

/// Expands the positional inputs to a sorted list of IR files.
static Expected<std::vector<std::string>> collectInputs() {
  std::vector<std::string> Files;
  for (const std::string &In : Inputs) {
    if (!sys::fs::exists(In))
      return makeError("'" + In + "': no such file or directory");
    if (!sys::fs::is_directory(In)) {
      Files.push_back(In);
      continue;
    }
    SmallString<256> DB(In);
    sys::path::append(DB, "corpus.db");
    if (sys::fs::exists(DB)) {
      Expected<std::vector<std::string>> C = corpusModules(In);
      if (!C)
        return C.takeError();
      Files.insert(Files.end(), C->begin(), C->end());
      continue;
    }
    std::vector<std::string> Found;
    std::error_code EC;
    for (sys::fs::recursive_directory_iterator It(In, EC), End;
         It != End && !EC; It.increment(EC)) {
      StringRef P = It->path();
      if (P.ends_with(".bc") || P.ends_with(".ll"))
        Found.push_back(P.str());
    }
    if (EC)
      return makeError("'" + In + "': " + EC.message());
    llvm::sort(Found);
    Files.insert(Files.end(), Found.begin(), Found.end());
  }
  return Files;
}

static Expected<std::unique_ptr<Module>> loadModule(StringRef Path,
                                                    LLVMContext &Ctx) {
  SMDiagnostic Diag;
  std::unique_ptr<Module> M = parseIRFile(Path, Diag, Ctx);
  if (!M)
    return makeError("'" + Path + "': not valid LLVM IR: line " +
                     Twine(Diag.getLineNo()) + ": " + Diag.getMessage());
  if (verifyModule(*M, nullptr))
    return makeError("'" + Path + "': invalid LLVM IR (the verifier fails)");
  return M;
}

/// Runs the default pipeline at \p Level with the module's own target, as
/// clang would, so that harvested hashes match the pass's at compile time.
static void optimize(Module &M, OptimizationLevel Level) {
  std::unique_ptr<TargetMachine> TM;
  std::string Err;
  Triple T(M.getTargetTriple());
  if (const Target *Tgt = TargetRegistry::lookupTarget(T, Err))
    TM.reset(Tgt->createTargetMachine(T, "", "", TargetOptions(),
                                      std::nullopt));
  LoopAnalysisManager LAM;
  FunctionAnalysisManager FAM;
  CGSCCAnalysisManager CGAM;
  ModuleAnalysisManager MAM;
  PassBuilder PB(TM.get());
  PB.registerModuleAnalyses(MAM);
  PB.registerCGSCCAnalyses(CGAM);
  PB.registerFunctionAnalyses(FAM);
  PB.registerLoopAnalyses(LAM);
  PB.crossRegisterProxies(LAM, FAM, CGAM, MAM);
  ModulePassManager MPM = PB.buildPerModuleDefaultPipeline(Level);
  MPM.run(M, MAM);
}

static std::optional<OptimizationLevel> parseLevel(StringRef S) {
  return StringSwitch<std::optional<OptimizationLevel>>(S)
      .Case("O1", OptimizationLevel::O1)
      .Case("O2", OptimizationLevel::O2)
      .Case("O3", OptimizationLevel::O3)
      .Case("Os", OptimizationLevel::Os)
      .Case("Oz", OptimizationLevel::Oz)
      .Default(std::nullopt);
}

/// Instructions of @rhs in \p Text other than the return; 0 if it does not
/// parse (it always does for the engine's results).
static unsigned rhsInsts(StringRef Text, LLVMContext &Ctx) {
  SMDiagnostic Diag;
  std::unique_ptr<Module> M = parseAssemblyString(Text, Diag, Ctx);
  Function *F = M ? M->getFunction("rhs") : nullptr;
  if (!F || F->isDeclaration())
    return 0;
  return F->getInstructionCount() - 1;
}

static std::string statusBar(const Report &R) {
  unsigned Found = 0;
  for (const ProblemRecord &P : R.Problems)
    Found += P.Status == "found";
  return (Twine(R.Modules) + " modules, " + Twine(R.Problems.size()) +
          " problems, " + Twine(Found) + " solved")
      .str();
}

/// Harvests, synthesizes and stores, in this process.
static Error runWorker(SynthesisCache &Cache, ArrayRef<std::string> Files,
                       Report &R) {
  std::optional<OptimizationLevel> Level;
  if (OptLevel != "none") {
    Level = parseLevel(OptLevel);
    if (!Level)
      return makeError("bad --opt '" + OptLevel +
                       "' (expected O1, O2, O3, Os, Oz or none)");
  }
  HarvestOptions HO;
  HO.MaxSize = MaxSizeOpt;
  SynthOptions SO;
  SO.BudgetMs = BudgetMsOpt;
  SO.MaxRHSInsts = MaxRHSOpt;
  SO.SolverTimeoutMs = SolverTimeoutOpt;
  StringMap<size_t> Seen; // Hash -> index in R.Problems, or SIZE_MAX.
  bool TTY = sys::Process::StandardErrIsDisplayed();
  auto LastLine = std::chrono::steady_clock::now();

  // One DAG: skip it if seen or cached, else synthesize and store.
  auto Handle = [&](const HarvestedDAG &D, StringRef Path, StringRef Fn,
                    bool Cut) -> Error {
    std::string Hash = D.hashHex();
    auto [It, New] = Seen.try_emplace(Hash, SIZE_MAX);
    if (!New) {
      if (It->second != SIZE_MAX)
        ++R.Problems[It->second].Occurrences;
      return Error::success();
    }
    ++R.Distinct;
    Expected<std::optional<CacheEntry>> Hit = Cache.get(Hash);
    if (!Hit)
      return makeError("cache '" + Cache.describe() +
                       "': " + toString(Hit.takeError()));
    if (*Hit) {
      ++R.Cached;
      return Error::success();
    }
    if (MaxProblems && R.Problems.size() >= MaxProblems)
      return Error::success();
    ProblemRecord P;
    P.Hash = Hash;
    P.Where = (Path + " @" + Fn + (Cut ? " (cut)" : "")).str();
    P.LHSInsts = D.size();
    auto T0 = std::chrono::steady_clock::now();
    Expected<SynthResult> SR = synthesize(D, SO);
    P.Ms = std::chrono::duration<double, std::milli>(
               std::chrono::steady_clock::now() - T0)
               .count();
    if (!SR) {
      P.Status = "error";
      WithColor::warning(errs(), ToolName)
          << P.Where << ": DAG " << Hash << ": " << toString(SR.takeError())
          << '\n';
    } else {
      P.Status = synthStatusName(SR->Status);
      P.SolverCalls = SR->Stats.SolverCalls;
      P.Units = SR->Stats.Units;
      P.LHSCost = SR->LHSCost;
      P.RHSCost = SR->RHSCost;
      std::optional<CacheEntry> E;
      if (SR->Status == SynthStatus::Found) {
        P.RHSInsts = rhsInsts(SR->RHSText, D.Root->getContext());
        E = CacheEntry::rewrite(SR->RHSText, SR->Certificate,
                                int64_t(SR->LHSCost) - int64_t(SR->RHSCost),
                                "neuropt-superopt/1");
      } else if (SR->Status == SynthStatus::NoneCheaper) {
        E = CacheEntry::noCheaperForm(SR->Certificate, "neuropt-superopt/1");
      }
      if (E) {
        Expected<bool> Put = Cache.put(Hash, *E);
        if (!Put)
          return makeError("cache '" + Cache.describe() +
                           "': " + toString(Put.takeError()));
      }
    }
    It->second = R.Problems.size();
    R.Problems.push_back(std::move(P));
    if (!Quiet) {
      auto Now = std::chrono::steady_clock::now();
      if (TTY)
        errs() << "\r" << ToolName << ": " << statusBar(R) << "   ";
      else if (Now - LastLine > std::chrono::seconds(30)) {
        errs() << ToolName << ": " << statusBar(R) << '\n';
        LastLine = Now;
      }
    }
    return Error::success();
  };

  for (const std::string &Path : Files) {
    if (MaxProblems && R.Problems.size() >= MaxProblems)
      break;
    LLVMContext Ctx;
    Expected<std::unique_ptr<Module>> M = loadModule(Path, Ctx);
    if (!M) {
      WithColor::warning(errs(), ToolName) << toString(M.takeError()) << '\n';
      ++R.FailedModules;
      continue;
    }
    ++R.Modules;
    if (Level)
      optimize(**M, *Level);
    for (Function &F : **M) {
      for (const HarvestedDAG &D : harvestFunction(F, HO)) {
        ++R.DAGs;
        if (Error E = Handle(D, Path, F.getName(), /*Cut=*/false))
          return E;
        // The part of D that dies with its root, when shared nodes keep
        // the rest alive: the pass looks this up too (Synth/CutDAG.h).
        if (std::optional<CutDAG> C = cutDAG(D)) {
          ++R.Cuts;
          if (Error E = Handle(C->DAG, Path, F.getName(), /*Cut=*/true))
            return E;
        }
      }
    }
  }
  if (!Quiet && TTY)
    errs() << '\n';
  return Error::success();
}

static json::Value toJSON(const Report &R) {
  json::Array Ps;
  for (const ProblemRecord &P : R.Problems)
    Ps.push_back(json::Object{{"hash", P.Hash},
                              {"where", P.Where},
                              {"status", P.Status},
                              {"ms", P.Ms},
                              {"lhs_insts", P.LHSInsts},
                              {"rhs_insts", P.RHSInsts},
                              {"lhs_cost", P.LHSCost},
                              {"rhs_cost", P.RHSCost},
                              {"solver_calls", int64_t(P.SolverCalls)},
                              {"units", int64_t(P.Units)},
                              {"occurrences", P.Occurrences}});
  return json::Object{{"modules", R.Modules},
                      {"failed_modules", R.FailedModules},
                      {"dags", int64_t(R.DAGs)},
                      {"cuts", int64_t(R.Cuts)},
                      {"distinct", int64_t(R.Distinct)},
                      {"cached", int64_t(R.Cached)},
                      {"problems", std::move(Ps)}};
}

static Error mergeJSON(StringRef Path, Report &R, std::set<std::string> &Seen) {
  ErrorOr<std::unique_ptr<MemoryBuffer>> Buf = MemoryBuffer::getFile(Path);
  if (!Buf)
    return makeError("worker report '" + Path +
                     "': " + Buf.getError().message());
  Expected<json::Value> V = json::parse((*Buf)->getBuffer());
  if (!V)
    return V.takeError();
  const json::Object *O = V->getAsObject();
  if (!O)
    return makeError("worker report '" + Path + "' is not an object");
  auto Int = [](const json::Object &O, StringRef K) {
    return O.getInteger(K).value_or(0);
  };
  R.Modules += Int(*O, "modules");
  R.FailedModules += Int(*O, "failed_modules");
  R.DAGs += Int(*O, "dags");
  R.Cuts += Int(*O, "cuts");
  R.Distinct += Int(*O, "distinct");
  R.Cached += Int(*O, "cached");
  if (const json::Array *Ps = O->getArray("problems"))
    for (const json::Value &PV : *Ps) {
      const json::Object *PO = PV.getAsObject();
      if (!PO)
        continue;
      ProblemRecord P;
      P.Hash = PO->getString("hash").value_or("").str();
      // Two workers can meet the same DAG; the first report keeps it.
      if (!Seen.insert(P.Hash).second)
        continue;
      P.Where = PO->getString("where").value_or("").str();
      P.Status = PO->getString("status").value_or("").str();
      P.Ms = PO->getNumber("ms").value_or(0);
      P.LHSInsts = Int(*PO, "lhs_insts");
      P.RHSInsts = Int(*PO, "rhs_insts");
      P.LHSCost = Int(*PO, "lhs_cost");
      P.RHSCost = Int(*PO, "rhs_cost");
      P.SolverCalls = Int(*PO, "solver_calls");
      P.Units = Int(*PO, "units");
      P.Occurrences = Int(*PO, "occurrences");
      R.Problems.push_back(std::move(P));
    }
  return Error::success();
}

/// Runs --jobs copies of this command on disjoint sub-shards and merges
/// their JSON reports.
static Error runJobs(StringRef Argv0, Shard Sh, Report &R) {
  std::string Exe = sys::fs::getMainExecutable(Argv0.str().c_str(),
                                               (void *)&runJobs);
  SmallString<128> Dir;
  if (std::error_code EC =
          sys::fs::createUniqueDirectory("neuropt-superopt-jobs", Dir))
    return makeError("cannot create a temporary directory: " + EC.message());
  std::vector<sys::ProcessInfo> Procs;
  std::vector<std::string> Reports;
  for (unsigned J = 0; J != Jobs; ++J) {
    SmallString<128> Rep(Dir);
    sys::path::append(Rep, "job" + Twine(J) + ".json");
    Reports.push_back(std::string(Rep));
    std::vector<std::string> Args = {
        Exe,
        "superopt",
        "--jobs=1",
        "--quiet",
        "--shard=" + std::to_string(Sh.Index + J * Sh.Count) + "/" +
            std::to_string(Sh.Count * Jobs),
        "--report-json=" + Reports.back(),
        "--cache=" + (CacheSpecOpt.empty() ? getDefaultCachePath()
                                           : CacheSpecOpt.getValue()),
        "--split=" + Split,
        "--budget-ms=" + std::to_string(BudgetMsOpt),
        "--max-size=" + std::to_string(MaxSizeOpt),
        "--max-rhs-insts=" + std::to_string(MaxRHSOpt),
        "--solver-timeout-ms=" + std::to_string(SolverTimeoutOpt),
        "--opt=" + OptLevel};
    if (MaxProblems)
      Args.push_back("--max-problems=" +
                     std::to_string((MaxProblems + Jobs - 1) / Jobs));
    if (MaxModules)
      Args.push_back("--max-modules=" +
                     std::to_string((MaxModules + Jobs - 1) / Jobs));
    for (const std::string &In : Inputs)
      Args.push_back(In);
    SmallVector<StringRef, 16> Refs(Args.begin(), Args.end());
    std::string Err;
    sys::ProcessInfo PI = sys::ExecuteNoWait(Exe, Refs, std::nullopt, {}, 0,
                                             &Err);
    if (PI.Pid == sys::ProcessInfo::InvalidPid)
      return makeError("cannot start a worker: " + Err);
    Procs.push_back(PI);
  }
  bool Failed = false;
  for (sys::ProcessInfo &PI : Procs) {
    std::string Err;
    sys::ProcessInfo Done = sys::Wait(PI, std::nullopt, &Err);
    if (Done.ReturnCode != 0) {
      WithColor::warning(errs(), ToolName)
          << "a worker failed (exit " << Done.ReturnCode << ")"
          << (Err.empty() ? "" : ": " + Err) << '\n';
      Failed = true;
    }
  }
  std::set<std::string> Seen;
  for (const std::string &Rep : Reports)
    if (sys::fs::exists(Rep)) {
      if (Error E = mergeJSON(Rep, R, Seen))
        return E;
      sys::fs::remove(Rep);
    }
  sys::fs::remove(Dir);
  if (Failed)
    return makeError("one or more workers failed");
  return Error::success();
}

static double percentile(std::vector<double> V, double Q) {
  if (V.empty())
    return 0;
  llvm::sort(V);
  size_t I = std::min(V.size() - 1, size_t(Q * (V.size() - 1) + 0.5));
  return V[I];
}

static void printReport(const Report &R, raw_ostream &OS) {
  unsigned Found = 0, None = 0, Budget = 0, Unsup = 0, Errors = 0;
  uint64_t Saved = 0, SavedAll = 0, Calls = 0, Occ = 0;
  int64_t CostSaved = 0;
  double TotalMs = 0;
  uint64_t TotalUnits = 0;
  std::vector<double> Times, Units;
  for (const ProblemRecord &P : R.Problems) {
    Times.push_back(P.Ms);
    TotalMs += P.Ms;
    Units.push_back(double(P.Units));
    TotalUnits += P.Units;
    Calls += P.SolverCalls;
    if (P.Status == "found") {
      ++Found;
      unsigned S = P.LHSInsts > P.RHSInsts ? P.LHSInsts - P.RHSInsts : 0;
      Saved += S;
      SavedAll += uint64_t(S) * P.Occurrences;
      Occ += P.Occurrences;
      CostSaved += int64_t(P.LHSCost) - int64_t(P.RHSCost);
    } else if (P.Status == "none-cheaper")
      ++None;
    else if (P.Status == "budget")
      ++Budget;
    else if (P.Status == "unsupported")
      ++Unsup;
    else
      ++Errors;
  }
  size_t N = R.Problems.size();
  OS << "superopt: " << R.Modules << " modules (" << R.FailedModules
     << " failed), " << R.DAGs << " DAGs (+" << R.Cuts << " cut), "
     << R.Distinct
     << " distinct, " << R.Cached << " already in the cache\n";
  OS << "superopt: " << N << " problems: " << Found << " solved, " << None
     << " no cheaper form, " << Budget << " over budget, " << Unsup
     << " unsupported, " << Errors << " errors\n";
  OS << "superopt: improved " << Found << " DAGs (" << Occ
     << " occurrences); instructions saved: " << Saved << " per distinct DAG, "
     << SavedAll << " over all occurrences; cost saved " << CostSaved << "\n";
  OS << format("superopt: time per problem: median %.0f ms, p95 %.0f ms, "
               "total %.1f s; solver calls: %llu (%.1f per problem, %.1f/s)\n",
               percentile(Times, 0.5), percentile(Times, 0.95),
               TotalMs / 1000, (unsigned long long)Calls,
               N ? double(Calls) / N : 0.0,
               TotalMs > 0 ? Calls / (TotalMs / 1000) : 0.0);
  // The work is the same on every run; the time depends on the machine.
  OS << format("superopt: work per problem: median %.0f units, p95 %.0f "
               "units, total %llu units\n",
               percentile(Units, 0.5), percentile(Units, 0.95),
               (unsigned long long)TotalUnits);
}

/// --import: one hand-written rewrite into the cache.
static int runImport(SynthesisCache &Cache) {
  LLVMContext Ctx;
  Expected<std::unique_ptr<Module>> L = loadModule(ImportLHS, Ctx);
  if (!L) {
    WithColor::error(errs(), ToolName) << toString(L.takeError()) << '\n';
    return 1;
  }
  Function *LF = (*L)->getFunction("lhs");
  auto *Ret = LF && !LF->isDeclaration()
                  ? dyn_cast<ReturnInst>(LF->back().getTerminator())
                  : nullptr;
  auto *Root = Ret ? dyn_cast_or_null<Instruction>(Ret->getReturnValue())
                   : nullptr;
  if (!Root || !isHarvestableInst(*Root)) {
    WithColor::error(errs(), ToolName)
        << "'" << ImportLHS
        << "': @lhs must return an integer DAG instruction\n";
    return 1;
  }
  HarvestedDAG D = extractDAG(*Root);
  ErrorOr<std::unique_ptr<MemoryBuffer>> RB = MemoryBuffer::getFile(ImportRHS);
  if (!RB) {
    WithColor::error(errs(), ToolName)
        << "'" << ImportRHS << "': " << RB.getError().message() << '\n';
    return 1;
  }
  std::string RHSText = (*RB)->getBuffer().str();
  std::string Certificate = "imported without proof";
  if (!NoVerify) {
    SMDiagnostic Diag;
    std::unique_ptr<Module> RM = parseAssemblyString(RHSText, Diag, Ctx);
    Function *RF = RM ? RM->getFunction("rhs") : nullptr;
    if (!RF) {
      WithColor::error(errs(), ToolName)
          << "'" << ImportRHS << "': no @rhs (" << Diag.getMessage() << ")\n";
      return 1;
    }
    std::unique_ptr<Module> LM = synthesisSource(D);
    VerifyOptions VO;
    VO.TimeoutMs = SolverTimeoutOpt;
    VO.WantCertificate = true;
    VerifyResult V = createSMTVerifier()->verify(*LM->getFunction("lhs"), *RF, VO);
    if (!V.proved() || V.Certificates.empty()) {
      WithColor::error(errs(), ToolName)
          << "@rhs is not proved to refine @lhs: " << verdictLine(V) << '\n';
      return 1;
    }
    Certificate = V.Certificates.front().SMT2;
  }
  Expected<bool> Put = Cache.put(
      D.hashHex(),
      CacheEntry::rewrite(RHSText, Certificate, 0, "neuropt-synth-import/1"),
      OverwritePolicy::Replace);
  if (!Put) {
    WithColor::error(errs(), ToolName) << toString(Put.takeError()) << '\n';
    return 1;
  }
  outs() << "superopt: stored " << (NoVerify ? "unverified " : "proved ")
         << "rewrite for " << D.hashHex() << '\n';
  return 0;
}

namespace neuropt {

bool isSuperoptCommand() { return static_cast<bool>(SuperoptCmd); }

int runSuperoptCommand(const char *Argv0) {
  InitializeNativeTarget();
  Expected<Shard> Sh = parseShard(ShardOpt);
  if (!Sh) {
    WithColor::error(errs(), ToolName) << toString(Sh.takeError()) << '\n';
    return 1;
  }
  if (MaxSizeOpt == 0 || MaxSizeOpt > MaxHarvestSize) {
    WithColor::error(errs(), ToolName)
        << "--max-size must be between 1 and " << MaxHarvestSize << '\n';
    return 1;
  }
  std::string Spec =
      CacheSpecOpt.empty() ? getDefaultCachePath() : CacheSpecOpt.getValue();
  Expected<std::unique_ptr<SynthesisCache>> Cache = createCache(Spec);
  if (!Cache) {
    WithColor::error(errs(), ToolName)
        << "cannot open the cache '" << Spec
        << "': " << toString(Cache.takeError()) << '\n';
    return 1;
  }
  if (!ImportLHS.empty() || !ImportRHS.empty()) {
    if (ImportLHS.empty() || ImportRHS.empty()) {
      WithColor::error(errs(), ToolName) << "--import and --rhs go together\n";
      return 1;
    }
    return runImport(**Cache);
  }
  if (Inputs.empty()) {
    WithColor::error(errs(), ToolName)
        << "no inputs (a corpus directory, directories or IR files)\n";
    return 1;
  }
  if (Jobs == 0) {
    WithColor::error(errs(), ToolName) << "--jobs must be at least 1\n";
    return 1;
  }

  Report R;
  if (Jobs > 1) {
    Cache->reset(); // The workers open it themselves.
    if (Error E = runJobs(Argv0, *Sh, R)) {
      WithColor::error(errs(), ToolName) << toString(std::move(E)) << '\n';
      return 1;
    }
  } else {
    Expected<std::vector<std::string>> All = collectInputs();
    if (!All) {
      WithColor::error(errs(), ToolName) << toString(All.takeError()) << '\n';
      return 1;
    }
    std::vector<std::string> Files;
    for (size_t I = 0; I != All->size(); ++I)
      if (I % Sh->Count == Sh->Index &&
          (!MaxModules || Files.size() < MaxModules))
        Files.push_back((*All)[I]);
    if (Error E = runWorker(**Cache, Files, R)) {
      WithColor::error(errs(), ToolName) << toString(std::move(E)) << '\n';
      return 1;
    }
  }
  printReport(R, outs());
  if (!ReportJSON.empty()) {
    std::error_code EC;
    raw_fd_ostream OS(ReportJSON, EC);
    if (EC) {
      WithColor::error(errs(), ToolName)
          << "cannot write '" << ReportJSON << "': " << EC.message() << '\n';
      return 1;
    }
    OS << formatv("{0:2}", toJSON(R)) << '\n';
  }
  return R.FailedModules && !R.Modules ? 1 : 0;
}

} // namespace neuropt
