//===- Gemm.cu - cuBLAS SGEMM and int8 GEMM, row-major --------------------===//
//
// Part of neuropt, under the Apache License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//
//
// This file implements the GPU matrix multiplies on cuBLAS: SGEMM for the
// float path and cublasGemmEx int8 x int8 -> int32 (CUBLAS_COMPUTE_32I) for
// the deployed integer path. Both map neuropt's row-major matrices onto
// cuBLAS's column-major convention by computing C^T = op(B)^T op(A)^T.
// It also defines the error helpers of Common.h.
//
//===----------------------------------------------------------------------===//

#include "Common.h"

#include <climits>

using namespace neuropt;
using namespace neuropt::model;

Status cuda::cudaFailure(cudaError_t E, const char *Expr, const char *File,
                         int Line) {
  return Status::error(std::string("CUDA error ") + cudaGetErrorName(E) +
                       " (" + cudaGetErrorString(E) + ") in " + Expr + " at " +
                       File + ":" + std::to_string(Line));
}

Status cuda::cublasFailure(cublasStatus_t S, const char *Expr,
                           const char *File, int Line) {
  return Status::error(std::string("cuBLAS error ") + cublasGetStatusName(S) +
                       " (" + cublasGetStatusString(S) + ") in " + Expr +
                       " at " + File + ":" + std::to_string(Line));
}

static bool fitsInt(size_t V) { return V <= size_t(INT_MAX); }

Status cuda::sgemmRowMajor(cublasHandle_t H, bool TransA, bool TransB,
                           size_t M, size_t N, size_t K, const float *A,
                           const float *B, float *C) {
  NEUROPT_REQUIRE(fitsInt(M) && fitsInt(N) && fitsInt(K),
                  "SGEMM dimensions exceed int");
  if (!M || !N)
    return Status::success();
  const float Alpha = 1.0f, Beta = 0.0f;
  int LDA = int(TransA ? M : K), LDB = int(TransB ? K : N);
  NEUROPT_CUBLAS_TRY(cublasSgemm(H, TransB ? CUBLAS_OP_T : CUBLAS_OP_N,
                                 TransA ? CUBLAS_OP_T : CUBLAS_OP_N, int(N),
                                 int(M), int(K), &Alpha, B, LDB, A, LDA, &Beta,
                                 C, int(N)));
  return Status::success();
}

Status cuda::gemmS8S32(cublasHandle_t H, size_t M, size_t N, size_t K,
                       const int8_t *A, const int8_t *W, int32_t *C) {
  NEUROPT_REQUIRE(fitsInt(M) && fitsInt(N) && fitsInt(K),
                  "int8 GEMM dimensions exceed int");
  // The "TN" int8 layout with leading dimensions divisible by 4 is the one
  // cuBLAS supports on every architecture; QuantModel pads to 16.
  NEUROPT_REQUIRE(N % 4 == 0 && K % 4 == 0,
                  "int8 GEMM needs N and K divisible by 4");
  NEUROPT_REQUIRE(K < (size_t(1) << 17), "int8 GEMM K would overflow int32");
  if (!M || !N)
    return Status::success();
  const int32_t Alpha = 1, Beta = 0;
  NEUROPT_CUBLAS_TRY(cublasGemmEx(
      H, CUBLAS_OP_T, CUBLAS_OP_N, int(N), int(M), int(K), &Alpha, W,
      CUDA_R_8I, int(K), A, CUDA_R_8I, int(K), &Beta, C, CUDA_R_32I, int(N),
      CUBLAS_COMPUTE_32I, CUBLAS_GEMM_DEFAULT));
  return Status::success();
}
