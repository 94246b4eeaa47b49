; Missed peephole: (x & y) == (x | y) holds exactly when x == y, here at i16 with the result widened.
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
;   define i16 @f(i16 %x, i16 %y) {
;     %a = and i16 %x, %y
;     %o = or i16 %x, %y
;     %r = icmp eq i16 %a, %o
;     %z = zext i1 %r to i16
;     ret i16 %z
;   }

; O3-LABEL: @f(
; O3: icmp eq i16 %a, %o
; O3: zext i1
; CHECK-LABEL: @f(
; CHECK-NEXT: [[C:%.*]] = icmp eq i16 {{%x, %y|%y, %x}}
; CHECK-NEXT: [[R:%.*]] = zext i1 [[C]] to i16
; CHECK-NEXT: ret i16 [[R]]
; PROOF: verdict: proved

define i16 @f(i16 %x, i16 %y) {
  %a = and i16 %y, %x
  %o = or i16 %y, %x
  %r = icmp eq i16 %a, %o
  %z = zext i1 %r to i16
  ret i16 %z
}
