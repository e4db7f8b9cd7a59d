//! `calque fix`: apply suggestions, in safety tiers, without losing a byte.
//!
//! Which suggestions (`FixOptions::chosen`): a finding's only suggestion, or
//! the one its rule marks `preferred` when there are several (a rule with
//! several alternatives and no preference is never applied automatically);
//! `safe` ones always, `unsafe` ones with `--unsafe`; optionally only some
//! rules or categories.
//!
//! How (`fix_text`): each pass checks the current text, takes the chosen
//! suggestions, sorts them by their first edit and applies each one whole
//! (all its edits or none) unless one of its edits overlaps or touches an
//! edit already applied in this pass; an edit identical to one already
//! applied counts once. The skipped ones are found again by the next pass's
//! check, on the new text. Passes repeat until nothing changes, at most
//! `MAX_PASSES` times (as ESLint). Bytes outside the edits are copied as they
//! are, so line endings, a missing final newline, NFD text, no-break spaces
//! and a byte-order mark (set aside before checking) are kept.
//!
//! Writing (`Snapshot`, `write_atomic`): the new text goes to a temporary
//! file in the same folder, is synced, given the original's permissions and
//! renamed over the original, but only if the original is still exactly
//! what was read (length, mtime and content compared just before the
//! rename). A file with nothing to fix is never written.

use crate::document::{self, Format};
use crate::engine::RuleSet;
use crate::finding::{Applicability, Edit, Finding, Severity, Suggestion};
use crate::source::{self, SourceError};
use std::collections::BTreeMap;
use std::io::{Read, Write};
use std::ops::Range;
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// The most fix passes over one text.
pub const MAX_PASSES: usize = 10;

/// Which suggestions to apply.
#[derive(Debug, Clone, Default)]
pub struct FixOptions {
    /// Also apply `unsafe` suggestions.
    pub unsafe_fixes: bool,
    /// Only findings of rules whose id starts with one of these.
    pub rules: Vec<String>,
    /// Only findings in one of these categories or under one
    /// (`fluency` covers `fluency/punctuation`).
    pub categories: Vec<String>,
}

impl FixOptions {
    /// True when `--rule`/`--category` let this finding be fixed.
    pub fn selects(&self, f: &Finding) -> bool {
        (self.rules.is_empty() || self.rules.iter().any(|r| f.rule.starts_with(r.as_str())))
            && (self.categories.is_empty()
                || self
                    .categories
                    .iter()
                    .any(|c| category_matches(&f.category, c)))
    }

    /// The suggestion of `f` that fix applies, if any.
    pub fn chosen<'a>(&self, f: &'a Finding) -> Option<&'a Suggestion> {
        if !self.selects(f) {
            return None;
        }
        let s = match f.suggestions.as_slice() {
            [one] => one,
            many => many.iter().find(|s| s.preferred)?,
        };
        (s.applicability == Applicability::Safe || self.unsafe_fixes).then_some(s)
    }
}

fn category_matches(cat: &str, want: &str) -> bool {
    let want = want.trim_end_matches('/');
    cat == want || (cat.starts_with(want) && cat[want.len()..].starts_with('/'))
}

/// One suggestion applied.
#[derive(Debug, Clone)]
pub struct AppliedFix {
    pub rule: Arc<str>,
    /// The pass (from 1) that applied it.
    pub pass: usize,
    /// The finding's span in the text of that pass.
    pub span: Range<usize>,
}

/// The result of one pass.
#[derive(Debug, Clone)]
pub struct Pass {
    pub text: String,
    /// The edits applied, sorted and disjoint, in the pass's input
    /// coordinates.
    pub edits: Vec<Edit>,
    pub fixes: Vec<AppliedFix>,
    /// Chosen suggestions left for the next pass because they overlap or
    /// touch an edit applied in this one.
    pub deferred: usize,
}

fn is_crlf(text: &str) -> bool {
    let crlf = text.matches("\r\n").count();
    crlf > 0 && crlf * 2 >= text.matches('\n').count()
}

/// `\n` → `\r\n` in a replacement for a CRLF file.
fn adapt_newlines(rep: &str, crlf: bool) -> String {
    if !crlf || !rep.contains('\n') {
        return rep.to_string();
    }
    let mut out = String::with_capacity(rep.len() + 4);
    let mut prev = '\0';
    for c in rep.chars() {
        if c == '\n' && prev != '\r' {
            out.push('\r');
        }
        out.push(c);
        prev = c;
    }
    out
}

