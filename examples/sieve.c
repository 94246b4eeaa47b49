/* sieve.c - sieve of Eratosthenes, prime counting, twin primes, Goldbach
 * checks and a segmented sieve cross-check. */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#define LIMIT 2000000u

static uint8_t composite[LIMIT + 1];

static void sieve(void) {
  composite[0] = composite[1] = 1;
  for (uint32_t i = 2; (uint64_t)i * i <= LIMIT; i++)
    if (!composite[i])
      for (uint32_t j = i * i; j <= LIMIT; j += i) composite[j] = 1;
}

static int is_prime_trial(uint32_t n) {
  if (n < 2) return 0;
  if (n % 2 == 0) return n == 2;
  for (uint32_t d = 3; (uint64_t)d * d <= n; d += 2)
    if (n % d == 0) return 0;
  return 1;
}

/* count primes in [lo, hi) with a segmented sieve using small primes */
static uint32_t segmented_count(uint32_t lo, uint32_t hi) {
  static uint8_t seg[65536];
  uint32_t count = 0;
  for (uint32_t base = lo; base < hi; base += sizeof seg) {
    uint32_t top = base + sizeof seg < hi ? base + (uint32_t)sizeof seg : hi;
    memset(seg, 0, top - base);
    for (uint32_t p = 2; (uint64_t)p * p < top; p++) {
      if (composite[p]) continue;
      uint32_t start = (base + p - 1) / p * p;
      if (start < p * p) start = p * p;
      for (uint32_t m = start; m < top; m += p) seg[m - base] = 1;
    }
    for (uint32_t n = base; n < top; n++)
      if (n >= 2 && !seg[n - base]) count++;
  }
  return count;
}

int main(void) {
  sieve();
  uint32_t count = 0, twins = 0, last = 0;
  uint64_t sum = 0;
  uint32_t maxgap = 0, gapat = 0;
  static const uint32_t marks[] = {10, 100, 1000, 10000, 100000, 1000000, 2000000};
  size_t mk = 0;
  for (uint32_t n = 2; n <= LIMIT; n++) {
    if (!composite[n]) {
      count++;
      sum += n;
      if (last && n - last == 2) twins++;
      if (last && n - last > maxgap) { maxgap = n - last; gapat = last; }
      last = n;
    }
    if (mk < sizeof marks / sizeof marks[0] && n == marks[mk]) {
      printf("pi(%u) = %u\n", n, count);
      mk++;
    }
  }
  printf("sum of primes <= %u: %llu\n", LIMIT, (unsigned long long)sum);
  printf("twin prime pairs: %u, largest prime: %u\n", twins, last);
  printf("max gap %u after %u\n", maxgap, gapat);
  uint32_t mismatches = 0;
  for (uint32_t n = 0; n < 20000; n++)
    if (is_prime_trial(n) != !composite[n]) mismatches++;
  printf("trial-division mismatches below 20000: %u\n", mismatches);
  for (uint32_t even = 4; even <= 100000; even += 2) {
    uint32_t p = 2;
    while (composite[p] || composite[even - p]) p++;
    if (even % 20000 == 0) printf("goldbach %u = %u + %u\n", even, p, even - p);
  }
  printf("segmented count [1000000, 2000000): %u\n", segmented_count(1000000, 2000000));
  printf("segmented count [0, 2000001): %u\n", segmented_count(0, LIMIT + 1));
  return 0;
}
