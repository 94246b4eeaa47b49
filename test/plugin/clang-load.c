// The plugin loads in clang at -O0 and -Oz, and print<neuropt-features> runs
// inside clang's own pipeline through -mllvm.
// RUN: %clang -O0 -fpass-plugin=%plugin -mllvm -neuropt-print-features=start -c %s -o %t.o0.o 2>&1 | FileCheck %s --check-prefix=O0
// RUN: %clang -Oz -fpass-plugin=%plugin -mllvm -neuropt-print-features=start -c %s -o %t.oz.o 2>&1 | FileCheck %s --check-prefix=OZSTART
// RUN: %clang -Oz -fpass-plugin=%plugin -mllvm -neuropt-print-features=last -c %s -o %t.oz.o 2>&1 | FileCheck %s --check-prefix=OZLAST
// RUN: %clang -Oz -fpass-plugin=%plugin -c %s -o %t.plain.o 2>&1 | count 0

// O0: neuropt-features: module '{{.*}}clang-load.c' manifest {{[0-9a-f]+}}
// O0: function add3:
// O0-SAME: Allocas=3
// O0-SAME: IsMinSize=0 IsOptSize=0 IsNoInline=1
// OZSTART: function add3:
// OZSTART-SAME: IsMinSize=1 IsOptSize=1
// Once optimized, add3 is two adds and a ret with no stack traffic.
// OZLAST: function add3: Instructions=3 BasicBlocks=1 Arguments=3
// OZLAST-SAME: Loads=0 Stores=0 Allocas=0

int add3(int a, int b, int c) { return a + b + c; }
