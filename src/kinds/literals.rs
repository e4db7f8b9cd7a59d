//! Prefilter literals of a regex: a small set of strings one of which
//! occurs in every match. The engine puts them in its shared Aho-Corasick
//! automaton (ASCII case folded) and runs a pattern only on the paragraphs
//! where one of them occurs.
//!
//! This walks the regex's HIR once (linear in its size), which is far cheaper
//! than `regex_syntax`'s prefix/suffix extractor on case-insensitive regexes
//! (whose case-folded classes make that extractor's cross products explode),
//! and it can pick an inner literal (`\b(is|was) actually (in|at)\b` →
//! ` actually `), not only a prefix or suffix.
//!
//! Case: literals are ASCII lower-cased, so the case-folded class `[Aa]`
//! collapses to `a`. The Kelvin sign (U+212A, which NFC turns into `K`
//! before matching) and the long s `ſ` (U+017F), which Unicode case folding
//! adds to `k` and `s`, are dropped from such classes: the prefilter does not
//! fire on "ſ" spelled for "s" (a typesetting relic absent from news).

use regex_syntax::hir::{Class, Hir, HirKind};

/// Most strings an exact set may hold before it is abandoned.
const MAX_SET: usize = 256;
/// Most strings of a candidate window of a concatenation.
const WINDOW_SET: usize = 64;
/// Highest expected rate (see `rate`) of a second literal condition.
const SECOND_MAX_RATE: f64 = 0.01;
/// Most parts (after merging single strings) in a candidate window.
const MAX_WINDOW: usize = 4;
/// Longest literal kept; longer cross products end the run.
const MAX_LEN: usize = 64;
/// Largest class (in chars) expanded into single-char literals.
const MAX_CLASS: usize = 4;
/// Literals longer than this are all "rare enough": prefer fewer of them.
const ENOUGH: usize = 7;

/// A small set of strings.
#[derive(Clone, Debug)]
struct Set {
    strs: Vec<String>,
    /// The strings are in their exact case (they come from case-sensitive
    /// literals); otherwise they are ASCII lower case and match in any case.
    cs: bool,
}

impl Set {
    fn new(strs: Vec<String>, cs: bool) -> Set {
        Set {
            strs: norm(strs),
            cs,
        }
    }
    fn empty() -> Set {
        Set::new(vec![String::new()], true)
    }
    fn is_empty_str(&self) -> bool {
        self.strs.len() == 1 && self.strs[0].is_empty()
    }
    /// ASCII lower case (for mixing with a case-insensitive set).
    fn folded(&self) -> Vec<String> {
        self.strs.iter().map(|s| s.to_ascii_lowercase()).collect()
    }
}

/// A candidate prefilter: strings one of which occurs in every match of a
/// node, with where they occur and their score (cached).
#[derive(Clone, Debug)]
struct Lits {
    set: Set,
    /// They occur at the start (end) of every match of the node.
    pre: bool,
    suf: bool,
    /// Every occurrence in a match starts (ends) on a word boundary.
    ws: bool,
    we: bool,
    key: (f64, usize),
}

impl Lits {
    fn new(set: Set, pre: bool, suf: bool, ws: bool, we: bool) -> Lits {
        // A literal that starts (ends) with a non-word char needs no word
        // boundary there: the condition holds trivially.
        let ws = ws
            || set
                .strs
                .iter()
                .all(|s| !is_word_byte_char(s.chars().next()));
        let we = we
            || set
                .strs
                .iter()
                .all(|s| !is_word_byte_char(s.chars().next_back()));
        Lits {
            key: score(&set, ws, we),
            set,
            pre,
            suf,
            ws,
            we,
        }
    }
}

#[derive(Clone, Debug)]
struct Info {
    /// Every string this node can match (small), if known.
    exact: Option<Set>,
    /// The best set one of which occurs in every match, if any.
    req: Option<Lits>,
    /// Another set one of which also occurs in every match, at another
    /// place (a second, independent condition), if a good one exists.
    second: Option<Lits>,
}

fn norm(mut v: Vec<String>) -> Vec<String> {
    v.sort();
    v.dedup();
    v
}

/// How often a literal is expected to occur, relative to the text: each
/// more letter makes it about 4 times rarer, up to `ENOUGH` letters (a word
/// rarely repeats by chance beyond that); each literal also has a fixed
/// cost (it grows the trie).
fn rate(lit: &str) -> f64 {
    // Letters of its words (a frequent word counts as one), and two for
    // each punctuation mark (rarer than a letter).
    let mut len = 0;
    for w in lit.split(|c: char| !c.is_alphanumeric()) {
        if !w.is_empty() {
            len += if is_common(w) { 1 } else { w.len() };
        }
    }
    len += 2 * lit
        .chars()
        .filter(|c| !c.is_alphanumeric() && !c.is_whitespace())
        .count();
    0.25f64.powi(len.min(ENOUGH) as i32) + 0.25f64.powi(ENOUGH as i32 + 2)
}

/// Whether `t` is one of `COMMON`, in any ASCII case.
fn is_common(t: &str) -> bool {
    let mut buf = [0u8; 8];
    if t.len() > buf.len() {
        return false;
    }
    for (d, s) in buf.iter_mut().zip(t.bytes()) {
        *d = s.to_ascii_lowercase();
    }
    std::str::from_utf8(&buf[..t.len()]).is_ok_and(|w| COMMON.binary_search(&w).is_ok())
}

/// Frequent words of English news (sorted), a poor prefilter.
const COMMON: &[&str] = &[
    "a", "about", "after", "all", "also", "an", "and", "are", "as", "at", "be", "been", "but",
    "by", "can", "could", "for", "from", "had", "has", "have", "he", "her", "his", "i", "if", "in",
    "into", "is", "it", "its", "more", "new", "no", "not", "of", "on", "one", "or", "other", "out",
    "over", "people", "said", "says", "she", "so", "some", "than", "that", "the", "their", "them",
    "there", "they", "this", "to", "two", "up", "was", "we", "were", "which", "who", "will",
    "with", "would", "year", "you",
];

/// How good a prefilter is: (minus the expected rate of paragraphs it sends
/// to the regex, the shortest literal's length): bigger is better. A literal
/// bound to word boundaries or to its case matches less often.
fn score(set: &Set, ws: bool, we: bool) -> (f64, usize) {
    let mut cost: f64 = set.strs.iter().map(|s| rate(s)).sum();
    // Only a boundary next to a word char constrains anything.
    if ws && set.strs.iter().all(|s| is_word_byte_char(s.chars().next())) {
        cost *= 0.5;
    }
    if we
        && set
            .strs
            .iter()
            .all(|s| is_word_byte_char(s.chars().next_back()))
    {
        cost *= 0.5;
    }
    if set.cs {
        cost *= 0.5;
    }
    let raw = set.strs.iter().map(|s| s.len()).min().unwrap_or(0);
    (-cost, raw)
}

fn min_len(set: &[String]) -> usize {
    set.iter().map(|s| s.trim().len()).min().unwrap_or(0)
}

fn better(a: Option<Lits>, b: Option<Lits>) -> Option<Lits> {
    match (a, b) {
        (Some(a), Some(b)) => Some(if b.key > a.key { b } else { a }),
        (a, None) => a,
        (None, b) => b,
    }
}

/// Every string of `a` followed by every string of `b`, or `None` over
/// `max` strings or `MAX_LEN` bytes.
fn cross(a: &Set, b: &Set, max: usize) -> Option<Set> {
    if a.strs.len() * b.strs.len() > max {
        return None;
    }
    let cs = a.cs && b.cs;
    let (fa, fb);
    let (xs, ys) = if cs {
        (&a.strs, &b.strs)
    } else {
        fa = if a.cs { a.folded() } else { a.strs.clone() };
        fb = if b.cs { b.folded() } else { b.strs.clone() };
        (&fa, &fb)
    };
    let mut out = Vec::with_capacity(xs.len() * ys.len());
    for x in xs {
        for y in ys {
            if x.len() + y.len() > MAX_LEN {
                return None;
            }
            let mut s = String::with_capacity(x.len() + y.len());
            s.push_str(x);
            s.push_str(y);
            out.push(s);
        }
    }
    Some(Set::new(out, cs))
}

