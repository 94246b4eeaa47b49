; A right-hand side for neg-lhs.ll that is not an integer DAG.
@g = global i32 0
define i32 @rhs(i32 %x) {
  %v = load i32, ptr @g
  %r = sub i32 %v, %x
  ret i32 %r
}
