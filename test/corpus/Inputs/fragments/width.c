#ifndef CODE_UNIT_WIDTH
#error CODE_UNIT_WIDTH must be defined
#endif
int width(void) { return CODE_UNIT_WIDTH; }
