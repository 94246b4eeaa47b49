/* bignum.c - arbitrary-precision unsigned arithmetic in base 10^9:
 * factorials, powers of two, Fibonacci numbers and digit sums. */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#define MAXL 400
#define BASE 1000000000u

typedef struct { int n; uint32_t d[MAXL]; } Big; /* little-endian limbs */

static void big_set(Big *a, uint32_t v) {
  a->n = 0;
  while (v) { a->d[a->n++] = v % BASE; v /= BASE; }
}
static void big_mul_small(Big *a, uint32_t m) {
  uint64_t carry = 0;
  for (int i = 0; i < a->n; i++) {
    uint64_t t = (uint64_t)a->d[i] * m + carry;
    a->d[i] = (uint32_t)(t % BASE);
    carry = t / BASE;
  }
  while (carry) { a->d[a->n++] = (uint32_t)(carry % BASE); carry /= BASE; }
}
static void big_add(Big *r, const Big *a, const Big *b) {
  uint32_t carry = 0;
  int n = a->n > b->n ? a->n : b->n;
  for (int i = 0; i < n; i++) {
    uint32_t s = carry + (i < a->n ? a->d[i] : 0) + (i < b->n ? b->d[i] : 0);
    carry = s >= BASE;
    r->d[i] = s - (carry ? BASE : 0);
  }
  r->n = n;
  if (carry) r->d[r->n++] = carry;
}
static void big_mul(Big *r, const Big *a, const Big *b) {
  static uint64_t acc[2 * MAXL];
  memset(acc, 0, sizeof acc);
  for (int i = 0; i < a->n; i++) {
    uint64_t carry = 0;
    for (int j = 0; j < b->n; j++) {
      uint64_t t = acc[i + j] + (uint64_t)a->d[i] * b->d[j] + carry;
      acc[i + j] = t % BASE;
      carry = t / BASE;
    }
    int k = i + b->n;
    while (carry) { uint64_t t = acc[k] + carry; acc[k++] = t % BASE; carry = t / BASE; }
  }
  int n = a->n + b->n;
  while (n > 0 && acc[n - 1] == 0) n--;
  for (int i = 0; i < n; i++) r->d[i] = (uint32_t)acc[i];
  r->n = n;
}
static int big_digits(const Big *a, char *buf) {
  if (a->n == 0) { strcpy(buf, "0"); return 1; }
  int len = sprintf(buf, "%u", a->d[a->n - 1]);
  for (int i = a->n - 2; i >= 0; i--) len += sprintf(buf + len, "%09u", a->d[i]);
  return len;
}
static void show(const char *label, const Big *a) {
  static char buf[MAXL * 9 + 2];
  int len = big_digits(a, buf);
  int sum = 0;
  for (int i = 0; i < len; i++) sum += buf[i] - '0';
  if (len <= 60) printf("%s = %s\n", label, buf);
  else printf("%s = %.20s...%s (%d digits, digit sum %d)\n", label, buf, buf + len - 20, len, sum);
}

int main(void) {
  Big f, p, a, b, c;
  char label[32];
  big_set(&f, 1);
  for (uint32_t i = 1; i <= 500; i++) {
    big_mul_small(&f, i);
    if (i == 10 || i == 25 || i == 52 || i == 100 || i == 500) {
      snprintf(label, sizeof label, "%u!", i);
      show(label, &f);
    }
  }
  big_set(&p, 1);
  for (int i = 1; i <= 1000; i++) big_mul_small(&p, 2);
  show("2^1000", &p);
  big_set(&a, 0); big_set(&b, 1);
  for (int i = 2; i <= 1000; i++) { big_add(&c, &a, &b); a = b; b = c; }
  show("fib(1000)", &b);
  Big sq;
  big_mul(&sq, &b, &b);
  show("fib(1000)^2", &sq);
  big_set(&a, 3);
  big_set(&c, 1);
  for (int i = 0; i < 200; i++) { big_mul(&sq, &c, &a); c = sq; }
  show("3^200", &c);
  big_set(&a, 999999999u); big_mul(&c, &a, &a); show("999999999^2", &c);
  return 0;
}
