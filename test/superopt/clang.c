// neuropt-superopt in clang: the plugin adds it at the end of the optimizer.
// RUN: rm -rf %t && mkdir %t
// Synthesize mode fills the cache and rewrites (x + y) - (x ^ y) into the
// carries, 2 * (x & y).
// RUN: %clang -O2 -S -emit-llvm -fpass-plugin=%plugin -mllvm -neuropt-superopt-mode=synthesize \
// RUN:   -mllvm -neuropt-cache=%t/c.sqlite -mllvm -neuropt-superopt-budget-ms=3000 %s -o - | FileCheck %s
// Cache mode (the default) applies the stored result.
// RUN: %clang -O2 -S -emit-llvm -fpass-plugin=%plugin -mllvm -neuropt-cache=%t/c.sqlite \
// RUN:   %s -o - | FileCheck %s
// With no cache anywhere the default mode does nothing and creates nothing.
// RUN: env NEUROPT_CACHE_DIR=%t/none XDG_CACHE_HOME=%t/none HOME=%t/none %clang -O2 -S -emit-llvm \
// RUN:   -fpass-plugin=%plugin -mllvm -neuropt-superopt-stats %s -o - 2>%t/stats | FileCheck %s --check-prefix=STOCK
// RUN: FileCheck %s --check-prefix=NOTHING < %t/stats
// RUN: not ls %t/none
// NOTHING: neuropt-superopt: {{.*}}: 0 DAGs (+{{[0-9]+}} cut), 0 cache hits, 0 misses
// -neuropt-superopt-mode=off leaves the pipeline alone.
// RUN: %clang -O2 -S -emit-llvm -fpass-plugin=%plugin -mllvm -neuropt-cache=%t/c.sqlite \
// RUN:   -mllvm -neuropt-superopt-mode=off %s -o - | FileCheck %s --check-prefix=STOCK

// CHECK-LABEL: @carries(
// CHECK-NEXT: [[A:%.*]] = and i32 %{{[0-9]+}}, %{{[0-9]+}}
// CHECK-NEXT: [[R:%.*]] = shl i32 [[A]], 1
// CHECK-NEXT: ret i32 [[R]]
// STOCK-LABEL: @carries(
// STOCK: xor i32
// STOCK: sub i32

unsigned carries(unsigned x, unsigned y) { return (x + y) - (x ^ y); }
