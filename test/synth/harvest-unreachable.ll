; Unreachable blocks may hold self-referential code, which is valid IR but
; no DAG: harvesting skips them and harvests the reachable rest.
; RUN: neuropt-synth harvest --emit-lhs %s | FileCheck %s

; CHECK:     ; dag {{.*}} @f %r size=1 leaves=1 hash=
; CHECK-NOT: ; dag
; CHECK:     ; summary: 1 files, 0 failed, 1 functions, 1 DAGs, 1 distinct hashes
define i32 @f(i32 %x, ptr %p) {
entry:
  %r = mul i32 %x, 3
  ret i32 %r
dead:
  %a = add i32 %a, 1
  %b = mul i32 %a, %a
  store i32 %b, ptr %p
  ret i32 %a
}
