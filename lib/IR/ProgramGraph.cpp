//===- ProgramGraph.cpp - CSR program graphs for graph neural networks -----===//
//
// Part of neuropt, under the Apache License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//
//
// This file implements ProgramGraph construction. Nodes are numbered in IR
// order (arguments, then instructions, then constants and globals in order of
// first use), so two builds over the same IR give identical graphs.
//
//===----------------------------------------------------------------------===//

#include "neuropt/IR/ProgramGraph.h"

#include "llvm/ADT/DenseMap.h"
#include "llvm/IR/Constants.h"
#include "llvm/IR/Function.h"
#include "llvm/IR/InlineAsm.h"
#include "llvm/IR/Instructions.h"
#include "llvm/IR/Module.h"

#include <algorithm>
#include <tuple>

using namespace llvm;
using namespace neuropt;

static const char *const NodeTypeNames[] = {
#define NEUROPT_NODE_VALUE(Name, Doc) #Name,
#define NEUROPT_NODE_INST(Name, Opcode) "Inst" #Name,
#include "neuropt/IR/NodeTypes.def"
};

StringRef neuropt::getNodeTypeName(NodeType T) {
  unsigned I = static_cast<unsigned>(T);
  return I < std::size(NodeTypeNames) ? NodeTypeNames[I] : "Invalid";
}

StringRef neuropt::getEdgeKindName(EdgeKind K) {
  switch (K) {
  case EdgeKind::Control:
    return "control";
  case EdgeKind::Data:
    return "data";
  case EdgeKind::Call:
    return "call";
  }
  return "invalid";
}

static NodeType instructionNodeType(const Instruction &I) {
  switch (I.getOpcode()) {
#define NEUROPT_NODE_INST(Name, Opcode)                                        \
  case Instruction::Opcode:                                                    \
    return NodeType::Inst##Name;
#include "neuropt/IR/NodeTypes.def"
  default:
    return NodeType::OtherInst;
  }
}

static NodeType valueNodeType(const Value *V) {
  if (auto *I = dyn_cast<Instruction>(V))
    return instructionNodeType(*I);
  if (isa<Argument>(V))
    return NodeType::Argument;
  if (auto *F = dyn_cast<Function>(V))
    return F->isDeclaration() ? NodeType::FunctionDecl : NodeType::FunctionDef;
  if (isa<GlobalValue>(V))
    return NodeType::GlobalVar;
  if (isa<PoisonValue>(V))
    return NodeType::ConstPoison;
  if (isa<UndefValue>(V))
    return NodeType::ConstUndef;
  if (isa<ConstantInt>(V))
    return NodeType::ConstInt;
  if (isa<ConstantFP>(V))
    return NodeType::ConstFP;
  if (auto *C = dyn_cast<Constant>(V)) {
    if (C->isNullValue())
      return NodeType::ConstNull;
    if (isa<ConstantExpr>(C))
      return NodeType::ConstExpr;
    return NodeType::ConstAggregate;
  }
  if (isa<InlineAsm>(V))
    return NodeType::InlineAsm;
  return NodeType::Unknown;
}

static TypeClass typeClassOf(const Type *T) {
  if (T->isVoidTy())
    return TypeClass::Void;
  if (auto *IT = dyn_cast<IntegerType>(T)) {
    switch (IT->getBitWidth()) {
    case 1:
      return TypeClass::Int1;
    case 8:
      return TypeClass::Int8;
    case 16:
      return TypeClass::Int16;
    case 32:
      return TypeClass::Int32;
    case 64:
      return TypeClass::Int64;
    default:
      return TypeClass::IntOther;
    }
  }
  if (T->isFloatTy())
    return TypeClass::Float;
  if (T->isDoubleTy())
    return TypeClass::Double;
  if (T->isFloatingPointTy())
    return TypeClass::FPOther;
  if (T->isPointerTy())
    return TypeClass::Pointer;
  if (T->isVectorTy())
    return TypeClass::Vector;
  if (T->isAggregateType())
    return TypeClass::Aggregate;
  return TypeClass::Other;
}

namespace {
struct Edge {
  uint32_t Src, Dst;
  EdgeKind Kind;
  uint8_t Pos;
};

/// Collects nodes and edges, then sorts them into CSR.
class GraphBuilder {
public:
  uint32_t nodeFor(const Value *V) {
    auto [It, Inserted] = Ids.try_emplace(V, Types.size());
    if (Inserted) {
      Types.push_back(static_cast<uint32_t>(valueNodeType(V)));
      Classes.push_back(static_cast<uint8_t>(typeClassOf(V->getType())));
    }
    return It->second;
  }
  void addEdge(uint32_t Src, uint32_t Dst, EdgeKind K, unsigned Pos = 0) {
    Edges.push_back({Src, Dst, K, static_cast<uint8_t>(std::min(Pos, 255u))});
  }

  /// Adds the nodes and intra-procedural edges of \p F.
  void addFunction(const Function &F) {
    for (const Argument &A : F.args())
      nodeFor(&A);
    // Number every instruction before any operand so that instruction nodes
    // are contiguous and in IR order.
    for (const BasicBlock &BB : F)
      for (const Instruction &I : BB)
        nodeFor(&I);
    for (const BasicBlock &BB : F) {
      const Instruction *Prev = nullptr;
      for (const Instruction &I : BB) {
        uint32_t Id = nodeFor(&I);
        if (Prev)
          addEdge(nodeFor(Prev), Id, EdgeKind::Control);
        Prev = &I;
        unsigned Pos = 0;
        for (const Use &U : I.operands()) {
          const Value *V = U.get();
          unsigned ThisPos = Pos++;
          if (isa<BasicBlock>(V) || isa<MetadataAsValue>(V))
            continue;
          if (auto *CB = dyn_cast<CallBase>(&I); CB && CB->isCallee(&U)) {
            addEdge(Id, nodeFor(V), EdgeKind::Call);
            continue;
          }
          addEdge(nodeFor(V), Id, EdgeKind::Data, ThisPos);
        }
      }
      if (const Instruction *T = BB.getTerminator())
        for (const BasicBlock *Succ : successors(T))
          if (!Succ->empty())
            addEdge(nodeFor(T), nodeFor(&Succ->front()), EdgeKind::Control);
    }
  }

