; Modules with inline assembly (module-level and in a call) are measured like
; any other; the asm parser is initialised, so LLVM does not abort.
; RUN: neuropt-eval measure %s | FileCheck %s
; RUN: neuropt-eval search --budget=5 %s | FileCheck %s --check-prefix=SEARCH
; CHECK: pipeline=default<Oz> text={{[1-9][0-9]*}}
; SEARCH: inline-asm.ll: oz={{[0-9]+}} best={{[0-9]+}}
target triple = "x86_64-pc-linux-gnu"

module asm ".globl neuropt_marker"
module asm "neuropt_marker: ret"

define i32 @f(i32 %x) {
  %y = call i32 asm "bswapl $0", "=r,0"(i32 %x)
  ret i32 %y
}
