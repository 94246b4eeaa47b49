; Missed peephole: ctpop(x) + ctpop(~x) is the bit width.
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
;     %n = xor i32 %x, -1
;     %a = call i32 @llvm.ctpop.i32(i32 %x)
;     %b = call i32 @llvm.ctpop.i32(i32 %n)
;     %r = add i32 %a, %b
;     ret i32 %r
;   }

; O3-LABEL: @f(
; O3: @llvm.ctpop.i32(i32 %n)
; CHECK-LABEL: @f(
; CHECK-NEXT: ret i32 32
; PROOF: verdict: proved

declare i32 @llvm.ctpop.i32(i32)

define i32 @f(i32 %x) {
  %n = xor i32 %x, -1
  %a = call i32 @llvm.ctpop.i32(i32 %x)
  %b = call i32 @llvm.ctpop.i32(i32 %n)
  %r = add nuw nsw i32 %a, %b
  ret i32 %r
}
