//! calque: a fast, rule-driven quality checker for machine-translated news.
//!
//! The flow of one article: `source` (bytes → UTF-8 text, or a located
//! error) → `document` (which bytes are prose) → `engine` (one pass per rule
//! kind over a normalized view) → `Finding`s with exact byte spans →
//! `report` (human, JSON).

pub mod baseline;
pub mod changed;
pub mod cli;
pub mod config;
pub mod document;
pub mod engine;
pub mod finding;
pub mod fix;
pub mod kinds;
pub mod metrics;
pub mod report;
pub mod rules;
pub mod run;
pub mod source;
pub mod stats;
pub mod suppress;
pub mod text;
pub mod walk;
pub mod yaml;

use engine::RuleSet;
use report::FileReport;
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};
use walk::Input;

/// Check one text as a document of `format`.
pub fn check_text(set: &RuleSet, text: &str, format: document::Format) -> Vec<finding::Finding> {
    let mut st = stats::enabled().then(|| {
        let mut s = stats::Stats::new(set.rules.len());
        s.bytes = text.len() as u64;
        s.documents = 1;
        s
    });
    let t = stats::start();
    let prose = document::prose(text, format);
    st.iter_mut().for_each(|s| s.phase("document", t));
    let findings = set.check_blocks_timed(
        text,
        &prose.text,
        &prose.masked,
        prose.blocks.as_deref(),
        &mut st,
    );
    let t = stats::start();
    let out = suppress::apply(set, text, &prose.comments, findings);
    if let Some(s) = st.as_mut() {
        s.phase("suppress", t);
        stats::submit(s, &|i| {
            let m = &set.rules[i].meta;
            (m.id.to_string(), m.kind.clone())
        });
    }
    out
}

fn check_one(set: &RuleSet, input: &Input, max_size: u64) -> FileReport {
    let path = input.display();
    let t = stats::start();
    let (text, format) = match input {
        Input::File(p) => (
            source::read_path(p, max_size),
            document::Format::for_path(p),
        ),
        Input::Stdin { name } => (
            source::read_stdin(max_size),
            document::Format::for_path(std::path::Path::new(name)),
        ),
    };
    stats::submit_phase("read", t);
    match text {
        Ok(text) => {
            let findings = check_text(set, &text, format);
            FileReport {
                path,
                text,
                findings,
                error: None,
            }
        }
        Err(e) => FileReport {
            path,
            text: String::new(),
            findings: vec![],
            error: Some(e.to_string()),
        },
    }
}

/// `f` over `items` on up to `threads` scoped threads, each taking the next
/// item in turn; the results are in item order (`None` only if a worker
/// died, which the callers report rather than lose the item).
pub(crate) fn parallel_map<T: Sync, R: Send>(
    items: &[T],
    threads: usize,
    f: impl Fn(&T) -> R + Sync,
) -> Vec<Option<R>> {
    let n = items.len();
    if threads <= 1 || n <= 1 {
        return items.iter().map(|x| Some(f(x))).collect();
    }
    let next = AtomicUsize::new(0);
    let slots: Mutex<Vec<Option<R>>> = Mutex::new((0..n).map(|_| None).collect());
    std::thread::scope(|s| {
        for _ in 0..threads.min(n) {
            s.spawn(|| {
                loop {
                    let i = next.fetch_add(1, Ordering::Relaxed);
                    let Some(x) = items.get(i) else { break };
                    let r = f(x);
                    if let Ok(mut g) = slots.lock() {
                        g[i] = Some(r);
                    }
                }
            });
        }
    });
    slots.into_inner().unwrap_or_default()
}

/// Check inputs on `threads` workers; the result is in input order.
pub fn check_inputs(
    set: &RuleSet,
    inputs: Vec<Input>,
    threads: usize,
    max_size: u64,
) -> Vec<FileReport> {
    check_inputs_with_progress(set, inputs, threads, max_size, &|| {})
}

/// As `check_inputs`, calling `progress` once after each input is checked
/// (from the worker threads).
pub fn check_inputs_with_progress(
    set: &RuleSet,
    inputs: Vec<Input>,
    threads: usize,
    max_size: u64,
    progress: &(dyn Fn() + Sync),
) -> Vec<FileReport> {
    let check_one = |set: &RuleSet, input: &Input, max_size: u64| {
        let r = check_one(set, input, max_size);
        progress();
        r
    };
    parallel_map(&inputs, threads, |i| check_one(set, i, max_size))
        .into_iter()
        .zip(inputs.iter())
        .map(|(r, i)| {
            r.unwrap_or_else(|| FileReport {
                path: i.display(),
                text: String::new(),
                findings: vec![],
                error: Some("internal error: not checked".into()),
            })
        })
        .collect()
}
