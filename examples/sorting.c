/* sorting.c - quicksort, mergesort, heapsort, insertion sort and shellsort on
 * xorshift-generated arrays; checks that all agree and prints checksums. */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#define N 20000

static uint32_t rng = 88172645u;
static uint32_t xorshift32(void) {
  rng ^= rng << 13; rng ^= rng >> 17; rng ^= rng << 5;
  return rng;
}

static void swap(int32_t *a, int32_t *b) { int32_t t = *a; *a = *b; *b = t; }

static void quicksort(int32_t *a, long lo, long hi) {
  while (lo < hi) {
    int32_t pivot = a[lo + (hi - lo) / 2];
    long i = lo, j = hi;
    while (i <= j) {
      while (a[i] < pivot) i++;
      while (a[j] > pivot) j--;
      if (i <= j) { swap(&a[i], &a[j]); i++; j--; }
    }
    if (j - lo < hi - i) { quicksort(a, lo, j); lo = i; }
    else { quicksort(a, i, hi); hi = j; }
  }
}

static int32_t tmp[N];
static void mergesort_rec(int32_t *a, size_t lo, size_t hi) {
  if (hi - lo < 2) return;
  size_t mid = lo + (hi - lo) / 2;
  mergesort_rec(a, lo, mid);
  mergesort_rec(a, mid, hi);
  size_t i = lo, j = mid, k = lo;
  while (i < mid && j < hi) tmp[k++] = a[j] < a[i] ? a[j++] : a[i++];
  while (i < mid) tmp[k++] = a[i++];
  while (j < hi) tmp[k++] = a[j++];
  memcpy(a + lo, tmp + lo, (hi - lo) * sizeof *a);
}

static void sift_down(int32_t *a, size_t start, size_t n) {
  size_t root = start;
  while (2 * root + 1 < n) {
    size_t child = 2 * root + 1;
    if (child + 1 < n && a[child] < a[child + 1]) child++;
    if (a[root] >= a[child]) return;
    swap(&a[root], &a[child]);
    root = child;
  }
}

static void heapsort(int32_t *a, size_t n) {
  for (size_t s = n / 2; s-- > 0;) sift_down(a, s, n);
  for (size_t end = n; end-- > 1;) { swap(&a[0], &a[end]); sift_down(a, 0, end); }
}

static void shellsort(int32_t *a, size_t n) {
  static const size_t gaps[] = {701, 301, 132, 57, 23, 10, 4, 1};
  for (size_t g = 0; g < sizeof gaps / sizeof gaps[0]; g++) {
    size_t gap = gaps[g];
    for (size_t i = gap; i < n; i++) {
      int32_t v = a[i];
      size_t j = i;
      for (; j >= gap && a[j - gap] > v; j -= gap) a[j] = a[j - gap];
      a[j] = v;
    }
  }
}

static void insertion(int32_t *a, size_t n) {
  for (size_t i = 1; i < n; i++) {
    int32_t v = a[i];
    size_t j = i;
    for (; j > 0 && a[j - 1] > v; j--) a[j] = a[j - 1];
    a[j] = v;
  }
}

static uint32_t checksum(const int32_t *a, size_t n) {
  uint32_t h = 0;
  for (size_t i = 0; i < n; i++) h = h * 2654435761u + (uint32_t)a[i];
  return h;
}

static int is_sorted(const int32_t *a, size_t n) {
  for (size_t i = 1; i < n; i++) if (a[i - 1] > a[i]) return 0;
  return 1;
}

static int32_t orig[N], a[N], ref[N];

int main(void) {
  static const char *kinds[] = {"random", "few-unique", "sorted", "reversed", "organ-pipe"};
  for (int kind = 0; kind < 5; kind++) {
    for (size_t i = 0; i < N; i++) {
      switch (kind) {
      case 0: orig[i] = (int32_t)(xorshift32() % 2000001u) - 1000000; break;
      case 1: orig[i] = (int32_t)(xorshift32() % 7u); break;
      case 2: orig[i] = (int32_t)i * 3; break;
      case 3: orig[i] = (int32_t)(N - i); break;
      default: orig[i] = (int32_t)(i < N / 2 ? i : N - i); break;
      }
    }
    memcpy(ref, orig, sizeof ref);
    mergesort_rec(ref, 0, N);
    printf("%-10s sorted=%d min=%d median=%d max=%d sum=%08x\n", kinds[kind],
           is_sorted(ref, N), ref[0], ref[N / 2], ref[N - 1], checksum(ref, N));
    memcpy(a, orig, sizeof a); quicksort(a, 0, N - 1);
    printf("  quicksort %s\n", memcmp(a, ref, sizeof a) ? "MISMATCH" : "ok");
    memcpy(a, orig, sizeof a); heapsort(a, N);
    printf("  heapsort  %s\n", memcmp(a, ref, sizeof a) ? "MISMATCH" : "ok");
    memcpy(a, orig, sizeof a); shellsort(a, N);
    printf("  shellsort %s\n", memcmp(a, ref, sizeof a) ? "MISMATCH" : "ok");
    memcpy(a, orig, 2000 * sizeof *a); insertion(a, 2000);
    memcpy(ref, orig, 2000 * sizeof *a); heapsort(ref, 2000);
    printf("  insertion(2000) %s %08x\n", memcmp(a, ref, 2000 * sizeof *a) ? "MISMATCH" : "ok",
           checksum(a, 2000));
  }
  return 0;
}
