; Missed peephole: (x | 7) - (x & -8) is 7: both keep the high bits of x.
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
;     %o = or i32 %x, 7
;     %a = and i32 %x, -8
;     %r = sub i32 %o, %a
;     ret i32 %r
;   }

; O3-LABEL: @f(
; O3: or i32 %x, 7
; O3: sub i32 %o, %a
; CHECK-LABEL: @f(
; CHECK-NEXT: ret i32 7
; PROOF: verdict: proved

define i32 @f(i32 %x) {
  %o = or i32 %x, 7
  %a = and i32 %x, -8
  %r = sub i32 %o, %a
  ret i32 %r
}
