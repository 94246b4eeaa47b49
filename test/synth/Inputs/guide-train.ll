; Low-bit tests that survive -O2 and have a cheaper form under the cost
; model (trunc to i1, then xor), at four widths: four distinct problems.
define i1 @t8(i8 %x) {
  %a = and i8 %x, 1
  %c = icmp eq i8 %a, 0
  ret i1 %c
}
define i1 @t16(i16 %x) {
  %a = and i16 %x, 1
  %c = icmp eq i16 %a, 0
  ret i1 %c
}
define i1 @t32(i32 %x) {
  %a = and i32 %x, 1
  %c = icmp eq i32 %a, 0
  ret i1 %c
}
define i1 @t64(i64 %x) {
  %a = and i64 %x, 1
  %c = icmp eq i64 %a, 0
  ret i1 %c
}
