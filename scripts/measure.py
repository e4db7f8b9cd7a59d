#!/usr/bin/env python3
"""Measure calque per rule and per pack on the evaluation sets, and regenerate the figures.

    cargo build --release && python3 scripts/measure.py

Runs calque once per set (seed, clean, mqm, fren, demetr; development split) with the data layout
of the shared scorer (../shared/eval/score.py, imported), and writes:

  docs/metrics.md     per-rule, per-pack and overall tables (with the date, command and commit)
  rules/metrics.tsv   per-rule figures, embedded in the binary and shown by `calque rules`
  README.md           the overall figures table between <!-- measured:start --> and
                      <!-- measured:end -->, the pack table (`calque rules --format packs`) and
                      docs/rules.md (`calque rules --format markdown`)

Per rule, every finding counts whatever its severity (so `info` rules are measured too); the
overall figures count findings at or above --level (warning), as score.py does. Rebuild after
running it (`cargo build --release`) so that `calque rules` shows the new figures.

Options: --calque PATH (default target/release/calque), --eval DIR (default ../shared/eval),
--split dev, --level warning, --no-write (print only), --examples RULE (print that rule's
findings on clean and its misses on mqm, to tune it).
"""
import argparse
import collections
import datetime
import importlib.util
import json
import os
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
RANK = {"info": 0, "warning": 1, "error": 2}
# demetr perturbations that rules can reach (the targets of issue 6)
DEMETR_REACHABLE = [
    "minor_id1_repeat2", "minor_id2_repeat4", "minor_id30_tokenized", "critical_id4_codemix",
    "minor_id32_first_lower", "minor_id31_full_lower", "minor_id29_punc_addition",
    "minor_id28_final_punc_removed", "minor_id15_case",
]


def load_scorer(eval_dir):
    path = os.path.join(eval_dir, "score.py")
    if not os.path.exists(path):
        sys.exit(f"no scorer at {path}: pass --eval DIR (the shared eval folder)")
    spec = importlib.util.spec_from_file_location("calque_eval_score", path)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def rule_table(calque):
    out = subprocess.run([calque, "rules", "--format", "json"], capture_output=True, text=True)
    if out.returncode != 0:
        sys.exit(f"`{calque} rules` failed: {out.stderr[:500]}")
    return {r["id"]: r for r in json.loads(out.stdout)}


def pack_of(rule, rules):
    r = rules.get(rule)
    return r["pack"] if r else rule.split("/")[0]


class Run:
    """One calque run over a batch: findings as (start, end, rule) with char offsets."""

    def __init__(self, S, calque):
        self.batch = S.Batch(calque, "info")

    def add(self, name, text):
        return self.batch.add(name, text)

    def run(self):
        return self.batch.run()


def ratio(a, b, nd=3):
    return round(a / b, nd) if b else None


def per_k(n, words):
    return round(1000 * n / words, 3) if words else 0.0


def measure_seed(S, calque, eval_dir, sev, level):
    import yaml
    art = os.path.join(eval_dir, "..", "seed", "article.en.txt")
    gold = yaml.safe_load(open(os.path.join(eval_dir, "..", "seed", "expected.yaml")))["defects"]
    text = open(art, encoding="utf-8").read()
    r = Run(S, calque)
    path = r.add("seed.txt", text)
    found = [f for f in r.run().get(path, []) if sev(f[2]) >= level]
    lines = text.split("\n")
    starts = [0]
    for l in lines[:-1]:
        starts.append(starts[-1] + len(l) + 1)
    got = {"must": [0, 0], "should": [0, 0]}
    used = set()
    for g in gold:
        line = lines[g["line"] - 1]
        idx = -1
        for _ in range(g.get("occurrence", 1)):
            idx = line.find(g["text"], idx + 1)
        s = starts[g["line"] - 1] + idx
        e = s + len(g["text"])
        hit = [i for i, (fs, fe, _) in enumerate(found) if fs < e and fe > s]
        got[g["level"]][1] += 1
        if hit:
            got[g["level"]][0] += 1
            used.update(hit)
    extra = collections.Counter(rule for i, (_, _, rule) in enumerate(found) if i not in used)
    return {"must": "%d/%d" % tuple(got["must"]), "should": "%d/%d" % tuple(got["should"]),
            "extra": sum(extra.values()), "extra_by_rule": dict(extra)}


