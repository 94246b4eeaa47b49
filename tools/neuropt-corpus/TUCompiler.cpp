//===- TUCompiler.cpp - C translation units to canonical bitcode ----------===//
//
// Part of neuropt, under the Apache License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//
//
// This file implements source-tree scanning, include-path guessing, the cheap
// configure step, per-TU compilation with clang, failure classification, and
// the path-independent content hash used for deduplication.
//
//===----------------------------------------------------------------------===//

#include "TUCompiler.h"
#include "Subprocess.h"

#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/ScopeExit.h"
#include "llvm/ADT/SmallString.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/ADT/StringSet.h"
#include "llvm/Bitcode/BitcodeReader.h"
#include "llvm/Bitcode/BitcodeWriter.h"
#include "llvm/IR/LLVMContext.h"
#include "llvm/IR/Module.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/Process.h"
#include "llvm/Support/Program.h"
#include "llvm/Support/SHA256.h"
#include "llvm/TargetParser/Host.h"
#include "llvm/TargetParser/Triple.h"
#include "llvm/Support/raw_ostream.h"

#include <algorithm>
#include <map>
#include <set>

using namespace llvm;

namespace neuropt {
namespace corpus {

static Error makeError(const Twine &Msg) {
  return createStringError(inconvertibleErrorCode(), Msg);
}

/// Directories never scanned: packaging, VCS and our own build outputs.
static bool isIgnoredDir(StringRef Name) {
  return Name == "debian" || Name == ".pc" || Name == ".git" ||
         Name == ".svn" || Name == ".hg" || Name == "CMakeFiles" ||
         Name == "autom4te.cache";
}

/// Directories that hold code for other operating systems or compilers; their
/// TUs are recorded as skipped rather than failed.
static bool isForeignPlatformDir(StringRef Name) {
  std::string L = Name.lower();
  static const char *const Exact[] = {
      "win32", "win64",  "windows", "wince",   "msvc",   "vms",   "os2",
      "amiga", "amigaos", "msdos",  "dos",     "watcom", "beos",  "haiku",
      "riscos", "symbian", "mac",   "macos",   "macos9", "classic_mac",
      "visualc", "vstudio", "vcproj", "djgpp",  "emx",    "nds",   "psp",
      "android", "ios",    "wasm",  "emscripten", "zos", "aix"};
  for (const char *E : Exact)
    if (L == E)
      return true;
  StringRef S(L);
  return S.starts_with("vc6") || S.starts_with("vc7") ||
         S.starts_with("vc8") || S.starts_with("vs20") ||
         S.starts_with("msvc") || S.starts_with("win32") ||
         S.starts_with("mingw");
}

static bool isHeader(StringRef P) {
  return P.ends_with(".h") || P.ends_with(".hh") || P.ends_with(".inc");
}

namespace {
struct TreeScan {
  std::vector<std::string> CFiles;   // relative
  std::vector<std::string> Skipped;  // relative
  std::vector<std::string> HeaderDirs; // absolute, sorted by depth then name
  std::vector<std::string> Headers;  // relative paths of all headers
  std::vector<std::string> ConfigHDirs; // dirs holding config.h
};
} // namespace

static unsigned depthOf(StringRef Rel) {
  return static_cast<unsigned>(count(Rel, '/'));
}

static TreeScan scanTree(StringRef Root, StringRef CMakeBuildDir) {
  TreeScan S;
  std::set<std::string> HeaderDirSet;
  std::error_code EC;
  sys::fs::recursive_directory_iterator I(Root, EC, /*follow_symlinks=*/false),
      E;
  for (; I != E && !EC; I.increment(EC)) {
    StringRef P = I->path();
    StringRef Name = sys::path::filename(P);
    StringRef Rel = P.drop_front(Root.size()).ltrim('/');
    if (I->type() == sys::fs::file_type::directory_file) {
      if (isIgnoredDir(Name))
        I.no_push();
      continue;
    }
    if (I->type() != sys::fs::file_type::regular_file &&
        I->type() != sys::fs::file_type::symlink_file)
      continue;
    bool InCMakeBuild =
        !CMakeBuildDir.empty() && P.starts_with(CMakeBuildDir);
    bool Foreign = false;
    for (auto C = sys::path::begin(Rel), CE = sys::path::end(Rel); C != CE;
         ++C)
      if (std::next(C) != CE && isForeignPlatformDir(*C))
        Foreign = true;
    if (isHeader(Name)) {
      if (Foreign)
        continue;
      HeaderDirSet.insert(sys::path::parent_path(P).str());
      S.Headers.push_back(Rel.str());
      if (Name == "config.h")
        S.ConfigHDirs.push_back(sys::path::parent_path(P).str());
      continue;
    }
    if (!Name.ends_with(".c") || InCMakeBuild)
      continue;
    if (Foreign)
      S.Skipped.push_back(Rel.str());
    else
      S.CFiles.push_back(Rel.str());
  }
  llvm::sort(S.CFiles);
  llvm::sort(S.Skipped);
  llvm::sort(S.Headers);
  S.HeaderDirs.assign(HeaderDirSet.begin(), HeaderDirSet.end());
  std::stable_sort(S.HeaderDirs.begin(), S.HeaderDirs.end(),
                   [](const std::string &A, const std::string &B) {
                     return depthOf(A) < depthOf(B);
                   });
  std::stable_sort(S.ConfigHDirs.begin(), S.ConfigHDirs.end(),
                   [](const std::string &A, const std::string &B) {
                     return depthOf(A) < depthOf(B);
                   });
  return S;
}

static std::string joinPath(StringRef A, StringRef B) {
  SmallString<256> P(A);
  sys::path::append(P, B);
  return std::string(P);
}

/// The Debian multiarch tuple of the host, e.g. x86_64-linux-gnu.
static std::string getDebianMultiarch() {
  Triple T(sys::getDefaultTargetTriple());
  std::string Arch = T.getArchName().str();
  if (T.getArch() == Triple::x86)
    Arch = "i386";
  return Arch + "-linux-gnu";
}

/// Builds the header shim: for `#include <dir/name.h>` lines that resolve
/// nowhere but whose `name.h` exists somewhere in the tree (GSL, for one,
/// symlinks its headers into gsl/ only during `make`), links
/// Shim/dir/name.h to that file. The shim is searched with -idirafter, after
/// the system directories, so it can never shadow a system header.
namespace {
struct IncludeScan {
  unsigned ShimEntries = 0;
  /// File names of .c files that some file of the tree #includes.
  std::set<std::string> IncludedSources;
};
} // namespace

static IncludeScan buildHeaderShim(StringRef Root, const TreeScan &S,
                                   ArrayRef<std::string> SearchDirs,
                                   StringRef Shim) {
  IncludeScan Result;
  std::map<std::string, std::string> ByName; // basename -> shallowest path
  for (const std::string &H : S.Headers) {
    std::string Base = sys::path::filename(H).str();
    auto It = ByName.find(Base);
    if (It == ByName.end() || depthOf(H) < depthOf(It->second))
      ByName[Base] = H;
  }
  StringSet<> Seen;
  unsigned &Linked = Result.ShimEntries;
  std::vector<std::string> Files = S.CFiles;
  append_range(Files, S.Headers);
  for (const std::string &F : Files) {
    std::string Abs = joinPath(Root, F);
    std::string Text = readFilePrefix(Abs, 1 << 20);
    SmallVector<StringRef, 256> Lines;
    StringRef(Text).split(Lines, '\n');
    for (StringRef L : Lines) {
      L = L.ltrim();
      if (!L.consume_front("#"))
        continue;
      L = L.ltrim();
      if (!L.consume_front("include"))
        continue;
      L = L.ltrim();
      if (L.empty() || (L[0] != '<' && L[0] != '"'))
        continue;
      char Close = L[0] == '<' ? '>' : '"';
      size_t End = L.find(Close, 1);
      if (End == StringRef::npos)
        continue;
      StringRef Inc = L.slice(1, End);
      if (Inc.ends_with(".c"))
        Result.IncludedSources.insert(sys::path::filename(Inc).str());
      if (Inc.contains("..") || Inc.starts_with("/") ||
          !Seen.insert(Inc).second)
        continue;
      if (!Inc.contains('/')) {
        // Debian's lua and friends include <pkg>-deb-multiarch.h, which
        // debian/rules writes at build time; recreate it the same way.
        if (Inc.ends_with("-deb-multiarch.h") &&
            !ByName.count(Inc.str())) {
          std::error_code EC;
          sys::fs::create_directories(Shim);
          raw_fd_ostream OS(joinPath(Shim, Inc), EC, sys::fs::OF_Text);
          if (!EC) {
            OS << "/* Written by neuropt-corpus, as debian/rules would. */\n"
               << "#define DEB_HOST_MULTIARCH \"" << getDebianMultiarch()
               << "\"\n";
            ++Linked;
          }
        }
        continue;
      }
      bool Found = sys::fs::exists(joinPath(Root, Inc));
      for (const std::string &D : SearchDirs)
        if (!Found && sys::fs::exists(joinPath(D, Inc)))
          Found = true;
      if (Found)
        continue;
      auto It = ByName.find(sys::path::filename(Inc).str());
      if (It == ByName.end())
        continue;
      std::string Link = joinPath(Shim, Inc);
      sys::fs::create_directories(sys::path::parent_path(Link));
      if (!sys::fs::create_link(joinPath(Root, It->second), Link))
        ++Linked;
    }
  }
  return Result;
}

Expected<TreePlan> prepareTree(StringRef RootIn, StringRef WorkDir,
                               const CompileOptions &Opts) {
  SmallString<256> RootBuf(RootIn);
  if (std::error_code EC = sys::fs::make_absolute(RootBuf))
    return makeError("cannot resolve '" + RootIn + "': " + EC.message());
  sys::path::remove_dots(RootBuf, /*remove_dot_dot=*/true);
  std::string Root(RootBuf);
  if (!sys::fs::exists(Root))
    return makeError("source directory '" + Root + "' does not exist");
  if (!sys::fs::is_directory(Root))
    return makeError("'" + Root + "' is not a directory");
  if (std::error_code EC = sys::fs::create_directories(WorkDir))
    return makeError("cannot create '" + WorkDir + "': " + EC.message());

  TreePlan Plan;
  Plan.Root = Root;
  Plan.Configure = "none";

  // Cheap configure: only when the tree has no config.h of its own yet. The
  // outcome is remembered so a resumed build reports the same thing.
  std::string StatusFile = joinPath(WorkDir, "configure.status");
  bool HasConfigH = sys::fs::exists(joinPath(Root, "config.h"));
  std::string Old = StringRef(readFilePrefix(StatusFile, 64)).trim().str();
  bool OldFailed = Old != "ran" && Old != "cmake";
  if (!Old.empty() && !(Opts.RetryConfigure && OldFailed))
    Plan.Configure = Old;
  std::string CMakeBuild = joinPath(Root, ".neuropt-cmake");
  if (Opts.ConfigureTimeout && !HasConfigH && Plan.Configure == "none") {
    std::string Log = joinPath(WorkDir, "configure.log");
    std::string T = std::to_string(Opts.ConfigureTimeout);
    std::string CC = "CC=" + Opts.Clang;
    // `timeout` signals configure's whole process group; runProgram's own
    // limit is only a backstop.
    if (sys::fs::exists(joinPath(Root, "configure"))) {
      RunResult R = runProgram({"env", "-C", Root, CC, "timeout", "-k", "5",
                                T, "sh", "./configure"},
                               Log, Opts.ConfigureTimeout + 30);
      Plan.Configure = R.succeeded()                          ? "ran"
                       : (R.TimedOut || R.ExitCode == 124 ||
                          R.ExitCode == 137)                  ? "timeout"
                                                              : "failed";
    } else if (sys::fs::exists(joinPath(Root, "CMakeLists.txt")) &&
               sys::findProgramByName("cmake")) {
      RunResult R = runProgram({"timeout", "-k", "5", T, "cmake", "-S", Root,
                                "-B", CMakeBuild,
                                "-DCMAKE_C_COMPILER=" + Opts.Clang,
                                "-DCMAKE_BUILD_TYPE=Release"},
                               Log, Opts.ConfigureTimeout + 30);
      Plan.Configure = R.succeeded() ? "cmake" : "cmake-failed";
    }
    if (Plan.Configure != "none") {
      std::error_code EC;
      raw_fd_ostream OS(StatusFile, EC, sys::fs::OF_Text);
      if (!EC)
        OS << Plan.Configure << "\n";
    }
  }

  TreeScan S = scanTree(Root, CMakeBuild);
  Plan.TUs = S.CFiles;
  Plan.Skipped = S.Skipped;
  Plan.HaveConfigH = !S.ConfigHDirs.empty();

  // -I: conventional include roots and the directories of config headers.
  std::vector<std::string> Inc;
  auto AddInc = [&](const std::string &D) {
    if (sys::fs::is_directory(D) && !is_contained(Inc, D))
      Inc.push_back(D);
  };
  for (StringRef Sub : {"include", "src", "lib"})
    AddInc(joinPath(Root, Sub));
  for (const std::string &D : S.HeaderDirs)
    if (sys::path::filename(D) == "include")
      AddInc(D);
  for (const std::string &D : S.ConfigHDirs)
    AddInc(D);
  Plan.IncludeDirs = Inc;
  Plan.QuoteDirs = S.HeaderDirs;

  std::string Shim = joinPath(WorkDir, "shim");
  sys::fs::remove_directories(Shim);
  std::vector<std::string> Search = Plan.IncludeDirs;
  append_range(Search, Plan.QuoteDirs);
  IncludeScan Scan = buildHeaderShim(Root, S, Search, Shim);
  if (Scan.ShimEntries)
    Plan.ShimDir = Shim;
  Plan.IncludedSources = std::move(Scan.IncludedSources);
  return Plan;
}

std::vector<std::string> compileFlags(const TreePlan &Plan, StringRef TU,
                                      const CompileOptions &Opts) {
  std::vector<std::string> F = {
      "-c", "-emit-llvm", "-" + Opts.Level, "-Xclang", "-disable-llvm-passes",
      "-std=gnu17", "-w",
      // Old C that GCC 12 (Debian's compiler) still accepts with a warning.
      "-Wno-error=implicit-function-declaration", "-Wno-error=implicit-int",
      "-Wno-error=int-conversion", "-Wno-error=incompatible-pointer-types",
      "-Wno-error=incompatible-function-pointer-types",
      "-Wno-error=return-type", "-fno-color-diagnostics", "-ferror-limit=5",
      "-D_GNU_SOURCE"};
  if (Plan.HaveConfigH)
    F.push_back("-DHAVE_CONFIG_H");
  append_range(F, Opts.ExtraFlags);
  // The TU's own directory and its ancestors up to the root come first.
  std::vector<std::string> Dirs;
  SmallString<256> D(Plan.Root);
  sys::path::append(D, sys::path::parent_path(TU));
  while (true) {
    Dirs.push_back(std::string(D));
    if (StringRef(D) == Plan.Root || StringRef(D).size() <= Plan.Root.size())
      break;
    sys::path::remove_filename(D);
  }
  for (const std::string &I : Plan.IncludeDirs)
    if (!is_contained(Dirs, I))
      Dirs.push_back(I);
  for (const std::string &I : Dirs)
    F.push_back("-I" + I);
  for (const std::string &Q : Plan.QuoteDirs)
    if (!is_contained(Dirs, Q))
      F.push_back("-iquote" + Q);
  for (const std::string &Q : Plan.QuoteDirs)
    F.push_back("-idirafter" + Q);
  if (!Plan.ShimDir.empty())
    F.push_back("-idirafter" + Plan.ShimDir);
  return F;
}

void canonicalizeModule(Module &M) {
  M.setModuleIdentifier("");
  M.setSourceFileName("");
}

std::string hashModule(const Module &M) {
  SmallVector<char, 0> Buf;
  raw_svector_ostream OS(Buf);
  WriteBitcodeToFile(M, OS);
  std::array<uint8_t, 32> H = SHA256::hash(
      ArrayRef<uint8_t>(reinterpret_cast<const uint8_t *>(Buf.data()),
                        Buf.size()));
  return toHex(H, /*LowerCase=*/true);
}

std::pair<std::string, std::string> classifyFailure(StringRef Log) {
  SmallVector<StringRef, 32> Lines;
  Log.split(Lines, '\n', -1, false);
  StringRef First;
  bool ErrorDirective = false;
  for (size_t I = 0; I < Lines.size(); ++I)
    if (Lines[I].contains("error:")) {
      First = Lines[I].trim();
      // Clang quotes the offending source line below the diagnostic; an
      // #error there means the code refused this configuration.
      if (I + 1 < Lines.size()) {
        StringRef Src = Lines[I + 1].split('|').second.ltrim();
        ErrorDirective = Src.consume_front("#") &&
                         Src.ltrim().starts_with("error");
      }
      break;
    }
  if (First.empty()) {
    for (StringRef L : Lines)
      if (!L.trim().empty()) {
        First = L.trim();
        break;
      }
  }
  std::string Reason = "other";
  if (First.contains("file not found"))
    Reason = "missing-header";
  else if (ErrorDirective || First.contains("error: #error"))
    Reason = "error-directive";
  else if (First.contains("unknown type name"))
    Reason = "unknown-type";
  else if (First.contains("undeclared identifier") ||
           First.contains("undeclared function"))
    Reason = "undeclared-identifier";
  else if (First.contains("implicit declaration"))
    Reason = "implicit-declaration";
  else if (First.contains("incomplete type") ||
           First.contains("incomplete definition"))
    Reason = "incomplete-type";
  else if (First.contains("redefinition") || First.contains("conflicting types"))
    Reason = "redefinition";
  else if (First.contains("expected"))
    Reason = "syntax";
  else if (First.contains("no member named"))
    Reason = "no-member";
  else if (First.empty())
    Reason = "no-diagnostic";
  return {Reason, First.take_front(300).str()};
}

/// Replaces the machine-specific prefixes in \p S by $SRC and $SHIM.
static std::string relativize(std::string S, const TreePlan &Plan) {
  auto Replace = [&](StringRef From, StringRef To) {
    if (From.empty())
      return;
    size_t Pos = 0;
    while ((Pos = S.find(From.str(), Pos)) != std::string::npos) {
      S.replace(Pos, From.size(), To.str());
      Pos += To.size();
    }
  };
  Replace(Plan.ShimDir, "$SHIM");
  Replace(Plan.Root, "$SRC");
  return S;
}

CompileOutcome compileTU(const TreePlan &Plan, StringRef TU,
                         const CompileOptions &Opts, StringRef CorpusDir,
                         StringRef TmpDir) {
  CompileOutcome Out;
  TURecord &R = Out.TU;
  R.File = TU.str();
  std::vector<std::string> Flags = compileFlags(Plan, TU, Opts);
  R.Flags = relativize(join(Flags, " "), Plan);

  SmallString<256> TmpBC, TmpLog;
  int FD;
  std::string Model = joinPath(TmpDir, "tu-%%%%%%%%%%%%.bc");
  if (std::error_code EC = sys::fs::createUniqueFile(Model, FD, TmpBC)) {
    R.Status = "failed";
    R.Reason = "io";
    R.Message = "cannot create a temporary file in " + TmpDir.str() + ": " +
                EC.message();
    return Out;
  }
  sys::Process::SafelyCloseFileDescriptor(FD);
  TmpLog = TmpBC;
  sys::path::replace_extension(TmpLog, "log");
  scope_exit Cleanup([&] {
    sys::fs::remove(TmpBC);
    sys::fs::remove(TmpLog);
  });

  std::vector<std::string> Argv = {Opts.Clang};
  append_range(Argv, Flags);
  Argv.push_back(joinPath(Plan.Root, TU));
  Argv.push_back("-o");
  Argv.push_back(std::string(TmpBC));
  RunResult Run = runProgram(Argv, TmpLog, Opts.TUTimeout, Opts.MemoryLimitMB);
  R.Seconds = Run.Seconds;
  if (!Run.succeeded()) {
    R.Status = "failed";
    if (Run.TimedOut) {
      R.Reason = "timeout";
      R.Message = Run.Message;
    } else if (Run.FailedToStart) {
      R.Reason = "no-compiler";
      R.Message = Run.Message;
    } else {
      auto [Reason, Msg] = classifyFailure(readFilePrefix(TmpLog, 64 << 10));
      R.Reason = Run.Crashed ? "compiler-crash" : Reason;
      R.Message = relativize(Msg, Plan);
      // A .c file that another file #includes (GSL's *_source.c templates,
      // say) is a fragment, not a translation unit: when it does not compile
      // on its own it is skipped rather than counted as a failure.
      if (!Run.Crashed &&
          Plan.IncludedSources.count(sys::path::filename(TU).str())) {
        R.Status = "skipped";
        R.Reason = "included-fragment";
      }
    }
    return Out;
  }

  ErrorOr<std::unique_ptr<MemoryBuffer>> Buf = MemoryBuffer::getFile(TmpBC);
  LLVMContext Ctx;
  Expected<std::unique_ptr<Module>> M =
      Buf ? parseBitcodeFile((*Buf)->getMemBufferRef(), Ctx)
          : Expected<std::unique_ptr<Module>>(
                errorCodeToError(Buf.getError()));
  if (!M) {
    R.Status = "failed";
    R.Reason = "invalid-bitcode";
    R.Message = toString(M.takeError());
    return Out;
  }
  for (const Function &Fn : **M)
    if (!Fn.isDeclaration())
      ++R.Functions;
  canonicalizeModule(**M);
  SmallVector<char, 0> BC;
  {
    raw_svector_ostream OS(BC);
    WriteBitcodeToFile(**M, OS);
  }
  std::array<uint8_t, 32> H = SHA256::hash(ArrayRef<uint8_t>(
      reinterpret_cast<const uint8_t *>(BC.data()), BC.size()));
  R.Hash = toHex(H, /*LowerCase=*/true);
  R.Status = "ok";

  ModuleRecord MR;
  MR.Hash = R.Hash;
  MR.Path = "modules/" + R.Hash.substr(0, 2) + "/" + R.Hash + ".bc";
  MR.Functions = R.Functions;
  MR.Bytes = static_cast<int64_t>(BC.size());
  MR.File = R.File;
  std::string Final = joinPath(CorpusDir, MR.Path);
  if (!sys::fs::exists(Final)) {
    sys::fs::create_directories(sys::path::parent_path(Final));
    // Write beside the target and rename, so a crash never leaves a torn file.
    std::string Part = Final + ".part" + std::string(sys::path::stem(TmpBC));
    std::error_code EC;
    {
      raw_fd_ostream OS(Part, EC, sys::fs::OF_None);
      if (!EC) {
        OS.write(BC.data(), BC.size());
        OS.close();
        if (OS.has_error())
          EC = OS.error();
      }
    }
    if (!EC)
      EC = sys::fs::rename(Part, Final);
    if (EC) {
      sys::fs::remove(Part);
      R.Status = "failed";
      R.Reason = "io";
      R.Message = "cannot write '" + Final + "': " + EC.message();
      R.Hash.clear();
      return Out;
    }
  }
  Out.Module = std::move(MR);
  return Out;
}

} // namespace corpus
} // namespace neuropt
