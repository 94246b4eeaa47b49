//===- PipelineEvaluator.cpp - Apply a pass pipeline and measure code size -===//
//
// Part of neuropt, under the Apache License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//
//
// This file implements PipelineEvaluator. Code generation runs in memory into
// a SmallVector, and the object is parsed back with llvm::object to sum the
// section families; no file is written.
//
//===----------------------------------------------------------------------===//

#include "neuropt/Search/PipelineEvaluator.h"
#include "neuropt/Search/ModuleSwap.h"
#include "neuropt/Support/ChildProcess.h"

#include "llvm/Analysis/TargetTransformInfo.h"
#include "llvm/ADT/StringMap.h"
#include "llvm/ADT/StringSwitch.h"
#include "llvm/Analysis/CGSCCPassManager.h"
#include "llvm/Analysis/LoopAnalysisManager.h"
#include "llvm/Bitcode/BitcodeReader.h"
#include "llvm/Bitcode/BitcodeWriter.h"
#include "llvm/IR/LLVMContext.h"
#include "llvm/IR/LegacyPassManager.h"
#include "llvm/IR/Module.h"
#include "llvm/IR/Verifier.h"
#include "llvm/MC/TargetRegistry.h"
#include "llvm/Object/ELFObjectFile.h"
#include "llvm/Object/ObjectFile.h"
#include "llvm/Passes/PassBuilder.h"
#include "llvm/Support/CommandLine.h"
#include "llvm/Support/Endian.h"
#include "llvm/Support/FormatVariadic.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/TargetSelect.h"
#include "llvm/Support/raw_ostream.h"
#include "llvm/Target/CGPassBuilderOption.h"
#include "llvm/Target/TargetMachine.h"
#include "llvm/Target/TargetOptions.h"
#include "llvm/TargetParser/Triple.h"
#include "llvm/Transforms/Scalar/GVN.h"

#include <chrono>
#include <cstring>
#include <mutex>

using namespace llvm;
using namespace neuropt;

uint64_t neuropt::countIRInstructions(const Module &M) {
  uint64_t N = 0;
  for (const Function &F : M)
    N += F.getInstructionCount();
  return N;
}

namespace {
/// LLVM's -enable-machine-outliner (lib/CodeGen/TargetPassConfig.cpp), its
/// value before anything here changed it, and the lock that every code
/// generation pipeline here is built under.
struct OutlinerOption {
  cl::opt<RunOutliner> *Opt = nullptr;
  RunOutliner Original = RunOutliner::TargetDefault;
  std::mutex Lock;
  OutlinerOption() {
    DenseMap<StringRef, cl::Option *> &Opts = cl::getRegisteredOptions();
    auto It = Opts.find("enable-machine-outliner");
    if (It == Opts.end())
      return;
    Opt = static_cast<cl::opt<RunOutliner> *>(It->second);
    Original = Opt->getValue();
  }
  bool available() const { return Opt && Opt->getNumOccurrences() == 0; }
  /// The option's value for code generation with (\p On) or without the
  /// outliner: without it, whatever it was before anything here.
  RunOutliner valueFor(bool On) const {
    return On ? RunOutliner::AlwaysOutline : Original;
  }
  static OutlinerOption &get() {
    static OutlinerOption O;
    return O;
  }
};
} // namespace

bool MachineOutliner::available() { return OutlinerOption::get().available(); }

void MachineOutliner::setForCodegen(bool On) {
  OutlinerOption &O = OutlinerOption::get();
  if (!O.available())
    return;
  std::lock_guard<std::mutex> G(O.Lock);
  O.Opt->setValue(O.valueFor(On));
}

PipelineEvaluator::PipelineEvaluator(std::unique_ptr<TargetMachine> TM)
    : TM(std::move(TM)) {}
PipelineEvaluator::~PipelineEvaluator() = default;

void PipelineEvaluator::initializeTargets() {
  static std::once_flag Once;
  std::call_once(Once, [] {
    InitializeAllTargetInfos();
    InitializeAllTargets();
    InitializeAllTargetMCs();
    InitializeAllAsmPrinters();
    // Inline assembly (module-level or in calls) is parsed when emitting an
    // object; without the parsers LLVM aborts the process.
    InitializeAllAsmParsers();
  });
}

