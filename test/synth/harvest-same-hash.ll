; The same computation in two functions and two files hashes the same; a
; different constant, flag or width does not.
; RUN: neuropt-synth harvest --min-size 2 %s %S/Inputs/clamp-other.ll | FileCheck %s

; CHECK:      ; dag {{.*}}harvest-same-hash.ll @clamp_a %r size=4 leaves=2 hash=[[H:[0-9a-f]{16}]]
; CHECK-NEXT: %0 = leaf i32
; CHECK-NEXT: %1 = leaf i32
; CHECK-NEXT: %2 = add nsw i32 %0, i32 -1
; CHECK-NEXT: %3 = shl nuw i32 %1, i32 2
; CHECK-NEXT: %4 = icmp sgt i32 %2, %3
; CHECK-NEXT: %5 = select i32 %4, %3, %2
; CHECK-NEXT: root %5
define i32 @clamp_a(i32 %x, i32 %n) {
  %s = shl nuw i32 %x, 2
  %m = add nsw i32 %n, -1
  %c = icmp slt i32 %s, %m
  %r = select i1 %c, i32 %s, i32 %m
  ret i32 %r
}

; CHECK:      ; dag {{.*}} @clamp_b %r size=4 leaves=2 hash=[[H]]
define i32 @clamp_b(i32 %n, i32 %x) {
  %m = add nsw i32 %n, -1
  %s = shl nuw i32 %x, 2
  %c = icmp sgt i32 %m, %s
  %r = select i1 %c, i32 %s, i32 %m
  ret i32 %r
}

; CHECK:      ; dag {{.*}} @other_constant %r size=4 leaves=2 hash=
; CHECK-NOT:  [[H]]
; CHECK-SAME: {{$}}
define i32 @other_constant(i32 %x, i32 %n) {
  %s = shl nuw i32 %x, 3
  %m = add nsw i32 %n, -1
  %c = icmp slt i32 %s, %m
  %r = select i1 %c, i32 %s, i32 %m
  ret i32 %r
}

; CHECK:      ; dag {{.*}} @other_flag %r size=4 leaves=2 hash=
; CHECK-NOT:  [[H]]
; CHECK-SAME: {{$}}
define i32 @other_flag(i32 %x, i32 %n) {
  %s = shl i32 %x, 2
  %m = add nsw i32 %n, -1
  %c = icmp slt i32 %s, %m
  %r = select i1 %c, i32 %s, i32 %m
  ret i32 %r
}

; CHECK:      ; dag {{.*}} @other_width %r size=4 leaves=2 hash=
; CHECK-NOT:  [[H]]
; CHECK-SAME: {{$}}
define i64 @other_width(i64 %x, i64 %n) {
  %s = shl nuw i64 %x, 2
  %m = add nsw i64 %n, -1
  %c = icmp slt i64 %s, %m
  %r = select i1 %c, i64 %s, i64 %m
  ret i64 %r
}

; CHECK:      ; dag {{.*}}clamp-other.ll @elsewhere %sel size=4 leaves=2 hash=[[H]]
; CHECK:      ; summary: 2 files, 0 failed, 6 functions, 6 DAGs, 4 distinct hashes
