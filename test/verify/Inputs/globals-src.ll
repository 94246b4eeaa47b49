@w = global i32 0
@c = constant i32 1
@same = constant [2 x i8] c"ab"

define i32 @read_w() {
  %v = load i32, ptr @w
  ret i32 %v
}
define i32 @read_c() {
  %v = load i32, ptr @c
  ret i32 %v
}
define i8 @read_same(i64 %i) {
  %p = getelementptr [2 x i8], ptr @same, i64 0, i64 %i
  %v = load i8, ptr %p
  ret i8 %v
}

define void @store_only_tgt() {
  ret void
}
define void @store_only_tgt_read() {
  ret void
}
define void @store_only_tgt_volatile() {
  ret void
}
define i8 @lookup(i1 noundef %c) {
  %v = select i1 %c, i8 7, i8 5
  ret i8 %v
}

; Constants the encoder cannot spell out as bytes (pointers): compared as
; initializers, globals by name.
@ps = constant ptr @same
@pt = constant ptr @c

define ptr @read_ptr_same() {
  %v = load ptr, ptr @ps
  ret ptr %v
}
define ptr @read_ptr_other() {
  %v = load ptr, ptr @pt
  ret ptr %v
}
