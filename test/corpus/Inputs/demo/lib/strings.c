#include <string.h>
unsigned demo_len(const char *s) { return (unsigned)strlen(s); }
