/* regex.c - a small backtracking regular-expression matcher supporting
 * literals, '.', '^', '$', '*', '+', '?', character classes [a-z] and [^...]
 * and escapes; prints a table of pattern/text results and match spans. */
#include <stdio.h>
#include <string.h>

static const char *atom_end(const char *re) {
  if (*re == '\\' && re[1]) return re + 2;
  if (*re == '[') {
    const char *p = re + 1;
    if (*p == '^') p++;
    if (*p == ']') p++;
    while (*p && *p != ']') p++;
    return *p ? p + 1 : p;
  }
  return re + 1;
}

static int atom_matches(const char *re, const char *end, char c) {
  if (c == '\0') return 0;
  if (*re == '.') return 1;
  if (*re == '\\') {
    switch (re[1]) {
    case 'd': return c >= '0' && c <= '9';
    case 'w': return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
    case 's': return c == ' ' || c == '\t' || c == '\n';
    default: return c == re[1];
    }
  }
  if (*re == '[') {
    const char *p = re + 1;
    int neg = 0, hit = 0;
    if (*p == '^') { neg = 1; p++; }
    const char *stop = end - 1; /* the closing ']' */
    while (p < stop) {
      if (p + 2 < stop && p[1] == '-') { if (c >= p[0] && c <= p[2]) hit = 1; p += 3; }
      else { if (c == *p) hit = 1; p++; }
    }
    return hit != neg;
  }
  return *re == c;
}

static int steps;

static int match_here(const char *re, const char *text, const char **mend) {
  steps++;
  if (*re == '\0') { *mend = text; return 1; }
  if (re[0] == '$' && re[1] == '\0') { *mend = text; return *text == '\0'; }
  const char *ae = atom_end(re);
  char q = *ae;
  if (q == '*' || q == '+' || q == '?') {
    int min = q == '+' ? 1 : 0, max = q == '?' ? 1 : 1 << 30;
    int n = 0;
    while (n < max && atom_matches(re, ae, text[n])) n++;
    for (; n >= min; n--) /* greedy: longest first */
      if (match_here(ae + 1, text + n, mend)) return 1;
    return 0;
  }
  if (atom_matches(re, ae, *text)) return match_here(ae, text + 1, mend);
  return 0;
}

static int search(const char *re, const char *text, int *start, int *len) {
  const char *mend;
  if (*re == '^') {
    if (match_here(re + 1, text, &mend)) { *start = 0; *len = (int)(mend - text); return 1; }
    return 0;
  }
  const char *t = text;
  do {
    if (match_here(re, t, &mend)) { *start = (int)(t - text); *len = (int)(mend - t); return 1; }
  } while (*t++);
  return 0;
}

int main(void) {
  static const char *cases[][2] = {
      {"abc", "xxabcxx"}, {"^abc", "xxabc"}, {"abc$", "xxabc"}, {"a.c", "a-c"},
      {"ab*c", "ac"}, {"ab*c", "abbbbc"}, {"ab+c", "ac"}, {"ab+c", "abbc"},
      {"colou?r", "the color red"}, {"colou?r", "the colour red"},
      {"[0-9]+", "order 66 executed"}, {"[a-z]+@[a-z]+\\.com", "mail bob@example.com now"},
      {"^[^ ]+", "first word"}, {"\\d\\d:\\d\\d", "at 12:45 pm"}, {"\\w+$", "ends with word"},
      {"x*", ""}, {"a.*b", "a123b456b"}, {"[abc]*d", "aabbccd"}, {"[^aeiou]+", "aeixyzou"},
      {"\\.", "no dots"}, {"^$", ""}, {"(", "("}, {"a?a?a?aaa", "aaa"},
      {"[A-Z][a-z]*son", "see Jefferson and Madison"},
  };
  int total = 0;
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    int s = 0, l = 0;
    steps = 0;
    int m = search(cases[i][0], cases[i][1], &s, &l);
    total += steps;
    if (m) printf("%-22s %-28s match at %2d: \"%.*s\" (%d steps)\n", cases[i][0], cases[i][1], s, l, cases[i][1] + s, steps);
    else printf("%-22s %-28s no match (%d steps)\n", cases[i][0], cases[i][1], steps);
  }
  /* pathological backtracking, kept small */
  char text[32];
  memset(text, 'a', 18);
  text[18] = '\0';
  steps = 0;
  int s, l;
  int m = search("a*a*a*a*b", text, &s, &l);
  printf("pathological: match=%d steps=%d\n", m, steps);
  printf("total steps %d\n", total + steps);
  return 0;
}
