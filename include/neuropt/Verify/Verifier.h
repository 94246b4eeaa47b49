//===- Verifier.h - Refinement checking of LLVM IR functions ----*- C++ -*-===//
//
// Part of neuropt, under the Apache License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//
///
/// \file
/// The one API every neuropt pass calls before it accepts a transformation:
/// check that a candidate function (the target) refines the original (the
/// source) under LLVM's poison, undef and UB rules, within a budget.
///
/// Verifiers are layered the way souper layers its solvers: an SMT verifier
/// (createSMTVerifier) does the proofs, a differential-execution verifier
/// (createDiffExecVerifier) finds cheap concrete counterexamples, and
/// createLayeredVerifier runs a cheap first line before a precise one. No
/// solver type appears here, so the SMT back end can be replaced.
///
//===----------------------------------------------------------------------===//
#ifndef NEUROPT_VERIFY_VERIFIER_H
#define NEUROPT_VERIFY_VERIFIER_H

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace llvm {
class Function;
class raw_ostream;
} // namespace llvm

namespace neuropt {

/// What a verifier concluded about "target refines source".
enum class Verdict {
  Proved,  ///< Refinement holds for every input.
  Refuted, ///< A concrete input shows the target is not a refinement.
  Unknown, ///< Undecided: unsupported IR, budget exhausted, or tested only.
  Bounded, ///< Refinement holds for every execution within the unroll bound.
};

/// The lower-case name used on the tool's first line and in JSON.
const char *verdictName(Verdict V);

/// Budgets and knobs. Every query honours TimeoutMs and MemoryMB.
struct VerifyOptions {
  /// Per solver query, in milliseconds.
  unsigned TimeoutMs = 5000;
  /// Solver resource units (Z3's rlimit) for all the queries of one
  /// function; 0: unlimited. Unlike TimeoutMs this budget does not depend
  /// on the machine or its load, so the verdicts it gives are reproducible;
  /// TimeoutMs and DeadlineMs then only guard against steps Z3 does not
  /// count.
  uint64_t ResourceLimit = 0;
  /// Resource units for a whole Verifier::verifyAll batch: each pair gets
  /// at most what the pairs before it left, and pairs after it is spent
  /// answer kNotReached; 0: unlimited.
  uint64_t BatchResourceLimit = 0;
  /// Solver memory cap, in megabytes.
  unsigned MemoryMB = 2048;
  /// Loop unrolling bound: executions that take more back edges than this
  /// are not covered, and the answer is at best Verdict::Bounded.
  unsigned UnrollBound = 4;
  /// Encode each call's results and the memory after it as constants until
  /// the function is encoded, and simplify a branch's condition without
  /// the path condition: the encoding's simplifications then no longer
  /// walk all of memory before each call again, which grows with the
  /// square of the number of calls. More functions reach their queries
  /// within ResourceLimit, but the units then leave out more of the work
  /// (building the terms), so they stand less well for time, and some
  /// unknown verdicts give another reason. Off by default; neuropt-size
  /// keeps it off (bench/results/verify.md, session 45).
  bool CheapCallEncoding = false;
  /// Verify only for inputs without undef bits: the arguments, the caller's
  /// memory at entry, and the bytes called functions write or allocate
  /// (a call's result is never undef in the model either way). Poison is
  /// modelled as before. Alive2's --disable-undef-input makes the same
  /// choice for arguments. Without undef inputs the source has no undef
  /// choices to quantify over and loads need no approximation, so more
  /// functions are proved within the same resources. A proof (or bound)
  /// then holds for those inputs only, and its Reason says so
  /// (Verifier::kDefinedInputs); a counterexample is such an input, so a
  /// refutation stands.
  bool AssumeDefinedInputs = false;
  /// Produce a self-contained SMT-LIB2 query for each proof.
  bool WantCertificate = false;
  /// Differential execution: seeded random inputs on top of the edge cases.
  unsigned RandomInputs = 256;
  uint64_t Seed = 0x5eed;
  /// Wall-clock limit for the differential-execution child process.
  unsigned ExecTimeoutMs = 2000;
  /// Run the solver in a forked child killed at a wall-clock deadline
  /// (DeadlineMs, or 4 x TimeoutMs + 2 s), so that no solver step can hang
  /// the host.
  bool Isolate = true;
  /// Wall-clock limit for one whole SMT verification (encoding, every
  /// query, the child process); 0 means 4 x TimeoutMs + 2 s. Callers with a
  /// compile-time budget set it to what is left of their budget.
  unsigned DeadlineMs = 0;
};

/// One concrete witness that the target does not refine the source.
struct Counterexample {
  /// (name, rendered value) per argument, e.g. {"%x", "i8 0x80 (128, -128)"}.
  std::vector<std::pair<std::string, std::string>> Inputs;
  /// The source's outcome: a value, "poison" or "UB".
  std::string SrcValue;
  /// The target's outcome: a value, "poison" or "UB".
  std::string TgtValue;
  /// Further detail (a differing memory byte, for example); may be empty.
  std::string Note;
};

/// One SMT-LIB2 file that re-checks a proof: any solver must answer unsat.
struct Certificate {
  std::string Name; ///< Suggested file stem, e.g. "q" or "q-bound".
  std::string SMT2;
};

struct VerifyResult {
  Verdict V = Verdict::Unknown;
  /// Why the answer is Unknown ("timeout", "unsupported: call @f",
  /// "tested 300 inputs", ...); empty otherwise.
  std::string Reason;
  /// The unroll bound for Verdict::Bounded.
  unsigned Bound = 0;
  std::optional<Counterexample> CEX;
  std::vector<Certificate> Certificates;
  /// Which layer produced the answer ("smt", "diffexec").
  std::string Engine;
  /// Solver resource units the SMT queries used (see
  /// VerifyOptions::ResourceLimit).
  uint64_t Resources = 0;

