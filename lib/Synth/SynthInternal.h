//===- SynthInternal.h - Shared pieces of the synthesis engine --*- C++ -*-===//
//
// Part of neuropt, under the Apache License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//
//
// Internal interfaces between the parts of lib/Synth's synthesis engine:
// the cost table (CostModel.cpp), the LHS encoder and the enumerator
// (Enumerate.cpp), constant synthesis (CEGIS.cpp) and the driver
// (Synthesize.cpp). Candidates are expression trees over the LHS leaves and
// constant holes, hash-consed in a NodeArena; they become filter bytecode
// for the concrete-input filter, Z3 terms for CEGIS, and LLVM IR for the
// proof and the result. No Z3 type appears here.
//
//===----------------------------------------------------------------------===//

#ifndef NEUROPT_LIB_SYNTH_SYNTHINTERNAL_H
#define NEUROPT_LIB_SYNTH_SYNTHINTERNAL_H

#include "neuropt/Kernels/SynthFilter.h"
#include "neuropt/Synth/Synthesize.h"

#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/SmallVector.h"
#include "llvm/Support/KnownBits.h"

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace llvm {
class Function;
class IRBuilderBase;
class LLVMContext;
class Module;
class Value;
} // namespace llvm

namespace neuropt {
namespace synth {

/// Appends the program \p Insts with constants \p Consts to \p Set.
inline void appendProgram(filter::ProgramSet &Set,
                          llvm::ArrayRef<filter::Inst> Insts,
                          llvm::ArrayRef<uint64_t> Consts) {
  filter::Program P;
  P.FirstInst = Set.Insts.size();
  P.NumInsts = Insts.size();
  P.FirstConst = Set.Consts.size();
  P.NumConsts = Consts.size();
  Set.Insts.insert(Set.Insts.end(), Insts.begin(), Insts.end());
  Set.Consts.insert(Set.Consts.end(), Consts.begin(), Consts.end());
  Set.Programs.push_back(P);
}

using Clock = std::chrono::steady_clock;

/// The work units of one synthesize() call (see Synthesize.h). Charges
/// below one unit are kept in thousandths.
class WorkBudget {
public:
  explicit WorkBudget(uint64_t Limit) : Limit(Limit) {}
  uint64_t limit() const { return Limit; }
  uint64_t spent() const { return Spent; }
  uint64_t left() const { return Limit - std::min(Spent, Limit); }
  bool exhausted() const { return Spent >= Limit; }
  void charge(uint64_t Units) { Spent += Units; }
  void chargeMilli(uint64_t MilliUnits) {
    Milli += MilliUnits;
    Spent += Milli / 1000;
    Milli %= 1000;
  }

private:
  uint64_t Limit;
  uint64_t Spent = 0, Milli = 0;
};

/// Fixed charges for the work Z3 does not count, fitted to the time each
/// part took on 269 problems of training modules on the development
/// machine (bench/results/superopt.md, "Deterministic budgets").
/// Thousandths of a unit: a node the enumerator builds (allocation and
/// hash-consing), an operand combination it tries, a candidate through the
/// concrete-input filter (most fail on an early input), one program
/// evaluated on one input outside it.
constexpr uint64_t kEnumNodeMilliUnits = 620;
constexpr uint64_t kEnumAddMilliUnits = 20;
constexpr uint64_t kFilterCandidateMilliUnits = 200;
constexpr uint64_t kEvalMilliUnits = 10;
/// Units: setting up a problem (inputs, known bits); forking a child for a
/// proof or a CEGIS chunk (with its Z3 context); one CEGIS job's solver.
constexpr uint64_t kProblemUnits = 1000;
constexpr uint64_t kChildUnits = 42000;
constexpr uint64_t kCegisJobUnits = 1350;
/// A CEGIS job's units from Z3's count: Z3 counts about twice as many units
/// per ms in these small concrete queries as in the verifier's.
inline uint64_t cegisUnits(uint64_t Z3Units) {
  return kCegisJobUnits + Z3Units / 2;
}

/// A wall-clock deadline; the guard behind the work units.
struct Deadline {
  Clock::time_point End;
  explicit Deadline(unsigned Ms)
      : End(Clock::now() + std::chrono::milliseconds(Ms)) {}
  bool expired() const { return Clock::now() >= End; }
  /// Milliseconds left, at least 0.
  unsigned leftMs() const {
    auto L = std::chrono::duration_cast<std::chrono::milliseconds>(
        End - Clock::now());
    return L.count() > 0 ? static_cast<unsigned>(L.count()) : 0;
  }
};

//===-- Cost model ---------------------------------------------------------===//

/// Cost of one operation of the filter's instruction set at \p Width
/// (operand width \p SrcWidth for casts and comparisons). \p ConstOperand:
/// the last operand is an immediate (a shift or division by a constant).
/// With \p TTI (and a context to build types in), the target's
/// TCK_CodeSize + TCK_Latency; otherwise the built-in x86-64 table.
unsigned opCost(filter::Op Op, unsigned Width, unsigned SrcWidth,
                bool ConstOperand, const llvm::TargetTransformInfo *TTI,
                llvm::LLVMContext *Ctx);

/// The smallest cost any operation has in the table (lower bound used to
/// stop generating useless sub-expressions).
unsigned minOpCost();

/// Name of an opcode ("add", "icmp eq", "ctpop", ...), for text and JSON.
const char *opName(filter::Op Op);

//===-- The LHS as bytecode ------------------------------------------------===//

/// The harvested DAG translated to filter bytecode: one program whose
/// variables are the DAG leaves.
struct EncodedLHS {
  filter::ProgramSet Set; ///< Exactly one program.
  std::vector<uint8_t> VarWidths;
  uint8_t ResultWidth = 0;
  /// The integer constants the LHS mentions (zero-extended), for guesses.
  std::vector<uint64_t> Constants;
  /// Opcodes the LHS uses (bit per filter::Op).
  uint64_t OpMask = 0;
  /// Some poison semantics of the IR were dropped (disjoint, nneg,
  /// samesign, is_zero_poison, int_min_poison): the bytecode is defined on
  /// more inputs than the IR.
  bool DroppedPoison = false;
  /// A freeze is encoded as the identity (see encodeLHS).
  bool HasFreeze = false;
};

/// Translates \p DAG; an error (SynthStatus::Unsupported) names the first
/// construct the bytecode cannot express.
llvm::Expected<EncodedLHS> encodeLHS(const HarvestedDAG &DAG);

/// Maps an LLVM instruction of a DAG to a filter opcode, if there is one.
std::optional<filter::Op> filterOpOf(const llvm::Instruction &I);

//===-- Candidate expressions ----------------------------------------------===//

enum class NodeKind : uint8_t { Var, Hole, Inst };

/// One hash-consed expression node.
struct Node {
  NodeKind Kind = NodeKind::Inst;
  filter::Op Op = filter::Op::Add; ///< Inst only.
  uint8_t Width = 0;
  uint8_t SrcWidth = 0; ///< Casts and comparisons: the operand width.
  uint8_t Flags = 0;    ///< Abs: FlagNSW means int_min_is_poison.
  uint8_t NumOps = 0;
  int32_t Ops[3] = {-1, -1, -1}; ///< Operand node ids; Var: the leaf index.
  uint16_t Cost = 0;     ///< Tree cost (sum over instructions).
  uint8_t NumInsts = 0;  ///< Instructions in the tree.
  uint8_t NumHoles = 0;  ///< Hole occurrences in the tree.
  uint64_t OpMask = 0;   ///< Opcodes in the tree.
  uint8_t VarMask = 0;   ///< Leaves the tree reads (bit per leaf).
  llvm::KnownBits Known; ///< Known bits given the leaf facts.
};

/// The node store with structural hash-consing.
class NodeArena {
public:
  int32_t var(unsigned Leaf, unsigned Width, const llvm::KnownBits &K);
  int32_t hole(unsigned Width);
  /// Returns the id of the node, creating it when new; -1 when it exists
  /// already (so the caller can count a structural duplicate).
  int32_t inst(filter::Op Op, unsigned Width, unsigned SrcWidth,
               unsigned Flags, llvm::ArrayRef<int32_t> Ops, unsigned OwnCost,
               bool &Existed);
  const Node &operator[](int32_t Id) const { return Nodes[Id]; }
  size_t size() const { return Nodes.size(); }

private:
  std::vector<Node> Nodes;
  llvm::DenseMap<uint64_t, llvm::SmallVector<int32_t, 1>> ByHash;
  uint64_t keyOf(const Node &N) const;
  bool same(const Node &A, const Node &B) const;
  int32_t intern(Node N, bool &Existed);
};

/// Known bits of an operation applied to operands with known bits \p K.
llvm::KnownBits transferKnownBits(filter::Op Op, unsigned Width,
                                  unsigned Flags,
                                  llvm::ArrayRef<const llvm::KnownBits *> K);

/// Flattens the tree rooted at \p Root into bytecode: instructions appended
/// to \p Insts; holes become constant slots NumVars.. in order of first
/// occurrence, each occurrence its own hole. Shared sub-trees without holes
/// are emitted once. Returns the number of holes, or -1 when a limit of the
/// bytecode (slots, instructions) is exceeded. A root that is a Var or a
/// Hole is emitted as `or x, x` so that every program has an instruction.
int flatten(const NodeArena &A, int32_t Root, unsigned NumVars,
            std::vector<filter::Inst> &Insts);

/// The width at which each hole of a flattened program is read.
std::vector<unsigned> holeWidths(llvm::ArrayRef<filter::Inst> Insts,
                                 unsigned NumVars, unsigned NumHoles);

/// A candidate ready for the filter: bytecode plus where it came from.
struct Candidate {
  int32_t Root = -1;
  unsigned Cost = 0;
  std::vector<filter::Inst> Insts;
  unsigned NumHoles = 0;
  float Score = 0; ///< Guide score; higher first within a cost.
};

/// Bottom-up enumeration of expressions in increasing cost.
class Enumerator {
public:
  struct Config {
    std::vector<uint8_t> VarWidths;
    std::vector<llvm::KnownBits> VarKnown;
    uint8_t ResultWidth = 0;
    unsigned MaxInsts = 3;
    unsigned MaxHoles = 2;
    unsigned CostLimit = 0; ///< Candidates cost strictly less than this.
    size_t MaxNodes = 400000;
    llvm::KnownBits ResultKnown; ///< Of the LHS; used for pruning.
    /// Leaves the LHS result provably depends on (bit per leaf): a root
    /// that does not read all of them cannot agree with the LHS.
    uint8_t EssentialVars = 0;
    const SynthGuide *Guide = nullptr;
    const llvm::TargetTransformInfo *TTI = nullptr;
    llvm::LLVMContext *Ctx = nullptr;
  };

