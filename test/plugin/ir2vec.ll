; IR2Vec embeddings through LLVM's IR2Vec API with a vocabulary file, and a
; clear warning (not a crash) for a broken or incomplete vocabulary.
; RUN: llvm-ir2vec entities | python3 %S/Inputs/make-vocab.py > %t.vocab.json
; RUN: %opt -passes='print<neuropt-features>' -neuropt-ir2vec-vocab=%t.vocab.json -disable-output %S/Inputs/loops.ll 2>&1 | FileCheck %s
; CHECK: module ir2vec: [{{-?[0-9]+\.[0-9]+}}, {{-?[0-9]+\.[0-9]+}}, {{-?[0-9]+\.[0-9]+}}, {{-?[0-9]+\.[0-9]+}}]
; CHECK: function sq ir2vec: [{{.*}}]

; RUN: llvm-ir2vec entities | python3 %S/Inputs/make-vocab.py --drop Freeze > %t.partial.json
; RUN: %opt -passes='print<neuropt-features>' -neuropt-ir2vec-vocab=%t.partial.json -disable-output %S/Inputs/loops.ll 2>&1 | FileCheck %s --check-prefix=PARTIAL
; PARTIAL: warning: IR2Vec vocabulary '{{.*}}partial.json' has no entry for 'Freeze'
; PARTIAL: neuropt-features: module
; PARTIAL-NOT: ir2vec:

; RUN: echo '{not json' > %t.bad.json
; RUN: %opt -passes='print<neuropt-features>' -neuropt-ir2vec-vocab=%t.bad.json -disable-output %S/Inputs/loops.ll 2>&1 | FileCheck %s --check-prefix=BAD
; BAD: warning: IR2Vec vocabulary '{{.*}}bad.json' is not valid JSON
; RUN: %opt -passes='print<neuropt-features>' -neuropt-ir2vec-vocab=%t.missing.json -disable-output %S/Inputs/loops.ll 2>&1 | FileCheck %s --check-prefix=MISSING
; MISSING: warning: cannot read IR2Vec vocabulary '{{.*}}missing.json'

; By default the vocabulary shipped in models/ir2vec/ (trained on the corpus
; by neuropt-corpus ir2vec-vocab) is used: 75 dimensions.
; RUN: %opt -passes='print<neuropt-features>' -disable-output %S/Inputs/loops.ll 2>&1 | grep '^function sq ir2vec:' | tr ',' '\n' | count 75
; RUN: %opt -passes='print<neuropt-features>' -neuropt-ir2vec-vocab=none -disable-output %S/Inputs/loops.ll 2>&1 | FileCheck %s --check-prefix=NONE
; NONE: neuropt-features: module
; NONE-NOT: ir2vec
