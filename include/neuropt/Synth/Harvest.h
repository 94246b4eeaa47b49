//===- Harvest.h - Extract and hash loop-free integer DAGs ------*- C++ -*-===//
//
// Part of neuropt, under the Apache License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//
//
// Harvesting finds the synthesis problems in optimized IR: for each
// interesting integer instruction, the loop-free DAG of integer operations
// that computes it from leaves. Each DAG gets a canonical text and a stable
// hash so that the same computation found in any file or function keys the
// same cache entry, and can rebuild itself as a standalone `@lhs` function
// for the verifier and the synthesizer.
//
// Decisions (see also HarvestOptions):
// - DAG nodes are scalar-integer instructions of the kinds accepted by
//   isHarvestableInst(). Every other operand (arguments, loads, calls, phis,
//   unsupported instructions, instructions beyond the size cap) is a leaf.
//   Constants stay constants. Because phis are leaves, a DAG never contains a
//   cycle, and since all nodes dominate the root, it may span blocks.
// - Constants other than integers, undef and poison (globals, constant
//   expressions) are opaque leaves. Leaf facts are context-free (computed
//   without a context instruction), so they do not vary with the use site.
// - A root is interesting when its value escapes the integer DAG: it has more
//   than one use, or a user that is not a harvestable instruction. A value
//   with a single harvestable user is part of that user's DAG already, so
//   harvesting it alone would only repeat a sub-problem. Interior nodes are
//   not cut at their other uses: a shared value appears in every DAG that
//   reaches it (as in Souper), so a rewrite of one root must keep it alive.
// - Only blocks reachable from the entry are harvested; unreachable code may
//   be self-referential and is never a DAG.
// - Single-instruction DAGs are kept by default (MinSize = 1): with leaf
//   facts such as known bits, `and %x, 255` can still fold to `%x`.
//
//===----------------------------------------------------------------------===//

#ifndef NEUROPT_SYNTH_HARVEST_H
#define NEUROPT_SYNTH_HARVEST_H

#include "llvm/ADT/SmallVector.h"
#include "llvm/IR/ConstantRange.h"
#include "llvm/Support/KnownBits.h"

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace llvm {
class Function;
class Instruction;
class Module;
class Value;
} // namespace llvm

namespace neuropt {

/// The largest MaxSize honoured; larger values are clamped to it. Keys are
/// computed recursively, so this also bounds the stack depth.
constexpr unsigned MaxHarvestSize = 1024;

/// Knobs for harvesting.
struct HarvestOptions {
  /// The most instructions a DAG may hold; operands past the cap (in
  /// breadth-first order from the root) become leaves.
  unsigned MaxSize = 12;
  /// DAGs with fewer instructions than this are dropped.
  unsigned MinSize = 1;
  /// Whether to compute known bits and constant ranges for the leaves.
  bool LeafFacts = true;
};

/// Facts about one leaf that were cheap to establish, context-free (they
/// depend only on the leaf value, so they are the same wherever it is used).
struct LeafInfo {
  /// The IR value in the source function.
  const llvm::Value *V = nullptr;
  llvm::KnownBits Known;
  /// An unsigned range from computeConstantRange(); full when unknown.
  llvm::ConstantRange Range;

  explicit LeafInfo(unsigned BitWidth)
      : Known(BitWidth), Range(BitWidth, /*isFullSet=*/true) {}
};

/// One harvested DAG. It points into the module it came from, which must
/// outlive it.
struct HarvestedDAG {
  const llvm::Instruction *Root = nullptr;
  /// The DAG's instructions in canonical post-order: operands first, the
  /// root last.
  llvm::SmallVector<const llvm::Instruction *, 16> Insts;
  /// Per instruction: whether the canonical form swaps its first two
  /// operands (commutative operations; icmp also swaps its predicate).
  llvm::SmallVector<bool, 16> Swapped;
  /// The leaves in canonical order (first use in the canonical traversal);
  /// leaf I is `%I` in the canonical text and argument I of `@lhs`.
  std::vector<LeafInfo> Leaves;
  /// The canonical text, one line per value: the leaves first
  /// (`%0 = leaf i8 known=0xxxxxxx range=[0,128)`, facts only when known),
  /// then the instructions (`%2 = add nsw i32 %0, i32 7`: opcode or
  /// intrinsic, poison flags, predicate, type, operands), then `root %N`.
  /// Equal texts mean the same computation over the same leaf facts.
  std::string Canonical;
  /// StableHasher (FNV-1a) of Canonical.
  uint64_t Hash = 0;

  unsigned size() const { return Insts.size(); }
  /// Hash as 16 lower-case hex digits.
  std::string hashHex() const;
};

/// True if \p I may be an interior node of a DAG: a scalar-integer binary
/// operator, icmp on integers, select, zext/sext/trunc, freeze, or one of the
/// integer intrinsics (ctpop, ctlz, cttz, abs, [su]min/max, fshl/fshr, bswap,
/// bitreverse, saturating add/sub/shl).
bool isHarvestableInst(const llvm::Instruction &I);

/// Extract the DAG rooted at \p Root and compute its canonical form and
/// hash, regardless of whether the root is interesting. \p Root must be
/// harvestable and, for the result to be a DAG, lie in a block reachable
/// from the entry of verified IR.
HarvestedDAG extractDAG(const llvm::Instruction &Root,
                        const HarvestOptions &Opts = {});

/// Harvest every interesting root in the reachable blocks of \p F (which
/// must be valid IR), in instruction order.
std::vector<HarvestedDAG> harvestFunction(const llvm::Function &F,
                                          const HarvestOptions &Opts = {});

/// Rebuild \p DAG as `define <ty> @lhs(<leaves>)` in a fresh module (in the
/// source module's context, with its data layout and triple): one block,
/// instructions in canonical order, argument I is leaf I. Leaf constant
/// ranges (narrowed by known bits where a range can say it) become `range`
/// attributes on the arguments; metadata is dropped.
std::unique_ptr<llvm::Module> toFunction(const HarvestedDAG &DAG);

} // namespace neuropt

#endif // NEUROPT_SYNTH_HARVEST_H
