//===- SizeCache.cpp - neuropt-size's memory of earlier runs ---------------===//
//
// Part of neuropt, under the Apache License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//

#include "neuropt/Search/SizeCache.h"
#include "neuropt/Support/Hashing.h"

#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/bit.h"
#include "llvm/ADT/SmallString.h"
#include "llvm/ADT/SmallVector.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Bitcode/BitcodeWriter.h"
#include "llvm/IR/DebugInfo.h"
#include "llvm/IR/DebugInfoMetadata.h"
#include "llvm/IR/Metadata.h"
#include "llvm/IR/Module.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/SHA256.h"
#include "llvm/Support/raw_ostream.h"
#include "llvm/Transforms/Utils/Cloning.h"

using namespace llvm;
using namespace neuropt;

bool SizeCacheRecord::operator==(const SizeCacheRecord &O) const {
  return Pipeline == O.Pipeline && FromStock == O.FromStock &&
         StockObjective == O.StockObjective && Objective == O.Objective &&
         Coreset == O.Coreset && Tried == O.Tried &&
         SearchEvaluations == O.SearchEvaluations && Extension == O.Extension &&
         OutOfTime == O.OutOfTime && OutOfTimeMs == O.OutOfTimeMs &&
         UnwindGuard == O.UnwindGuard;
}

static uint64_t triedMask(ArrayRef<unsigned> Sequences) {
  uint64_t Mask = 0;
  for (unsigned S : Sequences)
    if (S < 64)
      Mask |= uint64_t(1) << S;
  return Mask;
}

uint64_t neuropt::sizeCacheDone(const SizeCacheRecord &R, uint64_t BudgetMs) {
  return R.Tried | (BudgetMs <= R.OutOfTimeMs ? R.OutOfTime : 0);
}

bool neuropt::sizeCacheComparable(const SizeCacheRecord &R,
                                  const SizeCacheEffort &E) {
  return R.Coreset == E.Coreset && R.UnwindGuard == E.UnwindGuard;
}

bool neuropt::sizeCacheCovers(const SizeCacheRecord &R,
                              const SizeCacheEffort &E) {
  // A run with the other rule may accept what this one rejected (or the
  // reverse), so nothing it tried counts, not even "nothing was smaller".
  if (R.UnwindGuard != E.UnwindGuard)
    return false;
  uint64_t Done = sizeCacheDone(R, E.BudgetMs);
  for (unsigned S : E.Sequences)
    if (S >= 64 || R.Coreset != E.Coreset || !(Done >> S & 1))
      return false;
  if (R.SearchEvaluations < E.SearchEvaluations)
    return false;
  return E.Extension.empty() || R.Extension == E.Extension;
}

SizeCachePlan neuropt::planSizeRun(const std::optional<SizeCacheRecord> &R,
                                   const SizeCacheEffort &E) {
  if (!R)
    return SizeCachePlan::Full;
  bool Covers = sizeCacheCovers(*R, E);
  if (R->Pipeline.empty())
    return Covers ? SizeCachePlan::KeepStock : SizeCachePlan::Full;
  return Covers ? SizeCachePlan::CachedOnly : SizeCachePlan::CachedFirst;
}

SizeCacheRecord neuropt::mergeSizeRecord(const std::optional<SizeCacheRecord> &Old,
                                         const SizeCacheEffort &E,
                                         uint64_t SearchDone,
                                         SizeCacheRecord Best,
                                         ArrayRef<unsigned> OutOfTime,
                                         uint64_t OutOfTimeMs) {
  SizeCacheRecord R = std::move(Best);
  R.Coreset = E.Coreset;
  R.Tried = triedMask(E.Sequences);
  R.SearchEvaluations = SearchDone;
  R.Extension = E.Extension;
  R.OutOfTime = triedMask(OutOfTime);
  R.OutOfTimeMs = R.OutOfTime ? OutOfTimeMs : 0;
  R.UnwindGuard = E.UnwindGuard;
  // What runs that chose by the other rule tried does not count for this
  // one's (their pipeline, if this run confirmed it, is in Best already).
  if (!Old || Old->UnwindGuard != E.UnwindGuard)
    return R;
  // What earlier runs tried still counts if it indexed the same coreset.
  if (Old->Coreset == E.Coreset) {
    R.Tried |= Old->Tried;
    // Out of time, with one limit for all the bits: this run's if its stops
    // include every earlier one, else the smaller of the two. A sequence
    // measured since is no longer out of time.
    uint64_t OldOut = Old->OutOfTime & ~R.Tried;
    uint64_t NewOut = R.OutOfTime & ~R.Tried;
    uint64_t Ms = R.OutOfTimeMs;
    if (!NewOut)
      Ms = Old->OutOfTimeMs;
    else if (OldOut & ~NewOut)
      Ms = std::min(R.OutOfTimeMs, Old->OutOfTimeMs);
    R.OutOfTime = OldOut | NewOut;
    R.OutOfTimeMs = R.OutOfTime ? Ms : 0;
  }
  R.SearchEvaluations += Old->SearchEvaluations;
  if (R.Extension.empty())
    R.Extension = Old->Extension;
  // The caller passes Old only when this run confirmed its pipeline (plans
  // other than Full measure it first), so Best is at least as small.
  return R;
}

