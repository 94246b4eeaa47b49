#include <windows.h>
int win_only(void) { return GetTickCount(); }
