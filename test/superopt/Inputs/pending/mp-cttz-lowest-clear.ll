; Missed peephole: ~x & (x + 1) isolates the lowest clear bit of x, so its cttz is cttz(~x).
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
;     %n = xor i32 %x, -1
;     %m = add i32 %x, 1
;     %a = and i32 %n, %m
;     %r = call i32 @llvm.cttz.i32(i32 %a, i1 false)
;     ret i32 %r
;   }

; O3-LABEL: @f(
; O3: add i32 %x, 1
; O3: and i32 %m, %n
; CHECK-LABEL: @f(
; CHECK-NEXT: [[N:%.*]] = xor i32 %x, -1
; CHECK-NEXT: [[R:%.*]] = {{.*}}call {{.*}}i32 @llvm.cttz.i32(i32 [[N]], i1 false)
; CHECK-NEXT: ret i32 [[R]]
; PROOF: verdict: proved

declare i32 @llvm.cttz.i32(i32, i1 immarg)

define i32 @f(i32 %x) {
  %n = xor i32 %x, -1
  %m = add i32 %x, 1
  %a = and i32 %m, %n
  %r = call i32 @llvm.cttz.i32(i32 %a, i1 false)
  ret i32 %r
}