fn class_set(c: &Class) -> Option<Set> {
    let mut chars: Vec<char> = Vec::new();
    match c {
        Class::Unicode(u) => {
            for r in u.ranges() {
                let n = r.end() as usize - r.start() as usize + 1;
                if chars.len() + n > MAX_CLASS + 2 {
                    return None;
                }
                chars.extend(r.start()..=r.end());
            }
        }
        Class::Bytes(b) => {
            for r in b.ranges() {
                let n = r.end() as usize - r.start() as usize + 1;
                if chars.len() + n > MAX_CLASS + 2 || r.end() > 0x7F {
                    return None;
                }
                chars.extend((r.start()..=r.end()).map(char::from));
            }
        }
    }
    let has = |c: char| chars.iter().any(|x| x.eq_ignore_ascii_case(&c));
    let (k, s) = (has('k'), has('s'));
    chars.retain(|&c| !((c == '\u{212A}' && k) || (c == '\u{17F}' && s)));
    // A case-folded class ([Ff]) matches any case; otherwise the exact chars.
    let folded = chars
        .iter()
        .any(|c| c.is_ascii_lowercase() && chars.contains(&c.to_ascii_uppercase()));
    let strs: Vec<String> = chars
        .iter()
        .map(|c| {
            if folded {
                c.to_ascii_lowercase().to_string()
            } else {
                c.to_string()
            }
        })
        .collect();
    let set = Set::new(strs, !folded);
    (set.strs.len() <= MAX_CLASS).then_some(set)
}

fn exact(set: Set) -> Info {
    Info {
        req: Some(Lits::new(set.clone(), true, true, false, false)),
        exact: Some(set),
        second: None,
    }
}

const NONE: Info = Info {
    exact: None,
    req: None,
    second: None,
};

fn is_word_byte_char(c: Option<char>) -> bool {
    c.is_some_and(|c| c.is_alphanumeric() || c == '_')
}

/// A look-around that puts a word boundary (or the start/end of the text
/// or line) where it stands. (ASCII word boundaries do not count: a
/// non-ASCII letter is a word char for `Required::admits`.)
fn is_boundary(h: &Hir) -> bool {
    use regex_syntax::hir::Look::*;
    matches!(
        h.kind(),
        HirKind::Look(
            WordUnicode
                | WordStartUnicode
                | WordEndUnicode
                | WordStartHalfUnicode
                | WordEndHalfUnicode
                | Start
                | End
                | StartLF
                | EndLF
                | StartCRLF
                | EndCRLF
        )
    )
}

/// What a node stands next to: a word boundary (or text edge) right before
/// (after) it, as a look-around of the enclosing concatenation puts there.
#[derive(Clone, Copy, Default)]
struct Ctx {
    left: bool,
    right: bool,
}

/// An exact set, bound to the word boundaries around it.
fn exact_in(set: Set, ctx: Ctx) -> Info {
    Info {
        req: Some(Lits::new(set.clone(), true, true, ctx.left, ctx.right)),
        exact: Some(set),
        second: None,
    }
}

fn info(h: &Hir) -> Info {
    info_in(h, Ctx::default())
}

fn info_in(h: &Hir, ctx: Ctx) -> Info {
    match h.kind() {
        HirKind::Empty | HirKind::Look(_) => exact(Set::empty()),
        HirKind::Literal(l) => match std::str::from_utf8(&l.0) {
            Ok(s) => exact_in(Set::new(vec![s.to_string()], true), ctx),
            Err(_) => NONE,
        },
        HirKind::Class(c) => class_set(c).map(|s| exact_in(s, ctx)).unwrap_or(NONE),
        HirKind::Capture(c) => info_in(&c.sub, ctx),
        HirKind::Repetition(r) => {
            // Only a single iteration stands between both neighbours.
            let once = r.max == Some(1);
            let sub = info_in(&r.sub, if once { ctx } else { Ctx::default() });
            match (r.min, r.max) {
                (1, Some(1)) => sub,
                (0, Some(1)) => match sub.exact {
                    Some(e) if e.strs.len() < MAX_SET => {
                        let cs = e.cs;
                        let mut v = e.strs;
                        v.push(String::new());
                        exact(Set::new(v, cs))
                    }
                    _ => NONE,
                },
                (0, _) => NONE,
                (min, _) => {
                    // `x{2,}`: "xx" starts (and ends) every match.
                    let mut req = sub.req;
                    if let Some(e) = &sub.exact
                        && min >= 2
                    {
                        let mut acc = e.clone();
                        for _ in 1..min.min(4) {
                            match cross(&acc, e, WINDOW_SET) {
                                Some(n) => acc = n,
                                None => break,
                            }
                        }
                        req = better(req, Some(Lits::new(acc, true, true, false, false)));
                    }
                    Info {
                        exact: None,
                        req,
                        second: sub.second,
                    }
                }
            }
        }
        HirKind::Alternation(alts) => {
            // Unions, built once at the end (case-folded if the branches
            // disagree on case).
            let mut ex: Option<Vec<Set>> = Some(Vec::new());
            let mut req: Option<Vec<Lits>> = Some(Vec::new());
            // Second condition: each branch's second set, or its first.
            let mut second: Option<Vec<Lits>> = Some(Vec::new());
            let mut any_second = false;
            let (mut n_ex, mut n_req, mut n_sec) = (0, 0, 0);
            for a in alts {
                let i = info_in(a, ctx);
                if let Some(v) = &mut second {
                    any_second |= i.second.is_some();
                    match i.second.clone().or_else(|| i.req.clone()) {
                        Some(r) if n_sec + r.set.strs.len() <= MAX_SET => {
                            n_sec += r.set.strs.len();
                            v.push(r);
                        }
                        _ => second = None,
                    }
                }
                if let Some(v) = &mut ex {
                    match i.exact {
                        Some(e) if n_ex + e.strs.len() <= MAX_SET => {
                            n_ex += e.strs.len();
                            v.push(e);
                        }
                        _ => ex = None,
                    }
                }
                if let Some(v) = &mut req {
                    match i.req {
                        Some(r) if n_req + r.set.strs.len() <= MAX_SET => {
                            n_req += r.set.strs.len();
                            v.push(r);
                        }
                        _ => req = None,
                    }
                }
                if ex.is_none() && req.is_none() && second.is_none() {
                    break;
                }
            }
            let merge = |sets: Vec<&Set>| -> Set {
                let cs = sets.iter().all(|s| s.cs);
                let mut v = Vec::new();
                for s in sets {
                    if cs || !s.cs {
                        v.extend(s.strs.iter().cloned());
                    } else {
                        v.extend(s.folded());
                    }
                }
                Set::new(v, cs)
            };
            let union = |v: Vec<Lits>| {
                let all = |f: fn(&Lits) -> bool| v.iter().all(f);
                let (pre, suf, ws, we) =
                    (all(|l| l.pre), all(|l| l.suf), all(|l| l.ws), all(|l| l.we));
                Lits::new(merge(v.iter().map(|l| &l.set).collect()), pre, suf, ws, we)
            };
            Info {
                exact: ex.map(|v| merge(v.iter().collect())),
                req: req.filter(|v| !v.is_empty()).map(union),
                second: second.filter(|v| any_second && !v.is_empty()).map(|v| {
                    let mut l = union(v);
                    (l.pre, l.suf) = (false, false);
                    l
                }),
            }
        }
        HirKind::Concat(parts) => concat(parts, ctx),
    }
}

/// What is on one side of every match of a node, for the word-boundary
/// analysis of the literals next to it.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Edge {
    /// A word boundary: the node's match ends (starts) with a non-word
    /// char, or with a boundary assertion.
    Bound,
    /// The node may match the empty string without asserting anything:
    /// what is on that side depends on its neighbour.
    Pass,
    /// Unknown (may end with a word char).
    No,
}

fn class_non_word(c: &Class) -> bool {
    let word = |c: char| c.is_alphanumeric() || c == '_';
    match c {
        Class::Unicode(u) => {
            let n: usize = u
                .ranges()
                .iter()
                .map(|r| r.end() as usize - r.start() as usize + 1)
                .sum();
            n <= 256
                && u.ranges()
                    .iter()
                    .all(|r| (r.start()..=r.end()).all(|c| !word(c)))
        }
        Class::Bytes(b) => b
            .ranges()
            .iter()
            .all(|r| (r.start()..=r.end()).all(|x| x < 0x80 && !word(char::from(x)))),
    }
}

