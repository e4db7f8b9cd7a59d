#!/usr/bin/env bash
# calque benchmark: throughput, scaling, start-up and peak memory, with
# ripgrep on the same inputs and the same phrase list for scale.
#
#   bash bench/run.sh            full run (several minutes)
#   bash bench/run.sh --smoke    every step once on ~100 KB, no timing claims (CI)
#
# The corpus is built in a temporary directory (removed at exit) by
# bench/corpus.py from the evaluation data in ../shared/eval, relative to the
# repository root; it is never copied into the repository. A smoke run
# without that data uses the text of fixtures/ instead.
#
# Needs cargo, python3, rg (ripgrep) and GNU time at /usr/bin/time (peak
# RSS); on Debian: apt-get install ripgrep time. hyperfine, when installed,
# times start-up (otherwise a plain loop does). The synthetic-rules rows need
# PyYAML and ../shared/research/fr-en-defects.yaml, and are skipped without.
#
# Environment:
#   CALQUE_EVAL=DIR      evaluation data (default ../shared/eval)
#   CALQUE_RESEARCH=FILE research knowledge base for the synthetic rules
#   CALQUE_BIN=PATH      time this calque binary instead of building one
#   BENCH_BUILD=release  time `cargo build --release` instead of the
#                        distribution build (scripts/build-pgo.sh: the
#                        release-lto profile with profile-guided optimization)
#   BENCH_RUNS=N         runs per measurement (default 3; the median is shown;
#                        calque and rg run in turn)
#
# calque exits 1 when it reports findings and rg exits 1 when nothing
# matches: neither is a failure. Any other non-zero exit stops the run with
# exit status 2.
set -euo pipefail

usage() { sed -n '2,6p' "$0" | sed 's/^# \{0,1\}//'; }
SMOKE=0
case "${1:-}" in
  "") ;;
  --smoke) SMOKE=1 ;;
  -h | --help) usage; exit 0 ;;
  *) usage >&2; exit 2 ;;
esac

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
EVAL="${CALQUE_EVAL:-$ROOT/../shared/eval}"
RESEARCH="${CALQUE_RESEARCH:-$ROOT/../shared/research/fr-en-defects.yaml}"
CORES="$(nproc 2>/dev/null || echo 1)"
RUNS="${BENCH_RUNS:-3}"
(( SMOKE )) && RUNS=1

die() { echo "bench: $*" >&2; exit 2; }
need() { command -v "$1" >/dev/null 2>&1 || die "'$1' is required but not installed${2:+ ($2)}"; }
need python3
need rg "apt-get install ripgrep"
/usr/bin/time -f %M true >/dev/null 2>&1 || die "GNU time is required at /usr/bin/time for peak RSS (apt-get install time)"
[[ -n "${EPOCHREALTIME:-}" ]] || die "bash 5 or later is required (EPOCHREALTIME)"
HYPERFINE=0
if (( ! SMOKE )); then
  if command -v hyperfine >/dev/null 2>&1; then
    HYPERFINE=1
  else
    echo "bench: hyperfine not found; start-up is timed with a plain loop" >&2
  fi
fi

if [[ -n "${CALQUE_BIN:-}" ]]; then
  CALQUE="$CALQUE_BIN"
  BUILD="given binary (CALQUE_BIN)"
elif [[ "${BENCH_BUILD:-}" == release ]]; then
  need cargo
  echo "bench: building calque (release)..." >&2
  (cd "$ROOT" && cargo build --release --quiet)
  TARGET_DIR="$(cd "$ROOT" && cargo metadata --format-version 1 --no-deps \
    | python3 -c 'import json, sys; print(json.load(sys.stdin)["target_directory"])')"
  CALQUE="$TARGET_DIR/release/calque"
  BUILD="cargo build --release"
else
  need cargo
  echo "bench: building the distribution binary (scripts/build-pgo.sh, a few minutes)..." >&2
  built="$(bash "$ROOT/scripts/build-pgo.sh")" || die "scripts/build-pgo.sh failed"
  CALQUE="$(tail -n 1 <<< "$built")"
  BUILD="$(sed -n 's/^build: //p' <<< "$built")"
fi
[[ -x "$CALQUE" ]] || die "no calque binary at $CALQUE"

TMP="$(mktemp -d "${TMPDIR:-/tmp}/calque-bench.XXXXXX")"
trap 'rm -rf "$TMP"' EXIT

echo "bench: building the corpus in $TMP..." >&2
python3 "$ROOT/bench/corpus.py" "$EVAL" "$TMP" $( (( SMOKE )) && echo --smoke)
: > "$TMP/empty.txt"
SEED="$ROOT/fixtures/seed/article.en.txt"

"$CALQUE" rules --format phrases > "$TMP/phrases.txt" || die "calque rules --format phrases failed"
NPHRASES=$(wc -l < "$TMP/phrases.txt")
(( NPHRASES > 0 )) || die "calque rules --format phrases printed nothing"

