define i32 @lhs(i32 %a) {
  %r = mul i32 %a, 4
  ret i32 %r
}

define void @void() {
  ret void
}

define i32 @sat(i32 %x, i32 %y) {
  %r = call i32 @llvm.ushl.sat.i32(i32 %x, i32 %y)
  ret i32 %r
}
