define i32 @src(i32 %x) {
  %a = add i32 %x, 0
  %r = call i32 asm "bswap $0", "=r,0"(i32 %a)
  ret i32 %r
}
define i32 @tgt(i32 %x) {
  %r = call i32 asm "bswap $0", "=r,0"(i32 %x)
  ret i32 %r
}