/// True when `e` cuts into a masked (non-prose) range: it may replace a
/// masked range whole (deleting a line with a link in it) but not part of one.
fn cuts_mask(e: &Edit, masked: &[Range<usize>]) -> bool {
    masked.iter().any(|m| {
        if e.start == e.end {
            m.start < e.start && e.start < m.end
        } else {
            m.start < e.end && e.start < m.end && !(e.start <= m.start && m.end <= e.end)
        }
    })
}

/// A suggestion's edits, checked against `text`: in range, on char
/// boundaries, disjoint, clear of masked ranges; no-op edits dropped. `None`
/// when the suggestion cannot be applied or changes nothing.
fn prepare(text: &str, s: &Suggestion, masked: &[Range<usize>], crlf: bool) -> Option<Vec<Edit>> {
    let mut edits = Vec::with_capacity(s.edits.len());
    for e in &s.edits {
        if e.start > e.end
            || e.end > text.len()
            || !text.is_char_boundary(e.start)
            || !text.is_char_boundary(e.end)
        {
            return None;
        }
        edits.push(Edit {
            start: e.start,
            end: e.end,
            replacement: adapt_newlines(&e.replacement, crlf),
        });
    }
    edits.sort_by_key(|e| (e.start, e.end));
    for w in edits.windows(2) {
        let touching_insert =
            w[0].end == w[1].start && (w[0].start == w[0].end || w[1].start == w[1].end);
        if w[0].end > w[1].start || touching_insert {
            return None;
        }
    }
    if edits.iter().any(|e| cuts_mask(e, masked)) {
        return None;
    }
    edits.retain(|e| text[e.start..e.end] != e.replacement);
    (!edits.is_empty()).then_some(edits)
}

/// Apply the chosen suggestions of `findings` (found on `text`) that do not
/// overlap each other. `masked` are the non-prose ranges of `text`.
pub fn apply_pass(
    text: &str,
    findings: &[Finding],
    masked: &[Range<usize>],
    opts: &FixOptions,
    pass: usize,
) -> Pass {
    let crlf = is_crlf(text);
    let mut cands: Vec<(&Finding, Vec<Edit>)> = findings
        .iter()
        .filter_map(|f| Some((f, prepare(text, opts.chosen(f)?, masked, crlf)?)))
        .collect();
    cands.sort_by(|a, b| {
        let ka = (a.1[0].start, a.1[a.1.len() - 1].end, &*a.0.rule);
        let kb = (b.1[0].start, b.1[b.1.len() - 1].end, &*b.0.rule);
        ka.cmp(&kb)
    });
    // Applied edits by (start, end). They are pairwise disjoint, so sorted
    // by start they are sorted by end too.
    let mut applied: BTreeMap<(usize, usize), String> = BTreeMap::new();
    let mut fixes = Vec::new();
    let mut deferred = 0;
    for (f, edits) in cands {
        let fresh: Vec<Edit> = edits
            .into_iter()
            .filter(|e| applied.get(&(e.start, e.end)) != Some(&e.replacement))
            .collect();
        if fresh.is_empty() {
            continue; // the same change is already made
        }
        let conflict = fresh.iter().any(|e| {
            applied
                .range(..=(e.end, usize::MAX))
                .next_back()
                .is_some_and(|(&(_, end), _)| end >= e.start)
        });
        if conflict {
            deferred += 1;
            continue;
        }
        for e in fresh {
            applied.insert((e.start, e.end), e.replacement);
        }
        fixes.push(AppliedFix {
            rule: f.rule.clone(),
            pass,
            span: f.span.clone(),
        });
    }
    let edits: Vec<Edit> = applied
        .into_iter()
        .map(|((start, end), replacement)| Edit {
            start,
            end,
            replacement,
        })
        .collect();
    Pass {
        text: apply_edits(text, &edits),
        edits,
        fixes,
        deferred,
    }
}

/// Apply sorted, disjoint edits.
pub fn apply_edits(text: &str, edits: &[Edit]) -> String {
    let mut out = String::with_capacity(text.len() + 64);
    let mut pos = 0;
    for e in edits {
        out.push_str(&text[pos..e.start]);
        out.push_str(&e.replacement);
        pos = e.end;
    }
    out.push_str(&text[pos..]);
    out
}

