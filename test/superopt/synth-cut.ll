; A DAG whose interior node is used elsewhere: ~(x * y) + 1, where x * y
; also flows into a phi. Replacing the whole DAG by -(x * y) would keep the multiply alive
; for the store and save nothing, so that rewrite is rejected; the part that
; dies with the root, cut at the shared multiply (~s + 1 with s a leaf), is
; synthesized on its own and rewritten to -s.
; RUN: rm -f %t.sqlite
; RUN: %opt -passes=neuropt-superopt -neuropt-superopt-mode=synthesize -neuropt-cache=%t.sqlite \
; RUN:   -neuropt-superopt-budget-ms=3000 -neuropt-superopt-stats -pass-remarks=neuropt-superopt \
; RUN:   -pass-remarks-missed=neuropt-superopt -S %s -o %t.ll 2>%t.err
; RUN: FileCheck %s < %t.ll
; RUN: FileCheck %s --check-prefix=REMARK < %t.err
; RUN: neuropt-verify %s %t.ll --function f | FileCheck %s --check-prefix=PROOF
; Cache mode finds the cut in the cache.
; RUN: %opt -passes=neuropt-superopt -neuropt-cache=%t.sqlite -S %s | FileCheck %s

; CHECK-LABEL: @f(
; CHECK-NEXT: entry:
; CHECK-NEXT: %s = mul i32 %x, %y
; CHECK-NEXT: %r = sub i32 0, %s
; CHECK-NEXT: br i1 %c

; REMARK: remark: {{.*}}DAG [[FULL:[0-9a-f]+]] not rewritten: not cheaper here
; REMARK: remark: {{.*}}rewrote cut DAG [[CUT:[0-9a-f]+]] (2 instructions, 2 removed, cost {{[0-9]+}}) into 1 instructions
; REMARK: neuropt-superopt: {{.*}}: 2 DAGs (+1 cut), 0 cache hits, 3 misses, 3 synthesized (2 found, 1 none cheaper,
; PROOF: verdict: proved

define i32 @f(i32 %x, i32 %y, i1 %c) {
entry:
  %s = mul i32 %x, %y
  %t = xor i32 %s, -1
  %r = add i32 %t, 1
  br i1 %c, label %then, label %join

then:
  br label %join

join:
  %p = phi i32 [ %s, %entry ], [ %r, %then ]
  ret i32 %p
}
