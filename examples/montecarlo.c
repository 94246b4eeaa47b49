/* montecarlo.c - Monte Carlo experiments driven by a fixed-seed xorshift64*
 * generator, all in integer arithmetic: pi by dart throwing, a random walk,
 * the birthday paradox and a dice-sum distribution. */
#include <stdint.h>
#include <stdio.h>

static uint64_t state = 0x853C49E6748FEA9Bull;
static uint64_t next(void) {
  state ^= state >> 12; state ^= state << 25; state ^= state >> 27;
  return state * 0x2545F4914F6CDD1Dull;
}
static uint32_t below(uint32_t n) { /* unbiased via rejection */
  uint32_t lim = (uint32_t)(0x100000000ull - 0x100000000ull % n) - 1u;
  for (;;) { uint32_t r = (uint32_t)(next() >> 32); if (r <= lim || lim == 0xFFFFFFFFu) return r % n; }
}

int main(void) {
  const int64_t R = 1 << 20;
  long inside = 0, darts = 400000;
  for (long i = 0; i < darts; i++) {
    int64_t x = (int64_t)(next() >> 44), y = (int64_t)(next() >> 44); /* 0 .. 2^20-1 */
    if (x * x + y * y < R * R) inside++;
  }
  long pi_e6 = inside * 4000000 / darts;
  printf("pi ~ %ld.%06ld (%ld of %ld darts)\n", pi_e6 / 1000000, pi_e6 % 1000000, inside, darts);
  long maxd = 0, returns = 0;
  int64_t px = 0, py = 0;
  for (long i = 0; i < 200000; i++) {
    switch (below(4)) { case 0: px++; break; case 1: px--; break; case 2: py++; break; default: py--; }
    if (px == 0 && py == 0) returns++;
    int64_t d = (px < 0 ? -px : px) + (py < 0 ? -py : py);
    if (d > maxd) maxd = d;
  }
  printf("random walk: end (%lld,%lld), max manhattan %ld, returns to origin %ld\n",
         (long long)px, (long long)py, maxd, returns);
  for (int people = 10; people <= 60; people += 10) {
    int trials = 5000, hits = 0;
    for (int t = 0; t < trials; t++) {
      uint8_t seen[365] = {0};
      for (int p = 0; p < people; p++) {
        uint32_t d = below(365);
        if (seen[d]) { hits++; break; }
        seen[d] = 1;
      }
    }
    printf("birthday: %d people -> %d.%01d%% shared\n", people, hits * 100 / trials, (hits * 1000 / trials) % 10);
  }
  long hist[19] = {0};
  for (long i = 0; i < 300000; i++) hist[below(6) + below(6) + below(6) + 3]++;
  for (int s = 3; s <= 18; s++) {
    printf("3d6=%2d %6ld ", s, hist[s]);
    for (long k = 0; k < hist[s] / 1000; k++) putchar('*');
    putchar('\n');
  }
  return 0;
}
