; The safety valves of synthesize mode: once the module's total synthesis
; budget is used up the pass stops synthesizing, with a remark, and what is
; not synthesized is left alone (and not stored as "no cheaper form").
; RUN: rm -f %t.sqlite
; RUN: %opt -passes=neuropt-superopt -neuropt-superopt-mode=synthesize -neuropt-cache=%t.sqlite \
; RUN:   -neuropt-superopt-budget-ms=3000 -neuropt-superopt-total-budget-ms=1 -neuropt-superopt-stats \
; RUN:   -pass-remarks-analysis=neuropt-superopt -S %s 2>%t.err | FileCheck %s
; RUN: FileCheck %s --check-prefix=REMARK < %t.err
; With no total limit both are synthesized, the first from the cache.
; RUN: %opt -passes=neuropt-superopt -neuropt-superopt-mode=synthesize -neuropt-cache=%t.sqlite \
; RUN:   -neuropt-superopt-budget-ms=3000 -neuropt-superopt-total-budget-ms=0 -neuropt-superopt-stats \
; RUN:   -S %s 2>%t.err2 | FileCheck %s --check-prefix=ALL
; RUN: FileCheck %s --check-prefix=STATS2 < %t.err2

; CHECK-LABEL: @first(
; CHECK-NEXT: ret i1 false
; CHECK-LABEL: @second(
; CHECK-NEXT: %m = mul i32 %x, %x
; ALL-LABEL: @first(
; ALL-NEXT: ret i1 false
; ALL-LABEL: @second(
; ALL-NEXT: ret i1 false

; REMARK: remark: {{.*}}total synthesis budget of 1 ms (2000 work units) used up; no more synthesis in this module
; REMARK: neuropt-superopt: {{.*}}: 2 DAGs (+{{[0-9]+}} cut), 0 cache hits, 2 misses, 1 synthesized (1 found,
; STATS2: neuropt-superopt: {{.*}}: 2 DAGs (+{{[0-9]+}} cut), 1 cache hits, 1 misses, 1 synthesized (1 found,

define i1 @first(i32 %x) {
  %m = mul i32 %x, %x
  %r = icmp eq i32 %m, 2
  ret i1 %r
}

define i1 @second(i32 %x) {
  %m = mul i32 %x, %x
  %r = icmp eq i32 %m, 3
  ret i1 %r
}
