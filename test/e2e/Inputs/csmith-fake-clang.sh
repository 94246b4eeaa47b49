#!/bin/sh
# Test double for csmith-harness.test: runs the real clang ($REAL_CLANG) and
# then, according to $FAKE:
#   wrong-plugin     a plugin build (-fpass-plugin=) prints a wrong checksum;
#   crash-plugin     a plugin build of a .c file fails as a crashing
#                    compiler would;
#   wrong-o0         a plugin build and a stock -O0 build both print the
#                    same wrong checksum (stock -O0 disagrees with -Oz);
#   hang-stock       a stock build (no plugin, not -O0) never finishes;
#   slow-plugin      a plugin build sleeps 2 s before running the real one;
#   hang-plugin      a plugin build never finishes;
#   wrong-warm       a plugin build with -neuropt-size-print (csmith-check's
#                    --warm rebuild) prints a wrong checksum;
#   no-superopt      the plugin rejects -neuropt-superopt-mode like an
#                    LLVM option it does not know.
plugin=0 out="" prev="" o0=0 superopt=0 csrc=0 warm=0
for a in "$@"; do
  case "$a" in
    -fpass-plugin=*) plugin=1 ;;
    -O0) o0=1 ;;
    -neuropt-superopt-mode=*) superopt=1 ;;
    -neuropt-size-print) warm=1 ;;
    *.c) csrc=1 ;;
  esac
  [ "$prev" = "-o" ] && out=$a
  prev=$a
done
if [ "$FAKE" = no-superopt ] && [ "$superopt" = 1 ]; then
  echo "clang (LLVM option parsing): Unknown command line argument '-neuropt-superopt-mode=synthesize'.  Try: 'clang (LLVM option parsing) --help'" >&2
  exit 1
fi
if [ "$FAKE" = crash-plugin ] && [ "$plugin" = 1 ] && [ "$csrc" = 1 ]; then
  echo "PLEASE submit a bug report; Stack dump:" >&2
  exit 134
fi
"$REAL_CLANG" "$@" || exit $?
[ -n "$out" ] || exit 0
if [ "$FAKE" = wrong-plugin ] && [ "$plugin" = 1 ]; then
  printf '#!/bin/sh\necho "checksum = 0"\n' >"$out"
elif [ "$FAKE" = wrong-warm ] && [ "$warm" = 1 ]; then
  printf '#!/bin/sh\necho "checksum = 0"\n' >"$out"
elif [ "$FAKE" = wrong-o0 ] && { [ "$plugin" = 1 ] || [ "$o0" = 1 ]; }; then
  printf '#!/bin/sh\necho "checksum = 0"\n' >"$out"
elif [ "$FAKE" = hang-stock ] && [ "$plugin" = 0 ] && [ "$o0" = 0 ]; then
  printf '#!/bin/sh\nexec sleep 30\n' >"$out"
elif [ "$FAKE" = slow-plugin ] && [ "$plugin" = 1 ]; then
  mv "$out" "$out.real"
  printf '#!/bin/sh\nsleep 2\nexec "%s"\n' "$out.real" >"$out"
  chmod +x "$out"
elif [ "$FAKE" = hang-plugin ] && [ "$plugin" = 1 ]; then
  printf '#!/bin/sh\nexec sleep 30\n' >"$out"
fi
exit 0
