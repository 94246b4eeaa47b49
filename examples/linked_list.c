/* linked_list.c - singly and doubly linked lists from a fixed node pool:
 * push/pop, in-place reversal, merge sort, removal of duplicates, a
 * Josephus circle and an LRU cache simulation. */
#include <stdint.h>
#include <stdio.h>

typedef struct Node { int val; struct Node *next, *prev; } Node;

static Node pool[70000];
static int used;
static Node *alloc_node(int v) { Node *n = &pool[used++]; n->val = v; n->next = n->prev = NULL; return n; }

static Node *reverse(Node *h) {
  Node *prev = NULL;
  while (h) { Node *nx = h->next; h->next = prev; prev = h; h = nx; }
  return prev;
}

static Node *merge(Node *a, Node *b) {
  Node dummy, *t = &dummy;
  while (a && b) {
    if (a->val <= b->val) { t->next = a; a = a->next; } else { t->next = b; b = b->next; }
    t = t->next;
  }
  t->next = a ? a : b;
  return dummy.next;
}

static Node *msort(Node *h) {
  if (!h || !h->next) return h;
  Node *slow = h, *fast = h->next;
  while (fast && fast->next) { slow = slow->next; fast = fast->next->next; }
  Node *second = slow->next;
  slow->next = NULL;
  return merge(msort(h), msort(second));
}

static uint32_t list_hash(const Node *h, int *len) {
  uint32_t x = 0; *len = 0;
  for (; h; h = h->next) { x = x * 31u + (uint32_t)h->val; ++*len; }
  return x;
}

static void print_head(const char *label, const Node *h, int k) {
  int len;
  uint32_t x = list_hash(h, &len);
  printf("%-10s len=%5d hash=%08x:", label, len, x);
  for (; h && k-- > 0; h = h->next) printf(" %d", h->val);
  printf("\n");
}

int main(void) {
  Node *head = NULL;
  uint32_t s = 31337u;
  for (int i = 0; i < 20000; i++) {
    s ^= s << 13; s ^= s >> 17; s ^= s << 5;
    Node *n = alloc_node((int)(s % 5000u));
    n->next = head; head = n;
  }
  print_head("built", head, 8);
  head = reverse(head);
  print_head("reversed", head, 8);
  head = msort(head);
  print_head("sorted", head, 8);
  int removed = 0;
  for (Node *p = head; p && p->next;)
    if (p->next->val == p->val) { p->next = p->next->next; removed++; } else p = p->next;
  print_head("unique", head, 8);
  printf("duplicates removed: %d\n", removed);
  /* Josephus: circular list of 41 people, every 3rd eliminated */
  Node *first = alloc_node(1), *last = first;
  for (int i = 2; i <= 41; i++) { Node *n = alloc_node(i); last->next = n; last = n; }
  last->next = first;
  Node *p = last;
  printf("josephus order:");
  for (int left = 41; left > 1; left--) {
    for (int k = 0; k < 2; k++) p = p->next;
    Node *dead = p->next;
    if (left > 36) printf(" %d", dead->val);
    p->next = dead->next;
  }
  printf(" ... survivor %d\n", p->val);
  /* LRU cache with a doubly linked list and a direct-mapped index */
  enum { CAP = 64, KEYS = 512 };
  static Node *where[KEYS];
  Node lru = {0, NULL, NULL};
  lru.next = lru.prev = &lru;
  int size = 0, hits = 0, misses = 0, evictions = 0;
  for (int i = 0; i < 40000; i++) {
    s ^= s << 13; s ^= s >> 17; s ^= s << 5;
    int key = (int)((s % 100u < 80u) ? s % 48u : s % (uint32_t)KEYS);
    Node *n = where[key];
    if (n) { hits++; n->prev->next = n->next; n->next->prev = n->prev; }
    else {
      misses++;
      if (size == CAP) {
        Node *old = lru.prev;
        old->prev->next = &lru; lru.prev = old->prev;
        where[old->val] = NULL; size--; evictions++;
        n = old;
      } else n = alloc_node(0);
      n->val = key; where[key] = n; size++;
    }
    n->next = lru.next; n->prev = &lru; lru.next->prev = n; lru.next = n;
  }
  printf("lru: hits=%d misses=%d evictions=%d mru:", hits, misses, evictions);
  Node *q = lru.next;
  for (int k = 0; k < 6; k++, q = q->next) printf(" %d", q->val);
  printf("\n");
  return 0;
}
