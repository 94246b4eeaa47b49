; A wrong right-hand side for neg-lhs.ll: x is not ~x + 1.
define i32 @rhs(i32 %x) {
  ret i32 %x
}