  explicit Enumerator(Config C);

  /// Produces the root candidates of the next cost level (possibly none) and
  /// returns true, or returns false when every level below CostLimit has been
  /// produced. \p Stop is polled during generation; when it fires, the level
  /// is abandoned and Truncated() becomes true.
  bool nextLevel(std::vector<Candidate> &Out,
                 llvm::function_ref<bool()> Stop);

  unsigned currentCost() const { return Cost; }
  /// Whether the node cap or the stop callback cut the space short.
  bool truncated() const { return Truncated; }
  uint64_t enumerated() const { return NumEnumerated; }
  uint64_t pruned() const { return NumPruned; }
  uint64_t duplicates() const { return NumDuplicates; }
  /// Work done so far in thousandths of a work unit (nodes built and
  /// operand combinations tried), live during nextLevel for its callback.
  uint64_t workMilliUnits() const {
    return Arena.size() * kEnumNodeMilliUnits + NumAdds * kEnumAddMilliUnits;
  }
  const NodeArena &arena() const { return Arena; }

private:
  Config C;
  NodeArena Arena;
  std::vector<uint8_t> Widths;
  /// Levels[Cost][widthIndex(W)] = node ids of that tree cost and width.
  std::vector<std::vector<std::vector<int32_t>>> Levels;
  unsigned widthIndex(unsigned W) const {
    for (unsigned I = 0; I != Widths.size(); ++I)
      if (Widths[I] == W)
        return I;
    return 0;
  }
  unsigned Cost = 0;
  bool Truncated = false;
  uint64_t NumEnumerated = 0, NumPruned = 0, NumDuplicates = 0;
  uint64_t NumAdds = 0;
  unsigned MinOp = 1;

