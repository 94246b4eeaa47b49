/* Identical to sub/dup.c: must deduplicate to one module. */
int dup_twice(int x) { return 2 * x; }