Expected<std::unique_ptr<PipelineEvaluator>>
PipelineEvaluator::create(const CodegenConfig &Config) {
  initializeTargets();
  Triple T(Config.Triple);
  std::string Err;
  const Target *TheTarget = TargetRegistry::lookupTarget(T, Err);
  if (!TheTarget)
    return createStringError(inconvertibleErrorCode(),
                             "no target for '%s': %s", Config.Triple.c_str(),
                             Err.c_str());
  TargetOptions Opts;
  // clang's defaults for C on Linux: -funwind-tables=2 (eh_frame is not a
  // measured section), function sections off, address-significance tables.
  Opts.FunctionSections = false;
  Opts.DataSections = false;
  Opts.UniqueSectionNames = true;
  std::unique_ptr<TargetMachine> TM(TheTarget->createTargetMachine(
      T, Config.CPU, Config.Features, Opts,
      Config.PIC ? Reloc::PIC_ : Reloc::Static, std::nullopt,
      CodeGenOptLevel::Default));
  if (!TM)
    return createStringError(inconvertibleErrorCode(),
                             "cannot create a target machine for '%s'",
                             Config.Triple.c_str());
  return std::unique_ptr<PipelineEvaluator>(new PipelineEvaluator(std::move(TM)));
}

SmallVector<StringRef, 16> neuropt::splitPipelineElements(StringRef Pipeline) {
  SmallVector<StringRef, 16> Out;
  int Depth = 0;
  size_t Start = 0;
  for (size_t I = 0; I < Pipeline.size(); ++I) {
    char C = Pipeline[I];
    if (C == '(' || C == '<')
      ++Depth;
    else if (C == ')' || C == '>')
      --Depth;
    else if (C == ',' && Depth == 0) {
      Out.push_back(Pipeline.slice(Start, I).trim());
      Start = I + 1;
    }
  }
  if (Start < Pipeline.size())
    Out.push_back(Pipeline.substr(Start).trim());
  return Out;
}

static std::optional<OptimizationLevel> parseDefaultLevel(StringRef Element) {
  return StringSwitch<std::optional<OptimizationLevel>>(Element)
      .Case("default<O0>", OptimizationLevel::O0)
      .Case("default<O1>", OptimizationLevel::O1)
      .Case("default<O2>", OptimizationLevel::O2)
      .Case("default<O3>", OptimizationLevel::O3)
      .Case("default<Os>", OptimizationLevel::Os)
      .Case("default<Oz>", OptimizationLevel::Oz)
      .Default(std::nullopt);
}

namespace {
/// function(gvn-sink) on a copy of the module read from its bitcode into a
/// context of its own, where nothing but that reading has laid out the heap
/// (runOnFreshHeap); what it sinks then replaces the module's contents.
/// LLVM 22's GVNSink sorts each instruction's users by address. After other
/// passes that order follows the heap's holes and the allocation order those
/// passes took, which varies with the randomized address base; a fresh read
/// makes it the order of the bitcode, the same on every run
/// (bench/results/size.md, session 34).
class GVNSinkOnFreshCopy : public PassInfoMixin<GVNSinkOnFreshCopy> {
public:
  PreservedAnalyses run(Module &M, ModuleAnalysisManager &MAM) {
    const std::string In = writeModuleBitcode(M);
    // 'U': nothing sunk; 'S' and the copy's bitcode; 'E': unreadable.
    Expected<std::string> Out = runOnFreshHeap(
        [&]() -> std::string {
          LLVMContext Ctx;
          Expected<std::unique_ptr<Module>> Copy = readModuleBitcode(In, Ctx);
          if (!Copy) {
            consumeError(Copy.takeError());
            return "E";
          }
          FunctionAnalysisManager FAM; // GVNSink asks for no analyses
          bool Changed = false;
          for (Function &F : **Copy)
            if (!F.isDeclaration())
              Changed |= !GVNSinkPass().run(F, FAM).areAllPreserved();
          return Changed ? "S" + writeModuleBitcode(**Copy) : "U";
        },
        kCopyTimeoutMs);
    if (Out && *Out == "U")
      return PreservedAnalyses::all();
    if (Out && Out->size() > 1 && (*Out)[0] == 'S') {
      Expected<std::unique_ptr<Module>> Sunk =
          readModuleBitcode(StringRef(*Out).drop_front(), M.getContext());
      if (Sunk) {
        replaceModuleContents(M, **Sunk);
        return PreservedAnalyses::none();
      }
      consumeError(Sunk.takeError());
    } else if (!Out) {
      consumeError(Out.takeError());
    }
    // The copy could not be made or read back: sink in place.
    return createModuleToFunctionPassAdaptor(GVNSinkPass()).run(M, MAM);
  }

private:
  /// Only where the copy is made in a child of its own (in-process use);
  /// a pipeline's own deadline bounds the rest.
  static constexpr unsigned kCopyTimeoutMs = 600000;
};
} // namespace

