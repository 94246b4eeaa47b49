/* strings.c - string utilities: in-place reverse, word reversal, KMP and
 * naive search, palindromes, run-length encoding, case folding, rotation
 * check and a longest-common-prefix. */
#include <stdio.h>
#include <string.h>

static void reverse(char *s, size_t n) {
  for (size_t i = 0, j = n; i + 1 < j; i++, j--) { char t = s[i]; s[i] = s[j - 1]; s[j - 1] = t; }
}

static void reverse_words(char *s) {
  size_t n = strlen(s);
  reverse(s, n);
  for (size_t i = 0; i < n;) {
    while (i < n && s[i] == ' ') i++;
    size_t j = i;
    while (j < n && s[j] != ' ') j++;
    reverse(s + i, j - i);
    i = j;
  }
}

static int kmp_count(const char *text, const char *pat, int *first) {
  int m = (int)strlen(pat), fail[64], count = 0;
  *first = -1;
  if (m == 0 || m > 64) return 0;
  fail[0] = 0;
  for (int i = 1, k = 0; i < m; i++) {
    while (k > 0 && pat[i] != pat[k]) k = fail[k - 1];
    if (pat[i] == pat[k]) k++;
    fail[i] = k;
  }
  for (int i = 0, k = 0; text[i]; i++) {
    while (k > 0 && text[i] != pat[k]) k = fail[k - 1];
    if (text[i] == pat[k]) k++;
    if (k == m) { if (*first < 0) *first = i - m + 1; count++; k = fail[k - 1]; }
  }
  return count;
}

static int naive_count(const char *text, const char *pat) {
  size_t m = strlen(pat), n = strlen(text);
  int c = 0;
  if (m == 0) return 0;
  for (size_t i = 0; i + m <= n; i++) if (memcmp(text + i, pat, m) == 0) c++;
  return c;
}

static int is_palindrome(const char *s) {
  size_t i = 0, j = strlen(s);
  while (i < j) {
    char a = s[i], b = s[j - 1];
    if (!((a >= 'a' && a <= 'z') || (a >= 'A' && a <= 'Z'))) { i++; continue; }
    if (!((b >= 'a' && b <= 'z') || (b >= 'A' && b <= 'Z'))) { j--; continue; }
    if ((a | 32) != (b | 32)) return 0;
    i++; j--;
  }
  return 1;
}

static void rle(const char *s, char *out) {
  size_t o = 0;
  for (size_t i = 0; s[i];) {
    size_t j = i;
    while (s[j] == s[i]) j++;
    o += (size_t)sprintf(out + o, "%zu%c", j - i, s[i]);
    i = j;
  }
  out[o] = '\0';
}

static void swapcase(char *s) {
  for (; *s; s++)
    if ((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z')) *s ^= 32;
}

static int is_rotation(const char *a, const char *b) {
  char buf[256];
  size_t n = strlen(a);
  if (n != strlen(b) || 2 * n + 1 > sizeof buf) return 0;
  memcpy(buf, a, n); memcpy(buf + n, a, n); buf[2 * n] = '\0';
  int f;
  return n == 0 || kmp_count(buf, b, &f) > 0;
}

int main(void) {
  char buf[256];
  strcpy(buf, "the quick brown fox jumps over the lazy dog");
  reverse(buf, strlen(buf));
  printf("reversed: %s\n", buf);
  strcpy(buf, "  learned   passes need verified   outputs ");
  reverse_words(buf);
  printf("words reversed: [%s]\n", buf);
  static char text[8192];
  text[0] = '\0';
  for (int i = 0; i < 200; i++) strcat(text, i % 3 ? "abracadabra " : "abacabadabacaba ");
  static const char *pats[] = {"abra", "aba", "cadabra abra", "abacabadabacaba", "zzz", "a"};
  for (int i = 0; i < 6; i++) {
    int first, k = kmp_count(text, pats[i], &first);
    printf("search %-16s kmp=%4d naive=%4d first=%d\n", pats[i], k, naive_count(text, pats[i]), first);
  }
  static const char *pal[] = {"A man, a plan, a canal: Panama", "racecar", "neuropt", "", "Was it a car or a cat I saw?"};
  for (int i = 0; i < 5; i++) printf("palindrome(\"%s\") = %d\n", pal[i], is_palindrome(pal[i]));
  rle("aaabccddddde", buf); printf("rle: %s\n", buf);
  rle("wwwwwwwwwwwwbwwwwwwwwwwwwbbbwwwwwwwwwwwwwwwwwwwwwwwwbwwwwwwwwwwwwww", buf); printf("rle: %s\n", buf);
  strcpy(buf, "Hello, World! 123 abcXYZ"); swapcase(buf); printf("swapcase: %s\n", buf);
  printf("rotation(waterbottle, erbottlewat) = %d\n", is_rotation("waterbottle", "erbottlewat"));
  printf("rotation(waterbottle, bottlewater) = %d\n", is_rotation("waterbottle", "bottlewater"));
  printf("rotation(abc, acb) = %d\n", is_rotation("abc", "acb"));
  static const char *words[] = {"interspecies", "interstellar", "interstate", "internet"};
  size_t lcp = strlen(words[0]);
  for (int i = 1; i < 4; i++) {
    size_t k = 0;
    while (k < lcp && words[i][k] == words[0][k]) k++;
    lcp = k;
  }
  printf("longest common prefix: %.*s\n", (int)lcp, words[0]);
  return 0;
}
