//===- Plugin.cpp - The neuropt pass plugin entry point ---------------------===//
//
// Part of neuropt, under the Apache License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//
//
// The single entry point of build/lib/NeurOpt.so. It registers every neuropt
// pass with the new pass manager, for `opt -load-pass-plugin=... -passes=...`
// and for `clang -fpass-plugin=...`, where passes are added at extension
// points and tuned with `-mllvm -neuropt-...` options.
//
//===----------------------------------------------------------------------===//

#include "neuropt/Passes/FeaturesPrinter.h"
#include "neuropt/Passes/NeuroptSize.h"
#include "neuropt/Search/PipelineEvaluator.h"
#include "neuropt/Passes/ScoresPrinter.h"
#include "neuropt/Passes/Superopt.h" // neuropt-superopt
#include "neuropt/Passes/TranslationValidation.h"

#include "llvm/ADT/Statistic.h"
#include "llvm/Config/abi-breaking.h"
#include "llvm/Config/llvm-config.h"
#include "llvm/IR/PassManager.h"
#include "llvm/Passes/PassBuilder.h"
#include "llvm/Plugins/PassPlugin.h"
#include "llvm/Support/CommandLine.h"
#include "llvm/Support/ManagedStatic.h"
#include "llvm/Support/raw_ostream.h"

#include <algorithm>

using namespace llvm;
using namespace neuropt;

namespace {
enum class PrintPoint { None, Start, Last };
} // namespace

static cl::opt<PrintPoint> PrintFeaturesAt(
    "neuropt-print-features",
    cl::desc("Run print<neuropt-features> inside a default pipeline (for "
             "clang, which has no -passes)"),
    cl::values(clEnumValN(PrintPoint::None, "none", "do not print"),
               clEnumValN(PrintPoint::Start, "start",
                          "at the pipeline start, on unoptimized IR"),
               clEnumValN(PrintPoint::Last, "last",
                          "at the end of the optimizer")),
    cl::init(PrintPoint::None));

static bool parseModulePass(StringRef Name, ModulePassManager &MPM,
                            ArrayRef<PassBuilder::PipelineElement>) {
  if (Name == "print<neuropt-features>") {
    MPM.addPass(FeaturesPrinterPass(errs()));
    return true;
  }
  if (Name == "print<neuropt-scores>") {
    MPM.addPass(ScoresPrinterPass(errs()));
    return true;
  }
  if (Name == "neuropt-size") {
    MPM.addPass(NeuroptSizePass());
    return true;
  }
  // neuropt-superopt: begin
  if (Name == "neuropt-superopt") {
    MPM.addPass(SuperoptPass());
    return true;
  }
  // neuropt-superopt: end
  return false;
}

namespace {
/// Prints the statistics when LLVM shuts down, as an LLVM built with
/// assertions does for -stats (-stats-json: as JSON).
struct StatisticsPrinter {
  ~StatisticsPrinter() {
    if (GetStatistics().empty())
      return;
    std::unique_ptr<raw_ostream> OS = CreateInfoOutputFile();
    auto &Opts = cl::getRegisteredOptions();
    auto JSON = Opts.find("stats-json");
    if (JSON != Opts.end() && JSON->second->getNumOccurrences())
      PrintStatisticsJSON(*OS);
    else
      PrintStatistics(*OS);
  }
};
} // namespace

static ManagedStatic<StatisticsPrinter> Printer;

/// neuropt's statistics are always enabled (ALWAYS_ENABLED_STATISTIC), but
/// an LLVM built without assertions, as Debian's is, compiles its -stats
/// printer out and says only "Statistics are disabled". There the plugin
/// prints them itself when -stats was given (not for clang's -save-stats,
/// which writes them to a file and enables statistics without -stats).
static void printStatisticsForStatsFlag() {
#if !LLVM_ENABLE_ABI_BREAKING_CHECKS && !LLVM_FORCE_ENABLE_STATS
  static const bool Once = [] {
    auto &Opts = cl::getRegisteredOptions();
    auto Stats = Opts.find("stats");
    if (Stats == Opts.end() || !Stats->second->getNumOccurrences())
      return false;
    // LLVM's registry first, so that it is destroyed after the printer
    // (llvm_shutdown destroys in the reverse order of construction).
    (void)GetStatistics();
    (void)*Printer;
    return true;
  }();
  (void)Once;
#endif
}

