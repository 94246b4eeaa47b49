/* brainfuck.c - a brainfuck interpreter with a precomputed jump table and
 * run-length folding of + - < >; runs several embedded programs. */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

enum { OP_ADD, OP_MOVE, OP_OUT, OP_IN, OP_JZ, OP_JNZ, OP_CLEAR, OP_END };
typedef struct { int op, arg; } Ins;

static Ins code[4096];
static uint8_t tape[30000];
static char outbuf[4096];

static int compile(const char *src) {
  int n = 0, stack[256], sp = 0;
  for (const char *p = src; *p; p++) {
    switch (*p) {
    case '+': case '-': {
      int d = 0;
      for (; *p == '+' || *p == '-'; p++) d += *p == '+' ? 1 : -1;
      p--;
      code[n++] = (Ins){OP_ADD, d};
      break;
    }
    case '>': case '<': {
      int d = 0;
      for (; *p == '>' || *p == '<'; p++) d += *p == '>' ? 1 : -1;
      p--;
      code[n++] = (Ins){OP_MOVE, d};
      break;
    }
    case '.': code[n++] = (Ins){OP_OUT, 0}; break;
    case ',': code[n++] = (Ins){OP_IN, 0}; break;
    case '[':
      if (p[1] == '-' && p[2] == ']') { code[n++] = (Ins){OP_CLEAR, 0}; p += 2; break; }
      stack[sp++] = n; code[n++] = (Ins){OP_JZ, 0};
      break;
    case ']':
      if (sp == 0) return -1;
      sp--;
      code[n] = (Ins){OP_JNZ, stack[sp]};
      code[stack[sp]].arg = n;
      n++;
      break;
    default: break;
    }
  }
  if (sp != 0) return -1;
  code[n++] = (Ins){OP_END, 0};
  return n;
}

static long run(const char *src, const char *input, int *outlen) {
  if (compile(src) < 0) return -1;
  memset(tape, 0, sizeof tape);
  int ptr = 0, o = 0;
  long steps = 0;
  for (int pc = 0;; pc++) {
    steps++;
    Ins in = code[pc];
    switch (in.op) {
    case OP_ADD: tape[ptr] = (uint8_t)(tape[ptr] + in.arg); break;
    case OP_MOVE: ptr += in.arg; if (ptr < 0 || ptr >= (int)sizeof tape) return -2; break;
    case OP_OUT: if (o < (int)sizeof outbuf - 1) outbuf[o++] = (char)tape[ptr]; break;
    case OP_IN: tape[ptr] = (uint8_t)(*input ? *input++ : 0); break;
    case OP_JZ: if (!tape[ptr]) pc = in.arg; break;
    case OP_JNZ: if (tape[ptr]) pc = in.arg; break;
    case OP_CLEAR: tape[ptr] = 0; break;
    case OP_END: outbuf[o] = '\0'; *outlen = o; return steps;
    }
  }
}

int main(void) {
  static const struct { const char *name, *src, *input; } progs[] = {
      {"hello",
       "++++++++[>++++[>++>+++>+++>+<<<<-]>+>+>->>+[<]<-]>>.>---.+++++++..+++.>>.<-.<.+++.------.--------.>>+.",
       ""},
      {"reverse", ">,[>,]<[.<]", "compilers are fun"},
      {"upcase", ",[>++++[<-------->-]<.,]", "neuropt"},
      {"squares",
       "++++[>+++++<-]>[<+++++>-]+<+[>[>+>+<<-]++>>[<<+>>-]>>>[-]++>[-]+>>>+[[-]++++++>>>]<<<[[<++++++++<++>>-]+<.<[>----<-]<]<<[>>>>>[>>>[-]+++++++++<[>-<-]+++++++++>[-[<->-]+[<<<]]<[>+<-]>]<<-]<<-]",
       ""},
      {"unbalanced", "[[]", ""},
  };
  for (size_t i = 0; i < sizeof progs / sizeof progs[0]; i++) {
    int len = 0;
    long steps = run(progs[i].src, progs[i].input, &len);
    if (steps < 0) { printf("%s: error %ld\n", progs[i].name, steps); continue; }
    uint32_t h = 0;
    for (int k = 0; k < len; k++) h = h * 31u + (unsigned char)outbuf[k];
    printf("%s: %ld steps, %d bytes out, hash %08x\n", progs[i].name, steps, len, h);
    if (len < 200) printf("%s%s", outbuf, len && outbuf[len - 1] == '\n' ? "" : "\n");
    else printf("%.120s...\n", outbuf);
  }
  return 0;
}
