//===- PipelineEvaluator.h - Apply a pass pipeline and measure code size -*- C++ -*-===//
//
// Part of neuropt, under the Apache License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//
//
// The measurement behind every size decision: run a textual new-PM pipeline
// on a copy of a module, then generate an x86-64 object in memory, exactly as
// `clang -Oz -c` would for that module (same triple, CPU, relocation model,
// code-generation level and pipeline tuning), and read the section sizes.
// The objective is .text + .rodata + .data bytes; .text alone and the IR
// instruction count are recorded as well.
//
//===----------------------------------------------------------------------===//

#ifndef NEUROPT_SEARCH_PIPELINEEVALUATOR_H
#define NEUROPT_SEARCH_PIPELINEEVALUATOR_H

#include "llvm/ADT/SmallVector.h"
#include "llvm/ADT/StringRef.h"
#include "llvm/Support/Error.h"

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace llvm {
class MemoryBufferRef;
class Module;
class TargetMachine;
} // namespace llvm

namespace neuropt {

/// The entry the linker gives each FDE in .eh_frame_hdr's binary search
/// table (--eh-frame-hdr, the default on Linux): two 4-byte offsets.
constexpr uint64_t kEHFrameHdrEntryBytes = 8;

/// Bytes of unwind tables in the linked program for an object with
/// \p EHFrame bytes of .eh_frame holding \p Entries FDEs.
constexpr uint64_t unwindTableBytes(uint64_t EHFrame, uint64_t Entries) {
  return EHFrame + kEHFrameHdrEntryBytes * Entries;
}

/// Bytes per section family of one object file.
struct ObjectSize {
  uint64_t Text = 0;   ///< .text and .text.*
  uint64_t ROData = 0; ///< .rodata and .rodata.*
  uint64_t Data = 0;   ///< .data, .data.*, .data.rel.ro* (not .bss)
  /// .eh_frame: not in the objective, but loaded with the program, and
  /// every outlined function adds an entry to it.
  uint64_t EHFrame = 0;
  /// Frame description entries (FDEs) in .eh_frame: one per function with
  /// unwind information.
  uint64_t UnwindEntries = 0;
  /// The size objective: .text + .rodata + .data.
  uint64_t objective() const { return Text + ROData + Data; }
  /// Bytes of unwind tables in the linked program: .eh_frame, and each
  /// FDE's entry in .eh_frame_hdr.
  uint64_t unwindBytes() const {
    return unwindTableBytes(EHFrame, UnwindEntries);
  }
  /// Bytes of each function symbol (ELF STT_FUNC st_size), by name; filled
  /// by in-process measurements only (not by evaluateIsolated).
  std::vector<std::pair<std::string, uint64_t>> FunctionBytes;
};

struct SizeMeasurement {
  ObjectSize Object;
  uint64_t IRInstructions = 0;
  /// The same module generated with LLVM's machine outliner on, when the
  /// evaluator was asked for it (PipelineEvaluator::setAlsoOutlined).
  std::optional<ObjectSize> Outlined;
};

/// LLVM's machine outliner (`-enable-machine-outliner`, a code generation
/// pass that x86-64 runs only when asked) as a choice of code generation.
/// Code generation reads the option when it builds its pipeline, so these
/// set it process-wide: every measurement here sets it for its own pipeline
/// and restores it, and setForCodegen() leaves it set for the code
/// generation that follows in this process (clang's).
struct MachineOutliner {
  /// Whether the option exists and the user has not set it (an explicit
  /// -mllvm -enable-machine-outliner[=never] is the user's decision).
  static bool available();
  /// Sets the option to outline (\p On) or back to its value before any
  /// change here. Does nothing when not available().
  static void setForCodegen(bool On);
};

/// Target configuration matching `clang -O<level> -c` on x86-64 Linux.
struct CodegenConfig {
  std::string Triple = "x86_64-pc-linux-gnu";
  std::string CPU = "x86-64";
  std::string Features;
  bool PIC = true; ///< Debian's clang builds PIE by default.
};

class PipelineEvaluator {
public:
  /// Creates an evaluator; fails if the target is not available.
  static llvm::Expected<std::unique_ptr<PipelineEvaluator>>
  create(const CodegenConfig &Config = CodegenConfig());
  /// Registers every target with LLVM, once per process (create() does it
  /// too). Call it before threads make evaluators at the same time.
  static void initializeTargets();
  ~PipelineEvaluator();

