//===- Size.cpp - neuropt-eval size: neuropt-size against clang -Oz ---------===//
//
// Part of neuropt, under the Apache License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//
//
// This file implements `neuropt-eval size`. Every translation unit is built
// by the real clang driver at -Oz and at -Oz with the plugin, --runs times
// each (3 by default), alternating (the median is the compile time). The
// objects' sections are read with llvm::object, the optimized IR
// (-emit-llvm) is counted with countIRInstructions, and the plugin's
// decisions come from one more build with an optimization record (pass
// neuropt-size), read with LLVM's remarks parser. The ceiling is
// searchPassSequences on the unoptimized module (-disable-llvm-passes).
//
//===----------------------------------------------------------------------===//

#include "Size.h"

#include "neuropt/Search/PassSearch.h"
#include "neuropt/Search/PipelineEvaluator.h"
#include "neuropt/Support/Hashing.h"

#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/SmallString.h"
#include "llvm/ADT/StringMap.h"
#include "llvm/IR/LLVMContext.h"
#include "llvm/IR/Module.h"
#include "llvm/IRReader/IRReader.h"
#include "llvm/Object/ELFObjectFile.h"
#include "llvm/Object/ObjectFile.h"
#include "llvm/Remarks/Remark.h"
#include "llvm/Remarks/RemarkFormat.h"
#include "llvm/Remarks/RemarkParser.h"
#include "llvm/Support/CommandLine.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Format.h"
#include "llvm/Support/FormatVariadic.h"
#include "llvm/Support/JSON.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/Program.h"
#include "llvm/Support/SourceMgr.h"
#include "llvm/Support/WithColor.h"
#include "llvm/Support/raw_ostream.h"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cmath>
#include <map>
#include <mutex>
#include <optional>
#include <thread>

using namespace llvm;
using namespace neuropt;

//===----------------------------------------------------------------------===//
// Command line
//===----------------------------------------------------------------------===//

static cl::SubCommand SizeCmd(
    "size", "Compare clang -Oz with and without the plugin on C programs");
static cl::OptionCategory SizeCategory("neuropt-eval size options");
static cl::list<std::string>
    SizeDirs(cl::Positional, cl::desc("<dir>..."), cl::sub(SizeCmd),
             cl::cat(SizeCategory));
static cl::opt<std::string>
    SizePlugin("plugin",
               cl::desc("Pass plugin (default: lib/NeurOpt.so next to the "
                        "bin/ directory of this tool)"),
               cl::value_desc("path"), cl::sub(SizeCmd), cl::cat(SizeCategory));
static cl::opt<std::string>
    SizeClang("clang", cl::desc("clang driver (default: clang-22 on PATH, "
                                "then /usr/lib/llvm-22/bin/clang)"),
              cl::value_desc("path"), cl::sub(SizeCmd), cl::cat(SizeCategory));
static cl::opt<unsigned>
    SizeBudget("budget",
               cl::desc("Ceiling search evaluations per translation unit"),
               cl::init(300), cl::sub(SizeCmd), cl::cat(SizeCategory));
static cl::opt<uint64_t> SizeSeed("seed", cl::desc("Ceiling search seed"),
                                  cl::init(1), cl::sub(SizeCmd),
                                  cl::cat(SizeCategory));
static cl::opt<bool> SizeNoCeiling("no-ceiling",
                                   cl::desc("Skip the ceiling search"),
                                   cl::sub(SizeCmd), cl::cat(SizeCategory));
static cl::opt<unsigned>
    SizeK("k", cl::desc("Pass -mllvm -neuropt-size-k=N to the plugin build"),
          cl::sub(SizeCmd), cl::cat(SizeCategory));
static cl::list<std::string>
    SizeMLLVM("mllvm",
              cl::desc("Pass -mllvm OPT to the plugin build (repeatable)"),
              cl::value_desc("opt"), cl::sub(SizeCmd), cl::cat(SizeCategory));
static cl::list<std::string>
    SizeCCArgs("cc-arg",
               cl::desc("Extra clang argument for both builds (repeatable)"),
               cl::value_desc("arg"), cl::sub(SizeCmd), cl::cat(SizeCategory));
static cl::opt<unsigned> SizeJobs("jobs", cl::desc("Programs in parallel"),
                                  cl::init(1), cl::sub(SizeCmd),
                                  cl::cat(SizeCategory));
static cl::opt<unsigned>
    SizeRuns("runs", cl::desc("Timed compilations per build (median)"),
             cl::init(3), cl::sub(SizeCmd), cl::cat(SizeCategory));
static cl::opt<std::string> SizeOut("out", cl::desc("Output directory"),
                                    cl::init("neuropt-eval-size"),
                                    cl::value_desc("dir"), cl::sub(SizeCmd),
                                    cl::cat(SizeCategory));
static cl::opt<std::string> SizeReuseCeiling(
    "reuse-ceiling",
    cl::desc("Reuse the ceilings of an earlier results.json (same budget, "
             "seed and clang arguments) where the -Oz object is unchanged"),
    cl::value_desc("results.json"), cl::sub(SizeCmd), cl::cat(SizeCategory));
static cl::opt<bool>
    SizePerDir("per-dir",
               cl::desc("Each directory is one program of several sources"),
               cl::sub(SizeCmd), cl::cat(SizeCategory));

//===----------------------------------------------------------------------===//
// Results
//===----------------------------------------------------------------------===//

namespace {

struct Sections {
  uint64_t Text = 0, ROData = 0, Data = 0;
  /// Not in the objective, but loaded with the program: each function the
  /// pass creates (outlined, merged) adds an unwind table entry here.
  uint64_t EHFrame = 0;
  uint64_t UnwindEntries = 0; ///< FDEs in .eh_frame.
  uint64_t objective() const { return Text + ROData + Data; }
  /// The objective plus the unwind tables of the linked program (.eh_frame
  /// and 8 bytes of .eh_frame_hdr per entry; ObjectSize::unwindBytes).
  uint64_t withUnwind() const {
    return objective() + unwindTableBytes(EHFrame, UnwindEntries);
  }
  /// The families PipelineEvaluator measured.
  static Sections of(const ObjectSize &O) {
    Sections S;
    S.Text = O.Text;
    S.ROData = O.ROData;
    S.Data = O.Data;
    S.EHFrame = O.EHFrame;
    S.UnwindEntries = O.UnwindEntries;
    return S;
  }
  Sections &operator+=(const Sections &O) {
    Text += O.Text;
    ROData += O.ROData;
    Data += O.Data;
    EHFrame += O.EHFrame;
    UnwindEntries += O.UnwindEntries;
    return *this;
  }
};

/// One build configuration of one translation unit (or the sum over a
/// program's translation units).
struct BuildResult {
  Sections Obj;
  uint64_t IRInsts = 0;
  double CompileMs = 0; ///< Median of the timed runs (wall clock).
  /// Median of the timed runs' CPU time (user + system, all threads): what
  /// the build costs a machine whose cores are all busy (make -j).
  double CpuMs = 0;
};

struct CeilingResult {
  Sections Baseline; ///< default<Oz> as PipelineEvaluator measures it.
  Sections Best;
  uint64_t BestIRInsts = 0;
  std::string Pipeline;
  unsigned Evaluations = 0, Failures = 0;
  bool Reused = false; ///< Taken from --reuse-ceiling.
};

/// Ceilings of an earlier run, by canonical source path.
using CeilingCache = std::map<std::string, CeilingResult>;

struct RemarkRecord {
  std::string Name, Function;
  std::vector<std::pair<std::string, std::string>> Args;
  std::string arg(StringRef Key) const {
    for (const auto &[K, V] : Args)
      if (K == Key)
        return V;
    return "";
  }
};

struct TUResult {
  std::string Source;
  std::string Error; ///< Empty if the unit was measured.
  BuildResult Stock, Neuropt;
  /// The plugin build with the optimization record gave the same objective
  /// as the timed builds.
  bool Reproducible = true;
  std::optional<CeilingResult> Ceiling;
  std::vector<RemarkRecord> Remarks; ///< Pass neuropt-size only.
  double Seconds = 0;

