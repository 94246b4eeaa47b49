/* bits.c - bit-manipulation tricks: popcount, count leading/trailing zeros,
 * rotates, bit reversal, byte swap, gray code, next permutation of bits,
 * power-of-two rounding and parity, each checked against a naive version. */
#include <stdint.h>
#include <stdio.h>

static int pop_naive(uint32_t x) { int c = 0; for (int i = 0; i < 32; i++) c += (x >> i) & 1u; return c; }
static int pop_swar(uint32_t x) {
  x = x - ((x >> 1) & 0x55555555u);
  x = (x & 0x33333333u) + ((x >> 2) & 0x33333333u);
  x = (x + (x >> 4)) & 0x0F0F0F0Fu;
  return (int)((x * 0x01010101u) >> 24);
}
static int clz_naive(uint32_t x) { int n = 0; for (int i = 31; i >= 0 && !((x >> i) & 1u); i--) n++; return n; }
static int clz_bin(uint32_t x) {
  if (!x) return 32;
  int n = 0;
  if (!(x & 0xFFFF0000u)) { n += 16; x <<= 16; }
  if (!(x & 0xFF000000u)) { n += 8; x <<= 8; }
  if (!(x & 0xF0000000u)) { n += 4; x <<= 4; }
  if (!(x & 0xC0000000u)) { n += 2; x <<= 2; }
  if (!(x & 0x80000000u)) n += 1;
  return n;
}
static int ctz_naive(uint32_t x) { int n = 0; while (n < 32 && !((x >> n) & 1u)) n++; return n; }
static uint32_t rotl(uint32_t x, unsigned r) { r &= 31; return (x << r) | (x >> ((32 - r) & 31)); }
static uint32_t rotr(uint32_t x, unsigned r) { r &= 31; return (x >> r) | (x << ((32 - r) & 31)); }
static uint32_t rev_naive(uint32_t x) { uint32_t r = 0; for (int i = 0; i < 32; i++) r = (r << 1) | ((x >> i) & 1u); return r; }
static uint32_t rev_fast(uint32_t x) {
  x = ((x >> 1) & 0x55555555u) | ((x & 0x55555555u) << 1);
  x = ((x >> 2) & 0x33333333u) | ((x & 0x33333333u) << 2);
  x = ((x >> 4) & 0x0F0F0F0Fu) | ((x & 0x0F0F0F0Fu) << 4);
  x = ((x >> 8) & 0x00FF00FFu) | ((x & 0x00FF00FFu) << 8);
  return (x >> 16) | (x << 16);
}
static uint32_t bswap(uint32_t x) { return (x >> 24) | ((x >> 8) & 0xFF00u) | ((x << 8) & 0xFF0000u) | (x << 24); }
static uint32_t gray(uint32_t x) { return x ^ (x >> 1); }
static uint32_t gray_inv(uint32_t g) { for (uint32_t s = 1; s < 32; s <<= 1) g ^= g >> s; return g; }
static uint32_t next_perm(uint32_t v) { uint32_t t = v | (v - 1); return (t + 1) | (((~t & (0u - ~t)) - 1) >> (ctz_naive(v) + 1)); }
static uint32_t round_pow2(uint32_t v) { v--; v |= v >> 1; v |= v >> 2; v |= v >> 4; v |= v >> 8; v |= v >> 16; return v + 1; }
static int parity(uint32_t v) { v ^= v >> 16; v ^= v >> 8; v ^= v >> 4; return (int)((0x6996u >> (v & 0xFu)) & 1u); }

int main(void) {
  uint32_t x = 0x12345678u, errs = 0, acc = 0;
  for (int i = 0; i < 200000; i++) {
    x ^= x << 13; x ^= x >> 17; x ^= x << 5;
    uint32_t v = x >> (i % 32);
    if (pop_naive(v) != pop_swar(v) || pop_swar(v) != __builtin_popcount(v)) errs++;
    if (clz_naive(v) != clz_bin(v)) errs++;
    if (v && ctz_naive(v) != __builtin_ctz(v)) errs++;
    if (rev_naive(v) != rev_fast(v)) errs++;
    if (rotr(rotl(v, (unsigned)i), (unsigned)i) != v) errs++;
    if (bswap(bswap(v)) != v || bswap(v) != __builtin_bswap32(v)) errs++;
    if (gray_inv(gray(v)) != v) errs++;
    if (parity(v) != (pop_naive(v) & 1)) errs++;
    acc = acc * 31u + (uint32_t)pop_swar(v) + rev_fast(v) + rotl(v, 7) + (uint32_t)clz_bin(v);
  }
  printf("random checks: %u errors, accumulator %08x\n", errs, acc);
  static const uint32_t samples[] = {0u, 1u, 0x80000000u, 0xFFFFFFFFu, 0xDEADBEEFu, 0x00F0F000u, 1000u};
  for (int i = 0; i < 7; i++) {
    uint32_t v = samples[i];
    printf("%08x pop=%2d clz=%2d ctz=%2d rev=%08x bswap=%08x rotl5=%08x gray=%08x parity=%d\n", v,
           pop_swar(v), clz_bin(v), ctz_naive(v), rev_fast(v), bswap(v), rotl(v, 5), gray(v), parity(v));
  }
  printf("combinations of 3 bits in 6:");
  for (uint32_t v = 7u; v < 64u; v = next_perm(v)) printf(" %02x", v);
  printf("\n");
  static const uint32_t r[] = {1, 2, 3, 5, 17, 1000, 65535, 65537, 0x40000001u};
  printf("round up to power of two:");
  for (int i = 0; i < 9; i++) printf(" %u->%u", r[i], round_pow2(r[i]));
  printf("\n");
  printf("gray sequence:");
  for (uint32_t i = 0; i < 16; i++) printf(" %u", gray(i));
  printf("\n");
  return 0;
}
