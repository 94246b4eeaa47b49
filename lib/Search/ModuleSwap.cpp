//===- ModuleSwap.cpp - Replace a module's contents with another's --------===//
//
// Part of neuropt, under the Apache License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//
//
// This file implements moving every global of one module into another of
// the same context, keeping order and use lists.
//
//===----------------------------------------------------------------------===//

#include "neuropt/Search/ModuleSwap.h"

#include "llvm/Bitcode/BitcodeReader.h"
#include "llvm/Bitcode/BitcodeWriter.h"
#include "llvm/IR/Comdat.h"
#include "llvm/IR/GlobalAlias.h"
#include "llvm/IR/GlobalIFunc.h"
#include "llvm/IR/GlobalVariable.h"
#include "llvm/IR/Module.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/raw_ostream.h"

#include <cassert>

using namespace llvm;
using namespace neuropt;

/// Deletes every global value and named metadata of \p M.
static void clearModule(Module &M) {
  for (Function &F : M)
    F.dropAllReferences();
  for (GlobalVariable &G : M.globals())
    G.dropAllReferences();
  for (GlobalAlias &A : M.aliases())
    A.dropAllReferences();
  for (GlobalIFunc &I : M.ifuncs())
    I.dropAllReferences();
  // Constant expressions over the globals are now dead; they would keep
  // the globals' use lists non-empty.
  for (GlobalValue &GV : M.global_values())
    GV.removeDeadConstantUsers();
  while (!M.ifunc_empty())
    M.ifunc_begin()->eraseFromParent();
  while (!M.alias_empty())
    M.alias_begin()->eraseFromParent();
  while (!M.empty())
    M.begin()->eraseFromParent();
  while (!M.global_empty())
    M.global_begin()->eraseFromParent();
  while (!M.named_metadata_empty())
    M.eraseNamedMetadata(&*M.named_metadata_begin());
  M.getComdatSymbolTable().clear();
}

void neuropt::replaceModuleContents(Module &Dst, Module &Src) {
  assert(&Dst.getContext() == &Src.getContext() &&
         "modules must share a context");
  clearModule(Dst);
  Dst.setTargetTriple(Src.getTargetTriple());
  Dst.setDataLayout(Src.getDataLayout());
  Dst.setModuleInlineAsm(Src.getModuleInlineAsm());

  // Comdats belong to a module's table: recreate them and repoint users.
  DenseMap<const Comdat *, Comdat *> ComdatMap;
  for (auto &E : Src.getComdatSymbolTable()) {
    Comdat *C = Dst.getOrInsertComdat(E.getKey());
    C->setSelectionKind(E.getValue().getSelectionKind());
    ComdatMap[&E.getValue()] = C;
  }
  auto Repoint = [&](GlobalObject &GO) {
    if (const Comdat *C = GO.getComdat())
      GO.setComdat(ComdatMap.lookup(C));
  };

  // Move in source order: the values themselves move, so every use and
  // use list stays as it was.
  while (!Src.global_empty()) {
    GlobalVariable *G = &*Src.global_begin();
    Src.removeGlobalVariable(G);
    Dst.insertGlobalVariable(G);
    Repoint(*G);
  }
  while (!Src.empty()) {
    Function *F = &*Src.begin();
    F->removeFromParent();
    Dst.getFunctionList().push_back(F);
    Repoint(*F);
  }
  while (!Src.alias_empty()) {
    GlobalAlias *A = &*Src.alias_begin();
    Src.removeAlias(A);
    Dst.insertAlias(A);
  }
  while (!Src.ifunc_empty()) {
    GlobalIFunc *I = &*Src.ifunc_begin();
    Src.removeIFunc(I);
    Dst.insertIFunc(I);
  }
  for (NamedMDNode &N : Src.named_metadata()) {
    NamedMDNode *D = Dst.getOrInsertNamedMetadata(N.getName());
    for (MDNode *Op : N.operands())
      D->addOperand(Op);
  }
  while (!Src.named_metadata_empty())
    Src.eraseNamedMetadata(&*Src.named_metadata_begin());
  Src.getComdatSymbolTable().clear();
}

std::string neuropt::writeModuleBitcode(const Module &M) {
  std::string Buffer;
  raw_string_ostream OS(Buffer);
  WriteBitcodeToFile(M, OS, /*ShouldPreserveUseListOrder=*/true);
  OS.flush();
  return Buffer;
}

Expected<std::unique_ptr<Module>>
neuropt::readModuleBitcode(StringRef Bitcode, LLVMContext &Ctx) {
  return parseBitcodeFile(MemoryBufferRef(Bitcode, "neuropt-size.bc"), Ctx);
}
