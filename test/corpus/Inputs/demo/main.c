#include <stdio.h>
#include <demo/util.h>

static int square(int x) { return x * x; }

int main(void) {
  int v[4] = {1, 2, 3, 4};
  printf("%d %d\n", demo_sum(v, 4), square(3));
  return 0;
}
