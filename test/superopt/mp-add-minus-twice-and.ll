; Missed peephole: (x + y) - 2 * (x & y) is x ^ y.
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
;     %s = add i32 %x, %y
;     %a = and i32 %x, %y
;     %t = shl i32 %a, 1
;     %r = sub i32 %s, %t
;     ret i32 %r
;   }

; O3-LABEL: @f(
; O3: shl i32
; O3: sub i32 %s,
; CHECK-LABEL: @f(
; CHECK-NEXT: [[R:%.*]] = xor i32 {{%x, %y|%y, %x}}
; CHECK-NEXT: ret i32 [[R]]
; PROOF: verdict: proved

define i32 @f(i32 %x, i32 %y) {
  %s = add i32 %y, %x
  %a = and i32 %y, %x
  %1 = shl i32 %a, 1
  %r = sub i32 %s, %1
  ret i32 %r
}
