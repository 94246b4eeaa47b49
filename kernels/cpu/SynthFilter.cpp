//===- SynthFilter.cpp - CPU concrete-input filter for candidates ---------===//
//
// Part of neuropt, under the Apache License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//
//
// This file implements validate(), the reference evaluate(), the CPU filter
// filterCPU() and the int32-operation count of the synthesis filter (see
// SynthFilter.h).
//
// The CPU filter splits the programs over threads (dynamic chunks, so a
// thread that drew early-failing candidates takes more; each thread also
// validates its programs) and evaluates one program over a block of inputs
// at a time: an instruction is one loop over the block whose opcode is a
// template constant, so the compiler vectorizes it, and a program stops at
// the first block where it disagrees with the target (a short first block,
// since most candidates fail on their first inputs). The per-lane
// arithmetic is ops::evalOp, the same function the CUDA kernel runs.
//
//===----------------------------------------------------------------------===//

#include "neuropt/Kernels/SynthFilter.h"
#include "neuropt/Kernels/SynthFilterOps.h"

#include <algorithm>
#include <atomic>
#include <cstring>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

using namespace neuropt;
using namespace neuropt::filter;

//===----------------------------------------------------------------------===//
// Validation
//===----------------------------------------------------------------------===//

static const char *opName(Op O) {
  static const char *const Names[] = {
      "add",   "sub",   "mul",  "udiv", "sdiv",  "urem",       "srem",
      "shl",   "lshr",  "ashr", "and",  "or",    "xor",        "umin",
      "umax",  "smin",  "smax", "eq",   "ne",    "ult",        "ule",
      "ugt",   "uge",   "slt",  "sle",  "sgt",   "sge",        "select",
      "fshl",  "fshr",  "zext", "sext", "trunc", "ctpop",      "ctlz",
      "cttz",  "bswap", "bitreverse", "abs"};
  static_assert(sizeof(Names) / sizeof(Names[0]) == unsigned(Op::NumOps),
                "one name per opcode");
  return unsigned(O) < unsigned(Op::NumOps) ? Names[unsigned(O)] : "?";
}

/// The flags \p O may carry.
static unsigned allowedFlags(Op O) {
  switch (O) {
  case Op::Add:
  case Op::Sub:
  case Op::Mul:
  case Op::Shl:
  case Op::Trunc:
    return FlagNSW | FlagNUW;
  case Op::Abs:
    return FlagNSW; // int_min_is_poison
  case Op::UDiv:
  case Op::SDiv:
  case Op::LShr:
  case Op::AShr:
    return FlagExact;
  default:
    return 0;
  }
}

static Status programError(unsigned P, const std::string &Msg) {
  return Status::error("synthesis filter: program " + std::to_string(P) +
                       ": " + Msg);
}

