define i8 @f(i8 %x) {
  ret i8 %x
}
