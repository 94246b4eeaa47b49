; Missed peephole: ((x0 | x1 | x2) != 0 ? true : x3 != 0) ? x0 : 0 is x0 (llvm/llvm-project#154025).
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
;   define i32 @f(i32 %x0, i32 %x1, i32 %x2, i32 %x3) {
;     %v0 = or i32 %x3, %x2
;     %v1 = icmp ne i32 %x1, 0
;     %v2 = or i32 %v0, %x0
;     %v3 = icmp ne i32 %v2, 0
;     %v4 = select i1 %v3, i1 true, i1 %v1
;     %v5 = select i1 %v4, i32 %x0, i32 0
;     ret i32 %v5
;   }

; O3-LABEL: @f(
; O3: select i1 %v4, i32 %x0, i32 0
; CHECK-LABEL: @f(
; CHECK-NEXT: ret i32 %x0
; PROOF: verdict: proved

define i32 @f(i32 %x0, i32 %x1, i32 %x2, i32 %x3) {
  %v1 = icmp ne i32 %x1, 0
  %1 = or i32 %x2, %x3
  %v2 = or i32 %1, %x0
  %v3 = icmp ne i32 %v2, 0
  %v4 = select i1 %v3, i1 true, i1 %v1
  %v5 = select i1 %v4, i32 %x0, i32 0
  ret i32 %v5
}
