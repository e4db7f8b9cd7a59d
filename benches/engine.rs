//! `cargo bench --bench engine`: the engine on fixed inputs, timed with
//! std::time (no bench framework: criterion would add dozens of crates to
//! the lock file for statistics a median already gives us).
//!
//! Measured, each as the median of N runs:
//! - loading and compiling the built-in rule set (`RuleSet::load`);
//! - start-up as a user meets it: a fresh rule set, then the first
//!   `check_text` of the seed article (rule parts compiled on first use
//!   are compiled there);
//! - `check_text` on the seed article (fixtures/seed/article.en.txt) with a
//!   warm rule set;
//! - `check_text` on ~1 MB of text built deterministically from the text
//!   files under fixtures/ and, when present, the evaluation data in
//!   ../shared/eval (or $CALQUE_EVAL). The header says which.
//!
//! `cargo bench` passes `--bench`; without it (`cargo test --benches`, or
//! running the binary by hand) every measurement runs once, as a smoke
//! test. `BENCH_ITERS=N` overrides the number of runs.

use calque::document::Format;
use calque::engine::RuleSet;
use std::hint::black_box;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

const BIG: usize = 1_000_000;

/// Median wall time of `runs` calls of `f` (after one untimed warm-up call
/// when `warm`), and the last result.
fn median<T>(runs: usize, warm: bool, mut f: impl FnMut() -> T) -> (Duration, T) {
    if warm {
        black_box(f());
    }
    let mut times = Vec::with_capacity(runs);
    let mut out = None;
    for _ in 0..runs.max(1) {
        let t = Instant::now();
        let r = black_box(f());
        times.push(t.elapsed());
        out = Some(r);
    }
    times.sort_unstable();
    (times[times.len() / 2], out.expect("at least one run"))
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1e3
}

fn mbps(bytes: usize, d: Duration) -> f64 {
    bytes as f64 / 1e6 / d.as_secs_f64().max(1e-9)
}

/// Files under `dir` with one of `exts`, sorted by path (deterministic).
fn files(dir: &Path, exts: &[&str]) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        let Ok(rd) = std::fs::read_dir(&d) else {
            continue;
        };
        for e in rd.flatten() {
            let p = e.path();
            if p.is_dir() {
                stack.push(p);
            } else if p
                .extension()
                .and_then(|x| x.to_str())
                .is_some_and(|x| exts.contains(&x))
            {
                out.push(p);
            }
        }
    }
    out.sort();
    out
}

/// English texts of the evaluation data, as bench/corpus.py takes them:
/// clean `text`, mqm `target`, fren `reference` and `mt`, demetr `mt`, each
/// once, the sources interleaved (see `interleave`).
fn eval_texts(dir: &Path) -> Vec<String> {
    let sources: &[(&str, &[&str])] = &[
        ("clean.dev.jsonl", &["text"]),
        ("mqm.dev.jsonl", &["target"]),
        ("fren.dev.jsonl", &["reference", "mt"]),
        ("demetr.dev.jsonl", &["mt"]),
    ];
    let mut seen = std::collections::HashSet::new();
    let mut groups = Vec::new();
    for (name, fields) in sources {
        let mut out = Vec::new();
        let data = std::fs::read_to_string(dir.join(name)).unwrap_or_default();
        for line in data.lines().filter(|l| !l.trim().is_empty()) {
            let Ok(row) = serde_json::from_str::<serde_json::Value>(line) else {
                continue;
            };
            for field in *fields {
                let vals: Vec<&serde_json::Value> = match &row[*field] {
                    serde_json::Value::Object(m) => m.values().collect(),
                    v => vec![v],
                };
                for v in vals {
                    if let Some(t) = v.as_str().map(str::trim)
                        && !t.is_empty()
                        && seen.insert(t.to_string())
                    {
                        out.push(t.to_string());
                    }
                }
            }
        }
        groups.push(out);
    }
    interleave(groups)
}

/// The texts of all groups, each group in order, merged so that every
/// prefix holds the same share of each group's bytes as the whole (as
/// bench/corpus.py does): 1 MB is then the same mix as the whole data, not
/// just its first source.
fn interleave(groups: Vec<Vec<String>>) -> Vec<String> {
    let totals: Vec<f64> = groups
        .iter()
        .map(|g| g.iter().map(String::len).sum::<usize>().max(1) as f64)
        .collect();
    let mut done = vec![0usize; groups.len()];
    let mut iters: Vec<_> = groups
        .into_iter()
        .map(|g| g.into_iter().peekable())
        .collect();
    let mut out = Vec::new();
    loop {
        let next = (0..iters.len())
            .filter(|&i| iters[i].peek().is_some())
            .min_by(|&a, &b| (done[a] as f64 / totals[a]).total_cmp(&(done[b] as f64 / totals[b])));
        let Some(i) = next else {
            return out;
        };
        if let Some(t) = iters[i].next() {
            done[i] += t.len();
            out.push(t);
        }
    }
}

