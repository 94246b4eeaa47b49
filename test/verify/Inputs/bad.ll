define i32 @src(i32 %x) {
  %r = add i32 %x,
  ret i32 %r
}
