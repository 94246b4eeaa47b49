/* Tiny input for eval-size tests: loops and a helper worth inlining. */
#include <stdio.h>

static int square(int X) { return X * X; }

int sumSquares(int N) {
  int S = 0;
  for (int I = 0; I < N; ++I)
    S += square(I);
  return S;
}

int main(void) {
  printf("%d\n", sumSquares(10));
  return 0;
}