bool neuropt::shouldStoreSizeRecord(const std::optional<SizeCacheRecord> &Current,
                                    const std::optional<SizeCacheRecord> &AtStart,
                                    const SizeCacheRecord &New) {
  if (!Current || (AtStart && *Current == *AtStart))
    return true;
  if (New.Objective != Current->Objective)
    return New.Objective < Current->Objective;
  auto Effort = [](const SizeCacheRecord &R) {
    return uint64_t(popcount(R.Tried)) + R.SearchEvaluations;
  };
  return Effort(New) > Effort(*Current);
}

std::string neuropt::getSizeCacheKey(const Module &Unopt) {
  std::unique_ptr<Module> C = CloneModule(Unopt);
  StripDebugInfo(*C);
  // StripDebugInfo keeps the flags that say which debug information the
  // module carries; drop them, and the names of where it came from.
  if (NamedMDNode *Flags = C->getModuleFlagsMetadata()) {
    SmallVector<MDNode *, 8> Kept;
    for (MDNode *Flag : Flags->operands()) {
      auto *Name = Flag->getNumOperands() > 1
                       ? dyn_cast<MDString>(Flag->getOperand(1))
                       : nullptr;
      if (!Name ||
          !is_contained({"Debug Info Version", "Dwarf Version", "CodeView",
                         "CodeViewGHash", "debug-info-assignment-tracking"},
                        Name->getString()))
        Kept.push_back(Flag);
    }
    Flags->clearOperands();
    for (MDNode *Flag : Kept)
      Flags->addOperand(Flag);
  }
  C->setSourceFileName("");
  C->setModuleIdentifier("");
  SmallString<0> Bitcode;
  raw_svector_ostream OS(Bitcode);
  WriteBitcodeToFile(*C, OS);
  std::array<uint8_t, 32> D = SHA256::hash(arrayRefFromStringRef(Bitcode));
  return "size:" + toHex(D, /*LowerCase=*/true);
}

/// \p M's source file name as an absolute path: a relative name is taken
/// against the directory it was compiled in, which the compile unit's
/// debug information records, or else against the current directory (in
/// clang, the compile's own). So `cc -c util.c` in two directories of a
/// project gives two keys. The name stays relative only when the current
/// directory cannot be read.
static std::string absoluteSourceName(const Module &M) {
  StringRef Name = M.getSourceFileName();
  if (sys::path::is_absolute(Name))
    return Name.str();
  SmallString<256> Path;
  for (const DICompileUnit *CU : M.debug_compile_units())
    if (sys::path::is_absolute(CU->getDirectory())) {
      Path = CU->getDirectory();
      break;
    }
  if (Path.empty() && sys::fs::current_path(Path))
    return Name.str();
  sys::path::append(Path, Name);
  sys::path::remove_dots(Path, /*remove_dot_dot=*/true);
  return std::string(Path);
}

std::string neuropt::getSizeCacheFileKey(const Module &Unopt) {
  if (Unopt.getSourceFileName().empty())
    return "";
  std::string Id =
      absoluteSourceName(Unopt) + "\n" + Unopt.getTargetTriple().str();
  std::array<uint8_t, 32> D = SHA256::hash(arrayRefFromStringRef(Id));
  return "size-file:" + toHex(D, /*LowerCase=*/true);
}

std::string neuropt::hashSizePipeline(StringRef Pipeline) {
  StableHasher H;
  H.update("neuropt-size-pipeline\n");
  H.update(Pipeline);
  return toHex64(H.final());
}

