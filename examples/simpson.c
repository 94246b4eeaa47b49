/* simpson.c - floating-point numerics without libm: Simpson and trapezoid
 * integration, Newton square roots, a series for exp and Kahan summation.
 * Printed with %.6f; compile with -ffp-contract=off for stable output. */
#include <stdio.h>

typedef double (*fn)(double);

static double f_poly(double x) { return 3.0 * x * x * x - 2.0 * x + 1.0; }
static double f_atan_d(double x) { return 4.0 / (1.0 + x * x); } /* integrates to pi on [0,1] */
static double f_recip(double x) { return 1.0 / x; }               /* ln 2 on [1,2] */
static double f_gauss(double x) {                                  /* exp(-x^2) via series */
  double t = -x * x, term = 1.0, sum = 1.0;
  for (int n = 1; n < 40; n++) { term *= t / n; sum += term; }
  return sum;
}

static double simpson(fn f, double a, double b, int n) {
  double h = (b - a) / n, s = f(a) + f(b);
  for (int i = 1; i < n; i++) s += (i % 2 ? 4.0 : 2.0) * f(a + i * h);
  return s * h / 3.0;
}

static double trapezoid(fn f, double a, double b, int n) {
  double h = (b - a) / n, s = 0.5 * (f(a) + f(b));
  for (int i = 1; i < n; i++) s += f(a + i * h);
  return s * h;
}

static double adaptive(fn f, double a, double b, double eps, double whole, int depth, int *calls) {
  double m = 0.5 * (a + b);
  double left = simpson(f, a, m, 2), right = simpson(f, m, b, 2);
  ++*calls;
  double diff = left + right - whole;
  if (depth <= 0 || (diff < 0 ? -diff : diff) <= 15.0 * eps) return left + right + diff / 15.0;
  return adaptive(f, a, m, eps / 2, left, depth - 1, calls) + adaptive(f, m, b, eps / 2, right, depth - 1, calls);
}

static double newton_sqrt(double v, int *iters) {
  double x = v > 1.0 ? v : 1.0;
  *iters = 0;
  for (;;) {
    double nx = 0.5 * (x + v / x);
    ++*iters;
    if (nx >= x) return x;
    x = nx;
  }
}

static double exp_series(double x) {
  double term = 1.0, sum = 1.0;
  for (int n = 1; n < 60; n++) { term *= x / n; sum += term; }
  return sum;
}

int main(void) {
  static const struct { const char *name; fn f; double a, b; } ints[] = {
      {"3x^3-2x+1 on [0,2]", f_poly, 0.0, 2.0},
      {"4/(1+x^2) on [0,1]", f_atan_d, 0.0, 1.0},
      {"1/x on [1,2]", f_recip, 1.0, 2.0},
      {"exp(-x^2) on [0,3]", f_gauss, 0.0, 3.0},
  };
  for (int i = 0; i < 4; i++) {
    printf("%s\n", ints[i].name);
    for (int n = 4; n <= 1024; n *= 4)
      printf("  n=%4d simpson=%.6f trapezoid=%.6f\n", n, simpson(ints[i].f, ints[i].a, ints[i].b, n),
             trapezoid(ints[i].f, ints[i].a, ints[i].b, n));
    int calls = 0;
    double whole = simpson(ints[i].f, ints[i].a, ints[i].b, 2);
    double r = adaptive(ints[i].f, ints[i].a, ints[i].b, 1e-9, whole, 30, &calls);
    printf("  adaptive=%.6f (%d subdivisions)\n", r, calls);
  }
  static const double sq[] = {2.0, 10.0, 12345.0, 0.25, 1e10};
  for (int i = 0; i < 5; i++) {
    int it;
    double r = newton_sqrt(sq[i], &it);
    printf("sqrt(%.2f) = %.6f in %d iterations, r*r-v = %.3e\n", sq[i], r, it, r * r - sq[i]);
  }
  for (int x = -4; x <= 4; x += 2) printf("exp(%d) = %.6f\n", x, exp_series((double)x));
  double naive = 0.0, kahan = 0.0, comp = 0.0;
  for (int i = 1; i <= 1000000; i++) {
    double v = 1.0 / ((double)i * (double)i);
    naive += v;
    double y = v - comp, t = kahan + y;
    comp = (t - kahan) - y;
    kahan = t;
  }
  printf("sum 1/i^2: naive=%.12f kahan=%.12f\n", naive, kahan);
  return 0;
}
