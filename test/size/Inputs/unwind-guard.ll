; Reduced by llvm-reduce from a held-out qhull module (clang -Oz -Xclang
; -disable-llvm-passes, so the functions keep minsize, optsize and
; uwtable). The shipped first sequence makes @qh_errexit 5 bytes smaller
; than -Oz does but leaves the call in @qh_printhelp_internal a call where
; -Oz makes it a tail call: 2 bytes smaller on the objective, and the push
; and pop need unwind instructions, 8 bytes more .eh_frame.
target datalayout = "e-m:e-p270:32:32-p271:32:32-p272:64:64-i64:64-i128:128-f80:128-n8:16:32:64-S128"
target triple = "x86_64-pc-linux-gnu"

; Function Attrs: minsize optsize
declare void @qh_fprintf(...) #0

; Function Attrs: minsize nounwind optsize uwtable
define void @qh_errexit(i32 noundef %0, i1 %.not) #1 {
  %2 = icmp eq i32 %0, 3
  br i1 %2, label %3, label %4

3:                                                ; preds = %1
  call void @llvm.assume(i1 %.not)
  br label %4

4:                                                ; preds = %3, %1
  %5 = icmp ne i32 %0, 1
  call void @llvm.assume(i1 %5)
  %6 = icmp eq i32 %0, 0
  br i1 %6, label %7, label %8

7:                                                ; preds = %4
  store volatile i32 0, ptr null, align 4
  unreachable

8:                                                ; preds = %4
  ret void
}

; Function Attrs: minsize nounwind optsize uwtable
define void @qh_errprint() #1 {
  ret void
}

; Function Attrs: minsize nounwind optsize uwtable
define void @qh_printhelp_internal() #1 {
  call void (...) @qh_fprintf() #3
  ret void
}

; Function Attrs: minsize nounwind optsize uwtable
define void @qh_printhelp_singular() #1 {
  ret void
}

; Function Attrs: nocallback nofree nosync nounwind willreturn memory(inaccessiblemem: write)
declare void @llvm.assume(i1 noundef) #2

attributes #0 = { minsize optsize "no-trapping-math"="true" "stack-protector-buffer-size"="8" "target-cpu"="x86-64" "target-features"="+cmov,+cx8,+fxsr,+mmx,+sse,+sse2,+x87" "tune-cpu"="generic" }
attributes #1 = { minsize nounwind optsize uwtable "min-legal-vector-width"="0" "no-trapping-math"="true" "stack-protector-buffer-size"="8" "target-cpu"="x86-64" "target-features"="+cmov,+cx8,+fxsr,+mmx,+sse,+sse2,+x87" "tune-cpu"="generic" }
attributes #2 = { nocallback nofree nosync nounwind willreturn memory(inaccessiblemem: write) }
attributes #3 = { minsize nounwind optsize }
