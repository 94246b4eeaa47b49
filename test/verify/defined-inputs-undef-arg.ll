; --assume-defined-inputs verifies for inputs without undef bits only. An
; undef %x makes `shl %x, 1` even, while `add %x, %x` may read two different
; values of %x and be odd, so the rewrite is wrong in general (refuted by
; default) and right for defined inputs, which the proof's line says.
; RUN: not neuropt-verify %s | FileCheck --check-prefix=ALL %s
; RUN: neuropt-verify --assume-defined-inputs %s | FileCheck %s
; RUN: neuropt-verify --assume-defined-inputs --json %s | FileCheck --check-prefix=JSON %s
; ALL: verdict: refuted
; CHECK: verdict: proved (for inputs without undef bits)
; JSON: "line": "proved (for inputs without undef bits)"
; JSON: "reason": "for inputs without undef bits"
; JSON: "verdict": "proved"

define i32 @src(i32 %x) {
  %r = shl i32 %x, 1
  ret i32 %r
}

define i32 @tgt(i32 %x) {
  %r = add i32 %x, %x
  ret i32 %r
}
