; Missed peephole: no square is 3 modulo 2^32 (squares are 0 or 1 modulo 4).
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
;   define i1 @f(i32 %x) {
;     %m = mul i32 %x, %x
;     %r = icmp eq i32 %m, 3
;     ret i1 %r
;   }

; O3-LABEL: @f(
; O3: mul i32 %x, %x
; O3: icmp eq i32 %m, 3
; CHECK-LABEL: @f(
; CHECK-NEXT: ret i1 false
; PROOF: verdict: proved

define i1 @f(i32 %x) {
  %m = mul i32 %x, %x
  %r = icmp eq i32 %m, 3
  ret i1 %r
}
