//===- CudaLoader.cpp - Loading the CUDA backend on demand ----------------===//
//
// Part of neuropt, under the Apache License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//
//
// This file implements cudaAvailability(), createCudaOps(),
// createCUDARunner() and loadCudaBackend() by loading libNeuroptCUDA.so the
// first time one is called (see CudaBackend.h for why it is a separate
// library). In a build without CUDA they report that CUDA is not built in.
// Either way a caller gets a Status, never a crash, and device selection
// falls back to the CPU.
//
//===----------------------------------------------------------------------===//

#include "neuropt/Model/CudaBackend.h"

#include <cstdlib>
#include <mutex>
#include <string>
#include <vector>

#include <dlfcn.h>
#include <unistd.h>

using namespace neuropt;
using namespace neuropt::model;

#ifdef NEUROPT_HAVE_CUDA
namespace {
struct LoadedBackend {
  const CudaBackendTable *Table = nullptr;
  std::string Error;
};

std::string dirOf(const std::string &Path) {
  size_t Slash = Path.rfind('/');
  return Slash == std::string::npos ? std::string(".") : Path.substr(0, Slash);
}

/// Where libNeuroptCUDA.so may be, most specific first.
std::vector<std::string> candidatePaths() {
  std::vector<std::string> Paths;
  if (const char *Env = std::getenv("NEUROPT_CUDA_BACKEND"))
    Paths.push_back(Env);
  Dl_info Info;
  if (dladdr(reinterpret_cast<void *>(&candidatePaths), &Info) &&
      Info.dli_fname) {
    std::string Dir = dirOf(Info.dli_fname);
    Paths.push_back(Dir + "/libNeuroptCUDA.so");
    Paths.push_back(Dir + "/../lib/libNeuroptCUDA.so");
  }
  Paths.push_back(NEUROPT_CUDA_BACKEND_BUILD_PATH);
  return Paths;
}

/// Loading the backend maps cuBLAS and the CUDA runtime (about 0.15 s); on a
/// machine without the NVIDIA driver no GPU can answer, so say so at once.
bool haveNvidiaDriver() {
  return access("/proc/driver/nvidia/version", F_OK) == 0 ||
         access("/dev/nvidiactl", F_OK) == 0;
}

const LoadedBackend &backend() {
  static LoadedBackend B;
  static std::once_flag Once;
  std::call_once(Once, [] {
    if (!haveNvidiaDriver() && !std::getenv("NEUROPT_CUDA_BACKEND")) {
      B.Error = "no NVIDIA driver on this machine (/proc/driver/nvidia and "
                "/dev/nvidiactl are absent)";
      return;
    }
    std::string Tried;
    for (const std::string &Path : candidatePaths()) {
      void *H = dlopen(Path.c_str(), RTLD_NOW | RTLD_LOCAL);
      if (!H) {
        const char *E = dlerror();
        Tried += "\n  " + Path + ": " + (E ? E : "not loadable");
        continue;
      }
      using EntryFn = const CudaBackendTable *(*)();
      auto Entry =
          reinterpret_cast<EntryFn>(dlsym(H, "neuropt_cuda_backend"));
      const CudaBackendTable *T = Entry ? Entry() : nullptr;
      if (!T || T->ABIVersion != CudaBackendABIVersion) {
        Tried += "\n  " + Path + ": not a matching neuropt CUDA backend";
        dlclose(H);
        continue;
      }
      B.Table = T; // The library stays loaded for the life of the process.
      return;
    }
    B.Error = "the CUDA backend libNeuroptCUDA.so could not be loaded:" + Tried;
  });
  return B;
}
} // namespace

StatusOr<const CudaBackendTable *> neuropt::model::loadCudaBackend() {
  const LoadedBackend &B = backend();
  if (!B.Table)
    return Status::error(B.Error);
  return B.Table;
}

Status neuropt::model::cudaAvailability() {
  const LoadedBackend &B = backend();
  return B.Table ? B.Table->Availability() : Status::error(B.Error);
}

StatusOr<std::unique_ptr<CudaOps>> neuropt::model::createCudaOps() {
  const LoadedBackend &B = backend();
  if (!B.Table)
    return Status::error(B.Error);
  return B.Table->CreateOps();
}

StatusOr<std::unique_ptr<ModelRunner>>
neuropt::model::createCUDARunner(std::shared_ptr<const QuantModel> Q) {
  const LoadedBackend &B = backend();
  if (!B.Table)
    return Status::error(B.Error);
  return B.Table->CreateRunner(std::move(Q));
}

#else // !NEUROPT_HAVE_CUDA

static const char *NotBuilt =
    "this neuropt was built without CUDA (no CUDA toolkit at configure time)";

StatusOr<const CudaBackendTable *> neuropt::model::loadCudaBackend() {
  return Status::error(NotBuilt);
}

Status neuropt::model::cudaAvailability() { return Status::error(NotBuilt); }

StatusOr<std::unique_ptr<CudaOps>> neuropt::model::createCudaOps() {
  return Status::error(NotBuilt);
}

StatusOr<std::unique_ptr<ModelRunner>>
neuropt::model::createCUDARunner(std::shared_ptr<const QuantModel>) {
  return Status::error(NotBuilt);
}
#endif
