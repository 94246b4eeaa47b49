#include "no_such_header_anywhere.h"
int uses_missing(void) { return NO_SUCH_MACRO; }
