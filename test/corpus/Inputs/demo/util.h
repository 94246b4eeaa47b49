#ifndef DEMO_UTIL_H
#define DEMO_UTIL_H
int demo_add(int a, int b);
int demo_sum(const int *v, int n);
#endif
