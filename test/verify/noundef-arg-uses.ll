; The source's noundef arguments need no per-use undef variables: an undef
; one makes the source UB at its entry, so what the target does with it is
; never a counterexample. The verifier substitutes each use with the
; argument's value whenever the source's argument is noundef, however often
; either side uses it. Here (reduced from cJSON's cJSONUtils_strdup, the -Oz
; version against sequence 0's) %s is used three times in each function:
; with per-use variables the proof took 134,050 units, without them 50,753.
; RUN: neuropt-verify --rlimit=80000 %s | FileCheck %s
; CHECK: verdict: proved

declare i64 @strlen(ptr)
declare ptr @alloc(i64)
declare void @llvm.memcpy.p0.p0.i64(ptr, ptr, i64, i1)

define ptr @src(ptr noundef %s) {
  %n = call i64 @strlen(ptr noundef nonnull dereferenceable(1) %s)
  %m = add i64 %n, 1
  %p = call ptr @alloc(i64 noundef %m)
  %c = icmp eq ptr %p, null
  br i1 %c, label %done, label %copy
copy:
  call void @llvm.memcpy.p0.p0.i64(ptr nonnull align 1 %p, ptr nonnull align 1 %s, i64 %m, i1 false)
  br label %done
done:
  ret ptr %p
}

define ptr @tgt(ptr noundef %s) {
  %n = call i64 @strlen(ptr noundef nonnull dereferenceable(1) %s)
  %m = add i64 %n, 1
  %p = call ptr @alloc(i64 noundef %m)
  %c = icmp eq ptr %p, null
  br i1 %c, label %done, label %copy
copy:
  call void @llvm.memcpy.p0.p0.i64(ptr align 1 %p, ptr align 1 %s, i64 %m, i1 false)
  br label %done
done:
  %r = phi ptr [ %p, %copy ], [ null, %0 ]
  ret ptr %r
}