  std::string decision() const {
    auto Has = [&](StringRef N) {
      return any_of(Remarks, [&](const RemarkRecord &R) { return R.Name == N; });
    };
    if (Has("Applied"))
      return "applied";
    if (Has("KeptStock"))
      return "kept-stock";
    if (Has("Budget"))
      return "budget";
    if (Has("Unsupported"))
      return "unsupported";
    return Remarks.empty() ? "no-remark" : "other";
  }
};

struct Program {
  std::string Name;
  std::vector<std::string> Sources;
  std::vector<TUResult> TUs;

  bool failed() const {
    return any_of(TUs, [](const TUResult &T) { return !T.Error.empty(); });
  }
  bool hasCeiling() const {
    return !TUs.empty() &&
           all_of(TUs, [](const TUResult &T) { return T.Ceiling.has_value(); });
  }
  BuildResult stock() const {
    BuildResult R;
    for (const TUResult &T : TUs) {
      R.Obj += T.Stock.Obj;
      R.IRInsts += T.Stock.IRInsts;
      R.CompileMs += T.Stock.CompileMs;
      R.CpuMs += T.Stock.CpuMs;
    }
    return R;
  }
  BuildResult neuropt() const {
    BuildResult R;
    for (const TUResult &T : TUs) {
      R.Obj += T.Neuropt.Obj;
      R.IRInsts += T.Neuropt.IRInsts;
      R.CompileMs += T.Neuropt.CompileMs;
      R.CpuMs += T.Neuropt.CpuMs;
    }
    return R;
  }
  Sections ceiling() const {
    Sections S;
    for (const TUResult &T : TUs)
      S += T.Ceiling->Best;
    return S;
  }
  /// (Oz - neuropt) / (Oz - ceiling) when the ceiling gains.
  std::optional<double> shareOfCeiling() const {
    if (failed() || !hasCeiling())
      return std::nullopt;
    uint64_t Oz = stock().Obj.objective(), Ceil = ceiling().objective();
    if (Ceil >= Oz)
      return std::nullopt;
    return (double(Oz) - double(neuropt().Obj.objective())) /
           (double(Oz) - double(Ceil));
  }
};

} // namespace

/// Reduction of \p New against \p Old (positive = smaller).
static double reduction(uint64_t Old, uint64_t New) {
  return Old ? 1.0 - double(New) / double(Old) : 0.0;
}

/// 1 - geometric mean of New/Old over the pairs (positive = smaller).
static double geomeanReduction(ArrayRef<std::pair<uint64_t, uint64_t>> Pairs) {
  if (Pairs.empty())
    return 0;
  double Log = 0;
  for (auto [Old, New] : Pairs)
    Log += std::log(double(std::max<uint64_t>(New, 1)) /
                    double(std::max<uint64_t>(Old, 1)));
  return 1.0 - std::exp(Log / Pairs.size());
}

static double median(std::vector<double> V) {
  if (V.empty())
    return 0;
  llvm::sort(V);
  size_t N = V.size();
  return N % 2 ? V[N / 2] : (V[N / 2 - 1] + V[N / 2]) / 2;
}

//===----------------------------------------------------------------------===//
// Measuring one translation unit
//===----------------------------------------------------------------------===//

static Expected<Sections> readSections(StringRef Path) {
  ErrorOr<std::unique_ptr<MemoryBuffer>> Buf = MemoryBuffer::getFile(Path);
  if (!Buf)
    return createStringError(Buf.getError(), "cannot read '%s': %s",
                             Path.str().c_str(),
                             Buf.getError().message().c_str());
  Expected<ObjectSize> O = measureObject((*Buf)->getMemBufferRef());
  if (!O)
    return createStringError(inconvertibleErrorCode(), "cannot read '%s': %s",
                             Path.str().c_str(),
                             toString(O.takeError()).c_str());
  return Sections::of(*O);
}

static Expected<uint64_t> countIRFile(StringRef Path) {
  LLVMContext Ctx;
  SMDiagnostic Err;
  std::unique_ptr<Module> M = parseIRFile(Path, Err, Ctx);
  if (!M)
    return createStringError(inconvertibleErrorCode(), "cannot parse '%s': %s",
                             Path.str().c_str(), Err.getMessage().str().c_str());
  return countIRInstructions(*M);
}

/// LLVM's YAML remark parser drops a single-quoted scalar's quotes but keeps
/// its escapes: inside, '' stands for one quote ("-Oz''s result").
static std::string unescapeSingleQuoted(StringRef S) {
  std::string Out;
  Out.reserve(S.size());
  for (size_t I = 0; I < S.size(); ++I) {
    Out.push_back(S[I]);
    if (S[I] == '\'' && I + 1 < S.size() && S[I + 1] == '\'')
      ++I;
  }
  return Out;
}

/// The neuropt-size remarks of an optimization record (YAML).
static Expected<std::vector<RemarkRecord>> readRemarks(StringRef Path) {
  auto Buf = MemoryBuffer::getFile(Path);
  if (!Buf)
    return createStringError(Buf.getError(), "cannot read '%s'",
                             Path.str().c_str());
  std::vector<RemarkRecord> Out;
  if ((*Buf)->getBuffer().trim().empty())
    return Out;
  auto Parser =
      remarks::createRemarkParser(remarks::Format::YAML, (*Buf)->getBuffer());
  if (!Parser)
    return Parser.takeError();
  while (true) {
    Expected<std::unique_ptr<remarks::Remark>> R = (*Parser)->next();
    if (!R) {
      Error E = R.takeError();
      if (E.isA<remarks::EndOfFileError>()) {
        consumeError(std::move(E));
        break;
      }
      return createStringError(inconvertibleErrorCode(), "%s: %s",
                               Path.str().c_str(),
                               toString(std::move(E)).c_str());
    }
    if ((*R)->PassName != "neuropt-size")
      continue;
    RemarkRecord Rec;
    Rec.Name = (*R)->RemarkName.str();
    Rec.Function = (*R)->FunctionName.str();
    for (const remarks::Argument &A : (*R)->Args)
      Rec.Args.emplace_back(A.Key.str(), unescapeSingleQuoted(A.Val));
    Out.push_back(std::move(Rec));
  }
  return Out;
}

namespace {

/// Runs clang invocations for one translation unit, keeping their output in
/// a work directory so that a failure can be inspected.
class TUEvaluator {
public:
  TUEvaluator(const SizeEvalOptions &Opts, std::string Source,
              std::string WorkDir)
      : Opts(Opts), Source(std::move(Source)), WorkDir(std::move(WorkDir)) {
    StringRef Ext = sys::path::extension(this->Source);
    IsIR = Ext == ".bc" || Ext == ".ll";
  }

  TUResult run(PipelineEvaluator *Eval, const CeilingCache &Cache);

private:
  std::string path(StringRef Suffix) const {
    SmallString<256> P(WorkDir);
    sys::path::append(P, sys::path::filename(Source) + Suffix);
    return std::string(P);
  }
  /// The arguments of a build; \p Replay adds -neuropt-size-cache-replay
  /// where the plugin build uses a size cache.
  std::vector<std::string> baseArgs(bool WithPlugin, bool Replay = false) const;
  /// Runs clang with \p Args (after the driver name); the elapsed wall time
  /// goes to \p Ms, the CPU time (user + system) to \p CpuMs. The first
  /// lines of stderr make the error.
  Error clang(ArrayRef<std::string> Args, StringRef LogSuffix,
              double *Ms = nullptr, double *CpuMs = nullptr) const;
  Expected<CeilingResult> ceiling(PipelineEvaluator &Eval) const;

  const SizeEvalOptions &Opts;
  std::string Source, WorkDir;
  bool IsIR = false;
};

} // namespace

namespace {
/// How the plugin build uses -neuropt-size-cache, from its -mllvm options.
struct SizeCacheUse {
  bool Cache = false, Replay = false, Update = true;
};
} // namespace

static SizeCacheUse sizeCacheUse(const SizeEvalOptions &Opts) {
  SizeCacheUse U;
  // A boolean option's value after its name: "", "=true", "=1" and so on.
  auto On = [](StringRef V) {
    return !V.equals_insensitive("=false") && V != "=0";
  };
  for (StringRef M : Opts.MLLVMArgs) {
    if (M.consume_front("-neuropt-size-cache="))
      U.Cache = !M.empty();
    else if (M.consume_front("-neuropt-size-cache-replay"))
      U.Replay = On(M);
    else if (M.consume_front("-neuropt-size-cache-update"))
      U.Update = On(M);
  }
  return U;
}

