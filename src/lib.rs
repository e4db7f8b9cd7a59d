//! calque: a fast, rule-driven quality checker for machine-translated news.
//!
//! The flow of one article: `source` (bytes → UTF-8 text, or a located
//! error) → `document` (which bytes are prose) → `engine` (one pass per rule
//! kind over a normalized view) → `Finding`s with exact byte spans →
//! `report` (human, JSON).

pub mod automaton;
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
    let mut st = document_stats(set, text.len());
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
        submit_stats(set, s);
    }
    out
}

/// A document's `--stats` figures, when they are on.
fn document_stats(set: &RuleSet, bytes: usize) -> Option<stats::Stats> {
    stats::enabled().then(|| {
        let mut s = stats::Stats::new(set.rules.len());
        s.bytes = bytes as u64;
        s.documents = 1;
        s
    })
}

/// Add a document's figures to the run's, naming its rules.
fn submit_stats(set: &RuleSet, s: &stats::Stats) {
    stats::submit(s, &|i| {
        let m = &set.rules[i].meta;
        (m.id.to_string(), m.kind.clone())
    });
}

/// Plain-text files longer than this are read and checked piece by piece
/// (`check_streamed`); the engine would cut them into the same pieces.
const STREAM_MIN: u64 = (engine::CHUNK + engine::CHUNK / 2) as u64;

fn check_one(set: &RuleSet, input: &Input, max_size: u64) -> FileReport {
    let r = check_input(set, input, max_size);
    if stats::enabled() {
        stats::submit_findings(r.findings.iter().map(|f| f.rule.as_ref()));
    }
    r
}

fn check_input(set: &RuleSet, input: &Input, max_size: u64) -> FileReport {
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

/// Check a long plain-text file piece by piece (`source::Pieces`) on
/// `engine::document_threads` workers that live as long as the file (each
/// keeps its regex caches), keeping only the lines of its findings: memory
/// holds a piece per worker, not the file. The findings are those of
/// checking it whole (plain text has no suppression comments).
fn check_streamed(set: &RuleSet, p: &std::path::Path, path: String, max_size: u64) -> FileReport {
    let failed = |e: source::SourceError| FileReport {
        path: path.clone(),
        text: excerpt::Excerpts::default(),
        findings: vec![],
        error: Some(e.to_string()),
    };
    let pieces = match source::Pieces::open(p, max_size) {
        Ok(x) => x,
        Err(e) => return failed(e),
    };
    let on = stats::enabled().then_some(set.rules.len());
    // Pieces are read and decoded in file order under the lock, so the
    // first bad byte is the one a whole read reports.
    let reader = Mutex::new(Reader {
        pieces,
        next: 0,
        error: None,
    });
    // Pieces are joined in file order as soon as they can be.
    let done = Mutex::new(Joined {
        pending: std::collections::BTreeMap::new(),
        next: 0,
        line: 1,
        kept: excerpt::Excerpts::default(),
        findings: Vec::new(),
        stats: document_stats(set, 0),
    });
    let work = || {
        loop {
            let t = stats::start();
            let job = match reader.lock() {
                Ok(mut r) => r.next_text(),
                Err(_) => None,
            };
            stats::submit_phase("read", t);
            let Some((seq, at, text)) = job else { break };
            let mut st = on.map(stats::Stats::new);
            // The first piece may start with a byte-order mark.
            let prose = if at == 0 {
                document::prose(&text, document::Format::Text).text
            } else {
                std::borrow::Cow::Borrowed(text.as_str())
            };
            let mut findings = set.check_blocks_timed(&text, &prose, &[], None, &mut st);
            let mut kept = excerpt::Excerpts::default();
            kept.append(&text, at, 1, findings.iter().flat_map(excerpt::ranges));
            findings.iter_mut().for_each(|f| f.shift(at));
            let piece = Piece {
                seq,
                lines: crate::text::count_breaks(text.as_bytes()),
                bytes: text.len(),
                findings,
                kept,
                stats: st,
            };
            if let Ok(mut d) = done.lock() {
                d.add(piece);
            }
        }
    };
    let threads = engine::document_threads();
    std::thread::scope(|s| {
        for _ in 1..threads {
            s.spawn(work);
        }
        work();
    });
    let r = reader.into_inner().unwrap_or_else(|e| e.into_inner());
    if let Some(e) = r.error {
        return failed(e);
    }
    let done = done.into_inner().unwrap_or_else(|e| e.into_inner());
    if done.next != r.next || !done.pending.is_empty() {
        return failed(source::SourceError::Io(
            "internal error: a piece was not checked".into(),
        ));
    }
    if let Some(s) = &done.stats {
        submit_stats(set, s);
    }
    FileReport {
        path,
        text: done.kept,
        findings: done.findings,
        error: None,
    }
}

/// The pieces of a streamed file joined so far, in file order.
struct Joined {
    /// Checked pieces that wait for an earlier one.
    pending: std::collections::BTreeMap<usize, Piece>,
    /// The number of the next piece to join, and its first line.
    next: usize,
    line: usize,
    kept: excerpt::Excerpts,
    findings: Vec<finding::Finding>,
    stats: Option<stats::Stats>,
}

impl Joined {
    fn add(&mut self, piece: Piece) {
        self.pending.insert(piece.seq, piece);
        while let Some(p) = self.pending.remove(&self.next) {
            self.kept.absorb(p.kept, self.line);
            self.line += p.lines;
            self.next += 1;
            self.findings.extend(p.findings);
            if let (Some(t), Some(s)) = (self.stats.as_mut(), p.stats) {
                t.bytes += p.bytes as u64;
                t.absorb(&s);
            }
        }
    }
}

/// One checked piece of a streamed file.
struct Piece {
    seq: usize,
    /// Line breaks in the piece.
    lines: usize,
    bytes: usize,
    findings: Vec<finding::Finding>,
    /// Its lines to keep, numbered from 1 (`Excerpts::absorb` renumbers).
    kept: excerpt::Excerpts,
    stats: Option<stats::Stats>,
}

/// The pieces of a streamed file, handed out in order.
struct Reader {
    pieces: source::Pieces,
    /// Pieces handed out so far.
    next: usize,
    /// The file's error, once one is found: no piece is handed out after.
    error: Option<source::SourceError>,
}

impl Reader {
    /// The next piece's number, offset and text.
    fn next_text(&mut self) -> Option<(usize, usize, String)> {
        if self.error.is_some() {
            return None;
        }
        let (at, bytes) = match self.pieces.next_piece() {
            Ok(Some(x)) => x,
            Ok(None) => return None,
            Err(e) => {
                self.error = Some(e);
                return None;
            }
        };
        match source::decode_piece(bytes, at) {
            Ok(t) => {
                self.next += 1;
                Some((self.next - 1, at, t))
            }
            // A NUL byte later on makes the file binary, as a whole read
            // says.
            Err(e @ source::SourceError::InvalidUtf8 { .. }) => {
                let mut err = e;
                loop {
                    match self.pieces.next_piece() {
                        Ok(Some((at, b))) => {
                            if let Some(i) = source::has_nul(&b) {
                                err = source::SourceError::Binary { offset: at + i };
                                break;
                            }
                        }
                        Ok(None) => break,
                        Err(e) => {
                            err = e;
                            break;
                        }
                    }
                }
                self.error = Some(err);
                None
            }
            Err(e) => {
                self.error = Some(e);
                None
            }
        }
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
