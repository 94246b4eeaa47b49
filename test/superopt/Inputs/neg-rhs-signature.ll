; A right-hand side for neg-lhs.ll with the wrong signature.
define i32 @rhs(i32 %x, i32 %y) {
  %r = sub i32 %y, %x
  ret i32 %r
}
