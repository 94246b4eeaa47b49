//===- SynthTool.h - Subcommands of neuropt-synth ---------------*- C++ -*-===//
//
// Part of neuropt, under the Apache License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//
//
// Entry points of the neuropt-synth subcommands that live in their own files
// (Synth.cpp: synth; Guide.cpp: train-guide and eval-guide). Each file owns
// its cl::SubCommand; the driver asks which one was selected.
//
//===----------------------------------------------------------------------===//

#ifndef NEUROPT_TOOLS_NEUROPT_SYNTH_SYNTHTOOL_H
#define NEUROPT_TOOLS_NEUROPT_SYNTH_SYNTHTOOL_H

namespace neuropt {
namespace synthtool {

bool synthSelected();
int runSynth();

bool trainGuideSelected();
int runTrainGuide();
bool evalGuideSelected();
int runEvalGuide();

} // namespace synthtool
} // namespace neuropt

#endif // NEUROPT_TOOLS_NEUROPT_SYNTH_SYNTHTOOL_H
