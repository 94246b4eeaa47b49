//===- IR2Vec.cpp - IR2Vec embeddings through LLVM's IR2Vec API ------------===//
//
// Part of neuropt, under the Apache License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//

#include "neuropt/IR/IR2Vec.h"

#include "llvm/IR/Function.h"
#include "llvm/IR/Module.h"
#include "llvm/Support/JSON.h"
#include "llvm/Support/MemoryBuffer.h"

using namespace llvm;
using namespace neuropt;

Expected<std::unique_ptr<ir2vec::Vocabulary>>
neuropt::loadIR2VecVocabulary(StringRef Path) {
  auto BufOrErr = MemoryBuffer::getFile(Path);
  if (!BufOrErr)
    return createStringError(BufOrErr.getError(),
                             "cannot read IR2Vec vocabulary '%s': %s",
                             Path.str().c_str(),
                             BufOrErr.getError().message().c_str());
  Expected<json::Value> Parsed = json::parse((*BufOrErr)->getBuffer());
  if (!Parsed)
    return createStringError(inconvertibleErrorCode(),
                             "IR2Vec vocabulary '%s' is not valid JSON: %s",
                             Path.str().c_str(),
                             toString(Parsed.takeError()).c_str());

  ir2vec::VocabStorage::VocabMap All;
  unsigned Dim = 0;
  for (StringRef Section : {"Opcodes", "Types", "Arguments", "Predicates"}) {
    ir2vec::VocabStorage::VocabMap Part;
    unsigned SectionDim = 0;
    if (Error E = ir2vec::VocabStorage::parseVocabSection(Section, *Parsed,
                                                          Part, SectionDim))
      return createStringError(inconvertibleErrorCode(),
                               "IR2Vec vocabulary '%s': %s",
                               Path.str().c_str(),
                               toString(std::move(E)).c_str());
    if (Dim && SectionDim != Dim)
      return createStringError(inconvertibleErrorCode(),
                               "IR2Vec vocabulary '%s': section %s has "
                               "dimension %u, expected %u",
                               Path.str().c_str(), Section.str().c_str(),
                               SectionDim, Dim);
    Dim = SectionDim;
    All.insert(Part.begin(), Part.end());
  }

  using V = ir2vec::Vocabulary;
  const unsigned Sizes[] = {V::MaxOpcodes, V::MaxCanonicalTypeIDs,
                            V::MaxOperandKinds, V::MaxPredicateKinds};
  std::vector<std::vector<ir2vec::Embedding>> Sections;
  unsigned Pos = 0;
  for (unsigned Size : Sizes) {
    std::vector<ir2vec::Embedding> Section;
    for (unsigned I = 0; I < Size; ++I, ++Pos) {
      // getStringKey may return a view of a buffer it reuses: copy at once.
      std::string Key = V::getStringKey(Pos).str();
      auto It = All.find(Key);
      if (It == All.end())
        return createStringError(inconvertibleErrorCode(),
                                 "IR2Vec vocabulary '%s' has no entry for "
                                 "'%s'",
                                 Path.str().c_str(), Key.c_str());
      Section.push_back(It->second);
    }
    Sections.push_back(std::move(Section));
  }
  auto Vocab = std::make_unique<V>(ir2vec::VocabStorage(std::move(Sections)));
  if (!Vocab->isValid())
    return createStringError(inconvertibleErrorCode(),
                             "IR2Vec vocabulary '%s' is incomplete",
                             Path.str().c_str());
  return Vocab;
}

std::vector<double> neuropt::computeIR2VecEmbedding(const Function &F,
                                                    const ir2vec::Vocabulary &V,
                                                    IR2VecKind Kind) {
  if (F.isDeclaration())
    return {};
  auto Emb = ir2vec::Embedder::create(Kind, F, V);
  if (!Emb)
    return {};
  ir2vec::Embedding E = Emb->getFunctionVector();
  std::vector<double> Out(E.size());
  for (size_t I = 0; I < E.size(); ++I)
    Out[I] = E[I];
  return Out;
}

std::vector<double> neuropt::computeIR2VecEmbedding(const Module &M,
                                                    const ir2vec::Vocabulary &V,
                                                    IR2VecKind Kind) {
  std::vector<double> Sum(V.getDimension(), 0.0);
  for (const Function &F : M) {
    std::vector<double> E = computeIR2VecEmbedding(F, V, Kind);
    for (size_t I = 0; I < E.size() && I < Sum.size(); ++I)
      Sum[I] += E[I];
  }
  return Sum;
}