  /// Measures \p M as it is: no IR passes, only code generation. \p M is not
  /// modified (code generation runs on a copy that keeps use-list order).
  /// Same as evaluate(M, "").
  llvm::Expected<SizeMeasurement> measure(const llvm::Module &M);

  /// Runs \p Pipeline (new-PM syntax, e.g. "default<Oz>" or
  /// "function(instcombine,simplifycfg)") on a copy of \p M and measures the
  /// result. A malformed pipeline is an error naming it.
  llvm::Expected<SizeMeasurement> evaluate(const llvm::Module &M,
                                           llvm::StringRef Pipeline);

  /// Runs \p Pipeline on \p M itself and measures the result, consuming
  /// \p M (code generation changes it). For a module the caller no longer
  /// needs: it saves evaluate()'s bitcode copy.
  llvm::Expected<SizeMeasurement> evaluateInPlace(llvm::Module &M,
                                                  llvm::StringRef Pipeline);

  /// Like evaluate(), but in a forked child process with a wall-clock limit,
  /// so that a pass that crashes, aborts with a fatal error or loops forever
  /// costs one failed candidate, not the caller's process.
  llvm::Expected<SizeMeasurement> evaluateIsolated(const llvm::Module &M,
                                                   llvm::StringRef Pipeline,
                                                   unsigned TimeoutMs);

  /// Runs \p Pipeline on \p M in place, with the same pipeline tuning as
  /// clang at -Oz (loop vectorization off, SLP on, unrolling on). With a
  /// \p TimeLimitMs, once that much wall-clock time has passed every
  /// further optional pass is skipped (a pass already running finishes)
  /// and the result is an error that says so: \p M is then valid IR but
  /// not what the pipeline would have made of it.
  /// The element `function(gvn-sink)` runs on a copy of \p M read from its
  /// bitcode where nothing else has laid out the heap, so that what it sinks
  /// does not follow the heap (LLVM 22's GVNSink orders users by address;
  /// bench/results/size.md, session 34).
  llvm::Error runPipeline(llvm::Module &M, llvm::StringRef Pipeline,
                          unsigned TimeLimitMs = 0);

  /// A cheap estimate of \p M's objective without code generation, in
  /// bytes: each defined function's x86-64 code-size cost (TTI) scaled by
  /// an average instruction length, plus the bytes of initialized globals.
  /// Meant for comparing two versions of one module; how well it orders
  /// them is measured by `neuropt-eval estimate` and
  /// scripts/calibrate-size-estimate.py (bench/results/size.md).
  uint64_t estimateObjective(const llvm::Module &M);

  /// From now on, evaluate(), evaluateInPlace() and measure() generate each
  /// module twice, the second time with the machine outliner, into
  /// SizeMeasurement::Outlined (when MachineOutliner::available()).
  void setAlsoOutlined(bool On) { AlsoOutlined = On; }

private:
  explicit PipelineEvaluator(std::unique_ptr<llvm::TargetMachine> TM);
  llvm::Expected<ObjectSize> emitAndMeasure(llvm::Module &M, bool Verified,
                                            bool Outline = false);
  std::unique_ptr<llvm::TargetMachine> TM;
  bool AlsoOutlined = false;
};

/// Splits a textual pipeline at its top-level commas: "a,b(c,d),e<f,g>"
/// gives "a", "b(c,d)" and "e<f,g>".
llvm::SmallVector<llvm::StringRef, 16>
splitPipelineElements(llvm::StringRef Pipeline);

/// The section families (and function symbol sizes) of an object file, as
/// every measurement here counts them: .text*, .rodata*, .data* with
/// .data.rel.ro*, never .bss.
llvm::Expected<ObjectSize> measureObject(llvm::MemoryBufferRef Object);

/// Number of instructions in the defined functions of \p M.
uint64_t countIRInstructions(const llvm::Module &M);

} // namespace neuropt

#endif // NEUROPT_SEARCH_PIPELINEEVALUATOR_H