/// The edge at the end (`end`) or the start of every match of `h`.
fn edge(h: &Hir, end: bool) -> Edge {
    match h.kind() {
        HirKind::Empty => Edge::Pass,
        HirKind::Look(_) => {
            if is_boundary(h) {
                Edge::Bound
            } else {
                Edge::No
            }
        }
        HirKind::Literal(l) => {
            let s = String::from_utf8_lossy(&l.0);
            let c = if end {
                s.chars().next_back()
            } else {
                s.chars().next()
            };
            if is_word_byte_char(c) {
                Edge::No
            } else {
                Edge::Bound
            }
        }
        HirKind::Class(c) => {
            if class_non_word(c) {
                Edge::Bound
            } else {
                Edge::No
            }
        }
        HirKind::Capture(c) => edge(&c.sub, end),
        HirKind::Repetition(r) => match (r.min, edge(&r.sub, end)) {
            (_, Edge::No) => Edge::No,
            (0, _) => Edge::Pass,
            (_, e) => e,
        },
        HirKind::Concat(v) => {
            let mut it: Box<dyn Iterator<Item = &Hir>> = if end {
                Box::new(v.iter().rev())
            } else {
                Box::new(v.iter())
            };
            it.find_map(|p| match edge(p, end) {
                Edge::Pass => None,
                e => Some(e),
            })
            .unwrap_or(Edge::Pass)
        }
        HirKind::Alternation(v) => {
            let mut pass = false;
            for a in v {
                match edge(a, end) {
                    Edge::No => return Edge::No,
                    Edge::Pass => pass = true,
                    Edge::Bound => {}
                }
            }
            if pass { Edge::Pass } else { Edge::Bound }
        }
    }
}

/// Whether a word char right after `ends[..k]` (before `starts[k + 1..]`)
/// is on a word boundary, given the enclosing context at the far end.
fn bound_before(ends: &[Edge], k: usize, outer: bool) -> bool {
    for e in ends[..k].iter().rev() {
        match e {
            Edge::Bound => return true,
            Edge::No => return false,
            Edge::Pass => {}
        }
    }
    outer
}

fn bound_after(starts: &[Edge], k: usize, outer: bool) -> bool {
    for e in starts.iter().skip(k + 1) {
        match e {
            Edge::Bound => return true,
            Edge::No => return false,
            Edge::Pass => {}
        }
    }
    outer
}

fn concat(parts: &[Hir], ctx: Ctx) -> Info {
    let p_ends: Vec<Edge> = parts.iter().map(|p| edge(p, true)).collect();
    let p_starts: Vec<Edge> = parts.iter().map(|p| edge(p, false)).collect();
    // Adjacent parts that match one string each (the letters of a
    // case-insensitive word) merge into one: a window never gains from
    // stopping inside such a run. Word-boundary looks are kept apart, to
    // mark the literals next to them.
    let mut infos: Vec<(Info, bool)> = Vec::with_capacity(parts.len());
    let mut starts: Vec<Edge> = Vec::with_capacity(parts.len());
    let mut ends: Vec<Edge> = Vec::with_capacity(parts.len());
    for (k, p) in parts.iter().enumerate() {
        let pctx = Ctx {
            left: bound_before(&p_ends, k, ctx.left),
            right: bound_after(&p_starts, k, ctx.right),
        };
        let i = info_in(p, pctx);
        let bound = is_boundary(p);
        let single = |i: &Info| i.exact.as_ref().is_some_and(|e| e.strs.len() == 1);
        if let Some((last, lb)) = infos.last_mut()
            && !*lb
            && !bound
            && single(last)
            && single(&i)
            && let (Some(a), Some(b)) = (&last.exact, &i.exact)
            && let Some(m) = cross(a, b, 1)
        {
            *last = exact(m);
            let (sl, el) = (starts.len() - 1, ends.len() - 1);
            if starts[sl] == Edge::Pass {
                starts[sl] = p_starts[k];
            }
            if p_ends[k] != Edge::Pass {
                ends[el] = p_ends[k];
            }
            continue;
        }
        infos.push((i, bound));
        starts.push(p_starts[k]);
        ends.push(p_ends[k]);
    }
    let n = infos.len();
    let empty =
        |k: usize| infos[k].1 || infos[k].0.exact.as_ref().is_some_and(|e| e.is_empty_str());
    // A word char right after part k-1 (right before part k+1) is on a word
    // boundary when what precedes (follows) it ends (starts) with a
    // non-word char or a boundary assertion.
    let left = |k: usize| bound_before(&ends, k, ctx.left);
    let right = |k: usize| bound_after(&starts, k, ctx.right);
    let pre = |k: usize| (0..k).all(empty);
    let suf = |k: usize| (k + 1..n).all(empty);
    let mut exact_all = Some(Set::empty());
    for (i, _) in &infos {
        exact_all = match (&exact_all, &i.exact) {
            (Some(a), Some(e)) => cross(a, e, MAX_SET),
            _ => None,
        };
    }
    // Candidates, with the parts they come from.
    let mut cands: Vec<(Lits, usize, usize)> = Vec::new();
    // Every window of consecutive exact parts is a candidate: the cross
    // product of their sets occurs in every match.
    for start in 0..n {
        if empty(start) {
            continue; // the same windows start at the next part
        }
        let mut acc = Set::empty();
        let mut best_here: Option<(Lits, usize)> = None;
        for (j, (i, _)) in infos.iter().enumerate().skip(start).take(MAX_WINDOW) {
            let Some(e) = &i.exact else { break };
            let Some(next) = cross(&acc, e, WINDOW_SET) else {
                break;
            };
            if min_len(&acc.strs) >= ENOUGH && next.strs.len() > acc.strs.len() {
                break; // long enough: more parts only add strings
            }
            acc = next;
            let ws = left(start)
                || acc
                    .strs
                    .iter()
                    .all(|s| !is_word_byte_char(s.chars().next()));
            let we = right(j)
                || acc
                    .strs
                    .iter()
                    .all(|s| !is_word_byte_char(s.chars().next_back()));
            let key = score(&acc, ws, we);
            if best_here.as_ref().is_none_or(|(b, _)| key > b.key) {
                best_here = Some((
                    Lits {
                        set: acc.clone(),
                        pre: pre(start),
                        suf: suf(j),
                        ws,
                        we,
                        key,
                    },
                    j,
                ));
            }
        }
        if let Some((l, j)) = best_here {
            cands.push((l, start, j));
        }
    }
    let mut seconds: Vec<(Lits, usize)> = Vec::new();
    for (k, (i, _)) in infos.iter().enumerate() {
        if let Some(mut r) = i.req.clone() {
            if r.pre {
                r.ws |= left(k);
            }
            if r.suf {
                r.we |= right(k);
            }
            r.pre &= pre(k);
            r.suf &= suf(k);
            cands.push((Lits::new(r.set, r.pre, r.suf, r.ws, r.we), k, k));
        }
        if let Some(s) = &i.second {
            seconds.push((s.clone(), k));
        }
    }
    let best = cands
        .iter()
        .enumerate()
        .max_by(|a, b| {
            a.1.0
                .key
                .partial_cmp(&b.1.0.key)
                .unwrap_or(std::cmp::Ordering::Equal)
                .then(b.0.cmp(&a.0))
        })
        .map(|(i, _)| i);
    let mut second: Option<Lits> = None;
    if let Some(b) = best {
        let (_, bs, be) = cands[b];
        // The best candidate elsewhere in the concatenation, or the second
        // set of the part the best one comes from.
        for (c, s, e) in &cands {
            if *e < bs || *s > be {
                second = better(second, Some(c.clone()));
            }
        }
        if bs == be {
            for (c, k) in &seconds {
                if *k == bs {
                    second = better(second, Some(c.clone()));
                }
            }
        }
    }
    let second = second.map(|mut l| {
        (l.pre, l.suf) = (false, false);
        l
    });
    Info {
        req: best.map(|b| cands.swap_remove(b).0),
        exact: exact_all,
        second,
    }
}

/// Prefilter literals of a regex, and how an occurrence must look for the
/// regex to possibly match there.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Required {
    /// One of these occurs in every match: ASCII lower case, or in their
    /// exact case when `case_sensitive`.
    pub literals: Vec<String>,
    pub case_sensitive: bool,
    /// A literal starting (ending) with a word char starts (ends) a word.
    pub word_start: bool,
    pub word_end: bool,
    /// A second set of literals one of which also occurs in every match
    /// (elsewhere): a paragraph must hold both.
    pub also: Option<Box<Required>>,
}

impl Required {
    /// Whether the automaton match `span` of literal `lit` in `text` can
    /// belong to a match of the regex (exact case, word boundaries).
    pub fn admits(&self, text: &str, span: &std::ops::Range<usize>, lit: &str) -> bool {
        if self.case_sensitive && text.get(span.clone()) != Some(lit) {
            return false;
        }
        let word = |c: Option<char>| c.is_some_and(|c| c.is_alphanumeric() || c == '_');
        if self.word_start
            && word(lit.chars().next())
            && word(text.get(..span.start).and_then(|t| t.chars().next_back()))
        {
            return false;
        }
        if self.word_end
            && word(lit.chars().next_back())
            && word(text.get(span.end..).and_then(|t| t.chars().next()))
        {
            return false;
        }
        true
    }
}

