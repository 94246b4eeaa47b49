declare i32 @ext(i32)
define i32 @src(i32 %x) {
  %r = call i32 @ext(i32 %x)
  ret i32 %r
}
define i32 @tgt(i32 %x) {
  %r = call i32 @ext(i32 %x)
  ret i32 %r
}
