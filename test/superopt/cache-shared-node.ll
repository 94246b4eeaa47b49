; Cost accounting counts only what a rewrite removes. Here ~p has a second
; use, so replacing ~p + 1 by -p would remove only the add: no saving, and
; the candidate is rejected with a remark. The same entry applies where ~p
; dies with the root.
; RUN: rm -f %t.sqlite
; RUN: neuropt-synth superopt --cache %t.sqlite --import %S/Inputs/neg-lhs.ll --rhs %S/Inputs/neg-rhs.ll
; RUN: %opt -passes=neuropt-superopt -neuropt-cache=%t.sqlite -neuropt-superopt-stats \
; RUN:   -pass-remarks=neuropt-superopt -pass-remarks-missed=neuropt-superopt \
; RUN:   -S %s 2>%t.err | FileCheck %s
; RUN: FileCheck %s --check-prefix=REMARK < %t.err

; CHECK-LABEL: @shared(
; CHECK-NEXT: %a = xor i32 %p, -1
; CHECK-NEXT: %b = add i32 %a, 1
; CHECK-NEXT: store i32 %a, ptr %q
; CHECK-NEXT: ret i32 %b
; CHECK-LABEL: @alone(
; CHECK-NEXT: %b = sub i32 0, %p
; CHECK-NEXT: ret i32 %b

; REMARK: remark: {{.*}}not rewritten: not cheaper here: the RHS costs [[C:[0-9]+]], the instructions it would remove cost [[C]]
; REMARK: remark: {{.*}}rewrote DAG [[H:[0-9a-f]{16}]] (2 instructions, 2 removed, cost {{[0-9]+}}) into 1 instructions of cost
; REMARK: neuropt-superopt: {{.*}}: 3 DAGs (+1 cut), 1 cache hits, 2 misses, 0 synthesized {{.*}}, 1 rewrites, 1 rejected, 0 undone (0 functions measured), 0 skipped by bisection, 1 instructions saved

define i32 @shared(i32 %p, ptr %q) {
  %a = xor i32 %p, -1
  %b = add i32 %a, 1
  store i32 %a, ptr %q
  ret i32 %b
}

define i32 @alone(i32 %p) {
  %a = xor i32 %p, -1
  %b = add i32 %a, 1
  ret i32 %b
}
