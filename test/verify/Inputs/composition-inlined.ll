; @g of composition-source.ll (src) and of composition-cand.ll (tgt), each
; with its @f inlined.
@G = global i32 0

define void @src() {
  %fx = freeze i32 5
  %c = icmp eq i32 %fx, 5
  br i1 %c, label %five, label %other
five:
  store i32 1, ptr @G
  ret void
other:
  store i32 2, ptr @G
  ret void
}

define void @tgt() {
  %fx = freeze i32 poison
  %c = icmp eq i32 %fx, 5
  br i1 %c, label %five, label %other
five:
  store i32 1, ptr @G
  ret void
other:
  store i32 2, ptr @G
  ret void
}