/// Validates program \p P of \p Set against the variables of \p Batch.
static Status validateProgram(const ProgramSet &Set, unsigned P,
                              const InputBatch &Batch) {
  const Program &Prog = Set.Programs[P];
  if (Prog.NumInsts < 1 || Prog.NumInsts > MaxInsts)
    return programError(P, std::to_string(Prog.NumInsts) +
                               " instructions (must be 1.." +
                               std::to_string(MaxInsts) + ")");
  if (Prog.NumConsts > MaxConsts)
    return programError(P, std::to_string(Prog.NumConsts) +
                               " constants (at most " +
                               std::to_string(MaxConsts) + ")");
  if (uint64_t(Prog.FirstInst) + Prog.NumInsts > Set.Insts.size())
    return programError(P, "instructions [" + std::to_string(Prog.FirstInst) +
                               ", +" + std::to_string(Prog.NumInsts) +
                               ") exceed the pool of " +
                               std::to_string(Set.Insts.size()));
  if (uint64_t(Prog.FirstConst) + Prog.NumConsts > Set.Consts.size())
    return programError(P, "constants [" + std::to_string(Prog.FirstConst) +
                               ", +" + std::to_string(Prog.NumConsts) +
                               ") exceed the pool of " +
                               std::to_string(Set.Consts.size()));
  const unsigned NumVars = Batch.NumVars;
  const unsigned Base = NumVars + Prog.NumConsts;
  const Inst *Insts = Set.Insts.data() + Prog.FirstInst;
  const uint64_t *Consts = Set.Consts.data() + Prog.FirstConst;

  for (unsigned I = 0; I < Prog.NumInsts; ++I) {
    const Inst &In = Insts[I];
    auto Err = [&](const std::string &Msg) {
      return programError(P, "instruction " + std::to_string(I) + " (" +
                                 opName(In.Opcode) + "): " + Msg);
    };
    if (unsigned(In.Opcode) >= unsigned(Op::NumOps))
      return programError(P, "instruction " + std::to_string(I) +
                                 ": unknown opcode " +
                                 std::to_string(unsigned(In.Opcode)));
    const unsigned W = In.Width, SW = In.SrcWidth;
    if (W < 1 || W > 64)
      return Err("width " + std::to_string(W) + " (must be 1..64)");
    if (In.Flags & ~allowedFlags(In.Opcode))
      return Err("flags " + std::to_string(unsigned(In.Flags)) +
                 " not allowed on this opcode");
    bool Cmp = ops::isComparison(In.Opcode), Cast = ops::isCast(In.Opcode);
    if (Cmp || Cast) {
      if (SW < 1 || SW > 64)
        return Err("operand width " + std::to_string(SW) +
                   " (must be 1..64)");
    }
    if (Cmp && W != 1)
      return Err("a comparison has width 1, not " + std::to_string(W));
    if ((In.Opcode == Op::ZExt || In.Opcode == Op::SExt) && SW >= W)
      return Err("extends i" + std::to_string(SW) + " to i" +
                 std::to_string(W) + " (must widen)");
    if (In.Opcode == Op::Trunc && SW <= W)
      return Err("truncates i" + std::to_string(SW) + " to i" +
                 std::to_string(W) + " (must narrow)");
    if (In.Opcode == Op::Bswap && W % 16 != 0)
      return Err("bswap needs a width that is a multiple of 16, not " +
                 std::to_string(W));

    // Operands: slot in range, defined before use, of the right width.
    unsigned N = ops::numOperands(In.Opcode);
    const uint8_t Slots[3] = {In.A, In.B, In.C};
    for (unsigned K = 0; K < N; ++K) {
      unsigned Want = (Cmp || Cast) ? SW : W;
      if (In.Opcode == Op::Select && K == 0)
        Want = 1;
      unsigned S = Slots[K];
      const char *Name = K == 0 ? "A" : K == 1 ? "B" : "C";
      if (S >= Base + I)
        return Err(std::string("operand ") + Name + " reads slot " +
                   std::to_string(S) + ", not defined before instruction " +
                   std::to_string(I) + " (" + std::to_string(Base + I) +
                   " slots defined)");
      if (S < NumVars) {
        if (Batch.VarWidths[S] != Want)
          return Err(std::string("operand ") + Name + " is variable " +
                     std::to_string(S) + " of width " +
                     std::to_string(unsigned(Batch.VarWidths[S])) +
                     ", expected " + std::to_string(Want));
      } else if (S < Base) {
        uint64_t V = Consts[S - NumVars];
        if (V & ~ops::mask(Want))
          return Err(std::string("operand ") + Name + " is constant " +
                     std::to_string(S - NumVars) + " = " + std::to_string(V) +
                     ", which does not fit in i" + std::to_string(Want));
      } else {
        unsigned Def = Insts[S - Base].Width;
        if (Def != Want)
          return Err(std::string("operand ") + Name +
                     " is the result of instruction " +
                     std::to_string(S - Base) + " of width " +
                     std::to_string(Def) + ", expected " +
                     std::to_string(Want));
      }
    }
  }
  unsigned RW = Insts[Prog.NumInsts - 1].Width;
  if (RW != Batch.ResultWidth)
    return programError(P, "result width " + std::to_string(RW) +
                               " differs from the target's " +
                               std::to_string(unsigned(Batch.ResultWidth)));
  return Status::success();
}

