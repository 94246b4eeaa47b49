; Missed peephole: umax(x, y) - x + umin(x, y) is y; O3 stops at usub.sat(y, x) + umin(x, y).
; The input is what LLVM 22 -O3 makes of the source below (attributes
; dropped), and -O3 leaves it so (O3 prefix). neuropt-superopt in
; synthesize mode finds the cheaper form, which neuropt-verify proves; in
; the -O3 pipeline the pass applies the result from the cache.
; RUN: opt -passes='default<O3>' -S %s | FileCheck %s --check-prefix=O3
; RUN: rm -f %t.sqlite
; RUN: %opt -passes=neuropt-superopt -neuropt-superopt-mode=synthesize \
; RUN:   -neuropt-cache=%t.sqlite -neuropt-superopt-budget-ms=5000 -S %s -o %t.ll
; RUN: FileCheck %s < %t.ll
; RUN: neuropt-verify %s %t.ll --function f | FileCheck %s --check-prefix=PROOF
; RUN: %opt -passes='default<O3>' -neuropt-cache=%t.sqlite -S %s | FileCheck %s
;
; Source:
;   define i32 @f(i32 %x, i32 %y) {
;     %a = call i32 @llvm.umax.i32(i32 %x, i32 %y)
;     %b = call i32 @llvm.umin.i32(i32 %x, i32 %y)
;     %s = sub i32 %a, %x
;     %r = add i32 %s, %b
;     ret i32 %r
;   }

; O3-LABEL: @f(
; O3: @llvm.usub.sat.i32(i32 %y, i32 %x)
; O3: add i32 %s, %b
; CHECK-LABEL: @f(
; CHECK-NEXT: ret i32 %y
; PROOF: verdict: proved

declare i32 @llvm.umin.i32(i32, i32)

define i32 @f(i32 %x, i32 %y) {
  %b = call i32 @llvm.umin.i32(i32 %x, i32 %y)
  %s = call i32 @llvm.usub.sat.i32(i32 %y, i32 %x)
  %r = add i32 %s, %b
  ret i32 %r
}

declare i32 @llvm.usub.sat.i32(i32, i32)
