define i32 @f(i32 %x) {
  %r = shl i32 %x, 2
  ret i32 %r
}
define i32 @g(i32 %x) {
  %r = add i32 %x, 1
  ret i32 %r
}
