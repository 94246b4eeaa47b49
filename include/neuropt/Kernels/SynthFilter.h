//===- SynthFilter.h - Concrete-input filter for synthesis candidates -*- C++ -*-===//
//
// Part of neuropt, under the Apache License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//
//
// The superoptimizer's first line of defence: before the SMT solver sees a
// candidate replacement, the candidate is evaluated on a batch of concrete
// input vectors and dropped unless it agrees with the target (the harvested
// left-hand side) on every input where the target is defined.
//
// Candidates are encoded as compact register bytecode. Value slot I of a
// program is:
//   I < NumVars                        input variable I (a DAG leaf)
//   NumVars <= I < NumVars+NumConsts   constant I-NumVars of the program
//   otherwise                          the result of instruction
//                                      I-NumVars-NumConsts
// The last instruction's result is the program's result. Every value is a
// uint64_t holding a BitWidth-bit integer (1..64), zero-extended, plus a
// poison bit. Semantics follow LangRef: division by zero and signed
// division overflow are immediate UB, which the filter treats like poison
// (a candidate that is poison/UB on an input where the target is defined
// disagrees); nsw/nuw/exact flags make the result poison when violated;
// shifts by >= width are poison; select on a poison condition is poison.
//
// This header is LLVM-free: it is built with kernels/cpu (always) and
// kernels/cuda (when CUDA is found), and used by lib/Synth.
//
//===----------------------------------------------------------------------===//

#ifndef NEUROPT_KERNELS_SYNTHFILTER_H
#define NEUROPT_KERNELS_SYNTHFILTER_H

#include "neuropt/Model/Status.h"

#include <cstdint>
#include <string>
#include <vector>

