#!/usr/bin/env python3
"""Count findings per rule on real text, to calibrate rule severities.

    cargo build --release
    python3 scripts/rule-counts.py [--calque target/release/calque] [--rules DIR --no-builtin]
                                   [--data ../shared/eval] [--out /tmp/counts] [--select PREFIX]

Reads the development split of ../shared/eval (never copied into the repo) and, when present,
the example sentences of WordNet (Debian `wordnet-base`, /usr/share/wordnet) as a probe of
ordinary English usage. calque runs once over everything (`--format json`, all severities) and
this prints, for every rule that fired:

  clean     findings on human-written/translated English news (every one is a false alarm)
  ref       findings on the human references of the fr->en set
  mt        findings on the fr->en machine translations of the same segments
  mt_new    MT findings whose flagged text does not occur in the reference (a defect the human
            translator did not make: a rough precision proxy)
  ratio     MT rate per 1000 words / reference rate (inf when the reference has none)
  mqm       findings on MQM-annotated MT (mostly zh->en) and how many overlap an error span
  mqm_h     findings on the human translations of the MQM set
  wn        findings on WordNet example sentences (ordinary English; every one is suspicious)

`--out DIR` also writes DIR/counts.tsv and DIR/samples.txt (a few contexts per rule and set).
"""
import argparse, collections, json, os, re, subprocess, sys, tempfile

WORD = re.compile(r"\w+", re.UNICODE)


def words(s):
    return len(WORD.findall(s))


