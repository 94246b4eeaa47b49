//===- ProgramGraph.h - CSR program graphs for graph neural networks -*- C++ -*-===//
//
// Part of neuropt, under the Apache License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//
//
// A ProGraML-style program graph. Nodes are instructions, arguments,
// constants, globals and call targets, typed from the fixed vocabulary in
// NodeTypes.def. Edges are control flow (instruction to next instruction,
// terminator to successor entry), data flow (operand to user) and calls (call
// site to callee, and in a module graph, callee returns back to the call
// site). The adjacency is stored in CSR form, sorted by source and then by
// (kind, destination), so that a graph is a deterministic function of the IR.
//
//===----------------------------------------------------------------------===//

#ifndef NEUROPT_IR_PROGRAMGRAPH_H
#define NEUROPT_IR_PROGRAMGRAPH_H

#include "llvm/ADT/StringRef.h"
#include "llvm/Support/JSON.h"

#include <cstdint>
#include <vector>

namespace llvm {
class Function;
class Module;
class raw_ostream;
} // namespace llvm

namespace neuropt {

enum class NodeType : uint32_t {
#define NEUROPT_NODE_VALUE(Name, Doc) Name,
#define NEUROPT_NODE_INST(Name, Opcode) Inst##Name,
#include "neuropt/IR/NodeTypes.def"
  NumNodeTypes
};

enum class EdgeKind : uint8_t { Control = 0, Data = 1, Call = 2 };
constexpr unsigned NumEdgeKinds = 3;

/// Coarse class of a node's LLVM type, a second categorical node attribute.
enum class TypeClass : uint8_t { Void, Int1, Int8, Int16, Int32, Int64, IntOther, Float, Double, FPOther, Pointer, Vector, Aggregate, Other };
constexpr unsigned NumTypeClasses = 14;

struct ProgramGraph {
  /// Per node: vocabulary index (NodeType) and TypeClass.
  std::vector<uint32_t> NodeTypes;
  std::vector<uint8_t> NodeTypeClasses;
  /// CSR adjacency: the out-edges of node N are [RowPtr[N], RowPtr[N+1]).
  std::vector<uint32_t> RowPtr;
  std::vector<uint32_t> Col;
  std::vector<uint8_t> EdgeKinds;
  /// For data edges, the operand index at the user (capped at 255); 0 for
  /// other edges.
  std::vector<uint8_t> EdgePositions;

  unsigned getNumNodes() const { return NodeTypes.size(); }
  unsigned getNumEdges() const { return Col.size(); }
  /// Checks the CSR invariants; used by tests and by loaders of dumped graphs.
  bool isWellFormed() const;
  /// {"nodes":[...],"type_classes":[...],"row_ptr":[...],"col":[...],"edge_kinds":[...],"edge_positions":[...]}
  llvm::json::Value toJSON() const;
};

/// The name of a node type, e.g. "Argument" or "InstAdd".
llvm::StringRef getNodeTypeName(NodeType T);
llvm::StringRef getEdgeKindName(EdgeKind K);

/// Graph of one function; call targets appear as FunctionDef/FunctionDecl
/// nodes without bodies.
ProgramGraph buildProgramGraph(const llvm::Function &F);

/// Graph of a whole module: every defined function's graph, with call edges
/// linking call sites to the callee's entry instruction and the callee's
/// returns back to the call site.
ProgramGraph buildModuleGraph(const llvm::Module &M);

} // namespace neuropt

#endif // NEUROPT_IR_PROGRAMGRAPH_H
