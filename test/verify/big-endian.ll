; Memory is encoded little-endian, so a big-endian module is not modelled.
; This pair, wrong there (the first byte of 0x11223344 is 0x11), was
; proved before (Alive2's memory/bigendian-fail).
; RUN: not neuropt-verify %s | FileCheck %s
; CHECK: verdict: unknown (unsupported: big-endian data layout)
target datalayout = "E-p:64:64-i64:64"

define i8 @src(ptr %p) {
  store i32 287454020, ptr %p
  ret i8 68
}

define i8 @tgt(ptr %p) {
  store i32 287454020, ptr %p
  %x = load i8, ptr %p
  ret i8 %x
}