  bool useful(const Node &N) const;
  void addNode(filter::Op Op, unsigned Width, unsigned SrcWidth,
               unsigned Flags, llvm::ArrayRef<int32_t> Ops, unsigned Target,
               std::vector<int32_t> &Level);
  unsigned costOf(filter::Op Op, unsigned Width, unsigned SrcWidth,
                  bool ConstOperand);
  llvm::DenseMap<uint64_t, unsigned> CostCache;
};

//===-- Concrete inputs ------------------------------------------------------===//

/// Deterministic concrete inputs: corner values first, respecting each
/// leaf's known bits and range, then seeded random ones; the target's values
/// by evaluating \p LHS (filter::evaluate).
filter::InputBatch makeInputs(const HarvestedDAG &DAG, const EncodedLHS &LHS,
                              unsigned NumInputs, uint64_t Seed);

/// Leaves on which the LHS result depends, found on concrete inputs: a pair
/// of inputs that differ only in leaf V and give two different defined
/// results proves that any refinement must read V.
uint8_t essentialLeaves(const EncodedLHS &LHS, const filter::InputBatch &B);

/// Appends one input (e.g. a counterexample) and its target value.
void appendInput(filter::InputBatch &B, const EncodedLHS &LHS,
                 llvm::ArrayRef<uint64_t> Values);

//===-- CEGIS ---------------------------------------------------------------===//

struct CegisJob {
  std::vector<filter::Inst> Insts;
  unsigned NumHoles = 0;
};

enum class CegisOutcome : uint8_t { Found, NoConstants, Unknown };

struct CegisAnswer {
  CegisOutcome Outcome = CegisOutcome::Unknown;
  std::vector<uint64_t> Constants;
  unsigned Queries = 0; ///< Solver queries this job took.
  uint64_t Units = 0;   ///< Z3's resource units this job took.
};

/// The limits of one runCegis call.
struct CegisLimits {
  unsigned GuardMs = 0;      ///< The child is killed then.
  unsigned QueryGuardMs = 0; ///< Z3's timeout per query (a guard too).
  uint64_t QueryUnits = 0;   ///< Z3's resource limit per query.
  uint64_t Units = 0;        ///< For all jobs: later jobs stay Unknown.
};

/// For each job, searches constants for its holes with which the program
/// agrees with the target on every input of \p Batch: Z3 solves for the
/// constants on a growing subset of the inputs, each answer is checked on
/// all of them with filter::evaluate, and the first disagreeing input joins
/// the subset (counterexample-guided). All jobs run in one forked child,
/// in order, until their units reach \p L.Units (killed at L.GuardMs); jobs
/// it did not finish are Unknown.
std::vector<CegisAnswer> runCegis(const std::vector<CegisJob> &Jobs,
                                  const filter::InputBatch &Batch,
                                  const CegisLimits &L);

//===-- IR ------------------------------------------------------------------===//

/// Builds `@rhs` in a fresh module of \p LHSModule's context with the
/// signature of its `@lhs`, from bytecode over the leaves and \p Constants.
/// \p IsCopy: the program is an identity `or x, x` for a bare leaf or hole.
std::unique_ptr<llvm::Module>
buildRHS(const llvm::Module &LHSModule, llvm::ArrayRef<filter::Inst> Insts,
         llvm::ArrayRef<uint64_t> Constants, unsigned NumVars);

/// Emits one bytecode operation at \p B (operand widths as in \p I).
llvm::Value *emitOp(llvm::IRBuilderBase &B, const filter::Inst &I,
                    llvm::ArrayRef<llvm::Value *> Ops);

/// Cost of a function body (each instruction, as dagCost does).
unsigned functionCost(const llvm::Function &F,
                      const llvm::TargetTransformInfo *TTI);

} // namespace synth
} // namespace neuropt

#endif // NEUROPT_LIB_SYNTH_SYNTHINTERNAL_H
