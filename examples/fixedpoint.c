/* fixedpoint.c - Q16.16 fixed-point arithmetic: multiply, divide, integer
 * square root, CORDIC sine/cosine and a fixed-point exponential series. */
#include <stdint.h>
#include <stdio.h>

typedef int32_t fix;
#define FRAC 16
#define ONE ((fix)1 << FRAC)

static fix fmul(fix a, fix b) { return (fix)(((int64_t)a * b) / ONE); }
static fix fdiv(fix a, fix b) { return (fix)(((int64_t)a * ONE) / b); }

static uint32_t isqrt64(uint64_t v) {
  uint64_t res = 0, bit = (uint64_t)1 << 62;
  while (bit > v) bit >>= 2;
  while (bit) {
    if (v >= res + bit) { v -= res + bit; res = (res >> 1) + bit; }
    else res >>= 1;
    bit >>= 2;
  }
  return (uint32_t)res;
}
static fix fsqrt(fix a) { return a <= 0 ? 0 : (fix)isqrt64((uint64_t)a << FRAC); }

/* atan(2^-i) in Q16.16 */
static const fix atan_tab[16] = {51472, 30386, 16055, 8150, 4091, 2047, 1024, 512,
                                 256,   128,   64,    32,   16,   8,    4,    2};
#define CORDIC_K 39797 /* 0.607252935 in Q16.16 */
#define PI_FIX 205887
#define HALF_PI 102944

static void cordic(fix angle, fix *s, fix *c) {
  int neg = 0;
  while (angle > PI_FIX) angle -= 2 * PI_FIX;
  while (angle < -PI_FIX) angle += 2 * PI_FIX;
  if (angle > HALF_PI) { angle -= PI_FIX; neg = 1; }
  else if (angle < -HALF_PI) { angle += PI_FIX; neg = 1; }
  fix x = CORDIC_K, y = 0, z = angle;
  for (int i = 0; i < 16; i++) {
    fix dx = x / (1 << i), dy = y / (1 << i);
    if (z >= 0) { x -= dy; y += dx; z -= atan_tab[i]; }
    else { x += dy; y -= dx; z += atan_tab[i]; }
  }
  *s = neg ? -y : y;
  *c = neg ? -x : x;
}

static fix fexp(fix x) { /* Taylor series, valid for small |x| */
  fix term = ONE, sum = ONE;
  for (int n = 1; n < 20; n++) {
    term = fdiv(fmul(term, x), n * ONE);
    sum += term;
    if (term == 0) break;
  }
  return sum;
}

static void print_fix(const char *label, fix v) {
  int64_t scaled = ((int64_t)v * 100000 + (v >= 0 ? ONE / 2 : -ONE / 2)) / ONE;
  int64_t mag = scaled < 0 ? -scaled : scaled;
  printf("%-16s %s%lld.%05lld (raw %d)\n", label, scaled < 0 ? "-" : "", (long long)(mag / 100000),
         (long long)(mag % 100000), v);
}

int main(void) {
  print_fix("3.25*-1.5", fmul(3 * ONE + ONE / 4, -(ONE + ONE / 2)));
  print_fix("22/7", fdiv(22 * ONE, 7 * ONE));
  print_fix("-1/3", fdiv(-ONE, 3 * ONE));
  static const int sq[] = {2, 3, 10, 144, 1000, 30000};
  for (int i = 0; i < 6; i++) {
    char label[24];
    snprintf(label, sizeof label, "sqrt(%d)", sq[i]);
    print_fix(label, fsqrt(sq[i] * ONE));
  }
  for (int deg = -180; deg <= 360; deg += 45) {
    fix s, c, ang = (fix)((int64_t)PI_FIX * deg / 180);
    cordic(ang, &s, &c);
    char label[24];
    snprintf(label, sizeof label, "sin(%d)", deg);
    print_fix(label, s);
    snprintf(label, sizeof label, "cos(%d)", deg);
    print_fix(label, c);
  }
  print_fix("exp(1)", fexp(ONE));
  print_fix("exp(-2)", fexp(-2 * ONE));
  print_fix("exp(0.5)", fexp(ONE / 2));
  /* fixed-point sum of 1/k^2 for k=1..2000 approximates pi^2/6 */
  fix acc = 0;
  for (int k = 1; k <= 2000; k++) acc += ONE / (k * k);
  print_fix("sum 1/k^2", acc);
  return 0;
}