/// Compose two rounds of edits: `prev` turns T0 into T1 (T0 coordinates),
/// `next` turns T1 into `t2` (T1 coordinates); the result turns T0 into
/// `t2`. Edits that touch are merged, so the result is sorted and disjoint.
pub fn compose(prev: &[Edit], next: &[Edit], t2: &str) -> Vec<Edit> {
    #[derive(Clone, Copy)]
    struct Iv {
        start: usize,
        end: usize,
        /// (bytes after) - (bytes before) of the edit, for prev and next.
        d_prev: isize,
        d_next: isize,
    }
    let delta = |e: &Edit| e.replacement.len() as isize - (e.end - e.start) as isize;
    let mut ivs = Vec::with_capacity(prev.len() + next.len());
    let mut shift: isize = 0;
    for e in prev {
        let s1 = (e.start as isize + shift) as usize;
        ivs.push(Iv {
            start: s1,
            end: s1 + e.replacement.len(),
            d_prev: delta(e),
            d_next: 0,
        });
        shift += delta(e);
    }
    for e in next {
        ivs.push(Iv {
            start: e.start,
            end: e.end,
            d_prev: 0,
            d_next: delta(e),
        });
    }
    ivs.sort_by_key(|i| (i.start, i.end));
    let mut groups: Vec<Iv> = Vec::new();
    for iv in ivs {
        match groups.last_mut() {
            Some(g) if iv.start <= g.end => {
                g.end = g.end.max(iv.end);
                g.d_prev += iv.d_prev;
                g.d_next += iv.d_next;
            }
            _ => groups.push(iv),
        }
    }
    let (mut cum_prev, mut cum_next) = (0isize, 0isize);
    let mut out = Vec::with_capacity(groups.len());
    for g in groups {
        let s0 = (g.start as isize - cum_prev) as usize;
        let s2 = (g.start as isize + cum_next) as usize;
        cum_prev += g.d_prev;
        cum_next += g.d_next;
        let e0 = (g.end as isize - cum_prev) as usize;
        let e2 = (g.end as isize + cum_next) as usize;
        out.push(Edit {
            start: s0,
            end: e0,
            replacement: t2.get(s2..e2).unwrap_or_default().to_string(),
        });
    }
    out
}

/// What fixing one text did.
#[derive(Debug, Clone)]
pub struct FixOutcome {
    /// The fixed text.
    pub text: String,
    /// Every suggestion applied, in pass order.
    pub fixes: Vec<AppliedFix>,
    /// The change as sorted, disjoint edits of the original text: every
    /// byte outside them is unchanged.
    pub changes: Vec<Edit>,
    /// Passes that changed the text.
    pub passes: usize,
    /// False when the pass cap was hit (or fixes undid each other) with
    /// fixes still applicable.
    pub converged: bool,
    /// The findings on the fixed text (offsets into `text`).
    pub remaining: Vec<Finding>,
}

impl FixOutcome {
    pub fn changed(&self) -> bool {
        !self.changes.is_empty()
    }
}

/// Fix `text` (a document of `format`) with the rules of `set`.
pub fn fix_text(set: &RuleSet, text: &str, format: Format, opts: &FixOptions) -> FixOutcome {
    fix_text_with(set, text, format, opts, &|_, _| {})
}

/// `fix_text`, with `filter` applied to the findings of every pass (the
/// configuration: rules turned off, severities, suppressions); it gets the
/// text checked and its findings.
pub fn fix_text_with(
    set: &RuleSet,
    text: &str,
    format: Format,
    opts: &FixOptions,
    filter: &dyn Fn(&str, &mut Vec<Finding>),
) -> FixOutcome {
    // A byte-order mark is set aside and put back.
    let (bom, body) = match text.strip_prefix('\u{FEFF}') {
        Some(b) => (&text[..3], b),
        None => ("", text),
    };
    let mut cur = body.to_string();
    // Hashes of the texts so far, to stop fixes that undo each other (a
    // collision would only stop early, with a warning).
    let hash = |t: &str| {
        use std::hash::{Hash, Hasher};
        let mut h = std::collections::hash_map::DefaultHasher::new();
        t.hash(&mut h);
        h.finish()
    };
    let mut seen: Vec<u64> = vec![hash(&cur)];
    let mut changes: Vec<Edit> = Vec::new();
    let mut fixes = Vec::new();
    let mut passes = 0;
    let (remaining, converged) = loop {
        let prose = document::prose(&cur, format);
        // As `calque check` sees it: blocks, inline suppression comments.
        let mut findings = crate::check_text(set, &cur, format);
        filter(&cur, &mut findings);
        let p = apply_pass(&cur, &findings, &prose.masked, opts, passes + 1);
        if p.edits.is_empty() {
            break (findings, true);
        }
        let h = hash(&p.text);
        if passes == MAX_PASSES || seen.contains(&h) {
            break (findings, false);
        }
        changes = compose(&changes, &p.edits, &p.text);
        seen.push(h);
        cur = p.text;
        fixes.extend(p.fixes);
        passes += 1;
    };
    let shift = bom.len();
    let remaining = remaining
        .into_iter()
        .map(|mut f| {
            f.span = f.span.start + shift..f.span.end + shift;
            for s in &mut f.suggestions {
                for e in &mut s.edits {
                    e.start += shift;
                    e.end += shift;
                }
            }
            f
        })
        .collect();
    for e in &mut changes {
        e.start += shift;
        e.end += shift;
    }
    FixOutcome {
        text: format!("{bom}{cur}"),
        fixes,
        changes,
        passes,
        converged,
        remaining,
    }
}

