#define FUNCTION(name) name##_int
#define BASE int
#include "sum_source.c"
#undef BASE
#undef FUNCTION
#define FUNCTION(name) name##_double
#define BASE double
#include "sum_source.c"