# Synthetic rules: one per entry of the research knowledge base, to see how
# the engine does with ~1,800 rules instead of ~700.
SYNTH=""
if [[ ! -f "$RESEARCH" ]]; then
  echo "bench: no $RESEARCH: synthetic-rules rows skipped" >&2
elif ! python3 -c "import yaml" 2>/dev/null; then
  echo "bench: PyYAML not installed (apt-get install python3-yaml): synthetic-rules rows skipped" >&2
else
  python3 "$ROOT/bench/synth-rules.py" "$RESEARCH" "$TMP/synth"
  SYNTH="$TMP/synth"
  "$CALQUE" rules --rules "$SYNTH" --format phrases > "$TMP/phrases-synth.txt" \
    || die "calque does not load the synthetic rules"
  NRULES_SYNTH=$("$CALQUE" rules --rules "$SYNTH" --format json \
    | python3 -c 'import json, sys; print(len(json.load(sys.stdin)))')
fi
NRULES=$("$CALQUE" rules --format json | python3 -c 'import json, sys; print(len(json.load(sys.stdin)))')

# One run of a command: sets T (wall seconds), M (peak RSS, KB) and CODE.
# Exit status 0 and 1 are results; anything else ends the benchmark.
run_once() {
  local t0 t1
  CODE=0
  t0=$EPOCHREALTIME
  /usr/bin/time -f %M -o "$TMP/rss" "$@" > /dev/null 2> "$TMP/stderr" || CODE=$?
  t1=$EPOCHREALTIME
  if (( CODE > 1 )); then
    echo "bench: command failed (exit $CODE): $*" >&2
    tail -n 20 "$TMP/stderr" >&2
    exit 2
  fi
  T=$(awk -v a="${t0/,/.}" -v b="${t1/,/.}" 'BEGIN { printf "%.4f", b - a }')
  M=$(tail -n 1 "$TMP/rss")
}

# Bytes in a file or under a directory.
bytes() { find "$1" -type f -printf '%s\n' | awk '{ s += $1 } END { print s + 0 }'; }
mb() { awk -v b="$1" 'BEGIN { printf (b >= 1e6 ? "%.1f" : "%.3f"), b / 1e6 }'; }
mbps() { awk -v b="$1" -v t="$2" 'BEGIN { printf "%.2f", b / 1e6 / (t > 0.001 ? t : 0.001) }'; }
secs() { awk -v t="$1" 'BEGIN { printf "%.3f", t }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.1f", a / (b > 0.001 ? b : 0.001) }'; }
rss() { awk -v k="$1" 'BEGIN { printf "%.0f MB", k / 1024 }'; }

ROWS=()
median() { printf '%s\n' "$@" | sort -g | awk '{ v[NR] = $1 } END { printf "%.4f", v[int((NR + 1) / 2)] }'; }
# row LABEL INPUT THREADS RULES_ARGS PHRASES: time calque and rg on INPUT,
# one run of each in turn, so that both see the same machine: on a shared
# machine the load drifts over a minute, and timing all of one tool before
# the other put that drift into the ratio.
row() {
  local label=$1 input=$2 threads=$3 rules=$4 phrases=$5 size ct cm=0 rt i
  local cts=() rts=()
  size=$(bytes "$input")
  for (( i = 0; i < RUNS; i++ )); do
    # shellcheck disable=SC2086 # $rules is empty or "--rules DIR"
    run_once "$CALQUE" check --no-config --format json --threads "$threads" $rules "$input"
    cts+=("$T")
    if (( M > cm )); then cm=$M; fi
    if [[ "$input" == "$TMP/news.txt" && -z "$rules" && $CODE -ne 1 ]]; then
      die "calque reported nothing at warning level on the news corpus: the rules did not run"
    fi
    run_once rg -c -F -i -j "$threads" -f "$phrases" "$input"
    rts+=("$T")
    if [[ "$input" == "$TMP/news.txt" && $CODE -ne 0 ]]; then
      die "rg found none of the phrases in the news corpus"
    fi
  done
  ct=$(median "${cts[@]}") rt=$(median "${rts[@]}")
  LAST_CT=$ct LAST_RT=$rt
  ROWS+=("| $label | $(mb "$size") | $threads | $(secs "$ct") | $(mbps "$size" "$ct") | $(secs "$rt") | $(ratio "$ct" "$rt") | $(rss "$cm") |")
}

echo "bench: timing (median of $RUNS runs)..." >&2
LOAD_START="$(cut -d' ' -f1 /proc/loadavg 2>/dev/null || echo '?')"
NFILES=$(find "$TMP/news" -type f | wc -l)
THREADS=(1)
(( CORES > 1 )) && THREADS+=("$CORES")
for th in "${THREADS[@]}"; do
  row "news.txt (one file)" "$TMP/news.txt" "$th" "" "$TMP/phrases.txt"
done
for th in "${THREADS[@]}"; do
  row "news/ ($NFILES files)" "$TMP/news" "$th" "" "$TMP/phrases.txt"
done
UNIT=$( (( SMOKE )) && echo KB || echo MB)
declare -A SCALE_CT SCALE_RT
for n in 1 10 100; do
  row "scaling: $n $UNIT, one file" "$TMP/scale-$n.txt" 1 "" "$TMP/phrases.txt"
  SCALE_CT[$n]=$LAST_CT SCALE_RT[$n]=$LAST_RT