/// Lines of context around each change in a diff.
const CONTEXT: usize = 3;

/// Number of lines of `t` (a last line without a newline counts).
fn count_lines(t: &str) -> usize {
    t.matches('\n').count() + usize::from(!t.is_empty() && !t.ends_with('\n'))
}

/// One changed region of whole lines: old `[o.start, o.end)` became new
/// `[n.start, n.end)` (byte ranges, each a run of whole lines).
struct Region {
    o: Range<usize>,
    n: Range<usize>,
}

/// The whole-line regions that `changes` (sorted, disjoint edits of `old`
/// giving `new`) touch, merged where they share or abut a line.
fn regions(old: &str, changes: &[Edit]) -> Vec<Region> {
    let mut out: Vec<Region> = Vec::new();
    let mut shift: isize = 0;
    for e in changes {
        let ls = old[..e.start].rfind('\n').map_or(0, |i| i + 1);
        let at_line_start = e.end == ls || old.as_bytes()[e.end - 1] == b'\n';
        let whole = at_line_start
            && (e.replacement.ends_with('\n') || (e.replacement.is_empty() && e.start == ls));
        let le = if whole {
            e.end
        } else {
            old[e.end..].find('\n').map_or(old.len(), |i| e.end + i + 1)
        };
        let delta = e.replacement.len() as isize - (e.end - e.start) as isize;
        let ns = (ls as isize + shift) as usize;
        shift += delta;
        let ne = (le as isize + shift) as usize;
        match out.last_mut() {
            // Line ends grow with the (sorted) edits, and `shift` is now
            // that of every edit up to this one.
            Some(r) if ls <= r.o.end => {
                r.o.end = le;
                r.n.end = ne;
            }
            _ => out.push(Region {
                o: ls..le,
                n: ns..ne,
            }),
        }
    }
    out
}

fn push_line(out: &mut String, mark: char, line: &str) {
    out.push(mark);
    out.push_str(line);
    if !line.ends_with('\n') {
        out.push_str("\n\\ No newline at end of file\n");
    }
}

