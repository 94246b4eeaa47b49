; A correct optimization of composition-source.ll, of the kind -Oz makes:
; interprocedural constant propagation specialises the internal @f to its
; only caller's argument, which is then dead, and the call passes poison
; (here the parameter is kept, so that @f keeps its signature).
@G = global i32 0

define internal void @f(i32 %x) noinline {
  store i32 1, ptr @G
  ret void
}

define void @g() {
  call void @f(i32 poison)
  ret void
}
