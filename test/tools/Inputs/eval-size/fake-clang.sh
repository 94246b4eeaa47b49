#!/bin/sh
# Test double for the eval-size tests: runs the real clang ($REAL_CLANG) with
# the same arguments, and then
#   FAKE_REMARKS=FILE  replaces the optimization record of a build that asked
#                      for one (-foptimization-record-file=) with FILE;
#   FAKE_BIGGER=1      builds with the plugin at -O0, i.e. larger than -Oz.
set -e
record=""
plugin=0
for a in "$@"; do
  case "$a" in
    -foptimization-record-file=*) record=${a#-foptimization-record-file=} ;;
    -fpass-plugin=*) plugin=1 ;;
  esac
done
if [ "$plugin" = 1 ] && [ "${FAKE_BIGGER:-0}" = 1 ]; then
  "$REAL_CLANG" "$@" -O0
else
  "$REAL_CLANG" "$@"
fi
if [ -n "$record" ] && [ -n "${FAKE_REMARKS:-}" ]; then
  cp "$FAKE_REMARKS" "$record"
fi