/// A unified diff (3 lines of context) of a fix: `changes` are the sorted,
/// disjoint edits of `old` that give `new` (`FixOutcome::changes`). Hunks
/// hold exactly the lines the edits touch, so a deleted paragraph shows as
/// deleted, not as rewritten into its neighbour. Empty when nothing changed.
pub fn unified_diff(old: &str, new: &str, changes: &[Edit], name: &str) -> String {
    let regions = regions(old, changes);
    if regions.is_empty() {
        return String::new();
    }
    let old_lines: Vec<&str> = old.split_inclusive('\n').collect();
    // (old first line, old count, new first line, new count) per region;
    // line numbers counted incrementally, regions being in order.
    let (mut o_at, mut o_line, mut n_at, mut n_line) = (0, 0, 0, 0);
    let mut spans: Vec<(usize, usize, usize, usize, &Region)> = Vec::with_capacity(regions.len());
    for r in &regions {
        o_line += old[o_at..r.o.start].matches('\n').count();
        n_line += new[n_at..r.n.start].matches('\n').count();
        (o_at, n_at) = (r.o.start, r.n.start);
        spans.push((
            o_line,
            count_lines(&old[r.o.clone()]),
            n_line,
            count_lines(&new[r.n.clone()]),
            r,
        ));
    }
    let mut out = format!("--- {name}\n+++ {name}\n");
    let mut i = 0;
    while i < spans.len() {
        // Regions closer than 2 × CONTEXT lines share a hunk.
        let mut j = i;
        while j + 1 < spans.len() && spans[j + 1].0 <= spans[j].0 + spans[j].1 + 2 * CONTEXT {
            j += 1;
        }
        let first = spans[i];
        let last = spans[j];
        let o_start = first.0.saturating_sub(CONTEXT);
        let o_end = (last.0 + last.1 + CONTEXT).min(old_lines.len());
        let lead = first.0 - o_start;
        let n_start = first.2 - lead;
        let o_len = o_end - o_start;
        let n_len = o_len + spans[i..=j].iter().map(|s| s.3).sum::<usize>()
            - spans[i..=j].iter().map(|s| s.1).sum::<usize>();
        let head = |start: usize, len: usize| if len == 0 { start } else { start + 1 };
        out.push_str(&format!(
            "@@ -{},{o_len} +{},{n_len} @@\n",
            head(o_start, o_len),
            head(n_start, n_len)
        ));
        let mut at = o_start;
        for &(o0, on, _, _, r) in &spans[i..=j] {
            for l in &old_lines[at..o0] {
                push_line(&mut out, ' ', l);
            }
            for l in old[r.o.clone()].split_inclusive('\n') {
                push_line(&mut out, '-', l);
            }
            for l in new[r.n.clone()].split_inclusive('\n') {
                push_line(&mut out, '+', l);
            }
            at = o0 + on;
        }
        for l in &old_lines[at..o_end] {
            push_line(&mut out, ' ', l);
        }
        i = j + 1;
    }
    out
}

// ---------------------------------------------------------------------------
// Files

/// Why a file could not be fixed. The original is left untouched.
#[derive(Debug)]
pub enum FixError {
    Read(SourceError),
    NotAFile,
    ReadOnlyFile,
    ReadOnlyDir(PathBuf),
    HardLinks(u64),
    /// The file changed on disk after it was read.
    Changed,
    Io {
        what: &'static str,
        err: std::io::Error,
    },
}

impl std::fmt::Display for FixError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            FixError::Read(e) => write!(f, "{e}"),
            FixError::NotAFile => write!(f, "not a regular file; not fixed"),
            FixError::ReadOnlyFile => write!(f, "file is read-only; not fixed"),
            FixError::ReadOnlyDir(d) => write!(
                f,
                "folder {} is read-only (the fix is written to a temporary file there, then renamed); not fixed",
                d.display()
            ),
            FixError::HardLinks(n) => write!(
                f,
                "file has {n} hard links and replacing it would split them; not fixed (fix a copy, or use --diff)"
            ),
            FixError::Changed => write!(
                f,
                "file changed on disk while it was being fixed; not written (run calque fix again)"
            ),
            FixError::Io { what, err } => write!(f, "cannot {what}: {err}; not fixed"),
        }
    }
}

impl std::error::Error for FixError {}

/// A file as read for fixing, with what is needed to tell whether it has
/// changed since.
#[derive(Debug, Clone)]
pub struct Snapshot {
    /// The file itself (symbolic links resolved, so the link survives).
    pub real: PathBuf,
    pub text: String,
    len: u64,
    modified: Option<std::time::SystemTime>,
}

fn io(what: &'static str) -> impl FnOnce(std::io::Error) -> FixError {
    move |err| FixError::Io { what, err }
}

impl Snapshot {
    /// Read `path` (at most `limit` bytes) as UTF-8 text.
    pub fn read(path: &Path, limit: u64) -> Result<Snapshot, FixError> {
        let real = std::fs::canonicalize(path).map_err(|e| match e.kind() {
            std::io::ErrorKind::NotFound => FixError::Read(SourceError::NotFound),
            _ => FixError::Read(SourceError::Io(e.to_string())),
        })?;
        let mut f = std::fs::File::open(&real)
            .map_err(|e| FixError::Read(SourceError::Io(e.to_string())))?;
        let meta = f
            .metadata()
            .map_err(|e| FixError::Read(SourceError::Io(e.to_string())))?;
        if !meta.is_file() {
            return Err(FixError::NotAFile);
        }
        if meta.len() > limit {
            return Err(FixError::Read(SourceError::TooLarge {
                size: meta.len(),
                limit,
            }));
        }
        let mut bytes = Vec::with_capacity(meta.len() as usize);
        f.read_to_end(&mut bytes)
            .map_err(|e| FixError::Read(SourceError::Io(e.to_string())))?;
        let text = source::decode(bytes).map_err(FixError::Read)?;
        Ok(Snapshot {
            real,
            text,
            len: meta.len(),
            modified: meta.modified().ok(),
        })
    }

