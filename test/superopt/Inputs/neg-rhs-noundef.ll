; A right-hand side for neg-lhs.ll that was proved assuming its argument is
; never undef or poison (noundef).
define i32 @rhs(i32 noundef %x) {
  %r = sub i32 0, %x
  ret i32 %r
}