static Status validateBatch(const InputBatch &B) {
  auto Err = [](const std::string &Msg) {
    return Status::error("synthesis filter: input batch: " + Msg);
  };
  if (B.NumVars > MaxVars)
    return Err(std::to_string(B.NumVars) + " variables (at most " +
               std::to_string(MaxVars) + ")");
  if (B.VarWidths.size() != B.NumVars)
    return Err(std::to_string(B.VarWidths.size()) + " variable widths for " +
               std::to_string(B.NumVars) + " variables");
  if (B.Values.size() != uint64_t(B.NumVars) * B.NumInputs)
    return Err(std::to_string(B.Values.size()) + " values, expected " +
               std::to_string(B.NumVars) + " x " +
               std::to_string(B.NumInputs));
  if (B.Expected.size() != B.NumInputs ||
      B.ExpectedPoison.size() != B.NumInputs)
    return Err(std::to_string(B.Expected.size()) + " expected values and " +
               std::to_string(B.ExpectedPoison.size()) +
               " poison bits for " + std::to_string(B.NumInputs) + " inputs");
  if (B.ResultWidth < 1 || B.ResultWidth > 64)
    return Err("result width " + std::to_string(unsigned(B.ResultWidth)) +
               " (must be 1..64)");
  for (unsigned V = 0; V < B.NumVars; ++V) {
    unsigned W = B.VarWidths[V];
    if (W < 1 || W > 64)
      return Err("variable " + std::to_string(V) + " has width " +
                 std::to_string(W) + " (must be 1..64)");
    const uint64_t *Col = B.Values.data() + uint64_t(V) * B.NumInputs;
    uint64_t Out = ~ops::mask(W), Any = 0;
    for (unsigned I = 0; I < B.NumInputs; ++I)
      Any |= Col[I] & Out;
    if (Any)
      for (unsigned I = 0; I < B.NumInputs; ++I)
        if (Col[I] & Out)
          return Err("input " + std::to_string(I) + ": variable " +
                     std::to_string(V) + " = " + std::to_string(Col[I]) +
                     " does not fit in i" + std::to_string(W) +
                     " (values are zero-extended)");
  }
  uint64_t Out = ~ops::mask(B.ResultWidth);
  for (unsigned I = 0; I < B.NumInputs; ++I)
    if (!B.ExpectedPoison[I] && (B.Expected[I] & Out))
      return Err("input " + std::to_string(I) + ": expected value " +
                 std::to_string(B.Expected[I]) + " does not fit in i" +
                 std::to_string(unsigned(B.ResultWidth)));
  return Status::success();
}

Status neuropt::filter::validate(const ProgramSet &Set,
                                 const InputBatch &Batch) {
  if (Status E = validateBatch(Batch))
    return E;
  for (unsigned P = 0; P < Set.Programs.size(); ++P)
    if (Status E = validateProgram(Set, P, Batch))
      return E;
  return Status::success();
}

//===----------------------------------------------------------------------===//
// Reference evaluation
//===----------------------------------------------------------------------===//

ConcreteValue neuropt::filter::evaluate(const ProgramSet &Set,
                                        unsigned Program,
                                        const InputBatch &Batch,
                                        unsigned Input) {
  // The reference must not read out of bounds on a bad call: an invalid
  // program or input has no value, which reads as poison.
  bool Valid = Program < Set.Programs.size() && Input < Batch.NumInputs &&
               Batch.NumVars <= MaxVars &&
               Batch.VarWidths.size() == Batch.NumVars &&
               Batch.Values.size() ==
                   uint64_t(Batch.NumVars) * Batch.NumInputs &&
               !validateProgram(Set, Program, Batch);
  assert(Valid && "evaluate() on a program or input validate() rejects");
  if (!Valid)
    return ConcreteValue{0, true};
  const filter::Program &Prog = Set.Programs[Program];
  ops::SlotFile S;
  ops::OpResult R = ops::evalProgram(
      Set.Insts.data() + Prog.FirstInst, Prog.NumInsts,
      Set.Consts.data() + Prog.FirstConst, Prog.NumConsts, Batch.Values.data(),
      Batch.NumInputs, Batch.NumVars, Input, S);
  return ConcreteValue{R.Bits, R.State != 0};
}

//===----------------------------------------------------------------------===//
// The blocked CPU filter
//===----------------------------------------------------------------------===//

