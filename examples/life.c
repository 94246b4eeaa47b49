/* life.c - Conway's Game of Life on a torus: glider gun, R-pentomino and
 * random soup; prints populations, a final snapshot and a state hash. */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#define W 64
#define H 48

static uint8_t g[H][W], n2[H][W];

static void step(void) {
  for (int y = 0; y < H; y++)
    for (int x = 0; x < W; x++) {
      int c = 0;
      for (int dy = -1; dy <= 1; dy++)
        for (int dx = -1; dx <= 1; dx++)
          if (dy || dx) c += g[(y + dy + H) % H][(x + dx + W) % W];
      n2[y][x] = (uint8_t)(c == 3 || (c == 2 && g[y][x]));
    }
  memcpy(g, n2, sizeof g);
}

static int population(void) {
  int p = 0;
  for (int y = 0; y < H; y++) for (int x = 0; x < W; x++) p += g[y][x];
  return p;
}

static uint32_t state_hash(void) {
  uint32_t h = 0x811c9dc5u;
  for (int y = 0; y < H; y++) for (int x = 0; x < W; x++) h = (h ^ g[y][x]) * 16777619u;
  return h;
}

static void put(const char *rows[], int n, int ox, int oy) {
  for (int r = 0; r < n; r++)
    for (int c = 0; rows[r][c]; c++)
      if (rows[r][c] == 'O') g[(oy + r) % H][(ox + c) % W] = 1;
}

int main(void) {
  static const char *gun[] = {
      "........................O...........",
      "......................O.O...........",
      "............OO......OO............OO",
      "...........O...O....OO............OO",
      "OO........O.....O...OO..............",
      "OO........O...O.OO....O.O...........",
      "..........O.....O.......O...........",
      "...........O...O....................",
      "............OO......................"};
  static const char *rpent[] = {".OO", "OO.", ".O."};
  memset(g, 0, sizeof g);
  put(gun, 9, 1, 1);
  printf("glider gun:");
  for (int t = 0; t <= 120; t++) {
    if (t % 30 == 0) printf(" t%d=%d", t, population());
    step();
  }
  printf(" hash=%08x\n", state_hash());
  memset(g, 0, sizeof g);
  put(rpent, 3, 30, 22);
  printf("r-pentomino:");
  for (int t = 0; t <= 200; t++) {
    if (t % 40 == 0) printf(" t%d=%d", t, population());
    step();
  }
  printf(" hash=%08x\n", state_hash());
  uint32_t s = 42u;
  for (int y = 0; y < H; y++)
    for (int x = 0; x < W; x++) {
      s ^= s << 13; s ^= s >> 17; s ^= s << 5;
      g[y][x] = (uint8_t)((s >> 7) % 3u == 0);
    }
  printf("soup:");
  for (int t = 0; t <= 300; t++) {
    if (t % 50 == 0) printf(" t%d=%d", t, population());
    step();
  }
  printf(" hash=%08x\n", state_hash());
  for (int y = 0; y < H; y += 2) {
    for (int x = 0; x < W; x++) putchar(g[y][x] || g[y + 1][x] ? '#' : '.');
    putchar('\n');
  }
  return 0;
}
