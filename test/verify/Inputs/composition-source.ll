; The unoptimized source: @g always calls the internal @f with 5.
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
  call void @f(i32 5)
  ret void
}
