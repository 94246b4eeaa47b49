; The synthesis budget is counted in work units (Z3's resource count plus
; fixed charges for enumeration, filtering and forked children), not in
; time, so a problem gives the same answer and the same statistics on every
; run however loaded the machine is; only the seconds differ.
; RUN: neuropt-synth synth %s --filter cpu --json > %t.a.json
; RUN: neuropt-synth synth %s --filter cpu --json > %t.b.json
; RUN: grep -v '"seconds"' %t.a.json > %t.a
; RUN: grep -v '"seconds"' %t.b.json > %t.b
; RUN: diff %t.a %t.b
; RUN: FileCheck %s --check-prefix=FOUND < %t.a.json
; A budget below what the search needs stops it at the same place on
; every run, and says which budget ran out.
; RUN: neuropt-synth synth %s --filter cpu --json --budget-units 20000 > %t.c.json
; RUN: neuropt-synth synth %s --filter cpu --json --budget-units 20000 > %t.d.json
; RUN: grep -v '"seconds"' %t.c.json > %t.c
; RUN: grep -v '"seconds"' %t.d.json > %t.d
; RUN: diff %t.c %t.d
; RUN: FileCheck %s --check-prefix=SHORT < %t.c.json
; RUN: neuropt-synth synth %s --filter cpu --budget-units 20000 | FileCheck %s --check-prefix=TEXT

; FOUND: "status": "found",
; FOUND: "units": {{[1-9][0-9]*}},
; SHORT: "status": "budget",
; SHORT: "reason": "budget of 20000 work units",
; SHORT: "units": {{[1-9][0-9]*}},
; TEXT: ; lhs {{[0-9a-f]+}} cost {{[0-9]+}}: budget (budget of 20000 work units)
; TEXT-NEXT: ; {{.*}} cpu filter, {{[0-9]+}} work units, {{[0-9.]+}} s

; (x & 0xF0) | (x & 0x30C) is x & 0x3FC: CEGIS must find 0x3FC.
define i32 @lhs(i32 %x) {
  %a = and i32 %x, 240
  %b = and i32 %x, 780
  %r = or i32 %a, %b
  ret i32 %r
}
