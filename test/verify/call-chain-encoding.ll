; --cheap-call-encoding keeps each call's results and the memory after it
; behind a constant of its own until the function is encoded, and
; simplifies a branch's condition without the path condition it is
; conjoined to. Without it both are simplified again at every later branch,
; load and call: the arguments of each call's unknown function hold all of
; memory before it, so the work grows with the square of the number of
; calls. Here (twelve calls, each result stored, added and branched on;
; the target commutes the additions) the proof takes 201,403 units by
; default and 84,063 with the option (bench/results/verify.md, session 45);
; since each store is also checked against its pointer's provenance
; (session 47), 272,110 and 127,562.
; RUN: neuropt-verify --rlimit=150000 --cheap-call-encoding %s | FileCheck %s
; RUN: not neuropt-verify --rlimit=150000 %s | FileCheck --check-prefix=OLD %s
; CHECK: verdict: proved
; OLD: verdict: unknown (resource limit)

declare i32 @h(i32)

define i32 @src(ptr noundef %p, i32 noundef %x) {
entry:
  %r0 = call i32 @h(i32 %x)
  store i32 %r0, ptr %p, align 4
  %s0 = add i32 %r0, %x
  %c0 = icmp eq i32 %r0, 0
  br i1 %c0, label %out, label %b0
b0:
  %r1 = call i32 @h(i32 %s0)
  store i32 %r1, ptr %p, align 4
  %s1 = add i32 %r1, %s0
  %c1 = icmp eq i32 %r1, 0
  br i1 %c1, label %out, label %b1
b1:
  %r2 = call i32 @h(i32 %s1)
  store i32 %r2, ptr %p, align 4
  %s2 = add i32 %r2, %s1
  %c2 = icmp eq i32 %r2, 0
  br i1 %c2, label %out, label %b2
b2:
  %r3 = call i32 @h(i32 %s2)
  store i32 %r3, ptr %p, align 4
  %s3 = add i32 %r3, %s2
  %c3 = icmp eq i32 %r3, 0
  br i1 %c3, label %out, label %b3
b3:
  %r4 = call i32 @h(i32 %s3)
  store i32 %r4, ptr %p, align 4
  %s4 = add i32 %r4, %s3
  %c4 = icmp eq i32 %r4, 0
  br i1 %c4, label %out, label %b4
b4:
  %r5 = call i32 @h(i32 %s4)
  store i32 %r5, ptr %p, align 4
  %s5 = add i32 %r5, %s4
  %c5 = icmp eq i32 %r5, 0
  br i1 %c5, label %out, label %b5
b5:
  %r6 = call i32 @h(i32 %s5)
  store i32 %r6, ptr %p, align 4
  %s6 = add i32 %r6, %s5
  %c6 = icmp eq i32 %r6, 0
  br i1 %c6, label %out, label %b6
b6:
  %r7 = call i32 @h(i32 %s6)
  store i32 %r7, ptr %p, align 4
  %s7 = add i32 %r7, %s6
  %c7 = icmp eq i32 %r7, 0
  br i1 %c7, label %out, label %b7
b7:
  %r8 = call i32 @h(i32 %s7)
  store i32 %r8, ptr %p, align 4
  %s8 = add i32 %r8, %s7
  %c8 = icmp eq i32 %r8, 0
  br i1 %c8, label %out, label %b8
b8:
  %r9 = call i32 @h(i32 %s8)
  store i32 %r9, ptr %p, align 4
  %s9 = add i32 %r9, %s8
  %c9 = icmp eq i32 %r9, 0
  br i1 %c9, label %out, label %b9
b9:
  %r10 = call i32 @h(i32 %s9)
  store i32 %r10, ptr %p, align 4
  %s10 = add i32 %r10, %s9
  %c10 = icmp eq i32 %r10, 0
  br i1 %c10, label %out, label %b10
b10:
  %r11 = call i32 @h(i32 %s10)
  store i32 %r11, ptr %p, align 4
  %s11 = add i32 %r11, %s10
  %c11 = icmp eq i32 %r11, 0
  br i1 %c11, label %out, label %b11
b11:
  ret i32 %s11
out:
  ret i32 0
}

define i32 @tgt(ptr noundef %p, i32 noundef %x) {
entry:
  %r0 = call i32 @h(i32 %x)
  store i32 %r0, ptr %p, align 4
  %s0 = add i32 %x, %r0
  %c0 = icmp eq i32 %r0, 0
  br i1 %c0, label %out, label %b0
b0:
  %r1 = call i32 @h(i32 %s0)
  store i32 %r1, ptr %p, align 4
  %s1 = add i32 %s0, %r1
  %c1 = icmp eq i32 %r1, 0
  br i1 %c1, label %out, label %b1
b1:
  %r2 = call i32 @h(i32 %s1)
  store i32 %r2, ptr %p, align 4
  %s2 = add i32 %s1, %r2
  %c2 = icmp eq i32 %r2, 0
  br i1 %c2, label %out, label %b2
b2:
  %r3 = call i32 @h(i32 %s2)
  store i32 %r3, ptr %p, align 4
  %s3 = add i32 %s2, %r3
  %c3 = icmp eq i32 %r3, 0
  br i1 %c3, label %out, label %b3
b3:
  %r4 = call i32 @h(i32 %s3)
  store i32 %r4, ptr %p, align 4
  %s4 = add i32 %s3, %r4
  %c4 = icmp eq i32 %r4, 0
  br i1 %c4, label %out, label %b4
b4:
  %r5 = call i32 @h(i32 %s4)
  store i32 %r5, ptr %p, align 4
  %s5 = add i32 %s4, %r5
  %c5 = icmp eq i32 %r5, 0
  br i1 %c5, label %out, label %b5
b5:
  %r6 = call i32 @h(i32 %s5)
  store i32 %r6, ptr %p, align 4
  %s6 = add i32 %s5, %r6
  %c6 = icmp eq i32 %r6, 0
  br i1 %c6, label %out, label %b6
b6:
  %r7 = call i32 @h(i32 %s6)
  store i32 %r7, ptr %p, align 4
  %s7 = add i32 %s6, %r7
  %c7 = icmp eq i32 %r7, 0
  br i1 %c7, label %out, label %b7
b7:
  %r8 = call i32 @h(i32 %s7)
  store i32 %r8, ptr %p, align 4
  %s8 = add i32 %s7, %r8
  %c8 = icmp eq i32 %r8, 0
  br i1 %c8, label %out, label %b8
b8:
  %r9 = call i32 @h(i32 %s8)
  store i32 %r9, ptr %p, align 4
  %s9 = add i32 %s8, %r9
  %c9 = icmp eq i32 %r9, 0
  br i1 %c9, label %out, label %b9
b9:
  %r10 = call i32 @h(i32 %s9)
  store i32 %r10, ptr %p, align 4
  %s10 = add i32 %s9, %r10
  %c10 = icmp eq i32 %r10, 0
  br i1 %c10, label %out, label %b10
b10:
  %r11 = call i32 @h(i32 %s10)
  store i32 %r11, ptr %p, align 4
  %s11 = add i32 %s10, %r11
  %c11 = icmp eq i32 %r11, 0
  br i1 %c11, label %out, label %b11
b11:
  ret i32 %s11
out:
  ret i32 0
}
