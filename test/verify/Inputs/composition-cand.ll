; A wrong candidate: @g calls @f as -Oz's @g does, but @f is the source's,
; which does read its argument. @g stores 1 or 2 where the source stores 1.
@G = global i32 0

define internal void @f(i32 %x) noinline {
  %fx = freeze i32 %x
  %c = icmp eq i32 %fx, 5
  br i1 %c, label %five, label %other
five:
  store i32 1, ptr @G
  ret void
other:
  store i32 2, ptr @G
  ret void
}

define void @g() {
  call void @f(i32 poison)
  ret void
}
