//===- Kernels.h - CPU reference kernels (kernels/cpu) ----------*- C++ -*-===//
//
// Part of neuropt, under the Apache License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//
//
// The CPU kernels: forward and backward of every operation the models use,
// on raw row-major buffers. They are the reference the CUDA kernels
// (kernels/cuda, declared in CudaOps.h) are tested against. The float
// kernels are templates instantiated for float (training, inference) and
// double (gradient checks against finite differences).
//
// Shapes: a "[R, C] matrix" is R rows of C contiguous elements.
//
//===----------------------------------------------------------------------===//

#ifndef NEUROPT_MODEL_KERNELS_H
#define NEUROPT_MODEL_KERNELS_H

#include <cstddef>
#include <cstdint>

/// Marks a hot integer kernel for AVX2 and baseline clones, picked at load
/// time. Integer results do not depend on the instruction set, so this
/// cannot change a score.
#if defined(__x86_64__) && defined(__GNUC__) && !defined(__clang__) &&         \
    !defined(__CUDACC__)
#define NEUROPT_CPU_CLONES __attribute__((target_clones("avx2", "default")))
#else
#define NEUROPT_CPU_CLONES
#endif

namespace neuropt {
namespace model {
namespace cpu {

//===-- GEMM (kernels/cpu/Gemm.cpp) ---------------------------------------===//

/// Which implementation computes a float GEMM.
enum class GemmImpl {
  Default, ///< Blas in processes that called preferBlas(true), else Native.
  Native,  ///< The hand-written kernel.
  Blas     ///< OpenBLAS through CBLAS (single-threaded); Native if absent.
};

/// True when this build can use a CBLAS implementation (opened on first use).
bool haveBlas();

/// Makes GemmImpl::Default use OpenBLAS when present. Training tools call
/// this: BLAS is several times faster at their sizes, but loading it costs
/// more than all the inference a compile does, so the compiler leaves it off.
void preferBlas(bool Prefer);

/// C[M,N] = Alpha * op(A) * op(B) + Beta * C, all row-major. op(A) is [M,K]:
/// A is [M,K] (LDA >= K) or, transposed, [K,M] (LDA >= M); likewise B.
template <typename T>
void gemm(bool TransA, bool TransB, size_t M, size_t N, size_t K, T Alpha,
          const T *A, size_t LDA, const T *B, size_t LDB, T Beta, T *C,
          size_t LDC, GemmImpl Impl = GemmImpl::Default);

/// Integer GEMM of the deployed path: C[M,N] = A[M,K] * W[N,K]^T, int8
/// inputs, exact int32 accumulation. K must keep |C| < 2^31 (K < 2^17).
void gemmS8S32(size_t M, size_t N, size_t K, const int8_t *A,
               const int8_t *W, int32_t *C);

//===-- Elementwise (kernels/cpu/Elementwise.cpp) -------------------------===//

/// Y[R,C] += Bias[C] broadcast over rows.
template <typename T> void biasForward(size_t R, size_t C, const T *Bias, T *Y);
/// DBias[C] += column sums of DY[R,C].
template <typename T>
void biasBackward(size_t R, size_t C, const T *DY, T *DBias);
/// Z = X + Y elementwise (the backward of add passes DZ to both inputs).
template <typename T> void addForward(size_t N, const T *X, const T *Y, T *Z);
/// DX += DZ (add's backward for one input).
template <typename T> void addBackward(size_t N, const T *DZ, T *DX);
template <typename T> void reluForward(size_t N, const T *X, T *Y);
/// DX = DY where X > 0, else 0.
template <typename T>
void reluBackward(size_t N, const T *X, const T *DY, T *DX);
/// GELU, tanh approximation (as in GPT-2 / llm.c).
template <typename T> void geluForward(size_t N, const T *X, T *Y);
template <typename T>
void geluBackward(size_t N, const T *X, const T *DY, T *DX);

//===-- Layer norm (kernels/cpu/LayerNorm.cpp) ----------------------------===//

/// Per-row layer norm of X[R,C]; saves Mean[R] and Rstd[R] for backward.
template <typename T>
void layerNormForward(size_t R, size_t C, const T *X, const T *Gamma,
                      const T *Beta, T Eps, T *Y, T *Mean, T *Rstd);
/// Accumulates into DX, DGamma and DBeta.
template <typename T>
void layerNormBackward(size_t R, size_t C, const T *X, const T *Gamma,
                       const T *Mean, const T *Rstd, const T *DY, T *DX,
                       T *DGamma, T *DBeta);

//===-- Softmax (kernels/cpu/Softmax.cpp) ---------------------------------===//

template <typename T> void softmaxForward(size_t R, size_t C, const T *X, T *Y);
/// DX = Y * (DY - sum(DY * Y)) per row.
template <typename T>
void softmaxBackward(size_t R, size_t C, const T *Y, const T *DY, T *DX);
template <typename T>
void logSoftmaxForward(size_t R, size_t C, const T *X, T *Y);
/// DX = DY - softmax * sum(DY) per row; Y is the log-softmax output.
template <typename T>
void logSoftmaxBackward(size_t R, size_t C, const T *Y, const T *DY, T *DX);

//===-- Embedding, gather, concat (kernels/cpu/Embedding.cpp, Gather.cpp) -===//

/// Out[N,D] = Table[Ids[n], :]. Ids must be < the table's row count.
template <typename T>
void embeddingForward(size_t N, size_t D, const uint32_t *Ids, const T *Table,
                      T *Out);
/// DTable[Ids[n], :] += DOut[n, :].
template <typename T>
void embeddingBackward(size_t N, size_t D, const uint32_t *Ids, const T *DOut,
                       T *DTable);
/// Out[N,D] = In[Idx[n], :] (row gather).
template <typename T>
void gatherForward(size_t N, size_t D, const uint32_t *Idx, const T *In,
                   T *Out);
/// DIn[Idx[n], :] += DOut[n, :].
template <typename T>
void gatherBackward(size_t N, size_t D, const uint32_t *Idx, const T *DOut,
                    T *DIn);
/// Out[R, CA+CB] = [A[R,CA], B[R,CB]] (column concatenation).
template <typename T>
void concatForward(size_t R, size_t CA, size_t CB, const T *A, const T *B,
                   T *Out);
/// DA += DOut[:, :CA], DB += DOut[:, CA:].
template <typename T>
void concatBackward(size_t R, size_t CA, size_t CB, const T *DOut, T *DA,
                    T *DB);

//===-- Segment reductions over CSR (kernels/cpu/Segment.cpp) -------------===//

/// For each row r of the CSR (RowPtr[R+1], Col[]), Out[r, :] = sum (or mean
/// when Mean) of In[Col[e], :] for e in [RowPtr[r], RowPtr[r+1]). An empty
/// row gives zeros.
template <typename T>
void segmentForward(bool Mean, size_t R, size_t D, const uint32_t *RowPtr,
                    const uint32_t *Col, const T *In, T *Out);
/// DIn[Col[e], :] += DOut[r, :] (divided by the degree when Mean).
template <typename T>
void segmentBackward(bool Mean, size_t R, size_t D, const uint32_t *RowPtr,
                     const uint32_t *Col, const T *DOut, T *DIn);

//===-- Integer inference path (kernels/cpu/Quant.cpp) --------------------===//

/// Out[N, F] = quantizeCount(Counts[N, F]) (see QuantMath.h).
void quantizeCounts(size_t N, size_t F, const int64_t *Counts, int8_t *Out);
/// Out[r, c] = requantize(Acc[r, c] + Bias[c], Mult[c], Shift[c]), then
/// ReLU when Relu, saturated to int8. Acc + Bias must fit in int32 (true
/// for K <= 65536 with quantizeModel's bias clamp of 2^30).
void requantizeRows(size_t R, size_t C, const int32_t *Acc,
                    const int32_t *Bias, const int32_t *Mult,
                    const int32_t *Shift, bool Relu, int8_t *Out);
/// Acc[r, c] += Bias[c] (the unrequantized final layer).
void addBiasS32(size_t R, size_t C, const int32_t *Bias, int32_t *Acc);
/// Integer segment mean over the CSR: the int32 sum of int8 rows divided by
/// the degree with divRoundHalfUp; empty rows give 0. In and Out are [*, D]
/// with row strides InLD and OutLD (Out may be a column slice of a wider
/// buffer).
void segmentMeanS8(size_t R, size_t D, const uint32_t *RowPtr,
                   const uint32_t *Col, const int8_t *In, size_t InLD,
                   int8_t *Out, size_t OutLD);
/// Out[n, :D] = Table[Ids[n], :D] with row strides TableLD and OutLD.
void embeddingS8(size_t N, size_t D, const uint32_t *Ids, const int8_t *Table,
                 size_t TableLD, int8_t *Out, size_t OutLD);

} // namespace cpu
} // namespace model
} // namespace neuropt

#endif // NEUROPT_MODEL_KERNELS_H
