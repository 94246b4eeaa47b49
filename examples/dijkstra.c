/* dijkstra.c - Dijkstra shortest paths with a binary heap on a generated
 * sparse directed graph, cross-checked against Bellman-Ford, plus BFS hop
 * counts and path reconstruction. */
#include <stdint.h>
#include <stdio.h>

#define V 3000
#define E 18000
#define INF 0x3FFFFFFFFFFFFFFFll

static int head[V], nxt[E], to[E];
static int64_t w[E];
static int64_t dist[V], bf[V];
static int parent[V];
static int hv[E + V];
static int64_t hk[E + V];
static int hn;

static void hpush(int v, int64_t k) {
  int i = hn++;
  hv[i] = v; hk[i] = k;
  while (i > 0 && hk[(i - 1) / 2] > hk[i]) {
    int p = (i - 1) / 2;
    int tv = hv[p]; hv[p] = hv[i]; hv[i] = tv;
    int64_t tk = hk[p]; hk[p] = hk[i]; hk[i] = tk;
    i = p;
  }
}
static void hpop(int *v, int64_t *k) {
  *v = hv[0]; *k = hk[0];
  hn--;
  hv[0] = hv[hn]; hk[0] = hk[hn];
  int i = 0;
  for (;;) {
    int l = 2 * i + 1, r = l + 1, m = i;
    if (l < hn && hk[l] < hk[m]) m = l;
    if (r < hn && hk[r] < hk[m]) m = r;
    if (m == i) break;
    int tv = hv[m]; hv[m] = hv[i]; hv[i] = tv;
    int64_t tk = hk[m]; hk[m] = hk[i]; hk[i] = tk;
    i = m;
  }
}

int main(void) {
  uint64_t s = 0x9E3779B97F4A7C15ull;
  for (int i = 0; i < V; i++) head[i] = -1;
  for (int e = 0; e < E; e++) {
    int a, b;
    if (e < V) { a = e; b = (e + 1) % V; } /* a ring keeps everything reachable */
    else {
      s ^= s >> 12; s ^= s << 25; s ^= s >> 27;
      uint64_t r = s * 2685821657736338717ull;
      a = (int)(r % V); b = (int)((r >> 20) % V);
    }
    s ^= s >> 12; s ^= s << 25; s ^= s >> 27;
    to[e] = b;
    w[e] = e < V ? 1000 : (int64_t)((s * 2685821657736338717ull) >> 40) % 997 + 1;
    nxt[e] = head[a]; head[a] = e;
  }
  for (int i = 0; i < V; i++) { dist[i] = INF; parent[i] = -1; }
  dist[0] = 0; hn = 0; hpush(0, 0);
  int pops = 0;
  while (hn > 0) {
    int u; int64_t d;
    hpop(&u, &d);
    pops++;
    if (d > dist[u]) continue;
    for (int e = head[u]; e >= 0; e = nxt[e])
      if (d + w[e] < dist[to[e]]) { dist[to[e]] = d + w[e]; parent[to[e]] = u; hpush(to[e], dist[to[e]]); }
  }
  for (int i = 0; i < V; i++) bf[i] = INF;
  bf[0] = 0;
  int rounds = 0, changed = 1;
  while (changed && rounds < V) {
    changed = 0; rounds++;
    for (int u = 0; u < V; u++) {
      if (bf[u] == INF) continue;
      for (int e = head[u]; e >= 0; e = nxt[e])
        if (bf[u] + w[e] < bf[to[e]]) { bf[to[e]] = bf[u] + w[e]; changed = 1; }
    }
  }
  int mism = 0, far = 0;
  int64_t total = 0;
  for (int i = 0; i < V; i++) {
    if (dist[i] != bf[i]) mism++;
    total += dist[i];
    if (dist[i] > dist[far]) far = i;
  }
  printf("heap pops %d, bellman-ford rounds %d, mismatches %d\n", pops, rounds, mism);
  printf("sum of distances %lld, farthest node %d at %lld\n", (long long)total, far, (long long)dist[far]);
  static const int targets[] = {1, 17, 999, 2047, 2999};
  for (int t = 0; t < 5; t++) {
    int path[V], len = 0;
    for (int v = targets[t]; v >= 0; v = parent[v]) path[len++] = v;
    printf("to %4d: dist %5lld, %2d hops:", targets[t], (long long)dist[targets[t]], len - 1);
    for (int k = len - 1; k >= 0 && k >= len - 8; k--) printf(" %d", path[k]);
    printf("%s\n", len > 8 ? " ..." : "");
  }
  /* BFS hop counts */
  static int hop[V], queue[V];
  for (int i = 0; i < V; i++) hop[i] = -1;
  int qh = 0, qt = 0;
  hop[0] = 0; queue[qt++] = 0;
  while (qh < qt) {
    int u = queue[qh++];
    for (int e = head[u]; e >= 0; e = nxt[e])
      if (hop[to[e]] < 0) { hop[to[e]] = hop[u] + 1; queue[qt++] = to[e]; }
  }
  int hist[32] = {0}, maxh = 0;
  for (int i = 0; i < V; i++) { hist[hop[i] < 31 ? hop[i] : 31]++; if (hop[i] > maxh) maxh = hop[i]; }
  printf("bfs: reached %d, eccentricity %d, histogram:", qt, maxh);
  for (int h = 0; h <= maxh && h < 32; h++) printf(" %d", hist[h]);
  printf("\n");
  return 0;
}