def measure_clean(S, calque, data, split, examples):
    recs = S.load(os.path.join(data, f"clean.{split}.jsonl"))
    r = Run(S, calque)
    paths = [r.add(f"clean{i}.txt", x["text"]) for i, x in enumerate(recs)]
    found = r.run()
    words = sum(S.words(x["text"]) for x in recs)
    per_rule = collections.Counter()
    shown = []
    all_f = []
    for p, x in zip(paths, recs):
        for s, e, rule in found.get(p, []):
            per_rule[rule] += 1
            all_f.append(rule)
            if rule == examples:
                shown.append(x["text"][max(0, s - 50): e + 50].replace("\n", " | "))
    return {"words": words, "per_rule": per_rule, "all": all_f, "examples": shown}


def measure_mqm(S, calque, data, split, examples):
    recs = S.load(os.path.join(data, f"mqm.{split}.jsonl"))
    groups = collections.defaultdict(list)
    for x in recs:
        groups[(x["doc_key"], x["system"])].append(x)
    r = Run(S, calque)
    layout = []
    for i, (key, rs) in enumerate(sorted(groups.items())):
        rs.sort(key=lambda x: int(x["seg"]) if str(x["seg"]).isdigit() else 0)
        text, offs = S.place([x["target"] for x in rs])
        layout.append((r.add(f"mqm{i}.txt", text), rs, offs))
    found = r.run()
    mt_chars = mt_err_chars = mt_words = human_words = 0
    finds = []  # (rule, hit, category or None)
    human = collections.Counter()
    misses = []
    for path, rs, offs in layout:
        segs = S.per_segment(found.get(path, []), offs, [len(x["target"]) for x in rs])
        for x, fs in zip(rs, segs):
            if x["system_type"] == "human":
                human_words += S.words(x["target"])
                for _, _, rule in fs:
                    human[rule] += 1
                continue
            mt_words += S.words(x["target"])
            spans = [(e["start"], e["end"], e["cat"]) for e in x["errors"]
                     if e.get("side") == "target" and e.get("start") is not None
                     and str(e.get("severity", "")).lower() not in ("neutral", "no-error")]
            covered = set()
            for s, e, _ in spans:
                covered.update(range(s, e))
            mt_chars += len(x["target"])
            mt_err_chars += len(covered)
            for s, e, rule in fs:
                cats = [c for ss, ee, c in spans if s < ee and e > ss]
                finds.append((rule, bool(cats), cats[0] if cats else None))
                if rule == examples and not cats:
                    misses.append(x["target"][max(0, s - 50): e + 50])
    return {"mt_words": mt_words, "human_words": human_words, "finds": finds, "human": human,
            "chance": ratio(mt_err_chars, mt_chars), "misses": misses}


def measure_fren(S, calque, data, split):
    recs = S.load(os.path.join(data, f"fren.{split}.jsonl"))
    groups = collections.defaultdict(list)
    for x in recs:
        groups[x["doc_key"]].append(x)
    r = Run(S, calque)
    layout = []
    for i, (key, rs) in enumerate(sorted(groups.items())):
        systems = sorted({s for x in rs for s in (x.get("mt") or {})})
        for j, sysname in enumerate(["reference"] + systems):
            seg = [(x, x["reference"] if sysname == "reference" else (x.get("mt") or {}).get(sysname))
                   for x in rs]
            seg = [(x, t) for x, t in seg if t]
            if not seg:
                continue
            text, offs = S.place([t for _, t in seg])
            layout.append((r.add(f"fren{i}_{j}.txt", text), sysname, seg, offs))
    found = r.run()
    mt_w = ref_w = 0
    mt, ref = collections.Counter(), collections.Counter()
    for path, sysname, seg, offs in layout:
        per = S.per_segment(found.get(path, []), offs, [len(t) for _, t in seg])
        for (x, t), fs in zip(seg, per):
            if sysname == "reference":
                ref_w += S.words(t)
                ref.update(rule for _, _, rule in fs)
            else:
                mt_w += S.words(t)
                mt.update(rule for _, _, rule in fs)
    return {"mt_words": mt_w, "ref_words": ref_w, "mt": mt, "ref": ref}


