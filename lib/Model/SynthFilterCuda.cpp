//===- SynthFilterCuda.cpp - The synthesis filter on the CUDA backend -----===//
//
// Part of neuropt, under the Apache License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//
//
// This file implements filter::filterCUDA() and filter::cudaFilterAvailable()
// through the dynamically loaded CUDA backend (CudaLoader.cpp), so neither
// kernels/cpu nor lib/Synth links CUDA. The set is validated here, on the
// host, before anything is uploaded: the kernel trusts its bytecode.
//
//===----------------------------------------------------------------------===//

#include "neuropt/Kernels/SynthFilter.h"
#include "neuropt/Model/CudaBackend.h"

using namespace neuropt;
using namespace neuropt::filter;

Status neuropt::filter::cudaFilterAvailable() {
  StatusOr<const model::CudaBackendTable *> T = model::loadCudaBackend();
  if (!T)
    return Status::error("CUDA synthesis filter unavailable: " +
                         T.status().message());
  if (Status E = (*T)->Availability())
    return Status::error("CUDA synthesis filter unavailable: " + E.message());
  return Status::success();
}

Status neuropt::filter::filterCUDA(const ProgramSet &Set,
                                   const InputBatch &Batch,
                                   std::vector<uint8_t> &Pass,
                                   CudaLayout Layout, CudaFilterStats *Stats) {
  if (Status E = cudaFilterAvailable())
    return E;
  if (Status E = validate(Set, Batch))
    return E;
  if (Layout != CudaLayout::WarpPerProgram &&
      Layout != CudaLayout::BlockPerProgram)
    return Status::error("synthesis filter: unknown CUDA layout " +
                         std::to_string(unsigned(Layout)));
  StatusOr<const model::CudaBackendTable *> T = model::loadCudaBackend();
  if (!T)
    return T.takeError();
  return (*T)->Filter(Set, Batch, Pass, Layout, Stats);
}

Status neuropt::filter::filterCUDA(const ProgramSet &Set,
                                   const InputBatch &Batch,
                                   std::vector<uint8_t> &Pass) {
  return filterCUDA(Set, Batch, Pass, CudaLayout::WarpPerProgram);
}
