//===- SynthFilter.cu - CUDA concrete-input filter for candidates ---------===//
//
// Part of neuropt, under the Apache License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//
//
// This file implements the CUDA side of filter::filterCUDA(): it uploads a
// validated ProgramSet and InputBatch, evaluates every candidate on the
// inputs and downloads one Pass byte per candidate. Each thread runs the
// scalar interpreter ops::evalProgram, the same code as the CPU reference,
// so the two backends agree by construction.
//
// Two layouts (filter::CudaLayout), both with early exit once a candidate
// disagrees on any input of the current round:
//   * warp per program: lanes take 32 inputs per round, __any_sync decides;
//   * block per program: 256 threads take 256 inputs per round,
//     __syncthreads_or decides.
//
// Device buffers, the stream and the timing events persist across calls
// (one process-wide state under a mutex), so a synthesis loop calling the
// filter many times pays no allocation per call once the buffers have grown.
//
//===----------------------------------------------------------------------===//

#include "Common.h"
#include "neuropt/Kernels/SynthFilterOps.h"
#include "neuropt/Model/CudaBackend.h"

#include <chrono>
#include <mutex>
#include <string>

using namespace neuropt;
using namespace neuropt::model;
using filter::CudaFilterStats;
using filter::CudaLayout;
using filter::InputBatch;
using filter::Inst;
using filter::Program;
using filter::ProgramSet;

namespace {
/// Per-program record on the device (12 bytes; Program's own layout).
static_assert(sizeof(Program) == 12, "Program is uploaded as is");

/// Threads per block of both layouts.
constexpr unsigned FilterBlock = 256;

/// Whether program \p P disagrees with the target on input \p I. Inputs
/// where the target is poison are evaluated too and then ignored, like the
/// CPU filter does: the work per (program, input) is the same on both
/// backends, whatever the target.
__device__ __forceinline__ bool disagrees(const Program &P, const Inst *Insts,
                                          const uint64_t *Consts,
                                          const uint64_t *Values,
                                          const uint64_t *Expected,
                                          const uint8_t *ExpectedPoison,
                                          unsigned NumVars, unsigned NumInputs,
                                          unsigned I,
                                          filter::ops::SlotFile &S) {
  if (I >= NumInputs)
    return false;
  filter::ops::OpResult R = filter::ops::evalProgram(
      Insts + P.FirstInst, P.NumInsts, Consts + P.FirstConst, P.NumConsts,
      Values, NumInputs, NumVars, I, S);
  return !ExpectedPoison[I] & ((R.State != 0) | (R.Bits != Expected[I]));
}

static __global__ void filterWarpPerProgram(
    const Program *Programs, unsigned NumPrograms, const Inst *Insts,
    const uint64_t *Consts, const uint64_t *Values, const uint64_t *Expected,
    const uint8_t *ExpectedPoison, unsigned NumVars, unsigned NumInputs,
    uint8_t *Pass) {
  const unsigned Lane = threadIdx.x & 31;
  const unsigned Warp = (blockIdx.x * blockDim.x + threadIdx.x) >> 5;
  const unsigned NumWarps = (gridDim.x * blockDim.x) >> 5;
  filter::ops::SlotFile S;
  // P and Base are warp-uniform, so every __any_sync has the full warp.
  for (unsigned P = Warp; P < NumPrograms; P += NumWarps) {
    const Program Prog = Programs[P];
    bool Ok = true;
    for (unsigned Base = 0; Base < NumInputs; Base += 32) {
      bool Bad = disagrees(Prog, Insts, Consts, Values, Expected,
                           ExpectedPoison, NumVars, NumInputs, Base + Lane, S);
      if (__any_sync(0xffffffffu, Bad)) {
        Ok = false;
        break;
      }
    }
    if (Lane == 0)
      Pass[P] = Ok;
  }
}

static __global__ void filterBlockPerProgram(
    const Program *Programs, unsigned NumPrograms, const Inst *Insts,
    const uint64_t *Consts, const uint64_t *Values, const uint64_t *Expected,
    const uint8_t *ExpectedPoison, unsigned NumVars, unsigned NumInputs,
    uint8_t *Pass) {
  filter::ops::SlotFile S;
  // P and Base are block-uniform, so every thread reaches each barrier.
  for (unsigned P = blockIdx.x; P < NumPrograms; P += gridDim.x) {
    const Program Prog = Programs[P];
    bool Ok = true;
    for (unsigned Base = 0; Base < NumInputs; Base += blockDim.x) {
      bool Bad = disagrees(Prog, Insts, Consts, Values, Expected,
                           ExpectedPoison, NumVars, NumInputs,
                           Base + threadIdx.x, S);
      if (__syncthreads_or(Bad)) {
        Ok = false;
        break;
      }
    }
    if (threadIdx.x == 0)
      Pass[P] = Ok;
  }
}

/// The process-wide filter state: a stream, events, grown-only buffers.
struct FilterState {
  std::mutex Lock;
  bool Ready = false;
  cudaStream_t Stream = nullptr;
  cudaEvent_t Start = nullptr, Stop = nullptr;
  int SMs = 0, ClockKHz = 0;
  std::string Device;
  cuda::DeviceBuffer<Program> Programs;
  cuda::DeviceBuffer<Inst> Insts;
  cuda::DeviceBuffer<uint64_t> Consts, Values, Expected;
  cuda::DeviceBuffer<uint8_t> ExpectedPoison, Pass;

