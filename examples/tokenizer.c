/* tokenizer.c - a switch-driven state machine that tokenizes a C-like source
 * snippet (identifiers, keywords, numbers in several bases, strings with
 * escapes, char literals, comments, multi-character operators) and prints
 * the token stream with counts per kind. */
#include <stdio.h>
#include <string.h>

enum Kind { IDENT, KEYWORD, NUMBER, STRING, CHARLIT, OP, PUNCT, COMMENT, ERROR, NKINDS };
static const char *kind_names[NKINDS] = {"ident", "keyword", "number", "string", "char", "op", "punct", "comment", "error"};
static const char *keywords[] = {"int", "return", "if", "else", "while", "for", "char", "static", "const", "unsigned", "void"};

static int is_alpha(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_'; }
static int is_digit(char c) { return c >= '0' && c <= '9'; }
static int is_hex(char c) { return is_digit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'); }

/* Returns the length of the token at s and its kind; 0 at end of input. */
static int lex(const char *s, enum Kind *kind) {
  enum { START, IN_IDENT, IN_NUM, IN_HEX, IN_STR, IN_STR_ESC, IN_CHAR, IN_LCOMMENT, IN_BCOMMENT, IN_BSTAR } st = START;
  int i = 0;
  for (;;) {
    char c = s[i];
    switch (st) {
    case START:
      if (c == '\0') return 0;
      if (is_alpha(c)) { st = IN_IDENT; *kind = IDENT; }
      else if (c == '0' && (s[1] == 'x' || s[1] == 'X')) { st = IN_HEX; *kind = NUMBER; i++; }
      else if (is_digit(c)) { st = IN_NUM; *kind = NUMBER; }
      else if (c == '"') { st = IN_STR; *kind = STRING; }
      else if (c == '\'') { st = IN_CHAR; *kind = CHARLIT; }
      else if (c == '/' && s[1] == '/') { st = IN_LCOMMENT; *kind = COMMENT; i++; }
      else if (c == '/' && s[1] == '*') { st = IN_BCOMMENT; *kind = COMMENT; i++; }
      else if (strchr("(){}[];,", c)) { *kind = PUNCT; return 1; }
      else {
        static const char *ops3[] = {"<<=", ">>="}, *ops2[] = {"==", "!=", "<=", ">=", "&&", "||", "++", "--", "+=", "-=", "*=", "<<", ">>", "->"};
        *kind = OP;
        for (int k = 0; k < 2; k++) if (strncmp(s, ops3[k], 3) == 0) return 3;
        for (int k = 0; k < 14; k++) if (strncmp(s, ops2[k], 2) == 0) return 2;
        if (strchr("+-*/%<>=!&|^~?:.", c)) return 1;
        *kind = ERROR;
        return 1;
      }
      break;
    case IN_IDENT: if (!is_alpha(c) && !is_digit(c)) return i; break;
    case IN_NUM: if (!is_digit(c) && c != 'u' && c != 'U' && c != 'l' && c != 'L') return i; break;
    case IN_HEX: if (!is_hex(c)) return i; break;
    case IN_STR:
      if (c == '\\') st = IN_STR_ESC;
      else if (c == '"') return i + 1;
      else if (c == '\0' || c == '\n') { *kind = ERROR; return i; }
      break;
    case IN_STR_ESC: if (c == '\0') { *kind = ERROR; return i; } st = IN_STR; break;
    case IN_CHAR:
      if (c == '\\' && s[i + 1]) i++;
      else if (c == '\'') return i + 1;
      else if (c == '\0' || c == '\n') { *kind = ERROR; return i; }
      break;
    case IN_LCOMMENT: if (c == '\n' || c == '\0') return i; break;
    case IN_BCOMMENT: if (c == '*') st = IN_BSTAR; else if (c == '\0') { *kind = ERROR; return i; } break;
    case IN_BSTAR:
      if (c == '/') return i + 1;
      if (c == '\0') { *kind = ERROR; return i; }
      if (c != '*') st = IN_BCOMMENT;
      break;
    }
    i++;
  }
}

int main(void) {
  static const char src[] =
      "/* checksum\n * of a buffer */\n"
      "static unsigned int sum(const char *p, int n) {\n"
      "  unsigned int h = 0x811C9DC5u; // FNV basis\n"
      "  for (int i = 0; i < n; i++) { h ^= (unsigned char)p[i]; h *= 16777619u; }\n"
      "  if (h >= 100 && h != 0xFFFF) h <<= 2; else h >>= 1;\n"
      "  return h ? h : -1;\n"
      "}\n"
      "char *s = \"tab\\there \\\"quoted\\\"\"; char c = '\\n', d = 'x';\n"
      "p->next = a[3] @ b; \"unterminated\n";
  int counts[NKINDS] = {0}, line = 1, ntok = 0;
  const char *s = src;
  for (;;) {
    while (*s == ' ' || *s == '\t' || *s == '\n') { if (*s == '\n') line++; s++; }
    enum Kind k;
    int len = lex(s, &k);
    if (len == 0) break;
    counts[k]++;
    ntok++;
    if (k == IDENT)
      for (size_t w = 0; w < sizeof keywords / sizeof keywords[0]; w++)
        if ((int)strlen(keywords[w]) == len && strncmp(s, keywords[w], (size_t)len) == 0) { counts[IDENT]--; counts[KEYWORD]++; k = KEYWORD; }
    printf("%2d %-8s %.*s\n", line, kind_names[k], len, s);
    for (int j = 0; j < len; j++) if (s[j] == '\n') line++;
    s += len;
  }
  printf("%d tokens:", ntok);
  for (int k = 0; k < NKINDS; k++) printf(" %s=%d", kind_names[k], counts[k]);
  printf("\n");
  return 0;
}