CacheEntry neuropt::encodeSizeRecord(const SizeCacheRecord &R) {
  std::string Text;
  raw_string_ostream OS(Text);
  OS << kSizeCacheFormat << "\n"
     << "from " << (R.FromStock ? "oz" : "source") << "\n"
     << "stock " << R.StockObjective << "\n"
     << "objective " << R.Objective << "\n"
     << "coreset " << (R.Coreset.empty() ? "-" : R.Coreset) << "\n"
     << "tried " << R.Tried << "\n"
     << "search " << R.SearchEvaluations << "\n"
     << "extension " << (R.Extension.empty() ? "-" : R.Extension) << "\n"
     << "outoftime " << R.OutOfTime << " " << R.OutOfTimeMs << "\n"
     << "guard " << (R.UnwindGuard ? "unwind" : "-") << "\n";
  if (R.Pipeline.empty())
    return CacheEntry::noCheaperForm(Text, kSizeCacheFormat);
  return CacheEntry::rewrite(R.Pipeline, Text,
                             int64_t(R.StockObjective) - int64_t(R.Objective),
                             kSizeCacheFormat);
}

Expected<SizeCacheRecord> neuropt::decodeSizeRecord(const CacheEntry &E) {
  auto Bad = [](const Twine &Why) {
    return createStringError(inconvertibleErrorCode(),
                             "not a neuropt-size cache entry: " + Why);
  };
  bool V1 = E.VerifierVersion == kSizeCacheFormatV1,
       V2 = E.VerifierVersion == kSizeCacheFormatV2;
  if (!V1 && !V2 && E.VerifierVersion != kSizeCacheFormat)
    return Bad("format '" + E.VerifierVersion + "'");
  SmallVector<StringRef, 12> Lines;
  StringRef(E.Certificate).split(Lines, '\n', -1, /*KeepEmpty=*/false);
  if (Lines.size() != (V1 ? 8u : V2 ? 9u : 10u) ||
      Lines[0] != E.VerifierVersion)
    return Bad("malformed record");
  SizeCacheRecord R;
  R.Pipeline = E.isRewrite() ? E.RHS : std::string();
  auto Field = [&](unsigned I, StringRef Name) -> std::optional<StringRef> {
    auto [Key, Value] = Lines[I].split(' ');
    if (Key != Name || Value.empty())
      return std::nullopt;
    return Value;
  };
  auto Number = [&](unsigned I, StringRef Name, uint64_t &Out) {
    std::optional<StringRef> V = Field(I, Name);
    return V && !V->getAsInteger(10, Out);
  };
  std::optional<StringRef> From = Field(1, "from"),
                           Coreset = Field(4, "coreset"),
                           Ext = Field(7, "extension");
  if (!From || (*From != "oz" && *From != "source") || !Coreset || !Ext ||
      !Number(2, "stock", R.StockObjective) ||
      !Number(3, "objective", R.Objective) || !Number(5, "tried", R.Tried) ||
      !Number(6, "search", R.SearchEvaluations))
    return Bad("malformed record");
  if (!V1) {
    std::optional<StringRef> Out = Field(8, "outoftime");
    if (!Out)
      return Bad("malformed record");
    auto [Mask, Ms] = Out->split(' ');
    if (Mask.getAsInteger(10, R.OutOfTime) || Ms.getAsInteger(10, R.OutOfTimeMs) ||
        (R.OutOfTime & R.Tried) || (!R.OutOfTime != !R.OutOfTimeMs))
      return Bad("malformed record");
  }
  if (!V1 && !V2) {
    std::optional<StringRef> Guard = Field(9, "guard");
    if (!Guard || (*Guard != "unwind" && *Guard != "-"))
      return Bad("malformed record");
    R.UnwindGuard = *Guard == "unwind";
  }
  R.FromStock = *From == "oz";
  R.Coreset = *Coreset == "-" ? "" : Coreset->str();
  R.Extension = *Ext == "-" ? "" : Ext->str();
  if (E.isRewrite() && (R.Pipeline.empty() || R.Objective >= R.StockObjective ||
                        E.CostSaved != int64_t(R.StockObjective - R.Objective)))
    return Bad("inconsistent sizes");
  if (!E.isRewrite() && R.Objective != R.StockObjective)
    return Bad("inconsistent sizes");
  return R;
}