  /// In a module graph, links each direct call to its callee's entry
  /// instruction and the callee's returns back to the call site.
  void addInterproceduralEdges(const Module &M) {
    for (const Function &F : M)
      for (const BasicBlock &BB : F)
        for (const Instruction &I : BB) {
          auto *CB = dyn_cast<CallBase>(&I);
          const Function *Callee = CB ? CB->getCalledFunction() : nullptr;
          if (!Callee || Callee->isDeclaration())
            continue;
          uint32_t Site = nodeFor(CB);
          addEdge(Site, nodeFor(&Callee->getEntryBlock().front()),
                  EdgeKind::Call);
          for (const BasicBlock &CBB : *Callee)
            if (auto *Ret = dyn_cast<ReturnInst>(CBB.getTerminator()))
              addEdge(nodeFor(Ret), Site, EdgeKind::Call);
        }
  }

  ProgramGraph finish() {
    ProgramGraph G;
    G.NodeTypes = std::move(Types);
    G.NodeTypeClasses = std::move(Classes);
    size_t N = G.NodeTypes.size();
    // Counting sort by source, then a small sort of each row by
    // (kind, destination, position): linear in the edges for typical rows.
    G.RowPtr.assign(N + 1, 0);
    for (const Edge &E : Edges)
      ++G.RowPtr[E.Src + 1];
    for (size_t I = 1; I <= N; ++I)
      G.RowPtr[I] += G.RowPtr[I - 1];
    std::vector<Edge> Sorted(Edges.size());
    std::vector<uint32_t> Fill(G.RowPtr.begin(), G.RowPtr.end() - 1);
    for (const Edge &E : Edges)
      Sorted[Fill[E.Src]++] = E;
    auto Less = [](const Edge &A, const Edge &B) {
      return std::tie(A.Kind, A.Dst, A.Pos) < std::tie(B.Kind, B.Dst, B.Pos);
    };
    for (size_t I = 0; I < N; ++I)
      if (G.RowPtr[I + 1] - G.RowPtr[I] > 1)
        std::sort(Sorted.begin() + G.RowPtr[I], Sorted.begin() + G.RowPtr[I + 1],
                  Less);
    G.Col.resize(Sorted.size());
    G.EdgeKinds.resize(Sorted.size());
    G.EdgePositions.resize(Sorted.size());
    for (size_t I = 0; I < Sorted.size(); ++I) {
      G.Col[I] = Sorted[I].Dst;
      G.EdgeKinds[I] = static_cast<uint8_t>(Sorted[I].Kind);
      G.EdgePositions[I] = Sorted[I].Pos;
    }
    return G;
  }

  /// Pre-sizes the tables for about \p NumValues nodes.
  void reserve(size_t NumValues) {
    Ids.reserve(NumValues);
    Types.reserve(NumValues);
    Classes.reserve(NumValues);
    Edges.reserve(3 * NumValues);
  }

private:
  DenseMap<const Value *, uint32_t> Ids;
  std::vector<uint32_t> Types;
  std::vector<uint8_t> Classes;
  std::vector<Edge> Edges;
};
} // namespace

bool ProgramGraph::isWellFormed() const {
  size_t N = NodeTypes.size();
  if (NodeTypeClasses.size() != N || RowPtr.size() != N + 1 || RowPtr[0] != 0 ||
      RowPtr[N] != Col.size() || EdgeKinds.size() != Col.size() ||
      EdgePositions.size() != Col.size())
    return false;
  for (size_t I = 0; I < N; ++I) {
    if (RowPtr[I] > RowPtr[I + 1] ||
        NodeTypes[I] >= static_cast<uint32_t>(NodeType::NumNodeTypes) ||
        NodeTypeClasses[I] >= NumTypeClasses)
      return false;
  }
  for (size_t E = 0; E < Col.size(); ++E)
    if (Col[E] >= N || EdgeKinds[E] >= NumEdgeKinds)
      return false;
  return true;
}

template <typename T> static json::Array toArray(const std::vector<T> &V) {
  json::Array A;
  A.reserve(V.size());
  for (T X : V)
    A.push_back(static_cast<int64_t>(X));
  return A;
}

json::Value ProgramGraph::toJSON() const {
  return json::Object{{"nodes", toArray(NodeTypes)},
                      {"type_classes", toArray(NodeTypeClasses)},
                      {"row_ptr", toArray(RowPtr)},
                      {"col", toArray(Col)},
                      {"edge_kinds", toArray(EdgeKinds)},
                      {"edge_positions", toArray(EdgePositions)}};
}

ProgramGraph neuropt::buildProgramGraph(const Function &F) {
  GraphBuilder B;
  if (!F.isDeclaration()) {
    B.reserve(F.getInstructionCount() + F.arg_size() + 16);
    B.addFunction(F);
  }
  return B.finish();
}

ProgramGraph neuropt::buildModuleGraph(const Module &M) {
  GraphBuilder B;
  for (const Function &F : M)
    if (!F.isDeclaration())
      B.addFunction(F);
  B.addInterproceduralEdges(M);
  return B.finish();
}
