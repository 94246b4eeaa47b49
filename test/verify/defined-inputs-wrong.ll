; A counterexample under --assume-defined-inputs is an input without undef
; bits, which is an input: the refutation stands. Here the target stores
; one more than the source, whatever the memory at entry held.
; RUN: not neuropt-verify --assume-defined-inputs %s | FileCheck %s
; CHECK: verdict: refuted

define void @src(ptr noundef %p) {
  %v = load i32, ptr %p, align 4
  %r = shl i32 %v, 1
  store i32 %r, ptr %p, align 4
  ret void
}

define void @tgt(ptr noundef %p) {
  %v = load i32, ptr %p, align 4
  %a = add i32 %v, %v
  %r = add i32 %a, 1
  store i32 %r, ptr %p, align 4
  ret void
}