/// Whether the later compilations of a translation unit (remarks, IR)
/// replay the size cache's record instead of going on with the search: the
/// plugin build uses a cache, and does not replay it already.
static bool replaysSizeCache(const SizeEvalOptions &Opts) {
  SizeCacheUse U = sizeCacheUse(Opts);
  return U.Cache && !U.Replay;
}

/// Whether a unit's timed compilations after the first read the record an
/// earlier one wrote, so that their median mixes a first compilation with
/// rebuilds: a cache that is written and not replayed, and more than one
/// run.
static bool laterRunsReadTheirRecord(const SizeEvalOptions &Opts) {
  SizeCacheUse U = sizeCacheUse(Opts);
  return U.Cache && !U.Replay && U.Update && Opts.Runs > 1;
}

std::vector<std::string> TUEvaluator::baseArgs(bool WithPlugin,
                                               bool Replay) const {
  std::vector<std::string> A{"-Oz"};
  append_range(A, Opts.ClangArgs);
  if (WithPlugin) {
    A.push_back("-fpass-plugin=" + Opts.Plugin);
    for (const std::string &M : Opts.MLLVMArgs) {
      A.push_back("-mllvm");
      A.push_back(M);
    }
    if (Replay && replaysSizeCache(Opts)) {
      A.push_back("-mllvm");
      A.push_back("-neuropt-size-cache-replay");
    }
  }
  return A;
}

Error TUEvaluator::clang(ArrayRef<std::string> Args, StringRef LogSuffix,
                         double *Ms, double *CpuMs) const {
  std::string Log = path(LogSuffix);
  std::vector<StringRef> Argv{Opts.Clang};
  for (const std::string &A : Args)
    Argv.push_back(A);
  std::optional<StringRef> Redirects[] = {StringRef(""), StringRef(Log),
                                          StringRef(Log)};
  std::string ErrMsg;
  std::optional<sys::ProcessStatistics> Stat;
  auto Start = std::chrono::steady_clock::now();
  int RC = sys::ExecuteAndWait(Opts.Clang, Argv, std::nullopt, Redirects,
                               /*SecondsToWait=*/900, 0, &ErrMsg,
                               /*ExecutionFailed=*/nullptr, &Stat);
  auto End = std::chrono::steady_clock::now();
  if (Ms)
    *Ms = std::chrono::duration<double, std::milli>(End - Start).count();
  if (CpuMs)
    *CpuMs =
        Stat
            ? std::chrono::duration<double, std::milli>(Stat->TotalTime).count()
            : 0;
  if (RC == 0)
    return Error::success();
  std::string Command = Opts.Clang;
  for (const std::string &A : Args)
    Command += " " + A;
  std::string Diag;
  if (auto Buf = MemoryBuffer::getFile(Log)) {
    // The diagnostics themselves, without source excerpts and carets.
    SmallVector<StringRef, 16> Lines, Picked;
    (*Buf)->getBuffer().split(Lines, '\n', -1, false);
    for (StringRef L : Lines)
      if (Picked.size() < 3 &&
          (L.contains("error: ") || L.contains("fatal") ||
           L.contains("Unknown command line argument") ||
           L.contains("Stack dump") || L.contains("Assertion")))
        Picked.push_back(L.trim());
    if (Picked.empty() && !Lines.empty())
      Picked.push_back(Lines.front().trim());
    Diag = join(Picked, " | ");
  }
  return createStringError(
      inconvertibleErrorCode(), "clang failed (%s): %s%s%s",
      RC < 0 ? (ErrMsg.empty() ? "crashed or timed out" : ErrMsg.c_str())
             : formatv("exit {0}", RC).str().c_str(),
      Command.c_str(), Diag.empty() ? "" : ": ", Diag.c_str());
}

Expected<CeilingResult> TUEvaluator::ceiling(PipelineEvaluator &Eval) const {
  std::string Input = Source;
  if (!IsIR) {
    // The unoptimized module as clang -Oz would hand it to its pipeline.
    Input = path(".pre.bc");
    std::vector<std::string> A = baseArgs(false);
    append_range(A, std::vector<std::string>{"-Xclang", "-disable-llvm-passes",
                                             "-emit-llvm", "-c", Source, "-o",
                                             Input});
    if (Error E = clang(A, ".pre.log"))
      return E;
  }
  LLVMContext Ctx;
  SMDiagnostic Err;
  std::unique_ptr<Module> M = parseIRFile(Input, Err, Ctx);
  if (!M)
    return createStringError(inconvertibleErrorCode(), "cannot parse '%s': %s",
                             Input.c_str(), Err.getMessage().str().c_str());
  SearchOptions SO;
  SO.Budget = Opts.Budget;
  SO.Seed = Opts.Seed;
  Expected<SearchResult> R = searchPassSequences(Eval, *M, SO);
  if (!R)
    return R.takeError();
  CeilingResult C;
  C.Baseline = Sections::of(R->Baseline.Object);
  C.Best = Sections::of(R->Best.Object);
  C.BestIRInsts = R->Best.IRInstructions;
  C.Pipeline = R->BestPipeline;
  C.Evaluations = R->Evaluations;
  C.Failures = R->Failures;
  return C;
}

/// The key of \p Source in a CeilingCache.
static std::string canonicalSource(StringRef Source) {
  SmallString<256> Real;
  if (sys::fs::real_path(Source, Real))
    return Source.str();
  return std::string(Real);
}

