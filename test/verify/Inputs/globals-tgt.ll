@w = constant i32 0
@c = constant i32 2
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

; Only in the target's module: a variable (a dead store one pipeline kept)
; and a constant (a lookup table one pipeline made).
@only_tgt = internal global i32 0
@table = private constant [2 x i8] c"\05\07"

define void @store_only_tgt() {
  store i32 1, ptr @only_tgt
  ret void
}
; A variable only the target's module has, read there: its state is the
; target's alone. One stored to with a volatile store: the store is an
; event of the environment.
@only_tgt_read = internal global i32 0
@only_tgt_volatile = internal global i32 0
define void @store_only_tgt_read() {
  store i32 1, ptr @only_tgt_read
  ret void
}
define i32 @read_only_tgt_read() {
  %v = load i32, ptr @only_tgt_read
  ret i32 %v
}
define void @store_only_tgt_volatile() {
  store volatile i32 1, ptr @only_tgt_volatile
  ret void
}
define i8 @lookup(i1 noundef %c) {
  %p1 = getelementptr i8, ptr @table, i64 1
  %p = select i1 %c, ptr %p1, ptr @table
  %v = load i8, ptr %p
  ret i8 %v
}

@ps = constant ptr @same
@pt = constant ptr @same

define ptr @read_ptr_same() {
  %v = load ptr, ptr @ps
  ret ptr %v
}
define ptr @read_ptr_other() {
  %v = load ptr, ptr @pt
  ret ptr %v
}
