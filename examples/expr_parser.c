/* expr_parser.c - a recursive-descent parser for integer arithmetic
 * expressions (+ - * / % ^ unary minus, parentheses, variables), conversion
 * to RPN via shunting-yard and evaluation of both forms. */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

static const char *p;
static int err;
static int64_t vars[26];

static void skip(void) { while (*p == ' ') p++; }

static int64_t wrap_add(int64_t a, int64_t b) { return (int64_t)((uint64_t)a + (uint64_t)b); }
static int64_t wrap_sub(int64_t a, int64_t b) { return (int64_t)((uint64_t)a - (uint64_t)b); }
static int64_t wrap_mul(int64_t a, int64_t b) { return (int64_t)((uint64_t)a * (uint64_t)b); }
static int64_t ipow(int64_t b, int64_t e) {
  int64_t r = 1;
  if (e < 0) return 0;
  while (e) { if (e & 1) r = wrap_mul(r, b); b = wrap_mul(b, b); e >>= 1; }
  return r;
}
static int64_t safe_div(int64_t a, int64_t b, int mod) {
  if (b == 0) { err = 1; return 0; }
  if (a == INT64_MIN && b == -1) return mod ? 0 : INT64_MIN;
  return mod ? a % b : a / b;
}

static int64_t expr(void);
static int64_t primary(void) {
  skip();
  if (*p == '(') {
    p++;
    int64_t v = expr();
    skip();
    if (*p == ')') p++; else err = 1;
    return v;
  }
  if (*p == '-') { p++; return wrap_sub(0, primary()); }
  if (*p >= 'a' && *p <= 'z') return vars[*p++ - 'a'];
  if (*p >= '0' && *p <= '9') {
    int64_t v = 0;
    while (*p >= '0' && *p <= '9') v = wrap_add(wrap_mul(v, 10), *p++ - '0');
    return v;
  }
  err = 1;
  return 0;
}
static int64_t power(void) { /* right associative */
  int64_t b = primary();
  skip();
  if (*p == '^') { p++; return ipow(b, power()); }
  return b;
}
static int64_t term(void) {
  int64_t v = power();
  for (;;) {
    skip();
    char c = *p;
    if (c != '*' && c != '/' && c != '%') return v;
    p++;
    int64_t r = power();
    v = c == '*' ? wrap_mul(v, r) : safe_div(v, r, c == '%');
  }
}
static int64_t expr(void) {
  int64_t v = term();
  for (;;) {
    skip();
    char c = *p;
    if (c != '+' && c != '-') return v;
    p++;
    int64_t r = term();
    v = c == '+' ? wrap_add(v, r) : wrap_sub(v, r);
  }
}

static int prec(char op) { return op == '^' ? 3 : (op == '*' || op == '/' || op == '%') ? 2 : op == '~' ? 4 : 1; }

/* shunting-yard into a space-separated RPN string; '~' is unary minus */
static void to_rpn(const char *s, char *out) {
  char ops[128];
  int nops = 0, expect_operand = 1;
  out[0] = '\0';
  for (; *s; s++) {
    char c = *s, tmp[32];
    if (c == ' ') continue;
    if (c >= '0' && c <= '9') {
      int n = 0;
      while (s[n] >= '0' && s[n] <= '9') { tmp[n] = s[n]; n++; }
      tmp[n] = '\0';
      s += n - 1;
      strcat(out, tmp); strcat(out, " ");
      expect_operand = 0;
    } else if (c >= 'a' && c <= 'z') {
      tmp[0] = c; tmp[1] = ' '; tmp[2] = '\0'; strcat(out, tmp); expect_operand = 0;
    } else if (c == '(') { ops[nops++] = c; expect_operand = 1; }
    else if (c == ')') {
      while (nops && ops[nops - 1] != '(') { tmp[0] = ops[--nops]; tmp[1] = ' '; tmp[2] = 0; strcat(out, tmp); }
      if (nops) nops--;
      expect_operand = 0;
    } else {
      char op = (c == '-' && expect_operand) ? '~' : c;
      while (nops && ops[nops - 1] != '(' && op != '~' && op != '^' &&
             prec(ops[nops - 1]) >= prec(op)) { tmp[0] = ops[--nops]; tmp[1] = ' '; tmp[2] = 0; strcat(out, tmp); }
      while (nops && op == '^' && ops[nops - 1] == '~') { tmp[0] = ops[--nops]; tmp[1] = ' '; tmp[2] = 0; strcat(out, tmp); }
      ops[nops++] = op;
      expect_operand = 1;
    }
  }
  while (nops) { char tmp[3] = {ops[--nops], ' ', 0}; strcat(out, tmp); }
}

static int64_t eval_rpn(const char *s) {
  int64_t st[128];
  int sp = 0;
  for (; *s; s++) {
    char c = *s;
    if (c == ' ') continue;
    if (c >= '0' && c <= '9') { int64_t v = 0; while (*s >= '0' && *s <= '9') v = wrap_add(wrap_mul(v, 10), *s++ - '0'); s--; st[sp++] = v; }
    else if (c >= 'a' && c <= 'z') st[sp++] = vars[c - 'a'];
    else if (c == '~') st[sp - 1] = wrap_sub(0, st[sp - 1]);
    else {
      if (sp < 2) { err = 1; return 0; }
      int64_t b = st[--sp], a = st[--sp];
      st[sp++] = c == '+' ? wrap_add(a, b) : c == '-' ? wrap_sub(a, b) : c == '*' ? wrap_mul(a, b)
               : c == '^' ? ipow(a, b) : safe_div(a, b, c == '%');
    }
  }
  return sp == 1 ? st[0] : (err = 1, 0);
}

int main(void) {
  for (int i = 0; i < 26; i++) vars[i] = (i * 7 + 3) % 19 - 9;
  static const char *tests[] = {"1 + 2 * 3", "(1 + 2) * 3", "2 ^ 3 ^ 2", "-2 ^ 2", "100 / 7 % 4",
      "-(3 - 10) * -4", "a * b + c * d - e", "2 ^ 62 + 2 ^ 62", "x % 0", "(1 + 2", "7 / -2",
      "((((((1))))))+((2))*((3))", "9223372036854775807 + 1", "z ^ 3 - y ^ 2", "3 * (4 + 5) / (2 - 8)"};
  char rpn[512];
  for (size_t i = 0; i < sizeof tests / sizeof tests[0]; i++) {
    p = tests[i]; err = 0;
    int64_t v = expr();
    skip();
    if (*p) err = 1;
    int e1 = err;
    to_rpn(tests[i], rpn);
    err = 0;
    int64_t r = eval_rpn(rpn);
    int e2 = err;
    if (e1) printf("%-28s => error    rpn: %s\n", tests[i], rpn);
    else printf("%-28s => %lld   rpn: %s=> %lld%s\n", tests[i], (long long)v, rpn,
                (long long)r, e2 || r != v ? "  MISMATCH" : "");
  }
  return 0;
}
