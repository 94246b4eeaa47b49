; One add of two unknowns has no cheaper form; --json reports it with the
; search statistics. The only cheaper candidates, %a, %b and a constant, are
; pruned without evaluation: the result depends on both leaves. A tiny
; budget reports "budget".
; RUN: neuropt-synth synth %s --filter cpu --json | FileCheck %s
; RUN: neuropt-synth synth %s --function big --filter cpu --budget-ms 1 | FileCheck %s --check-prefix=BUDGET

; CHECK:      "status": "none-cheaper",
; CHECK-NEXT: "hash": "{{[0-9a-f]+}}",
; CHECK-NEXT: "lhs_cost": 2,
; CHECK-NEXT: "stats": {
; CHECK-NEXT:   "enumerated": 3,
; CHECK-NEXT:   "pruned": 3,
; CHECK:        "backend": "cpu",

; BUDGET: ; lhs {{[0-9a-f]+}} cost {{[0-9]+}}: budget (budget of 2000 work units)

define i32 @lhs(i32 %a, i32 %b) {
  %r = add i32 %a, %b
  ret i32 %r
}

define i32 @big(i32 %x, i32 %y, i32 %z) {
  %a = mul i32 %x, %y
  %b = udiv i32 %a, %z
  %c = xor i32 %b, %x
  %d = urem i32 %c, %y
  %e = sub i32 %d, %z
  ret i32 %e
}
