//===- Gemm.cpp - CPU GEMM: hand-written, CBLAS, and int8 -----------------===//
//
// Part of neuropt, under the Apache License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//
//
// This file implements the CPU matrix multiplies: a hand-written float
// kernel, an optional OpenBLAS (CBLAS) path pinned to one thread because it
// runs inside the compiler, and the exact int8 x int8 -> int32 kernel of the
// deployed inference path. bench/ModelBM.cpp measures Native against Blas;
// GemmImpl::Default picks the winner recorded in bench/results/model.md.
//
//===----------------------------------------------------------------------===//

#include "neuropt/Model/Kernels.h"

#include <atomic>
#include <vector>

#ifdef NEUROPT_HAVE_CBLAS
#include <cblas.h>
#include <cstdlib>
#include <dlfcn.h>
#endif

using namespace neuropt::model;

#ifdef NEUROPT_HAVE_CBLAS
namespace {
/// OpenBLAS, opened on the first float GEMM rather than linked: loading it
/// starts one spinning thread per core, which cost every clang process that
/// loads the plugin about 4 ms of wall time and more of CPU time, although
/// the compiler's inference path never calls BLAS (it runs the int8 kernel).
struct BlasLib {
  using SgemmFn = void (*)(CBLAS_ORDER, CBLAS_TRANSPOSE, CBLAS_TRANSPOSE, int,
                           int, int, float, const float *, int, const float *,
                           int, float, float *, int);
  using DgemmFn = void (*)(CBLAS_ORDER, CBLAS_TRANSPOSE, CBLAS_TRANSPOSE, int,
                           int, int, double, const double *, int,
                           const double *, int, double, double *, int);
  SgemmFn Sgemm = nullptr;
  DgemmFn Dgemm = nullptr;

  BlasLib() {
    // The compiler may run many jobs in parallel; BLAS threads would
    // oversubscribe the machine. OpenBLAS reads this when it is loaded.
    setenv("OPENBLAS_NUM_THREADS", "1", /*overwrite=*/0);
    void *H = nullptr;
    for (const char *Name : {NEUROPT_OPENBLAS_SONAME, "libopenblas.so.0",
                             "libopenblas.so"})
      if ((H = dlopen(Name, RTLD_NOW | RTLD_LOCAL)))
        break;
    if (!H)
      return;
    auto *SetThreads =
        reinterpret_cast<void (*)(int)>(dlsym(H, "openblas_set_num_threads"));
    if (SetThreads)
      SetThreads(1);
    Sgemm = reinterpret_cast<SgemmFn>(dlsym(H, "cblas_sgemm"));
    Dgemm = reinterpret_cast<DgemmFn>(dlsym(H, "cblas_dgemm"));
    if (!Sgemm || !Dgemm)
      Sgemm = nullptr, Dgemm = nullptr;
  }
  bool usable() const { return Sgemm && Dgemm; }
};

const BlasLib &blas() {
  static BlasLib Lib;
  return Lib;
}
} // namespace
#endif

static std::atomic<bool> BlasPreferred{false};

void cpu::preferBlas(bool Prefer) { BlasPreferred = Prefer; }

bool cpu::haveBlas() {
#ifdef NEUROPT_HAVE_CBLAS
  return blas().usable();
#else
  return false;
#endif
}

/// The hand-written kernel: packs op(B) as [K, N] so that the innermost loop
/// is a contiguous, vectorizable axpy over a row of C.
template <typename T>
static void gemmNative(bool TransA, bool TransB, size_t M, size_t N, size_t K,
                       T Alpha, const T *A, size_t LDA, const T *B, size_t LDB,
                       T Beta, T *C, size_t LDC) {
  const T *BP = B;
  size_t LDBP = LDB;
  std::vector<T> Packed;
  if (TransB) {
    Packed.resize(K * N);
    for (size_t J = 0; J < N; ++J)
      for (size_t P = 0; P < K; ++P)
        Packed[P * N + J] = B[J * LDB + P];
    BP = Packed.data();
    LDBP = N;
  }
  std::vector<T> Row(N);
  for (size_t I = 0; I < M; ++I) {
    T *RowP = Row.data();
    for (size_t J = 0; J < N; ++J)
      RowP[J] = 0;
    for (size_t P = 0; P < K; ++P) {
      T AV = TransA ? A[P * LDA + I] : A[I * LDA + P];
      if (AV == T(0))
        continue;
      const T *BRow = BP + P * LDBP;
      for (size_t J = 0; J < N; ++J)
        RowP[J] += AV * BRow[J];
    }
    T *CRow = C + I * LDC;
    if (Beta == T(0)) {
      for (size_t J = 0; J < N; ++J)
        CRow[J] = Alpha * RowP[J];
    } else {
      for (size_t J = 0; J < N; ++J)
        CRow[J] = Alpha * RowP[J] + Beta * CRow[J];
    }
  }
}

