; Missed peephole: (x >> 1) + (x & 1) is x - (x >> 1); LLVM folds only the other operand order (llvm/llvm-project#206272).
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
;     %l = lshr i32 %x, 1
;     %a = and i32 %x, 1
;     %r = add i32 %a, %l
;     ret i32 %r
;   }

; O3-LABEL: @f(
; O3: and i32 %x, 1
; O3: add nuw i32
; CHECK-LABEL: @f(
; CHECK-NEXT: [[L:%.*]] = lshr i32 %x, 1
; CHECK-NEXT: [[R:%.*]] = sub i32 %x, [[L]]
; CHECK-NEXT: ret i32 [[R]]
; PROOF: verdict: proved

define i32 @f(i32 %x) {
  %l = lshr i32 %x, 1
  %a = and i32 %x, 1
  %r = add nuw i32 %a, %l
  ret i32 %r
}