  bool proved() const { return V == Verdict::Proved; }
  bool refuted() const { return V == Verdict::Refuted; }
};

/// Checks that Tgt refines Src. The two functions must have the same
/// signature; they may live in different modules and contexts.
class Verifier {
public:
  virtual ~Verifier();
  virtual VerifyResult verify(const llvm::Function &Src,
                              const llvm::Function &Tgt,
                              const VerifyOptions &Opts) = 0;
  /// Checks each (source, target) pair in order within DeadlineMs in all
  /// (each pair gets what is left as its Opts.DeadlineMs) and within
  /// Opts.BatchResourceLimit. A pair not reached in time or after the
  /// resources are spent answers Unknown with reason kNotReached. The SMT
  /// verifier runs the whole batch in one child process: one fork instead
  /// of one per pair.
  virtual std::vector<VerifyResult> verifyAll(
      const std::vector<
          std::pair<const llvm::Function *, const llvm::Function *>> &Pairs,
      const VerifyOptions &Opts, unsigned DeadlineMs);
  /// The reason of a pair verifyAll did not reach: the deadline or the
  /// batch's resources ran out first.
  static constexpr const char *kNotReached = "not reached within the budget";
  /// The reason of an Unknown whose VerifyOptions::ResourceLimit ran out.
  static constexpr const char *kResourceLimit = "resource limit";
  /// The reason of a proof or bound under VerifyOptions::AssumeDefinedInputs.
  static constexpr const char *kDefinedInputs = "for inputs without undef bits";
};

/// The precise verifier: encodes both functions into SMT (Z3) and asks for
/// an input on which the target is not a refinement.
std::unique_ptr<Verifier> createSMTVerifier();

/// JITs both functions (ORC LLJIT) in a forked child with a time limit and
/// runs them on edge-case and seeded random inputs. Finds counterexamples;
/// never proves (agreement is Unknown "tested N inputs").
std::unique_ptr<Verifier> createDiffExecVerifier();

/// Runs First; returns its answer when it refutes, otherwise asks Second.
/// An Unknown from Second keeps First's reason as a suffix.
std::unique_ptr<Verifier> createLayeredVerifier(std::unique_ptr<Verifier> First,
                                                std::unique_ptr<Verifier> Second);

/// The default stack: differential execution, then SMT.
std::unique_ptr<Verifier> createDefaultVerifier();

/// Convenience: one call with the default stack.
VerifyResult verifyRefinement(const llvm::Function &Src,
                              const llvm::Function &Tgt,
                              const VerifyOptions &Opts = VerifyOptions());

/// Returns an empty string when Src and Tgt can be compared, else why not.
std::string checkSignatures(const llvm::Function &Src,
                            const llvm::Function &Tgt);

/// Human-readable report; the first line is "verdict: ...".
void printResult(llvm::raw_ostream &OS, const VerifyResult &R);
/// The same as one JSON object.
void printResultJSON(llvm::raw_ostream &OS, const VerifyResult &R);
/// The first line's text without the "verdict: " prefix, e.g.
/// "unknown (timeout)" or "bounded (k=4)".
std::string verdictLine(const VerifyResult &R);

} // namespace neuropt

#endif // NEUROPT_VERIFY_VERIFIER_H
