define i32 @src(ptr %f, i32 %x) {
  %a = add i32 %x, 0
  %r = call i32 %f(i32 %a)
  ret i32 %r
}
define i32 @tgt(ptr %f, i32 %x) {
  %r = call i32 %f(i32 %x)
  ret i32 %r
}
