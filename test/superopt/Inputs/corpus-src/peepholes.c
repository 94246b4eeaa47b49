/* Missed peepholes for `neuropt-synth superopt` over a small corpus. */
int and_eq_or(unsigned x, unsigned y) { return (x & y) == (x | y); }
unsigned carries(unsigned x, unsigned y) { return (x + y) - (x ^ y); }
int square_is_two(unsigned x) { return x * x == 2; }
unsigned low_bit_of_sum(unsigned x, unsigned y) { return ((x + y) ^ x) & 1; }
unsigned gray(unsigned x) { return x ^ (x >> 1); }
