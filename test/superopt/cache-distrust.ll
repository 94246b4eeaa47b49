; The pass never trusts what it reads from the cache. Each entry below is
; stored for the DAG ~p + 1 (Inputs/neg-lhs.ll) with `neuropt-synth superopt
; --import`; --no-verify stores it without a proof, as a damaged or hostile
; cache could.
; RUN: rm -f %t.sqlite
;
; A proved entry is applied, in cache mode (the default).
; RUN: neuropt-synth superopt --cache %t.sqlite --import %S/Inputs/neg-lhs.ll --rhs %S/Inputs/neg-rhs.ll | FileCheck %s --check-prefix=STORED
; STORED: superopt: stored proved rewrite for [[HASH:[0-9a-f]{16}]]
; RUN: %opt -passes=neuropt-superopt -neuropt-cache=%t.sqlite -S %s | FileCheck %s --check-prefix=APPLIED
; APPLIED-LABEL: @f(
; APPLIED-NEXT: %b = sub i32 0, %p
; APPLIED-NEXT: ret i32 %b
;
; A wrong RHS cannot be imported with a proof ...
; RUN: not neuropt-synth superopt --cache %t.sqlite --import %S/Inputs/neg-lhs.ll --rhs %S/Inputs/neg-rhs-wrong.ll 2>&1 | FileCheck %s --check-prefix=REFUSED
; REFUSED: error: @rhs is not proved to refine @lhs: refuted
; ... and without one, re-verification rejects it.
; RUN: neuropt-synth superopt --cache %t.sqlite --import %S/Inputs/neg-lhs.ll --rhs %S/Inputs/neg-rhs-wrong.ll --no-verify
; RUN: %opt -passes=neuropt-superopt -neuropt-cache=%t.sqlite -neuropt-superopt-reverify \
; RUN:   -pass-remarks-missed=neuropt-superopt -S %s 2>%t.wrong.err | FileCheck %s --check-prefix=KEPT
; RUN: FileCheck %s --check-prefix=WRONG < %t.wrong.err
; WRONG: remark: {{.*}}DAG {{[0-9a-f]+}} not rewritten: re-verification of the cached RHS failed: refuted
;
; An RHS that does not parse.
; RUN: neuropt-synth superopt --cache %t.sqlite --import %S/Inputs/neg-lhs.ll --rhs %S/Inputs/neg-rhs-syntax.ll --no-verify
; RUN: %opt -passes=neuropt-superopt -neuropt-cache=%t.sqlite \
; RUN:   -pass-remarks-missed=neuropt-superopt -S %s 2>%t.syntax.err | FileCheck %s --check-prefix=KEPT
; RUN: FileCheck %s --check-prefix=SYNTAX < %t.syntax.err
; SYNTAX: remark: {{.*}}not rewritten: the cached RHS does not parse (line 4:
;
; An RHS with another signature than @lhs.
; RUN: neuropt-synth superopt --cache %t.sqlite --import %S/Inputs/neg-lhs.ll --rhs %S/Inputs/neg-rhs-signature.ll --no-verify
; RUN: %opt -passes=neuropt-superopt -neuropt-cache=%t.sqlite \
; RUN:   -pass-remarks-missed=neuropt-superopt -S %s 2>%t.sig.err | FileCheck %s --check-prefix=KEPT
; RUN: FileCheck %s --check-prefix=SIG < %t.sig.err
; SIG: remark: {{.*}}not rewritten: the cached RHS: @rhs takes 2 arguments, @lhs 1
;
; An RHS that reads memory is no integer DAG.
; RUN: neuropt-synth superopt --cache %t.sqlite --import %S/Inputs/neg-lhs.ll --rhs %S/Inputs/neg-rhs-memory.ll --no-verify
; RUN: %opt -passes=neuropt-superopt -neuropt-cache=%t.sqlite \
; RUN:   -pass-remarks-missed=neuropt-superopt -S %s 2>%t.mem.err | FileCheck %s --check-prefix=KEPT
; RUN: FileCheck %s --check-prefix=MEM < %t.mem.err
; MEM: remark: {{.*}}not rewritten: the cached RHS: @rhs contains an instruction that is not an integer DAG node
;
; KEPT-LABEL: @f(
; KEPT-NEXT: %a = xor i32 %p, -1
; KEPT-NEXT: %b = add i32 %a, 1
; KEPT-NEXT: ret i32 %b

define i32 @f(i32 %p) {
  %a = xor i32 %p, -1
  %b = add i32 %a, 1
  ret i32 %b
}
