; Refuting this needs a factorisation of a 62-bit semiprime.
define i1 @src(i64 %x, i64 %y) {
  %a = zext i64 %x to i128
  %b = zext i64 %y to i128
  %m = mul i128 %a, %b
  %c = icmp eq i128 %m, 4611686014132420609
  %x1 = icmp ugt i64 %x, 1
  %y1 = icmp ugt i64 %y, 1
  %c1 = and i1 %c, %x1
  %c2 = and i1 %c1, %y1
  ret i1 %c2
}
define i1 @tgt(i64 %x, i64 %y) {
  ret i1 false
}
