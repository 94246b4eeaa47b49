; Synthesis never makes code more poisonous or claims a saving that is not
; there. (x + 1) >s x folds to true only when the add cannot wrap (nsw):
; without the flag the pass may find the cheaper compare with INT_MAX, but
; never `true`. x ^ (x >> 1) (Gray code) has no cheaper form: it stays, and
; the cache remembers that.
; RUN: rm -f %t.sqlite
; RUN: %opt -passes=neuropt-superopt -neuropt-superopt-mode=synthesize -neuropt-cache=%t.sqlite \
; RUN:   -neuropt-superopt-budget-ms=3000 -neuropt-superopt-stats -S %s -o %t.ll 2>%t.err
; RUN: FileCheck %s < %t.ll
; RUN: FileCheck %s --check-prefix=STATS < %t.err
; RUN: neuropt-verify %s %t.ll --function no_nsw | FileCheck %s --check-prefix=PROOF
; RUN: neuropt-verify %s %t.ll --function with_nsw | FileCheck %s --check-prefix=PROOF
; PROOF: verdict: proved
; The second run answers everything from the cache.
; RUN: %opt -passes=neuropt-superopt -neuropt-cache=%t.sqlite -neuropt-superopt-stats \
; RUN:   -S %s 2>%t.err2 | FileCheck %s
; RUN: FileCheck %s --check-prefix=STATS2 < %t.err2

; CHECK-LABEL: @no_nsw(
; CHECK-NOT: ret i1 true
; CHECK: ret i1
; CHECK-LABEL: @with_nsw(
; CHECK-NEXT: ret i1 true
; CHECK-LABEL: @gray(
; CHECK-NEXT: %s = lshr i32 %x, 1
; CHECK-NEXT: %g = xor i32 %s, %x
; CHECK-NEXT: ret i32 %g

; STATS: neuropt-superopt: {{.*}}: 3 DAGs (+{{[0-9]+}} cut), 0 cache hits, 3 misses, 3 synthesized ({{[12]}} found, {{[12]}} none cheaper, 0 over budget, 0 unsupported, 0 errors)
; STATS2: neuropt-superopt: {{.*}}: 3 DAGs (+{{[0-9]+}} cut), 3 cache hits, 0 misses, 0 synthesized

define i1 @no_nsw(i32 %x) {
  %a = add i32 %x, 1
  %c = icmp sgt i32 %a, %x
  ret i1 %c
}

define i1 @with_nsw(i32 %x) {
  %a = add nsw i32 %x, 1
  %c = icmp sgt i32 %a, %x
  ret i1 %c
}

define i32 @gray(i32 %x) {
  %s = lshr i32 %x, 1
  %g = xor i32 %s, %x
  ret i32 %g
}
