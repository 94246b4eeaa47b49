; The cost model judges IR; what users get is code. With
; -neuropt-superopt-measure=size every function optimized for size (optsize,
; minsize: clang -Os, -Oz) that the pass rewrites is generated twice, with
; and without its rewrites (one module that defines only the two versions),
; and its rewrites are undone unless its code shrinks by at least
; -neuropt-superopt-min-bytes-saved (default 0: never larger). Internal
; functions are measured like external ones; @h, not optimized for size, is
; measured only with -neuropt-superopt-measure=all. By default nothing is
; measured (=none).
; RUN: rm -f %t.sqlite
; RUN: %opt -passes=neuropt-superopt -neuropt-superopt-mode=synthesize -neuropt-cache=%t.sqlite \
; RUN:   -neuropt-superopt-budget-ms=5000 -neuropt-superopt-measure=size -neuropt-superopt-stats \
; RUN:   -pass-remarks-analysis=neuropt-superopt -S %s -o %t.ll 2>%t.err
; RUN: FileCheck %s --check-prefix=KEPT < %t.ll
; RUN: FileCheck %s --check-prefix=MEASURED < %t.err
;
; Demanding more than the rewrites save undoes them, with a remark; the
; function is exactly as it was.
; RUN: %opt -passes=neuropt-superopt -neuropt-cache=%t.sqlite -neuropt-superopt-min-bytes-saved=1000 \
; RUN:   -neuropt-superopt-measure=size -neuropt-superopt-stats -pass-remarks-missed=neuropt-superopt \
; RUN:   -S %s -o %t.undone.ll 2>%t.undone.err
; RUN: FileCheck %s --check-prefixes=ORIGINAL,HKEPT < %t.undone.ll
; RUN: FileCheck %s --check-prefix=UNDONE < %t.undone.err
;
; RUN: %opt -passes=neuropt-superopt -neuropt-cache=%t.sqlite -neuropt-superopt-min-bytes-saved=1000 \
; RUN:   -neuropt-superopt-measure=all -neuropt-superopt-stats -S %s 2>%t.all.err | FileCheck %s --check-prefixes=ORIGINAL,HORIG
; RUN: FileCheck %s --check-prefix=ALL < %t.all.err
;
; Without measurement (the default) the same demand is not checked.
; RUN: %opt -passes=neuropt-superopt -neuropt-cache=%t.sqlite -neuropt-superopt-min-bytes-saved=1000 \
; RUN:   -neuropt-superopt-stats -S %s 2>%t.off.err | FileCheck %s --check-prefix=KEPT
; RUN: FileCheck %s --check-prefix=OFF < %t.off.err
;
; Functions bigger than -neuropt-superopt-measure-max-insts are not
; measured (generating them twice would cost more than the rewrites are
; worth): their rewrites rest on the cost model, with a remark.
; RUN: %opt -passes=neuropt-superopt -neuropt-cache=%t.sqlite -neuropt-superopt-min-bytes-saved=1000 \
; RUN:   -neuropt-superopt-measure=size -neuropt-superopt-measure-max-insts=2 \
; RUN:   -pass-remarks-analysis=neuropt-superopt -S %s 2>%t.big.err \
; RUN:   | FileCheck %s --check-prefix=KEPT
; RUN: FileCheck %s --check-prefix=BIG < %t.big.err
;
; Only ELF objects are measured; elsewhere the proved rewrites stay, with a
; remark that says so.
; RUN: %opt -mtriple=x86_64-apple-macosx -passes=neuropt-superopt -neuropt-cache=%t.sqlite \
; RUN:   -neuropt-superopt-measure=size -neuropt-superopt-min-bytes-saved=1000 \
; RUN:   -pass-remarks-analysis=neuropt-superopt -S %s 2>%t.macho.err \
; RUN:   | FileCheck %s --check-prefix=KEPT
; RUN: FileCheck %s --check-prefix=MACHO < %t.macho.err

; MEASURED-DAG: remark: {{.*}}rewritten @f ({{[0-9]+}} instructions): {{[0-9]+}} -> {{[0-9]+}} bytes of code
; MEASURED-DAG: remark: {{.*}}rewritten @g ({{[0-9]+}} instructions): {{[0-9]+}} -> {{[0-9]+}} bytes of code
; MEASURED-NOT: rewritten @h
; MEASURED: neuropt-superopt: {{.*}} 3 rewrites, 0 rejected, 0 undone (2 functions measured)
; KEPT-LABEL: @f(
; KEPT-NEXT: [[A:%.*]] = and i32 {{%x, %y|%y, %x}}
; KEPT-NEXT: [[R:%.*]] = icmp eq i32 [[A]], 0
; KEPT-NEXT: ret i1 [[R]]
; KEPT-LABEL: @g(
; KEPT-NEXT: [[A:%.*]] = and i32 {{%x, %y|%y, %x}}
; KEPT-LABEL: @h(
; KEPT-NEXT: [[A:%.*]] = and i32 {{%x, %y|%y, %x}}

; ORIGINAL-LABEL: @f(
; ORIGINAL-NEXT: %a = xor i32 %y, %x
; ORIGINAL-NEXT: %o = or i32 %y, %x
; ORIGINAL-NEXT: %r = icmp eq i32 %a, %o
; ORIGINAL-NEXT: ret i1 %r
; ORIGINAL-LABEL: @g(
; ORIGINAL-NEXT: %a = xor i32 %x, %y
; HKEPT-LABEL: @h(
; HKEPT-NEXT: [[A:%.*]] = and i32 {{%x, %y|%y, %x}}
; HORIG-LABEL: @h(
; HORIG-NEXT: %a = xor i32 %y, %x
; UNDONE-DAG: remark: {{.*}}rewrites of @f undone: its code would only go from {{[0-9]+}} to {{[0-9]+}} bytes (-neuropt-superopt-min-bytes-saved=1000)
; UNDONE-DAG: remark: {{.*}}rewrites of @g undone: its code would only go from
; UNDONE: neuropt-superopt: {{.*}} 1 rewrites, 0 rejected, 2 undone (2 functions measured)
; ALL: neuropt-superopt: {{.*}} 0 rewrites, 0 rejected, 3 undone (3 functions measured), 0 skipped by bisection, 0 instructions saved, cost saved 0
; OFF: neuropt-superopt: {{.*}} 3 rewrites, 0 rejected, 0 undone (0 functions measured)
; BIG: remark: {{.*}}rewrites of @f kept without measuring their code: it has 3 instructions (-neuropt-superopt-measure-max-insts=2)
; MACHO: remark: {{.*}}rewrites of @f kept without measuring their code: only ELF objects are measured

define i1 @f(i32 %x, i32 %y) minsize {
  %a = xor i32 %y, %x
  %o = or i32 %y, %x
  %r = icmp eq i32 %a, %o
  ret i1 %r
}

define internal i1 @g(i32 %x, i32 %y) optsize {
  %a = xor i32 %x, %y
  %o = or i32 %x, %y
  %r = icmp eq i32 %a, %o
  %n = xor i1 %r, true
  ret i1 %n
}

define i1 @h(i32 %x, i32 %y) {
  %a = xor i32 %y, %x
  %o = or i32 %y, %x
  %r = icmp eq i32 %a, %o
  ret i1 %r
}

define i1 @use(i32 %x) {
  %r = call i1 @g(i32 %x, i32 1)
  ret i1 %r
}