/// Literals one of which occurs in every match of `hir`, or `None` when
/// they are too short or too many to be a useful prefilter.
pub fn required(hir: &Hir) -> Option<Required> {
    let i = info(hir);
    let l = i.req?;
    let useful = |l: &Lits| min_len(&l.set.strs) >= 2 && l.set.strs.len() <= 300;
    if !useful(&l) {
        return None;
    }
    // A second condition pays when it is rare enough to rule out most of
    // the paragraphs the first lets through.
    // Its literals go through the shared automaton too: a short one (`ers`)
    // costs more matches there than it saves regex runs.
    let also = i
        .second
        .filter(|s| {
            useful(s)
                && min_len(&s.set.strs) >= 5
                && s.set.strs.len() <= 64
                && -s.key.0 < SECOND_MAX_RATE
        })
        .map(|s| {
            Box::new(Required {
                literals: s.set.strs,
                case_sensitive: s.set.cs,
                word_start: s.ws,
                word_end: s.we,
                also: None,
            })
        });
    Some(Required {
        literals: l.set.strs,
        case_sensitive: l.set.cs,
        word_start: l.ws,
        word_end: l.we,
        also,
    })
}

/// The same regex with its Unicode word-boundary assertions removed: it
/// matches wherever the original does (and more). Unlike the original, it
/// runs in the lazy DFA on non-ASCII text, so it is a fast test for "the
/// original cannot match here". `None` when `hir` has no such assertion.
pub fn relaxed(hir: &Hir) -> Option<Hir> {
    let looks = hir.properties().look_set();
    if !looks.contains_word_unicode() {
        return None;
    }
    Some(relax(hir))
}

fn relax(h: &Hir) -> Hir {
    use regex_syntax::hir::{Capture, Look, Repetition};
    match h.kind() {
        HirKind::Look(
            Look::WordUnicode
            | Look::WordUnicodeNegate
            | Look::WordStartUnicode
            | Look::WordEndUnicode
            | Look::WordStartHalfUnicode
            | Look::WordEndHalfUnicode,
        ) => Hir::empty(),
        HirKind::Empty | HirKind::Look(_) | HirKind::Literal(_) | HirKind::Class(_) => h.clone(),
        HirKind::Capture(c) => Hir::capture(Capture {
            index: c.index,
            name: c.name.clone(),
            sub: Box::new(relax(&c.sub)),
        }),
        HirKind::Repetition(r) => Hir::repetition(Repetition {
            min: r.min,
            max: r.max,
            greedy: r.greedy,
            sub: Box::new(relax(&r.sub)),
        }),
        HirKind::Concat(v) => Hir::concat(v.iter().map(relax).collect()),
        HirKind::Alternation(v) => Hir::alternation(v.iter().map(relax).collect()),
    }
}

/// Names of the capture groups of `hir`.
pub fn capture_names(hir: &Hir, out: &mut Vec<String>) {
    match hir.kind() {
        HirKind::Capture(c) => {
            if let Some(n) = &c.name {
                out.push(n.to_string());
            }
            capture_names(&c.sub, out);
        }
        HirKind::Repetition(r) => capture_names(&r.sub, out),
        HirKind::Concat(v) | HirKind::Alternation(v) => {
            for x in v {
                capture_names(x, out);
            }
        }
        _ => {}
    }
}

/// Whether `hir` can run on a `text::AsciiView` with the same matches as
/// on the text: its literals are ASCII, and each class treats all non-ASCII
/// word chars alike (as `_`), all non-ASCII spaces alike (as `\t`) and all
/// other non-ASCII chars alike (as `\x01`), as `.`, `\w`, `\s`, `[^"]`
/// and their negations do. `\p{Lu}` or `[“”]` do not: such a regex runs
/// on the text itself.
pub fn ascii_safe(hir: &Hir) -> bool {
    const STAND_INS: &[u8] = b"_\x0B\x01";
    match hir.kind() {
        HirKind::Empty | HirKind::Look(_) => true,
        HirKind::Literal(l) => l.0.iter().all(|&b| b.is_ascii() && !STAND_INS.contains(&b)),
        HirKind::Class(c) => class_ascii_safe(c),
        HirKind::Capture(c) => ascii_safe(&c.sub),
        HirKind::Repetition(r) => ascii_safe(&r.sub),
        HirKind::Concat(v) | HirKind::Alternation(v) => v.iter().all(ascii_safe),
    }
}

/// Whether class `c` matches `ch` (a byte class: only ASCII chars).
fn class_has(c: &Class, ch: char) -> bool {
    match c {
        Class::Unicode(u) => u.ranges().iter().any(|r| r.start() <= ch && ch <= r.end()),
        Class::Bytes(b) => {
            ch.is_ascii()
                && b.ranges()
                    .iter()
                    .any(|r| r.start() <= ch as u8 && ch as u8 <= r.end())
        }
    }
}

fn class_ascii_safe(c: &Class) -> bool {
    // Samples of each kind of non-ASCII char, and the byte that stands for
    // them in the view. The Kelvin sign and long s, which case folding adds
    // to `k` and `s`, are NFC-normalized or absent from news: not sampled;
    // nor are non-ASCII digits (`\d` matches `٣`, the view has `_`), which
    // English news does not use.
    const SAMPLES: &[(u8, &[char])] = &[
        (b'_', &['é', 'ß', 'Ж', 'ı', '中', 'ǅ', '\u{0301}']),
        (0x0B, &['\u{3000}', '\u{2028}', '\u{85}']),
        (1, &['“', '’', '€', '—', '\u{AD}', '\u{FEFF}', '¿']),
    ];
    let has = |ch: char| class_has(c, ch);
    let non_ascii = match c {
        Class::Unicode(u) => u.ranges().iter().any(|r| !r.end().is_ascii()),
        Class::Bytes(b) => b.ranges().iter().any(|r| r.end() > 0x7F),
    };
    if !non_ascii {
        // Pure ASCII: it must not hold a stand-in byte, or it would match
        // non-ASCII chars in the view (`[_a-z]` on "é").
        return !has('_') && !has('\u{b}') && !has('\u{1}');
    }
    // The class's own non-ASCII chars (the ends of its ranges) must match
    // through their stand-in: `[Èè]` (from `(?i)è`) must not.
    let stand_in = |ch: char| {
        if regex_syntax::is_word_character(ch) {
            '_'
        } else if ch.is_whitespace() {
            '\u{b}'
        } else {
            '\u{1}'
        }
    };
    let own = match c {
        Class::Unicode(u) => u.ranges().iter().all(|r| {
            let lo = r.start().max('\u{80}');
            // Non-ASCII digits (in `\d`) do not occur in English news.
            // Nor do the Kelvin sign (NFC makes it `K`) and the long s,
            // which case folding adds to `k` and `s`.
            let ok = |ch: char| {
                ch.is_numeric() || matches!(ch, '\u{212A}' | '\u{17F}') || has(stand_in(ch))
            };
            lo > r.end() || (ok(lo) && ok(r.end()))
        }),
        Class::Bytes(_) => false,
    };
    own && SAMPLES
        .iter()
        .all(|(b, chars)| chars.iter().all(|&ch| has(ch) == has(*b as char)))
}

/// How far a match of a regex can reach from a literal it contains: the
/// engine searches only that far around each occurrence of the regex's
/// required literal, not the whole paragraph (see `Pattern::run`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Reach {
    /// Fewest bytes in a match (0: it can match the empty string).
    pub min_len: usize,
    /// Most bytes in a match (`None`: unbounded).
    pub max_len: Option<usize>,
    /// Most whitespace characters in a match (`None`: unbounded).
    pub max_spaces: Option<usize>,
    /// Every byte a match can hold ([`alphabet`]): a match around a
    /// literal stops where the text holds another.
    pub alphabet: ByteSet,
}

/// The whitespace a window stops at: ASCII whitespace, and the characters
/// that the ASCII view writes as `\x0B` (so that a class holding one of
/// them counts as holding whitespace on either side).
const SPACES: &[char] = &[
    ' ', '\t', '\n', '\r', '\x0B', '\x0C', '\u{85}', '\u{A0}', '\u{2028}', '\u{2029}', '\u{3000}',
];

impl Reach {
    pub fn of(hir: &Hir) -> Reach {
        let p = hir.properties();
        Reach {
            min_len: p.minimum_len().unwrap_or(0),
            max_len: p.maximum_len(),
            max_spaces: spaces(hir),
            alphabet: alphabet(hir),
        }
    }

