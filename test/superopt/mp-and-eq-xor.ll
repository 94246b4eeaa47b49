; Missed peephole: (x & y) == (x ^ y) holds exactly when x | y == 0.
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
;   define i1 @f(i32 %x, i32 %y) {
;     %a = and i32 %x, %y
;     %o = xor i32 %x, %y
;     %r = icmp eq i32 %a, %o
;     ret i1 %r
;   }

; O3-LABEL: @f(
; O3: and i32
; O3: xor i32
; O3: icmp eq i32 %a, %o
; CHECK-LABEL: @f(
; CHECK-NEXT: [[A:%.*]] = or i32 {{%x, %y|%y, %x}}
; CHECK-NEXT: [[R:%.*]] = icmp eq i32 [[A]], 0
; CHECK-NEXT: ret i1 [[R]]
; PROOF: verdict: proved

define i1 @f(i32 %x, i32 %y) {
  %a = and i32 %y, %x
  %o = xor i32 %y, %x
  %r = icmp eq i32 %a, %o
  ret i1 %r
}
