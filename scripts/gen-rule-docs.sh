#!/bin/sh
# Regenerate the rule tables: README.md (one line per pack) and docs/rules.md (every rule).
# tests/rules.rs fails when they are stale.
set -e
cd "$(dirname "$0")/.."
cargo build --release --quiet
bin=target/release/calque
python3 - "$bin" <<'PY'
import subprocess, sys
bin = sys.argv[1]
def splice(path, table):
    text = open(path, encoding="utf-8").read()
    a = text.index("<!-- rules:start -->") + len("<!-- rules:start -->")
    b = text.index("<!-- rules:end -->")
    open(path, "w", encoding="utf-8").write(text[:a] + "\n" + table.strip() + "\n" + text[b:])
splice("README.md", subprocess.check_output([bin, "rules", "--format", "packs"], text=True))
splice("docs/rules.md", subprocess.check_output([bin, "rules", "--format", "markdown"], text=True))
PY