    /// Whether a search around each literal is worth it and sound: the
    /// regex cannot match empty, and something bounds its matches: their
    /// length, their whitespace, or a full stop or comma, which news has
    /// every few words, that no match can hold.
    pub fn bounded(&self) -> bool {
        self.min_len > 0
            && (self.max_len.is_some() || self.max_spaces.is_some() || self.stops_at_punctuation())
    }

    /// Whether no match holds a full stop, or none a comma.
    pub fn stops_at_punctuation(&self) -> bool {
        !self.alphabet.contains(b'.') || !self.alphabet.contains(b',')
    }
}

/// The bytes a match of `hir` can hold, in the text and in the ASCII view
/// alike: the ASCII bytes of its literals and classes, and, when it can
/// match a non-ASCII char, every non-ASCII byte and the view's stand-ins
/// for such chars (`_`, `\x0B`, `\x01`, see `text::AsciiView`).
pub fn alphabet(hir: &Hir) -> ByteSet {
    fn walk(h: &Hir, set: &mut ByteSet, wide: &mut bool) {
        match h.kind() {
            HirKind::Empty | HirKind::Look(_) => {}
            HirKind::Literal(l) => {
                for &b in l.0.iter() {
                    if b.is_ascii() {
                        set.insert(b);
                    } else {
                        *wide = true;
                    }
                }
            }
            HirKind::Class(Class::Unicode(u)) => {
                for r in u.ranges() {
                    if r.start().is_ascii() {
                        set.insert_range(r.start() as u8, (r.end() as u32).min(0x7F) as u8);
                    }
                    *wide |= !r.end().is_ascii();
                }
            }
            HirKind::Class(Class::Bytes(c)) => {
                for r in c.ranges() {
                    set.insert_range(r.start(), r.end());
                    *wide |= !r.end().is_ascii();
                }
            }
            HirKind::Capture(c) => walk(&c.sub, set, wide),
            HirKind::Repetition(r) => walk(&r.sub, set, wide),
            HirKind::Concat(v) | HirKind::Alternation(v) => {
                for x in v {
                    walk(x, set, wide);
                }
            }
        }
    }
    let mut set = ByteSet::default();
    let mut wide = false;
    walk(hir, &mut set, &mut wide);
    if wide {
        set.insert_range(0x80, 0xFF);
        for b in [b'_', 0x0B, 0x01] {
            set.insert(b);
        }
    }
    set
}

/// Most whitespace characters (`SPACES`) in a match of `hir`.
fn spaces(hir: &Hir) -> Option<usize> {
    match hir.kind() {
        HirKind::Empty | HirKind::Look(_) => Some(0),
        HirKind::Literal(l) => Some(
            l.0.iter()
                .filter(|b| SPACES.contains(&(**b as char)))
                .count(),
        ),
        HirKind::Class(c) => Some(usize::from(SPACES.iter().any(|&ch| class_has(c, ch)))),
        HirKind::Capture(c) => spaces(&c.sub),
        HirKind::Repetition(r) => match spaces(&r.sub)? {
            0 => Some(0),
            n => r.max.map(|m| n.saturating_mul(m as usize)),
        },
        HirKind::Concat(v) => v
            .iter()
            .try_fold(0usize, |a, h| Some(a.saturating_add(spaces(h)?))),
        HirKind::Alternation(v) => v.iter().try_fold(0usize, |a, h| Some(a.max(spaces(h)?))),
    }
}

/// The analysis of one built-in regex, computed by build.rs so that
/// start-up need not parse the regexes (see `builtin_digest`).
#[derive(Debug)]
pub struct Digest {
    /// `required`: literals, case-sensitive, word start, word end.
    pub literals: Option<(&'static [&'static str], bool, bool, bool)>,
    /// `required(..).also`, likewise.
    pub also: Option<(&'static [&'static str], bool, bool, bool)>,
    /// `needs`, as bit sets.
    pub needs: &'static [[u64; 4]],
    pub ascii_safe: bool,
    /// `capture_names`.
    pub names: &'static [&'static str],
    /// `Reach::of`.
    pub reach: Reach,
    /// `trio`: before, mid, after, as bit sets.
    pub trio: Option<([u64; 4], [u64; 4], [u64; 4])>,
    /// `word_lead`, as a bit set.
    pub word_lead: Option<[u64; 4]>,
}

impl Digest {
    /// The `Trio` this digest holds.
    pub fn trio(&self) -> Option<Trio> {
        self.trio.map(|(b, m, a)| Trio {
            before: ByteSet(b),
            mid: ByteSet(m),
            after: ByteSet(a),
        })
    }

    /// The `Required` this digest holds.
    pub fn required(&self) -> Option<Required> {
        let make = |(l, cs, ws, we): (&[&str], bool, bool, bool)| Required {
            literals: l.iter().map(|s| s.to_string()).collect(),
            case_sensitive: cs,
            word_start: ws,
            word_end: we,
            also: None,
        };
        self.literals.map(|l| Required {
            also: self.also.map(|a| Box::new(make(a))),
            ..make(l)
        })
    }
}

/// Gather the high bit of each byte of `x` into the low 8 bits (byte 0
/// to bit 0): one multiply turns eight byte flags into a bit mask.
pub fn gather(x: u64) -> u64 {
    ((x >> 7) & 0x0101_0101_0101_0101).wrapping_mul(0x0102_0408_1020_4080) >> 56
}

/// A set of bytes.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub struct ByteSet(pub [u64; 4]);

impl ByteSet {
    /// Every byte: "any byte" in a [`Trio`].
    pub const ALL: ByteSet = ByteSet([u64::MAX; 4]);
    pub fn insert(&mut self, b: u8) {
        self.0[(b >> 6) as usize] |= 1 << (b & 63);
    }
    pub fn contains(&self, b: u8) -> bool {
        self.0[(b >> 6) as usize] & (1 << (b & 63)) != 0
    }
    /// The set's bytes, in order.
    pub fn bytes(&self) -> Vec<u8> {
        (0..=255u8).filter(|&b| self.contains(b)).collect()
    }
    /// How many bytes the set holds.
    pub fn len(&self) -> usize {
        self.0.iter().map(|w| w.count_ones() as usize).sum()
    }
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
    pub fn insert_range(&mut self, lo: u8, hi: u8) {
        for b in lo..=hi {
            self.insert(b);
        }
    }
    pub fn union(&mut self, o: &ByteSet) {
        for i in 0..4 {
            self.0[i] |= o.0[i];
        }
    }
    /// True when the two sets share a byte.
    pub fn meets(&self, o: &ByteSet) -> bool {
        (0..4).any(|i| self.0[i] & o.0[i] != 0)
    }
    /// The bytes of `text`. Marking a table and folding it afterwards
    /// spares each byte the read-modify-write of a word shared with its
    /// neighbours (letters all fall in one of the four words).
    pub fn of(text: &[u8]) -> ByteSet {
        // A flag is bit 7 of its byte: eight at a time become eight bits.
        let mut seen = [0u8; 256];
        for &b in text {
            seen[usize::from(b)] = 0x80;
        }
        let mut s = ByteSet::default();
        for (w, chunk) in s.0.iter_mut().zip(seen.chunks_exact(64)) {
            *w = chunk.chunks_exact(8).enumerate().fold(0u64, |acc, (k, f)| {
                let x = u64::from_le_bytes(f.try_into().unwrap_or_default());
                acc | (gather(x) << (8 * k))
            });
        }
        s
    }
    /// A rough frequency of the set's bytes in English news text (bigger =
    /// more common), used only to pick the most selective sets.
    pub fn weight(&self) -> f64 {
        const fn set(ranges: &[(u8, u8)]) -> [u64; 4] {
            let mut m = [0u64; 4];
            let mut i = 0;
            while i < ranges.len() {
                let mut b = ranges[i].0 as usize;
                while b <= ranges[i].1 as usize {
                    m[b >> 6] |= 1 << (b & 63);
                    b += 1;
                }
                i += 1;
            }
            m
        }
        const CLASSES: &[([u64; 4], f64)] = &[
            (set(&[(b' ', b' ')]), 1.0),
            (
                set(&[
                    (b'e', b'e'),
                    (b't', b't'),
                    (b'a', b'a'),
                    (b'o', b'o'),
                    (b'i', b'i'),
                    (b'n', b'n'),
                    (b's', b's'),
                    (b'r', b'r'),
                    (b'h', b'h'),
                ]),
                0.3,
            ),
            (
                set(&[
                    (b'b', b'd'),
                    (b'f', b'g'),
                    (b'j', b'm'),
                    (b'p', b'q'),
                    (b'u', b'z'),
                ]),
                0.2,
            ),
            (set(&[(b'A', b'Z')]), 0.02),
            (set(&[(b'0', b'9')]), 0.01),
            (
                set(&[(b',', b','), (b'.', b'.'), (b'\n', b'\n'), (0xE2, 0xE2)]),
                0.05,
            ),
        ];
        let mut rest = self.0;
        let mut w = 0.0;
        for (m, cw) in CLASSES {
            for i in 0..4 {
                w += f64::from((self.0[i] & m[i]).count_ones()) * cw;
                rest[i] &= !m[i];
            }
        }
        w + f64::from(rest.iter().map(|x| x.count_ones()).sum::<u32>()) * 0.002
    }
}

