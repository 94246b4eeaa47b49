/* Two external functions with the same body: -Oz keeps both, mergefunc
   (which -Oz does not run) makes one a call of the other. */
int scaled_sum(const int *a, int n) {
  int s = 0;
  for (int i = 0; i < n; i++)
    s += a[i] * 3 + (a[i] >> 2);
  return s;
}
int scaled_sum_copy(const int *a, int n) {
  int s = 0;
  for (int i = 0; i < n; i++)
    s += a[i] * 3 + (a[i] >> 2);
  return s;
}
