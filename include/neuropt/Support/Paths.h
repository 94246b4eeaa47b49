//===- Paths.h - Locating neuropt's own files at run time -------*- C++ -*-===//
//
// Part of neuropt, under the Apache License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//

#ifndef NEUROPT_SUPPORT_PATHS_H
#define NEUROPT_SUPPORT_PATHS_H

#include <string>

namespace neuropt {

/// Directory of the shared object or executable that contains neuropt's
/// code (for the plugin: the directory of NeurOpt.so), found with dladdr so
/// that it does not depend on the working directory. Empty if unknown.
std::string getNeuroptBinaryDir();

/// The directory that holds the shipped models, the first that exists of:
/// <binary dir>/../../models (build/lib/ inside the source tree),
/// <binary dir>/../share/neuropt/models (install layout), and the source
/// tree's models/ recorded at configure time. Empty if none exists.
std::string getDefaultModelDir();

} // namespace neuropt

#endif // NEUROPT_SUPPORT_PATHS_H
