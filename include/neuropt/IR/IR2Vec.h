//===- IR2Vec.h - IR2Vec embeddings through LLVM's IR2Vec API ---*- C++ -*-===//
//
// Part of neuropt, under the Apache License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//
//
// Loads an IR2Vec seed vocabulary (the JSON format of LLVM's
// seedEmbeddingVocab*.json: sections "Opcodes", "Types", "Arguments" and
// "Predicates") without going through the global -ir2vec-vocab-path option,
// and computes function and module embeddings with llvm::ir2vec::Embedder.
//
//===----------------------------------------------------------------------===//

#ifndef NEUROPT_IR_IR2VEC_H
#define NEUROPT_IR_IR2VEC_H

#include "llvm/Analysis/IR2Vec.h"
#include "llvm/Support/Error.h"

#include <memory>
#include <vector>

namespace neuropt {

/// Reads a vocabulary file. Every entity LLVM's Vocabulary has a slot for must
/// be present with the same dimension; otherwise the error names the file and
/// the first missing or malformed entity.
llvm::Expected<std::unique_ptr<llvm::ir2vec::Vocabulary>>
loadIR2VecVocabulary(llvm::StringRef Path);

/// The function-level embedding (empty for declarations).
std::vector<double> computeIR2VecEmbedding(const llvm::Function &F,
                                           const llvm::ir2vec::Vocabulary &V,
                                           llvm::IR2VecKind Kind =
                                               llvm::IR2VecKind::Symbolic);

/// Sum of the embeddings of the module's defined functions.
std::vector<double> computeIR2VecEmbedding(const llvm::Module &M,
                                           const llvm::ir2vec::Vocabulary &V,
                                           llvm::IR2VecKind Kind =
                                               llvm::IR2VecKind::Symbolic);

} // namespace neuropt

#endif // NEUROPT_IR_IR2VEC_H