namespace {
/// Inputs evaluated together per program, and in its first block.
constexpr unsigned Lanes = 64;
constexpr unsigned FirstLanes = 8;

/// One thread's working rows: instruction results, broadcast constants, and
/// the all-clear poison row of variables and constants.
struct BlockScratch {
  alignas(64) uint64_t Bits[MaxInsts][Lanes];
  alignas(64) uint8_t Poison[MaxInsts][Lanes];
  alignas(64) uint64_t ConstBits[MaxConsts][Lanes];
  alignas(64) uint8_t Clear[Lanes];
  alignas(64) uint8_t UB[Lanes];
};

/// One instruction over \p N lanes, the opcode a compile-time constant so
/// that evalOp folds to straight-line code the loop vectorizer can take.
template <Op O>
inline __attribute__((always_inline)) void
lanes(unsigned N, unsigned W, unsigned SW, unsigned F,
      const uint64_t *__restrict A, const uint8_t *__restrict PA,
      const uint64_t *__restrict B, const uint8_t *__restrict PB,
      const uint64_t *__restrict C, const uint8_t *__restrict PC,
      uint64_t *__restrict R, uint8_t *__restrict PR, uint8_t *__restrict UB) {
  for (unsigned L = 0; L < N; ++L) {
    ops::OpResult X =
        ops::evalOp(O, W, SW, F, A[L], PA[L], B[L], PB[L], C[L], PC[L]);
    R[L] = X.Bits;
    PR[L] = uint8_t(X.State & ops::StatePoison);
    UB[L] |= uint8_t(X.State >> 1);
  }
}

/// lanes(), with a flag-free copy where the flags are a constant 0 (most
/// candidates): their overflow tests fold away, which is what lets a plain
/// multiply vectorize.
template <Op O>
inline __attribute__((always_inline)) void
runLanes(unsigned N, unsigned W, unsigned SW, unsigned F, const uint64_t *A,
         const uint8_t *PA, const uint64_t *B, const uint8_t *PB,
         const uint64_t *C, const uint8_t *PC, uint64_t *R, uint8_t *PR,
         uint8_t *UB) {
  if (F == 0)
    lanes<O>(N, W, SW, 0, A, PA, B, PB, C, PC, R, PR, UB);
  else
    lanes<O>(N, W, SW, F, A, PA, B, PB, C, PC, R, PR, UB);
}

#define NEUROPT_FILTER_OPS(X)                                                  \
  X(Add) X(Sub) X(Mul) X(UDiv) X(SDiv) X(URem) X(SRem) X(Shl) X(LShr) X(AShr)  \
  X(And) X(Or) X(Xor) X(UMin) X(UMax) X(SMin) X(SMax) X(Eq) X(Ne) X(Ult)       \
  X(Ule) X(Ugt) X(Uge) X(Slt) X(Sle) X(Sgt) X(Sge) X(Select) X(FShl) X(FShr)   \
  X(ZExt) X(SExt) X(Trunc) X(Ctpop) X(Ctlz) X(Cttz) X(Bswap) X(BitReverse)     \
  X(Abs)

/// Evaluates \p Prog on inputs [First, First+N) and returns whether it agrees
/// with the target on all of them. The constants rows of \p S must hold the
/// program's constants. Cloned for AVX2 and AVX-512 where the compiler can,
/// picked at load time (ifunc), so the binary stays portable.
#if defined(__x86_64__) && defined(__GNUC__) && !defined(__clang__)
__attribute__((target_clones("arch=x86-64-v4", "avx2", "default")))
#endif
bool blockAgrees(const Inst *Insts, unsigned NumInsts, unsigned NumConsts,
                 const InputBatch &Batch, unsigned First, unsigned N,
                 BlockScratch &S) {
  const unsigned NumVars = Batch.NumVars;
  const unsigned Base = NumVars + NumConsts;
  auto Row = [&](unsigned Slot, const uint8_t *&P) -> const uint64_t * {
    if (Slot < NumVars) {
      P = S.Clear;
      return Batch.Values.data() + uint64_t(Slot) * Batch.NumInputs + First;
    }
    if (Slot < Base) {
      P = S.Clear;
      return S.ConstBits[Slot - NumVars];
    }
    P = S.Poison[Slot - Base];
    return S.Bits[Slot - Base];
  };
  std::memset(S.UB, 0, N);
  for (unsigned I = 0; I < NumInsts; ++I) {
    const Inst In = Insts[I];
    unsigned NOps = ops::numOperands(In.Opcode);
    const uint8_t *PA, *PB = S.Clear, *PC = S.Clear;
    const uint64_t *A = Row(In.A, PA), *B = A, *C = A;
    if (NOps >= 2)
      B = Row(In.B, PB);
    if (NOps >= 3)
      C = Row(In.C, PC);
    uint64_t *R = S.Bits[I];
    uint8_t *PR = S.Poison[I];
    switch (In.Opcode) {
#define NEUROPT_CASE(Name)                                                     \
  case Op::Name:                                                               \
    runLanes<Op::Name>(N, In.Width, In.SrcWidth, In.Flags, A, PA, B, PB, C,    \
                       PC, R, PR, S.UB);                                       \
    break;
      NEUROPT_FILTER_OPS(NEUROPT_CASE)
#undef NEUROPT_CASE
    case Op::NumOps:
      return false; // rejected by validate()
    }
  }
  const uint64_t *R = S.Bits[NumInsts - 1];
  const uint8_t *PR = S.Poison[NumInsts - 1];
  const uint64_t *E = Batch.Expected.data() + First;
  const uint8_t *EP = Batch.ExpectedPoison.data() + First;
  unsigned Bad = 0;
  for (unsigned L = 0; L < N; ++L)
    Bad |= unsigned(!EP[L]) & unsigned((PR[L] | S.UB[L]) | (R[L] != E[L]));
  return !Bad;
}

bool programAgrees(const ProgramSet &Set, unsigned P, const InputBatch &Batch,
                   BlockScratch &S) {
  const Program &Prog = Set.Programs[P];
  const uint64_t *Consts = Set.Consts.data() + Prog.FirstConst;
  const Inst *Insts = Set.Insts.data() + Prog.FirstInst;
  // Most candidates disagree on one of the first few inputs: a short first
  // block makes their rejection cheap, full blocks amortize the rest. The
  // constant rows are broadcast only as far as a block needs them.
  unsigned N = FirstLanes, Filled = 0;
  for (unsigned First = 0; First < Batch.NumInputs; First += N, N = Lanes) {
    N = std::min(N, Batch.NumInputs - First);
    if (N > Filled) {
      for (unsigned K = 0; K < Prog.NumConsts; ++K)
        std::fill(S.ConstBits[K] + Filled, S.ConstBits[K] + N, Consts[K]);
      Filled = N;
    }
    if (!blockAgrees(Insts, Prog.NumInsts, Prog.NumConsts, Batch, First, N,
                     S))
      return false;
  }
  return true;
}
} // namespace