done
# The peak RSS target holds at the default thread count too.
(( CORES > 1 )) && row "scaling: 100 $UNIT, one file" "$TMP/scale-100.txt" "$CORES" "" "$TMP/phrases.txt"
if [[ -n "$SYNTH" ]]; then
  row "news/ ($NFILES files), + $((NRULES_SYNTH - NRULES)) synthetic rules" \
    "$TMP/news" "$CORES" "--rules $SYNTH" "$TMP/phrases-synth.txt"
fi

# Start-up: rules loaded and compiled, then one small input checked.
STARTUP=()
startup() {
  local label=$1 i ts=()
  shift
  run_once "$@" # fails the run on exit status 2
  if (( HYPERFINE )); then
    hyperfine -N -i --warmup 3 --runs 30 --export-json "$TMP/h.json" "$(printf '%q ' "$@")" > /dev/null 2>&1 \
      || die "hyperfine failed on: $*"
    STARTUP+=("| $label | $(python3 -c "import json, sys
r = json.load(open(sys.argv[1]))['results'][0]
print('%.1f | %.1f | %d (hyperfine)' % (r['mean'] * 1e3, r['min'] * 1e3, len(r['times'])))" "$TMP/h.json") |")
  else
    local n=$(( SMOKE ? 1 : 30 ))
    for (( i = 0; i < n; i++ )); do
      run_once "$@"
      ts+=("$T")
    done
    STARTUP+=("| $label | $(printf '%s\n' "${ts[@]}" | awk '{ s += $1; if (NR == 1 || $1 < m) m = $1 } END { printf "%.1f | %.1f", s / NR * 1e3, m * 1e3 }') | $n (loop) |")
  fi
}
startup "empty file" "$CALQUE" check --no-config --format json "$TMP/empty.txt"
startup "seed article ($(wc -c < "$SEED") bytes)" "$CALQUE" check --no-config --format json "$SEED"
if [[ -n "$SYNTH" ]]; then
  startup "empty file, + synthetic rules" "$CALQUE" check --no-config --format json --rules "$SYNTH" "$TMP/empty.txt"
fi

COMMIT="$(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo unknown)"
if [[ -n "$(git -C "$ROOT" status --porcelain --untracked-files=no 2>/dev/null)" ]]; then
  COMMIT="$COMMIT+dirty"
fi
CPU="$(grep -m1 '^model name' /proc/cpuinfo 2>/dev/null | cut -d: -f2- | sed 's/^ *//')"
echo
if (( SMOKE )); then
  echo "**SMOKE RUN: every step ran once on tiny inputs; the figures below mean nothing.**"
  echo
fi
echo "calque benchmark: $(date -u +%Y-%m-%d), commit $COMMIT, ${CPU:-unknown CPU}, nproc $CORES" \
  "(load average $LOAD_START at the start, $(cut -d' ' -f1 /proc/loadavg 2>/dev/null || echo '?') at the end)"
echo "$("$CALQUE" --version), $(rg --version | head -n 1), $NRULES rules, $NPHRASES phrases; median of $RUNS runs, calque and rg in turn"
echo "calque build: $BUILD"
echo "calque: \`calque check --no-config --format json --threads N INPUT > /dev/null\`;" \
  "rg: \`rg -c -F -i -j N -f PHRASES INPUT\` with PHRASES from \`calque rules --format phrases\`"
echo
echo "| input | MB | threads | calque s | calque MB/s | rg s | calque/rg | calque peak RSS |"
echo "|---|---|---|---|---|---|---|---|"
printf '%s\n' "${ROWS[@]}"
echo
# Start-up left out: what one more byte costs, from the 1 and 100 MB rows.
# rg compiles the case-folded phrases in ~0.2 s, which is most of its time
# on 20 MB, so the per-byte ratio is the larger one.
MARGINAL_MB=$(awk -v a="$(bytes "$TMP/scale-1.txt")" -v b="$(bytes "$TMP/scale-100.txt")" \
  'BEGIN { printf "%.4f", (b - a) / 1e6 }')
awk -v mb="$MARGINAL_MB" -v unit="$UNIT" -v c1="${SCALE_CT[1]}" -v c100="${SCALE_CT[100]}" \
  -v r1="${SCALE_RT[1]}" -v r100="${SCALE_RT[100]}" 'BEGIN {
  dc = c100 - c1; dr = r100 - r1
  if (dc <= 0 || dr <= 0) { printf "per byte, 1 to 100 %s (start-up left out): too fast to tell\n", unit; exit }
  printf "per byte, 1 to 100 %s, one thread (start-up left out): calque %.2f MB/s, rg %.1f MB/s, calque/rg %.1f\n",
    unit, mb / dc, mb / dr, dc / dr }'
echo
echo "| start-up: calque check | mean ms | min ms | runs |"
echo "|---|---|---|---|"
printf '%s\n' "${STARTUP[@]}"
