/* dynprog.c - dynamic programming: Levenshtein distance with alignment
 * traceback, longest common subsequence, 0/1 knapsack, coin change counts
 * and longest increasing subsequence. */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

static int D[64][64];

static int levenshtein(const char *a, const char *b, char *ops) {
  int n = (int)strlen(a), m = (int)strlen(b);
  for (int i = 0; i <= n; i++) D[i][0] = i;
  for (int j = 0; j <= m; j++) D[0][j] = j;
  for (int i = 1; i <= n; i++)
    for (int j = 1; j <= m; j++) {
      int best = D[i - 1][j - 1] + (a[i - 1] != b[j - 1]);
      if (D[i - 1][j] + 1 < best) best = D[i - 1][j] + 1;
      if (D[i][j - 1] + 1 < best) best = D[i][j - 1] + 1;
      D[i][j] = best;
    }
  int i = n, j = m, k = 0;
  char tmp[128];
  while (i > 0 || j > 0) {
    if (i > 0 && j > 0 && D[i][j] == D[i - 1][j - 1] + (a[i - 1] != b[j - 1])) { tmp[k++] = a[i - 1] == b[j - 1] ? '=' : 'S'; i--; j--; }
    else if (i > 0 && D[i][j] == D[i - 1][j] + 1) { tmp[k++] = 'D'; i--; }
    else { tmp[k++] = 'I'; j--; }
  }
  for (int t = 0; t < k; t++) ops[t] = tmp[k - 1 - t];
  ops[k] = '\0';
  return D[n][m];
}

static int lcs(const char *a, const char *b, char *out) {
  int n = (int)strlen(a), m = (int)strlen(b);
  for (int i = 0; i <= n; i++) D[i][0] = 0;
  for (int j = 0; j <= m; j++) D[0][j] = 0;
  for (int i = 1; i <= n; i++)
    for (int j = 1; j <= m; j++)
      D[i][j] = a[i - 1] == b[j - 1] ? D[i - 1][j - 1] + 1 : (D[i - 1][j] > D[i][j - 1] ? D[i - 1][j] : D[i][j - 1]);
  int len = D[n][m], i = n, j = m;
  out[len] = '\0';
  while (i > 0 && j > 0) {
    if (a[i - 1] == b[j - 1]) { out[--len] = a[i - 1]; i--; j--; }
    else if (D[i - 1][j] >= D[i][j - 1]) i--;
    else j--;
  }
  return D[n][m];
}

static int knapsack(const int *w, const int *v, int n, int cap, int *chosen) {
  static int K[41][1001];
  for (int c = 0; c <= cap; c++) K[0][c] = 0;
  for (int i = 1; i <= n; i++)
    for (int c = 0; c <= cap; c++) {
      K[i][c] = K[i - 1][c];
      if (w[i - 1] <= c && K[i - 1][c - w[i - 1]] + v[i - 1] > K[i][c]) K[i][c] = K[i - 1][c - w[i - 1]] + v[i - 1];
    }
  for (int i = n, c = cap; i > 0; i--) {
    chosen[i - 1] = K[i][c] != K[i - 1][c];
    if (chosen[i - 1]) c -= w[i - 1];
  }
  return K[n][cap];
}

int main(void) {
  static const char *pairs[][2] = {{"kitten", "sitting"}, {"flaw", "lawn"}, {"intention", "execution"},
                                   {"", "abc"}, {"optimization", "optimisation"}, {"compiler", "compiler"}};
  char ops[128], sub[64];
  for (int i = 0; i < 6; i++) {
    int d = levenshtein(pairs[i][0], pairs[i][1], ops);
    int l = lcs(pairs[i][0], pairs[i][1], sub);
    printf("%-13s %-13s edit=%d ops=%-14s lcs=%d \"%s\"\n", pairs[i][0], pairs[i][1], d, ops, l, sub);
  }
  int w[40], v[40], chosen[40];
  uint32_t s = 99u;
  for (int i = 0; i < 40; i++) {
    s = s * 1664525u + 1013904223u; w[i] = 5 + (int)((s >> 16) % 96u);
    s = s * 1664525u + 1013904223u; v[i] = 1 + (int)((s >> 16) % 200u);
  }
  int best = knapsack(w, v, 40, 1000, chosen), tw = 0, tv = 0;
  printf("knapsack value %d, items:", best);
  for (int i = 0; i < 40; i++) if (chosen[i]) { printf(" %d", i); tw += w[i]; tv += v[i]; }
  printf(" (weight %d, value check %d)\n", tw, tv);
  static const int coins[] = {1, 2, 5, 10, 20, 50, 100, 200};
  static uint64_t ways[10001];
  memset(ways, 0, sizeof ways);
  ways[0] = 1;
  for (int c = 0; c < 8; c++)
    for (int a = coins[c]; a <= 10000; a++) ways[a] += ways[a - coins[c]];
  printf("coin change ways: 200 -> %llu, 1000 -> %llu, 10000 -> %llu\n", (unsigned long long)ways[200],
         (unsigned long long)ways[1000], (unsigned long long)ways[10000]);
  static int seq[5000], tails[5000];
  int ntails = 0;
  for (int i = 0; i < 5000; i++) {
    s = s * 1664525u + 1013904223u;
    seq[i] = (int)((s >> 8) % 100000u);
    int lo = 0, hi = ntails;
    while (lo < hi) { int mid = (lo + hi) / 2; if (tails[mid] < seq[i]) lo = mid + 1; else hi = mid; }
    tails[lo] = seq[i];
    if (lo == ntails) ntails++;
  }
  printf("longest increasing subsequence of 5000 values: %d (last tail %d)\n", ntails, tails[ntails - 1]);
  return 0;
}
