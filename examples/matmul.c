/* matmul.c - integer matrix multiply (naive, transposed and blocked), matrix
 * power by squaring for Fibonacci mod p, and an exact double-precision
 * product of small integers. */
#include <stdint.h>
#include <stdio.h>

#define N 96

static uint32_t A[N][N], B[N][N], C1[N][N], C2[N][N], C3[N][N], BT[N][N];
static double DA[N][N], DB[N][N], DC[N][N];

static uint32_t hashm(uint32_t m[N][N]) {
  uint32_t h = 2166136261u;
  for (int i = 0; i < N; i++)
    for (int j = 0; j < N; j++) h = (h ^ m[i][j]) * 16777619u;
  return h;
}

static void mul2(uint64_t r[2][2], uint64_t a[2][2], uint64_t b[2][2], uint64_t p) {
  uint64_t t[2][2];
  for (int i = 0; i < 2; i++)
    for (int j = 0; j < 2; j++) t[i][j] = (a[i][0] * b[0][j] % p + a[i][1] * b[1][j] % p) % p;
  for (int i = 0; i < 2; i++)
    for (int j = 0; j < 2; j++) r[i][j] = t[i][j];
}

static uint64_t fib_mod(uint64_t n, uint64_t p) {
  uint64_t r[2][2] = {{1, 0}, {0, 1}}, m[2][2] = {{1, 1}, {1, 0}};
  while (n) {
    if (n & 1) mul2(r, r, m, p);
    mul2(m, m, m, p);
    n >>= 1;
  }
  return r[0][1];
}

int main(void) {
  uint32_t s = 1;
  for (int i = 0; i < N; i++)
    for (int j = 0; j < N; j++) {
      s = s * 1103515245u + 12345u; A[i][j] = s >> 8;
      s = s * 1103515245u + 12345u; B[i][j] = s >> 8;
      DA[i][j] = (double)((int)((s >> 4) % 201u) - 100);
      DB[i][j] = (double)((int)((s >> 12) % 201u) - 100);
    }
  for (int i = 0; i < N; i++)
    for (int j = 0; j < N; j++) {
      uint32_t acc = 0;
      for (int k = 0; k < N; k++) acc += A[i][k] * B[k][j];
      C1[i][j] = acc;
    }
  for (int i = 0; i < N; i++)
    for (int j = 0; j < N; j++) BT[j][i] = B[i][j];
  for (int i = 0; i < N; i++)
    for (int j = 0; j < N; j++) {
      uint32_t acc = 0;
      for (int k = 0; k < N; k++) acc += A[i][k] * BT[j][k];
      C2[i][j] = acc;
    }
  for (int ii = 0; ii < N; ii += 16)
    for (int kk = 0; kk < N; kk += 16)
      for (int jj = 0; jj < N; jj += 16)
        for (int i = ii; i < ii + 16; i++)
          for (int k = kk; k < kk + 16; k++) {
            uint32_t a = A[i][k];
            for (int j = jj; j < jj + 16; j++) C3[i][j] += a * B[k][j];
          }
  printf("naive   %08x\ntransp  %08x\nblocked %08x\n", hashm(C1), hashm(C2), hashm(C3));
  printf("C[0][0]=%u C[%d][%d]=%u\n", C1[0][0], N - 1, N - 1, C1[N - 1][N - 1]);
  for (int i = 0; i < N; i++)
    for (int j = 0; j < N; j++) {
      double acc = 0.0;
      for (int k = 0; k < N; k++) acc += DA[i][k] * DB[k][j];
      DC[i][j] = acc;
    }
  double trace = 0.0, maxv = DC[0][0];
  for (int i = 0; i < N; i++) {
    trace += DC[i][i];
    for (int j = 0; j < N; j++) if (DC[i][j] > maxv) maxv = DC[i][j];
  }
  printf("double product: trace=%.1f max=%.1f corner=%.1f\n", trace, maxv, DC[N - 1][0]);
  static const uint64_t ns[] = {10, 90, 1000, 123456789, 1000000000000ull};
  for (int i = 0; i < 5; i++)
    printf("fib(%llu) mod 1000000007 = %llu\n", (unsigned long long)ns[i],
           (unsigned long long)fib_mod(ns[i], 1000000007ull));
  return 0;
}
