; After a call, the bytes the callee may have written may be undef or
; uninitialised, so a value loaded there, added and branched on is only
; approximated, and the commuted addition stays unknown by default
; (bench/results/verify.md, session 45). --assume-defined-inputs takes
; callees to write no undef or uninitialised bytes, as it takes the
; arguments and the memory at entry to hold none: proved for such inputs.
; RUN: not neuropt-verify %s | FileCheck --check-prefix=ALL %s
; RUN: neuropt-verify --assume-defined-inputs %s | FileCheck %s
; ALL: verdict: unknown (approximated: branch on partially undef value
; CHECK: verdict: proved (for inputs without undef bits)

declare void @g(ptr)

define void @src(ptr noundef %p, i32 noundef %y) {
entry:
  call void @g(ptr %p)
  %v = load i32, ptr %p, align 4
  %s = add i32 %v, %y
  %c = icmp eq i32 %s, 0
  br i1 %c, label %zero, label %done
zero:
  store i32 %s, ptr %p, align 4
  br label %done
done:
  ret void
}

define void @tgt(ptr noundef %p, i32 noundef %y) {
entry:
  call void @g(ptr %p)
  %v = load i32, ptr %p, align 4
  %s = add i32 %y, %v
  %c = icmp eq i32 %s, 0
  br i1 %c, label %zero, label %done
zero:
  store i32 %s, ptr %p, align 4
  br label %done
done:
  ret void
}
