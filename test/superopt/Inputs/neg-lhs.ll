; The DAG (~x + 1) of @lhs, for `neuropt-synth superopt --import`.
define i32 @lhs(i32 %x) {
  %a = xor i32 %x, -1
  %b = add i32 %a, 1
  ret i32 %b
}
