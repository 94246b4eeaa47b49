"""Prints a module that -Oz optimizes at once and GVN takes seconds on.

@slow is internal and unused, so -Oz's early global optimization deletes
it; a candidate pipeline of function(gvn) alone runs GVN on its N blocks,
whose loads each ask memory dependence about every store above them
(N = 6000: about 7 s on the 2-core development VM). Usage: gvn-quadratic.py N
"""
import sys

n = int(sys.argv[1])
print('target triple = "x86_64-pc-linux-gnu"')
print("define internal i32 @slow(ptr %p, ptr %q) {")
print("entry:")
print("  br label %b0")
for i in range(n):
    print(f"b{i}:")
    print(f"  %l{i} = load i32, ptr %p")
    print(f"  %g{i} = getelementptr i32, ptr %q, i32 {i}")
    print(f"  store i32 %l{i}, ptr %g{i}")
    print(f"  %t{i} = icmp eq i32 %l{i}, {i}")
    print(f"  br i1 %t{i}, label %b{i + 1}, label %x")
print(f"b{n}:")
print("  ret i32 1")
print("x:")
print("  ret i32 0")
print("}")
print("define i32 @main() {")
print("  ret i32 0")
print("}")