def measure_demetr(S, calque, data, split):
    recs = [x for x in S.load(os.path.join(data, f"demetr.{split}.jsonl"))
            if x.get("severity") != "base" and x.get("mt") and x.get("target")]
    r = Run(S, calque)
    items = []
    for i, x in enumerate(recs):
        items.append((r.add(f"d{i}a.txt", x["mt"] + "\n"), r.add(f"d{i}b.txt", x["target"] + "\n"), x))
    found = r.run()
    return {"items": items, "found": found}


def demetr_hits(items, found, keep):
    """Recall per kind counting only findings whose rule passes `keep` (score.py's test)."""
    tot, hit = collections.Counter(), collections.Counter()
    for pa, pb, x in items:
        kind = x["pert_name"]
        tot[kind] += 1
        region = [(d["start"], max(d["end"], d["start"] + 1)) for d in x.get("diff", [])]
        before = {(s, e) for s, e, rule in found.get(pa, []) if keep(rule)}
        after = [(s, e) for s, e, rule in found.get(pb, []) if keep(rule)]
        if any(fs < re_ + 1 and fe > rs - 1 for fs, fe in after for rs, re_ in region) \
                and len(after) > len(before):
            hit[kind] += 1
    return tot, hit


def git_commit():
    try:
        c = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True,
                           text=True).stdout.strip()
        dirty = subprocess.run(["git", "status", "--porcelain", "--untracked-files=no"], cwd=ROOT,
                               capture_output=True, text=True).stdout.strip()
        return c + ("+dirty" if dirty else "")
    except OSError:
        return "unknown"


