; Harvesting runs on optimized IR: after -O2, the two spellings of one
; computation below (one with the operands in the other order and a
; redundant round trip through a local) produce the same DAG hash.
; RUN: opt -passes='default<O2>' %s -S -o %t.ll
; RUN: neuropt-synth harvest --min-size 2 %t.ll | FileCheck %s

; CHECK: ; dag {{.*}} @avg_a {{%[0-9a-z.]+}} size=[[N:[0-9]+]] leaves=2 hash=[[H:[0-9a-f]{16}]]
; CHECK: ; dag {{.*}} @avg_b {{%[0-9a-z.]+}} size=[[N]] leaves=2 hash=[[H]]
; CHECK: ; summary: 1 files, 0 failed, 2 functions, 2 DAGs, 1 distinct hashes

define i32 @avg_a(i32 %x, i32 %y) {
  %a = and i32 %x, %y
  %b = xor i32 %x, %y
  %c = lshr i32 %b, 1
  %d = add i32 %a, %c
  ret i32 %d
}

define i32 @avg_b(i32 %p, i32 %q) {
  %slot = alloca i32
  %b = xor i32 %q, %p
  %c = lshr i32 %b, 1
  store i32 %c, ptr %slot
  %a = and i32 %q, %p
  %r = load i32, ptr %slot
  %d = add i32 %r, %a
  ret i32 %d
}
