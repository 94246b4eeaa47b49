; The DAG hash does not record which leaves are never undef or poison, but a
; proof may assume it: the engine then marks @rhs's parameter noundef. The
; pass applies such an entry only where the leaf is known to be neither.
; RUN: rm -f %t.sqlite
; RUN: neuropt-synth superopt --cache %t.sqlite --import %S/Inputs/neg-lhs.ll --rhs %S/Inputs/neg-rhs-noundef.ll --no-verify
; RUN: %opt -passes=neuropt-superopt -neuropt-cache=%t.sqlite -pass-remarks-missed=neuropt-superopt \
; RUN:   -S %s 2>%t.err | FileCheck %s
; RUN: FileCheck %s --check-prefix=REMARK < %t.err

; REMARK: remark: {{.*}}not rewritten: the cached RHS assumes that leaf 0 is never undef or poison, which is not known here
; CHECK-LABEL: @maybe_undef(
; CHECK-NEXT: %a = xor i32 %p, -1
; CHECK-LABEL: @never_undef(
; CHECK-NEXT: %b = sub i32 0, %p
; CHECK-NEXT: ret i32 %b

define i32 @maybe_undef(i32 %p) {
  %a = xor i32 %p, -1
  %b = add i32 %a, 1
  ret i32 %b
}

define i32 @never_undef(i32 noundef %p) {
  %a = xor i32 %p, -1
  %b = add i32 %a, 1
  ret i32 %b
}
