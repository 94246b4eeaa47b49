/* huffman.c - builds a Huffman code from byte frequencies of a generated
 * text, encodes it into a bit stream, decodes it back and reports sizes. */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

typedef struct { uint32_t freq; int left, right, sym; } Node;

static Node nodes[512];
static int nnodes;
static uint32_t code[256];
static int codelen[256];

static int heap[512], heapn;
static int less(int a, int b) {
  if (nodes[a].freq != nodes[b].freq) return nodes[a].freq < nodes[b].freq;
  return a < b; /* deterministic tie-break */
}
static void heap_push(int v) {
  int i = heapn++;
  heap[i] = v;
  while (i > 0 && less(heap[i], heap[(i - 1) / 2])) {
    int p = (i - 1) / 2, t = heap[p]; heap[p] = heap[i]; heap[i] = t; i = p;
  }
}
static int heap_pop(void) {
  int top = heap[0], i = 0;
  heap[0] = heap[--heapn];
  for (;;) {
    int l = 2 * i + 1, r = l + 1, m = i;
    if (l < heapn && less(heap[l], heap[m])) m = l;
    if (r < heapn && less(heap[r], heap[m])) m = r;
    if (m == i) break;
    int t = heap[m]; heap[m] = heap[i]; heap[i] = t; i = m;
  }
  return top;
}

static void assign(int n, uint32_t bits, int len) {
  if (nodes[n].sym >= 0) { code[nodes[n].sym] = bits; codelen[nodes[n].sym] = len ? len : 1; return; }
  assign(nodes[n].left, bits << 1, len + 1);
  assign(nodes[n].right, (bits << 1) | 1u, len + 1);
}

static unsigned char text[40000], packed[40000], decoded[40000];

int main(void) {
  static const char *words[] = {"the ", "compiler ", "optimizes ", "code ", "and ", "a ",
                                "loop ", "is ", "unrolled ", "vectorized ", "inlined, ", "\n"};
  size_t n = 0;
  uint32_t x = 7u;
  while (n + 16 < sizeof text) {
    x = x * 1664525u + 1013904223u;
    const char *w = words[(x >> 24) % 12u];
    size_t l = strlen(w);
    memcpy(text + n, w, l);
    n += l;
  }
  uint32_t freq[256] = {0};
  for (size_t i = 0; i < n; i++) freq[text[i]]++;
  nnodes = 0; heapn = 0;
  for (int s = 0; s < 256; s++)
    if (freq[s]) { nodes[nnodes] = (Node){freq[s], -1, -1, s}; heap_push(nnodes++); }
  while (heapn > 1) {
    int a = heap_pop(), b = heap_pop();
    nodes[nnodes] = (Node){nodes[a].freq + nodes[b].freq, a, b, -1};
    heap_push(nnodes++);
  }
  int root = heap_pop();
  assign(root, 0, 0);
  printf("text: %zu bytes, %d distinct symbols\n", n, (nnodes + 1) / 2);
  for (int s = 0; s < 256; s++)
    if (freq[s]) {
      printf("  '%s' freq=%5u len=%2d code=", s == '\n' ? "\\n" : (char[]){(char)s, 0}, freq[s], codelen[s]);
      for (int b = codelen[s] - 1; b >= 0; b--) putchar((code[s] >> b) & 1u ? '1' : '0');
      putchar('\n');
    }
  /* encode */
  size_t bitpos = 0;
  memset(packed, 0, sizeof packed);
  for (size_t i = 0; i < n; i++) {
    int s = text[i];
    for (int b = codelen[s] - 1; b >= 0; b--, bitpos++)
      if ((code[s] >> b) & 1u) packed[bitpos >> 3] |= (unsigned char)(0x80u >> (bitpos & 7));
  }
  /* decode by walking the tree */
  size_t out = 0, bp = 0;
  while (out < n) {
    int cur = root;
    while (nodes[cur].sym < 0) {
      int bit = (packed[bp >> 3] >> (7 - (bp & 7))) & 1;
      bp++;
      cur = bit ? nodes[cur].right : nodes[cur].left;
    }
    decoded[out++] = (unsigned char)nodes[cur].sym;
  }
  uint32_t h = 0;
  for (size_t i = 0; i < (bitpos + 7) / 8; i++) h = (h ^ packed[i]) * 16777619u;
  printf("encoded: %zu bits = %zu bytes (%.2f%% of input), hash %08x\n", bitpos,
         (bitpos + 7) / 8, 100.0 * (double)((bitpos + 7) / 8) / (double)n, h);
  printf("decoded %s, consumed %zu bits\n", memcmp(text, decoded, n) == 0 ? "matches" : "DIFFERS", bp);
  return 0;
}