    /// The guard: Ok when the file on disk is still exactly what was read
    /// (same length, modification time and bytes).
    pub fn check_unchanged(&self) -> Result<(), FixError> {
        let meta = std::fs::metadata(&self.real).map_err(|_| FixError::Changed)?;
        if meta.len() != self.len || meta.modified().ok() != self.modified {
            return Err(FixError::Changed);
        }
        let now = std::fs::read(&self.real).map_err(|_| FixError::Changed)?;
        if now != self.text.as_bytes() {
            return Err(FixError::Changed);
        }
        Ok(())
    }
}

/// Removes the temporary file unless the rename happened.
struct TempFile {
    path: PathBuf,
    keep: bool,
}

impl Drop for TempFile {
    fn drop(&mut self) {
        if !self.keep {
            let _ = std::fs::remove_file(&self.path);
        }
    }
}

fn create_temp(dir: &Path, name: &str) -> Result<(std::fs::File, TempFile), FixError> {
    use std::sync::atomic::{AtomicUsize, Ordering};
    static COUNTER: AtomicUsize = AtomicUsize::new(0);
    let mut last = None;
    for _ in 0..32 {
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_nanos())
            .unwrap_or(0);
        let n = COUNTER.fetch_add(1, Ordering::Relaxed);
        let path = dir.join(format!(
            ".{name}.calque-{}-{nanos:x}-{n}.tmp",
            std::process::id()
        ));
        match std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&path)
        {
            Ok(f) => return Ok((f, TempFile { path, keep: false })),
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => last = Some(e),
            Err(e) if e.kind() == std::io::ErrorKind::PermissionDenied => {
                return Err(FixError::ReadOnlyDir(dir.to_path_buf()));
            }
            Err(e) => {
                return Err(FixError::Io {
                    what: "create a temporary file",
                    err: e,
                });
            }
        }
    }
    Err(FixError::Io {
        what: "create a temporary file",
        err: last.unwrap_or_else(|| std::io::Error::other("name collision")),
    })
}

/// Replace the file of `snap` with `new`, atomically: a temporary file in the
/// same folder, synced, with the original's permissions (and owner when
/// allowed), renamed over the original only if the guard passes. On any
/// error the original is untouched and the temporary file removed.
pub fn write_atomic(snap: &Snapshot, new: &[u8]) -> Result<(), FixError> {
    let meta = std::fs::metadata(&snap.real).map_err(|_| FixError::Changed)?;
    if meta.permissions().readonly() {
        return Err(FixError::ReadOnlyFile);
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        if meta.nlink() > 1 {
            return Err(FixError::HardLinks(meta.nlink()));
        }
    }
    let dir = match snap.real.parent() {
        Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let dmeta = std::fs::metadata(&dir).map_err(io("read the folder"))?;
    if dmeta.permissions().readonly() {
        return Err(FixError::ReadOnlyDir(dir));
    }
    let name = snap
        .real
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "file".into());
    let (mut f, mut tmp) = create_temp(&dir, &name)?;
    f.write_all(new).map_err(io("write the temporary file"))?;
    f.set_permissions(meta.permissions())
        .map_err(io("set permissions on the temporary file"))?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        // Keep the owner when allowed (running as root), else the group.
        if std::os::unix::fs::fchown(&f, Some(meta.uid()), Some(meta.gid())).is_err() {
            let _ = std::os::unix::fs::fchown(&f, None, Some(meta.gid()));
        }
    }
    f.sync_all().map_err(io("sync the temporary file"))?;
    drop(f);
    snap.check_unchanged()?;
    std::fs::rename(&tmp.path, &snap.real).map_err(io("replace the file"))?;
    tmp.keep = true;
    if let Ok(d) = std::fs::File::open(&dir) {
        let _ = d.sync_all();
    }
    Ok(())
}

// ---------------------------------------------------------------------------
// The command

fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

