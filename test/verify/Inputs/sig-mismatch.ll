define i32 @src(i32 %x) {
  ret i32 %x
}
define i64 @tgt(i32 %x) {
  %r = zext i32 %x to i64
  ret i64 %r
}