Error PipelineEvaluator::runPipeline(Module &M, StringRef Pipeline,
                                     unsigned TimeLimitMs) {
  // clang -Oz: no loop vectorization (no -vectorize-loops), SLP on,
  // unrolling on (OptimizationLevel 2).
  PipelineTuningOptions PTO;
  PTO.LoopVectorization = false;
  PTO.LoopInterleaving = true;
  PTO.SLPVectorization = true;
  PTO.LoopUnrolling = true;
  LoopAnalysisManager LAM;
  FunctionAnalysisManager FAM;
  CGSCCAnalysisManager CGAM;
  ModuleAnalysisManager MAM;
  PassInstrumentationCallbacks PIC;
  using Clock = std::chrono::steady_clock;
  Clock::time_point Start = Clock::now();
  bool Stopped = false;
  // With a limit, the time of each innermost pass, summed per pass name: the
  // limit is checked between passes, so one long pass (the IR outliner on
  // highly repetitive code) can overrun it, and the error names it.
  struct Frame {
    Clock::time_point Start;
    bool HadChild = false;
  };
  std::vector<Frame> Running;
  StringMap<Clock::duration> LeafTime;
  if (TimeLimitMs) {
    Clock::time_point Deadline = Start + std::chrono::milliseconds(TimeLimitMs);
    PIC.registerShouldRunOptionalPassCallback(
        [&Stopped, Deadline](StringRef, Any) {
          if (!Stopped && Clock::now() >= Deadline)
            Stopped = true;
          return !Stopped;
        });
    PIC.registerBeforeNonSkippedPassCallback([&Running](StringRef, Any) {
      if (!Running.empty())
        Running.back().HadChild = true;
      Running.push_back({Clock::now()});
    });
    auto After = [&Running, &LeafTime](StringRef Name) {
      if (Running.empty())
        return;
      Frame F = Running.back();
      Running.pop_back();
      if (!F.HadChild)
        LeafTime[Name] += Clock::now() - F.Start;
    };
    PIC.registerAfterPassCallback(
        [After](StringRef Name, Any, const PreservedAnalyses &) { After(Name); });
    PIC.registerAfterPassInvalidatedCallback(
        [After](StringRef Name, const PreservedAnalyses &) { After(Name); });
  }
  PassBuilder PB(TM.get(), PTO, std::nullopt, &PIC);
  PB.registerModuleAnalyses(MAM);
  PB.registerCGSCCAnalyses(CGAM);
  PB.registerFunctionAnalyses(FAM);
  PB.registerLoopAnalyses(LAM);
  PB.crossRegisterProxies(LAM, FAM, CGAM, MAM);
  ModulePassManager MPM;
  // The textual "default<Oz>" does not honour the tuning options (LLVM 22
  // re-derives SLP vectorization from the level when parsing it), while
  // clang builds its pipeline with buildPerModuleDefaultPipeline. So top-level
  // default<L> elements are built the way clang builds them, and every other
  // element is parsed as text.
  for (StringRef Element : splitPipelineElements(Pipeline)) {
    if (std::optional<OptimizationLevel> L = parseDefaultLevel(Element)) {
      MPM.addPass(PB.buildPerModuleDefaultPipeline(*L));
      continue;
    }
    if (Element == "function(gvn-sink)") {
      MPM.addPass(GVNSinkOnFreshCopy());
      continue;
    }
    if (Error E = PB.parsePassPipeline(MPM, Element))
      return createStringError(inconvertibleErrorCode(),
                               "invalid pipeline '%s': %s",
                               Pipeline.str().c_str(),
                               toString(std::move(E)).c_str());
  }
  MPM.run(M, MAM);
  if (Stopped) {
    auto Ms = [](Clock::duration D) {
      return unsigned(
          std::chrono::duration_cast<std::chrono::milliseconds>(D).count());
    };
    std::string Msg = formatv("stopped at the time limit of {0} ms after {1} ms",
                              TimeLimitMs, Ms(Clock::now() - Start))
                          .str();
    // The pass that took longest in all (ties: the first name in order).
    const StringMapEntry<Clock::duration> *Top = nullptr;
    for (const auto &E : LeafTime)
      if (!Top || E.second > Top->second ||
          (E.second == Top->second && E.first() < Top->first()))
        Top = &E;
    if (Top)
      Msg += formatv(", {0} ms of it in {1}", Ms(Top->second), Top->first())
                 .str();
    return createStringError(inconvertibleErrorCode(), Msg);
  }
  // The verifier's first complaint goes into the error, not to stderr: in
  // clang it would read as a problem with the user's code.
  std::string Complaint;
  raw_string_ostream OS(Complaint);
  if (verifyModule(M, &OS)) {
    StringRef First = StringRef(Complaint).split('\n').first.trim();
    return createStringError(inconvertibleErrorCode(),
                             "pipeline '%s' produced invalid IR (%s)",
                             Pipeline.str().c_str(), First.str().c_str());
  }
  return Error::success();
}

