define i32 @g(i32 %x) {
  %y = add i32 %x, 1
  ret i32 %y
}
