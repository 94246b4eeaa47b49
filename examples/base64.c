/* base64.c - base64 encode/decode round trips, including invalid input. */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

static const char ALPHA[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

static size_t b64_encode(const unsigned char *in, size_t n, char *out) {
  size_t o = 0, i = 0;
  for (; i + 2 < n; i += 3) {
    uint32_t v = ((uint32_t)in[i] << 16) | ((uint32_t)in[i + 1] << 8) | in[i + 2];
    out[o++] = ALPHA[(v >> 18) & 63];
    out[o++] = ALPHA[(v >> 12) & 63];
    out[o++] = ALPHA[(v >> 6) & 63];
    out[o++] = ALPHA[v & 63];
  }
  if (i < n) {
    uint32_t v = (uint32_t)in[i] << 16;
    if (i + 1 < n) v |= (uint32_t)in[i + 1] << 8;
    out[o++] = ALPHA[(v >> 18) & 63];
    out[o++] = ALPHA[(v >> 12) & 63];
    out[o++] = (i + 1 < n) ? ALPHA[(v >> 6) & 63] : '=';
    out[o++] = '=';
  }
  out[o] = '\0';
  return o;
}

static int dec_char(char c) {
  if (c >= 'A' && c <= 'Z') return c - 'A';
  if (c >= 'a' && c <= 'z') return c - 'a' + 26;
  if (c >= '0' && c <= '9') return c - '0' + 52;
  if (c == '+') return 62;
  if (c == '/') return 63;
  return -1;
}

/* Returns decoded length, or -1 on malformed input. */
static long b64_decode(const char *in, unsigned char *out) {
  size_t n = strlen(in);
  if (n % 4 != 0) return -1;
  long o = 0;
  for (size_t i = 0; i < n; i += 4) {
    int pad = 0;
    uint32_t v = 0;
    for (int k = 0; k < 4; k++) {
      char c = in[i + k];
      int d;
      if (c == '=' && i + 4 == n && k >= 2) { pad++; d = 0; }
      else if (pad) return -1;
      else if ((d = dec_char(c)) < 0) return -1;
      v = (v << 6) | (uint32_t)d;
    }
    out[o++] = (unsigned char)(v >> 16);
    if (pad < 2) out[o++] = (unsigned char)(v >> 8);
    if (pad < 1) out[o++] = (unsigned char)v;
  }
  return o;
}

int main(void) {
  static const char *texts[] = {"", "f", "fo", "foo", "foob", "fooba", "foobar",
                                "Many hands make light work.", "\xff\xfe\x00\x01"};
  char enc[4096];
  unsigned char dec[4096];
  for (size_t i = 0; i < sizeof texts / sizeof texts[0]; i++) {
    size_t n = strlen(texts[i]);
    b64_encode((const unsigned char *)texts[i], n, enc);
    long m = b64_decode(enc, dec);
    int ok = m == (long)n && memcmp(dec, texts[i], n) == 0;
    printf("%zu: \"%s\" %s\n", n, enc, ok ? "roundtrip-ok" : "roundtrip-BAD");
  }
  static const char *bad[] = {"abc", "ab=c", "a*cd", "====", "QUJD", "QQ==", "QUI="};
  for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
    long m = b64_decode(bad[i], dec);
    printf("decode \"%s\" -> %ld", bad[i], m);
    if (m > 0) printf(" \"%.*s\"", (int)m, (const char *)dec);
    printf("\n");
  }
  /* all lengths 0..600 of a generated binary buffer */
  static unsigned char data[600];
  uint32_t x = 2463534242u, sum = 0;
  for (size_t i = 0; i < sizeof data; i++) {
    x ^= x << 13; x ^= x >> 17; x ^= x << 5;
    data[i] = (unsigned char)x;
  }
  int failures = 0;
  for (size_t n = 0; n <= sizeof data; n++) {
    size_t e = b64_encode(data, n, enc);
    for (size_t k = 0; k < e; k++) sum = sum * 31u + (unsigned char)enc[k];
    long m = b64_decode(enc, dec);
    if (m != (long)n || memcmp(dec, data, n) != 0) failures++;
  }
  printf("binary round trips: 601 lengths, %d failures, checksum %08x\n", failures, sum);
  return 0;
}
