; Missed peephole: (a & b) != b ? (a | b) : a is a | b (llvm/llvm-project#207909).
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
;   define i32 @f(i32 %a, i32 %b) {
;     %and = and i32 %a, %b
;     %c = icmp ne i32 %and, %b
;     %or = or i32 %a, %b
;     %r = select i1 %c, i32 %or, i32 %a
;     ret i32 %r
;   }

; O3-LABEL: @f(
; O3: icmp eq i32
; O3: select i1
; CHECK-LABEL: @f(
; CHECK-NEXT: [[R:%.*]] = or i32 {{%a, %b|%b, %a}}
; CHECK-NEXT: ret i32 [[R]]
; PROOF: verdict: proved

define i32 @f(i32 %a, i32 %b) {
  %and = and i32 %b, %a
  %c.not = icmp eq i32 %and, %b
  %or = select i1 %c.not, i32 0, i32 %b
  %r = or i32 %or, %a
  ret i32 %r
}