/// Assumed, not fitted: average bytes of x86-64 code per unit of TTI
/// code-size cost, and the bytes a function costs beyond its instructions
/// (prologue, alignment). Only the estimate's order matters, and that is
/// what `neuropt-eval estimate` measures.
static constexpr uint64_t IREstimateBytesPerUnit = 4;
static constexpr uint64_t IREstimateFunctionBytes = 8;

uint64_t PipelineEvaluator::estimateObjective(const Module &M) {
  uint64_t Bytes = 0;
  // Unused internal symbols are left out: clang's tail (globaldce) drops
  // them, and sequences without a globaldce step leave them behind.
  auto Dead = [](const GlobalValue &G) {
    return G.hasLocalLinkage() && G.use_empty();
  };
  for (const Function &F : M) {
    if (F.isDeclaration() || Dead(F))
      continue;
    TargetTransformInfo TTI = TM->getTargetTransformInfo(F);
    uint64_t Cost = 0;
    for (const BasicBlock &BB : F)
      for (const Instruction &I : BB) {
        InstructionCost C =
            TTI.getInstructionCost(&I, TargetTransformInfo::TCK_CodeSize);
        Cost += C.isValid() ? uint64_t(std::max<int64_t>(0, C.getValue())) : 4;
      }
    Bytes += Cost * IREstimateBytesPerUnit + IREstimateFunctionBytes;
  }
  const DataLayout &DL = M.getDataLayout();
  for (const GlobalVariable &G : M.globals())
    if (G.hasInitializer() && !G.getInitializer()->isNullValue() && !Dead(G))
      Bytes += DL.getTypeAllocSize(G.getValueType());
  return Bytes;
}

static void addSection(ObjectSize &S, StringRef Name, uint64_t Size) {
  auto Is = [&](StringRef Base) {
    return Name == Base || Name.starts_with((Base + ".").str());
  };
  if (Is(".text"))
    S.Text += Size;
  else if (Is(".rodata"))
    S.ROData += Size;
  else if (Is(".data") || Name.starts_with(".data.rel.ro"))
    S.Data += Size;
  else if (Name == ".eh_frame")
    S.EHFrame += Size;
}

