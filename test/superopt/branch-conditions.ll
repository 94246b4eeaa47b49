; An i1 DAG that feeds a branch is rewritten into a non-constant RHS only in
; functions whose code is measured (-neuropt-superopt-measure, off by
; default):
; codegen lowers and/or of compares in branch conditions into branch chains
; of its own, so the IR cost does not predict code size there (on the corpus
; such rewrites made .text larger: first of conditions that only fed
; branches, then, in session 5, `(x & 1) == 0` -> `xor (trunc x), true` used
; by two branches and an `or`, +48 bytes). Measurement undoes those that
; grow the code. These functions are not optimized for size.
; RUN: rm -f %t.sqlite
; RUN: %opt -passes=neuropt-superopt -neuropt-superopt-mode=synthesize -neuropt-cache=%t.sqlite \
; RUN:   -neuropt-superopt-budget-ms=3000 -pass-remarks-missed=neuropt-superopt \
; RUN:   -S %s 2>%t.err | FileCheck %s --check-prefix=KEEP
; RUN: FileCheck %s --check-prefix=REMARK < %t.err
; RUN: %opt -passes=neuropt-superopt -neuropt-cache=%t.sqlite -neuropt-superopt-measure=all \
; RUN:   -pass-remarks-analysis=neuropt-superopt -S %s 2>%t.measured.err | FileCheck %s --check-prefix=ALL
; RUN: FileCheck %s --check-prefix=MEASURED < %t.measured.err
; RUN: %opt -passes=neuropt-superopt -neuropt-cache=%t.sqlite -neuropt-superopt-measure=all \
; RUN:   -neuropt-superopt-rewrite-branch-conditions=false -S %s | FileCheck %s --check-prefix=KEEP

; REMARK: remark: {{.*}}not rewritten: it is a branch condition, which codegen lowers on its own (rewritten only where the code is measured: -neuropt-superopt-measure, -neuropt-superopt-rewrite-branch-conditions)
; MEASURED-DAG: remark: {{.*}}rewritten @cond ({{[0-9]+}} instructions): {{[0-9]+}} -> {{[0-9]+}} bytes of code
; MEASURED-DAG: remark: {{.*}}rewritten @mixed ({{[0-9]+}} instructions): {{[0-9]+}} -> {{[0-9]+}} bytes of code
; KEEP-LABEL: @cond(
; KEEP-NEXT: entry:
; KEEP-NEXT: %a = and i32 %x, %y
; KEEP-LABEL: @never(
; KEEP-NEXT: entry:
; KEEP-NEXT: br i1 false, label %yes, label %no
; ALL-LABEL: @cond(
; ALL-NEXT: entry:
; ALL-NEXT: %c = icmp eq i32 {{%x, %y|%y, %x}}
; ALL-NEXT: br i1 %c, label %yes, label %no
; A branch among other users is enough.
; KEEP-LABEL: @mixed(
; KEEP-NEXT: entry:
; KEEP-NEXT: %a = and i32 %x, %y
; ALL-LABEL: @mixed(
; ALL-NEXT: entry:
; ALL-NEXT: %c = icmp eq i32 {{%x, %y|%y, %x}}
; ALL-NEXT: %z = zext i1 %c to i32

define i32 @cond(i32 %x, i32 %y) {
entry:
  %a = and i32 %x, %y
  %o = or i32 %x, %y
  %c = icmp eq i32 %a, %o
  br i1 %c, label %yes, label %no
yes:
  ret i32 1
no:
  ret i32 0
}

define i32 @never(i32 %x) {
entry:
  %m = mul i32 %x, %x
  %c = icmp eq i32 %m, 2
  br i1 %c, label %yes, label %no
yes:
  ret i32 1
no:
  ret i32 0
}

define i32 @mixed(i32 %x, i32 %y) {
entry:
  %a = and i32 %x, %y
  %o = or i32 %x, %y
  %c = icmp eq i32 %a, %o
  %z = zext i1 %c to i32
  br i1 %c, label %yes, label %no
yes:
  ret i32 %z
no:
  ret i32 0
}
