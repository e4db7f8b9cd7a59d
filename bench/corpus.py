#!/usr/bin/env python3
"""Build the benchmark corpus in a scratch directory (never in the repo).

Usage: corpus.py EVAL_DIR OUT_DIR [--smoke]

The text is English news and news-like MT output from the evaluation data
(EVAL_DIR/*.jsonl, normally ../shared/eval): clean `text`, mqm `target`,
fren `reference` and every `mt` output, demetr `mt`. Each text is kept once,
as one or more paragraphs separated by blank lines, and the sources are
interleaved so that any prefix of the corpus is the same mix. The evaluation data is
only read; nothing from it is written outside OUT_DIR.

Writes into OUT_DIR:
  news.txt           ~20 MB: the unique texts, repeated whole to size
  news/NNNNN.txt     news.txt cut at paragraph breaks into ~20 KB articles
  scale-1.txt, scale-10.txt, scale-100.txt
                     1, 10 and 100 MB, by repetition (the same text, so
                     time per MB should not change with size)

With --smoke: news.txt is ~100 KB and the scale files 1, 10 and 100 KB, so
every step of bench/run.sh runs in seconds. If EVAL_DIR has no data, a
smoke corpus is built from the repository's fixtures/ instead (CI machines
do not have ../shared); a full corpus needs the evaluation data.
"""
import json
import os
import sys

MB = 1_000_000
KB = 1_000
ARTICLE = 20 * KB
SOURCES = [
    # (file, fields holding English text; a dict field holds several)
    ("clean.dev.jsonl", ["text"]),
    ("mqm.dev.jsonl", ["target"]),
    ("fren.dev.jsonl", ["reference", "mt"]),
    ("demetr.dev.jsonl", ["mt"]),
]


def eval_texts(eval_dir):
    """English texts of the evaluation data, each once, sources interleaved
    (see `interleave`)."""
    seen = set()
    groups = []
    for name, fields in SOURCES:
        path = os.path.join(eval_dir, name)
        group = []
        if os.path.isfile(path):
            with open(path, encoding="utf-8") as f:
                for line in f:
                    if not line.strip():
                        continue
                    row = json.loads(line)
                    for field in fields:
                        v = row.get(field)
                        for t in v.values() if isinstance(v, dict) else [v]:
                            if isinstance(t, str) and t.strip() and t not in seen:
                                seen.add(t)
                                group.append(t.strip())
        groups.append(group)
    return interleave(groups)


def interleave(groups):
    """The texts of all groups, each group in order, merged so that every
    prefix holds the same share of each group's bytes as the whole: the
    1 MB scaling file is then the same mix as the 100 MB one (human news
    documents, MT segments, perturbed MT), not just the first source."""
    totals = [sum(len(t) for t in g) or 1 for g in groups]
    done = [0] * len(groups)
    pos = [0] * len(groups)
    out = []
    while True:
        live = [i for i, g in enumerate(groups) if pos[i] < len(g)]
        if not live:
            return out
        i = min(live, key=lambda i: done[i] / totals[i])
        t = groups[i][pos[i]]
        out.append(t)
        pos[i] += 1
        done[i] += len(t)


def fixture_texts(root):
    """The text files under fixtures/ (a small stand-in for smoke runs)."""
    base = os.path.join(root, "fixtures")
    for d, _, files in sorted(os.walk(base)):
        for n in sorted(files):
            if n.endswith((".txt", ".md")):
                with open(os.path.join(d, n), encoding="utf-8") as f:
                    t = f.read().strip()
                if t:
                    yield t


def paragraphs_unit(texts):
    """All texts as one block of blank-line separated paragraphs."""
    out = []
    for t in texts:
        # One paragraph per blank-line block; CRLF and stray blank lines
        # normalized so that cuts at "\n\n" always fall between paragraphs.
        for p in t.replace("\r\n", "\n").split("\n\n"):
            p = p.strip("\n")
            if p.strip():
                out.append(p + "\n\n")
    return "".join(out).encode("utf-8")


def cut(b, start, n):
    """End of the whole paragraphs of `b` from `start` that fit in `n` bytes
    (at least one line, so a cut always makes progress)."""
    if len(b) - start <= n:
        return len(b)
    i = b.rfind(b"\n\n", start, start + n)
    if i > start:
        return i + 2
    i = b.find(b"\n", start)
    return i + 1 if i >= 0 else len(b)


def repeat_to(unit, size):
    """`unit` repeated, cut at a paragraph break, to about `size` bytes."""
    parts, n = [], 0
    while n < size:
        part = unit[: cut(unit, 0, size - n)]
        parts.append(part)
        n += len(part)
    return b"".join(parts)


def write(path, data):
    with open(path, "wb") as f:
        f.write(data)


def main():
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    flags = [a for a in sys.argv[1:] if a.startswith("--")]
    if len(args) != 2 or any(f != "--smoke" for f in flags):
        sys.exit(__doc__)
    smoke = "--smoke" in flags
    eval_dir, out = args

    unit = paragraphs_unit(eval_texts(eval_dir))
    source = eval_dir
    if not unit:
        if not smoke:
            sys.exit(f"corpus: no evaluation data in {eval_dir} (set CALQUE_EVAL)")
        root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
        unit = paragraphs_unit(fixture_texts(root))
        source = "fixtures/ (no evaluation data found)"
    if not unit:
        sys.exit("corpus: no text found")

    scale = KB if smoke else MB
    os.makedirs(os.path.join(out, "news"), exist_ok=True)
    news = repeat_to(unit, 100 * KB if smoke else 20 * MB)
    write(os.path.join(out, "news.txt"), news)
    i = n = 0
    while i < len(news):
        j = cut(news, i, ARTICLE)
        write(os.path.join(out, "news", f"{n:05}.txt"), news[i:j])
        i = j
        n += 1
    for k in (1, 10, 100):
        write(os.path.join(out, f"scale-{k}.txt"), repeat_to(unit, k * scale))
    print(
        f"corpus: from {source}: {len(unit) / MB:.1f} MB of unique text; "
        f"news.txt {len(news) / MB:.1f} MB, {n} article files; "
        f"scale files 1, 10, 100 {'KB' if smoke else 'MB'}",
        file=sys.stderr,
    )


if __name__ == "__main__":
    main()