  Status init() {
    if (Ready)
      return Status::success();
    if (Status S = cudaimpl::availability())
      return S;
    int Dev = 0;
    NEUROPT_CUDA_TRY(cudaGetDevice(&Dev));
    cudaDeviceProp Prop;
    NEUROPT_CUDA_TRY(cudaGetDeviceProperties(&Prop, Dev));
    NEUROPT_CUDA_TRY(
        cudaDeviceGetAttribute(&SMs, cudaDevAttrMultiProcessorCount, Dev));
    NEUROPT_CUDA_TRY(
        cudaDeviceGetAttribute(&ClockKHz, cudaDevAttrClockRate, Dev));
    Device = std::string(Prop.name) + " (sm_" + std::to_string(Prop.major) +
             std::to_string(Prop.minor) + ")";
    NEUROPT_CUDA_TRY(cudaStreamCreateWithFlags(&Stream, cudaStreamNonBlocking));
    NEUROPT_CUDA_TRY(cudaEventCreate(&Start));
    NEUROPT_CUDA_TRY(cudaEventCreate(&Stop));
    Ready = true;
    return Status::success();
  }
};

/// Never destroyed: freeing device memory from a static destructor races
/// the CUDA runtime's own teardown at exit.
FilterState &state() {
  static FilterState *S = new FilterState;
  return *S;
}
} // namespace

Status neuropt::model::cudaimpl::filter(const ProgramSet &Set,
                                        const InputBatch &Batch,
                                        std::vector<uint8_t> &Pass,
                                        CudaLayout Layout,
                                        CudaFilterStats *Stats) {
  // The host side (lib/Model/SynthFilterCuda.cpp) validated the set; the
  // sizes below are the launcher's own preconditions.
  NEUROPT_REQUIRE(Batch.NumVars <= filter::MaxVars, "too many variables");
  NEUROPT_REQUIRE(Batch.Values.size() ==
                          size_t(Batch.NumVars) * Batch.NumInputs &&
                      Batch.Expected.size() == Batch.NumInputs &&
                      Batch.ExpectedPoison.size() == Batch.NumInputs,
                  "synthesis filter: input batch arrays of the wrong size");
  FilterState &F = state();
  std::lock_guard<std::mutex> Guard(F.Lock);
  if (Status S = F.init())
    return S;
  auto T0 = std::chrono::steady_clock::now();
  const size_t NP = Set.Programs.size();
  Pass.assign(NP, 0);
  if (Stats) {
    Stats->SMs = unsigned(F.SMs);
    Stats->ClockKHz = unsigned(F.ClockKHz);
    Stats->Device = F.Device;
    Stats->KernelMs = Stats->TotalMs = 0;
  }
  if (NP == 0)
    return Status::success();
  cudaStream_t St = F.Stream;
  if (Status S = F.Programs.upload(Set.Programs.data(), NP, St))
    return S;
  if (Status S = F.Insts.upload(Set.Insts.data(), Set.Insts.size(), St))
    return S;
  if (Status S = F.Consts.upload(Set.Consts.data(), Set.Consts.size(), St))
    return S;
  if (Status S = F.Values.upload(Batch.Values.data(), Batch.Values.size(), St))
    return S;
  if (Status S =
          F.Expected.upload(Batch.Expected.data(), Batch.Expected.size(), St))
    return S;
  if (Status S = F.ExpectedPoison.upload(Batch.ExpectedPoison.data(),
                                         Batch.ExpectedPoison.size(), St))
    return S;
  if (Status S = F.Pass.reserve(NP))
    return S;

  // One program per warp (8 per block) or per block; programs beyond the
  // grid are taken by grid-stride loops.
  size_t Blocks = Layout == CudaLayout::WarpPerProgram
                      ? (NP + FilterBlock / 32 - 1) / (FilterBlock / 32)
                      : NP;
  unsigned Grid = unsigned(Blocks < 65535u * 8 ? Blocks : 65535u * 8);
  NEUROPT_CUDA_TRY(cudaEventRecord(F.Start, St));
  if (Layout == CudaLayout::WarpPerProgram)
    filterWarpPerProgram<<<Grid, FilterBlock, 0, St>>>(
        F.Programs.get(), unsigned(NP), F.Insts.get(), F.Consts.get(),
        F.Values.get(), F.Expected.get(), F.ExpectedPoison.get(),
        Batch.NumVars, Batch.NumInputs, F.Pass.get());
  else
    filterBlockPerProgram<<<Grid, FilterBlock, 0, St>>>(
        F.Programs.get(), unsigned(NP), F.Insts.get(), F.Consts.get(),
        F.Values.get(), F.Expected.get(), F.ExpectedPoison.get(),
        Batch.NumVars, Batch.NumInputs, F.Pass.get());
  NEUROPT_LAUNCH_CHECK();
  NEUROPT_CUDA_TRY(cudaEventRecord(F.Stop, St));
  if (Status S = F.Pass.download(Pass.data(), NP, St))
    return S;
  if (Stats) {
    float Ms = 0;
    NEUROPT_CUDA_TRY(cudaEventElapsedTime(&Ms, F.Start, F.Stop));
    Stats->KernelMs = Ms;
    Stats->TotalMs = std::chrono::duration<double, std::milli>(
                         std::chrono::steady_clock::now() - T0)
                         .count();
  }
  return Status::success();
}
