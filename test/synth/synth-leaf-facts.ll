; Leaf facts count: with %x known to be below 256 (a range attribute), the
; mask is a no-op and the cheapest form is %x itself. Without the fact there
; is nothing cheaper than the `and`.
; RUN: neuropt-synth synth %s --function known --filter cpu --budget-ms 20000 | FileCheck %s --check-prefix=KNOWN
; RUN: neuropt-synth synth %s --function unknown --filter cpu --budget-ms 20000 | FileCheck %s --check-prefix=UNKNOWN

; KNOWN:      ; lhs {{[0-9a-f]+}} cost 2, rhs cost 0
; KNOWN:      define i32 @rhs(i32 range(i32 0, 256) %0) {
; KNOWN-NEXT: entry:
; KNOWN-NEXT:   ret i32 %0

; UNKNOWN:     ; lhs {{[0-9a-f]+}} cost 2: no cheaper form
; UNKNOWN-NOT: define

define i32 @known(i32 range(i32 0, 256) %x) {
  %r = and i32 %x, 255
  ret i32 %r
}

define i32 @unknown(i32 %x) {
  %r = and i32 %x, 255
  ret i32 %r
}
