define i8 @f(i8 %x) {
  %r = mul i8 %x, 2
  ret i8 %r
}
define i8 @g(i8 %x) {
  %r = add i8 %x, %x
  ret i8 %r
}
define i8 @only_src(i8 %x) {
  ret i8 %x
}
