/* hashtable.c - an open-addressing hash table (linear probing, tombstones,
 * resizing) mapping words to counts, driven by a generated word stream;
 * prints the most frequent words and table statistics. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct { char key[16]; uint32_t hash; int count; int state; } Slot; /* state: 0 empty, 1 full, 2 deleted */
typedef struct { Slot *slots; size_t cap, size, tombs; long probes; } Table;

static uint32_t hash_str(const char *s) {
  uint32_t h = 2166136261u;
  for (; *s; s++) h = (h ^ (unsigned char)*s) * 16777619u;
  return h ^ (h >> 15);
}

static void tinit(Table *t, size_t cap) { t->slots = calloc(cap, sizeof(Slot)); t->cap = cap; t->size = t->tombs = 0; }

static Slot *find(Table *t, const char *key, uint32_t h, int insert) {
  size_t i = h & (t->cap - 1);
  Slot *tomb = NULL;
  for (;;) {
    t->probes++;
    Slot *s = &t->slots[i];
    if (s->state == 0) return insert ? (tomb ? tomb : s) : NULL;
    if (s->state == 2) { if (!tomb) tomb = s; }
    else if (s->hash == h && strcmp(s->key, key) == 0) return s;
    i = (i + 1) & (t->cap - 1);
  }
}

static void put_slot(Table *t, const Slot *src);
static void grow(Table *t) {
  Table n;
  tinit(&n, t->cap * 2);
  n.probes = t->probes;
  for (size_t i = 0; i < t->cap; i++) if (t->slots[i].state == 1) put_slot(&n, &t->slots[i]);
  free(t->slots);
  *t = n;
}
static void put_slot(Table *t, const Slot *src) {
  Slot *s = find(t, src->key, src->hash, 1);
  *s = *src;
  t->size++;
}

static void add(Table *t, const char *key, int delta) {
  if ((t->size + t->tombs + 1) * 4 > t->cap * 3) grow(t);
  uint32_t h = hash_str(key);
  Slot *s = find(t, key, h, 1);
  if (s->state != 1) {
    if (s->state == 2) t->tombs--;
    snprintf(s->key, sizeof s->key, "%s", key);
    s->hash = h; s->count = 0; s->state = 1; t->size++;
  }
  s->count += delta;
}

static int del(Table *t, const char *key) {
  Slot *s = find(t, key, hash_str(key), 0);
  if (!s) return 0;
  s->state = 2; t->size--; t->tombs++;
  return 1;
}

static int cmp(const void *a, const void *b) {
  const Slot *x = a, *y = b;
  if (x->count != y->count) return y->count - x->count;
  return strcmp(x->key, y->key);
}

int main(void) {
  static const char *syl[] = {"ka", "lo", "mi", "ne", "ru", "ta", "vo", "shi", "an", "el", "or", "qu"};
  Table t;
  tinit(&t, 16);
  t.probes = 0;
  uint32_t x = 2024u;
  for (int i = 0; i < 60000; i++) {
    char w[16] = "";
    x = x * 1103515245u + 12345u;
    int nsyl = 1 + (int)((x >> 16) % 3u);
    for (int k = 0; k < nsyl; k++) {
      x = x * 1103515245u + 12345u;
      uint32_t r = (x >> 16) % 144u;
      strcat(w, syl[(r * r) / 1728u]); /* skewed distribution */
    }
    add(&t, w, 1);
  }
  printf("distinct words %zu, capacity %zu, probes %ld\n", t.size, t.cap, t.probes);
  int removed = 0;
  for (size_t i = 0; i < t.cap; i++)
    if (t.slots[i].state == 1 && t.slots[i].count < 5) {
      char key[16];
      memcpy(key, t.slots[i].key, sizeof key);
      removed += del(&t, key);
    }
  printf("removed %d rare words, %zu remain, %zu tombstones\n", removed, t.size, t.tombs);
  add(&t, "kaka", 1000);
  printf("lookup kaka=%d, zzz=%s\n", find(&t, "kaka", hash_str("kaka"), 0)->count,
         find(&t, "zzz", hash_str("zzz"), 0) ? "present" : "absent");
  Slot *arr = malloc(t.size * sizeof(Slot));
  size_t n = 0;
  long total = 0;
  for (size_t i = 0; i < t.cap; i++) if (t.slots[i].state == 1) { arr[n++] = t.slots[i]; total += t.slots[i].count; }
  qsort(arr, n, sizeof(Slot), cmp);
  printf("total count %ld over %zu words; top 12:\n", total, n);
  for (size_t i = 0; i < 12 && i < n; i++) printf("  %-10s %d\n", arr[i].key, arr[i].count);
  free(arr);
  free(t.slots);
  return 0;
}