static void registerCallbacks(PassBuilder &PB) {
  printStatisticsForStatsFlag();
  PB.registerPipelineParsingCallback(parseModulePass);
  // neuropt-tv<PIPELINE>: translation validation of a function pipeline
  // (passes separated by ';', since ',' ends the outer element).
  PB.registerPipelineParsingCallback(
      [&PB](StringRef Name, ModulePassManager &MPM,
            ArrayRef<PassBuilder::PipelineElement>) {
        if (!Name.consume_front("neuropt-tv<") || !Name.consume_back(">"))
          return false;
        std::string Inner = Name.str();
        std::replace(Inner.begin(), Inner.end(), ';', ',');
        FunctionPassManager FPM;
        if (Error E = PB.parsePassPipeline(FPM, Inner)) {
          errs() << "neuropt-tv: " << toString(std::move(E)) << "\n";
          return false;
        }
        MPM.addPass(TranslationValidationPass(std::move(FPM), Inner));
        return true;
      });
  PB.registerPipelineStartEPCallback(
      [](ModulePassManager &MPM, OptimizationLevel) {
        if (PrintFeaturesAt == PrintPoint::Start)
          MPM.addPass(FeaturesPrinterPass(errs()));
      });
  // neuropt-size in clang -Oz: keep the unoptimized module at the start,
  // compare clang's own -Oz result with the candidates at the end.
  auto Stash = std::make_shared<SizeStash>();
  PB.registerPipelineStartEPCallback(
      [Stash](ModulePassManager &MPM, OptimizationLevel Level) {
        // -neuropt-size-machine-outliner leaves the machine outliner on for
        // the code generation that follows the pass; a later translation
        // unit in this process (clang's in-process cc1) starts without it.
        MachineOutliner::setForCodegen(false);
        if (Level == OptimizationLevel::Oz &&
            NeuroptSizePass::enabledInDefaultPipeline())
          MPM.addPass(NeuroptSizeStashPass(Stash));
      });
  PB.registerOptimizerLastEPCallback(
      [Stash](ModulePassManager &MPM, OptimizationLevel Level,
              ThinOrFullLTOPhase Phase) {
        if (Level == OptimizationLevel::Oz &&
            Phase == ThinOrFullLTOPhase::None &&
            NeuroptSizePass::enabledInDefaultPipeline())
          MPM.addPass(NeuroptSizePass(Stash));
      });
  PB.registerOptimizerLastEPCallback(
      [](ModulePassManager &MPM, OptimizationLevel, ThinOrFullLTOPhase) {
        if (PrintFeaturesAt == PrintPoint::Last)
          MPM.addPass(FeaturesPrinterPass(errs()));
      });
  // neuropt-superopt: begin. Last in the optimizer unless
  // -neuropt-superopt-mode=off; in cache mode with no cache it does nothing.
  PB.registerOptimizerLastEPCallback(
      [](ModulePassManager &MPM, OptimizationLevel, ThinOrFullLTOPhase) {
        if (SuperoptPass::isEnabled())
          MPM.addPass(SuperoptPass());
      });
  // neuropt-superopt: end
}

extern "C" LLVM_ATTRIBUTE_WEAK LLVM_ATTRIBUTE_VISIBILITY_DEFAULT PassPluginLibraryInfo
llvmGetPassPluginInfo() {
  return {LLVM_PLUGIN_API_VERSION, "NeurOpt", LLVM_VERSION_STRING,
          registerCallbacks};
}
