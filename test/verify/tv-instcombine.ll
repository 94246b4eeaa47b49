; neuropt-tv<PIPELINE> validates each function the inner pipeline changes and
; reports the verdict as a remark.
; RUN: %opt -passes='neuropt-tv<instcombine>' -pass-remarks-analysis=neuropt-tv -neuropt-tv-summary -disable-output %s 2>&1 | FileCheck %s
; RUN: %opt -passes='neuropt-tv<simplifycfg;instcombine>' -pass-remarks-analysis=neuropt-tv -disable-output %s 2>&1 | FileCheck %s --check-prefix=TWO
; RUN: %opt -passes='neuropt-tv<instcombine>' -neuropt-tv-first=1 -neuropt-tv-last=1 -pass-remarks-analysis=neuropt-tv -disable-output %s 2>&1 | FileCheck %s --check-prefix=BISECT
; RUN: not %opt -passes='neuropt-tv<no-such-pass>' -disable-output %s 2>&1 | FileCheck %s --check-prefix=BAD
; A resource limit in Z3's units instead of time: the same verdicts on every
; run; one unit is too few for any proof, a generous limit changes nothing.
; RUN: %opt -passes='neuropt-tv<instcombine>' -neuropt-tv-rlimit=1 -pass-remarks-analysis=neuropt-tv -disable-output %s 2>&1 | FileCheck %s --check-prefix=RLIMIT1
; RUN: %opt -passes='neuropt-tv<instcombine>' -neuropt-tv-rlimit=50000000 -pass-remarks-analysis=neuropt-tv -neuropt-tv-summary -disable-output %s 2>&1 | FileCheck %s

; CHECK: remark: <unknown>:0:0: @mul8: instcombine: proved
; CHECK: remark: <unknown>:0:0: @minmax: instcombine: proved
; CHECK: remark: <unknown>:0:0: @diamond: instcombine: proved
; CHECK: remark: <unknown>:0:0: @count: instcombine: bounded (k=4)
; CHECK: remark: <unknown>:0:0: @calls: instcombine: proved
; CHECK: remark: <unknown>:0:0: @indirect: instcombine: proved
; CHECK: remark: <unknown>:0:0: @asm: instcombine: unknown (unsupported: inline assembly)
; CHECK: remark: <unknown>:0:0: @same: unchanged by instcombine
; CHECK: neuropt-tv: {{.*}}: 5 proved, 0 refuted, 1 unknown, 1 bounded, 1 unchanged

; RLIMIT1: remark: <unknown>:0:0: @mul8: instcombine: unknown (resource limit)
; RLIMIT1: remark: <unknown>:0:0: @same: unchanged by instcombine

; TWO: remark: <unknown>:0:0: @diamond: simplifycfg,instcombine: proved

; BISECT-NOT: @mul8: instcombine:
; BISECT: remark: <unknown>:0:0: @minmax: instcombine: proved
; BISECT-NOT: @diamond: instcombine:

; BAD: neuropt-tv: unknown function pass 'no-such-pass'

declare i32 @ext(i32)

define i32 @mul8(i32 %x) {
  %a = mul i32 %x, 8
  %b = add i32 %a, 0
  ret i32 %b
}

define i32 @minmax(i32 %x, i32 %y) {
  %c = icmp slt i32 %x, %y
  %r = select i1 %c, i32 %x, i32 %y
  ret i32 %r
}

define i8 @diamond(i1 %c, i8 %x) {
entry:
  br i1 %c, label %t, label %f
t:
  %a = add i8 %x, 1
  br label %m
f:
  %b = sub i8 %x, -1
  br label %m
m:
  %r = phi i8 [%a, %t], [%b, %f]
  ret i8 %r
}

define i32 @count(i32 noundef %n) {
entry:
  br label %loop
loop:
  %i = phi i32 [0, %entry], [%i1, %loop]
  %i1 = add i32 %i, 1
  %c = icmp ult i32 %i1, %n
  br i1 %c, label %loop, label %exit
exit:
  %r = mul i32 %i1, 2
  ret i32 %r
}

define i32 @calls(i32 %x) {
  %a = add i32 %x, 0
  %r = call i32 @ext(i32 %a)
  ret i32 %r
}

define i32 @indirect(ptr %f, i32 %x) {
  %a = add i32 %x, 0
  %r = call i32 %f(i32 %a)
  ret i32 %r
}

define i32 @asm(i32 %x) {
  %a = add i32 %x, 0
  %r = call i32 asm "bswap $0", "=r,0"(i32 %a)
  ret i32 %r
}

define i32 @same(i32 %x) {
  ret i32 %x
}