TUResult TUEvaluator::run(PipelineEvaluator *Eval, const CeilingCache &Cache) {
  auto Start = std::chrono::steady_clock::now();
  TUResult R;
  R.Source = Source;
  auto Fail = [&](Error E) {
    R.Error = toString(std::move(E));
    return R;
  };
  if (std::error_code EC = sys::fs::create_directories(WorkDir))
    return Fail(createStringError(EC, "cannot create '%s'", WorkDir.c_str()));

  // Timed builds, stock and plugin alternating so that both see the same
  // machine load; the objects of the last runs are measured. Which goes
  // first in the first run depends on the file's name: the first build
  // of a file meets colder caches, and with one run that would always
  // slow the same build down.
  std::string StockObj = path(".stock.o"), PluginObj = path(".neuropt.o");
  std::vector<std::string> StockArgs = baseArgs(false),
                           PluginArgs = baseArgs(true);
  append_range(StockArgs, std::vector<std::string>{"-c", Source, "-o", StockObj});
  append_range(PluginArgs,
               std::vector<std::string>{"-c", Source, "-o", PluginObj});
  std::vector<double> StockMs, PluginMs, StockCpu, PluginCpu;
  StableHasher NameHash;
  NameHash.update(sys::path::filename(Source));
  unsigned PluginFirst = NameHash.final() >> 40 & 1;
  for (unsigned I = 0; I < std::max(Opts.Runs, 1u); ++I) {
    double S = 0, P = 0, SC = 0, PC = 0;
    if ((I + PluginFirst) % 2 == 0) {
      if (Error E = clang(StockArgs, ".stock.log", &S, &SC))
        return Fail(std::move(E));
      if (Error E = clang(PluginArgs, ".neuropt.log", &P, &PC))
        return Fail(std::move(E));
    } else {
      if (Error E = clang(PluginArgs, ".neuropt.log", &P, &PC))
        return Fail(std::move(E));
      if (Error E = clang(StockArgs, ".stock.log", &S, &SC))
        return Fail(std::move(E));
    }
    StockMs.push_back(S);
    PluginMs.push_back(P);
    StockCpu.push_back(SC);
    PluginCpu.push_back(PC);
  }
  R.Stock.CompileMs = median(StockMs);
  R.Neuropt.CompileMs = median(PluginMs);
  R.Stock.CpuMs = median(StockCpu);
  R.Neuropt.CpuMs = median(PluginCpu);
  Expected<Sections> SS = readSections(StockObj);
  if (!SS)
    return Fail(SS.takeError());
  R.Stock.Obj = *SS;
  Expected<Sections> PS = readSections(PluginObj);
  if (!PS)
    return Fail(PS.takeError());
  R.Neuropt.Obj = *PS;

  // The plugin's decisions, from its optimization record. With a size
  // cache this compilation and the next replay the record the last timed
  // one left: going on with a search that ran out of budget could find
  // another object than the one measured.
  std::string Record = path(".remarks.yaml"), RecordObj = path(".remarks.o");
  std::vector<std::string> RA = baseArgs(true, /*Replay=*/true);
  append_range(RA, std::vector<std::string>{
                       "-fsave-optimization-record",
                       "-foptimization-record-file=" + Record,
                       "-foptimization-record-passes=neuropt-size", "-c", Source,
                       "-o", RecordObj});
  if (Error E = clang(RA, ".remarks.log"))
    return Fail(std::move(E));
  Expected<std::vector<RemarkRecord>> Remarks = readRemarks(Record);
  if (!Remarks)
    return Fail(Remarks.takeError());
  R.Remarks = std::move(*Remarks);
  Expected<Sections> RS = readSections(RecordObj);
  if (!RS)
    return Fail(RS.takeError());
  R.Reproducible = RS->objective() == R.Neuropt.Obj.objective();

  // Optimized IR of both configurations.
  for (bool WithPlugin : {false, true}) {
    std::string BC = path(WithPlugin ? ".neuropt.bc" : ".stock.bc");
    std::vector<std::string> A = baseArgs(WithPlugin, /*Replay=*/true);
    append_range(A, std::vector<std::string>{"-emit-llvm", "-c", Source, "-o", BC});
    if (Error E = clang(A, WithPlugin ? ".neuropt-ir.log" : ".stock-ir.log"))
      return Fail(std::move(E));
    Expected<uint64_t> N = countIRFile(BC);
    if (!N)
      return Fail(N.takeError());
    (WithPlugin ? R.Neuropt : R.Stock).IRInsts = *N;
  }

  auto Cached = Cache.find(canonicalSource(Source));
  if (Eval && Cached != Cache.end() &&
      Cached->second.Baseline.Text == R.Stock.Obj.Text &&
      Cached->second.Baseline.ROData == R.Stock.Obj.ROData &&
      Cached->second.Baseline.Data == R.Stock.Obj.Data) {
    R.Ceiling = Cached->second;
    R.Ceiling->Reused = true;
  } else if (Eval) {
    Expected<CeilingResult> C = ceiling(*Eval);
    if (!C)
      return Fail(C.takeError());
    R.Ceiling = std::move(*C);
  }
  R.Seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() -
                                            Start)
                  .count();
  return R;
}

//===----------------------------------------------------------------------===//
// Inputs
//===----------------------------------------------------------------------===//

static bool isSource(StringRef Path) {
  StringRef Ext = sys::path::extension(Path);
  return Ext == ".c" || Ext == ".i" || Ext == ".bc" || Ext == ".ll";
}

/// Sorted *.c, *.i (preprocessed C), *.bc, *.ll files directly in \p Dir.
static Expected<std::vector<std::string>> listSources(StringRef Dir) {
  sys::fs::file_status St;
  if (std::error_code EC = sys::fs::status(Dir, St))
    return createStringError(EC, "'%s': %s", Dir.str().c_str(),
                             EC.message().c_str());
  if (!sys::fs::is_directory(St))
    return createStringError(inconvertibleErrorCode(),
                             "'%s' is not a directory", Dir.str().c_str());
  std::vector<std::string> Out;
  std::error_code EC;
  for (sys::fs::directory_iterator It(Dir, EC), End; It != End && !EC;
       It.increment(EC))
    if (isSource(It->path()) &&
        It->type() != sys::fs::file_type::directory_file)
      Out.push_back(It->path());
  if (EC)
    return createStringError(EC, "cannot list '%s'", Dir.str().c_str());
  if (Out.empty())
    return createStringError(
        inconvertibleErrorCode(),
        "no C sources or bitcode (*.c, *.i, *.bc, *.ll) in '%s'",
        Dir.str().c_str());
  llvm::sort(Out);
  return Out;
}

static Expected<std::vector<Program>> collectPrograms(const SizeEvalOptions &O) {
  if (O.Dirs.empty())
    return createStringError(inconvertibleErrorCode(),
                             "no input directories");
  std::vector<Program> Programs;
  for (const std::string &Dir : O.Dirs) {
    Expected<std::vector<std::string>> Srcs = listSources(Dir);
    if (!Srcs)
      return Srcs.takeError();
    if (O.PerDir) {
      Program P;
      P.Name = sys::path::filename(sys::path::remove_leading_dotslash(
                                       StringRef(Dir).rtrim('/')))
                   .str();
      if (P.Name.empty() || P.Name == ".")
        P.Name = "program";
      P.Sources = std::move(*Srcs);
      Programs.push_back(std::move(P));
      continue;
    }
    for (std::string &S : *Srcs) {
      Program P;
      P.Name = sys::path::stem(S).str();
      P.Sources = {std::move(S)};
      Programs.push_back(std::move(P));
    }
  }
  // Names key the work directories and the table: make them unique.
  StringMap<unsigned> Count;
  for (const Program &P : Programs)
    ++Count[P.Name];
  StringMap<unsigned> Seen;
  for (Program &P : Programs)
    if (Count[P.Name] > 1) {
      std::string Base = P.Name;
      P.Name = formatv("{0}#{1}", Base, ++Seen[Base]).str();
    }
  return Programs;
}

//===----------------------------------------------------------------------===//
// Reports
//===----------------------------------------------------------------------===//

namespace {
struct Summary {
  unsigned Programs = 0, Measured = 0, Failed = 0, TUs = 0, LargerThanOz = 0,
           NotReproducible = 0;
  /// Larger than -Oz on the objective plus the unwind tables (reported, not
  /// a failure: the objective leaves them out).
  unsigned LargerWithUnwind = 0;
  /// Summed over the TUs.
  uint64_t StockEHFrame = 0, NeuroptEHFrame = 0, StockUnwindEntries = 0,
           NeuroptUnwindEntries = 0;
  double ObjReduction = 0, TextReduction = 0, IRReduction = 0;
  bool HaveCeiling = false;
  double CeilObjReduction = 0, CeilTextReduction = 0, CeilIRReduction = 0;
  unsigned CeilingGains = 0; ///< Programs where the ceiling beats -Oz.
  std::optional<double> ShareOfCeiling;
  double MedianTimeRatio = 0;
  double MedianCpuRatio = 0; ///< The same for CPU time.
  std::map<std::string, unsigned> Decisions;
  std::map<std::string, unsigned> RejectReasons;
  unsigned Rejected = 0;
  unsigned BaselineMismatches = 0; ///< Search baseline != clang -Oz.
};
} // namespace

