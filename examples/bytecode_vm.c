/* bytecode_vm.c - a small stack-based bytecode virtual machine with a
 * switch dispatch loop, an assembler for a few programs (loops, calls,
 * recursion) and a disassembly listing. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { PUSH, POP, DUP, SWAP, OVER, ADD, SUB, MUL, DIV, MOD, LT, EQ, JMP, JZ, CALL, RET,
       LOAD, STORE, PRINT, HALT, NOPS };
static const char *names[NOPS] = {"push", "pop", "dup", "swap", "over", "add", "sub",
                                  "mul", "div", "mod", "lt", "eq", "jmp", "jz", "call",
                                  "ret", "load", "store", "print", "halt"};
static int has_arg(int op) { return op == PUSH || op == JMP || op == JZ || op == CALL || op == LOAD || op == STORE; }

typedef struct { int64_t stack[256]; int sp; int rstack[256]; int rsp; int64_t vars[16]; long steps; } VM;

static int run(const int32_t *code, VM *vm) {
  int pc = 0;
  vm->sp = vm->rsp = 0;
  vm->steps = 0;
  for (;;) {
    if (++vm->steps > 5000000) return -1;
    int op = code[pc++];
    int64_t a, b;
    switch (op) {
    case PUSH: vm->stack[vm->sp++] = code[pc++]; break;
    case POP: vm->sp--; break;
    case DUP: vm->stack[vm->sp] = vm->stack[vm->sp - 1]; vm->sp++; break;
    case SWAP: a = vm->stack[vm->sp - 1]; vm->stack[vm->sp - 1] = vm->stack[vm->sp - 2]; vm->stack[vm->sp - 2] = a; break;
    case OVER: vm->stack[vm->sp] = vm->stack[vm->sp - 2]; vm->sp++; break;
    case ADD: case SUB: case MUL: case DIV: case MOD: case LT: case EQ:
      b = vm->stack[--vm->sp];
      a = vm->stack[vm->sp - 1];
      switch (op) {
      case ADD: a = (int64_t)((uint64_t)a + (uint64_t)b); break;
      case SUB: a = (int64_t)((uint64_t)a - (uint64_t)b); break;
      case MUL: a = (int64_t)((uint64_t)a * (uint64_t)b); break;
      case DIV: if (b == 0) return -2; a /= b; break;
      case MOD: if (b == 0) return -2; a %= b; break;
      case LT: a = a < b; break;
      default: a = a == b; break;
      }
      vm->stack[vm->sp - 1] = a;
      break;
    case JMP: pc = code[pc]; break;
    case JZ: pc = vm->stack[--vm->sp] == 0 ? code[pc] : pc + 1; break;
    case CALL: vm->rstack[vm->rsp++] = pc + 1; pc = code[pc]; break;
    case RET: pc = vm->rstack[--vm->rsp]; break;
    case LOAD: vm->stack[vm->sp++] = vm->vars[code[pc++]]; break;
    case STORE: vm->vars[code[pc++]] = vm->stack[--vm->sp]; break;
    case PRINT: printf("  out: %lld\n", (long long)vm->stack[--vm->sp]); break;
    case HALT: return 0;
    default: return -3;
    }
  }
}

static void disasm(const int32_t *code, int n) {
  for (int pc = 0; pc < n;) {
    int op = code[pc];
    if (has_arg(op)) { printf("  %3d %-5s %d\n", pc, names[op], code[pc + 1]); pc += 2; }
    else { printf("  %3d %s\n", pc, names[op]); pc++; }
  }
}

/* Two-pass assembler: "name:" defines a label, "op arg" where arg is a
 * number or a label. Returns the number of words, or -1 on error. */
static int assemble(const char *src, int32_t *code, int cap) {
  char labels[32][16];
  int labelpos[32], nlabels = 0, n = 0;
  for (int pass = 0; pass < 2; pass++) {
    n = 0;
    const char *p = src;
    while (*p) {
      char tok[16], arg[16];
      int len = 0;
      while (*p == ' ' || *p == '\n' || *p == ';') p++;
      if (!*p) break;
      while (*p && *p != ' ' && *p != '\n' && *p != ';' && len < 15) tok[len++] = *p++;
      tok[len] = '\0';
      if (tok[len - 1] == ':') {
        tok[len - 1] = '\0';
        if (pass == 0) {
          if (nlabels == 32) return -1;
          snprintf(labels[nlabels], sizeof labels[0], "%s", tok);
          labelpos[nlabels++] = n;
        }
        continue;
      }
      int op = -1;
      for (int k = 0; k < NOPS; k++)
        if (strcmp(tok, names[k]) == 0) op = k;
      if (op < 0 || n >= cap - 1) return -1;
      code[n++] = op;
      if (!has_arg(op)) continue;
      while (*p == ' ') p++;
      len = 0;
      while (*p && *p != ' ' && *p != '\n' && *p != ';' && len < 15) arg[len++] = *p++;
      arg[len] = '\0';
      int32_t v = 0;
      if ((arg[0] >= '0' && arg[0] <= '9') || arg[0] == '-') v = (int32_t)strtol(arg, NULL, 10);
      else if (pass == 1) {
        int found = -1;
        for (int k = 0; k < nlabels; k++)
          if (strcmp(arg, labels[k]) == 0) found = labelpos[k];
        if (found < 0) return -1;
        v = found;
      }
      code[n++] = v;
    }
  }
  return n;
}

int main(void) {
  static const struct { const char *name, *src; } progs[] = {
      {"sumsq", /* sum of i*i for i in 1..1000 */
       "push 0; store 0; push 1; store 1\n"
       "loop: load 1; push 1001; lt; jz done\n"
       "load 0; load 1; dup; mul; add; store 0\n"
       "load 1; push 1; add; store 1; jmp loop\n"
       "done: load 0; print; halt"},
      {"fib", /* recursive fib(22) */
       "push 22; call fib; print; halt\n"
       "fib: dup; push 2; lt; jz rec; ret\n"
       "rec: dup; push 1; sub; call fib; swap; push 2; sub; call fib; add; ret"},
      {"gcd", /* Euclid on (1071, 462) */
       "push 1071; push 462\n"
       "top: dup; jz end; swap; over; mod; jmp top\n"
       "end: pop; print; halt"},
      {"collatz", /* steps for 27 and for 97 */
       "push 27; call steps; print; push 97; call steps; print; halt\n"
       "steps: store 2; push 0; store 3\n"
       "again: load 2; push 1; eq; jz step; load 3; ret\n"
       "step: load 3; push 1; add; store 3\n"
       "load 2; push 2; mod; jz even\n"
       "load 2; push 3; mul; push 1; add; store 2; jmp again\n"
       "even: load 2; push 2; div; store 2; jmp again"},
      {"divzero", "push 1; push 0; div; print; halt"},
      {"badlabel", "jmp nowhere"},
      {"badop", "push 1; frobnicate"},
  };
  static VM vm;
  static int32_t code[512];
  for (size_t i = 0; i < sizeof progs / sizeof progs[0]; i++) {
    int n = assemble(progs[i].src, code, 512);
    printf("program %s: %d words\n", progs[i].name, n);
    if (n < 0) continue;
    if (n < 40) disasm(code, n);
    int rc = run(code, &vm);
    printf("  rc=%d steps=%ld\n", rc, vm.steps);
  }
  return 0;
}
