//===- CudaBackend.h - The CUDA backend's entry table -----------*- C++ -*-===//
//
// Part of neuropt, under the Apache License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//
//
// The CUDA backend is a separate shared library, libNeuroptCUDA.so, that
// lib/Model loads with dlopen only when a CUDA device is asked for. Linking
// cuBLAS and the CUDA runtime into the plugin would cost every clang process
// about 0.15 s and 200 MB of mappings even when no GPU is used; loading on
// demand keeps the compiler fast and makes a missing GPU stack a fallback,
// not a load failure.
//
// The library exports one C symbol returning this table. Its functions are
// the implementations behind cudaAvailability(), createCudaOps(),
// createCUDARunner() and the synthesis filter's filterCUDA().
//
//===----------------------------------------------------------------------===//

#ifndef NEUROPT_MODEL_CUDABACKEND_H
#define NEUROPT_MODEL_CUDABACKEND_H

#include "neuropt/Kernels/SynthFilter.h"
#include "neuropt/Model/CudaOps.h"
#include "neuropt/Model/Runner.h"

namespace neuropt {
namespace model {

/// Bump when this table or any type it passes changes layout.
constexpr unsigned CudaBackendABIVersion = 2;

struct CudaBackendTable {
  unsigned ABIVersion;
  Status (*Availability)();
  StatusOr<std::unique_ptr<CudaOps>> (*CreateOps)();
  StatusOr<std::unique_ptr<ModelRunner>> (*CreateRunner)(
      std::shared_ptr<const QuantModel>);
  /// filter::filterCUDA() after validation (since ABI version 2).
  Status (*Filter)(const filter::ProgramSet &, const filter::InputBatch &,
                   std::vector<uint8_t> &, filter::CudaLayout,
                   filter::CudaFilterStats *);
};

/// The loaded backend's table, loading it on first use; the error says why
/// there is none (no CUDA build, no driver, library not found).
StatusOr<const CudaBackendTable *> loadCudaBackend();

/// The implementations, defined in kernels/cuda.
namespace cudaimpl {
Status availability();
StatusOr<std::unique_ptr<CudaOps>> createOps();
StatusOr<std::unique_ptr<ModelRunner>>
createRunner(std::shared_ptr<const QuantModel> Q);
Status filter(const filter::ProgramSet &Set, const filter::InputBatch &Batch,
              std::vector<uint8_t> &Pass, filter::CudaLayout Layout,
              filter::CudaFilterStats *Stats);
} // namespace cudaimpl

} // namespace model
} // namespace neuropt

/// The exported entry point of libNeuroptCUDA.so.
extern "C" const neuropt::model::CudaBackendTable *neuropt_cuda_backend();

#endif // NEUROPT_MODEL_CUDABACKEND_H