static Summary summarize(ArrayRef<Program> Programs) {
  Summary S;
  S.Programs = Programs.size();
  std::vector<std::pair<uint64_t, uint64_t>> Obj, Text, IR, CObj, CText, CIR;
  std::vector<double> Ratios, CpuRatios;
  double Gained = 0, CeilGained = 0;
  S.HaveCeiling = any_of(Programs, [](const Program &P) {
    return !P.failed() && P.hasCeiling();
  });
  for (const Program &P : Programs) {
    if (P.failed()) {
      ++S.Failed;
      continue;
    }
    ++S.Measured;
    BuildResult St = P.stock(), Np = P.neuropt();
    Obj.push_back({St.Obj.objective(), Np.Obj.objective()});
    Text.push_back({St.Obj.Text, Np.Obj.Text});
    IR.push_back({St.IRInsts, Np.IRInsts});
    if (St.CompileMs > 0)
      Ratios.push_back(Np.CompileMs / St.CompileMs);
    if (St.CpuMs > 0)
      CpuRatios.push_back(Np.CpuMs / St.CpuMs);
    for (const TUResult &T : P.TUs) {
      ++S.TUs;
      if (T.Neuropt.Obj.objective() > T.Stock.Obj.objective())
        ++S.LargerThanOz;
      if (T.Neuropt.Obj.withUnwind() > T.Stock.Obj.withUnwind())
        ++S.LargerWithUnwind;
      S.StockEHFrame += T.Stock.Obj.EHFrame;
      S.NeuroptEHFrame += T.Neuropt.Obj.EHFrame;
      S.StockUnwindEntries += T.Stock.Obj.UnwindEntries;
      S.NeuroptUnwindEntries += T.Neuropt.Obj.UnwindEntries;
      if (!T.Reproducible)
        ++S.NotReproducible;
      ++S.Decisions[T.decision()];
      for (const RemarkRecord &R : T.Remarks)
        if (R.Name == "Rejected") {
          ++S.Rejected;
          std::string Reason = R.arg("Reason");
          ++S.RejectReasons[Reason.empty() ? "(none given)" : Reason];
        }
      if (T.Ceiling &&
          T.Ceiling->Baseline.objective() != T.Stock.Obj.objective())
        ++S.BaselineMismatches;
    }
    if (P.hasCeiling()) {
      Sections C = P.ceiling();
      uint64_t CIRs = 0;
      for (const TUResult &T : P.TUs)
        CIRs += T.Ceiling->BestIRInsts;
      CObj.push_back({St.Obj.objective(), C.objective()});
      CText.push_back({St.Obj.Text, C.Text});
      CIR.push_back({St.IRInsts, CIRs});
      if (C.objective() < St.Obj.objective()) {
        ++S.CeilingGains;
        Gained += double(St.Obj.objective()) - double(Np.Obj.objective());
        CeilGained += double(St.Obj.objective()) - double(C.objective());
      }
    }
  }
  S.ObjReduction = geomeanReduction(Obj);
  S.TextReduction = geomeanReduction(Text);
  S.IRReduction = geomeanReduction(IR);
  S.CeilObjReduction = geomeanReduction(CObj);
  S.CeilTextReduction = geomeanReduction(CText);
  S.CeilIRReduction = geomeanReduction(CIR);
  if (CeilGained > 0)
    S.ShareOfCeiling = Gained / CeilGained;
  S.MedianTimeRatio = median(Ratios);
  S.MedianCpuRatio = median(CpuRatios);
  return S;
}

static void writeSections(json::OStream &J, StringRef Key, const Sections &S) {
  J.attributeObject(Key, [&] {
    J.attribute("text", S.Text);
    J.attribute("rodata", S.ROData);
    J.attribute("data", S.Data);
    J.attribute("objective", S.objective());
    J.attribute("eh_frame", S.EHFrame);
    J.attribute("unwind_entries", S.UnwindEntries);
  });
}

static void writeBuild(json::OStream &J, StringRef Key, const BuildResult &B) {
  J.attributeObject(Key, [&] {
    J.attribute("text", B.Obj.Text);
    J.attribute("rodata", B.Obj.ROData);
    J.attribute("data", B.Obj.Data);
    J.attribute("objective", B.Obj.objective());
    J.attribute("eh_frame", B.Obj.EHFrame);
    J.attribute("unwind_entries", B.Obj.UnwindEntries);
    J.attribute("ir_insts", B.IRInsts);
    J.attribute("compile_ms", int64_t(std::llround(B.CompileMs)));
    J.attribute("cpu_ms", int64_t(std::llround(B.CpuMs)));
  });
}

static void writeJSON(raw_ostream &OS, const SizeEvalOptions &Opts,
                      ArrayRef<Program> Programs, const Summary &S) {
  json::OStream J(OS, 2);
  J.object([&] {
    J.attributeObject("config", [&] {
      J.attribute("clang", Opts.Clang);
      J.attribute("plugin", Opts.Plugin);
      J.attributeArray("clang_args", [&] {
        for (const std::string &A : Opts.ClangArgs)
          J.value(A);
      });
      J.attributeArray("mllvm", [&] {
        for (const std::string &A : Opts.MLLVMArgs)
          J.value(A);
      });
      J.attribute("ceiling", Opts.Ceiling);
      J.attribute("budget", Opts.Budget);
      J.attribute("seed", Opts.Seed);
      J.attribute("runs", Opts.Runs);
      J.attribute("jobs", Opts.Jobs);
      J.attribute("later_compilations_replay_cache", replaysSizeCache(Opts));
      J.attribute("timed_runs_after_the_first_read_its_record",
                  laterRunsReadTheirRecord(Opts));
    });
    J.attributeArray("programs", [&] {
      for (const Program &P : Programs)
        J.object([&] {
          J.attribute("name", P.Name);
          if (P.failed()) {
            for (const TUResult &T : P.TUs)
              if (!T.Error.empty()) {
                J.attribute("error", T.Source + ": " + T.Error);
                break;
              }
          } else {
            writeBuild(J, "oz", P.stock());
            writeBuild(J, "neuropt", P.neuropt());
            J.attribute("objective_reduction",
                        reduction(P.stock().Obj.objective(),
                                  P.neuropt().Obj.objective()));
            if (P.hasCeiling()) {
              writeSections(J, "ceiling", P.ceiling());
              if (auto Share = P.shareOfCeiling())
                J.attribute("share_of_ceiling", *Share);
              else
                J.attribute("share_of_ceiling", nullptr);
            }
          }
          J.attributeArray("tus", [&] {
            for (const TUResult &T : P.TUs)
              J.object([&] {
                J.attribute("source", T.Source);
                if (!T.Error.empty()) {
                  J.attribute("error", T.Error);
                  return;
                }
                writeBuild(J, "oz", T.Stock);
                writeBuild(J, "neuropt", T.Neuropt);
                J.attribute("decision", T.decision());
                J.attribute("reproducible", T.Reproducible);
                J.attributeArray("remarks", [&] {
                  for (const RemarkRecord &R : T.Remarks)
                    J.object([&] {
                      J.attribute("name", R.Name);
                      J.attribute("function", R.Function);
                      std::string Message;
                      for (const auto &[K, V] : R.Args)
                        Message += V;
                      J.attribute("message", Message);
                      // The named values; "String" pieces are only text.
                      J.attributeObject("args", [&] {
                        for (const auto &[K, V] : R.Args)
                          if (K != "String")
                            J.attribute(K, V);
                      });
                    });
                });
                if (T.Ceiling)
                  J.attributeObject("ceiling", [&] {
                    writeSections(J, "baseline", T.Ceiling->Baseline);
                    writeSections(J, "best", T.Ceiling->Best);
                    J.attribute("best_ir_insts", T.Ceiling->BestIRInsts);
                    J.attribute("pipeline", T.Ceiling->Pipeline);
                    J.attribute("evaluations", T.Ceiling->Evaluations);
                    J.attribute("failures", T.Ceiling->Failures);
                    J.attribute("reused", T.Ceiling->Reused);
                  });
              });
          });
        });
    });
    J.attributeObject("summary", [&] {
      J.attribute("programs", S.Programs);
      J.attribute("measured", S.Measured);
      J.attribute("failed", S.Failed);
      J.attribute("tus", S.TUs);
      J.attribute("tus_larger_than_oz", S.LargerThanOz);
      J.attribute("tus_larger_with_unwind_tables", S.LargerWithUnwind);
      J.attribute("eh_frame_oz", S.StockEHFrame);
      J.attribute("eh_frame_neuropt", S.NeuroptEHFrame);
      J.attribute("unwind_entries_oz", S.StockUnwindEntries);
      J.attribute("unwind_entries_neuropt", S.NeuroptUnwindEntries);
      J.attribute("tus_not_reproducible", S.NotReproducible);
      J.attribute("geomean_objective_reduction", S.ObjReduction);
      J.attribute("geomean_text_reduction", S.TextReduction);
      J.attribute("geomean_ir_reduction", S.IRReduction);
      J.attribute("median_compile_time_ratio", S.MedianTimeRatio);
      J.attribute("median_cpu_time_ratio", S.MedianCpuRatio);
      if (S.HaveCeiling) {
        J.attribute("ceiling_geomean_objective_reduction", S.CeilObjReduction);
        J.attribute("ceiling_geomean_text_reduction", S.CeilTextReduction);
        J.attribute("ceiling_geomean_ir_reduction", S.CeilIRReduction);
        J.attribute("ceiling_programs_gaining", S.CeilingGains);
        J.attribute("ceiling_baseline_mismatches", S.BaselineMismatches);
        if (S.ShareOfCeiling)
          J.attribute("share_of_ceiling", *S.ShareOfCeiling);
        else
          J.attribute("share_of_ceiling", nullptr);
      }
      J.attributeObject("decisions", [&] {
        for (const auto &[K, V] : S.Decisions)
          J.attribute(K, V);
      });
      J.attribute("rejected_candidates", S.Rejected);
      J.attributeObject("reject_reasons", [&] {
        for (const auto &[K, V] : S.RejectReasons)
          J.attribute(K, V);
      });
    });
  });
  OS << "\n";
}

