#!/usr/bin/env python3
"""Write the training text of the profile-guided build (scripts/build-pgo.sh).

Usage: pgo-train.py CALQUE OUT_DIR

The text comes from this repository only, never from the evaluation data
that bench/corpus.py makes the benchmark corpus of, so that the profile does
not learn the text the benchmark times: every rule's explanation and
examples (as `CALQUE explain` prints them: English prose about translation
defects, and sentences with and without them), the fixtures, README.md and
docs/. Writes:

  OUT_DIR/train.txt      the text, repeated whole to ~4 MB, so that checking
                         it takes the large-document paths (pieces, threads)
  OUT_DIR/articles/      the same text cut at paragraph breaks into ~20 KB
                         files, for the many-small-files paths
"""
import json
import os
import subprocess
import sys

SIZE = 4_000_000
ARTICLE = 20_000


def run(calque, *args):
    return subprocess.run(
        [calque, *args], capture_output=True, text=True, check=True
    ).stdout


def explanations(calque):
    """Each rule's explanation and examples, as paragraphs of plain text."""
    rules = json.loads(run(calque, "rules", "--format", "json"))
    for rule in rules:
        text = run(calque, "explain", rule["id"])
        # the header (id, kind, where defined, measured figures) is no prose
        body = text.split("\n\n", 1)[1] if "\n\n" in text else ""
        prose, examples = [], []
        for line in body.splitlines():
            stripped = line.strip()
            if stripped.startswith(("✗", "✓")):
                examples.append(stripped[1:].strip())
            elif stripped and not stripped.endswith(":"):
                prose.append(stripped)
        if prose:
            yield " ".join(prose)
        yield from examples


def repository_texts(root):
    paths = [os.path.join(root, "README.md")]
    for top in ("fixtures", "docs"):
        for dirpath, dirnames, filenames in os.walk(os.path.join(root, top)):
            dirnames.sort()
            for name in sorted(filenames):
                if name.endswith((".txt", ".md")):
                    paths.append(os.path.join(dirpath, name))
    for path in paths:
        with open(path, encoding="utf-8", errors="replace") as f:
            for para in f.read().split("\n\n"):
                if para.strip():
                    yield para.strip()


def main(argv):
    if len(argv) != 2:
        sys.exit(__doc__)
    calque, out = argv
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    paras = list(explanations(calque)) + list(repository_texts(root))
    once = "\n\n".join(paras) + "\n\n"
    os.makedirs(os.path.join(out, "articles"), exist_ok=True)
    with open(os.path.join(out, "train.txt"), "w", encoding="utf-8") as f:
        f.write(once * max(1, SIZE // len(once.encode())))
    article, size, n = [], 0, 0
    for i, para in enumerate(paras):
        article.append(para)
        size += len(para.encode())
        if size >= ARTICLE or i == len(paras) - 1:
            name = os.path.join(out, "articles", f"{n:05}.txt")
            with open(name, "w", encoding="utf-8") as f:
                f.write("\n\n".join(article) + "\n")
            article, size, n = [], 0, n + 1
    print(f"pgo-train.py: {len(once.encode())} bytes of text, {n} articles")


if __name__ == "__main__":
    main(sys.argv[1:])
