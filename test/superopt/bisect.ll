; Souper-style bisection: every applicable rewrite gets an index in module
; order, and -neuropt-superopt-first-rewrite/-last-rewrite pick the ones to
; apply; -neuropt-superopt-debug prints each candidate with its index.
; -neuropt-superopt-skip-functions leaves matching functions alone.
; RUN: rm -f %t.sqlite
; RUN: neuropt-synth superopt --cache %t.sqlite --import %S/Inputs/neg-lhs.ll --rhs %S/Inputs/neg-rhs.ll
;
; RUN: %opt -passes=neuropt-superopt -neuropt-cache=%t.sqlite -S %s | FileCheck %s --check-prefixes=A0,A1,A2
; RUN: %opt -passes=neuropt-superopt -neuropt-cache=%t.sqlite -neuropt-superopt-debug \
; RUN:   -neuropt-superopt-first-rewrite=1 -neuropt-superopt-last-rewrite=1 -S %s 2>%t.err | FileCheck %s --check-prefixes=K0,A1,K2
; RUN: FileCheck %s --check-prefix=DEBUG < %t.err
; RUN: %opt -passes=neuropt-superopt -neuropt-cache=%t.sqlite \
; RUN:   -neuropt-superopt-first-rewrite=2 -S %s | FileCheck %s --check-prefixes=K0,K1,A2
; RUN: %opt -passes=neuropt-superopt -neuropt-cache=%t.sqlite \
; RUN:   -neuropt-superopt-last-rewrite=0 -S %s | FileCheck %s --check-prefixes=A0,K1,K2
; RUN: %opt -passes=neuropt-superopt -neuropt-cache=%t.sqlite \
; RUN:   -neuropt-superopt-skip-functions='^f[02]$' -S %s | FileCheck %s --check-prefixes=K0,A1,K2
; A bad regular expression is reported and skips nothing.
; RUN: %opt -passes=neuropt-superopt -neuropt-cache=%t.sqlite \
; RUN:   -neuropt-superopt-skip-functions='f[' -S %s 2>%t.regex | FileCheck %s --check-prefixes=A0,A1,A2
; RUN: FileCheck %s --check-prefix=REGEX < %t.regex
; REGEX: warning: bad -neuropt-superopt-skip-functions 'f[': {{.*}}; no function is skipped

; DEBUG: neuropt-superopt: rewrite 0 @f0 DAG [[H:[0-9a-f]{16}]] cost {{[0-9]+}} -> {{[0-9]+}} (skipped: outside -neuropt-superopt-first-rewrite/-last-rewrite)
; DEBUG-NEXT: neuropt-superopt: rewrite 1 @f1 DAG [[H]] cost {{[0-9]+ -> [0-9]+}}{{$}}
; DEBUG-NEXT: neuropt-superopt: rewrite 2 @f2 DAG [[H]] cost {{[0-9]+}} -> {{[0-9]+}} (skipped: outside -neuropt-superopt-first-rewrite/-last-rewrite)

; A0-LABEL: @f0(
; A0-NEXT: %b = sub i32 0, %p
; K0-LABEL: @f0(
; K0-NEXT: %a = xor i32 %p, -1
; A1-LABEL: @f1(
; A1-NEXT: %b = sub i32 0, %p
; K1-LABEL: @f1(
; K1-NEXT: %a = xor i32 %p, -1
; A2-LABEL: @f2(
; A2-NEXT: %b = sub i32 0, %p
; K2-LABEL: @f2(
; K2-NEXT: %a = xor i32 %p, -1

define i32 @f0(i32 %p) {
  %a = xor i32 %p, -1
  %b = add i32 %a, 1
  ret i32 %b
}

define i32 @f1(i32 %p) {
  %a = xor i32 %p, -1
  %b = add i32 %a, 1
  ret i32 %b
}

define i32 @f2(i32 %p) {
  %a = xor i32 %p, -1
  %b = add i32 %a, 1
  ret i32 %b
}
