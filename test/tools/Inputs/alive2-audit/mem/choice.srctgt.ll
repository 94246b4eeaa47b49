; A choice of the source picks which global it writes; the target writes
; neither. Refined under no single choice.
@p = global i8 0
@q = global i8 0

define void @src() {
  %c = freeze i1 poison
  br i1 %c, label %a, label %b
a:
  store i8 0, ptr @p
  ret void
b:
  store i8 0, ptr @q
  ret void
}

define void @tgt() {
  ret void
}

; ERROR: Mismatch in memory
