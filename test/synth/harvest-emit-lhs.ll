; --emit-lhs prints each DAG as a standalone @lhs function over its leaves,
; in canonical order, with leaf facts as range attributes.
; RUN: neuropt-synth harvest --emit-lhs %s | FileCheck %s

; CHECK:      ; dag {{.*}} @f %r size=3 leaves=2 hash=
; CHECK-NEXT: %0 = leaf i8 known=0xxxxxxx range=[0,128)
; CHECK-NEXT: %1 = leaf i32
; CHECK-NEXT: %2 = zext nneg i32 %0
; CHECK-NEXT: %3 = add nuw nsw i32 %2, %1
; CHECK-NEXT: %4 = llvm.ctpop i32 %3
; CHECK-NEXT: root %4
; CHECK-NEXT: define i32 @lhs(i8 range(i8 0, -128) %0, i32 %1) {
; CHECK-NEXT: entry:
; CHECK-NEXT:   %2 = zext nneg i8 %0 to i32
; CHECK-NEXT:   %3 = add nuw nsw i32 %2, %1
; CHECK-NEXT:   %4 = call i32 @llvm.ctpop.i32(i32 %3)
; CHECK-NEXT:   ret i32 %4
; CHECK-NEXT: }
; CHECK:      ; summary: 1 files, 0 failed, 1 functions, 1 DAGs, 1 distinct hashes

define i32 @f(i32 %y, i8 range(i8 0, 128) %x) {
  %z = zext nneg i8 %x to i32
  %s = add nuw nsw i32 %y, %z, !annotation !0
  %r = call i32 @llvm.ctpop.i32(i32 %s)
  ret i32 %r
}
!0 = !{!"dropped"}
