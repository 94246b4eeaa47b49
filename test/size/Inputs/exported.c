/* An exported function that nothing in this file calls. */
int table[4] = {1, 2, 3, 4};
int exported_helper(int x) { return table[x & 3] * 3 + 1; }
int main(int argc, char **argv) { return table[argc & 3]; }
