; A correct, cheaper right-hand side for neg-lhs.ll: -x.
define i32 @rhs(i32 %x) {
  %r = sub i32 0, %x
  ret i32 %r
}
