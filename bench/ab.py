#!/usr/bin/env python3
"""Compare the wall time of two or more calque builds on the same command,
runs interleaved (A B, B A, A B, ...) so that every build sees the same
load on a shared machine. For start-up and one-article latency, where a
difference of a few milliseconds is below the drift between two
back-to-back hyperfine runs.

    python3 bench/ab.py [--runs N] BIN_A BIN_B [BIN...] -- ARGS...

Example, the seed article against the build of an earlier commit:

    git worktree add /tmp/old OLD_COMMIT && cargo build --release --manifest-path /tmp/old/Cargo.toml
    python3 bench/ab.py /tmp/old/target/release/calque target/release/calque \\
        -- check --no-config --format json fixtures/seed/article.en.txt

Prints, per build, the minimum, first quartile and median in milliseconds,
and each median against the first build's. The exit status of the
command is ignored (calque exits 1 when it finds something).
"""

import statistics
import subprocess
import sys
import time


def main(argv):
    runs = 40
    if len(argv) >= 2 and argv[0] == "--runs":
        runs = int(argv[1])
        argv = argv[2:]
    if "--" not in argv:
        sys.exit(__doc__)
    cut = argv.index("--")
    bins, args = argv[:cut], argv[cut + 1 :]
    if len(bins) < 2 or not args:
        sys.exit(__doc__)
    times = {b: [] for b in bins}
    for b in bins:  # one warm-up run each: page cache, binary mapped once
        subprocess.run([b, *args], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    for i in range(runs):
        order = bins if i % 2 == 0 else bins[::-1]
        for b in order:
            t = time.perf_counter()
            subprocess.run([b, *args], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            times[b].append((time.perf_counter() - t) * 1000)
    base = statistics.median(times[bins[0]])
    print(f"{runs} interleaved runs of: {' '.join(args)}")
    for b in bins:
        x = sorted(times[b])
        med = statistics.median(x)
        print(
            f"  min {x[0]:7.1f}  p25 {x[len(x) // 4]:7.1f}  median {med:7.1f} ms"
            f"  ({med / base:.2f} x)  {b}"
        )


if __name__ == "__main__":
    main(sys.argv[1:])
