; Missed peephole: (x & 1) == 0 ? x + 1 : x is x | 1 (O3 turns it into an add of the inverted low bit).
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
;     %b = and i32 %x, 1
;     %c = icmp eq i32 %b, 0
;     %d = add i32 %x, 1
;     %r = select i1 %c, i32 %d, i32 %x
;     ret i32 %r
;   }

; O3-LABEL: @f(
; O3: xor i32 %b, 1
; O3: add i32
; CHECK-LABEL: @f(
; CHECK-NEXT: [[R:%.*]] = or i32 %x, 1
; CHECK-NEXT: ret i32 [[R]]
; PROOF: verdict: proved

define i32 @f(i32 %x) {
  %b = and i32 %x, 1
  %1 = xor i32 %b, 1
  %r = add i32 %1, %x
  ret i32 %r
}