def fmt(v, nd=2):
    if v is None:
        return "–"
    if v == float("inf"):
        return "inf"
    if isinstance(v, float):
        return f"{v:.{nd}f}"
    return str(v)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--calque", default=os.path.join(ROOT, "target", "release", "calque"))
    ap.add_argument("--eval", default=os.path.join(ROOT, "..", "shared", "eval"))
    ap.add_argument("--split", default="dev")
    ap.add_argument("--level", default="warning", choices=["info", "warning", "error"])
    ap.add_argument("--no-write", action="store_true")
    ap.add_argument("--examples", metavar="RULE")
    args = ap.parse_args()
    eval_dir = os.path.abspath(args.eval)
    S = load_scorer(eval_dir)
    calque = os.path.abspath(args.calque) if os.path.exists(args.calque) else args.calque
    rules = rule_table(calque)
    level = RANK[args.level]

    def sev(rule):
        return RANK.get(rules.get(rule, {}).get("severity", "warning"), 1)

    def at_level(rule):
        return sev(rule) >= level

    print("measuring: seed", file=sys.stderr)
    seed = measure_seed(S, calque, eval_dir, sev, level)
    print("measuring: clean", file=sys.stderr)
    clean = measure_clean(S, calque, eval_dir, args.split, args.examples)
    print("measuring: mqm", file=sys.stderr)
    mqm = measure_mqm(S, calque, eval_dir, args.split, args.examples)
    print("measuring: fren", file=sys.stderr)
    fren = measure_fren(S, calque, eval_dir, args.split)
    print("measuring: demetr", file=sys.stderr)
    dem = measure_demetr(S, calque, eval_dir, args.split)

    if args.examples:
        print(f"== {args.examples} on clean ({len(clean['examples'])})")
        for e in clean["examples"]:
            print("  ", e)
        print(f"== {args.examples} on mqm MT, not on an annotated span ({len(mqm['misses'])})")
        for e in mqm["misses"][:60]:
            print("  ", e)

    # ---- per rule
    ids = list(rules)
    for extra in set(clean["per_rule"]) | {f[0] for f in mqm["finds"]} | set(fren["mt"]):
        if extra not in rules:
            ids.append(extra)
    mq_n, mq_h = collections.Counter(), collections.Counter()
    for rule, hit, _ in mqm["finds"]:
        mq_n[rule] += 1
        mq_h[rule] += hit
    dem_rule = {}
    for rid in ids:
        tot, hit = demetr_hits(dem["items"], dem["found"], lambda r, rid=rid: r == rid)
        dem_rule[rid] = {k: (hit[k], tot[k]) for k in tot if hit[k] and hit[k] / tot[k] >= 0.05}
    row = {}
    for rid in ids:
        c = clean["per_rule"][rid]
        n, h = mq_n[rid], mq_h[rid]
        m, rf = fren["mt"][rid], fren["ref"][rid]
        mt_rate, ref_rate = per_k(m, fren["mt_words"]), per_k(rf, fren["ref_words"])
        row[rid] = {
            "severity": rules.get(rid, {}).get("severity", "?"),
            "clean_findings": c, "clean_per_1000_words": per_k(c, clean["words"]),
            "mqm_findings": n, "mqm_precision": ratio(h, n, 2),
            "fren_mt_per_1000_words": mt_rate, "fren_ref_per_1000_words": ref_rate,
            "fren_ratio": (ratio(mt_rate, ref_rate, 1) if rf else float("inf")) if m else None,
            "demetr": dem_rule[rid],
        }
    # ---- per pack
    packs = collections.OrderedDict()
    for rid in ids:
        packs.setdefault(pack_of(rid, rules), []).append(rid)
    pack_row = {}
    for p, members in packs.items():
        mset = set(members)
        c = sum(clean["per_rule"][r] for r in members)
        n = sum(mq_n[r] for r in members)
        h = sum(mq_h[r] for r in members)
        m = sum(fren["mt"][r] for r in members)
        rf = sum(fren["ref"][r] for r in members)
        cw = sum(clean["per_rule"][r] for r in members if at_level(r))
        pack_row[p] = {"rules": len(members), "clean_per_1000_words": per_k(c, clean["words"]),
                       "clean_warning_per_1000_words": per_k(cw, clean["words"]),
                       "mqm_findings": n, "mqm_precision": ratio(h, n, 2),
                       "fren_ratio": (ratio(per_k(m, fren["mt_words"]), per_k(rf, fren["ref_words"]), 1)
                                      if rf else float("inf")) if m else None, "members": mset}
    # ---- overall at level (as score.py)
    ov_clean = sum(n for r, n in clean["per_rule"].items() if at_level(r))
    ov_n = sum(1 for r, _, _ in mqm["finds"] if at_level(r))
    ov_h = sum(1 for r, h, _ in mqm["finds"] if at_level(r) and h)
    ov_m = sum(n for r, n in fren["mt"].items() if at_level(r))
    ov_r = sum(n for r, n in fren["ref"].items() if at_level(r))
    mt_rate, ref_rate = per_k(ov_m, fren["mt_words"]), per_k(ov_r, fren["ref_words"])
    tot, hit = demetr_hits(dem["items"], dem["found"], at_level)
    overall = {
        "seed": seed,
        "clean_per_1000_words": per_k(ov_clean, clean["words"]), "clean_words": clean["words"],
        "clean_findings": ov_clean,
        "mqm_findings": ov_n, "mqm_precision": ratio(ov_h, ov_n), "mqm_chance": mqm["chance"],
        "fren_mt_per_1000_words": mt_rate, "fren_ref_per_1000_words": ref_rate,
        "fren_ratio": ratio(mt_rate, ref_rate, 2),
        "demetr": {k: (hit[k], tot[k]) for k in DEMETR_REACHABLE if tot[k]},
    }
    print(json.dumps({k: v for k, v in overall.items()}, indent=1, default=str))
    if args.no_write:
        for rid in ids:
            x = row[rid]
            if x["clean_findings"] or x["mqm_findings"] or x["fren_mt_per_1000_words"] or x["demetr"]:
                print(rid, {k: v for k, v in x.items()})
        return

    date = datetime.date.today().isoformat()
    commit = git_commit()
    cmd = "cargo build --release && python3 scripts/measure.py"
    write_tsv(row, ids, date, commit)
    write_md(row, ids, pack_row, overall, date, commit, cmd, args, rules)
    write_readme(overall, date, commit, cmd, args, calque)
    print("wrote docs/metrics.md, rules/metrics.tsv, README.md (Measured)", file=sys.stderr)


