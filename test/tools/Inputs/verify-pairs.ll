target datalayout = "e-m:e-p270:32:32-p271:32:32-p272:64:64-i64:64-i128:128-f80:128-n8:16:32:64-S128"
target triple = "x86_64-pc-linux-gnu"

define i32 @twice(i32 noundef %x) {
  %a = alloca i32
  store i32 %x, ptr %a
  %v = load i32, ptr %a
  %r = add i32 %v, %v
  ret i32 %r
}

define i32 @same(i32 noundef %x) {
  ret i32 %x
}