/// About `size` bytes of blank-line separated paragraphs: the fixtures'
/// text files, then the evaluation texts, cut or repeated to size.
fn big_text(root: &Path, eval: &Path, size: usize) -> (String, String) {
    let mut texts: Vec<String> = files(&root.join("fixtures"), &["txt", "md"])
        .iter()
        .filter_map(|p| std::fs::read_to_string(p).ok())
        .collect();
    let n_fixtures = texts.len();
    texts.extend(eval_texts(eval));
    let from = if texts.len() > n_fixtures {
        let eval = eval.canonicalize().unwrap_or_else(|_| eval.to_path_buf());
        format!("fixtures/ and {}", eval.display())
    } else {
        "fixtures/ only (no evaluation data)".to_string()
    };
    let mut unit = String::new();
    for t in &texts {
        for p in t.split("\n\n").map(|p| p.trim_matches('\n')) {
            if !p.trim().is_empty() {
                unit.push_str(p);
                unit.push_str("\n\n");
            }
        }
        if unit.len() >= size {
            break;
        }
    }
    assert!(!unit.is_empty(), "no text under fixtures/");
    let mut text = String::with_capacity(size + unit.len());
    while text.len() < size {
        text.push_str(&unit);
    }
    // Cut back to the last paragraph break at or before `size`.
    if let Some(i) = text[..size.min(text.len())].rfind("\n\n") {
        text.truncate(i + 2);
    }
    (text, from)
}

fn main() {
    let full = std::env::args().any(|a| a == "--bench");
    let runs: usize = std::env::var("BENCH_ITERS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(if full { 0 } else { 1 });
    // Default runs per measurement: enough for a stable median without
    // making the 1 MB check (about a second on the current engine) tedious.
    let runs_for = |default: usize| if runs > 0 { runs } else { default };

    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let eval = std::env::var_os("CALQUE_EVAL")
        .map(PathBuf::from)
        .unwrap_or_else(|| root.join("../shared/eval"));
    let seed = std::fs::read_to_string(root.join("fixtures/seed/article.en.txt"))
        .expect("fixtures/seed/article.en.txt");
    let (big, from) = big_text(root, &eval, BIG);

    println!(
        "calque engine bench ({}), median of N runs",
        if full {
            "cargo bench"
        } else {
            "smoke: one run each, timings meaningless"
        }
    );
    println!("1 MB text: {:.2} MB from {from}", big.len() as f64 / 1e6);

    let n = runs_for(20);
    let (t, set) = median(n, full, || {
        RuleSet::load(&[], true).expect("built-in rules")
    });
    println!(
        "{:<44} {:>10.2} ms   (N={n}, {} rules)",
        "RuleSet::load (built-in packs)",
        ms(t),
        set.rules.len()
    );

    let (t, found) = median(n, false, || {
        let set = RuleSet::load(&[], true).expect("built-in rules");
        calque::check_text(&set, &seed, Format::Text).len()
    });
    println!(
        "{:<44} {:>10.2} ms   (N={n}, {found} findings)",
        "start-up: load + first check_text(seed)",
        ms(t)
    );

    let n = runs_for(50);
    let (t, found) = median(n, full, || {
        calque::check_text(&set, black_box(&seed), Format::Text)
    });
    println!(
        "{:<44} {:>10.2} ms   {:>7.2} MB/s   (N={n}, {} bytes, {} findings)",
        "check_text(seed article)",
        ms(t),
        mbps(seed.len(), t),
        seed.len(),
        found.len()
    );
    assert!(!found.is_empty(), "the seed article has known defects");

    let n = runs_for(5);
    let (t, found) = median(n, full, || {
        calque::check_text(&set, black_box(&big), Format::Text)
    });
    println!(
        "{:<44} {:>10.2} ms   {:>7.2} MB/s   (N={n}, {} bytes, {} findings)",
        "check_text(1 MB text)",
        ms(t),
        mbps(big.len(), t),
        big.len(),
        found.len()
    );
    assert!(!found.is_empty(), "1 MB of MT text has findings");
}