def load(path):
    with open(path, encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def wordnet_examples(wn_dir):
    out = []
    for pos in ("noun", "verb", "adj", "adv"):
        p = os.path.join(wn_dir, "data." + pos)
        if not os.path.exists(p):
            continue
        with open(p, encoding="latin-1") as f:
            for line in f:
                if line.startswith(" "):
                    continue
                gloss = line.split("|", 1)[-1]
                for ex in re.findall(r'"([^"]{12,})"', gloss):
                    out.append(ex.strip())
    return out


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--calque", default=os.path.join(here, "..", "target", "release", "calque"))
    ap.add_argument("--data", default=os.path.join(here, "..", "..", "shared", "eval"))
    ap.add_argument("--split", default="dev")
    ap.add_argument("--wordnet", default="/usr/share/wordnet")
    ap.add_argument("--rules", action="append", default=[])
    ap.add_argument("--no-builtin", action="store_true")
    ap.add_argument("--select", action="append", default=[])
    ap.add_argument("--out")
    ap.add_argument("--samples", type=int, default=4)
    args = ap.parse_args()

    tmp = tempfile.mkdtemp(prefix="calque-counts-")
    files = {}  # path -> (set, text, meta)

    def add(name, text, kind, meta):
        path = os.path.join(tmp, name)
        with open(path, "w", encoding="utf-8") as f:
            f.write(text)
        files[os.path.realpath(path)] = (kind, text, meta)

    def place(segs):
        offs, pos = [], 0
        for s in segs:
            offs.append(pos)
            pos += len(s) + 2
        return "\n\n".join(segs) + "\n", offs

    wc = collections.Counter()
    clean = load(os.path.join(args.data, f"clean.{args.split}.jsonl"))
    for i, r in enumerate(clean):
        add(f"clean{i}.txt", r["text"], "clean", None)
        wc["clean"] += words(r["text"])
    fren = load(os.path.join(args.data, f"fren.{args.split}.jsonl"))
    groups = collections.defaultdict(list)
    for r in fren:
        groups[r["doc_key"]].append(r)
    for i, (key, rs) in enumerate(sorted(groups.items())):
        systems = sorted({s for r in rs for s in (r.get("mt") or {})})
        for j, sysname in enumerate(["reference"] + systems):
            seg = [(r, r["reference"] if sysname == "reference" else (r.get("mt") or {}).get(sysname)) for r in rs]
            seg = [(r, t) for r, t in seg if t]
            if not seg:
                continue
            text, offs = place([t for _, t in seg])
            kind = "ref" if sysname == "reference" else "mt"
            add(f"fren{i}_{j}.txt", text, kind, (seg, offs))
            wc[kind] += sum(words(t) for _, t in seg)
    mqm = load(os.path.join(args.data, f"mqm.{args.split}.jsonl"))
    groups = collections.defaultdict(list)
    for r in mqm:
        groups[(r["doc_key"], r["system"])].append(r)
    for i, (key, rs) in enumerate(sorted(groups.items())):
        rs.sort(key=lambda r: int(r["seg"]) if str(r["seg"]).isdigit() else 0)
        kind = "mqm_h" if rs[0]["system_type"] == "human" else "mqm"
        text, offs = place([r["target"] for r in rs])
        add(f"mqm{i}.txt", text, kind, (rs, offs))
        wc[kind] += sum(words(r["target"]) for r in rs)
    wn = wordnet_examples(args.wordnet)
    for i in range(0, len(wn), 2000):
        chunk = wn[i:i + 2000]
        add(f"wn{i}.txt", "\n\n".join(chunk) + "\n", "wn", None)
        wc["wn"] += sum(words(t) for t in chunk)

    cmd = [args.calque, "check", "--format", "json"]
    for r in args.rules:
        cmd += ["--rules", r]
    if args.no_builtin:
        cmd.append("--no-builtin")
    for s in args.select:
        cmd += ["--select", s]
    p = subprocess.run(cmd + [tmp], capture_output=True, text=True)
    if p.returncode not in (0, 1):
        sys.exit(f"calque exited {p.returncode}: {p.stderr[:2000]}")
    doc = json.loads(p.stdout)

    count = collections.defaultdict(collections.Counter)
    sev = {}
    samples = collections.defaultdict(list)
    for f in doc["findings"]:
        path = os.path.realpath(f["path"])
        if path not in files:
            continue
        kind, text, meta = files[path]
        raw = text.encode("utf-8")
        s = len(raw[: f["start"]].decode("utf-8", "ignore"))
        e = len(raw[: f["end"]].decode("utf-8", "ignore"))
        rule = f["rule"]
        sev[rule] = f["severity"]
        count[rule][kind] += 1
        flagged = text[s:e]
        if kind == "mt":
            seg, offs = meta
            for (r, t), o in zip(seg, offs):
                if o <= s < o + len(t) + 1:
                    if flagged.strip().lower() not in (r.get("reference") or "").lower():
                        count[rule]["mt_new"] += 1
                    break
        if kind == "mqm":
            rs, offs = meta
            for r, o in zip(rs, offs):
                if o <= s < o + len(r["target"]) + 1:
                    ss, ee = s - o, e - o
                    spans = [(x["start"], x["end"]) for x in r["errors"]
                             if x.get("side") == "target" and x.get("start") is not None
                             and str(x.get("severity", "")).lower() not in ("neutral", "no-error")]
                    if any(ss < b and max(ee, ss + 1) > a for a, b in spans):
                        count[rule]["mqm_hit"] += 1
                    break
        if len([x for x in samples[rule] if x[0] == kind]) < args.samples:
            ctx = text[max(0, s - 60): e + 60].replace("\n", " ")
            samples[rule].append((kind, f"[{flagged}]", ctx))

    def rate(c, k):
        return 1000 * c[k] / max(wc[k], 1)

    cols = ["clean", "ref", "mt", "mt_new", "mqm", "mqm_hit", "mqm_h", "wn"]
    lines = ["rule\tseverity\t" + "\t".join(cols) + "\tratio"]
    for rule in sorted(count, key=lambda r: (-count[r]["clean"] - count[r]["ref"] - count[r]["wn"], r)):
        c = count[rule]
        rr = rate(c, "ref")
        ratio = (rate(c, "mt") / rr) if rr else float("inf") if c["mt"] else 0
        lines.append(f"{rule}\t{sev[rule]}\t" + "\t".join(str(c[k]) for k in cols) + f"\t{ratio:.1f}")
    print("words: " + ", ".join(f"{k} {v}" for k, v in wc.items()))
    print("\n".join(lines))
    if args.out:
        os.makedirs(args.out, exist_ok=True)
        with open(os.path.join(args.out, "counts.tsv"), "w") as f:
            f.write("\n".join(lines) + "\n")
        with open(os.path.join(args.out, "samples.txt"), "w") as f:
            for rule in sorted(samples):
                f.write(f"== {rule} ({sev[rule]}) {dict(count[rule])}\n")
                for kind, flagged, ctx in samples[rule]:
                    f.write(f"  {kind:6} {flagged}  …{ctx}…\n")
    import shutil
    shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