/// "+1.23%" style, positive = smaller than -Oz.
static std::string pct(double Fraction) {
  return formatv("{0}", format("%+.2f%%", Fraction * 100)).str();
}

/// Markdown-safe cell text.
static std::string cell(StringRef S) {
  std::string Out;
  for (char C : S)
    Out += C == '|' ? std::string("\\|") : std::string(1, C);
  return Out;
}

static std::string decisionCell(const Program &P) {
  std::map<std::string, unsigned> Count;
  unsigned Rejected = 0;
  std::string Gains;
  for (const TUResult &T : P.TUs) {
    ++Count[T.decision()];
    for (const RemarkRecord &R : T.Remarks) {
      if (R.Name == "Rejected")
        ++Rejected;
      if (R.Name == "Applied") {
        std::string G = R.arg("MeasuredGain"), V = R.arg("Verdict");
        Gains += " (" + (G.empty() ? std::string("?") : G) + "%" +
                 (V.empty() ? std::string() : ", " + V) + ")";
      }
    }
  }
  std::string Out;
  for (const auto &[K, V] : Count) {
    if (!Out.empty())
      Out += ", ";
    Out += P.TUs.size() > 1 ? formatv("{0} {1}", V, K).str() : K;
  }
  Out += Gains;
  if (Rejected)
    Out += formatv(", {0} rejected", Rejected).str();
  if (any_of(P.TUs, [](const TUResult &T) {
        return any_of(T.Remarks,
                      [](const RemarkRecord &R) { return R.Name == "Budget"; });
      }))
    Out += ", budget ran out";
  return Out;
}

static void writeMarkdown(raw_ostream &OS, const SizeEvalOptions &Opts,
                          ArrayRef<Program> Programs, const Summary &S) {
  OS << "# neuropt-eval size\n\n";
  OS << "Stock: `" << Opts.Clang << " -Oz";
  for (const std::string &A : Opts.ClangArgs)
    OS << " " << A;
  OS << " -c`; neuropt: the same with `-fpass-plugin=" << Opts.Plugin;
  for (const std::string &A : Opts.MLLVMArgs)
    OS << " -mllvm " << A;
  OS << "`. Objective = .text + .rodata + .data bytes; reductions are "
        "relative to -Oz (positive = smaller). Compile time: median of "
     << Opts.Runs << " runs each, side by side";
  if (Opts.Jobs > 1)
    OS << " (" << Opts.Jobs << " programs in parallel)";
  OS << ".";
  if (replaysSizeCache(Opts))
    OS << " Each timed compilation with the plugin reads and updates the "
          "size cache; the compilations for remarks and IR replay the "
          "record the last one left (`-neuropt-size-cache-replay`).";
  if (laterRunsReadTheirRecord(Opts))
    OS << " **Timed runs after a unit's first read the record the first "
          "wrote, so the compile-time medians mix a first compilation with "
          "rebuilds: time a first compilation with `--runs 1`, a rebuild "
          "with a filled cache.**";
  if (Opts.Ceiling) {
    OS << " Ceiling: pass-sequence search, budget " << Opts.Budget
       << ", seed " << Opts.Seed << ".";
    unsigned Reused = 0;
    for (const Program &P : Programs)
      for (const TUResult &T : P.TUs)
        Reused += T.Ceiling && T.Ceiling->Reused;
    if (Reused)
      OS << " " << Reused << " ceilings reused from `" << Opts.ReuseCeiling
         << "` (same budget, seed and -Oz object).";
  }
  OS << "\n\n";
  bool Ceil = S.HaveCeiling;
  OS << "| program | -Oz obj | neuropt obj | obj | -Oz .text | neuropt .text "
        "| -Oz IR | neuropt IR |";
  if (Ceil)
    OS << " ceiling obj | ceiling | share |";
  OS << " -Oz ms | neuropt ms | decision |\n";
  OS << "|---|--:|--:|--:|--:|--:|--:|--:|";
  if (Ceil)
    OS << "--:|--:|--:|";
  OS << "--:|--:|---|\n";
  for (const Program &P : Programs) {
    if (P.failed()) {
      std::string Err;
      for (const TUResult &T : P.TUs)
        if (!T.Error.empty()) {
          Err = T.Error;
          break;
        }
      OS << "| " << cell(P.Name) << " | ERROR: " << cell(Err) << " |\n";
      continue;
    }
    BuildResult St = P.stock(), Np = P.neuropt();
    OS << "| " << cell(P.Name) << " | " << St.Obj.objective() << " | "
       << Np.Obj.objective() << " | "
       << pct(reduction(St.Obj.objective(), Np.Obj.objective())) << " | "
       << St.Obj.Text << " | " << Np.Obj.Text << " | " << St.IRInsts << " | "
       << Np.IRInsts << " |";
    if (Ceil) {
      if (P.hasCeiling()) {
        Sections C = P.ceiling();
        OS << " " << C.objective() << " | "
           << pct(reduction(St.Obj.objective(), C.objective())) << " | ";
        if (auto Share = P.shareOfCeiling())
          OS << format("%.0f%%", *Share * 100);
        else
          OS << "n/a";
        OS << " |";
      } else {
        OS << " | | |";
      }
    }
    OS << format(" %.1f | %.1f | ", St.CompileMs, Np.CompileMs)
       << cell(decisionCell(P)) << " |\n";
  }
  OS << "\n## Summary\n\n";
  OS << "- programs: " << S.Programs << " (" << S.Measured << " measured, "
     << S.Failed << " failed), " << S.TUs << " translation units\n";
  OS << "- geomean reduction vs -Oz: objective " << pct(S.ObjReduction)
     << ", .text " << pct(S.TextReduction) << ", IR instructions "
     << pct(S.IRReduction) << "\n";
  OS << "- translation units larger than -Oz: " << S.LargerThanOz
     << " (must be 0); counting the unwind tables too: "
     << S.LargerWithUnwind << " (.eh_frame summed: " << S.StockEHFrame
     << " -> " << S.NeuroptEHFrame << " bytes, " << S.StockUnwindEntries
     << " -> " << S.NeuroptUnwindEntries
     << " entries of 8 bytes in .eh_frame_hdr once linked)\n";
  OS << format("- median compile-time ratio (neuropt / -Oz): %.2fx wall "
               "clock, %.2fx CPU time\n",
               S.MedianTimeRatio, S.MedianCpuRatio);
  if (Ceil) {
    OS << "- ceiling geomean reduction vs -Oz: objective "
       << pct(S.CeilObjReduction) << ", .text " << pct(S.CeilTextReduction)
       << ", IR instructions " << pct(S.CeilIRReduction) << " ("
       << S.CeilingGains << " programs where the search beats -Oz)\n";
    OS << "- share of ceiling captured (sum of neuropt gains / sum of ceiling "
          "gains, over those programs): ";
    if (S.ShareOfCeiling)
      OS << format("%.1f%%", *S.ShareOfCeiling * 100);
    else
      OS << "n/a (the ceiling gains nothing)";
    OS << "\n";
    if (S.BaselineMismatches)
      OS << "- WARNING: in " << S.BaselineMismatches
         << " translation units the search's -Oz baseline differs from clang "
            "-Oz\n";
  }
  OS << "- decisions (per translation unit):";
  if (S.Decisions.empty())
    OS << " none";
  for (const auto &[K, V] : S.Decisions)
    OS << " " << K << " " << V << ";";
  OS << " rejected candidates " << S.Rejected;
  for (const auto &[K, V] : S.RejectReasons)
    OS << "; " << cell(K) << ": " << V;
  OS << "\n";
  if (S.NotReproducible)
    OS << "- WARNING: " << S.NotReproducible
       << " translation units gave a different object when the optimization "
          "record was on (non-deterministic decision)\n";
}

