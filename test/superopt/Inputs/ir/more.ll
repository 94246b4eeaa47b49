; The same computations as Inputs/corpus-src/peepholes.c, spelled in IR
; (the hashes repeat), and one more.
define i1 @eq(i32 %a, i32 %b) {
  %x = and i32 %b, %a
  %o = or i32 %a, %b
  %r = icmp eq i32 %x, %o
  ret i1 %r
}

define i32 @odd_square(i32 %x) {
  %o = or i32 %x, 1
  %m = mul i32 %o, %o
  %r = and i32 %m, 7
  ret i32 %r
}
