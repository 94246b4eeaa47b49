/* nqueens.c - counts N-queens solutions with two algorithms (array
 * backtracking and bitmasks) and prints the first solution for N=8. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

static int cols[16];

static int safe(int row, int col) {
  for (int r = 0; r < row; r++) {
    int c = cols[r];
    if (c == col || abs(c - col) == row - r) return 0;
  }
  return 1;
}

static long solve_array(int row, int n) {
  if (row == n) return 1;
  long total = 0;
  for (int c = 0; c < n; c++)
    if (safe(row, c)) { cols[row] = c; total += solve_array(row + 1, n); }
  return total;
}

static long solve_bits(uint32_t all, uint32_t cols_used, uint32_t d1, uint32_t d2) {
  if (cols_used == all) return 1;
  long total = 0;
  uint32_t avail = all & ~(cols_used | d1 | d2);
  while (avail) {
    uint32_t bit = avail & (0u - avail);
    avail ^= bit;
    total += solve_bits(all, cols_used | bit, ((d1 | bit) << 1) & all, (d2 | bit) >> 1);
  }
  return total;
}

static int first_solution(int row, int n) {
  if (row == n) return 1;
  for (int c = 0; c < n; c++)
    if (safe(row, c)) { cols[row] = c; if (first_solution(row + 1, n)) return 1; }
  return 0;
}

int main(void) {
  for (int n = 1; n <= 11; n++) {
    long a = n <= 9 ? solve_array(0, n) : -1;
    long b = solve_bits((1u << n) - 1, 0, 0, 0);
    if (a >= 0) printf("n=%2d solutions=%ld (array %s)\n", n, b, a == b ? "agrees" : "DISAGREES");
    else printf("n=%2d solutions=%ld\n", n, b);
  }
  if (first_solution(0, 8)) {
    for (int r = 0; r < 8; r++) {
      for (int c = 0; c < 8; c++) putchar(cols[r] == c ? 'Q' : '.');
      putchar('\n');
    }
  }
  return 0;
}
