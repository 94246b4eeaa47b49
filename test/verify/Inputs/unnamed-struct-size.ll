%0 = type { i64, i32 }
define i64 @src() {
  ret i64 ptrtoint (ptr getelementptr (%0, ptr null, i32 1) to i64)
}
define i64 @tgt() {
  ret i64 16
}
