; Malformed IR and a missing file are clean errors, never a crash.
; RUN: not %opt -passes='print<neuropt-features>' -disable-output %S/Inputs/does-not-exist.ll 2>&1 | FileCheck %s --check-prefix=MISSING
; MISSING: Could not open input file
; RUN: echo 'define i32 @f( {' > %t.bad.ll
; RUN: not %opt -passes='print<neuropt-features>' -disable-output %t.bad.ll 2>&1 | FileCheck %s --check-prefix=MALFORMED
; MALFORMED: error:
; MALFORMED-NOT: Stack dump
