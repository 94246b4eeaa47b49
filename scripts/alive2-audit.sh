#!/bin/bash
# Runs neuropt-verify over Alive2's translation-validation tests and
# compares its verdicts with Alive2's expectations (a test whose text has
# an "; ERROR:" line is a wrong transformation, any other a correct one).
#
#   scripts/alive2-audit.sh DIR [OUT.tsv]
#
# DIR: a copy of Alive2's tests/alive-tv folder (or any folder of tests in
# its convention: NAME.srctgt.ll with @src and @tgt, or with several pairs
# @srcX and @tgtX, or a pair NAME.src.ll and NAME.tgt.ll, whose functions
# of the same name are compared one by one), which this repository does
# not ship. Writes one line per test
# (path, expected, neuropt's first line, Alive2's TEST-ARGS or XFAIL) to
# OUT.tsv (default: alive2-audit.tsv) and prints the counts. What matters
# most: a wrong transformation that neuropt proves (the list printed
# last). Tests with TEST-ARGS and the asm/ folder use semantics neuropt
# does not take options for, and XFAIL tests expect Alive2 itself to fail
# (unsupported IR, a timeout), not a verdict; their rows are kept but not
# counted. Needs the build (build/bin/neuropt-verify, or
# $NEUROPT_BIN/neuropt-verify).
set -uo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
V=${NEUROPT_BIN:-$ROOT/build/bin}/neuropt-verify
DIR=${1:?usage: alive2-audit.sh DIR [OUT.tsv]}
OUT=${2:-alive2-audit.tsv}
[ -x "$V" ] || { echo "alive2-audit: $V not found; build first" >&2; exit 1; }
: > "$OUT"
verify() { timeout 60 "$V" "$@" --rlimit 2000000 --timeout-ms 5000 2>&1 | head -1; }
# The verdict of several checks, one per line as NAME<TAB>first line:
# refuted if one is (its name appended), proved if all are, else the
# first other answer; $1 if there are none.
combine() {
  local name line first="" n=0 proved=0
  while IFS=$'\t' read -r name line; do
    n=$((n + 1))
    case $line in
      "verdict: refuted"*) echo "$line (@$name)"; return ;;
      "verdict: proved"*) proved=$((proved + 1)) ;;
      *) [ -n "$first" ] || first="$line (@$name)" ;;
    esac
  done
  if [ "$n" -gt 0 ] && [ "$proved" -eq "$n" ]; then echo "verdict: proved"
  else echo "${first:-$1}"; fi
}
defined() { grep -oE "^ *define[^@]*@$2[-A-Za-z0-9_.\$]*\(" "$1" | sed 's/.*@//; s/($//'; }
# A pair of files: every function defined in both.
pair_checks() {
  local fn
  for fn in $(defined "$1" ""); do
    grep -qE "^ *define[^@]*@$fn\(" "$2" || continue
    printf '%s\t%s\n' "$fn" "$(verify "$1" "$2" --function "$fn")"
  done
}
# One file with several pairs, @srcX and @tgtX (@src_1, @src_fmax, ...):
# each renamed to @src and @tgt in a copy.
suffix_checks() {
  local sx esc tmp
  for sx in $(defined "$1" src | sed 's/^src//'); do
    esc=$(printf '%s' "$sx" | sed 's/[.$]/\\&/g')
    grep -qE "^ *define[^@]*@tgt$esc\(" "$1" || continue
    tmp=$(mktemp --suffix=.ll)
    sed -E "s/@src$esc([^-A-Za-z0-9_.\$]|\$)/@src\1/g; s/@tgt$esc([^-A-Za-z0-9_.\$]|\$)/@tgt\1/g" "$1" > "$tmp"
    printf '%s\t%s\n' "src$sx" "$(verify "$tmp")"
    rm -f "$tmp"
  done
}
{ find "$DIR" -name '*.srctgt.ll'
  find "$DIR" -name '*.src.ll' | while read -r s; do
    [ -f "${s%.src.ll}.tgt.ll" ] && echo "$s"
  done; } | LC_ALL=C sort | while read -r f; do
  rel=${f#"$DIR"/}
  files=("$f")
  [[ $f == *.src.ll ]] && files+=("${f%.src.ll}.tgt.ll")
  exp=correct
  grep -q '^; *ERROR' "${files[@]}" && exp=incorrect
  args=$(grep -h '^; *TEST-ARGS' "${files[@]}" | head -1 | sed 's/^; *TEST-ARGS: *//')
  grep -q '^; *XFAIL' "${files[@]}" && args="XFAIL${args:+ $args}"
  if [ ${#files[@]} -eq 2 ]; then
    res=$(pair_checks "${files[@]}" | combine "alive2-audit: no function defined in both files")
  elif grep -qE '^ *define[^@]*@src\(' "$f"; then res=$(verify "$f")
  else res=$(suffix_checks "$f" | combine "alive2-audit: no @src/@tgt pair"); fi
  printf '%s\t%s\t%s\t%s\n' "$rel" "$exp" "$res" "$args" >> "$OUT"
done
counted() { awk -F'\t' '$4 == "" && $1 !~ /^asm\//' "$OUT"; }
echo "| expected | proved | refuted | bounded | unknown | input error |"
echo "| --- | ---: | ---: | ---: | ---: | ---: |"
for e in correct incorrect; do
  counted | awk -F'\t' -v e=$e '$2 == e {
      if ($3 ~ /^verdict: proved/) p++; else if ($3 ~ /^verdict: refuted/) r++;
      else if ($3 ~ /^verdict: bounded/) b++; else if ($3 ~ /^verdict: unknown/) u++;
      else x++ }
    END { printf "| %s | %d | %d | %d | %d | %d |\n", e, p, r, b, u, x }'
done
echo "wrong transformations proved:"
counted | awk -F'\t' '$2 == "incorrect" && $3 ~ /^verdict: proved/ { print "  " $1 }'
echo "correct transformations refuted:"
counted | awk -F'\t' '$2 == "correct" && $3 ~ /^verdict: refuted/ { print "  " $1 }'
