; The target recurses without end: its stack overflows, and the signal
; handler has no stack left to run on, so the child dies.
define i32 @src(i32 %x) {
  ret i32 0
}
define i32 @tgt(i32 %x) {
  %r = call i32 @tgt(i32 %x)
  %s = add i32 %r, 1
  ret i32 %s
}
