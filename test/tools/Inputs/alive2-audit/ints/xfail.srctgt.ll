; An XFAIL test: Alive2 expects to fail on it, so it is listed, not counted.
define i8 @src(i8 %x) {
  %r = add i8 %x, 1
  ret i8 %r
}
define i8 @tgt(i8 %x) {
  %r = add i8 %x, 2
  ret i8 %r
}
; XFAIL: Unsupported metadata
