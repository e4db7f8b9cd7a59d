#!/usr/bin/env bash
# Build calque's distribution binary: the release-lto profile (Cargo.toml),
# optimized with a profile of calque checking text from this repository.
#
#   bash scripts/build-pgo.sh      prints what it built (`build: ...`) and,
#                                  on its last line, the binary's path
#
# Profile-guided optimization (PGO): an instrumented build checks the
# training text (scripts/pgo-train.py: the rules' explanations and examples,
# the fixtures, README.md and docs/; never the evaluation data the benchmark
# times), with the built-in rules and with the same rules read from rules/
# as a user's pack would be; it records which branches go which way and which
# functions are hot, and the second build lays the code out by that record.
#
# Needs llvm-profdata of rustc's own LLVM: the rustup component llvm-tools,
# installed here if missing. Without it the binary is built with the
# release-lto profile alone, and this says so on stderr.
#
# Builds in target/pgo-gen (instrumented) and target/pgo (the result), so
# that `cargo build --release` and the tests are left alone.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
TARGET_DIR="$(cargo metadata --format-version 1 --no-deps \
  | python3 -c 'import json, sys; print(json.load(sys.stdin)["target_directory"])')"
GEN="$TARGET_DIR/pgo-gen"
OUT="$TARGET_DIR/pgo"
BIN="$OUT/release-lto/calque"

log() { echo "build-pgo: $*" >&2; }

WORK="$(mktemp -d "${TMPDIR:-/tmp}/calque-pgo.XXXXXX")"
trap 'rm -rf "$WORK"' EXIT

log "release build, for the training text..."
cargo build --release --quiet
release="$TARGET_DIR/release/calque"
python3 scripts/pgo-train.py "$release" "$WORK/train" >&2

# Run a calque command; exit 1 (findings reported) is no failure.
calque_ok() {
  local code=0
  "$@" || code=$?
  (( code <= 1 )) || { log "failed (exit $code): $*"; exit 1; }
}
# The built binary must report what the release build reports.
same_as_release() {
  local input
  for input in fixtures "$WORK/train/train.txt"; do
    calque_ok "$release" check --no-config --format json "$input" > "$WORK/want.json"
    calque_ok "$1" check --no-config --format json "$input" > "$WORK/got.json"
    cmp -s "$WORK/want.json" "$WORK/got.json" \
      || { log "$1 reports otherwise than the release build on $input"; exit 1; }
  done
}

host="$(rustc -vV | sed -n 's/^host: //p')"
profdata="$(rustc --print sysroot)/lib/rustlib/$host/bin/llvm-profdata"
if [[ ! -x "$profdata" ]] && command -v rustup >/dev/null 2>&1; then
  log "installing the rustup component llvm-tools (llvm-profdata)..."
  timeout 600 rustup component add llvm-tools >&2 || true
fi
if [[ ! -x "$profdata" ]]; then
  log "no llvm-profdata for rustc's LLVM: building without PGO"
  CARGO_TARGET_DIR="$OUT" cargo build --profile release-lto --quiet
  same_as_release "$BIN"
  echo "build: release-lto profile, without PGO (no llvm-profdata)"
  echo "$BIN"
  exit 0
fi

log "instrumented build..."
# (a fixed path, so that an unchanged tree reuses this build)
PROFILES="$GEN/profiles"
RUSTFLAGS="-Cprofile-generate=$PROFILES" CARGO_TARGET_DIR="$GEN" \
  cargo build --profile release-lto --quiet
# build.rs ran instrumented too: its profiles are not calque's
rm -rf "$PROFILES"

log "training..."
calque="$GEN/release-lto/calque"
train() { calque_ok "$calque" "$@" > /dev/null; }
train check --no-config --format json --threads 1 "$WORK/train/train.txt"
train check --no-config --format json "$WORK/train/train.txt"
train check --no-config --format json "$WORK/train/articles"
# a pack of one's own: the rules read from YAML and analysed at run time
train check --no-config --no-builtin --rules rules --format json "$WORK/train/articles"
train check --no-config --format sarif fixtures
train check --no-config fixtures/seed/article.en.txt
train test-rules

"$profdata" merge -o "$WORK/calque.profdata" "$PROFILES"

log "optimized build..."
# The profile's path is new each time, so that a new profile rebuilds; the
# builds of older profiles would pile up (~300 MB each).
rm -rf "$OUT"
RUSTFLAGS="-Cprofile-use=$WORK/calque.profdata" CARGO_TARGET_DIR="$OUT" \
  cargo build --profile release-lto --quiet
same_as_release "$BIN"
echo "build: release-lto profile, PGO trained on repository text (scripts/build-pgo.sh)"
echo "$BIN"
