/* mandelbrot.c - integer (fixed-point Q4.24) Mandelbrot set rendered as
 * ASCII art, plus iteration histogram and a checksum. */
#include <stdint.h>
#include <stdio.h>

#define W 78
#define H 32
#define MAXIT 200
#define SHIFT 24

static int iterate(int64_t cr, int64_t ci) {
  int64_t zr = 0, zi = 0;
  const int64_t four = (int64_t)4 << SHIFT;
  for (int i = 0; i < MAXIT; i++) {
    int64_t zr2 = (zr * zr) >> SHIFT, zi2 = (zi * zi) >> SHIFT;
    if (zr2 + zi2 > four) return i;
    int64_t t = zr2 - zi2 + cr;
    zi = ((zr * zi) >> (SHIFT - 1)) + ci;
    zr = t;
  }
  return MAXIT;
}

int main(void) {
  static const char shades[] = " .:-=+*#%@";
  const int64_t one = (int64_t)1 << SHIFT;
  const int64_t x0 = -2 * one - one / 4, x1 = one - one / 4;  /* -2.25 .. 0.75 */
  const int64_t y0 = -(one + one / 8), y1 = one + one / 8;   /* -1.125 .. 1.125 */
  uint32_t hist[11] = {0}, sum = 0;
  for (int y = 0; y < H; y++) {
    int64_t ci = y0 + (y1 - y0) * y / (H - 1);
    char line[W + 1];
    for (int x = 0; x < W; x++) {
      int64_t cr = x0 + (x1 - x0) * x / (W - 1);
      int it = iterate(cr, ci);
      sum = sum * 31u + (uint32_t)it;
      hist[it == MAXIT ? 10 : it * 10 / MAXIT]++;
      line[x] = it == MAXIT ? '@' : shades[it % 9];
    }
    line[W] = '\0';
    printf("|%s|\n", line);
  }
  for (int b = 0; b < 11; b++) printf("bucket %2d: %u\n", b, hist[b]);
  printf("checksum %08x\n", sum);
  /* deep zoom near the seahorse valley */
  uint64_t total = 0;
  for (int y = 0; y < 64; y++)
    for (int x = 0; x < 64; x++) {
      int64_t cr = -one * 3 / 4 + (one / 1000) * (x - 32) / 4;
      int64_t ci = one / 10 + (one / 1000) * (y - 32) / 4;
      total += (uint64_t)iterate(cr, ci);
    }
  printf("zoom iterations: %llu\n", (unsigned long long)total);
  return 0;
}
