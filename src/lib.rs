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
pub mod excerpt;
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

/// Plain-text files longer than this are read and checked piece by piece
/// (`check_streamed`); the engine would cut them into the same pieces.
const STREAM_MIN: u64 = (engine::CHUNK + engine::CHUNK / 2) as u64;

fn check_one(set: &RuleSet, input: &Input, max_size: u64) -> FileReport {
    let path = input.display();
    if let Input::File(p) = input
        && document::Format::for_path(p) == document::Format::Text
        && std::fs::metadata(p).is_ok_and(|m| m.is_file() && m.len() > STREAM_MIN)
    {
        return check_streamed(set, p, path, max_size);
    }
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
                text: excerpt::Excerpts::of(&text, &findings),
                findings,
                error: None,
            }
        }
        Err(e) => FileReport {
            path,
            text: excerpt::Excerpts::default(),
            findings: vec![],
            error: Some(e.to_string()),
        },
    }
}

/// Check a long plain-text file piece by piece (`source::Pieces`), up to
/// `engine::document_threads` pieces at a time, keeping only the lines of
/// its findings: memory holds a few pieces, not the file. The findings are
/// those of checking it whole (plain text has no suppression comments).
fn check_streamed(set: &RuleSet, p: &std::path::Path, path: String, max_size: u64) -> FileReport {
    let failed = |e: source::SourceError| FileReport {
        path: path.clone(),
        text: excerpt::Excerpts::default(),
        findings: vec![],
        error: Some(e.to_string()),
    };
    let mut pieces = match source::Pieces::open(p, max_size) {
        Ok(x) => x,
        Err(e) => return failed(e),
    };
    let mut st = stats::enabled().then(|| {
        let mut s = stats::Stats::new(set.rules.len());
        s.documents = 1;
        s
    });
    let on = st.as_ref().map(|s| s.rules.len());
    let mut kept = excerpt::Excerpts::default();
    let mut findings = Vec::new();
    let mut line = 1;
    let batch = engine::document_threads();
    loop {
        let t = stats::start();
        let mut texts: Vec<(usize, String)> = Vec::with_capacity(batch);
        while texts.len() < batch {
            let (at, bytes) = match pieces.next_piece() {
                Ok(Some(x)) => x,
                Ok(None) => break,
                Err(e) => return failed(e),
            };
            match source::decode_piece(bytes, at) {
                Ok(t) => texts.push((at, t)),
                // A NUL byte later on makes the file binary, as a whole
                // read says.
                Err(e @ source::SourceError::InvalidUtf8 { .. }) => loop {
                    match pieces.next_piece() {
                        Ok(Some((at, b))) => {
                            if let Some(i) = source::has_nul(&b) {
                                return failed(source::SourceError::Binary { offset: at + i });
                            }
                        }
                        Ok(None) => return failed(e),
                        Err(e) => return failed(e),
                    }
                },
                Err(e) => return failed(e),
            }
        }
        stats::submit_phase("read", t);
        if texts.is_empty() {
            break;
        }
        let results = parallel_map(&texts, batch, |(at, text)| {
            let mut s = on.map(stats::Stats::new);
            // The first piece may start with a byte-order mark.
            let prose = if *at == 0 {
                document::prose(text, document::Format::Text).text
            } else {
                std::borrow::Cow::Borrowed(text.as_str())
            };
            let f = set.check_blocks_timed(text, &prose, &[], None, &mut s);
            (f, s)
        });
        for ((at, text), r) in texts.iter().zip(results) {
            let Some((mut f, s)) = r else {
                return failed(source::SourceError::Io(
                    "internal error: a piece was not checked".into(),
                ));
            };
            kept.append(text, *at, line, f.iter().flat_map(excerpt::ranges));
            line += text.bytes().filter(|&b| b == b'\n').count();
            for x in &mut f {
                x.span = x.span.start + at..x.span.end + at;
                for e in x.suggestions.iter_mut().flat_map(|s| s.edits.iter_mut()) {
                    e.start += at;
                    e.end += at;
                }
            }
            findings.extend(f);
            if let (Some(total), Some(s)) = (st.as_mut(), s) {
                total.bytes += text.len() as u64;
                total.absorb(&s);
            }
        }
    }
    if let Some(s) = st.as_mut() {
        stats::submit(s, &|i| {
            let m = &set.rules[i].meta;
            (m.id.to_string(), m.kind.clone())
        });
    }
    FileReport {
        path,
        text: kept,
        findings,
        error: None,
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
                text: excerpt::Excerpts::default(),
                findings: vec![],
                error: Some("internal error: not checked".into()),
            })
        })
        .collect()
}
