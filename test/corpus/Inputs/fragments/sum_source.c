/* A template: only meaningful when included with BASE defined. */
BASE FUNCTION(sum)(const BASE *v, int n) {
  BASE s = 0;
  for (int i = 0; i < n; ++i)
    s += v[i];
  return s;
}