Status neuropt::filter::filterCPU(const ProgramSet &Set,
                                  const InputBatch &Batch,
                                  std::vector<uint8_t> &Pass,
                                  unsigned Threads) {
  if (Status E = validateBatch(Batch))
    return E;
  const size_t NP = Set.Programs.size();
  Pass.assign(NP, 0);
  if (NP == 0)
    return Status::success();
  // Programs are handed out in chunks from a shared counter: candidates cost
  // very different amounts (early exit), so static halves would idle one
  // thread. Each Pass byte has one writer. Each program is validated by the
  // thread that evaluates it (validation is a quarter of the time when most
  // candidates fail early, too much to leave serial).
  // A thread costs tens of microseconds to start, about what 128 quickly
  // rejected candidates cost to filter: smaller sets use fewer threads.
  constexpr size_t Chunk = 16, MinProgramsPerThread = 128;
  unsigned T = Threads ? Threads : std::thread::hardware_concurrency();
  T = unsigned(std::max<size_t>(
      1, std::min<size_t>(T ? T : 1, NP / MinProgramsPerThread)));
  std::atomic<size_t> Next{0};
  std::atomic<bool> Failed{false};
  std::mutex ErrorLock;
  size_t ErrorIndex = NP;
  Status Error;
  auto Work = [&] {
    auto S = std::make_unique<BlockScratch>();
    std::memset(S->Clear, 0, Lanes);
    // After an error no new chunk is taken; chunks are taken in order, so
    // every chunk below the failing one completes and the error reported is
    // always that of the first invalid program, as validate() reports.
    while (!Failed.load(std::memory_order_relaxed)) {
      size_t Begin = Next.fetch_add(Chunk, std::memory_order_relaxed);
      if (Begin >= NP)
        break;
      size_t End = std::min(NP, Begin + Chunk);
      for (size_t P = Begin; P < End; ++P) {
        if (Status E = validateProgram(Set, unsigned(P), Batch)) {
          std::lock_guard<std::mutex> Guard(ErrorLock);
          if (P < ErrorIndex) {
            ErrorIndex = P;
            Error = std::move(E);
          }
          Failed.store(true, std::memory_order_relaxed);
          break;
        }
        Pass[P] = programAgrees(Set, unsigned(P), Batch, *S);
      }
    }
  };
  std::vector<std::thread> Pool;
  Pool.reserve(T - 1);
  for (unsigned I = 1; I < T; ++I)
    Pool.emplace_back(Work);
  Work();
  for (std::thread &Th : Pool)
    Th.join();
  if (ErrorIndex < NP) {
    Pass.clear();
    return Error;
  }
  return Status::success();
}

