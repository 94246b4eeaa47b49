; Both functions store one byte 3,000 bytes past %p. Each pointer argument
; points at the middle of a page of its own, with pages around it that may
; not be accessed, so the store faults on every input (the source's fault
; is UB: the input is skipped) rather than writing over the child's heap.
define void @src(ptr %p) {
  %q = getelementptr i8, ptr %p, i64 3000
  store i8 0, ptr %q
  ret void
}
define void @tgt(ptr %p) {
  %q = getelementptr i8, ptr %p, i64 3000
  store i8 0, ptr %q
  ret void
}
