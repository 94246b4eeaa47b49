; `synth` replaces the value @lhs returns by a cheaper form that the verifier
; proves; the output is itself IR (comments, then the module with @rhs), so
; it is checked again here with neuropt-verify.
; RUN: neuropt-synth synth %s --filter cpu --budget-ms 20000 > %t.out
; RUN: FileCheck %s < %t.out
; RUN: sed 's/@rhs/@lhs/' %t.out > %t.tgt.ll
; RUN: neuropt-verify %s %t.tgt.ll --function lhs | FileCheck %s --check-prefix=PROOF

; (x << 3) >> 3 clears the top three bits: one `and` with a constant that
; CEGIS synthesizes (the LHS mentions only 3).
; CHECK:      ; lhs {{[0-9a-f]+}} cost 4, rhs cost 2
; CHECK-NEXT: ; {{[0-9]+}} candidates, {{[0-9]+}} pruned, {{[0-9]+}} filtered, {{[0-9]+}} solver calls
; CHECK-NEXT: ; verdict: proved
; CHECK-NEXT: ; engine: smt
; CHECK-NEXT: ; smt2-fnv1a: {{[0-9a-f]+}}
; CHECK:      define i32 @rhs(i32 %0) {
; CHECK-NEXT: entry:
; CHECK-NEXT:   %1 = and i32 %0, 536870911
; CHECK-NEXT:   ret i32 %1
; CHECK-NEXT: }
; PROOF: verdict: proved

define i32 @lhs(i32 %x) {
  %a = shl i32 %x, 3
  %r = lshr i32 %a, 3
  ret i32 %r
}
