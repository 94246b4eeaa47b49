//===- ModelSupport.cpp - Loading models inside passes ---------------------===//
//
// Part of neuropt, under the Apache License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//

#include "neuropt/Passes/ModelSupport.h"
#include "neuropt/Model/IRInput.h"
#include "neuropt/Support/Paths.h"

#include "llvm/IR/DiagnosticInfo.h"
#include "llvm/IR/LLVMContext.h"
#include "llvm/IR/Module.h"
#include "llvm/Support/CommandLine.h"

using namespace llvm;
using namespace neuropt;

static cl::opt<std::string> ModelDir(
    "neuropt-model-dir",
    cl::desc("Directory of neuropt models (<name>.safetensors and "
             "<name>.card.json); default: the models/ shipped with the plugin"),
    cl::value_desc("dir"));

static cl::opt<model::Device> DeviceOpt(
    "neuropt-device", cl::desc("Where models run; decisions are identical"),
    cl::values(clEnumValN(model::Device::Auto, "auto",
                          "the GPU when one is usable, else the CPU"),
               clEnumValN(model::Device::CPU, "cpu", "the CPU"),
               clEnumValN(model::Device::CUDA, "cuda",
                          "an NVIDIA GPU (falls back to the CPU with a "
                          "warning)")),
    cl::init(model::Device::Auto));

std::string neuropt::getModelDir() {
  return ModelDir.empty() ? getDefaultModelDir() : ModelDir.getValue();
}

std::unique_ptr<model::ModelRunner> neuropt::loadPassModel(StringRef Name,
                                                           Module &M) {
  return loadPassModel(Name, M, model::getCompilerFeatureManifest());
}

std::unique_ptr<model::ModelRunner>
neuropt::loadPassModel(StringRef Name, Module &M,
                       const model::FeatureManifestId &Manifest,
                       StringRef Dir) {
  model::RunnerLoad L = model::loadRunner(
      Dir.empty() ? getModelDir() : Dir.str(), Name.str(), Manifest, DeviceOpt);
  for (const std::string &W : L.Warnings)
    M.getContext().diagnose(
        DiagnosticInfoGeneric("neuropt: " + Twine(W), DS_Warning));
  return std::move(L.Runner);
}
