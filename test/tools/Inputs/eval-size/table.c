/* Tiny input for eval-size tests: constant tables (.rodata) and mutable
   globals (.data). */
#include <stdio.h>

static const unsigned char Perm[16] = {7, 3, 12, 0, 9, 15, 1, 4,
                                       11, 2, 14, 8, 5, 13, 6, 10};
unsigned Counter = 5;
const char *Names[] = {"zero", "one", "two"};

unsigned mix(unsigned X) {
  for (int I = 0; I < 4; ++I)
    X = (X << 4) ^ Perm[(X + Counter++) & 15];
  return X;
}

int main(void) {
  printf("%u %s\n", mix(42), Names[Counter % 3]);
  return 0;
}