def demetr_str(d):
    return " ".join(f"{k.split('_', 2)[-1]}:{h}/{t}" for k, (h, t) in sorted(d.items()))


def write_tsv(row, ids, date, commit):
    cols = ["rule", "clean_per_1000_words", "mqm_findings", "mqm_precision",
            "fren_mt_per_1000_words", "fren_ref_per_1000_words", "fren_ratio", "demetr"]
    lines = [f"# Measured by scripts/measure.py on {date} (calque {commit}); do not edit by hand.",
             "\t".join(cols)]
    for rid in ids:
        x = row[rid]
        vals = [rid, fmt(x["clean_per_1000_words"], 3), str(x["mqm_findings"]),
                fmt(x["mqm_precision"]), fmt(x["fren_mt_per_1000_words"], 3),
                fmt(x["fren_ref_per_1000_words"], 3), fmt(x["fren_ratio"], 1), demetr_str(x["demetr"])]
        lines.append("\t".join(vals))
    with open(os.path.join(ROOT, "rules", "metrics.tsv"), "w", encoding="utf-8") as f:
        f.write("\n".join(lines) + "\n")


def overall_table(o):
    s = o["seed"]
    rows = [
        ("seed article", f"must {s['must']}, should {s['should']}, extra {s['extra']}"),
        (f"clean (human news, {o['clean_words'] // 1000}k words)",
         f"{o['clean_per_1000_words']:.3f} findings per 1000 words ({o['clean_findings']})"),
        ("mqm (MT with MQM error spans)",
         f"precision {fmt(o['mqm_precision'])} (chance {fmt(o['mqm_chance'])}), {o['mqm_findings']} findings"),
        ("fren (French→English MT vs. reference)",
         f"MT {o['fren_mt_per_1000_words']:.3f} vs. reference {o['fren_ref_per_1000_words']:.3f} "
         f"per 1000 words: ratio {fmt(o['fren_ratio'])}"),
    ]
    for k, (h, t) in o["demetr"].items():
        rows.append((f"demetr `{k}`", f"recall {h / t:.3f} ({h}/{t})"))
    out = "| set | figure |\n|---|---|\n"
    out += "".join(f"| {a} | {b} |\n" for a, b in rows)
    return out