/// Writes results.dat and results.gp and runs gnuplot; a warning, not an
/// error, when gnuplot is missing or fails.
static void plot(StringRef OutDir, ArrayRef<Program> Programs,
                 const Summary &S, unsigned Budget, raw_ostream &Log) {
  auto Gnuplot = sys::findProgramByName("gnuplot");
  if (!Gnuplot) {
    WithColor::warning(Log, "neuropt-eval")
        << "gnuplot not found; skipping results.png (install gnuplot-nox)\n";
    return;
  }
  SmallString<256> Dat(OutDir), Script(OutDir), Png(OutDir);
  sys::path::append(Dat, "results.dat");
  sys::path::append(Script, "results.gp");
  sys::path::append(Png, "results.png");
  std::error_code EC;
  unsigned Rows = 0;
  {
    raw_fd_ostream OS(Dat, EC, sys::fs::OF_Text);
    if (EC) {
      WithColor::warning(Log, "neuropt-eval")
          << "cannot write '" << Dat << "': " << EC.message() << "\n";
      return;
    }
    OS << "# program neuropt_reduction_pct ceiling_reduction_pct\n";
    for (const Program &P : Programs) {
      if (P.failed())
        continue;
      uint64_t Oz = P.stock().Obj.objective();
      double C = P.hasCeiling() ? reduction(Oz, P.ceiling().objective()) : 0;
      OS << '"' << P.Name << "\" "
         << format("%.3f %.3f\n",
                    reduction(Oz, P.neuropt().Obj.objective()) * 100, C * 100);
      ++Rows;
    }
  }
  if (!Rows) {
    WithColor::warning(Log, "neuropt-eval")
        << "no measured program; skipping results.png\n";
    return;
  }
  {
    raw_fd_ostream OS(Script, EC, sys::fs::OF_Text);
    if (EC) {
      WithColor::warning(Log, "neuropt-eval")
          << "cannot write '" << Script << "': " << EC.message() << "\n";
      return;
    }
    OS << formatv("set terminal pngcairo noenhanced size {0},480\n",
                  std::max(640u, 40 * Rows + 160));
    OS << "set output '" << Png << "'\n"
       << "set style data histograms\n"
       << "set style histogram clustered gap 1\n"
       << "set style fill solid 0.8 border -1\n"
       << "set boxwidth 0.9\n"
       << "set grid ytics\n"
       << "set xtics rotate by -45 scale 0\n"
       << "set ylabel 'objective reduction vs clang -Oz (%)'\n"
       << "set title 'neuropt-size vs stock -Oz, per program'\n"
       << "set key outside top center horizontal\n";
    OS << "plot '" << Dat << "' using 2:xtic(1) title 'neuropt-size'";
    if (S.HaveCeiling)
      OS << ", '' using 3 title 'ceiling (search, budget " << Budget << ")'";
    OS << "\n";
  }
  std::string ErrMsg;
  SmallString<256> GLog(OutDir);
  sys::path::append(GLog, "gnuplot.log");
  std::optional<StringRef> Redirects[] = {StringRef(""), StringRef(GLog),
                                          StringRef(GLog)};
  StringRef Args[] = {*Gnuplot, Script};
  int RC = sys::ExecuteAndWait(*Gnuplot, Args, std::nullopt, Redirects, 120, 0,
                               &ErrMsg);
  if (RC != 0)
    WithColor::warning(Log, "neuropt-eval")
        << "gnuplot failed (see " << GLog << "); no results.png\n";
}

//===----------------------------------------------------------------------===//
// Driver
//===----------------------------------------------------------------------===//

/// Reads the ceilings of an earlier results.json, which must have been made
/// with the same budget, seed and clang arguments.
static Expected<CeilingCache> loadCeilings(const SizeEvalOptions &Opts) {
  auto Buf = MemoryBuffer::getFile(Opts.ReuseCeiling);
  if (!Buf)
    return createStringError(Buf.getError(), "cannot read '%s'",
                             Opts.ReuseCeiling.c_str());
  auto Bad = [&](const Twine &Why) {
    return createStringError(inconvertibleErrorCode(), "%s: %s",
                             Opts.ReuseCeiling.c_str(), Why.str().c_str());
  };
  Expected<json::Value> Root = json::parse((*Buf)->getBuffer());
  if (!Root)
    return Bad(toString(Root.takeError()));
  const json::Object *Top = Root->getAsObject();
  const json::Object *Config = Top ? Top->getObject("config") : nullptr;
  const json::Array *Progs = Top ? Top->getArray("programs") : nullptr;
  if (!Config || !Progs)
    return Bad("not a neuropt-eval size results.json");
  if (Config->getInteger("budget") != std::optional<int64_t>(Opts.Budget) ||
      Config->getInteger("seed") != std::optional<int64_t>(Opts.Seed))
    return Bad(formatv("made with another budget or seed (this run: budget "
                       "{0}, seed {1})",
                       Opts.Budget, Opts.Seed));
  std::vector<std::string> Args;
  if (const json::Array *A = Config->getArray("clang_args"))
    for (const json::Value &V : *A)
      if (auto S = V.getAsString())
        Args.push_back(S->str());
  if (Args != Opts.ClangArgs)
    return Bad("made with other clang arguments");
  auto Sizes = [](const json::Object *O, Sections &S) {
    if (!O)
      return false;
    auto T = O->getInteger("text"), RO = O->getInteger("rodata"),
         D = O->getInteger("data");
    if (!T || !RO || !D)
      return false;
    S.Text = *T;
    S.ROData = *RO;
    S.Data = *D;
    // Older results have neither.
    S.EHFrame = O->getInteger("eh_frame").value_or(0);
    S.UnwindEntries = O->getInteger("unwind_entries").value_or(0);
    return true;
  };
  CeilingCache Cache;
  for (const json::Value &P : *Progs) {
    const json::Array *TUs =
        P.getAsObject() ? P.getAsObject()->getArray("tus") : nullptr;
    if (!TUs)
      continue;
    for (const json::Value &T : *TUs) {
      const json::Object *TO = T.getAsObject();
      const json::Object *C = TO ? TO->getObject("ceiling") : nullptr;
      auto Src = TO ? TO->getString("source") : std::nullopt;
      if (!C || !Src)
        continue;
      CeilingResult R;
      auto IR = C->getInteger("best_ir_insts");
      auto Pipe = C->getString("pipeline");
      auto Evals = C->getInteger("evaluations"), Fails = C->getInteger("failures");
      if (!Sizes(C->getObject("baseline"), R.Baseline) ||
          !Sizes(C->getObject("best"), R.Best) || !IR || !Pipe || !Evals ||
          !Fails)
        return Bad("malformed ceiling of '" + *Src + "'");
      R.BestIRInsts = *IR;
      R.Pipeline = Pipe->str();
      R.Evaluations = *Evals;
      R.Failures = *Fails;
      Cache[canonicalSource(*Src)] = std::move(R);
    }
  }
  return Cache;
}

