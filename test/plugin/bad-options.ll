; A misspelled -neuropt-... option fails loudly with a non-zero exit, in opt
; and in clang, instead of printing help and exiting 0.
; RUN: not %opt -neuropt-print-feature=last -passes='print<neuropt-features>' -disable-output %S/Inputs/loops.ll 2>&1 | FileCheck %s --check-prefix=OPT
; OPT: Unknown command line argument '-neuropt-print-feature=last'
; OPT: Did you mean '{{-+}}neuropt-print-features=last'?
; RUN: not %clang -O2 -fpass-plugin=%plugin -mllvm -neuropt-featurs-format=json -c -x c /dev/null -o /dev/null 2>&1 | FileCheck %s --check-prefix=CLANG
; CLANG: Unknown command line argument '-neuropt-featurs-format=json'
; A bad value for a real option is an error too.
; RUN: not %opt -passes='print<neuropt-features>' -neuropt-features-format=xml -disable-output %S/Inputs/loops.ll 2>&1 | FileCheck %s --check-prefix=VALUE
; VALUE: Cannot find option named 'xml'
; An unknown pass name is rejected by opt's pipeline parser.
; RUN: not %opt -passes='print<neuropt-featurez>' -disable-output %S/Inputs/loops.ll 2>&1 | FileCheck %s --check-prefix=PASS
; PASS: unknown pass name 'print<neuropt-featurez>'
