; Cache mode (the default) only reads: with no cache file it does nothing
; and creates none, and an empty cache changes nothing. A synthesize-mode
; run stores its results, with proofs, for later cache-mode runs to apply;
; -neuropt-superopt-mode=off turns the pass off.
; RUN: rm -rf %t && mkdir %t
; RUN: %opt -passes=neuropt-superopt -neuropt-cache=%t/c.sqlite -neuropt-superopt-stats -S %s 2>%t/missing.err | FileCheck %s --check-prefix=OLD
; RUN: FileCheck %s --check-prefix=NOTHING < %t/missing.err
; RUN: not ls %t/c.sqlite
; NOTHING: neuropt-superopt: {{.*}}: 0 DAGs (+{{[0-9]+}} cut), 0 cache hits, 0 misses, 0 synthesized
;
; An empty cache (synthesize mode on a module without DAGs creates it).
; RUN: %opt -passes=neuropt-superopt -neuropt-superopt-mode=synthesize -neuropt-cache=%t/c.sqlite -disable-output %S/Inputs/no-dags.ll
; RUN: ls %t/c.sqlite
; RUN: %opt -passes=neuropt-superopt -neuropt-cache=%t/c.sqlite -neuropt-superopt-stats -S %s 2>%t/empty.err | FileCheck %s --check-prefix=OLD
; RUN: FileCheck %s --check-prefix=NOTHING < %t/empty.err
;
; Synthesize, then apply from the cache in a second run.
; RUN: %opt -passes=neuropt-superopt -neuropt-superopt-mode=synthesize -neuropt-cache=%t/c.sqlite \
; RUN:   -neuropt-superopt-budget-ms=3000 -neuropt-superopt-stats -disable-output %s 2>%t/synth.err
; RUN: FileCheck %s --check-prefix=SYNTH < %t/synth.err
; SYNTH: neuropt-superopt: {{.*}}: 1 DAGs (+{{[0-9]+}} cut), 0 cache hits, 1 misses, 1 synthesized (1 found,
; RUN: %opt -passes=neuropt-superopt -neuropt-cache=%t/c.sqlite -neuropt-superopt-stats \
; RUN:   -pass-remarks=neuropt-superopt -S %s 2>%t/hit.err | FileCheck %s --check-prefix=NEW
; RUN: FileCheck %s --check-prefix=HIT < %t/hit.err
; HIT: remark: {{.*}}rewrote DAG [[H:[0-9a-f]{16}]] (4 instructions, 4 removed, cost [[LC:[0-9]+]]) into 1 instructions of cost [[RC:[0-9]+]]
; HIT: neuropt-superopt: {{.*}}: 1 DAGs (+{{[0-9]+}} cut), 1 cache hits, 0 misses, 0 synthesized {{.*}}, 1 rewrites, 0 rejected, 0 undone (0 functions measured), 0 skipped by bisection, 3 instructions saved
;
; The same through the default pipeline (the pass runs at its end), and off.
; RUN: %opt -passes='default<O2>' -neuropt-cache=%t/c.sqlite -S %s | FileCheck %s --check-prefix=NEW
; RUN: %opt -passes='default<O3>,neuropt-superopt' -neuropt-cache=%t/c.sqlite -S %s | FileCheck %s --check-prefix=NEW
; RUN: %opt -passes='default<O2>' -neuropt-cache=%t/c.sqlite -neuropt-superopt-mode=off -S %s | FileCheck %s --check-prefix=OLD-O2

; OLD-LABEL: @f(
; OLD-NEXT: %s = add i32 %x, %y
; OLD-O2-LABEL: @f(
; OLD-O2: shl i32
; NEW-LABEL: @f(
; NEW-NEXT: [[R:%.*]] = xor i32 {{%x, %y|%y, %x}}
; NEW-NEXT: ret i32 [[R]]

define i32 @f(i32 %x, i32 %y) {
  %s = add i32 %x, %y
  %a = and i32 %x, %y
  %t = shl i32 %a, 1
  %r = sub i32 %s, %t
  ret i32 %r
}
