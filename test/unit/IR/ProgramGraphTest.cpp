//===- ProgramGraphTest.cpp - Unit tests for CSR program graphs ------------===//
//
// Part of neuropt, under the Apache License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//

#include "IRTestUtil.h"
#include "neuropt/IR/ProgramGraph.h"

#include "llvm/IR/LLVMContext.h"

using namespace llvm;
using namespace neuropt;

namespace {

const char *Calls = R"IR(
define internal i32 @leaf(i32 %x) {
  %y = shl i32 %x, 1
  ret i32 %y
}
define i32 @root(i32 %a, i1 %c) {
entry:
  br i1 %c, label %t, label %f
t:
  %r = call i32 @leaf(i32 %a)
  ret i32 %r
f:
  ret i32 7
}
)IR";

unsigned countKind(const ProgramGraph &G, EdgeKind K) {
  unsigned N = 0;
  for (uint8_t E : G.EdgeKinds)
    N += E == static_cast<uint8_t>(K);
  return N;
}

bool hasEdge(const ProgramGraph &G, uint32_t Src, uint32_t Dst, EdgeKind K) {
  for (uint32_t E = G.RowPtr[Src]; E < G.RowPtr[Src + 1]; ++E)
    if (G.Col[E] == Dst && G.EdgeKinds[E] == static_cast<uint8_t>(K))
      return true;
  return false;
}

TEST(ProgramGraph, FunctionGraphShape) {
  LLVMContext Ctx;
  auto M = parseIR(Ctx, Calls);
  ASSERT_TRUE(M);
  ProgramGraph G = buildProgramGraph(*M->getFunction("leaf"));
  ASSERT_TRUE(G.isWellFormed());
  // Nodes: %x, shl, ret, then the constant 1 on first use.
  ASSERT_EQ(G.getNumNodes(), 4u);
  EXPECT_EQ(G.NodeTypes[0], static_cast<uint32_t>(NodeType::Argument));
  EXPECT_EQ(G.NodeTypes[1], static_cast<uint32_t>(NodeType::InstShl));
  EXPECT_EQ(G.NodeTypes[2], static_cast<uint32_t>(NodeType::InstRet));
  EXPECT_EQ(G.NodeTypes[3], static_cast<uint32_t>(NodeType::ConstInt));
  EXPECT_EQ(G.NodeTypeClasses[1], static_cast<uint8_t>(TypeClass::Int32));
  EXPECT_EQ(G.NodeTypeClasses[2], static_cast<uint8_t>(TypeClass::Void));
  EXPECT_TRUE(hasEdge(G, 1, 2, EdgeKind::Control));
  EXPECT_TRUE(hasEdge(G, 0, 1, EdgeKind::Data));
  EXPECT_TRUE(hasEdge(G, 3, 1, EdgeKind::Data));
  EXPECT_TRUE(hasEdge(G, 1, 2, EdgeKind::Data));
  EXPECT_EQ(G.getNumEdges(), 4u);
  EXPECT_EQ(getNodeTypeName(NodeType::InstShl), "InstShl");
}

TEST(ProgramGraph, ControlAndCallEdges) {
  LLVMContext Ctx;
  auto M = parseIR(Ctx, Calls);
  ASSERT_TRUE(M);
  ProgramGraph G = buildProgramGraph(*M->getFunction("root"));
  ASSERT_TRUE(G.isWellFormed());
  // br -> first instruction of t and of f; call -> ret in t.
  EXPECT_EQ(countKind(G, EdgeKind::Control), 3u);
  // One call edge to the callee node.
  EXPECT_EQ(countKind(G, EdgeKind::Call), 1u);

  ProgramGraph MG = buildModuleGraph(*M);
  ASSERT_TRUE(MG.isWellFormed());
  // Module graph adds call -> callee entry and callee ret -> call site.
  EXPECT_EQ(countKind(MG, EdgeKind::Call), 3u);
}

TEST(ProgramGraph, Deterministic) {
  LLVMContext Ctx1, Ctx2;
  auto M1 = parseIR(Ctx1, Calls);
  auto M2 = parseIR(Ctx2, Calls);
  ASSERT_TRUE(M1 && M2);
  ProgramGraph A = buildModuleGraph(*M1), B = buildModuleGraph(*M2);
  EXPECT_EQ(A.NodeTypes, B.NodeTypes);
  EXPECT_EQ(A.RowPtr, B.RowPtr);
  EXPECT_EQ(A.Col, B.Col);
  EXPECT_EQ(A.EdgeKinds, B.EdgeKinds);
  EXPECT_EQ(A.EdgePositions, B.EdgePositions);
}

TEST(ProgramGraph, DetectsBrokenCSR) {
  LLVMContext Ctx;
  auto M = parseIR(Ctx, Calls);
  ProgramGraph G = buildProgramGraph(*M->getFunction("leaf"));
  ASSERT_TRUE(G.isWellFormed());
  ProgramGraph Bad = G;
  Bad.Col[0] = 99;
  EXPECT_FALSE(Bad.isWellFormed());
  Bad = G;
  Bad.RowPtr.pop_back();
  EXPECT_FALSE(Bad.isWellFormed());
  Bad = G;
  Bad.NodeTypes[0] = 100000;
  EXPECT_FALSE(Bad.isWellFormed());
}

} // namespace
