define i8 @f(i8 %x) {
  %r = shl i8 %x, 1
  ret i8 %r
}
define i8 @g(i8 %x) {
  %r = shl i8 %x, 1
  ret i8 %r
}