def write_md(row, ids, pack_row, overall, date, commit, cmd, args, rules):
    o = []
    o.append("# Measured figures\n")
    o.append(f"Generated by `scripts/measure.py` on {date}, calque commit `{commit}`, development split, "
             f"with:\n\n```sh\n{cmd}\n```\n")
    o.append("Data: `../shared/eval` (see its README). *clean*: human news, every finding is a false "
             "alarm. *mqm*: MT output with professional error spans; precision = share of findings on "
             "an annotated span (a finding placed at random lands on one with the *chance* "
             "probability). *fren*: French→English MT beside the human reference of the same "
             "segments. *demetr*: synthetic perturbations, recall per kind.\n")
    o.append(f"## Overall (findings at or above `{args.level}`, as `../shared/eval/score.py` counts them)\n")
    o.append(overall_table(overall))
    o.append("\n## Per pack (every severity)\n")
    o.append("| pack | rules | clean /1000 words | clean at warning+ /1000 words | mqm findings | mqm precision | fren MT/ref ratio |\n|---|---|---|---|---|---|---|\n")
    for p, x in pack_row.items():
        o.append(f"| {p} | {x['rules']} | {x['clean_per_1000_words']:.3f} | {x['clean_warning_per_1000_words']:.3f} | "
                 f"{x['mqm_findings']} | {fmt(x['mqm_precision'])} | {fmt(x['fren_ratio'], 1)} |\n")
    o.append("\n## Per rule (every severity)\n")
    o.append("fren columns are findings per 1000 words on MT and on the references; ratio = MT/ref "
             "(inf: the rule fires on MT only; –: it never fires). demetr lists the "
             "kinds where the rule alone reaches at least 5% recall.\n\n")
    o.append("| rule | severity | clean /1000 words | mqm findings | mqm precision | fren MT | fren ref | ratio | demetr recall |\n|---|---|---|---|---|---|---|---|---|\n")
    for rid in ids:
        x = row[rid]
        dm = ", ".join(f"{k.split('_', 2)[-1]} {h / t:.2f}" for k, (h, t) in sorted(x["demetr"].items()))
        o.append(f"| `{rid}` | {x['severity']} | {x['clean_per_1000_words']:.3f} | {x['mqm_findings']} | "
                 f"{fmt(x['mqm_precision'])} | {x['fren_mt_per_1000_words']:.3f} | "
                 f"{x['fren_ref_per_1000_words']:.3f} | {fmt(x['fren_ratio'], 1)} | {dm} |\n")
    os.makedirs(os.path.join(ROOT, "docs"), exist_ok=True)
    with open(os.path.join(ROOT, "docs", "metrics.md"), "w", encoding="utf-8") as f:
        # Paragraphs apart by a blank line; the rows of a table together.
        text = ""
        for x in o:
            part = x.strip("\n") + "\n"
            if part.startswith("|") and text.endswith("|\n"):
                text += part
            else:
                text += ("\n" if text else "") + part
        f.write(text)


def write_readme(overall, date, commit, cmd, args, calque):
    path = os.path.join(ROOT, "README.md")
    text = open(path, encoding="utf-8").read()
    a, b = "<!-- measured:start -->", "<!-- measured:end -->"
    if a not in text or b not in text:
        print("README.md has no measured markers; not updated", file=sys.stderr)
        return
    body = (f"\nGenerated by `{cmd}` on {date} (calque `{commit}`; development split, findings at "
            f"or above `{args.level}`). Per-rule figures: [docs/metrics.md](docs/metrics.md).\n\n"
            + overall_table(overall))
    i, j = text.index(a) + len(a), text.index(b)
    text = text[:i] + body + text[j:]
    # the pack table too (what `calque rules --format packs` prints); the full
    # rule table lives in docs/rules.md (`calque rules --format markdown`)
    out = subprocess.run([calque, "rules", "--format", "packs"], capture_output=True, text=True)
    a, b = "<!-- rules:start -->", "<!-- rules:end -->"
    if out.returncode == 0 and a in text and b in text:
        i, j = text.index(a) + len(a), text.index(b)
        text = text[:i] + "\n" + out.stdout.strip() + "\n" + text[j:]
    rules_md = os.path.join(ROOT, "docs", "rules.md")
    out = subprocess.run([calque, "rules", "--format", "markdown"], capture_output=True, text=True)
    if out.returncode == 0 and os.path.exists(rules_md):
        doc = open(rules_md, encoding="utf-8").read()
        if a in doc and b in doc:
            i, j = doc.index(a) + len(a), doc.index(b)
            with open(rules_md, "w", encoding="utf-8") as f:
                f.write(doc[:i] + "\n" + out.stdout.strip() + "\n" + doc[j:])
    with open(path, "w", encoding="utf-8") as f:
        f.write(text)


if __name__ == "__main__":
    main()
