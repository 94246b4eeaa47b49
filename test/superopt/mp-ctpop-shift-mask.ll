; Missed peephole: x << 1 and x & INT_MAX have the same bits set, so the difference of their ctpops is 0.
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
;   define i32 @f(i32 %x) {
;     %s = shl i32 %x, 1
;     %a = call i32 @llvm.ctpop.i32(i32 %s)
;     %b = and i32 %x, 2147483647
;     %c = call i32 @llvm.ctpop.i32(i32 %b)
;     %r = sub i32 %a, %c
;     ret i32 %r
;   }

; O3-LABEL: @f(
; O3: shl i32 %x, 1
; O3: sub nsw i32 %a, %c
; CHECK-LABEL: @f(
; CHECK-NEXT: ret i32 0
; PROOF: verdict: proved

declare i32 @llvm.ctpop.i32(i32)

define i32 @f(i32 %x) {
  %s = shl i32 %x, 1
  %a = call i32 @llvm.ctpop.i32(i32 %s)
  %b = and i32 %x, 2147483647
  %c = call i32 @llvm.ctpop.i32(i32 %b)
  %r = sub nsw i32 %a, %c
  ret i32 %r
}
