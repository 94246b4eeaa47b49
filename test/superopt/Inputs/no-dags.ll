; A module without integer DAGs.
define void @nothing() {
  ret void
}
