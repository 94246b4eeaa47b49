; Missed peephole: ctpop(x & -x) is zext(x != 0), or umin(x, 1); O3 stops at zext((x & -x) != 0).
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
;     %n = sub i32 0, %x
;     %a = and i32 %x, %n
;     %r = call i32 @llvm.ctpop.i32(i32 %a)
;     ret i32 %r
;   }

; O3-LABEL: @f(
; O3: sub i32 0, %x
; O3: and i32 %x, %n
; CHECK-LABEL: @f(
; CHECK-NEXT: [[R:%.*]] = call i32 @llvm.umin.i32(i32 %x, i32 1)
; CHECK-NEXT: ret i32 [[R]]
; PROOF: verdict: proved

define i32 @f(i32 %x) {
  %n = sub i32 0, %x
  %a = and i32 %x, %n
  %1 = icmp ne i32 %a, 0
  %r = zext i1 %1 to i32
  ret i32 %r
}