/// `calque fix`; returns the exit code.
pub fn command(a: &crate::cli::FixArgs) -> i32 {
    use crate::cli::{EXIT_ERROR, EXIT_FINDINGS, EXIT_OK};
    use crate::walk::Input;
    // One rule set per distinct list of configured rule folders, as
    // `check` compiles them: a file is fixed with its config's `rule-dirs`.
    let mut sets: std::collections::HashMap<Vec<std::path::PathBuf>, RuleSet> =
        std::collections::HashMap::new();
    match RuleSet::load(&a.rules.rules, !a.rules.no_builtin) {
        Ok(s) => sets.insert(Vec::new(), s),
        Err(e) => {
            eprintln!("error: invalid rule: {e}");
            return EXIT_ERROR;
        }
    };
    let opts = FixOptions {
        unsafe_fixes: a.unsafe_fixes,
        rules: a.rule.clone(),
        categories: a.category.clone(),
    };
    let mode = if a.no_config {
        crate::config::Mode::Off
    } else if let Some(p) = &a.config {
        crate::config::Mode::Fixed(p.clone())
    } else {
        crate::config::Mode::Discover
    };
    let mut configs = match crate::config::Configs::new(mode) {
        Ok(c) => c,
        Err(e) => {
            eprintln!("error: invalid configuration: {e}");
            return EXIT_ERROR;
        }
    };
    let gate: Severity = a.fail_on.severity();
    let write = !a.check && !a.diff;
    let inputs = crate::walk::inputs(&a.paths, a.stdin_filename.as_deref());
    let text_on_stdout =
        a.diff || (write && inputs.iter().any(|i| matches!(i, Input::Stdin { .. })));
    let mut stdout = std::io::stdout().lock();
    let mut report = String::new();
    let (mut errors, mut changed_files, mut n_fixes, mut n_remaining, mut n_gated) =
        (0, 0, 0, 0, 0);
    for input in &inputs {
        let path = input.display();
        let (stdin_text, snap, format) = match input {
            Input::File(p) => match Snapshot::read(p, a.max_file_size) {
                Ok(s) => (String::new(), Some(s), Format::for_path(p)),
                Err(e) => {
                    eprintln!("error: {path}: {e}");
                    errors += 1;
                    continue;
                }
            },
            Input::Stdin { name } => match source::read_stdin(a.max_file_size) {
                Ok(t) => (t, None, Format::for_path(Path::new(name))),
                Err(e) => {
                    eprintln!("error: {path}: {e}");
                    errors += 1;
                    continue;
                }
            },
        };
        let original = snap
            .as_ref()
            .map_or(stdin_text.as_str(), |s| s.text.as_str());
        // The file's configuration: its rule folders are loaded, rules it
        // turns off are not fixed, and its suppressions hold.
        let abs = match input {
            Input::File(p) => crate::config::absolute(p),
            Input::Stdin { name } => crate::config::absolute(Path::new(name)),
        };
        let cfg = match configs.for_file(&abs) {
            Ok(c) => c.map(|i| &configs.list[i]),
            Err(e) => {
                eprintln!("error: invalid configuration: {e}");
                errors += 1;
                continue;
            }
        };
        let rel = cfg
            .map(|c| crate::config::relative(&abs, &c.dir))
            .unwrap_or_default();
        if cfg.is_some_and(|c| c.is_ignored(&rel)) {
            continue;
        }
        let dirs = cfg.map(|c| c.rule_dirs.clone()).unwrap_or_default();
        if !sets.contains_key(&dirs) {
            match RuleSet::load_configured(&a.rules.rules, &dirs, !a.rules.no_builtin) {
                Ok(s) => sets.insert(dirs.clone(), s),
                Err(e) => {
                    eprintln!("error: invalid rule: {e}");
                    errors += 1;
                    continue;
                }
            };
        }
        let Some(set) = sets.get(&dirs) else {
            continue;
        };
        let overrides = cfg.map(|c| c.overrides_for(&rel)).unwrap_or_default();
        let policy = crate::config::Policy::new(cfg, &overrides, set, &Default::default());
        let filter = |t: &str, f: &mut Vec<Finding>| {
            policy.apply(f);
            if let Some(c) = cfg {
                let mut uses = crate::config::SuppressUse::default();
                // As `check` does: on the lines of the findings.
                let kept = crate::excerpt::Excerpts::of(t, f);
                c.suppress_findings(&rel, &kept, f, &policy, &mut uses);
            }
        };
        let out = fix_text_with(set, original, format, &opts, &filter);
        if !out.converged {
            eprintln!(
                "warning: {path}: stopped after {} passes with fixes still to apply (fixes that undo each other?)",
                out.passes
            );
        }
        if a.diff {
            let d = unified_diff(original, &out.text, &out.changes, &path);
            if stdout.write_all(d.as_bytes()).is_err() {
                return EXIT_ERROR;
            }
        }
        if write {
            match &snap {
                None => {
                    if stdout.write_all(out.text.as_bytes()).is_err() {
                        return EXIT_ERROR;
                    }
                }
                Some(s) if out.changed() => {
                    if let Err(e) = write_atomic(s, out.text.as_bytes()) {
                        eprintln!("error: {path}: {e}");
                        errors += 1;
                        continue;
                    }
                }
                Some(_) => {}
            }
        }
        if out.changed() {
            changed_files += 1;
        }
        n_fixes += out.fixes.len();
        n_remaining += out.remaining.len();
        n_gated += out.remaining.iter().filter(|f| f.severity >= gate).count();
        if out.fixes.is_empty() && out.remaining.is_empty() {
            continue;
        }
        let verb = if write { "applied" } else { "to apply" };
        report.push_str(&format!(
            "{path}: {} {verb}, {} remaining\n",
            plural(out.fixes.len(), "fix", "fixes"),
            plural(out.remaining.len(), "finding", "findings"),
        ));
        let li = crate::text::LineIndex::new(&out.text);
        for f in &out.remaining {
            let (line, col) = li.line_col(f.span.start);
            report.push_str(&format!(
                "  {line}:{col}: {}[{}]: {}\n",
                f.severity.as_str(),
                f.rule,
                f.message
            ));
        }
    }
    let verb = if write { "applied" } else { "to apply" };
    report.push_str(&format!(
        "{} {verb} in {}; {} remaining ({} at or above {})\n",
        plural(n_fixes, "fix", "fixes"),
        plural(changed_files, "file", "files"),
        plural(n_remaining, "finding", "findings"),
        n_gated,
        gate.as_str()
    ));
    let _ = stdout.flush();
    if text_on_stdout {
        eprint!("{report}");
    } else if stdout.write_all(report.as_bytes()).is_err() {
        return EXIT_ERROR;
    }
    if errors > 0 {
        EXIT_ERROR
    } else if !write {
        if changed_files > 0 {
            EXIT_FINDINGS
        } else {
            EXIT_OK
        }
    } else if n_gated > 0 {
        EXIT_FINDINGS
    } else {
        EXIT_OK
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn e(start: usize, end: usize, r: &str) -> Edit {
        Edit {
            start,
            end,
            replacement: r.into(),
        }
    }

    #[test]
    fn compose_matches_sequential_application() {
        let t0 = "abcdefghij";
        let prev = vec![e(1, 3, "XY Z"), e(5, 5, "+"), e(7, 8, "")];
        let t1 = apply_edits(t0, &prev);
        assert_eq!(t1, "aXY Zde+fgij");
        let next = vec![e(0, 1, "A"), e(4, 6, "!"), e(9, 10, "G")];
        let t2 = apply_edits(&t1, &next);
        let c = compose(&prev, &next, &t2);
        assert_eq!(apply_edits(t0, &c), t2);
        assert!(c.windows(2).all(|w| w[0].end < w[1].start), "{c:?}");
        // Touching or overlapping edits merge: "a"→"A", "bc"→"XY Z" and
        // "Zd"→"!" become "abcd"→"AXY !"; deleting "h" and "g"→"G" touch.
        assert_eq!(c, vec![e(0, 4, "AXY !"), e(5, 5, "+"), e(6, 8, "G")]);
    }

    #[test]
    fn category_prefix() {
        assert!(category_matches("fluency/punctuation", "fluency"));
        assert!(category_matches("fluency/punctuation", "fluency/"));
        assert!(category_matches(
            "fluency/punctuation",
            "fluency/punctuation"
        ));
        assert!(!category_matches("fluency/punctuation", "flu"));
    }

    #[test]
    fn crlf_replacements() {
        assert!(is_crlf("a\r\nb\r\n"));
        assert!(!is_crlf("a\nb\r\n\n"));
        assert_eq!(adapt_newlines("x\ny\r\nz", true), "x\r\ny\r\nz");
        assert_eq!(adapt_newlines("x\ny", false), "x\ny");
    }

    #[test]
    fn mask_rules() {
        let m = vec![Range { start: 5, end: 10 }];
        assert!(!cuts_mask(&e(0, 5, "x"), &m));
        assert!(!cuts_mask(&e(0, 12, ""), &m));
        assert!(cuts_mask(&e(6, 12, ""), &m));
        assert!(cuts_mask(&e(7, 7, "x"), &m));
        assert!(!cuts_mask(&e(10, 10, "x"), &m));
    }
}
