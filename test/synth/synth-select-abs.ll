; A compare-and-select idiom becomes an intrinsic: select (x < 0), -x, x is
; llvm.abs (without int_min_poison, since the LHS is defined at INT_MIN).
; RUN: neuropt-synth synth %s --function f --filter cpu --budget-ms 20000 > %t.out
; RUN: FileCheck %s < %t.out
; RUN: sed 's/@rhs/@f/' %t.out > %t.tgt.ll
; RUN: neuropt-verify %s %t.tgt.ll --function f | FileCheck %s --check-prefix=PROOF

; CHECK:      ; lhs {{[0-9a-f]+}} cost 8, rhs cost 5
; CHECK:      define i32 @rhs(i32 %0) {
; CHECK-NEXT: entry:
; CHECK-NEXT:   %1 = call i32 @llvm.abs.i32(i32 %0, i1 false)
; CHECK-NEXT:   ret i32 %1
; PROOF: verdict: proved

define i32 @f(i32 %x) {
  %c = icmp slt i32 %x, 0
  %n = sub i32 0, %x
  %r = select i1 %c, i32 %n, i32 %x
  ret i32 %r
}
