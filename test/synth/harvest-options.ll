; --max-size caps a DAG, turning the operands past the cap into leaves;
; --min-size drops small DAGs; leaves carry known bits and ranges unless
; --no-facts. Roots are only values that leave the integer DAG.
; RUN: neuropt-synth harvest %s | FileCheck %s --check-prefix=DEFAULT
; RUN: neuropt-synth harvest --max-size 2 %s | FileCheck %s --check-prefix=CAP
; RUN: neuropt-synth harvest --min-size 4 %s | FileCheck %s --check-prefix=MIN
; RUN: neuropt-synth harvest --no-facts %s | FileCheck %s --check-prefix=NOFACTS

define i32 @chain(ptr %p, i32 %y) {
  %v = load i32, ptr %p, !range !0
  %a = mul i32 %v, %y
  %b = xor i32 %a, 5
  %c = lshr exact i32 %b, 1
  %d = call i32 @llvm.umin.i32(i32 %c, i32 %y)
  ret i32 %d
}
!0 = !{i32 0, i32 256}

; DEFAULT:      ; dag {{.*}} @chain %d size=4 leaves=2 hash=
; DEFAULT-NEXT: %0 = leaf i32 known=000000000000000000000000xxxxxxxx range=[0,256)
; DEFAULT-NEXT: %1 = leaf i32
; DEFAULT-NEXT: %2 = mul i32 %0, %1
; DEFAULT-NEXT: %3 = xor i32 %2, i32 5
; DEFAULT-NEXT: %4 = lshr exact i32 %3, i32 1
; DEFAULT-NEXT: %5 = llvm.umin i32 %4, %1
; DEFAULT-NEXT: root %5
; DEFAULT:      ; summary: 1 files, 0 failed, 1 functions, 1 DAGs, 1 distinct hashes

; CAP:      ; dag {{.*}} @chain %d size=2 leaves=2 hash=
; CAP-NEXT: %0 = leaf i32
; CAP-NEXT: %1 = leaf i32
; CAP-NEXT: %2 = lshr exact i32 %0, i32 1
; CAP-NEXT: %3 = llvm.umin i32 %2, %1
; CAP-NEXT: root %3

; MIN: ; dag {{.*}} @chain %d size=4
; MIN: ; summary: 1 files, 0 failed, 1 functions, 1 DAGs, 1 distinct hashes
; RUN: neuropt-synth harvest --min-size 5 %s | FileCheck %s --check-prefix=MIN5
; MIN5-NOT: ; dag
; MIN5: ; summary: 1 files, 0 failed, 1 functions, 0 DAGs, 0 distinct hashes

; NOFACTS:      ; dag {{.*}} @chain %d size=4 leaves=2 hash=
; NOFACTS-NEXT: %0 = leaf i32{{$}}
