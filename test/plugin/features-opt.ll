; print<neuropt-features> in opt: statistics vector, graph summary, manifest.
; RUN: %opt -passes='print<neuropt-features>' -disable-output %S/Inputs/loops.ll 2>&1 | FileCheck %s
; RUN: %opt -passes='print<neuropt-features>' -disable-output %S/Inputs/loops.ll 2>&1 > %t.first
; RUN: %opt -passes='print<neuropt-features>' -disable-output %S/Inputs/loops.ll 2>&1 > %t.second
; RUN: diff %t.first %t.second

; CHECK: neuropt-features: module '{{.*}}loops.ll' manifest [[HASH:[0-9a-f]{16}]] (80 function, 88 module features)
; CHECK: module: Instructions=26 BasicBlocks=9 Arguments=2
; CHECK-SAME: DefinedFunctions=2 DeclaredFunctions=1 InternalFunctions=1 GlobalVariables=1 ConstantGlobals=0 GlobalInitializerBytes=40
; CHECK: module graph: nodes=34 edges=68 control=26 data=38 call=4
; CHECK: function sq: Instructions=2 BasicBlocks=1 Arguments=1
; CHECK-SAME: IntMul=1
; CHECK-SAME: PoisonFlags=1
; CHECK-SAME: IsInternal=1
; CHECK: function sq graph: nodes=3 edges=4 control=1 data=3 call=0
; CHECK: function sum: Instructions=24 BasicBlocks=8 Arguments=1 CFGEdges=9 CriticalEdges=2 MaxBlockSize=11
; CHECK-SAME: Loops=2 TopLevelLoops=1 MaxLoopDepth=2 BlocksInLoops=3 InstructionsInLoops=17 LoopExitEdges=2
; CHECK-SAME: CondBranches=2 UncondBranches=2 Switches=1 SwitchCases=2 Returns=3 Unreachables=0 PHIs=4 PHIIncoming=8
; CHECK-SAME: Loads=1 Stores=1 Allocas=0 GEPs=1 ConstantGEPs=0
; CHECK-SAME: Calls=2 DirectCalls=2 IndirectCalls=0 IntrinsicCalls=0 MemIntrinsics=0 CallsToDeclarations=1
; CHECK: function sum graph: nodes=31 edges=62 control=25 data=35 call=2