#ifdef NEUROPT_HAVE_CBLAS
static void gemmBlas(bool TransA, bool TransB, size_t M, size_t N, size_t K,
                     float Alpha, const float *A, size_t LDA, const float *B,
                     size_t LDB, float Beta, float *C, size_t LDC) {
  blas().Sgemm(CblasRowMajor, TransA ? CblasTrans : CblasNoTrans,
              TransB ? CblasTrans : CblasNoTrans, int(M), int(N), int(K),
              Alpha, A, int(LDA), B, int(LDB), Beta, C, int(LDC));
}

static void gemmBlas(bool TransA, bool TransB, size_t M, size_t N, size_t K,
                     double Alpha, const double *A, size_t LDA,
                     const double *B, size_t LDB, double Beta, double *C,
                     size_t LDC) {
  blas().Dgemm(CblasRowMajor, TransA ? CblasTrans : CblasNoTrans,
              TransB ? CblasTrans : CblasNoTrans, int(M), int(N), int(K),
              Alpha, A, int(LDA), B, int(LDB), Beta, C, int(LDC));
}
#endif

template <typename T>
void cpu::gemm(bool TransA, bool TransB, size_t M, size_t N, size_t K,
               T Alpha, const T *A, size_t LDA, const T *B, size_t LDB,
               T Beta, T *C, size_t LDC, GemmImpl Impl) {
  if (M == 0 || N == 0)
    return;
#ifdef NEUROPT_HAVE_CBLAS
  // Measured (bench/results/model.md): single-threaded OpenBLAS beats the
  // hand-written kernel at every shape we use, a single row included. But
  // opening it costs about 4 ms, more than a compile's whole inference, so
  // only processes that asked for it (training) use it by default.
  bool UseBlas = Impl == GemmImpl::Blas ||
                 (Impl == GemmImpl::Default && BlasPreferred.load());
  if (UseBlas && K > 0 && blas().usable()) {
    gemmBlas(TransA, TransB, M, N, K, Alpha, A, LDA, B, LDB, Beta, C, LDC);
    return;
  }
#endif
  gemmNative(TransA, TransB, M, N, K, Alpha, A, LDA, B, LDB, Beta, C, LDC);
}

template void cpu::gemm<float>(bool, bool, size_t, size_t, size_t, float,
                               const float *, size_t, const float *, size_t,
                               float, float *, size_t, GemmImpl);
template void cpu::gemm<double>(bool, bool, size_t, size_t, size_t, double,
                                const double *, size_t, const double *, size_t,
                                double, double *, size_t, GemmImpl);

/// The plain integer kernel: one exact int32 dot product per output.
static void gemmS8S32Native(size_t M, size_t N, size_t K, const int8_t *A,
                            const int8_t *W, int32_t *C) {
  for (size_t I = 0; I < M; ++I) {
    const int8_t *ARow = A + I * K;
    for (size_t J = 0; J < N; ++J) {
      const int8_t *WRow = W + J * K;
      int32_t Acc = 0;
      for (size_t P = 0; P < K; ++P)
        Acc += int32_t(ARow[P]) * int32_t(WRow[P]);
      C[I * N + J] = Acc;
    }
  }
}

void cpu::gemmS8S32(size_t M, size_t N, size_t K, const int8_t *A,
                    const int8_t *W, int32_t *C) {
#ifdef NEUROPT_HAVE_CBLAS
  // Every partial sum of K products of int8 values is an integer of
  // magnitude at most K * 2^14. For K <= 1024 that is at most 2^24, so float32
  // represents every partial sum exactly and SGEMM returns the exact integer
  // result in any summation order: bit-identical to the integer kernel and
  // to cuBLAS's int8 GEMM, at OpenBLAS speed. Converting W costs N*K per
  // call, which only pays off beyond a few rows (bench/results/model.md).
  // Opening OpenBLAS costs about 4 ms, the time of some 80 M products here,
  // so a process starts on the integer kernel and switches once it has done
  // a few times that much work (scoring a corpus, not one compile's
  // batches), or at once if it asked for BLAS. The result is exact either
  // way, so the switch never changes an answer.
  static std::atomic<uint64_t> IntegerWork{0};
  uint64_t Work = uint64_t(M) * N * K;
  bool Worth = BlasPreferred.load() ||
               IntegerWork.fetch_add(Work) + Work >= (uint64_t(1) << 28);
  if (K <= 1024 && M >= 4 && Worth && blas().usable()) {
    std::vector<float> AF(M * K), WF(N * K), CF(M * N);
    for (size_t I = 0; I < M * K; ++I)
      AF[I] = float(A[I]);
    for (size_t I = 0; I < N * K; ++I)
      WF[I] = float(W[I]);
    gemmBlas(false, true, M, N, K, 1.0f, AF.data(), K, WF.data(), K, 0.0f,
             CF.data(), N);
    for (size_t I = 0; I < M * N; ++I)
      C[I] = int32_t(CF[I]);
    return;
  }
#endif
  gemmS8S32Native(M, N, K, A, W, C);
}
