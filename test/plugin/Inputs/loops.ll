; Two nested loops, a call, a global and a switch: exercises most feature groups.
@g = internal global [10 x i32] zeroinitializer, align 4

declare i32 @ext(i32)

define internal i32 @sq(i32 %x) {
entry:
  %m = mul nsw i32 %x, %x
  ret i32 %m
}

define i32 @sum(i32 %n) {
entry:
  br label %outer

outer:
  %i = phi i32 [ 0, %entry ], [ %i.next, %outer.latch ]
  %s = phi i32 [ 0, %entry ], [ %s.inner, %outer.latch ]
  %c = icmp slt i32 %i, %n
  br i1 %c, label %inner, label %exit

inner:
  %j = phi i32 [ 0, %outer ], [ %j.next, %inner ]
  %s.inner = phi i32 [ %s, %outer ], [ %s.add, %inner ]
  %q = call i32 @sq(i32 %j)
  %idx = sext i32 %j to i64
  %p = getelementptr inbounds [10 x i32], ptr @g, i64 0, i64 %idx
  %v = load i32, ptr %p, align 4
  %x = xor i32 %q, %v
  %s.add = add nsw i32 %s.inner, %x
  %j.next = add nuw nsw i32 %j, 1
  %cj = icmp slt i32 %j.next, %i
  br i1 %cj, label %inner, label %outer.latch

outer.latch:
  %i.next = add nuw nsw i32 %i, 1
  br label %outer

exit:
  switch i32 %s, label %def [ i32 0, label %zero
                              i32 1, label %one ]
zero:
  ret i32 0
one:
  %e = call i32 @ext(i32 1)
  ret i32 %e
def:
  store i32 %s, ptr @g, align 4
  ret i32 %s
}
