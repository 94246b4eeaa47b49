; Not LLVM IR at all.
define i32 @rhs(i32 %x) {
  %r = sub i32 0, %x,
