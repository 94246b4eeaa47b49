; Missed peephole: smax(x, y) - smin(x, y) is +-(x - y), whose low bit is that of x ^ y (or x + y).
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
;     %a = call i32 @llvm.smax.i32(i32 %x, i32 %y)
;     %b = call i32 @llvm.smin.i32(i32 %x, i32 %y)
;     %r = sub i32 %a, %b
;     %c = and i32 %r, 1
;     ret i32 %c
;   }

; O3-LABEL: @f(
; O3: @llvm.smax.i32
; O3: @llvm.smin.i32
; CHECK-LABEL: @f(
; CHECK-NEXT: [[X:%.*]] = {{xor|sub|add}} i32 {{%x, %y|%y, %x}}
; CHECK-NEXT: [[R:%.*]] = and i32 [[X]], 1
; CHECK-NEXT: ret i32 [[R]]
; PROOF: verdict: proved

declare i32 @llvm.smax.i32(i32, i32)
declare i32 @llvm.smin.i32(i32, i32)

define i32 @f(i32 %x, i32 %y) {
  %a = call i32 @llvm.smax.i32(i32 %x, i32 %y)
  %b = call i32 @llvm.smin.i32(i32 %x, i32 %y)
  %r = sub i32 %a, %b
  %c = and i32 %r, 1
  ret i32 %c
}
