/* crc32.c - table-driven CRC-32, bitwise CRC-32C, Adler-32 and FNV-1a hashes
 * over fixed strings and a generated buffer. */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

static uint32_t crc_table[256];

static void crc32_init(void) {
  for (uint32_t i = 0; i < 256; i++) {
    uint32_t c = i;
    for (int k = 0; k < 8; k++)
      c = (c & 1u) ? 0xEDB88320u ^ (c >> 1) : c >> 1;
    crc_table[i] = c;
  }
}

static uint32_t crc32(const unsigned char *p, size_t n) {
  uint32_t c = 0xFFFFFFFFu;
  for (size_t i = 0; i < n; i++)
    c = crc_table[(c ^ p[i]) & 0xFFu] ^ (c >> 8);
  return c ^ 0xFFFFFFFFu;
}

static uint32_t crc32c_bitwise(const unsigned char *p, size_t n) {
  uint32_t c = 0xFFFFFFFFu;
  for (size_t i = 0; i < n; i++) {
    c ^= p[i];
    for (int k = 0; k < 8; k++)
      c = (c >> 1) ^ (0x82F63B78u & (0u - (c & 1u)));
  }
  return ~c;
}

static uint32_t adler32(const unsigned char *p, size_t n) {
  uint32_t a = 1, b = 0;
  for (size_t i = 0; i < n; i++) {
    a = (a + p[i]) % 65521u;
    b = (b + a) % 65521u;
  }
  return (b << 16) | a;
}

static uint32_t fnv1a32(const unsigned char *p, size_t n) {
  uint32_t h = 2166136261u;
  for (size_t i = 0; i < n; i++) {
    h ^= p[i];
    h *= 16777619u;
  }
  return h;
}

static uint64_t fnv1a64(const unsigned char *p, size_t n) {
  uint64_t h = 14695981039346656037ull;
  for (size_t i = 0; i < n; i++) {
    h ^= p[i];
    h *= 1099511628211ull;
  }
  return h;
}

int main(void) {
  static const char *inputs[] = {
      "", "a", "abc", "123456789", "The quick brown fox jumps over the lazy dog",
      "Wikipedia", "neuropt: learned compiler passes, verified before use"};
  crc32_init();
  for (size_t i = 0; i < sizeof inputs / sizeof inputs[0]; i++) {
    const unsigned char *s = (const unsigned char *)inputs[i];
    size_t n = strlen(inputs[i]);
    printf("%-55s crc32=%08x crc32c=%08x adler=%08x fnv32=%08x fnv64=%016llx\n",
           inputs[i], crc32(s, n), crc32c_bitwise(s, n), adler32(s, n),
           fnv1a32(s, n), (unsigned long long)fnv1a64(s, n));
  }
  static unsigned char buf[1 << 16];
  uint32_t x = 12345u;
  for (size_t i = 0; i < sizeof buf; i++) {
    x = x * 1103515245u + 12345u;
    buf[i] = (unsigned char)(x >> 16);
  }
  printf("buffer %u bytes: crc32=%08x crc32c=%08x adler=%08x fnv32=%08x\n",
         (unsigned)sizeof buf, crc32(buf, sizeof buf), crc32c_bitwise(buf, sizeof buf),
         adler32(buf, sizeof buf), fnv1a32(buf, sizeof buf));
  return 0;
}
