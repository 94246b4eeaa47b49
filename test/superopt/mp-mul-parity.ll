; Missed peephole: the low bit of x * y is the low bit of x & y: two cheap ands instead of a multiply.
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
;     %m = mul i32 %x, %y
;     %r = and i32 %m, 1
;     ret i32 %r
;   }

; O3-LABEL: @f(
; O3: mul i32 %y, %x
; O3: and i32 %m, 1
; CHECK-LABEL: @f(
; CHECK-NEXT: and i32
; CHECK-NEXT: and i32
; CHECK-NEXT: ret i32
; PROOF: verdict: proved

define i32 @f(i32 %x, i32 %y) {
  %m = mul i32 %y, %x
  %r = and i32 %m, 1
  ret i32 %r
}
