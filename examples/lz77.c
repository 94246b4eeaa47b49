/* lz77.c - an LZ77-style compressor with a hash-chain match finder and a
 * token stream of literals and (distance, length) pairs; round-trips several
 * generated inputs. */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#define WINDOW 4096
#define MIN_MATCH 3
#define MAX_MATCH 258
#define HASH_BITS 12

static int32_t head[1 << HASH_BITS];
static int32_t prev_pos[1 << 17];

static uint32_t hash3(const unsigned char *p) {
  uint32_t v = ((uint32_t)p[0] << 16) | ((uint32_t)p[1] << 8) | p[2];
  return (v * 2654435761u) >> (32 - HASH_BITS);
}

/* Output format: flag byte 0 + literal, or flag byte 1 + dist(2 bytes) + len-3 (1 byte). */
static size_t compress(const unsigned char *in, size_t n, unsigned char *out) {
  size_t o = 0, i = 0;
  for (size_t k = 0; k < (1u << HASH_BITS); k++) head[k] = -1;
  while (i < n) {
    size_t best_len = 0, best_dist = 0;
    if (i + MIN_MATCH <= n) {
      uint32_t h = hash3(in + i);
      int32_t cand = head[h];
      int chain = 32;
      while (cand >= 0 && i - (size_t)cand <= WINDOW && chain-- > 0) {
        size_t l = 0;
        while (l < MAX_MATCH && i + l < n && in[cand + l] == in[i + l]) l++;
        if (l > best_len) { best_len = l; best_dist = i - (size_t)cand; }
        cand = prev_pos[cand];
      }
    }
    size_t step = best_len >= MIN_MATCH ? best_len : 1;
    if (best_len >= MIN_MATCH) {
      out[o++] = 1;
      out[o++] = (unsigned char)(best_dist >> 8);
      out[o++] = (unsigned char)best_dist;
      out[o++] = (unsigned char)(best_len - MIN_MATCH);
    } else {
      out[o++] = 0;
      out[o++] = in[i];
    }
    for (size_t k = 0; k < step; k++, i++)
      if (i + MIN_MATCH <= n) {
        uint32_t h = hash3(in + i);
        prev_pos[i] = head[h];
        head[h] = (int32_t)i;
      }
  }
  return o;
}

static long decompress(const unsigned char *in, size_t n, unsigned char *out, size_t cap) {
  size_t o = 0, i = 0;
  while (i < n) {
    if (in[i] == 0) {
      if (i + 1 >= n || o >= cap) return -1;
      out[o++] = in[i + 1];
      i += 2;
    } else {
      if (i + 3 >= n) return -1;
      size_t dist = ((size_t)in[i + 1] << 8) | in[i + 2];
      size_t len = (size_t)in[i + 3] + MIN_MATCH;
      if (dist == 0 || dist > o || o + len > cap) return -1;
      for (size_t k = 0; k < len; k++, o++) out[o] = out[o - dist];
      i += 4;
    }
  }
  return (long)o;
}

static unsigned char input[100000], comp[200100], output[100000];

static void run(const char *name, size_t n) {
  size_t c = compress(input, n, comp);
  long d = decompress(comp, c, output, sizeof output);
  uint32_t h = 5381;
  for (size_t k = 0; k < c; k++) h = h * 33u + comp[k];
  printf("%-12s in=%6zu out=%6zu ratio=%5.1f%% hash=%08x roundtrip=%s\n", name, n, c,
         100.0 * (double)c / (double)(n ? n : 1), h,
         d == (long)n && memcmp(input, output, n) == 0 ? "ok" : "FAIL");
}

int main(void) {
  size_t n;
  n = 0;
  while (n < 60000) {
    static const char *s = "It was the best of times, it was the worst of times; ";
    size_t l = strlen(s);
    memcpy(input + n, s, l);
    n += l;
    input[n] = (unsigned char)('a' + (n / 7) % 26);
    n++;
  }
  run("prose", n);
  uint32_t x = 1u;
  for (size_t k = 0; k < 50000; k++) { x ^= x << 13; x ^= x >> 17; x ^= x << 5; input[k] = (unsigned char)x; }
  run("random", 50000);
  memset(input, 'z', 80000);
  run("runs", 80000);
  for (size_t k = 0; k < 70000; k++) input[k] = (unsigned char)((k * k / 97) & 0xFF);
  run("quadratic", 70000);
  run("empty", 0);
  input[0] = 'q';
  run("one byte", 1);
  static const unsigned char corrupt[] = {0, 'a', 1, 0, 5, 2};
  printf("corrupt stream -> %ld\n", decompress(corrupt, sizeof corrupt, output, sizeof output));
  return 0;
}
