; The computation of @clamp_a in harvest-same-hash.ll, in another file, with
; other names, argument order and instruction order.
define i32 @elsewhere(i64 %unused, i32 %hi, i32 %v) {
  %lim = add nsw i32 %hi, -1
  %sh = shl nuw i32 %v, 2
  %cmp = icmp sgt i32 %lim, %sh
  %sel = select i1 %cmp, i32 %sh, i32 %lim
  ret i32 %sel
}