Expected<SizeEvalStatus>
neuropt::runSizeEvaluation(const SizeEvalOptions &Opts, raw_ostream &Log) {
  if (!sys::fs::can_execute(Opts.Clang))
    return createStringError(inconvertibleErrorCode(),
                             "clang '%s' not found or not executable",
                             Opts.Clang.c_str());
  if (!sys::fs::exists(Opts.Plugin))
    return createStringError(inconvertibleErrorCode(),
                             "plugin '%s' not found (build NeurOpt or pass "
                             "--plugin)",
                             Opts.Plugin.c_str());
  Expected<std::vector<Program>> ProgramsOrErr = collectPrograms(Opts);
  if (!ProgramsOrErr)
    return ProgramsOrErr.takeError();
  std::vector<Program> &Programs = *ProgramsOrErr;
  if (std::error_code EC = sys::fs::create_directories(Opts.OutDir))
    return createStringError(EC, "cannot create '%s'", Opts.OutDir.c_str());

  CeilingCache Cache;
  if (Opts.Ceiling && !Opts.ReuseCeiling.empty()) {
    Expected<CeilingCache> C = loadCeilings(Opts);
    if (!C)
      return C.takeError();
    Cache = std::move(*C);
  }

  struct Job {
    Program *P;
    size_t TU;
  };
  std::vector<Job> Jobs;
  for (Program &P : Programs) {
    P.TUs.resize(P.Sources.size());
    for (size_t I = 0; I < P.Sources.size(); ++I)
      Jobs.push_back({&P, I});
  }

  if (Opts.Ceiling) {
    // Initialise LLVM's lazily registered passes and targets before any
    // thread forks a search candidate: a child forked while another thread
    // holds a registration lock would hang.
    auto Warm = PipelineEvaluator::create();
    if (!Warm)
      return Warm.takeError();
    LLVMContext Ctx;
    Module M("warm-up", Ctx);
    if (auto R = (*Warm)->evaluate(M, "default<Oz>"); !R)
      return R.takeError();
  }

  std::atomic<size_t> Next{0};
  std::mutex LogMutex;
  unsigned Done = 0;
  std::vector<Error> ThreadErrors;
  auto Worker = [&] {
    std::unique_ptr<PipelineEvaluator> Eval;
    if (Opts.Ceiling) {
      auto E = PipelineEvaluator::create();
      if (!E) {
        std::lock_guard<std::mutex> Lock(LogMutex);
        ThreadErrors.push_back(E.takeError());
        return;
      }
      Eval = std::move(*E);
    }
    for (size_t I; (I = Next++) < Jobs.size();) {
      Program &P = *Jobs[I].P;
      const std::string &Src = P.Sources[Jobs[I].TU];
      SmallString<256> Work(Opts.OutDir);
      sys::path::append(Work, "work", P.Name);
      TUResult R =
          TUEvaluator(Opts, Src, std::string(Work)).run(Eval.get(), Cache);
      std::lock_guard<std::mutex> Lock(LogMutex);
      ++Done;
      Log << formatv("[{0}/{1}] {2}: ", Done, Jobs.size(), Src);
      if (!R.Error.empty())
        Log << "ERROR: " << R.Error << "\n";
      else {
        Log << formatv("-Oz {0}, neuropt {1} ({2})", R.Stock.Obj.objective(),
                       R.Neuropt.Obj.objective(), R.decision());
        if (R.Ceiling)
          Log << formatv(", ceiling {0}{1}", R.Ceiling->Best.objective(),
                         R.Ceiling->Reused ? " (reused)" : "");
        Log << format(" [%.1fs]\n", R.Seconds);
      }
      Log.flush();
      P.TUs[Jobs[I].TU] = std::move(R);
    }
  };
  unsigned NThreads = std::max(1u, std::min<unsigned>(Opts.Jobs, Jobs.size()));
  if (NThreads == 1) {
    Worker();
  } else {
    std::vector<std::thread> Threads;
    for (unsigned I = 0; I < NThreads; ++I)
      Threads.emplace_back(Worker);
    for (std::thread &T : Threads)
      T.join();
  }
  if (!ThreadErrors.empty()) {
    Error All = Error::success();
    for (Error &E : ThreadErrors)
      All = joinErrors(std::move(All), std::move(E));
    return All;
  }

  Summary S = summarize(Programs);
  auto WriteFile = [&](StringRef Name, auto Fn) -> Error {
    SmallString<256> P(Opts.OutDir);
    sys::path::append(P, Name);
    std::error_code EC;
    raw_fd_ostream OS(P, EC, sys::fs::OF_Text);
    if (EC)
      return createStringError(EC, "cannot write '%s'", P.c_str());
    Fn(OS);
    return Error::success();
  };
  if (Error E = WriteFile("results.json", [&](raw_ostream &OS) {
        writeJSON(OS, Opts, Programs, S);
      }))
    return E;
  if (Error E = WriteFile("results.md", [&](raw_ostream &OS) {
        writeMarkdown(OS, Opts, Programs, S);
      }))
    return E;
  plot(Opts.OutDir, Programs, S, Opts.Budget, Log);

  Log << formatv("neuropt-eval size: {0} programs ({1} failed), {2} TUs; "
                 "geomean reduction vs -Oz: objective {3}, .text {4}, IR {5}; "
                 "{6} TUs larger than -Oz ({9} counting unwind tables); median "
                 "compile-time ratio {7}x (CPU time {8}x)",
                 S.Programs, S.Failed, S.TUs, pct(S.ObjReduction),
                 pct(S.TextReduction), pct(S.IRReduction), S.LargerThanOz,
                 format("%.2f", S.MedianTimeRatio),
                 format("%.2f", S.MedianCpuRatio), S.LargerWithUnwind);
  if (S.HaveCeiling) {
    Log << "; ceiling objective " << pct(S.CeilObjReduction)
        << ", share captured ";
    if (S.ShareOfCeiling)
      Log << format("%.1f%%", *S.ShareOfCeiling * 100);
    else
      Log << "n/a";
  }
  Log << "\nresults in " << Opts.OutDir << "/results.{json,md}\n";
  SizeEvalStatus Status;
  Status.Programs = S.Programs;
  Status.Failed = S.Failed;
  Status.LargerThanOz = S.LargerThanOz;
  return Status;
}

bool neuropt::isSizeCommand() { return bool(SizeCmd); }

/// clang-22 on PATH, else LLVM 22's own clang.
static std::string defaultClang() {
  if (auto P = sys::findProgramByName("clang-22"))
    return *P;
  return "/usr/lib/llvm-22/bin/clang";
}

/// <prefix>/lib/NeurOpt.so for a tool in <prefix>/bin.
static std::string defaultPlugin(const char *Argv0) {
  std::string Exe =
      sys::fs::getMainExecutable(Argv0, reinterpret_cast<void *>(&defaultClang));
  SmallString<256> P(sys::path::parent_path(sys::path::parent_path(Exe)));
  sys::path::append(P, "lib", "NeurOpt.so");
  return std::string(P);
}

int neuropt::runSizeCommand(const char *Argv0) {
  SizeEvalOptions Opts;
  Opts.Dirs.assign(SizeDirs.begin(), SizeDirs.end());
  Opts.PerDir = SizePerDir;
  Opts.Clang = SizeClang.empty() ? defaultClang() : SizeClang;
  Opts.Plugin = SizePlugin.empty() ? defaultPlugin(Argv0) : SizePlugin;
  Opts.ClangArgs.assign(SizeCCArgs.begin(), SizeCCArgs.end());
  if (SizeK.getNumOccurrences())
    Opts.MLLVMArgs.push_back(formatv("-neuropt-size-k={0}", SizeK).str());
  Opts.MLLVMArgs.insert(Opts.MLLVMArgs.end(), SizeMLLVM.begin(),
                        SizeMLLVM.end());
  Opts.OutDir = SizeOut;
  Opts.Ceiling = !SizeNoCeiling;
  Opts.Budget = SizeBudget;
  Opts.Seed = SizeSeed;
  Opts.Jobs = std::max(1u, unsigned(SizeJobs));
  Opts.Runs = std::max(1u, unsigned(SizeRuns));
  Opts.ReuseCeiling = SizeReuseCeiling;
  if (laterRunsReadTheirRecord(Opts))
    WithColor::warning(errs(), "neuropt-eval")
        << "size: with -neuropt-size-cache and --runs " << Opts.Runs
        << ", each unit's timed runs after the first read the record the "
           "first wrote; their compile times are rebuilds' (use --runs 1 to "
           "time a first compilation)\n";
  Expected<SizeEvalStatus> S = runSizeEvaluation(Opts, outs());
  if (!S) {
    WithColor::error(errs(), "neuropt-eval")
        << "size: " << toString(S.takeError()) << "\n";
    return 1;
  }
  if (S->LargerThanOz)
    WithColor::error(errs(), "neuropt-eval")
        << "size: " << S->LargerThanOz
        << " translation units are larger with the plugin than at -Oz\n";
  if (S->Failed)
    WithColor::error(errs(), "neuropt-eval")
        << "size: " << S->Failed << " of " << S->Programs
        << " programs failed (see results.md)\n";
  return S->LargerThanOz || S->Failed ? 1 : 0;
}
