; Parses, but fails the verifier: %a uses %b before its definition.
define i32 @f(i32 %x) {
  %a = add i32 %b, 1
  %b = add i32 %a, %x
  ret i32 %b
}
