; TEST-ARGS: -disable-undef-input
define i8 @src(i8 %x) {
  ret i8 %x
}

define i8 @tgt(i8 %x) {
  ret i8 %x
}

; ERROR: a row with options neuropt has none of, kept but not counted
