/* sudoku.c - backtracking sudoku solver with candidate bitmasks and a
 * most-constrained-cell heuristic. */
#include <stdint.h>
#include <stdio.h>

static int grid[81];
static uint16_t rowm[9], colm[9], boxm[9];
static long nodes;

static int box_of(int i) { return (i / 27) * 3 + (i % 9) / 3; }

static int popcount16(unsigned v) { int c = 0; while (v) { v &= v - 1; c++; } return c; }

static void place(int i, int d) {
  unsigned bit = 1u << d;
  grid[i] = d;
  rowm[i / 9] |= bit; colm[i % 9] |= bit; boxm[box_of(i)] |= bit;
}
static void unplace(int i) {
  unsigned bit = 1u << grid[i];
  rowm[i / 9] &= ~bit; colm[i % 9] &= ~bit; boxm[box_of(i)] &= ~bit;
  grid[i] = 0;
}

static int solve(void) {
  nodes++;
  int best = -1, bestc = 10;
  unsigned bestmask = 0;
  for (int i = 0; i < 81; i++) {
    if (grid[i]) continue;
    unsigned mask = ~(unsigned)(rowm[i / 9] | colm[i % 9] | boxm[box_of(i)]) & 0x3FEu;
    int c = popcount16(mask);
    if (c < bestc) { bestc = c; best = i; bestmask = mask; if (c <= 1) break; }
  }
  if (best < 0) return 1;
  for (int d = 1; d <= 9; d++) {
    if (!(bestmask & (1u << d))) continue;
    place(best, d);
    if (solve()) return 1;
    unplace(best);
  }
  return 0;
}

static int load(const char *s) {
  for (int i = 0; i < 9; i++) rowm[i] = colm[i] = boxm[i] = 0;
  for (int i = 0; i < 81; i++) {
    grid[i] = 0;
    if (s[i] >= '1' && s[i] <= '9') {
      int d = s[i] - '0';
      unsigned bit = 1u << d;
      if ((rowm[i / 9] | colm[i % 9] | boxm[box_of(i)]) & bit) return 0;
      place(i, d);
    }
  }
  return 1;
}

static int valid(void) {
  for (int u = 0; u < 9; u++) {
    unsigned r = 0, c = 0, b = 0;
    for (int k = 0; k < 9; k++) {
      r |= 1u << grid[u * 9 + k];
      c |= 1u << grid[k * 9 + u];
      b |= 1u << grid[(u / 3) * 27 + (u % 3) * 3 + (k / 3) * 9 + k % 3];
    }
    if (r != 0x3FEu || c != 0x3FEu || b != 0x3FEu) return 0;
  }
  return 1;
}

int main(void) {
  static const char *puzzles[] = {
      "53..7....6..195....98....6.8...6...34..8.3..17...2...6.6....28....419..5....8..79",
      "..............3.85..1.2.......5.7.....4...1...9.......5......73..2.1........4...9",
      "8..........36......7..9.2...5...7.......457.....1...3...1....68..85...1..9....4..",
      "11...............................................................................",
  };
  for (int p = 0; p < 4; p++) {
    nodes = 0;
    if (!load(puzzles[p])) { printf("puzzle %d: invalid clues\n", p); continue; }
    int ok = solve();
    printf("puzzle %d: %s, %ld nodes, valid=%d\n", p, ok ? "solved" : "unsolvable", nodes,
           ok ? valid() : 0);
    if (ok)
      for (int r = 0; r < 9; r++) {
        for (int c = 0; c < 9; c++) printf("%d%s", grid[r * 9 + c], c % 3 == 2 && c < 8 ? " | " : c < 8 ? " " : "");
        printf("\n");
      }
  }
  return 0;
}