/// Most byte sets kept per regex.
const MAX_NEEDS: usize = 4;

/// Byte sets a text must meet, each of them, for `hir` to match in it
/// (through the UTF-8 lead byte of every char it can match). Cheap to test
/// against the `ByteSet` of a paragraph, so a regex with no usable literal
/// (`\d{1,2}h\d{2}`) still skips the paragraphs that cannot match. Sets too
/// common to filter anything (with a space or a frequent letter) are left
/// out; at most `MAX_NEEDS` of the rarest are kept.
pub fn needs(hir: &Hir) -> Vec<ByteSet> {
    let mut v = Vec::new();
    needs_into(hir, &mut v);
    let mut v: Vec<(f64, ByteSet)> = v
        .into_iter()
        .map(|s| (s.weight(), s))
        .filter(|(w, _)| *w < 0.2)
        .collect();
    v.sort_by(|a, b| a.0.total_cmp(&b.0));
    v.dedup_by(|a, b| a.1 == b.1);
    v.truncate(MAX_NEEDS);
    v.into_iter().map(|(_, s)| s).collect()
}

/// The first bytes of the chars of class `c`.
fn class_leads(c: &Class) -> ByteSet {
    let mut s = ByteSet::default();
    match c {
        Class::Unicode(u) => {
            for r in u.ranges() {
                // UTF-8 lead bytes grow with the code point.
                s.insert_range(lead(r.start()), lead(r.end()));
            }
        }
        Class::Bytes(b) => {
            for r in b.ranges() {
                s.insert_range(r.start(), r.end());
            }
        }
    }
    s
}

fn lead(c: char) -> u8 {
    let mut buf = [0u8; 4];
    c.encode_utf8(&mut buf).as_bytes()[0]
}

fn push_new(out: &mut Vec<ByteSet>, s: ByteSet) {
    if !out.contains(&s) {
        out.push(s);
    }
}

/// Push the byte sets `h` needs onto `out`.
fn needs_into(h: &Hir, out: &mut Vec<ByteSet>) {
    match h.kind() {
        HirKind::Empty | HirKind::Look(_) => {}
        HirKind::Literal(l) => {
            // Every byte of a literal that starts a char.
            for &b in l.0.iter().filter(|b| (**b as i8) >= -64) {
                let mut s = ByteSet::default();
                s.insert(b);
                push_new(out, s);
            }
        }
        HirKind::Class(c) => push_new(out, class_leads(c)),
        HirKind::Capture(c) => needs_into(&c.sub, out),
        HirKind::Repetition(r) => {
            if r.min > 0 {
                needs_into(&r.sub, out);
            }
        }
        HirKind::Concat(parts) => {
            for p in parts {
                needs_into(p, out);
            }
        }
        HirKind::Alternation(alts) => {
            // Each branch needs its rarest set: the union is needed.
            let mut u = ByteSet::default();
            let mut branch = Vec::new();
            for a in alts {
                branch.clear();
                needs_into(a, &mut branch);
                let Some(best) = branch
                    .iter()
                    .map(|s| (s.weight(), s))
                    .min_by(|x, y| x.0.total_cmp(&y.0))
                else {
                    return;
                };
                u.union(best.1);
            }
            push_new(out, u);
        }
    }
}

/// Most distinct bytes of the middle set of a [`trio`] (what the engine's
/// byte finder looks for at once).
const TRIO_MID: usize = 5;

/// Highest [`Trio::weight`] worth testing: past it, most paragraphs hold
/// the bytes and the test only adds to the regex's cost.
const TRIO_MAX_WEIGHT: f64 = 0.06;

/// Highest weight of each set around a whitespace middle byte: digits,
/// with the bytes that end or start a non-ASCII digit (`\d` is Unicode).
const TRIO_RARE_SIDE: f64 = 0.25;

/// Three adjacent bytes that every match of a regex holds: a byte of
/// `mid`, right after a byte of `before` and right before a byte of
/// `after` (a set of every byte stands for "any").
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Trio {
    pub before: ByteSet,
    pub mid: ByteSet,
    pub after: ByteSet,
}

impl Trio {
    /// The rough rate of the three bytes in English news (see
    /// [`ByteSet::weight`]; "any byte" weighs 1).
    pub fn weight(&self) -> f64 {
        let w = |s: &ByteSet| s.weight().min(1.0);
        w(&self.before) * w(&self.mid) * w(&self.after)
    }
}

/// For a regex: three adjacent byte sets such that every match holds a
/// byte of each in a row, the middle one a few ASCII chars: `[,;]` then a
/// letter (`\p{Ll}[,;]\p{L}`), a digit, a space, a digit (`\d{1,3}
/// \d{3}`). Of several, the rarest. The engine skips the paragraphs where
/// no such bytes occur instead of running the regex there: unspaced
/// punctuation and digits split by a space are rare, paragraphs with a
/// comma or a number are not. `None` when no part of the regex's top-level
/// sequence gives one rare enough (`TRIO_MAX_WEIGHT`).
pub fn trio(hir: &Hir) -> Option<Trio> {
    let mut seq = Vec::new();
    flatten(hir, &mut seq);
    let any = ByteSet::ALL;
    let mut white = ByteSet::default();
    SPACES
        .iter()
        .filter(|c| c.is_ascii())
        .for_each(|&c| white.insert(c as u8));
    (0..seq.len())
        .filter_map(|i| {
            let Part::Byte(mid) = seq[i] else {
                return None;
            };
            if mid.len() > TRIO_MID || mid.0[2] != 0 || mid.0[3] != 0 {
                return None;
            }
            let before = match i.checked_sub(1).map(|j| seq[j]) {
                Some(Part::Byte(b)) => b,
                Some(Part::Other(h)) => last_bytes(h).unwrap_or(any),
                Some(Part::Gap) | None => any,
            };
            let after = match seq.get(i + 1) {
                Some(Part::Byte(b)) => *b,
                Some(Part::Other(h)) => first_bytes(h).unwrap_or(any),
                Some(Part::Gap) | None => any,
            };
            // Punctuation is mostly followed by a space, and a space is
            // everywhere: whitespace stays out of the outer sets (unless
            // they are "any"), and a space in the middle needs rare bytes
            // on both sides (a digit, a space, a digit).
            let spaced = |s: &ByteSet| s.meets(&white);
            let rare = |s: &ByteSet| s.weight() <= TRIO_RARE_SIDE;
            // A byte with nothing known around it is what `needs` tests.
            let alone = before == any && after == any;
            if alone
                || (before != any && spaced(&before))
                || (after != any && spaced(&after))
                || (spaced(&mid) && !(rare(&before) && rare(&after)))
            {
                return None;
            }
            Some(Trio { before, mid, after })
        })
        .filter(|t| t.weight() <= TRIO_MAX_WEIGHT)
        .min_by(|x, y| x.weight().total_cmp(&y.weight()))
}

/// For a regex each match of which is one word from its start (a word
/// boundary, then word chars only: `\b[A-Z][a-z]*ou[a-z]*(ov|sk)\b`): the
/// first byte of every match. A literal found inside a word then belongs
/// to a match only if the word starts with one of these bytes, which the
/// engine tests before it files the occurrence (`ou` occurs in most
/// paragraphs, in a capitalized word in few). `None` for other regexes.
pub fn word_lead(hir: &Hir) -> Option<ByteSet> {
    (starts_at_word(hir) && only_word_chars(hir))
        .then(|| first_bytes(hir))
        .flatten()
}

/// Whether `h` opens with a Unicode word-boundary assertion (ASCII ones
/// would let a match start after a non-ASCII letter, inside a word).
fn starts_at_word(h: &Hir) -> bool {
    use regex_syntax::hir::Look::*;
    match h.kind() {
        HirKind::Look(l) => matches!(l, WordUnicode | WordStartUnicode | WordStartHalfUnicode),
        HirKind::Capture(c) => starts_at_word(&c.sub),
        HirKind::Concat(parts) => parts.first().is_some_and(starts_at_word),
        HirKind::Alternation(alts) => alts.iter().all(starts_at_word),
        _ => false,
    }
}

