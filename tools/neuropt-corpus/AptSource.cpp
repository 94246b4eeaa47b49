//===- AptSource.cpp - Debian sources through a private apt setup ---------===//
//
// Part of neuropt, under the Apache License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//
//
// This file implements the derivation of deb-src entries from the host's apt
// sources and the private apt-get invocations (update, source --print-uris,
// source) used to fetch packages.
//
//===----------------------------------------------------------------------===//

#include "AptSource.h"
#include "Subprocess.h"

#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/SmallString.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/WithColor.h"
#include "llvm/Support/raw_ostream.h"

#include <algorithm>
#include <chrono>
#include <set>
#include <tuple>

using namespace llvm;

namespace neuropt {
namespace corpus {

bool isValidPackageName(StringRef Name) {
  // Debian policy 5.6.1: lower case letters, digits, '+', '-', '.'; at least
  // two characters; starts with an alphanumeric.
  if (Name.size() < 2 || !isAlnum(Name[0]))
    return false;
  return all_of(Name, [](char C) {
    return isDigit(C) || (C >= 'a' && C <= 'z') || C == '+' || C == '-' ||
           C == '.';
  });
}

static Error makeError(const Twine &Msg) {
  return createStringError(inconvertibleErrorCode(), Msg);
}

/// One-line format: `deb [opts] uri suite [component...]`.
static void convertOneLine(StringRef Text, std::set<std::string> &Seen,
                           DerivedSources &Out, bool &Used) {
  SmallVector<StringRef, 64> Lines;
  Text.split(Lines, '\n');
  for (StringRef Line : Lines) {
    Line = Line.split('#').first.trim();
    if (Line.empty())
      continue;
    auto [Type, Rest] = Line.split(' ');
    Type = Type.trim();
    Rest = Rest.trim();
    if (Type != "deb" && Type != "deb-src")
      continue;
    std::string Opts;
    if (Rest.starts_with("[")) {
      size_t Close = Rest.find(']');
      if (Close == StringRef::npos)
        continue;
      Opts = Rest.substr(0, Close + 1).str();
      Rest = Rest.substr(Close + 1).trim();
    }
    SmallVector<StringRef, 8> Words;
    Rest.split(Words, ' ', -1, /*KeepEmpty=*/false);
    if (Words.size() < 2)
      continue;
    std::string Entry = "deb-src";
    if (!Opts.empty())
      Entry += " " + Opts;
    for (StringRef W : Words)
      Entry += " " + W.trim().str();
    if (Seen.insert(Entry).second) {
      Out.OneLine += Entry + "\n";
      ++Out.Entries;
      Used = true;
    }
  }
}

/// deb822 format: stanzas of `Field: value` lines separated by blank lines.
static void convertDeb822(StringRef Text, std::set<std::string> &Seen,
                          DerivedSources &Out, bool &Used) {
  SmallVector<StringRef, 64> Lines;
  Text.split(Lines, '\n');
  std::vector<std::pair<std::string, std::string>> Fields;
  auto Flush = [&] {
    if (Fields.empty())
      return;
    bool Enabled = true, IsDeb = false;
    for (auto &[K, V] : Fields) {
      if (StringRef(K).equals_insensitive("Enabled") &&
          StringRef(V).trim().equals_insensitive("no"))
        Enabled = false;
      if (StringRef(K).equals_insensitive("Types")) {
        SmallVector<StringRef, 4> Types;
        StringRef(V).split(Types, ' ', -1, false);
        for (StringRef T : Types)
          if (T.trim() == "deb" || T.trim() == "deb-src")
            IsDeb = true;
      }
    }
    if (Enabled && IsDeb) {
      std::string Stanza;
      for (auto &[K, V] : Fields) {
        if (StringRef(K).equals_insensitive("Types"))
          Stanza += "Types: deb-src\n";
        else
          Stanza += K + ":" + V + "\n";
      }
      if (Seen.insert(Stanza).second) {
        if (!Out.Deb822.empty())
          Out.Deb822 += "\n";
        Out.Deb822 += Stanza;
        ++Out.Entries;
        Used = true;
      }
    }
    Fields.clear();
  };
  for (StringRef Line : Lines) {
    Line = Line.rtrim("\r");
    if (Line.trim().empty()) {
      Flush();
      continue;
    }
    if (Line.starts_with("#"))
      continue;
    if ((Line[0] == ' ' || Line[0] == '\t') && !Fields.empty()) {
      // Continuation line (multi-line Signed-By key blocks).
      Fields.back().second += "\n" + Line.str();
      continue;
    }
    auto [K, V] = Line.split(':');
    Fields.emplace_back(K.trim().str(), V.str());
  }
  Flush();
}

Expected<DerivedSources> deriveDebSrcSources(StringRef EtcApt) {
  DerivedSources Out;
  std::set<std::string> Seen;
  std::vector<std::string> Files;
  SmallString<256> Main(EtcApt);
  sys::path::append(Main, "sources.list");
  if (sys::fs::exists(Main))
    Files.push_back(std::string(Main));
  SmallString<256> PartsDir(EtcApt);
  sys::path::append(PartsDir, "sources.list.d");
  std::vector<std::string> Parts;
  std::error_code EC;
  if (sys::fs::is_directory(PartsDir)) {
    for (sys::fs::directory_iterator I(PartsDir, EC), E; I != E && !EC;
         I.increment(EC)) {
      StringRef P = I->path();
      // apt itself ignores every other suffix (e.g. *.disabled, *.save).
      if (P.ends_with(".list") || P.ends_with(".sources"))
        Parts.push_back(P.str());
    }
  }
  llvm::sort(Parts);
  append_range(Files, Parts);
  for (const std::string &F : Files) {
    ErrorOr<std::unique_ptr<MemoryBuffer>> Buf = MemoryBuffer::getFile(F);
    if (!Buf)
      continue; // Unreadable host files are skipped, as apt would fail later.
    bool Used = false;
    if (StringRef(F).ends_with(".sources"))
      convertDeb822((*Buf)->getBuffer(), Seen, Out, Used);
    else
      convertOneLine((*Buf)->getBuffer(), Seen, Out, Used);
    if (Used)
      Out.Files.push_back(F);
  }
  if (Out.Entries == 0)
    return makeError("no enabled 'deb' or 'deb-src' entries in " + EtcApt +
                     "/sources.list or " + EtcApt +
                     "/sources.list.d/*.{list,sources}: cannot derive a "
                     "source archive to fetch packages from");
  return Out;
}

/// Writes \p Text to \p Path unless it already holds exactly that.
/// Returns whether the file changed.
static Expected<bool> writeIfChanged(StringRef Path, StringRef Text) {
  if (ErrorOr<std::unique_ptr<MemoryBuffer>> Old = MemoryBuffer::getFile(Path))
    if ((*Old)->getBuffer() == Text)
      return false;
  std::error_code EC;
  raw_fd_ostream OS(Path, EC, sys::fs::OF_Text);
  if (EC)
    return makeError("cannot write '" + Path + "': " + EC.message());
  OS << Text;
  OS.close();
  if (OS.has_error())
    return makeError("cannot write '" + Path + "': " + OS.error().message());
  return true;
}

static Error makeDirs(StringRef P) {
  if (std::error_code EC = sys::fs::create_directories(P))
    return makeError("cannot create directory '" + P + "': " + EC.message());
  return Error::success();
}

Expected<AptSource> AptSource::create(StringRef Dir, StringRef EtcApt,
                                      StringRef LogDir) {
  Expected<DerivedSources> Derived = deriveDebSrcSources(EtcApt);
  if (!Derived)
    return Derived.takeError();
  SmallString<256> Abs(Dir);
  if (std::error_code EC = sys::fs::make_absolute(Abs))
    return makeError("cannot resolve '" + Dir + "': " + EC.message());
  AptSource A;
  A.Dir = std::string(Abs);
  A.LogDir = LogDir.str();
  auto Sub = [&](StringRef Rel) {
    SmallString<256> P(A.Dir);
    sys::path::append(P, Rel);
    return std::string(P);
  };
  for (StringRef D : {"etc/sources.list.d", "state/lists/partial",
                      "cache/archives/partial"})
    if (Error E = makeDirs(Sub(D)))
      return E;
  if (Error E = makeDirs(LogDir))
    return E;
  Expected<bool> C1 = writeIfChanged(Sub("etc/sources.list"), Derived->OneLine);
  if (!C1)
    return C1.takeError();
  Expected<bool> C2 =
      writeIfChanged(Sub("etc/sources.list.d/neuropt.sources"), Derived->Deb822);
  if (!C2)
    return C2.takeError();
  A.SourcesChanged = *C1 || *C2;
  A.Options = {"-o", "Dir::Etc::SourceList=" + Sub("etc/sources.list"),
               "-o", "Dir::Etc::SourceParts=" + Sub("etc/sources.list.d"),
               "-o", "Dir::State=" + Sub("state"),
               "-o", "Dir::Cache=" + Sub("cache"),
               "-o", "APT::Get::Assume-Yes=true",
               "-q"};
  return A;
}

/// The first `E:` line apt printed, or the last non-empty line.
static std::string aptErrorLine(StringRef LogFile) {
  std::string Text = readFilePrefix(LogFile, 1 << 20);
  SmallVector<StringRef, 64> Lines;
  StringRef(Text).split(Lines, '\n', -1, false);
  for (StringRef L : Lines)
    if (L.starts_with("E: "))
      return L.drop_front(3).trim().str();
  for (StringRef L : llvm::reverse(Lines))
    if (!L.trim().empty())
      return L.trim().str();
  return "no output";
}

Error AptSource::updateIfStale(bool Force, unsigned TimeoutSeconds) {
  SmallString<256> Stamp(Dir);
  sys::path::append(Stamp, "state", "neuropt-updated");
  if (!Force && !SourcesChanged) {
    sys::fs::file_status St;
    if (!sys::fs::status(Stamp, St)) {
      auto Age = std::chrono::system_clock::now() -
                 std::chrono::system_clock::time_point(
                     St.getLastModificationTime().time_since_epoch());
      if (Age < std::chrono::hours(24))
        return Error::success();
    }
  }
  SmallString<256> Log(LogDir);
  sys::path::append(Log, "apt-update.log");
  std::vector<std::string> Argv = {"apt-get"};
  append_range(Argv, Options);
  Argv.push_back("update");
  RunResult R = runProgram(Argv, Log, TimeoutSeconds);
  if (!R.succeeded()) {
    // One unreachable archive among several (a third-party repository with
    // no source indices, say) should not stop the others: carry on when
    // some source index arrived, and let unknown packages fail by name.
    SmallString<256> Lists(Dir);
    sys::path::append(Lists, "state", "lists");
    bool AnySources = false;
    std::error_code EC;
    for (sys::fs::directory_iterator I(Lists, EC), E; I != E && !EC;
         I.increment(EC))
      if (sys::path::filename(I->path()).contains("_Sources"))
        AnySources = true;
    if (!AnySources || R.TimedOut || R.FailedToStart)
      return makeError("apt-get update on the private configuration in '" +
                       Dir + "' failed (" + R.Message +
                       "): " + aptErrorLine(Log) + " (log: " + Log + ")");
    WithColor::warning(errs(), "neuropt-corpus")
        << "apt-get update reported an error, continuing with the source "
           "indices it did fetch: "
        << aptErrorLine(Log) << " (log: " << Log << ")\n";
  }
  return writeIfChanged(Stamp, "ok\n").takeError();
}

Expected<SourcePackage> AptSource::resolve(StringRef Name,
                                           unsigned TimeoutSeconds) {
  if (!isValidPackageName(Name))
    return makeError("'" + Name + "' is not a valid Debian package name");
  SmallString<256> Log(LogDir);
  sys::path::append(Log, ("resolve-" + Name + ".log").str());
  std::vector<std::string> Argv = {"apt-get"};
  append_range(Argv, Options);
  append_range(Argv, std::vector<std::string>{"source", "--print-uris",
                                              Name.str()});
  RunResult R = runProgram(Argv, Log, TimeoutSeconds);
  if (!R.succeeded())
    return makeError("package '" + Name +
                     "': cannot find its source package: " +
                     aptErrorLine(Log));
  std::string Text = readFilePrefix(Log, 1 << 20);
  SmallVector<StringRef, 16> Lines;
  StringRef(Text).split(Lines, '\n', -1, false);
  for (StringRef L : Lines) {
    if (!L.starts_with("'"))
      continue;
    SmallVector<StringRef, 4> Words;
    L.split(Words, ' ', -1, false);
    if (Words.size() < 2 || !Words[1].ends_with(".dsc"))
      continue;
    StringRef Dsc = Words[1].drop_back(4);
    auto [Src, Ver] = Dsc.split('_');
    if (Src.empty() || Ver.empty())
      continue;
    return SourcePackage{Src.str(), Ver.str()};
  }
  return makeError("package '" + Name +
                   "': apt-get printed no .dsc for it (log: " + Log + ")");
}

/// Debian version ordering (deb-version(7)): '~' sorts before everything,
/// letters before non-letters, digit runs compare numerically.
static int compareFragment(StringRef A, StringRef B) {
  auto Order = [](char C) {
    if (isDigit(C))
      return 0;
    if (isAlpha(C))
      return static_cast<int>(C);
    if (C == '~')
      return -1;
    return C ? static_cast<int>(C) + 256 : 0;
  };
  size_t I = 0, J = 0;
  while (I < A.size() || J < B.size()) {
    int FirstDiff = 0;
    while ((I < A.size() && !isDigit(A[I])) ||
           (J < B.size() && !isDigit(B[J]))) {
      int AC = I < A.size() ? Order(A[I]) : 0;
      int BC = J < B.size() ? Order(B[J]) : 0;
      if (AC != BC)
        return AC - BC;
      ++I, ++J;
    }
    while (I < A.size() && A[I] == '0')
      ++I;
    while (J < B.size() && B[J] == '0')
      ++J;
    while (I < A.size() && isDigit(A[I]) && J < B.size() && isDigit(B[J])) {
      if (!FirstDiff)
        FirstDiff = A[I] - B[J];
      ++I, ++J;
    }
    if (I < A.size() && isDigit(A[I]))
      return 1;
    if (J < B.size() && isDigit(B[J]))
      return -1;
    if (FirstDiff)
      return FirstDiff;
  }
  return 0;
}

int compareDebianVersions(StringRef A, StringRef B) {
  auto Split = [](StringRef V) {
    unsigned long long Epoch = 0;
    if (V.contains(':')) {
      auto [E, Rest] = V.split(':');
      E.getAsInteger(10, Epoch);
      V = Rest;
    }
    size_t Dash = V.rfind('-');
    StringRef Up = Dash == StringRef::npos ? V : V.substr(0, Dash);
    StringRef Rev = Dash == StringRef::npos ? "" : V.substr(Dash + 1);
    return std::make_tuple(Epoch, Up, Rev);
  };
  auto [EA, UA, RA] = Split(A);
  auto [EB, UB, RB] = Split(B);
  if (EA != EB)
    return EA < EB ? -1 : 1;
  if (int C = compareFragment(UA, UB))
    return C;
  return compareFragment(RA, RB);
}

Expected<FetchedSource> AptSource::fetch(const SourcePackage &P,
                                         StringRef DestDir,
                                         unsigned TimeoutSeconds) {
  if (Error E = makeDirs(DestDir))
    return E;
  SmallString<256> Marker(DestDir);
  sys::path::append(Marker, ".neuropt-fetched");
  auto FindRoot = [&]() -> std::string {
    std::error_code EC;
    for (sys::fs::directory_iterator I(DestDir, EC), E; I != E && !EC;
         I.increment(EC))
      if (I->type() == sys::fs::file_type::directory_file)
        return I->path();
    return "";
  };
  auto Clear = [&] {
    std::error_code EC;
    for (sys::fs::directory_iterator I(DestDir, EC), E; I != E && !EC;
         I.increment(EC)) {
      if (I->type() == sys::fs::file_type::directory_file)
        sys::fs::remove_directories(I->path());
      else
        sys::fs::remove(I->path());
    }
  };
  std::string Done = readFilePrefix(Marker, 256);
  if (!Done.empty() && StringRef(Done).ends_with("\n")) {
    std::string Root = FindRoot();
    if (!Root.empty())
      return FetchedSource{Root, StringRef(Done).drop_back().str()};
  }
  SmallString<256> Log(LogDir);
  sys::path::append(Log, "fetch-" + P.Name + ".log");
  SmallString<256> AbsDest(DestDir);
  sys::fs::make_absolute(AbsDest);

  // apt-get unpacks into its working directory; env -C sets it for the child
  // only, so worker threads never see the process directory change.
  auto TryFetch = [&](StringRef What) {
    Clear();
    std::vector<std::string> Argv = {"env", "-C", std::string(AbsDest),
                                     "apt-get"};
    append_range(Argv, Options);
    // The name is already a source package name; --only-source stops apt
    // from mapping it through a binary package of the same name.
    append_range(Argv,
                 std::vector<std::string>{"source", "--only-source", What.str()});
    return runProgram(Argv, Log, TimeoutSeconds);
  };
  RunResult R = TryFetch(P.Name);
  std::string Version = P.Version;
  std::string FirstError;
  if (!R.succeeded()) {
    FirstError = R.Message + ": " + aptErrorLine(Log);
    // A mirror may lack the newest upload (a security update, say) while
    // still serving older versions from the index: try those, newest first.
    SmallString<256> ShowLog(LogDir);
    sys::path::append(ShowLog, "showsrc-" + P.Name + ".log");
    std::vector<std::string> Argv = {"apt-cache"};
    append_range(Argv, Options);
    append_range(Argv, std::vector<std::string>{"showsrc", "--only-source",
                                                P.Name});
    std::vector<std::string> Versions;
    if (runProgram(Argv, ShowLog, TimeoutSeconds).succeeded()) {
      std::string Text = readFilePrefix(ShowLog, 8 << 20);
      SmallVector<StringRef, 256> Lines;
      StringRef(Text).split(Lines, '\n', -1, false);
      for (StringRef L : Lines)
        if (L.consume_front("Version:")) {
          std::string V = L.trim().str();
          if (!is_contained(Versions, V))
            Versions.push_back(V);
        }
    }
    llvm::sort(Versions, [](const std::string &A, const std::string &B) {
      return compareDebianVersions(A, B) > 0;
    });
    for (const std::string &V : Versions) {
      StringRef NoEpoch = StringRef(V).contains(':')
                              ? StringRef(V).split(':').second
                              : StringRef(V);
      if (NoEpoch == P.Version)
        continue;
      R = TryFetch(P.Name + "=" + V);
      if (R.succeeded()) {
        Version = NoEpoch.str();
        break;
      }
    }
  }
  if (!R.succeeded())
    return makeError("package '" + P.Name + "': download or unpack failed (" +
                     FirstError + ") (log: " + Log + ")");
  std::string Root = FindRoot();
  if (Root.empty())
    return makeError("package '" + P.Name +
                     "': apt-get source produced no source tree (log: " + Log +
                     ")");
  if (Expected<bool> W = writeIfChanged(Marker, Version + "\n"); !W)
    return W.takeError();
  return FetchedSource{Root, Version};
}

} // namespace corpus
} // namespace neuropt
