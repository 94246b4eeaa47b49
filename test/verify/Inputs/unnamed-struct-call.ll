%0 = type { i64, i32 }
declare %0 @make()
define i64 @src() {
  %r = call %0 @make()
  %v = extractvalue %0 %r, 0
  ret i64 %v
}
define i64 @tgt() {
  %r = call %0 @make()
  %v = extractvalue %0 %r, 0
  %w = add i64 %v, 0
  ret i64 %w
}