/// Whether every char `h` can match is a word char (Unicode `\w`).
fn only_word_chars(h: &Hir) -> bool {
    match h.kind() {
        HirKind::Empty | HirKind::Look(_) => true,
        HirKind::Literal(l) => {
            std::str::from_utf8(&l.0).is_ok_and(|t| t.chars().all(regex_syntax::is_word_character))
        }
        HirKind::Class(Class::Unicode(u)) => u.ranges().iter().all(|r| {
            // Small ranges only, char by char: the regexes this serves
            // spell out letters (`[A-Z]`, `[a-zé]`).
            (r.end() as u32).saturating_sub(r.start() as u32) < 512
                && (r.start()..=r.end()).all(regex_syntax::is_word_character)
        }),
        HirKind::Class(Class::Bytes(b)) => b
            .ranges()
            .iter()
            .all(|r| (r.start()..=r.end()).all(|c| c.is_ascii_alphanumeric() || c == b'_')),
        HirKind::Capture(c) => only_word_chars(&c.sub),
        HirKind::Repetition(r) => only_word_chars(&r.sub),
        HirKind::Concat(v) | HirKind::Alternation(v) => v.iter().all(only_word_chars),
    }
}

/// A part of a regex's top-level sequence: one byte from a set, a
/// sub-expression, or bytes not known.
#[derive(Clone, Copy)]
enum Part<'h> {
    Byte(ByteSet),
    Other(&'h Hir),
    Gap,
}

/// The parts of `h` matched one after another: concatenations and
/// capture groups opened, literals cut into their bytes, one-byte classes
/// made byte sets, assertions (which match no byte) left out, and the
/// first copy of a repeated group opened (`(\.\d{3})+`: a dot, three
/// digits, then bytes not known).
fn flatten<'h>(h: &'h Hir, out: &mut Vec<Part<'h>>) {
    match h.kind() {
        HirKind::Concat(parts) => parts.iter().for_each(|p| flatten(p, out)),
        HirKind::Capture(c) => flatten(&c.sub, out),
        HirKind::Look(_) => {}
        HirKind::Literal(l) => out.extend(l.0.iter().map(|&b| {
            let mut s = ByteSet::default();
            s.insert(b);
            Part::Byte(s)
        })),
        HirKind::Class(c) if one_byte(c) => out.push(Part::Byte(class_leads(c))),
        HirKind::Repetition(r)
            if r.min >= 1 && matches!(r.sub.kind(), HirKind::Capture(_) | HirKind::Concat(_)) =>
        {
            flatten(&r.sub, out);
            if r.max != Some(1) {
                out.push(Part::Gap);
            }
        }
        _ => out.push(Part::Other(h)),
    }
}

/// Whether every char of the class is one byte (ASCII, or a byte class).
fn one_byte(c: &Class) -> bool {
    match c {
        Class::Unicode(u) => u.ranges().iter().all(|r| r.end().is_ascii()),
        Class::Bytes(_) => true,
    }
}

/// The first byte of every match of `h` (which matches no empty string),
/// or `None` when that is not known.
fn first_bytes(h: &Hir) -> Option<ByteSet> {
    edge_bytes(h, false)
}

/// The last byte of every match of `h`, likewise: an ASCII char is its
/// own byte, any other ends with a UTF-8 continuation byte.
fn last_bytes(h: &Hir) -> Option<ByteSet> {
    edge_bytes(h, true)
}