namespace neuropt {
namespace filter {

using model::Status;
using model::StatusOr;

enum class Op : uint8_t {
  // Binary (A, B).
  Add, Sub, Mul, UDiv, SDiv, URem, SRem, Shl, LShr, AShr, And, Or, Xor,
  UMin, UMax, SMin, SMax,
  // Comparisons (A, B), result width 1.
  Eq, Ne, Ult, Ule, Ugt, Uge, Slt, Sle, Sgt, Sge,
  // Ternary.
  Select, ///< A ? B : C; A has width 1.
  FShl,   ///< llvm.fshl(A, B, C)
  FShr,   ///< llvm.fshr(A, B, C)
  // Unary (A).
  ZExt, SExt, Trunc, ///< From operand width SrcWidth to Width.
  Ctpop, Ctlz, Cttz, Bswap, BitReverse, Abs,
  // Count of opcodes; keep last.
  NumOps
};

// Operand widths, as validate() checks them: comparisons have Width 1 and
// read two SrcWidth-bit operands (like casts); Select reads a 1-bit A;
// every other op reads Width-bit operands. Flags are accepted where LLVM has
// them: nsw/nuw on Add, Sub, Mul, Shl and Trunc; exact on UDiv, SDiv, LShr
// and AShr; and FlagNSW on Abs stands for llvm.abs's int_min_is_poison.
// Operand slots an op does not read (B and C of unary ops, C of binary ops)
// are ignored. A constant has no width of its own: it must fit every width
// it is read at.

/// Poison-generating flags (Inst::Flags bits).
enum : uint8_t { FlagNSW = 1, FlagNUW = 2, FlagExact = 4 };

/// One instruction: 8 bytes.
struct Inst {
  Op Opcode;
  uint8_t Width;    ///< Result bit width, 1..64.
  uint8_t SrcWidth; ///< Operand width for casts; ignored otherwise (operands
                    ///< of other ops have Width, or 1 for Select's A).
  uint8_t Flags;    ///< FlagNSW | FlagNUW | FlagExact.
  uint8_t A, B, C;  ///< Value slots (see the file comment).
  uint8_t Pad = 0;
};
static_assert(sizeof(Inst) == 8, "Inst must stay 8 bytes");

/// One candidate: a slice of a ProgramSet's instruction and constant pools.
struct Program {
  uint32_t FirstInst = 0;
  uint32_t FirstConst = 0;
  uint16_t NumInsts = 0;  ///< >= 1; at most MaxInsts.
  uint16_t NumConsts = 0; ///< At most MaxConsts.
};

constexpr unsigned MaxVars = 8;
constexpr unsigned MaxConsts = 8;
constexpr unsigned MaxInsts = 32;
/// Value slots a program can address.
constexpr unsigned MaxSlots = MaxVars + MaxConsts + MaxInsts;

/// A batch of candidates sharing one problem (same leaves, same result
/// width).
struct ProgramSet {
  std::vector<Program> Programs;
  std::vector<Inst> Insts;
  std::vector<uint64_t> Consts;
};

/// The concrete inputs and the target's values on them.
struct InputBatch {
  unsigned NumVars = 0;
  unsigned NumInputs = 0;
  std::vector<uint8_t> VarWidths; ///< NumVars widths.
  /// Input I's value of variable V is Values[V * NumInputs + I]
  /// (variable-major, so each variable is a contiguous column).
  std::vector<uint64_t> Values;
  /// The target's result on each input, and whether it was poison/UB there
  /// (inputs where the target is poison constrain nothing).
  std::vector<uint64_t> Expected;
  std::vector<uint8_t> ExpectedPoison;
  uint8_t ResultWidth = 0;
};

/// Checks the structural validity of a set against a batch (slot indices in
/// range and defined before use, widths consistent, pool bounds). Both
/// backends call this first and refuse an invalid set.
Status validate(const ProgramSet &Set, const InputBatch &Batch);

/// A concrete value: Width-bit integer, zero-extended, or poison/UB.
struct ConcreteValue {
  uint64_t Bits = 0;
  bool Poison = false;
};

/// Evaluates one program on one input (the reference semantics).
ConcreteValue evaluate(const ProgramSet &Set, unsigned Program,
                       const InputBatch &Batch, unsigned Input);

/// The CPU filter: Pass[P] = 1 iff program P agrees with the target on every
/// input. Uses up to \p Threads threads (0: hardware concurrency).
Status filterCPU(const ProgramSet &Set, const InputBatch &Batch,
                 std::vector<uint8_t> &Pass, unsigned Threads = 0);

/// The CUDA filter, through the dynamically loaded CUDA backend. Returns an
/// error (never aborts) when no CUDA backend or device is available.
/// Results are identical to filterCPU().
Status filterCUDA(const ProgramSet &Set, const InputBatch &Batch,
                  std::vector<uint8_t> &Pass);

/// Whether filterCUDA() can run here (backend loaded and a device present);
/// the error says why not.
Status cudaFilterAvailable();

/// How the CUDA kernel maps work to threads (both give the same Pass).
enum class CudaLayout : uint8_t {
  WarpPerProgram,  ///< One warp per program, lanes stride over the inputs,
                   ///< __any_sync early exit after each round of 32.
  BlockPerProgram, ///< One 256-thread block per program, threads stride
                   ///< over the inputs, __syncthreads_or early exit.
};

/// Measurements of one filterCUDA() call, for benchmarks.
struct CudaFilterStats {
  double KernelMs = 0;   ///< The kernel alone, by CUDA events.
  double TotalMs = 0;    ///< Uploads, kernel and download.
  unsigned SMs = 0;      ///< Multiprocessors of the device.
  unsigned ClockKHz = 0; ///< Its SM clock (cudaDevAttrClockRate).
  std::string Device;    ///< Name and compute capability.
};

/// filterCUDA() with a chosen layout, optionally filling \p Stats.
Status filterCUDA(const ProgramSet &Set, const InputBatch &Batch,
                  std::vector<uint8_t> &Pass, CudaLayout Layout,
                  CudaFilterStats *Stats = nullptr);

/// The useful work of evaluating program \p Program on one input and
/// comparing it with the target, in int32-equivalent ALU operations (a
/// 64-bit add counts 2, a 64-bit multiply 4, a 64-bit division 64, ...; see
/// the table in kernels/cpu/SynthFilter.cpp). Interpreter overhead (operand
/// fetch, dispatch) is not counted, so throughput times this over a GPU's
/// int32 peak is the fraction of the peak doing useful work.
unsigned int32OpsPerEvaluation(const ProgramSet &Set, unsigned Program);

} // namespace filter
} // namespace neuropt

#endif // NEUROPT_KERNELS_SYNTHFILTER_H