/// Generates an object for \p M in place and sums its section families.
Expected<ObjectSize> PipelineEvaluator::emitAndMeasure(Module &M,
                                                       bool Verified,
                                                       bool Outline) {
  M.setTargetTriple(TM->getTargetTriple());
  M.setDataLayout(TM->createDataLayout());
  SmallVector<char, 0> Buffer;
  raw_svector_ostream OS(Buffer);
  legacy::PassManager PM;
  {
    // The pipeline is built with the outliner as asked for, whatever a
    // decision for clang's own code generation has set meanwhile.
    OutlinerOption &O = OutlinerOption::get();
    std::lock_guard<std::mutex> G(O.Lock);
    std::optional<RunOutliner> Was;
    if (O.available()) {
      Was = O.Opt->getValue();
      O.Opt->setValue(O.valueFor(Outline));
    }
    // Code generation verifies its input first unless the caller just did.
    bool Failed = TM->addPassesToEmitFile(PM, OS, nullptr,
                                          CodeGenFileType::ObjectFile,
                                          /*DisableVerify=*/Verified);
    if (Was)
      O.Opt->setValue(*Was);
    if (Failed)
      return createStringError(inconvertibleErrorCode(),
                               "target cannot emit object files");
  }
  PM.run(M);

  return measureObject(
      MemoryBufferRef(StringRef(Buffer.data(), Buffer.size()), "neuropt.o"));
}

/// FDEs in an .eh_frame section: records are length-prefixed (a length of
/// 0xffffffff announces a 64-bit one), a CIE has id 0 and an FDE the
/// nonzero offset of its CIE; a zero length ends the section.
static uint64_t countFDEs(StringRef Data, llvm::endianness E) {
  uint64_t N = 0;
  size_t Off = 0;
  while (Off + 4 <= Data.size()) {
    uint64_t Len = support::endian::read32(Data.data() + Off, E);
    Off += 4;
    if (Len == 0)
      break;
    if (Len == 0xffffffffu) {
      if (Off + 8 > Data.size())
        break;
      Len = support::endian::read64(Data.data() + Off, E);
      Off += 8;
    }
    if (Len < 4 || Len > Data.size() - Off)
      break;
    if (support::endian::read32(Data.data() + Off, E) != 0)
      ++N;
    Off += Len;
  }
  return N;
}

Expected<ObjectSize> neuropt::measureObject(MemoryBufferRef Object) {
  auto Obj = object::ObjectFile::createObjectFile(Object);
  if (!Obj)
    return Obj.takeError();
  ObjectSize Size;
  for (const object::SectionRef &Sec : (*Obj)->sections()) {
    Expected<StringRef> Name = Sec.getName();
    if (!Name)
      return Name.takeError();
    if (Sec.isBSS())
      continue;
    addSection(Size, *Name, Sec.getSize());
    if (*Name == ".eh_frame") {
      Expected<StringRef> Data = Sec.getContents();
      if (!Data)
        return Data.takeError();
      Size.UnwindEntries += countFDEs(*Data, (*Obj)->isLittleEndian()
                                                  ? llvm::endianness::little
                                                  : llvm::endianness::big);
    }
  }
  if (const auto *ELF = dyn_cast<object::ELFObjectFileBase>(Obj->get()))
    for (const object::ELFSymbolRef Sym : ELF->symbols()) {
      if (Sym.getELFType() != ELF::STT_FUNC)
        continue;
      Expected<StringRef> SymName = Sym.getName();
      if (!SymName)
        return SymName.takeError();
      Size.FunctionBytes.push_back({SymName->str(), Sym.getSize()});
    }
  return Size;
}

/// Code generation depends on use-list order, which CloneModule and textual
/// IR do not keep. Round-tripping through bitcode written with use-list
/// order, as clang's own .bc files are, reproduces clang's result exactly.
static Expected<std::unique_ptr<Module>> freshCopy(const Module &M,
                                                    LLVMContext &Ctx) {
  SmallVector<char, 0> Buffer;
  raw_svector_ostream OS(Buffer);
  WriteBitcodeToFile(M, OS, /*ShouldPreserveUseListOrder=*/true);
  return parseBitcodeFile(
      MemoryBufferRef(StringRef(Buffer.data(), Buffer.size()), "neuropt.bc"),
      Ctx);
}

