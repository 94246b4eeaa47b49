/* examples/expr_parser.c, where sequence 0 beats -Oz, and one function
   that sequence 0 leaves as -Oz does, but without -Oz's tail markers and
   noundef return: the same code with fewer promises. */
#include "../../../examples/expr_parser.c"

void clear(void *p, unsigned long n);
struct state { char a[16]; char b[48]; long n; };

long state_reset(struct state *s) {
  clear(s->b, 48);
  clear(s->a, 16);
  return s->n;
}