/// [`first_bytes`], or with `last` [`last_bytes`].
fn edge_bytes(h: &Hir, last: bool) -> Option<ByteSet> {
    let mut s = ByteSet::default();
    match h.kind() {
        HirKind::Literal(l) => s.insert(*if last { l.0.last() } else { l.0.first() }?),
        HirKind::Class(Class::Unicode(u)) if last => {
            for r in u.ranges() {
                if r.start().is_ascii() {
                    s.insert_range(r.start() as u8, r.end().min('\x7f') as u8);
                }
                if !r.end().is_ascii() {
                    s.insert_range(0x80, 0xBF);
                }
            }
        }
        // A byte class, or a char's lead byte.
        HirKind::Class(c) => return Some(class_leads(c)),
        HirKind::Capture(c) => return edge_bytes(&c.sub, last),
        HirKind::Repetition(r) if r.min > 0 => return edge_bytes(&r.sub, last),
        HirKind::Concat(parts) => {
            // The first (last) part that matches a byte; an assertion
            // matches none, a part that may be empty leaves it unknown.
            let byte = |p: &&Hir| !matches!(p.kind(), HirKind::Look(_));
            let p = if last {
                parts.iter().rfind(byte)
            } else {
                parts.iter().find(byte)
            };
            return edge_bytes(p?, last);
        }
        HirKind::Alternation(alts) => {
            for a in alts {
                s.union(&edge_bytes(a, last)?);
            }
        }
        _ => return None,
    }
    Some(s)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn trio_is_three_adjacent_bytes_of_every_match() {
        let parse = |re: &str| {
            regex_syntax::ParserBuilder::new()
                .build()
                .parse(re)
                .unwrap()
        };
        let any = ByteSet::ALL;
        let t = trio(&parse(r"\p{Ll}(?P<m>(?P<p>[,;])(?P<l>\p{L}))")).unwrap();
        assert_eq!(t.mid.len(), 2);
        assert!(t.mid.contains(b',') && t.mid.contains(b';'));
        // A lower-case letter ends with itself or a continuation byte.
        assert!(t.before.contains(b'z') && t.before.contains(0xA9) && !t.before.contains(b'Z'));
        let b = t.after;
        assert!(b.contains(b'a') && b.contains(b'Z') && b.contains(0xC3));
        assert!(!b.contains(b' ') && !b.contains(b'1'));
        // A digit, a space, a digit.
        let t = trio(&parse(r"(?:\b[A-Za-z]+ )?\b(\d{1,3}) (\d{3})(?: \d{3})*\b")).unwrap();
        assert!(t.mid.contains(b' ') && t.mid.len() == 1);
        assert!((b'0'..=b'9').all(|d| t.before.contains(d) && t.after.contains(d)));
        assert!(!t.before.contains(b'a') && !t.after.contains(b' '));
        // `\d` is Unicode: "١" (U+0661) is a digit too.
        assert!(t.before.contains(0xA1) && t.after.contains(0xD9));
        // Assertions match no byte: `;` and `x` are still adjacent.
        let t = trio(&parse(r"\w;\bx")).unwrap();
        assert!(t.mid.contains(b';') && t.after.contains(b'x') && t.after.len() == 1);
        // The rarest: `x` between `[,;]` and `:`.
        let t = trio(&parse(r"[,;]x:[0-9]")).unwrap();
        assert!(t.mid.contains(b'x') && t.mid.len() == 1);
        assert!(t.before.contains(b',') && t.after.contains(b':'));
        // The first copy of a repeated group is opened.
        let t = trio(&parse(r"\b\d{1,3}(\.\d{3})+\b")).unwrap();
        assert!(t.mid.contains(b'.') && t.mid.len() == 1);
        assert!(t.before.contains(b'1') && t.after.contains(b'2') && !t.after.contains(b'.'));
        // What follows the first copy is another copy or `c`: not known.
        let t = trio(&parse(r"(a,)+c")).unwrap();
        assert!(t.after == any || !t.after.contains(b'c'));
        assert!(!t.mid.contains(b'c'));
        // Literals are cut into bytes, a non-ASCII char's too.
        let t = trio(&parse(r"é,")).unwrap();
        assert!(t.mid.contains(b',') && t.before.contains(0xA9) && t.after == any);
        // None: whitespace after punctuation, a space between common
        // bytes, a part that may be empty, a middle set wider than five
        // bytes or too common, an alternation on top.
        for re in [
            r", [a-z]",
            r",\s*[a-z]",
            r",[a-z]?",
            r"[a-f]x",
            r"[a-z] [a-z]",
            r"a,b|c;d",
        ] {
            assert!(trio(&parse(re)).is_none(), "{re}");
        }
    }

    #[test]
    fn byte_set_of_holds_every_byte_and_no_other() {
        let mut x: u32 = 12345;
        for len in [0, 1, 7, 64, 300, 5000] {
            let text: Vec<u8> = (0..len)
                .map(|_| {
                    x = x.wrapping_mul(1_103_515_245).wrapping_add(12345);
                    (x >> 16) as u8 >> (x % 3)
                })
                .collect();
            let mut want = ByteSet::default();
            for &b in &text {
                want.insert(b);
            }
            assert_eq!(ByteSet::of(&text), want);
        }
        for b in 0..=255u8 {
            let mut want = ByteSet::default();
            want.insert(b);
            assert_eq!(ByteSet::of(&[b, b]), want, "{b:#x}");
        }
        assert_eq!(ByteSet::of(b"\x00\xff"), {
            let mut s = ByteSet::default();
            s.insert(0);
            s.insert(255);
            s
        });
    }

    fn req(re: &str) -> Option<Required> {
        let hir = regex_syntax::ParserBuilder::new().build().parse(re).ok()?;
        required(&hir)
    }

    fn lits(re: &str) -> Option<Vec<String>> {
        req(re).map(|r| r.literals)
    }

    /// Every match of `re` in `hay` holds an occurrence of one of its
    /// literals that the prefilter admits (as the engine finds them: ASCII
    /// case-insensitively, then `admits`).
    fn sound(re: &str, hay: &str) {
        let r = regex::Regex::new(re).unwrap();
        let q = req(re).unwrap();
        let mut n = 0;
        for m in r.find_iter(hay) {
            n += 1;
            for q in std::iter::once(&q).chain(q.also.as_deref()) {
                let found = q.literals.iter().any(|lit| {
                    let low = hay.to_ascii_lowercase();
                    let l = lit.to_ascii_lowercase();
                    low.match_indices(l.as_str()).any(|(i, _)| {
                        let span = i..i + l.len();
                        span.start >= m.start() && span.end <= m.end() && q.admits(hay, &span, lit)
                    })
                });
                assert!(found, "{re}: {:?} {q:?}", m.as_str());
            }
        }
        assert!(n > 0, "{re} does not match {hay:?}");
    }

    #[test]
    fn a_second_condition_elsewhere() {
        let re = r"(?i)\b(France|Germany|the government) ([a-z]+ ){0,6}(she|her) (hopes|intends)\b";
        let q = req(re).unwrap();
        assert!(q.also.is_some(), "{q:?}");
        sound(
            re,
            "France, which is big, she hopes. THE GOVERNMENT her intends.",
        );
        let re = r"(?i)\b(has|have) (said|declared) (on (Monday|Tuesday)|yesterday)\b";
        sound(re, "He has said yesterday, they have declared on Monday.");
        // Alternation: each branch gives its second set, or its first.
        let re = r"(?i)\bsecurity device (was|were) deployed\b|\bhuge police device\b";
        sound(
            re,
            "The security device was deployed; a huge police device.",
        );
    }

    #[test]
    fn case_and_word_boundaries_are_kept() {
        let q = req(r"\b(french|german)\b").unwrap();
        assert!(q.case_sensitive && q.word_start && q.word_end, "{q:?}");
        let t = "The French and the french.";
        let i = t.find("French").unwrap();
        assert!(!q.admits(t, &(i..i + 6), "french"));
        let i = t.find("french").unwrap();
        assert!(q.admits(t, &(i..i + 6), "french"));
        let t = "frenchman";
        assert!(!q.admits(t, &(0..6), "french"));
        sound(r"\b(french|german)\b", "a french cook");
        let q = req(r"(?i)\bvers\b").unwrap();
        assert!(!q.case_sensitive && q.word_start && q.word_end);
        assert!(!q.admits("covers", &(2..6), "vers"));
        sound(r"(?i)\bvers\b", "Vers la fin, VERS x");
        let q = req(r"\w+ation of").unwrap();
        assert!(!q.word_start);
        sound(r"\w+ation of", "the creation of");
        sound(r"[!?]{2,}|\.{4,}", "What?! Wait.... no!!");
        assert_eq!(
            lits(r"[!?]{2,}|\.{4,}").unwrap(),
            ["!!", "!?", "....", "?!", "??"]
        );
        sound(
            r"(?i)\b(is|was) actually (in|at)\b",
            "He IS actually in Kyiv.",
        );
    }

    #[test]
    fn case_insensitive_classes_collapse() {
        let l = lits(r"(?i)\b(he|she) would have (?P<v>\w+)").unwrap();
        assert!(l.iter().all(|x| x.contains("would have")), "{l:?}");
        sound(
            r"(?i)\b(he|she) would have (?P<v>\w+)",
            "SHE Would have gone.",
        );
        assert!(lits(r"\w+ \d").is_none());
        assert_eq!(lits(r"(?i)kiev").unwrap(), ["kiev"]);
    }

    #[test]
    fn common_words_are_poor_literals() {
        assert!(COMMON.windows(2).all(|w| w[0] < w[1]));
        let re = r"(?i)\bthe ([1-9]|[12][0-9]|3[01]) (January|February|March|May)\b";
        let l = lits(re).unwrap();
        assert!(l.iter().any(|x| x.trim() == "may"), "{l:?}");
        sound(re, "On the 3 May, and THE 30 MARCH.");
    }

    #[test]
    fn inner_literal_is_found() {
        let re = r"(?i)\b(is|are|was|were|remains?) actually (in|at|on|under|being|held|detained|hospitali[sz]ed|negotiating|working|living|based|closed|open|unavailable)\b";
        let l = lits(re).unwrap();
        assert_eq!(l, [" actually "]);
        sound(
            re,
            "The minister IS actually in Kyiv; they were actually held.",
        );
    }

    #[test]
    fn optional_and_repeated_parts() {
        sound(
            r"(?i)\bremains? (?:x+)firm",
            "It remains xxxfirm, REMAIN xfirm.",
        );
        sound(r"colou?r", "color colour");
        assert!(lits(r"a*b*").is_none());
        assert_eq!(lits(r"(?:ab|\w)cd").unwrap(), ["cd"]);
    }

    /// A paragraph that matches meets every needed set; the sets filter
    /// paragraphs that cannot match.
    #[test]
    fn needed_bytes() {
        let cases = [
            (
                r"\b([01]?\d|2[0-3]) ?h ?([0-5]\d)\b",
                "at 14h30 sharp",
                "at two sharp",
            ),
            (
                r"\b\d{1,3}(\.\d{3})+\b",
                "1.000 people",
                "one thousand. people",
            ),
            (
                r"[A-Za-z0-9)»”'’][ \u00A0\u202F]:(\s|$)",
                "he said : yes",
                "he said yes",
            ),
            (
                r"“[^”\n]{10,400}(said|told)",
                "“We will go, said X",
                "We said",
            ),
            (r"(?i)\bcafé\b", "CAFÉ", "cafe"),
        ];
        for (re, yes, no) in cases {
            let hir = regex_syntax::ParserBuilder::new()
                .build()
                .parse(re)
                .unwrap();
            let n = needs(&hir);
            let r = regex::Regex::new(re).unwrap();
            assert!(r.is_match(yes) && !r.is_match(no));
            let ok = |t: &str| n.iter().all(|s| s.meets(&ByteSet::of(t.as_bytes())));
            assert!(ok(yes), "{re}: {yes}");
            assert!(!ok(no), "{re}: {no} {n:?}");
        }
        let hir = regex_syntax::ParserBuilder::new()
            .build()
            .parse(r"\w+ \w+")
            .unwrap();
        assert!(needs(&hir).is_empty());
    }

    #[test]
    fn relaxed_drops_word_boundaries_only() {
        let hir = regex_syntax::ParserBuilder::new()
            .build()
            .parse(r"\bcafé\b (?P<x>\w+)")
            .unwrap();
        let r = relaxed(&hir).unwrap();
        let re = regex::Regex::new(&r.to_string()).unwrap();
        assert!(re.is_match("xcafé yo"));
        assert!(!re.is_match("cafe yo"));
        let mut names = Vec::new();
        capture_names(&r, &mut names);
        assert_eq!(names, ["x"]);
        let plain = regex_syntax::ParserBuilder::new()
            .build()
            .parse(r"(?-u:\b)ab")
            .unwrap();
        assert!(relaxed(&plain).is_none());
    }
}

#[cfg(test)]
mod ascii_safe_tests {
    fn safe(re: &str) -> bool {
        let hir = regex_syntax::ParserBuilder::new()
            .build()
            .parse(re)
            .unwrap();
        super::ascii_safe(&hir)
    }

    #[test]
    fn uniform_classes_are_safe_and_specific_ones_are_not() {
        for re in [
            r"(?i)\bthe (\d+) (January|March)\b",
            r#"\w+ [^"]* .{0,3}\s\S\W"#,
            r"[A-Z][a-z]+",
            r"(?i)\bkeys?\b",
        ] {
            assert!(safe(re), "{re}");
        }
        for re in [
            r"(?i)\bsiècles?\b",
            r"\p{Lu}\w+",
            r"[“”]",
            r"[^’]+",
            r"[a-z_]+",
            r"(?-u:\s)",
            r"x_y",
        ] {
            assert!(!safe(re), "{re}");
        }
    }
}
