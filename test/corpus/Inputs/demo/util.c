#include "util.h"

int demo_add(int a, int b) { return a + b; }

int demo_sum(const int *v, int n) {
  int s = 0;
  for (int i = 0; i < n; ++i)
    s = demo_add(s, v[i]);
  return s;
}