Expected<SizeMeasurement> PipelineEvaluator::measure(const Module &M) {
  return evaluate(M, "");
}

Expected<SizeMeasurement> PipelineEvaluator::evaluate(const Module &M,
                                                      StringRef Pipeline) {
  LLVMContext Ctx;
  auto Copy = freshCopy(M, Ctx);
  if (!Copy)
    return Copy.takeError();
  return evaluateInPlace(**Copy, Pipeline);
}

Expected<SizeMeasurement> PipelineEvaluator::evaluateInPlace(Module &M,
                                                             StringRef Pipeline) {
  if (!Pipeline.empty())
    if (Error E = runPipeline(M, Pipeline))
      return E;
  SizeMeasurement Result;
  Result.IRInstructions = countIRInstructions(M);
  // Code generation changes the module: the second one gets a copy first.
  LLVMContext OutlineCtx;
  std::unique_ptr<Module> ForOutliner;
  if (AlsoOutlined && MachineOutliner::available()) {
    auto Copy = freshCopy(M, OutlineCtx);
    if (!Copy)
      return Copy.takeError();
    ForOutliner = std::move(*Copy);
  }
  // runPipeline() has verified the module when there was a pipeline.
  Expected<ObjectSize> Size = emitAndMeasure(M, /*Verified=*/!Pipeline.empty());
  if (!Size)
    return Size.takeError();
  Result.Object = *Size;
  if (ForOutliner) {
    Expected<ObjectSize> Outlined =
        emitAndMeasure(*ForOutliner, /*Verified=*/true, /*Outline=*/true);
    if (!Outlined)
      return Outlined.takeError();
    Result.Outlined = std::move(*Outlined);
  }
  return Result;
}

Expected<SizeMeasurement>
PipelineEvaluator::evaluateIsolated(const Module &M, StringRef Pipeline,
                                    unsigned TimeoutMs) {
  // The child sends {ok, text, rodata, data, ir}.
  Expected<ChildOutcome> Child = runInChild(
      [&](int Fd) {
        uint64_t Msg[5] = {0, 0, 0, 0, 0};
        // Not on the main thread, whose heap has the holes this process's
        // earlier work left: a resumed or resharded sweep would measure
        // gvn-sink sequences differently.
        runOnFreshArena([&] {
          Expected<SizeMeasurement> R = evaluate(M, Pipeline);
          if (R) {
            Msg[0] = 1;
            Msg[1] = R->Object.Text;
            Msg[2] = R->Object.ROData;
            Msg[3] = R->Object.Data;
            Msg[4] = R->IRInstructions;
          } else {
            consumeError(R.takeError());
          }
        });
        writeAll(Fd, StringRef(reinterpret_cast<const char *>(Msg), sizeof(Msg)));
      },
      TimeoutMs);
  if (!Child)
    return Child.takeError();
  if (Child->TimedOut)
    return createStringError(inconvertibleErrorCode(),
                             "pipeline '%s' timed out after %u ms",
                             Pipeline.str().c_str(), TimeoutMs);
  uint64_t Msg[5];
  if (Child->Output.size() != sizeof(Msg))
    return createStringError(inconvertibleErrorCode(),
                             "pipeline '%s' crashed (%s)",
                             Pipeline.str().c_str(),
                             Child->describeEnd().c_str());
  std::memcpy(Msg, Child->Output.data(), sizeof(Msg));
  if (!Msg[0])
    return createStringError(inconvertibleErrorCode(),
                             "pipeline '%s' failed to run or verify",
                             Pipeline.str().c_str());
  SizeMeasurement Result;
  Result.Object.Text = Msg[1];
  Result.Object.ROData = Msg[2];
  Result.Object.Data = Msg[3];
  Result.IRInstructions = Msg[4];
  return Result;
}
