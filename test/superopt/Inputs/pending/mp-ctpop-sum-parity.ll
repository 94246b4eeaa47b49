; Missed peephole: (ctpop(x) + ctpop(y)) & 1 is ctpop(x ^ y) & 1: one population count instead of two.
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
;     %a = call i32 @llvm.ctpop.i32(i32 %x)
;     %b = call i32 @llvm.ctpop.i32(i32 %y)
;     %s = add i32 %a, %b
;     %r = and i32 %s, 1
;     ret i32 %r
;   }

; O3-LABEL: @f(
; O3: @llvm.ctpop.i32(i32 %x)
; O3: @llvm.ctpop.i32(i32 %y)
; CHECK-LABEL: @f(
; CHECK-NEXT: xor i32 {{%x, %y|%y, %x}}
; CHECK-NEXT: @llvm.ctpop.i32
; CHECK-NEXT: and i32 {{.*}}, 1
; CHECK-NEXT: ret i32
; PROOF: verdict: proved

declare i32 @llvm.ctpop.i32(i32)

define i32 @f(i32 %x, i32 %y) {
  %a = call i32 @llvm.ctpop.i32(i32 %x)
  %b = call i32 @llvm.ctpop.i32(i32 %y)
  %s = add nuw nsw i32 %b, %a
  %r = and i32 %s, 1
  ret i32 %r
}
