//! `calque check --stats`: where the time goes, per phase of the pipeline,
//! per rule kind and per rule, so a user can find an expensive custom rule.
//!
//! Off by default and then free: every timer is an `Option<Instant>` that is
//! `None` unless `--stats` switched collection on. Each checked document
//! collects into a local `Stats` and merges it into one global total (a
//! mutex taken once per document, not per rule).

use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

static ENABLED: AtomicBool = AtomicBool::new(false);
static TOTAL: Mutex<Option<Total>> = Mutex::new(None);

/// Switch collection on (for the rest of the process).
pub fn enable() {
    ENABLED.store(true, Ordering::Relaxed);
}

pub fn enabled() -> bool {
    ENABLED.load(Ordering::Relaxed)
}

/// A timer that measures only when collection is on.
pub fn start() -> Option<Instant> {
    enabled().then(Instant::now)
}

/// The pipeline phases, in order.
pub const PHASES: &[&str] = &[
    "read",
    "document",
    "normalize",
    "segment",
    "automaton",
    "pattern",
    "quotes",
    "words",
    "scan",
    "map",
    "suppress",
];

#[derive(Default, Clone)]
pub struct RuleTime {
    pub time: Duration,
    /// Times the rule ran (a pattern runs once per candidate paragraph).
    pub runs: u64,
}

/// Time spent, per phase and per rule (indexed as the rule set's rules).
#[derive(Default, Clone)]
pub struct Stats {
    pub phases: Vec<Duration>,
    pub rules: Vec<RuleTime>,
    pub bytes: u64,
    pub documents: u64,
}

impl Stats {
    pub fn new(rules: usize) -> Stats {
        Stats {
            phases: vec![Duration::ZERO; PHASES.len()],
            rules: vec![RuleTime::default(); rules],
            bytes: 0,
            documents: 0,
        }
    }

    /// Add the time since `t` to `phase` (no-op without a timer).
    pub fn phase(&mut self, phase: &str, t: Option<Instant>) {
        if let (Some(t), Some(i)) = (t, PHASES.iter().position(|p| *p == phase)) {
            self.phases[i] += t.elapsed();
        }
    }

    /// Add another piece's figures (not its byte and document counts).
    pub fn absorb(&mut self, o: &Stats) {
        for (a, b) in self.phases.iter_mut().zip(&o.phases) {
            *a += *b;
        }
        for (a, b) in self.rules.iter_mut().zip(&o.rules) {
            a.time += b.time;
            a.runs += b.runs;
        }
    }

    /// Add the time since `t` to rule `rule` (no-op without a timer).
    pub fn rule(&mut self, rule: usize, t: Option<Instant>) {
        if let (Some(t), Some(r)) = (t, self.rules.get_mut(rule)) {
            r.time += t.elapsed();
            r.runs += 1;
        }
    }
}

/// The process total: phases, and rules by id (a run may hold several
/// rule sets, one per configuration).
#[derive(Clone)]
pub struct Total {
    pub phases: Vec<Duration>,
    /// id → (kind, time)
    pub rules: std::collections::HashMap<String, (String, RuleTime)>,
    /// id → findings reported: a rule that runs often and finds nothing
    /// has a prefilter (literals, `requires`) that lets too much through.
    pub findings: std::collections::HashMap<String, u64>,
    pub bytes: u64,
    pub documents: u64,
}

impl Default for Total {
    fn default() -> Total {
        Total {
            phases: vec![Duration::ZERO; PHASES.len()],
            rules: Default::default(),
            findings: Default::default(),
            bytes: 0,
            documents: 0,
        }
    }
}

/// Add a document's figures to the process total; `names` gives a rule's
/// id and kind.
pub fn submit(s: &Stats, names: &dyn Fn(usize) -> (String, String)) {
    let Ok(mut g) = TOTAL.lock() else { return };
    let t = g.get_or_insert_with(Total::default);
    for (a, b) in t.phases.iter_mut().zip(&s.phases) {
        *a += *b;
    }
    for (i, r) in s.rules.iter().enumerate() {
        if r.runs > 0 {
            let (id, kind) = names(i);
            let e = t
                .rules
                .entry(id)
                .or_insert_with(|| (kind, RuleTime::default()));
            e.1.time += r.time;
            e.1.runs += r.runs;
        }
    }
    t.bytes += s.bytes;
    t.documents += s.documents;
}

/// Count a file's findings (its report's, after suppression) per rule.
pub fn submit_findings<'a>(rules: impl Iterator<Item = &'a str>) {
    let Ok(mut g) = TOTAL.lock() else { return };
    let t = g.get_or_insert_with(Total::default);
    for id in rules {
        match t.findings.get_mut(id) {
            Some(n) => *n += 1,
            None => {
                t.findings.insert(id.to_string(), 1);
            }
        }
    }
}

/// Add time to one phase of the process total (outside a document:
/// reading a file).
pub fn submit_phase(phase: &str, t: Option<Instant>) {
    if t.is_none() {
        return;
    }
    let mut s = Stats::new(0);
    s.phase(phase, t);
    submit(&s, &|_| (String::new(), String::new()));
}

/// The process total so far.
pub fn total() -> Total {
    TOTAL
        .lock()
        .ok()
        .and_then(|g| g.clone())
        .unwrap_or_default()
}

/// The report printed by `--stats`.
pub fn render(s: &Total, wall: Duration) -> String {
    use std::fmt::Write;
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    let mut out = String::new();
    let mb = s.bytes as f64 / 1e6;
    let _ = writeln!(
        out,
        "calque --stats: {} document(s), {:.2} MB in {:.1} ms wall ({:.1} MB/s)",
        s.documents,
        mb,
        ms(wall),
        if wall.as_secs_f64() > 0.0 {
            mb / wall.as_secs_f64()
        } else {
            0.0
        }
    );
    let busy: Duration = s.phases.iter().sum();
    let _ = writeln!(out, "\nphase        ms      share   (summed over threads)");
    for (p, d) in PHASES.iter().zip(&s.phases) {
        let share = if busy.is_zero() {
            0.0
        } else {
            100.0 * d.as_secs_f64() / busy.as_secs_f64()
        };
        let _ = writeln!(out, "{p:<10} {:>9.1} {share:>8.1}%", ms(*d));
    }
    let mut kinds: std::collections::BTreeMap<String, (Duration, usize)> = Default::default();
    for (kind, r) in s.rules.values() {
        let e = kinds.entry(kind.clone()).or_default();
        e.0 += r.time;
        e.1 += 1;
    }
    let _ = writeln!(out, "\nrule kind           ms   rules run");
    let mut kv: Vec<_> = kinds.into_iter().collect();
    kv.sort_by_key(|k| std::cmp::Reverse(k.1.0));
    for (k, (d, n)) in kv {
        let _ = writeln!(out, "{k:<15} {:>9.1} {n:>8}", ms(d));
    }
    let mut top: Vec<(&String, &(String, RuleTime))> = s.rules.iter().collect();
    top.sort_by(|a, b| b.1.1.time.cmp(&a.1.1.time).then(a.0.cmp(b.0)));
    let _ = writeln!(
        out,
        "\nslowest rules        ms       runs   findings  id (kind)"
    );
    for (id, (kind, r)) in top.into_iter().take(15) {
        let _ = writeln!(
            out,
            "               {:>9.2} {:>10} {:>10}  {id} ({kind})",
            ms(r.time),
            r.runs,
            s.findings.get(id).copied().unwrap_or(0)
        );
    }
    out
}
