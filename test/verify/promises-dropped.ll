; A target that is the source with promises dropped (flags, attributes,
; metadata, a load's alignment, a tail marker) refines it by construction:
; proved without the solver, even around an instruction the encoder does
; not model (a vector load here).
; RUN: neuropt-verify %s | FileCheck %s
; CHECK: verdict: proved
; The same target with a promise the source does not make (noundef on the
; call's argument) goes to the solver, which does not take the vector load.
; RUN: sed -e 's/^  call void @use(<4 x i32> %v)/  call void @use(<4 x i32> noundef %v)/' %s > %t.ll
; RUN: not neuropt-verify %t.ll | FileCheck %s --check-prefix=MORE
; MORE: verdict: unknown (unsupported: vector load)
; Two-file mode reads both files into one context, so the rule applies
; there too, with the second file's struct types renamed.
; RUN: sed -e 's/@src(/@f(/' -e 's/@tgt(/@t(/' %s > %t.src.ll
; RUN: sed -e 's/@src(/@s(/' -e 's/@tgt(/@f(/' %s > %t.tgt.ll
; RUN: neuropt-verify --function=f %t.src.ll %t.tgt.ll | FileCheck %s

%struct.S = type { i32, i32 }

declare void @use(<4 x i32>)

define noundef i32 @src(ptr noundef nonnull align 16 %p, i32 %x) {
  %v = load <4 x i32>, ptr %p, align 16, !noundef !0
  tail call void @use(<4 x i32> %v) #0
  %y = shl nuw nsw i32 %x, 2
  %q = getelementptr inbounds nuw %struct.S, ptr %p, i64 1, i32 1
  %w = load i32, ptr %q, align 4
  %r = add nuw nsw i32 %y, %w
  ret i32 %r
}

define i32 @tgt(ptr %p, i32 %x) {
  %v = load <4 x i32>, ptr %p, align 4
  call void @use(<4 x i32> %v)
  %y = shl nsw i32 %x, 2
  %q = getelementptr inbounds %struct.S, ptr %p, i64 1, i32 1
  %w = load i32, ptr %q, align 1
  %r = add nsw i32 %y, %w
  ret i32 %r
}

attributes #0 = { nounwind }
!0 = !{}
