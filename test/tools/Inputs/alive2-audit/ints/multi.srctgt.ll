; Several pairs in one file, @srcX against @tgtX: the second is wrong.
; ERROR: Value mismatch
define i8 @src_1(i8 %x) {
  %r = mul i8 %x, 2
  ret i8 %r
}
define i8 @tgt_1(i8 %x) {
  %r = shl i8 %x, 1
  ret i8 %r
}
define i8 @src.2(i8 %x) {
  %r = add i8 %x, 1
  ret i8 %r
}
define i8 @tgt.2(i8 %x) {
  %r = add i8 %x, 2
  ret i8 %r
}