//===----------------------------------------------------------------------===//
// Work count
//===----------------------------------------------------------------------===//

// int32-equivalent ALU operations of one instruction, by opcode, at widths
// <= 32 and > 32: what a GPU's 32-bit integer pipes execute for the
// operation itself (a 64-bit add is two adds with carry, a 64-bit multiply's
// low half three IMADs and an add, a 64-bit division a ~64-operation
// software routine). Poison checks of flags add their own operations.
static unsigned int32Ops(const Inst &In) {
  bool Wide = ((ops::isComparison(In.Opcode) || ops::isCast(In.Opcode))
                   ? In.SrcWidth
                   : In.Width) > 32;
  unsigned Narrow = 1, W64 = 2;
  switch (In.Opcode) {
  case Op::Mul:
    W64 = 4;
    break;
  case Op::UDiv:
  case Op::URem:
    Narrow = 20;
    W64 = 64;
    break;
  case Op::SDiv:
  case Op::SRem:
    Narrow = 24;
    W64 = 70;
    break;
  case Op::UMin:
  case Op::UMax:
  case Op::SMin:
  case Op::SMax:
  case Op::Abs:
  case Op::Ctpop:
  case Op::Ctlz:
  case Op::Cttz:
    W64 = 3;
    break;
  case Op::FShl:
  case Op::FShr:
    Narrow = 3;
    W64 = 6;
    break;
  case Op::ZExt:
    Narrow = 0;
    W64 = 1;
    break;
  default:
    break;
  }
  unsigned Ops = Wide ? W64 : Narrow;
  // Each flag's overflow or exactness test is about two more operations
  // (four at 64 bits; the multiply's overflow tests need the high half).
  for (unsigned F : {unsigned(FlagNSW), unsigned(FlagNUW), unsigned(FlagExact)})
    if (In.Flags & F)
      Ops += In.Opcode == Op::Mul ? (Wide ? 6 : 3) : (Wide ? 4 : 2);
  return Ops;
}

unsigned neuropt::filter::int32OpsPerEvaluation(const ProgramSet &Set,
                                                unsigned Program) {
  if (Program >= Set.Programs.size())
    return 0;
  const filter::Program &Prog = Set.Programs[Program];
  if (uint64_t(Prog.FirstInst) + Prog.NumInsts > Set.Insts.size() ||
      Prog.NumInsts == 0)
    return 0;
  unsigned Ops = 0;
  const Inst *Insts = Set.Insts.data() + Prog.FirstInst;
  for (unsigned I = 0; I < Prog.NumInsts; ++I)
    Ops += int32Ops(Insts[I]);
  // Comparing with the target: value (one or two words) and poison.
  Ops += (Insts[Prog.NumInsts - 1].Width > 32 ? 2 : 1) + 1;
  return Ops;
}
