//! `pattern` and `boilerplate`: a regex (the `regex` crate: linear time, no
//! look-around) with named captures and suggestion templates.
//!
//! The engine runs a pattern only on paragraphs where one of its required
//! literals occurs (found by the shared Aho-Corasick pass); literals are
//! extracted from the regex or declared with `requires`.
//!
//! `boilerplate` is a pattern whose match runs to the end of its line and
//! whose fix deletes the whole line with the blank line that separates it.

use super::literals::{self, ByteSet, Reach, Required};
use super::prebuilt::{REGEX_SIZE_LIMIT, syntax_config};
use super::{Context, Ctx, Hit, HitSuggestion, render};
use crate::rules::{RuleSpec, Suggest, Where, WordList};
use crate::text::match_case;
use regex::Regex;
use regex_automata::dfa::{Automaton, dense};
use regex_automata::nfa::thompson::{self, backtrack, pikevm};
use regex_automata::nfa::thompson::{backtrack::BoundedBacktracker, pikevm::PikeVM};
use regex_automata::util::{captures::Captures, pool::Pool};
use regex_automata::{Input, PatternID, hybrid, meta};
use std::collections::{HashMap, HashSet};
use std::ops::Range;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, OnceLock};

include!(concat!(env!("OUT_DIR"), "/regex_digests.rs"));

/// The build-time analysis of a built-in regex (`None` for other regexes).
pub fn builtin_digest(src: &str) -> Option<&'static literals::Digest> {
    REGEX_DIGESTS
        .binary_search_by(|(k, _)| (*k).cmp(src))
        .ok()
        .map(|i| &REGEX_DIGESTS[i].1)
}

/// Where a built-in regex's dense DFA lies in `REGEX_DFA_BYTES`, with the
/// shortest and longest match of its NFA (see `prebuilt`).
pub struct Prebuilt {
    at: usize,
    len: usize,
    min_len: usize,
    max_len: Option<usize>,
}

/// Bytes aligned as the integers of a DFA's tables.
#[repr(C)]
struct Aligned<B: ?Sized> {
    _align: [u64; 0],
    bytes: B,
}

/// The dense DFA that `build.rs` made for `src` (for the ASCII view or
/// with Unicode), if any, with where it lies. `None` also when its bytes
/// do not read back (a target of another byte order): the regex is then
/// compiled.
fn builtin_dfa(src: &str, ascii: bool) -> Option<(dense::DFA<&'static [u32]>, &'static Prebuilt)> {
    let i = REGEX_DFAS
        .binary_search_by(|(k, a, _)| (*k, *a).cmp(&(src, ascii)))
        .ok()?;
    let p = &REGEX_DFAS[i].2;
    let bytes = REGEX_DFA_BYTES.bytes.get(p.at..p.at + p.len)?;
    let (dfa, _) = dense::DFA::from_bytes(bytes).ok()?;
    Some((dfa, p))
}

/// Each regex keeps a lazy-DFA cache per thread; the regex crate's default
/// (2 MiB) times hundreds of rules would dominate memory, and the
/// paragraphs a rule runs on need few states.
const DFA_CACHE: usize = 256 << 10;

/// A pattern regex compiled for the text (with Unicode), as the regex crate
/// compiles it: `check_regex` reports its errors, which name the problem
/// better than the meta builder's.
fn text_regex(src: &str) -> Result<Regex, regex::Error> {
    regex::RegexBuilder::new(src)
        .size_limit(REGEX_SIZE_LIMIT)
        .dfa_size_limit(DFA_CACHE)
        .build()
}

/// A pattern regex in the regex crate's engine (`regex_automata::meta`),
/// as the engine runs the regexes that [`Forward`] does not take, and the
/// groups of the matches of those that match often: with the regex
/// crate's semantics, without
/// Unicode for the ASCII view (`ascii`), and without the regex's own
/// literal prefilter. The engine runs a pattern only on paragraphs where
/// its literal occurs, so that prefilter would find again what the shared
/// automaton found; extracting and building it was ~60% of the time to
/// compile the built-in regexes. Nor does it build a full DFA for small
/// regexes: the lazy DFA searches paragraphs as fast once warm, and the
/// determinization cost 13% of the pattern phase on 8 MB of news and 6%
/// of the instructions of checking the seed article. The one-pass DFA
/// (for capture groups) is left out too: most regexes never match, and
/// building it cost more (seed article: -4.4% instructions; 8 MB: -0.5%,
/// with 8% fewer last-level cache misses on 100 news files) than the
/// backtracker it leaves the few matches to.
pub(crate) fn engine_regex(src: &str, ascii: bool) -> Result<meta::Regex, Box<meta::BuildError>> {
    let config = meta::Config::new()
        .nfa_size_limit(Some(REGEX_SIZE_LIMIT))
        .onepass_size_limit(Some(REGEX_SIZE_LIMIT))
        .hybrid_cache_capacity(DFA_CACHE)
        .utf8_empty(!ascii)
        .dfa(false)
        .onepass(false)
        .auto_prefilter(false);
    meta::Builder::new()
        .configure(config)
        .syntax(syntax_config(ascii))
        .build(src)
        .map_err(Box::new)
}

/// Why `src` does not compile as [`engine_regex`] builds it (for Unicode
/// text): in the regex crate's words when it rejects it too (they name the
/// problem better than the meta builder's), else the engine's size limit,
/// which is below the regex crate's.
pub(crate) fn why_not(src: &str, ascii: bool) -> String {
    match (text_regex(src), engine_regex(src, ascii)) {
        (Err(e), _) => e.to_string(),
        (Ok(_), Err(e)) => match e.size_limit() {
            Some(l) => format!("the compiled regex exceeds the size limit of {l} bytes"),
            None => e.to_string(),
        },
        (Ok(_), Ok(_)) => "does not compile".into(),
    }
}

/// A compiled pattern regex, for the ASCII view (see `literals::ascii_safe`)
/// or for the text.
pub struct Compiled {
    imp: Engine,
    /// Compiled without Unicode, to run on the ASCII view.
    pub ascii: bool,
}

enum Engine {
    /// Most regexes: see [`Forward`].
    Forward(Box<Forward>),
    /// A regex that can match the empty string, or one whose lazy DFA does
    /// not build: the regex crate's engine, which iterates empty matches
    /// by its UTF-8 rules.
    Meta(meta::Regex),
}

/// A regex compiled forward only: one NFA with its capture groups, searched
/// by a DFA (is there a match, and where does the first one end: most
/// searches find none; for a built-in regex, the dense DFA that build.rs
/// made, else a lazy DFA) and by the bounded backtracker (the PikeVM past its
/// limit) for the groups of a match, in the span that ends where the DFA
/// said. The regex crate's engine (`meta`, [`engine_regex`]) also
/// compiles the regex backwards, to find where a match starts before it
/// looks for the groups. Checking the seed article spent 42% of its
/// instructions compiling regexes that way; compiled forward only, it runs
/// 10.7% fewer (67.0 M to 59.8 M), and 2 MB of news 5.2% fewer. The
/// matches are the same: a span cut at the end of the leftmost-first match
/// still holds that match, and no match that starts before it.
///
/// The backtracker tries every start in the span it is given: 7,900
/// instructions a match on 8 MB of news (27 M in all, most of it for a
/// few regexes that match hundreds of times). After [`FULL_AFTER`]
/// matches of one regex, its groups are found by the regex crate's
/// engine, compiled then.
struct Forward {
    finder: Finder,
    /// The backtracker and PikeVM, for the groups of a match: compiled with
    /// the lazy DFA, or for a prebuilt DFA when it first finds a match
    /// (`None` if they do not compile: the regex crate's engine answers).
    groups: OnceLock<Option<Groups>>,
    min_len: usize,
    /// The longest match, if bounded: no match ends at `e` that starts
    /// before `e - max_len`, so the groups are searched for no further back.
    max_len: Option<usize>,
    caches: Pool<Caches, CacheFn>,
    /// Matches found so far, and the regex crate's engine (see `search`).
    found: AtomicUsize,
    full_after: usize,
    full: OnceLock<Option<meta::Regex>>,
    src: Box<str>,
    ascii: bool,
}

/// What finds where the first match ends.
enum Finder {
    /// Compiled at run time.
    Lazy(hybrid::dfa::DFA),
    /// Made by build.rs for a built-in regex or pretest (see `prebuilt`):
    /// nothing to compile, and no cache to fill.
    Dense(dense::DFA<&'static [u32]>),
}

struct Groups {
    bt: BoundedBacktracker,
    vm: PikeVM,
}

impl Groups {
    fn of(nfa: thompson::NFA) -> Option<Groups> {
        Some(Groups {
            bt: BoundedBacktracker::new_from_nfa(nfa.clone()).ok()?,
            vm: PikeVM::new_from_nfa(nfa).ok()?,
        })
    }
}

/// Matches of a regex searched for their groups by the backtracker before
/// the regex crate's engine is compiled for it: about what compiling it
/// costs (~600,000 instructions, ~75 backtracker searches), so that
/// neither way costs more than twice the better one. On 8 MB: 1,986.0 M
/// instructions with 16, 1,976.0 M with 64, 1,975.0 M with 128, 1,978.4 M
/// with 1,024.
const FULL_AFTER: usize = 64;

type CacheFn = Box<dyn Fn() -> Caches + Send + Sync>;

/// A thread's search state for one [`Forward`] regex (the lazy DFA's for
/// a [`Finder::Lazy`]; the others made when first needed: most regexes
/// never match).
struct Caches {
    dfa: Option<hybrid::dfa::Cache>,
    bt: Option<backtrack::Cache>,
    vm: Option<pikevm::Cache>,
    caps: Option<Captures>,
    full_caps: Option<Captures>,
}

impl Forward {
    /// `None` when the regex can match the empty string or its lazy DFA
    /// does not build: [`Engine::Meta`] takes it.
    /// With `prebuilt`, a built-in regex takes the DFA that build.rs made
    /// for it, if any (see `super::prebuilt`).
    fn new(src: &str, ascii: bool, prebuilt: bool) -> Option<Forward> {
        if prebuilt && let Some((dfa, p)) = builtin_dfa(src, ascii) {
            return Some(Forward::with(
                Finder::Dense(dfa),
                OnceLock::new(),
                (p.min_len, p.max_len),
                src,
                ascii,
            ));
        }
        let (nfa, min_len, max_len) = super::prebuilt::forward_nfa(src, ascii)?;
        // The regex crate's settings for its lazy DFA: it gives up (and the
        // PikeVM answers) on a Unicode word boundary next to a non-ASCII
        // byte, or when it keeps clearing its cache.
        let dfa = hybrid::dfa::Builder::new()
            .configure(
                hybrid::dfa::Config::new()
                    .unicode_word_boundary(true)
                    .cache_capacity(DFA_CACHE)
                    .skip_cache_capacity_check(false)
                    .minimum_cache_clear_count(Some(3))
                    .minimum_bytes_per_state(Some(10)),
            )
            .build_from_nfa(nfa.clone())
            .ok()?;
        let groups = Groups::of(nfa)?;
        Some(Forward::with(
            Finder::Lazy(dfa),
            OnceLock::from(Some(groups)),
            (min_len, max_len),
            src,
            ascii,
        ))
    }

    fn with(
        finder: Finder,
        groups: OnceLock<Option<Groups>>,
        (min_len, max_len): (usize, Option<usize>),
        src: &str,
        ascii: bool,
    ) -> Forward {
        let lazy = match &finder {
            Finder::Lazy(d) => Some(d.clone()),
            Finder::Dense(_) => None,
        };
        let caches: CacheFn = Box::new(move || Caches {
            dfa: lazy.as_ref().map(|d| d.create_cache()),
            bt: None,
            vm: None,
            caps: None,
            full_caps: None,
        });
        Forward {
            finder,
            groups,
            min_len,
            max_len,
            caches: Pool::new(caches),
            found: AtomicUsize::new(0),
            full_after: FULL_AFTER,
            full: OnceLock::new(),
            src: src.into(),
            ascii,
        }
    }

    fn groups(&self) -> Option<&Groups> {
        self.groups
            .get_or_init(|| {
                let (nfa, ..) = super::prebuilt::forward_nfa(&self.src, self.ascii)?;
                Groups::of(nfa)
            })
            .as_ref()
    }

    /// Where the leftmost-first match in `input` ends; an error when the
    /// lazy DFA gave up.
    fn find_end(
        &self,
        c: &mut Caches,
        input: &Input,
    ) -> Result<Option<regex_automata::HalfMatch>, regex_automata::MatchError> {
        match (&self.finder, &mut c.dfa) {
            (Finder::Dense(d), _) => d.try_search_fwd(input),
            (Finder::Lazy(d), Some(cache)) => d.try_search_fwd(cache, input),
            (Finder::Lazy(_), None) => Err(regex_automata::MatchError::gave_up(input.start())),
        }
    }

    fn is_match(&self, c: &mut Caches, input: &Input) -> bool {
        if input.get_span().len() < self.min_len {
            return false;
        }
        let input = input.clone().earliest(true);
        match self.find_end(c, &input) {
            Ok(m) => m.is_some(),
            Err(_) => match self.groups() {
                Some(g) => {
                    let vm = c.vm.get_or_insert_with(|| g.vm.create_cache());
                    g.vm.is_match(vm, input)
                }
                None => self
                    .full
                    .get_or_init(|| engine_regex(&self.src, self.ascii).ok())
                    .as_ref()
                    .is_some_and(|re| re.is_match(input)),
            },
        }
    }

    /// The groups of the leftmost-first match in `input` (0 = the whole
    /// match).
    fn search(&self, c: &mut Caches, input: &Input) -> Option<Vec<Option<Range<usize>>>> {
        // Where the match ends, if the DFA did not give up.
        let end = match self.find_end(c, input) {
            Ok(None) => return None,
            Ok(Some(m)) => Some(m.offset()),
            Err(_) => None,
        };
        let start = match (end, self.max_len) {
            (Some(e), Some(l)) => input.start().max(e.saturating_sub(l)),
            _ => input.start(),
        };
        let end = end.unwrap_or(input.end());
        let cut = input.clone().range(start..end);
        // Past a few matches, the regex crate's engine, which finds the
        // start with a reverse DFA, costs less than the backtracker.
        let nfa = self.groups();
        if (self.found.fetch_add(1, Ordering::Relaxed) >= self.full_after || nfa.is_none())
            && let Some(re) = self
                .full
                .get_or_init(|| engine_regex(&self.src, self.ascii).ok())
        {
            let caps = c.full_caps.get_or_insert_with(|| re.create_captures());
            re.search_captures(&cut, caps);
            return caps.is_match().then(|| groups(caps));
        }
        let g = nfa?;
        let caps = c
            .caps
            .get_or_insert_with(|| Captures::all(g.vm.get_nfa().group_info().clone()));
        let bt = c.bt.get_or_insert_with(|| g.bt.create_cache());
        if g.bt.try_search(bt, &cut, caps).is_err() {
            let vm = c.vm.get_or_insert_with(|| g.vm.create_cache());
            g.vm.search(vm, &cut, caps);
        }
        caps.is_match().then(|| groups(caps))
    }
}

/// The groups of every match that `search` finds in `windows` of `hay`
/// (sorted, disjoint), each search starting where the last match ended.
/// A match is never empty (see `Compiled::captures_in`): the search moves
/// on.
fn each_match(
    hay: &str,
    windows: &[Range<usize>],
    mut search: impl FnMut(&Input) -> Option<Vec<Option<Range<usize>>>>,
) -> Vec<Vec<Option<Range<usize>>>> {
    let mut out = Vec::new();
    let mut at = 0;
    for w in windows {
        let mut from = w.start.max(at);
        while from < w.end {
            let input = Input::new(hay.as_bytes()).span(from..w.end);
            let Some(g) = search(&input) else {
                break;
            };
            at = g
                .first()
                .cloned()
                .flatten()
                .map_or(w.end, |m| m.end)
                .max(from + 1);
            out.push(g);
            from = at;
        }
    }
    out
}

/// The byte ranges of the groups of a match (0 = the whole match).
fn groups(caps: &Captures) -> Vec<Option<Range<usize>>> {
    (0..caps.group_len())
        .map(|g| caps.get_group(g).map(|s| s.range()))
        .collect()
}

impl std::fmt::Debug for Compiled {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let engine = match self.imp {
            Engine::Forward(_) => "forward",
            Engine::Meta(_) => "meta",
        };
        write!(f, "Compiled({engine}, ascii: {})", self.ascii)
    }
}

impl Compiled {
    /// `src` compiled for the ASCII view (`ascii`) or for the text; `None`
    /// when it does not compile (see [`why_not`]).
    pub(crate) fn new(src: &str, ascii: bool) -> Option<Compiled> {
        Compiled::build(src, ascii, true)
    }

    /// `new`, or with `prebuilt` false, without a DFA made by build.rs.
    fn build(src: &str, ascii: bool, prebuilt: bool) -> Option<Compiled> {
        let imp = match Forward::new(src, ascii, prebuilt) {
            Some(f) => Engine::Forward(Box::new(f)),
            None => Engine::Meta(engine_regex(src, ascii).ok()?),
        };
        Some(Compiled { imp, ascii })
    }

    pub(crate) fn is_match(&self, input: Input) -> bool {
        match &self.imp {
            Engine::Forward(f) => {
                let mut c = f.caches.get();
                f.is_match(&mut c, &input)
            }
            Engine::Meta(re) => re.is_match(input),
        }
    }

    /// Every match, as the byte ranges of its groups (0 = the whole match).
    fn captures(&self, hay: &str) -> Vec<Vec<Option<Range<usize>>>> {
        match &self.imp {
            Engine::Forward(_) => self.captures_in(hay, std::slice::from_ref(&(0..hay.len()))),
            // It may match empty: the regex crate's iterator steps past such
            // matches by its rules.
            Engine::Meta(re) => re
                .captures_iter(hay.as_bytes())
                .map(|c| groups(&c))
                .collect(),
        }
    }

    /// `captures` restricted to `windows` of `hay` (sorted, disjoint),
    /// with look-around seeing past their edges: the same matches as
    /// `captures` when every match lies within a window (see
    /// `Pattern::windows`). Needs a regex that cannot match empty.
    fn captures_in(&self, hay: &str, windows: &[Range<usize>]) -> Vec<Vec<Option<Range<usize>>>> {
        match &self.imp {
            Engine::Forward(f) => {
                let mut c = f.caches.get();
                each_match(hay, windows, |input| f.search(&mut c, input))
            }
            Engine::Meta(re) => {
                // Made at the first match: most searches find none.
                let mut caps = None;
                each_match(hay, windows, |input| {
                    if caps.is_none() && !re.is_match(input.clone()) {
                        return None;
                    }
                    let caps = caps.get_or_insert_with(|| re.create_captures());
                    re.search_captures(input, caps);
                    caps.is_match().then(|| groups(caps))
                })
            }
        }
    }

    fn find_iter(&self, hay: &str) -> Vec<Range<usize>> {
        match &self.imp {
            Engine::Forward(_) => self
                .captures(hay)
                .into_iter()
                .filter_map(|g| g.first().cloned().flatten())
                .collect(),
            Engine::Meta(re) => re.find_iter(hay.as_bytes()).map(|m| m.range()).collect(),
        }
    }

    fn group_index(&self, name: &str) -> Option<usize> {
        let info = match &self.imp {
            Engine::Forward(f) => f.groups()?.vm.get_nfa().group_info(),
            Engine::Meta(re) => re.group_info(),
        };
        info.to_index(PatternID::ZERO, name)
    }
}

/// Named word lists for `where` conditions and scan kinds.
pub type Lists = HashMap<String, Arc<Words>>;

/// A word list, one word a line (blank lines and `#` comments aside),
/// looked up lower-cased and built on first use: most runs look up few of
/// its words or none, so parsing them all at start-up is wasted work.
///
/// A built-in list that is already in lookup form (its words trimmed,
/// lower-case, in byte order, no duplicates: what `rules/lists/*.txt`
/// holds, and a test checks) is searched in place: its lines are cut once
/// and binary searched. Hashing a lower-cased copy of every word of
/// `en-verbs` cost 9.4 M instructions, a tenth of checking the seed
/// article, which now runs 6.7 M fewer. Any other list becomes a set.
pub struct Words {
    text: std::borrow::Cow<'static, str>,
    set: OnceLock<Lookup>,
}

enum Lookup {
    Sorted(Vec<&'static str>),
    Set(HashSet<String>),
}

/// The words of a list: trimmed lines, no blank line, no comment.
fn list_words(text: &str) -> impl Iterator<Item = &str> {
    text.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
}

/// The words of `text`, if they are in lookup form: lower-case, strictly
/// increasing in byte order.
fn sorted_words(text: &'static str) -> Option<Vec<&'static str>> {
    let words: Vec<&'static str> = list_words(text).collect();
    let lower = |w: &str| {
        !w.bytes().any(|b| b.is_ascii_uppercase()) && (w.is_ascii() || w.to_lowercase() == w)
    };
    (words.windows(2).all(|p| p[0] < p[1]) && words.iter().all(|w| lower(w))).then_some(words)
}

impl Words {
    pub fn new(text: impl Into<std::borrow::Cow<'static, str>>) -> Words {
        Words {
            text: text.into(),
            set: OnceLock::new(),
        }
    }
    /// A list of the given words.
    pub fn of(words: &[String]) -> Words {
        let w = Words::new(String::new());
        let _ = w.set.set(Lookup::Set(
            words.iter().map(|x| x.to_lowercase()).collect(),
        ));
        w
    }
    /// The text of a list compiled into the binary (`None` for user lists).
    pub fn builtin_text(&self) -> Option<&'static str> {
        match self.text {
            std::borrow::Cow::Borrowed(t) => Some(t),
            std::borrow::Cow::Owned(_) => None,
        }
    }
    /// Whether the list holds `w` (lower case).
    pub fn contains(&self, w: &str) -> bool {
        let lookup = self.set.get_or_init(|| {
            if let Some(words) = self.builtin_text().and_then(sorted_words) {
                return Lookup::Sorted(words);
            }
            Lookup::Set(list_words(&self.text).map(str::to_lowercase).collect())
        });
        match lookup {
            Lookup::Sorted(v) => v.binary_search(&w).is_ok(),
            Lookup::Set(s) => s.contains(w),
        }
    }
}

struct Cond {
    group: String,
    in_list: Option<Arc<Words>>,
    not_in: Option<Arc<Words>>,
    not_suffix: Vec<String>,
}

pub struct Pattern {
    /// The regex as given (with `(?m)` for boilerplate); compiled on first
    /// use, since most rules never pass the prefilter of a document and
    /// compiling hundreds of regexes up front dominates start-up.
    source: String,
    regex: OnceLock<Option<Compiled>>,
    /// For a regex that runs on the text and has a Unicode `\b` (which
    /// sends the regex crate's lazy DFA to a slower engine on non-ASCII
    /// text): the same regex without it, a DFA-speed test that rules out
    /// most paragraphs (see `literals::relaxed`). Built on first use.
    relaxed: OnceLock<Option<Compiled>>,
    span_group: Option<String>,
    templates: Vec<String>,
    conds: Vec<Cond>,
    maps: HashMap<String, HashMap<String, String>>,
    strict_maps: bool,
    context: Context,
    /// The prefilter: literals one of which occurs in every match (see
    /// `literals::required`), or declared with `requires`; `None` = run on
    /// every paragraph.
    pub literals: Option<Required>,
    /// Byte sets a paragraph must meet for the regex to match there (for
    /// rules with no literal).
    needs: Vec<Need>,
    /// The regex matches the same on a `text::AsciiView` (see
    /// `literals::ascii_safe`): run it there, in the lazy DFA.
    pub ascii_safe: bool,
    pub boilerplate: bool,
    reach: Reach,
    /// Search only around the occurrences of the literals (see
    /// `Pattern::windows`), not whole paragraphs.
    pub windowed: bool,
    /// Three adjacent bytes every match holds (see `literals::trio`),
    /// tested before a paragraph is searched whole.
    trio: Option<Trio>,
    /// For a regex whose matches are single words: the bytes they start
    /// with (see `literals::word_lead`).
    word_lead: Option<ByteSet>,
}

/// A set of bytes of which a paragraph must hold one (see
/// `literals::needs`). Met against the paragraph's byte set when there is
/// one; otherwise a set of up to five bytes is looked for in the paragraph
/// with memchr, which stops at the first (most paragraphs hold a comma
/// early), and a larger one makes the paragraph's set.
struct Need {
    set: ByteSet,
    finder: Option<crate::text::ByteFinder>,
}

impl Need {
    fn new(set: ByteSet) -> Need {
        Need {
            finder: crate::text::ByteFinder::new(&set.bytes()),
            set,
        }
    }
}

/// A byte of a few (found by `finder`) right after a byte of `before` and
/// right before a byte of `after` (`None`: any byte, or none).
struct Trio {
    /// For a middle byte rarer than a comma: the finder of its bytes.
    finder: Option<crate::text::ByteFinder>,
    /// Each byte's sets: bit 0 `before`, bit 1 the middle, bit 2 `after`.
    flags: [u8; 256],
    /// `before` (`after`) is any byte, or none: the match may start (end)
    /// at the middle byte.
    any_before: bool,
    any_after: bool,
    /// For a common middle byte (a space) beside a rarer set (digits):
    /// up to two byte ranges that hold the rarer set, found sixteen bytes
    /// at a time (`super::masks`), and where the middle byte lies from a
    /// byte of theirs (+1 from `before`, 0 from the middle, -1 from
    /// `after`).
    anchor: Option<(Vec<super::Class>, isize)>,
}

/// One or two byte ranges that hold every byte of `s`: its ASCII bytes
/// from the lowest to the highest, and likewise its other bytes. Found
/// sixteen bytes at a time by [`super::masks`]; with the weight of the
/// bytes they hold.
fn cover(s: &ByteSet) -> (Vec<super::Class>, f64) {
    let (ascii, other): (Vec<u8>, Vec<u8>) = s.bytes().into_iter().partition(u8::is_ascii);
    let mut ranges = Vec::new();
    let mut set = ByteSet::default();
    for part in [ascii, other] {
        if let (Some(&lo), Some(&hi)) = (part.first(), part.last()) {
            ranges.push(super::Class::Range(lo, hi));
            set.insert_range(lo, hi);
        }
    }
    (ranges, set.weight())
}

impl Trio {
    fn new(t: literals::Trio) -> Trio {
        let bytes = t.mid.bytes();
        let mut flags = [0u8; 256];
        for (b, f) in (0..=255u8).zip(flags.iter_mut()) {
            *f = u8::from(t.before.contains(b))
                | (u8::from(t.mid.contains(b)) << 1)
                | (u8::from(t.after.contains(b)) << 2);
        }
        let finder = (t.mid.weight() <= FIND_MID)
            .then(|| crate::text::ByteFinder::new(&bytes))
            .flatten();
        // Without a finder (a space, digits in the middle): the rarest of
        // the three sets as byte ranges, if rare enough. Its bytes are
        // found a block at a time, and the trio tested around each, instead
        // of walking every byte.
        let anchor = [(&t.before, 1), (&t.mid, 0), (&t.after, -1)]
            .into_iter()
            .filter(|(s, _)| **s != ByteSet::ALL && finder.is_none())
            .map(|(s, to_mid)| (cover(s), to_mid))
            .min_by(|a, b| a.0.1.total_cmp(&b.0.1))
            .filter(|((_, w), _)| *w <= ANCHOR_MAX)
            .map(|((ranges, _), to_mid)| (ranges, to_mid));
        Trio {
            any_before: t.before == ByteSet::ALL,
            any_after: t.after == ByteSet::ALL,
            finder,
            flags,
            anchor,
        }
    }

    /// Whether `para` holds the three bytes.
    fn admits(&self, para: &[u8]) -> bool {
        let flag = |i: usize| para.get(i).map_or(0, |&b| self.flags[usize::from(b)]);
        let at = |i: usize| {
            (self.any_before || i.checked_sub(1).is_some_and(|j| flag(j) & 1 != 0))
                && (self.any_after || flag(i + 1) & 4 != 0)
        };
        if let Some((ranges, to_mid)) = &self.anchor {
            for (bi, chunk) in para.chunks(64).enumerate() {
                let [mut m] = super::masks(chunk, [ranges.as_slice()]);
                while m != 0 {
                    let j = (bi * 64 + m.trailing_zeros() as usize).wrapping_add_signed(*to_mid);
                    m &= m - 1;
                    if flag(j) & 2 != 0 && at(j) {
                        return true;
                    }
                }
            }
            return false;
        }
        if let Some(finder) = &self.finder {
            let mut from = 0;
            while let Some(i) = finder.find(para, from) {
                if at(i) {
                    return true;
                }
                from = i + 1;
            }
            return false;
        }
        // A common middle byte: one walk, each byte's flags looked up once,
        // the three in a row tested without a branch.
        let Some(end) = para.len().checked_sub(1) else {
            return false;
        };
        if (flag(0) & 2 != 0 && at(0)) || (flag(end) & 2 != 0 && at(end)) {
            return true;
        }
        let (mut a, mut b) = (flag(0), flag(1));
        for chunk in para.get(2..).unwrap_or_default().chunks(64) {
            let mut hit = 0;
            for &c in chunk {
                let c = self.flags[usize::from(c)];
                hit |= a & (b >> 1) & (c >> 2);
                (a, b) = (b, c);
            }
            if hit & 1 != 0 {
                return true;
            }
        }
        false
    }
}

/// A trio is tested around the bytes of its rarest set (as [`cover`]'s
/// ranges) when they weigh at most this (a space weighs 1).
const ANCHOR_MAX: f64 = 0.5;

/// Most chars walked back to a word's start in `Pattern::lead_admits`.
const LEAD_WALK: usize = 64;

/// A middle byte this rare (`ByteSet::weight`, a comma's) is looked for
/// with the byte finder; a more common one (a space), with one table walk.
const FIND_MID: f64 = 0.06;

fn resolve(list: &WordList, lists: &Lists) -> Result<Arc<Words>, String> {
    match list {
        WordList::Inline(v) => Ok(Arc::new(Words::of(v))),
        WordList::Named(n) => lists
            .get(n)
            .cloned()
            .ok_or_else(|| format!("unknown word list `{n}`")),
    }
}

impl Pattern {
    pub fn compile(spec: &RuleSpec, lists: &Lists) -> Result<Pattern, (String, String)> {
        let src = spec.regex.as_deref().ok_or((
            "regex".to_string(),
            format!("a {} rule needs `regex`", spec.kind),
        ))?;
        let boilerplate = spec.kind == "boilerplate";
        let full = if boilerplate {
            format!("(?m){src}")
        } else {
            src.to_string()
        };
        // The analysis of the regex (capture names, prefilter literals,
        // whether it may run on the ASCII view): from build time for the
        // built-in packs, else from parsing it now (which checks its syntax).
        // It is compiled on first use (see `regex`).
        let (capture_names, auto, needs, ascii_safe, reach, trio, word_lead) =
            match builtin_digest(&full) {
                Some(d) => (
                    d.names.iter().map(|s| s.to_string()).collect(),
                    d.required(),
                    d.needs.iter().map(|n| ByteSet(*n)).collect(),
                    d.ascii_safe,
                    d.reach,
                    d.trio(),
                    d.word_lead.map(ByteSet),
                ),
                None => {
                    let hir = regex_syntax::ParserBuilder::new()
                        .build()
                        .parse(&full)
                        .map_err(|e| ("regex".to_string(), format!("bad regex: {e}")))?;
                    let mut names = Vec::new();
                    literals::capture_names(&hir, &mut names);
                    (
                        names,
                        literals::required(&hir),
                        literals::needs(&hir),
                        literals::ascii_safe(&hir),
                        Reach::of(&hir),
                        literals::trio(&hir),
                        literals::word_lead(&hir),
                    )
                }
            };
        let names: HashSet<&str> = capture_names.iter().map(|n| n.as_str()).collect();
        if let Some(g) = &spec.span
            && !names.contains(g.as_str())
        {
            return Err((
                "span".into(),
                format!("no capture named `{g}` in the regex"),
            ));
        }
        let mut conds = Vec::new();
        for (
            g,
            Where {
                in_list,
                not_in,
                not_suffix,
            },
        ) in &spec.where_
        {
            if !names.contains(g.as_str()) {
                return Err((
                    "where".into(),
                    format!("no capture named `{g}` in the regex"),
                ));
            }
            conds.push(Cond {
                group: g.clone(),
                in_list: in_list
                    .as_ref()
                    .map(|l| resolve(l, lists))
                    .transpose()
                    .map_err(|e| ("where".to_string(), e))?,
                not_in: not_in
                    .as_ref()
                    .map(|l| resolve(l, lists))
                    .transpose()
                    .map_err(|e| ("where".to_string(), e))?,
                not_suffix: not_suffix.iter().map(|s| s.to_lowercase()).collect(),
            });
        }
        let templates = match &spec.suggest {
            None => vec![],
            Some(Suggest::One(s)) => vec![s.clone()],
            Some(Suggest::Many(v)) => v.clone(),
            Some(Suggest::Map(_)) => {
                return Err((
                    "suggest".into(),
                    "a pattern rule's `suggest` is a template or a list of them".into(),
                ));
            }
        };
        let maps = spec
            .maps
            .iter()
            .map(|(k, m)| {
                (
                    k.clone(),
                    m.iter()
                        .map(|(a, b)| (a.to_lowercase(), b.clone()))
                        .collect(),
                )
            })
            .collect();
        let context = Context::new(
            spec.unless.as_deref(),
            &spec.unless_before,
            &spec.unless_after,
        )
        .map_err(|e| ("unless".to_string(), e))?;
        // `requires` is a prefilter hint for regexes whose literals cannot
        // be extracted; extracted ones are exact, and rarer.
        let declared = (!spec.requires.is_empty()).then(|| Required {
            literals: spec
                .requires
                .iter()
                .map(|s| s.to_ascii_lowercase())
                .collect(),
            case_sensitive: false,
            word_start: false,
            word_end: false,
            also: None,
        });
        // Only extracted literals are known to occur in every match; a
        // declared one is a hint, so its rule searches whole paragraphs.
        let windowed = auto.is_some() && reach.bounded();
        let extracted = auto.is_some();
        let literals = auto.or(declared);
        let needs = if literals.is_none() {
            needs.into_iter().map(Need::new).collect()
        } else {
            Vec::new()
        };
        // The trio is of the text's bytes, which a regex that runs on the
        // ASCII view matches alike (`ascii_safe`).
        // An extracted literal already holds most such bytes: the test is
        // for rules with none, or with declared ones.
        let trio = trio.filter(|_| !extracted).map(Trio::new);
        Ok(Pattern {
            source: full,
            regex: OnceLock::new(),
            relaxed: OnceLock::new(),
            span_group: spec.span.clone(),
            templates,
            conds,
            maps,
            strict_maps: spec.strict_maps,
            context,
            literals,
            needs,
            ascii_safe,
            boilerplate,
            reach,
            windowed,
            trio,
            word_lead,
        })
    }

    /// Whether a literal found at `at` in `text` may lie in a match, as
    /// far as the first byte of the word it is in tells (see
    /// `literals::word_lead`); true for other rules.
    pub fn lead_admits(&self, text: &str, at: usize) -> bool {
        let Some(lead) = &self.word_lead else {
            return true;
        };
        // Back to the word's start, no further than a long word's length
        // (past that, admit: a run of letters would be walked again for
        // each occurrence in it).
        let before = text.get(..at).unwrap_or_default();
        let mut start = at;
        for (n, (i, c)) in before.char_indices().rev().enumerate() {
            if n == LEAD_WALK {
                return true;
            }
            if !regex_syntax::is_word_character(c) {
                break;
            }
            start = i;
        }
        text.as_bytes()
            .get(start)
            .is_some_and(|&b| lead.contains(b))
    }

    /// Whether a paragraph (its bytes) may hold a match as far as the
    /// rule's three bytes tell (see `literals::trio`); true for a rule
    /// without them.
    pub fn trio_admits(&self, para: &[u8]) -> bool {
        self.trio.as_ref().is_none_or(|t| t.admits(para))
    }

    /// Whether the rule has byte sets to meet (see [`Pattern::needs_met`]).
    pub fn has_needs(&self) -> bool {
        !self.needs.is_empty()
    }

    /// Whether a paragraph (its bytes) holds a byte of each set every
    /// match needs (rules with no literal); true for a rule without them.
    /// `all` is the paragraph's byte set, made on first use and kept for
    /// the next rule.
    #[inline]
    pub fn needs_met(&self, para: &[u8], all: &mut Option<ByteSet>) -> bool {
        if let Some(set) = all {
            return self.needs.iter().all(|n| set.meets(&n.set));
        }
        self.needs.iter().all(|n| match &n.finder {
            Some(f) => f.find(para, 0).is_some(),
            None => all.get_or_insert_with(|| ByteSet::of(para)).meets(&n.set),
        })
    }

    /// Whether the regex is compiled (or known not to compile).
    pub fn is_compiled(&self) -> bool {
        self.regex.get().is_some()
    }

    /// The compiled regex, compiled on first use. `None` when it does not
    /// compile (an unknown Unicode class, the size limit): `calque
    /// test-rules` reports that through [`Pattern::check_regex`].
    pub fn regex(&self) -> Option<&Compiled> {
        self.regex
            .get_or_init(|| {
                // A regex that matches alike on the ASCII view runs there,
                // compiled without Unicode: every byte it sees is ASCII, so
                // `\w`, `\b` and `(?i)` mean the same, and it compiles and
                // runs several times faster than with Unicode classes.
                if self.ascii_safe
                    && let Some(re) = Compiled::new(&self.source, true)
                {
                    return Some(re);
                }
                Compiled::new(&self.source, false)
            })
            .as_ref()
    }

    fn relaxed(&self) -> Option<&Compiled> {
        self.relaxed
            .get_or_init(|| {
                let hir = regex_syntax::ParserBuilder::new()
                    .build()
                    .parse(&self.source)
                    .ok()?;
                let relaxed = literals::relaxed(&hir)?;
                Compiled::new(&relaxed.to_string(), false)
            })
            .as_ref()
    }

    fn build(&self) -> Result<Regex, regex::Error> {
        text_regex(&self.source)
    }

    /// For each text, the byte ranges of the regex's matches as the engine
    /// finds them (on the ASCII view when it runs there), and as the regex
    /// crate finds them on the text itself with Unicode: the two must agree.
    pub fn matches_both_ways(&self, texts: &[String]) -> Vec<[Vec<Range<usize>>; 2]> {
        let unicode = self.build().ok();
        texts
            .iter()
            .map(|text| {
                let u = unicode
                    .as_ref()
                    .map(|r| r.find_iter(text).map(|m| m.range()).collect())
                    .unwrap_or_default();
                let e = match self.regex() {
                    Some(r) if r.ascii => {
                        let v = crate::text::AsciiView::new(text);
                        r.find_iter(&v.text)
                            .into_iter()
                            .map(|m| v.to_text(m.start)..v.to_text(m.end))
                            .collect()
                    }
                    Some(r) => r.find_iter(text),
                    None => Vec::new(),
                };
                [e, u]
            })
            .collect()
    }

    /// Compile the regexes now and report why one does not compile.
    pub fn check_regex(&self) -> Result<(), String> {
        if self.regex().is_none() {
            return Err(format!("bad regex: {}", why_not(&self.source, false)));
        }
        self.context.check()
    }

    /// The spans of `hay` that a match containing one of the occurrences
    /// `near` can cover (sorted, merged): no further than the regex's
    /// longest match from the occurrence, nor past more whitespace than a
    /// match can hold, nor past a byte that no match holds.
    fn windows(&self, hay: &str, near: impl Iterator<Item = Range<usize>>) -> Vec<Range<usize>> {
        let b = hay.as_bytes();
        let is_space = |c: u8| matches!(c, b' ' | b'\t' | b'\n' | b'\r' | 0x0B | 0x0C);
        // Bytes looked at to place the windows, at most a few times the
        // paragraph (a long run without spaces would otherwise be read
        // again for each occurrence in it): past that, search it whole.
        let budget = 4 * b.len() + 4096;
        let mut looked = 0;
        let walk = self.reach.max_spaces.is_some() || self.reach.stops_at_punctuation();
        let mut windows: Vec<Range<usize>> = Vec::with_capacity(near.size_hint().0);
        for o in near {
            let (start, end) = (o.start.min(b.len()), o.end.min(b.len()));
            let (mut lo, mut hi) = match self.reach.max_len {
                Some(l) => (end.saturating_sub(l), start.saturating_add(l).min(b.len())),
                None => (0, b.len()),
            };
            // One walk each way from the occurrence, when something can
            // stop it: a byte no match holds, or the whitespace char one
            // past the most a match holds.
            if walk {
                let alphabet = &self.reach.alphabet;
                let max_spaces = self.reach.max_spaces;
                let stop = || {
                    let mut seen = 0;
                    move |&c: &u8| {
                        !alphabet.contains(c)
                            || (is_space(c) && {
                                seen += 1;
                                max_spaces.is_some_and(|n| seen > n)
                            })
                    }
                };
                let left = b[lo.min(start)..start].iter().rev().position(stop());
                let right = b[end..hi.max(end)].iter().position(stop());
                lo = left.map_or(lo, |p| start - p);
                hi = right.map_or(hi, |p| end + p);
                looked += start.saturating_sub(lo) + hi.saturating_sub(end);
            }
            if looked > budget {
                return std::iter::once(0..b.len()).collect();
            }
            windows.push(crate::text::floor_char(hay, lo)..hay.ceil_char_boundary(hi));
        }
        windows.sort_unstable_by_key(|w| w.start);
        // Merge in place: a window that starts inside the last kept one
        // extends it.
        windows.dedup_by(|w, last| {
            let overlaps = w.start <= last.end;
            if overlaps {
                last.end = last.end.max(w.end);
            }
            overlaps
        });
        windows
    }

    /// Run over `range` of the text (one paragraph) and push hits. `near`:
    /// the occurrences of the rule's literals there, which a `windowed`
    /// rule searches around instead of the whole paragraph (empty: search
    /// it all).
    pub fn run(
        &self,
        rule: usize,
        message: &str,
        ctx: &Ctx,
        range: Range<usize>,
        near: &[Range<usize>],
        out: &mut Vec<Hit>,
    ) {
        // Before the regex is compiled: most paragraphs fail the test.
        let whole = !self.windowed || near.is_empty();
        if whole && !self.trio_admits(&ctx.text.as_bytes()[range.clone()]) {
            return;
        }
        let Some(regex) = self.regex() else {
            return;
        };
        // Search the ASCII view when the regex runs there, and map every
        // offset back to the text.
        let view = regex.ascii.then(|| ctx.ascii.local(range.clone()));
        let on_view = view.is_some();
        let (hay, v0) = match &view {
            Some(v) => {
                let v0 = v.to_view(range.start);
                (&ctx.ascii.text[v0..v.to_view(range.end)], v0)
            }
            None => (&ctx.text[range.clone()], range.start),
        };
        let at = |o: usize| -> usize {
            match &view {
                Some(v) => v.to_text(v0 + o),
                None => v0 + o,
            }
        };
        // A Unicode `\b` sends the lazy DFA to a slower engine on non-ASCII
        // text: the relaxed regex rules out most such spans first.
        let relaxed_out = |w: Range<usize>| {
            !on_view
                && !hay[w.clone()].is_ascii()
                && self
                    .relaxed()
                    .is_some_and(|r| !r.is_match(Input::new(hay).span(w)))
        };
        let found = if self.windowed && !near.is_empty() {
            let to_hay = |o: usize| match &view {
                Some(v) => v.to_view(o) - v0,
                None => o - range.start,
            };
            let mut windows =
                self.windows(hay, near.iter().map(|o| to_hay(o.start)..to_hay(o.end)));
            windows.retain(|w| !relaxed_out(w.clone()));
            regex.captures_in(hay, &windows)
        } else {
            // Most runs find nothing: a plain search is cheaper than
            // setting up capture groups.
            if relaxed_out(0..hay.len()) || !regex.is_match(Input::new(hay)) {
                return;
            }
            regex.captures(hay)
        };
        for slots in found {
            let get = |g: &str| {
                regex
                    .group_index(g)
                    .and_then(|i| slots.get(i).cloned().flatten())
                    .map(|r| at(r.start)..at(r.end))
            };
            let group = |g: &str| get(g).map(|r| &ctx.text[r]);
            let whole = slots
                .first()
                .cloned()
                .flatten()
                .map(|r| at(r.start)..at(r.end))
                .unwrap_or(range.start..range.start);
            let mut abs = match &self.span_group {
                Some(g) => match get(g) {
                    Some(r) => r,
                    None => continue,
                },
                None => whole.clone(),
            };
            if abs.is_empty() && !self.boilerplate {
                continue;
            }
            let ok = self.conds.iter().all(|c| {
                let Some(m) = group(&c.group) else {
                    return true;
                };
                let w = m.to_lowercase();
                c.in_list.as_ref().is_none_or(|l| l.contains(&w))
                    && c.not_in.as_ref().is_none_or(|l| !l.contains(&w))
                    && !c.not_suffix.iter().any(|s| w.ends_with(s.as_str()))
            });
            if !ok {
                continue;
            }
            if self.boilerplate {
                // Extend to the end of the line (without trailing spaces).
                let eol = ctx.text[abs.end..range.end]
                    .find('\n')
                    .map(|i| abs.end + i)
                    .unwrap_or(range.end);
                abs.end = abs
                    .end
                    .max(abs.start + ctx.text[abs.start..eol].trim_end().len());
            }
            if self.context.suppressed(ctx, &abs) {
                continue;
            }
            let matched = &ctx.text[abs.clone()];
            let lookup = |k: &str| -> Option<String> {
                if k == "match" {
                    return Some(matched.to_string());
                }
                let v = group(k)?;
                Some(
                    match self.maps.get(k).and_then(|m| m.get(&v.to_lowercase())) {
                        Some(mapped) => mapped.clone(),
                        None => v.to_string(),
                    },
                )
            };
            let unmapped = |t: &String| {
                self.strict_maps
                    && self.maps.iter().any(|(k, m)| {
                        t.contains(&format!("{{{k}}}"))
                            && group(k).is_some_and(|v| !m.contains_key(&v.to_lowercase()))
                    })
            };
            let mut suggestions: Vec<HitSuggestion> = self
                .templates
                .iter()
                .filter(|t| !unmapped(t))
                .map(|t| HitSuggestion::plain(match_case(matched, &render(t, &lookup))))
                .collect();
            if self.boilerplate && suggestions.is_empty() {
                suggestions.push(HitSuggestion {
                    replacement: String::new(),
                    edits: vec![delete_line(ctx.text, &abs)],
                });
            }
            let first = suggestions.first().map(|s| s.replacement.clone());
            // Messages quote the text as written: captures are not mapped.
            let msg = render(message, &|k| match k {
                "suggestion" => first.clone(),
                "match" => Some(matched.to_string()),
                _ => group(k).map(|m| m.to_string()),
            });
            out.push(Hit {
                rule,
                span: abs,
                message: msg,
                suggestions,
            });
        }
    }
}

/// The edit that deletes the line(s) holding `span` and one adjacent run of
/// blank lines, so that no empty paragraph is left behind.
pub fn delete_line(text: &str, span: &Range<usize>) -> (Range<usize>, String) {
    let b = text.as_bytes();
    let mut s = span.start.min(b.len());
    while s > 0 && b[s - 1] != b'\n' {
        s -= 1;
    }
    let mut e = span.end.min(b.len());
    while e < b.len() && b[e] != b'\n' {
        e += 1;
    }
    // The line break and the blank lines after it.
    let mut after = e;
    if after < b.len() {
        after += 1;
        while let Some(nl) = text[after..].find('\n') {
            if text[after..after + nl].trim().is_empty() {
                after += nl + 1;
            } else {
                break;
            }
        }
    }
    if !text[after..].trim().is_empty() {
        return (s..after, String::new());
    }
    // The last line of content: delete the blank lines before it instead,
    // and keep whatever line ending the file had.
    let mut s2 = s;
    while s2 > 0 && matches!(b[s2 - 1], b' ' | b'\t' | b'\r' | b'\n') {
        s2 -= 1;
    }
    let mut e2 = e;
    if e2 > s && b[e2 - 1] == b'\r' {
        e2 -= 1;
    }
    (s2..e2, String::new())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every built-in list is searched in place, and the search agrees
    /// with a set of its lower-cased lines; a list out of order, or with
    /// capitals, still works, as a set.
    #[test]
    fn word_lists_search_in_place_and_agree_with_a_set() {
        let reference =
            |t: &str| -> HashSet<String> { list_words(t).map(str::to_lowercase).collect() };
        let mut lists: Vec<&'static str> = crate::rules::BUILTIN_LISTS
            .iter()
            .map(|(_, t)| *t)
            .collect();
        lists.extend([
            "# a comment\nzebra\nApple\n\n  mango  \n",
            "b\na\na\n",
            "",
            "é\nÉtat\n",
        ]);
        for t in lists {
            let builtin = crate::rules::BUILTIN_LISTS
                .iter()
                .any(|(_, b)| std::ptr::eq(*b, t));
            assert_eq!(
                sorted_words(t).is_some(),
                builtin || t.is_empty(),
                "{:?}",
                &t[..t.len().min(40)]
            );
            let w = Words::new(t);
            let set = reference(t);
            for x in set.iter().step_by(7) {
                assert!(w.contains(x), "{x}");
            }
            for x in [
                "",
                "a",
                "apple",
                "mango",
                "zebra",
                "état",
                "é",
                "zzzz",
                "#",
                "# a comment",
                "Apple",
            ] {
                assert_eq!(w.contains(x), set.contains(x), "{x:?}");
            }
        }
    }

    #[test]
    fn build_time_digests_match_the_run_time_analysis() {
        assert!(REGEX_DIGESTS.len() > 300);
        assert!(REGEX_DIGESTS.windows(2).all(|w| w[0].0 < w[1].0));
        for (re, d) in REGEX_DIGESTS {
            let hir = regex_syntax::ParserBuilder::new()
                .build()
                .parse(re)
                .unwrap();
            assert_eq!(d.required(), literals::required(&hir), "{re}");
            let needs: Vec<ByteSet> = d.needs.iter().map(|n| ByteSet(*n)).collect();
            assert_eq!(needs, literals::needs(&hir), "{re}");
            assert_eq!(d.ascii_safe, literals::ascii_safe(&hir), "{re}");
            let mut names = Vec::new();
            literals::capture_names(&hir, &mut names);
            assert_eq!(d.names, names, "{re}");
            assert_eq!(d.reach, Reach::of(&hir), "{re}");
            assert_eq!(d.trio(), literals::trio(&hir), "{re}");
            assert_eq!(d.word_lead.map(ByteSet), literals::word_lead(&hir), "{re}");
        }
    }

    /// The pattern rules of `set` that `keep`, each with its regex as
    /// the regex crate compiles it for the text, and texts to match it on:
    /// its examples, `extra` of its bad examples, and the fixtures.
    fn samples_of(
        set: &crate::engine::RuleSet,
        keep: impl Fn(&Pattern) -> bool,
        extra: impl Fn(&[String]) -> String,
    ) -> Vec<(&crate::engine::Rule, &Pattern, Regex, Vec<String>)> {
        let mut fixtures = Vec::new();
        for dir in ["fixtures", "fixtures/seed"] {
            for e in std::fs::read_dir(dir).unwrap().flatten() {
                if let Ok(t) = std::fs::read_to_string(e.path()) {
                    fixtures.push(t);
                }
            }
        }
        assert!(!fixtures.is_empty());
        patterns(set)
            .filter(|(_, _, p)| keep(p))
            .map(|(_, r, p)| {
                let ex = &r.meta.examples();
                let texts = ex
                    .bad
                    .iter()
                    .chain(&ex.good)
                    .cloned()
                    .chain([extra(&ex.bad)])
                    .chain(fixtures.iter().cloned())
                    .collect();
                (r, p, p.build().unwrap(), texts)
            })
            .collect()
    }

    /// The pattern rules of `set`, with their index.
    fn patterns(
        set: &crate::engine::RuleSet,
    ) -> impl Iterator<Item = (usize, &crate::engine::Rule, &Pattern)> {
        set.rules
            .iter()
            .enumerate()
            .filter_map(|(i, r)| match &r.imp {
                crate::engine::Imp::Pattern(p) => Some((i, r, &**p)),
                _ => None,
            })
    }

    #[test]
    fn literals_in_a_match_pass_the_word_lead_test() {
        let set = crate::engine::RuleSet::load(&[], true).unwrap();
        let mut with_lead = 0;
        let samples = samples_of(
            &set,
            |p| p.word_lead.is_some(),
            |bad| format!("«{}» l’{}", bad.join(" — "), bad.join("-")),
        );
        for (r, p, re, all) in samples {
            with_lead += 1;
            let ex = &r.meta.examples();
            let q = p.literals.as_ref().unwrap();
            let lits: Vec<String> = q
                .literals
                .iter()
                .chain(q.also.iter().flat_map(|a| a.literals.iter()))
                .map(|l| l.to_lowercase())
                .collect();
            let mut seen = 0;
            for text in &all {
                let lower = text.to_lowercase();
                for m in re.find_iter(text) {
                    for l in &lits {
                        for (o, _) in lower.get(m.range()).unwrap_or("").match_indices(l.as_str()) {
                            seen += 1;
                            let at = m.start() + o;
                            assert!(
                                p.lead_admits(text, at),
                                "{}: {l:?} in {:?}",
                                r.meta.id,
                                m.as_str()
                            );
                        }
                    }
                }
            }
            assert!(
                seen > 0 || ex.bad.is_empty(),
                "{}: no literal seen",
                r.meta.id
            );
        }
        assert!(with_lead >= 3, "{with_lead}");
        let ou = match &set.get("fr-en/names/translit-ou-u-slavic").unwrap().imp {
            crate::engine::Imp::Pattern(p) => &**p,
            _ => panic!("not a pattern"),
        };
        let t = "you could see Ouspensky and Smoulenkov about it";
        let at = |w: &str| t.find(w).unwrap();
        assert!(!ou.lead_admits(t, at("ou")) && !ou.lead_admits(t, at("ould")));
        assert!(ou.lead_admits(t, at("Smoulenkov") + 3) && ou.lead_admits(t, at("Ouspensky")));
        assert!(!ou.lead_admits(t, at("about") + 2));
    }

    #[test]
    fn trio_admits_where_the_three_bytes_are() {
        let set = |bytes: &[u8]| {
            let mut s = ByteSet::default();
            bytes.iter().for_each(|&b| s.insert(b));
            s
        };
        let any = ByteSet::ALL;
        let digits = set(b"0123456789");
        let mut accented = set(b"e");
        accented.insert(0xC3);
        // and whether the trio is tested around the bytes of a rarer set
        let trios = [
            (digits, set(b" "), digits, true),
            (any, set(b",;"), set(b"abc"), false),
            (set(b"x"), set(b","), any, false),
            (any, set(b" "), set(b"7"), true),
            (set(b"7"), set(b" "), any, true),
            (any, digits, set(b"abc"), true),
            (accented, set(b" "), set(b"x"), true),
            (set(b"abcexyz "), set(b" "), set(b"abcexyz "), false),
        ];
        let mut x: u32 = 7;
        let mut texts: Vec<Vec<u8>> = vec![vec![], b" ".to_vec(), b"7 ".to_vec(), b" 7".to_vec()];
        for len in [1, 2, 3, 4, 5, 8, 63, 64, 65, 66, 127, 128, 130, 300] {
            for _ in 0..40 {
                texts.push(
                    (0..len)
                        .map(|_| {
                            x = x.wrapping_mul(1_103_515_245).wrapping_add(12345);
                            b"0179 ,;abcxyz\xC3\xA9"[(x >> 16) as usize % 15]
                        })
                        .collect(),
                );
            }
        }
        for (before, mid, after, anchored) in trios {
            let t = Trio::new(literals::Trio { before, mid, after });
            assert_eq!(t.anchor.is_some(), anchored);
            for p in &texts {
                let want = (0..p.len()).any(|i| {
                    mid.contains(p[i])
                        && (before == any || (i > 0 && before.contains(p[i - 1])))
                        && (after == any || p.get(i + 1).is_some_and(|&b| after.contains(b)))
                });
                assert_eq!(t.admits(p), want, "{:?}", String::from_utf8_lossy(p));
            }
        }
    }

    #[test]
    fn needs_are_met_alike_by_search_and_by_byte_set() {
        // No literal; two byte sets every match needs (the letters are too
        // common to be one): the ten digits, too many for memchr, met
        // against the paragraph's byte set, and `,` or `;`, looked for with
        // memchr.
        let spec: RuleSpec = serde_yaml::from_str(
            "id: t/needs\nkind: pattern\nregex: '[0-9][,;][a-z]'\nmessage: m\n",
        )
        .unwrap();
        let p = Pattern::compile(&spec, &Lists::new()).unwrap();
        assert!(p.literals.is_none() && p.needs.len() == 2);
        assert!(p.needs.iter().any(|n| n.finder.is_some()));
        assert!(p.needs.iter().any(|n| n.finder.is_none()));
        for t in [
            "1,a",
            "a,1",
            ",1",
            ";9",
            "1 a;",
            "12 b",
            "",
            ";",
            "x1,",
            "é9;é",
            "abc, def 7",
        ] {
            let b = t.as_bytes();
            let want = p.needs.iter().all(|n| ByteSet::of(b).meets(&n.set));
            assert_eq!(p.needs_met(b, &mut None), want, "{t:?}");
            assert_eq!(p.needs_met(b, &mut Some(ByteSet::of(b))), want, "{t:?}");
        }
        assert!(p.needs_met(b"1,a", &mut None) && !p.needs_met(b"1 a", &mut None));
    }

    #[test]
    fn every_match_holds_the_rules_three_bytes() {
        let set = crate::engine::RuleSet::load(&[], true).unwrap();
        let mut with_trio = 0;
        let samples = samples_of(
            &set,
            |p| p.trio.is_some(),
            |bad| format!("Élodie,Ève;été, 1 000 {}", bad.join("\n\n")),
        );
        for (r, p, re, texts) in samples {
            with_trio += 1;
            let ex = &r.meta.examples();
            for text in &texts {
                for m in re.find_iter(text) {
                    let admitted = p.trio_admits(m.as_str().as_bytes());
                    assert!(admitted, "{}: {:?} in {text:?}", r.meta.id, m.as_str());
                }
            }
            for bad in &ex.bad {
                assert!(p.trio_admits(bad.as_bytes()), "{}: {bad:?}", r.meta.id);
            }
        }
        assert!(with_trio >= 5, "{with_trio}");
        let rule = |id: &str| match &set.get(id).unwrap().imp {
            crate::engine::Imp::Pattern(p) => &**p,
            _ => panic!("{id} is not a pattern"),
        };
        let comma = rule("typography/spacing/missing-after-comma");
        assert!(!comma.trio_admits("One, two; three,\nfour, 1,000 and 3,5.".as_bytes()));
        assert!(comma.trio_admits("One,two".as_bytes()) && comma.trio_admits("un,été".as_bytes()));
        let thousands = rule("fr-en/locale/thousands-space");
        assert!(!thousands.trio_admits("On 12 March, 300 people and 1,000 more.".as_bytes()));
        assert!(thousands.trio_admits("about 12 000 people".as_bytes()));
        assert!(
            !thousands.trio_admits(" 000".as_bytes()) && !thousands.trio_admits("12 ".as_bytes())
        );
    }

    /// Every occurrence of the rule's first literals in `text` that
    /// `admits` lets through, as the engine's automaton reports them.
    fn occurrences(q: &Required, text: &str) -> Vec<Range<usize>> {
        let mut out = Vec::new();
        for lit in &q.literals {
            for s in 0..text.len() {
                let e = s + lit.len();
                if text
                    .as_bytes()
                    .get(s..e)
                    .is_some_and(|t| t.eq_ignore_ascii_case(lit.as_bytes()))
                    && q.admits(text, &(s..e), lit)
                {
                    out.push(s..e);
                }
            }
        }
        out
    }

    fn summary(hits: &[Hit]) -> Vec<(Range<usize>, String, Vec<String>)> {
        hits.iter()
            .map(|h| {
                let s = h
                    .suggestions
                    .iter()
                    .map(|s| s.replacement.clone())
                    .collect();
                (h.span.clone(), h.message.clone(), s)
            })
            .collect()
    }

    /// Searching around each occurrence of a rule's literal finds what
    /// searching the whole paragraph finds: on every example of every
    /// built-in rule that searches that way, on all of a rule's examples
    /// run together in one paragraph (several occurrences, windows that
    /// merge), and with accented and curly-quoted text around them.
    #[test]
    fn windows_find_what_whole_paragraphs_find() {
        let set = crate::engine::RuleSet::load(&[], true).unwrap();
        let mut windowed = 0;
        for (i, r, p) in patterns(&set) {
            if !p.windowed {
                continue;
            }
            windowed += 1;
            let q = p.literals.as_ref().unwrap();
            let ex = &r.meta.examples();
            let all: Vec<&String> = ex.bad.iter().chain(&ex.good).collect();
            let mut texts: Vec<String> = all.iter().map(|t| t.to_string()).collect();
            let joined: Vec<&str> = all.iter().map(|t| t.as_str()).collect();
            texts.push(joined.join(" "));
            texts.push(format!(
                "Élodie’s “café” — {} — naïve “{}”",
                joined.join(" "),
                joined.join(", ")
            ));
            for text in &texts {
                let ctx = Ctx::new(text);
                for para in &ctx.paras {
                    let near: Vec<Range<usize>> = occurrences(q, text)
                        .into_iter()
                        .filter(|o| para.start <= o.start && o.start < para.end)
                        .collect();
                    let (mut whole, mut around) = (Vec::new(), Vec::new());
                    p.run(i, &r.meta.message, &ctx, para.clone(), &[], &mut whole);
                    p.run(i, &r.meta.message, &ctx, para.clone(), &near, &mut around);
                    assert_eq!(
                        summary(&whole),
                        summary(&around),
                        "{} on {text:?}",
                        r.meta.id
                    );
                }
            }
        }
        assert!(windowed > 300, "{windowed} windowed rules");
    }

    /// The forward-only engine finds the regex crate's matches and groups,
    /// with the backtracker and with the regex crate's engine on the span
    /// it cuts, for every built-in pattern, on ASCII and non-ASCII text
    /// (where the lazy DFA gives up on a Unicode word boundary).
    #[test]
    fn forward_engine_finds_the_regex_crates_matches() {
        let set = crate::engine::RuleSet::load(&[], true).unwrap();
        let (mut forward, mut matched, mut dense) = (0, 0, 0);
        for (_, r, p) in patterns(&set) {
            let ex = &r.meta.examples();
            let all: Vec<&str> = ex.bad.iter().chain(&ex.good).map(|t| t.as_str()).collect();
            let texts = [
                all.join(" "),
                format!(
                    "Élodie’s “café” — {} — naïve “{}”",
                    all.join(" "),
                    all.join(", ")
                ),
            ];
            let ascii = p.regex().unwrap().ascii;
            let reference = engine_regex(&p.source, ascii).unwrap();
            for (full_after, prebuilt) in [(usize::MAX, true), (0, true), (usize::MAX, false)] {
                let Some(mut c) = Compiled::build(&p.source, ascii, prebuilt) else {
                    panic!("{} does not compile", r.meta.id);
                };
                let Engine::Forward(f) = &mut c.imp else {
                    continue;
                };
                f.full_after = full_after;
                forward += 1;
                dense += usize::from(matches!(f.finder, Finder::Dense(_)));
                for text in &texts {
                    let hay = if ascii {
                        crate::text::AsciiView::new(text).text.to_string()
                    } else {
                        text.clone()
                    };
                    let want: Vec<Vec<Option<Range<usize>>>> = reference
                        .captures_iter(hay.as_bytes())
                        .map(|c| groups(&c))
                        .collect();
                    matched += want.len();
                    assert_eq!(c.captures(&hay), want, "{} on {hay:?}", r.meta.id);
                    assert_eq!(
                        c.is_match(Input::new(&hay)),
                        !want.is_empty(),
                        "{}",
                        r.meta.id
                    );
                }
            }
        }
        assert!(forward > 1500 && matched > 1500, "{forward} {matched}");
        assert!(dense > 1000, "{dense} searches by a prebuilt DFA");
    }

    /// Every DFA that build.rs embedded is the one `prebuilt::dense_dfa`
    /// makes from the run-time NFA of the regex, byte for byte, with the
    /// same shortest and longest match. Every built-in regex has one for
    /// the view it runs on, and its pretest too, unless `dense_dfa`
    /// refuses it (too large).
    #[test]
    fn prebuilt_dfas_are_the_run_time_ones() {
        let mut embedded = 0;
        for (src, ascii, p) in REGEX_DFAS {
            let (bytes, min_len, max_len) =
                super::super::prebuilt::dense_dfa(src, *ascii).expect("builds");
            embedded += 1;
            assert_eq!(p.at % 8, 0, "{src}");
            assert!(
                REGEX_DFA_BYTES.bytes[p.at..p.at + p.len] == bytes[..],
                "{src}"
            );
            assert_eq!((p.min_len, p.max_len), (min_len, max_len), "{src}");
            assert!(builtin_dfa(src, *ascii).is_some(), "{src} reads back");
        }
        assert!(
            REGEX_DFAS
                .windows(2)
                .all(|w| (w[0].0, w[0].1) < (w[1].0, w[1].1))
        );
        let set = crate::engine::RuleSet::load(&[], true).unwrap();
        let (mut runs, mut missing) = (0, 0);
        for (_, r, p) in patterns(&set) {
            let ascii = p.regex().unwrap().ascii;
            let mut wanted = vec![p.source.clone()];
            if !ascii
                && let Some(hir) = regex_syntax::parse(&p.source)
                    .ok()
                    .and_then(|h| literals::relaxed(&h))
            {
                wanted.push(hir.to_string());
            }
            for src in wanted {
                runs += 1;
                if builtin_dfa(&src, ascii).is_none() {
                    missing += 1;
                    assert!(
                        super::super::prebuilt::dense_dfa(&src, ascii).is_none(),
                        "{}: no DFA embedded for {src}",
                        r.meta.id
                    );
                }
            }
        }
        assert!(
            embedded > 600 && missing < 20,
            "{embedded} embedded, {missing} of {runs} missing"
        );
    }

    /// A regex that can match the empty string keeps the regex crate's
    /// engine and iterator (empty matches, and none inside a char); the
    /// others compile forward only, a user's regex too.
    #[test]
    fn empty_matching_regexes_keep_the_regex_crates_iterator() {
        for (src, ascii, hay, forward) in [
            ("a*", true, "baaab", false),
            (r"\b", false, "é x€y", false),
            ("(?m)^$", false, "a\n\nb\n", false),
            (r"\bnaïve\b|x+", false, "naïve xx é naïve", true),
            (r"(?i)\bthe (?P<n>\d+)\b", true, "The 30 and the 4", true),
        ] {
            let c = Compiled::new(src, ascii).unwrap();
            assert_eq!(format!("{c:?}").contains("forward"), forward, "{src}");
            let reference = engine_regex(src, ascii).unwrap();
            let want: Vec<Vec<Option<Range<usize>>>> = reference
                .captures_iter(hay.as_bytes())
                .map(|c| groups(&c))
                .collect();
            assert_eq!(c.captures(hay), want, "{src} on {hay:?}");
            assert_eq!(c.is_match(Input::new(hay)), !want.is_empty(), "{src}");
        }
    }

    #[test]
    fn reach_bounds_length_whitespace_and_alphabet() {
        let reach = |re: &str| {
            Reach::of(
                &regex_syntax::ParserBuilder::new()
                    .build()
                    .parse(re)
                    .unwrap(),
            )
        };
        let r = reach(r"\b(was|were) blessed (in|at)\b");
        assert_eq!(
            (r.min_len, r.max_len, r.max_spaces),
            (14, Some(15), Some(2))
        );
        assert!(r.bounded());
        let r = reach(r"\b[A-Z][a-z]*ou[a-z]*(?:ov|ev)\b");
        assert_eq!((r.max_len, r.max_spaces), (None, Some(0)));
        assert!(r.bounded());
        // Nor length nor whitespace bounds these, but no match holds a full
        // stop or a comma in the first: a match stops where the text has one.
        let r = reach(r"(?: \d{3})*x");
        assert_eq!((r.max_len, r.max_spaces), (None, None));
        assert!(r.bounded());
        assert!(!reach(r"(?:[^x]\d{3})*x").bounded());
        // The alphabet: ASCII bytes as the regex holds them; a regex that
        // can match a non-ASCII char (`(?i)k` matches the Kelvin sign) also
        // holds every non-ASCII byte and the ASCII view's stand-ins.
        let a = reach(r"\bthe [a-z]+ said").alphabet;
        assert!(a.contains(b'e') && a.contains(b' ') && !a.contains(b'.'));
        assert!(!a.contains(b'E') && !a.contains(b'_') && !a.contains(0xC3));
        let a = reach(r"(?i)\bthe [a-z]+ said").alphabet;
        assert!(a.contains(b'E') && a.contains(b'_') && a.contains(0x0B) && a.contains(0x01));
        assert!(a.contains(0xC3) && !a.contains(b'.') && !a.contains(b','));
        // A class that holds a space counts as one, repeated as often as it
        // may be: `\s{1,3}` three, `[^x]+` without bound, and `[^x ]+` too
        // (it holds a tab).
        assert_eq!(reach(r"a\s{1,3}b").max_spaces, Some(3));
        assert_eq!(reach(r"a[^x]+b").max_spaces, None);
        assert_eq!(reach(r"a[^x ]+b").max_spaces, None);
        assert_eq!(reach(r"a[a-z]+ b").max_spaces, Some(1));
        // Can match empty: never searched by windows.
        assert!(!reach(r"(?:ab)?").bounded());
    }

    #[test]
    fn delete_line_takes_blank_separator() {
        let t = "A.\n\nRead also: x\n\nB.";
        let s = t.find("Read").unwrap();
        let (r, _) = delete_line(t, &(s..s + 13));
        let mut out = t.to_string();
        out.replace_range(r, "");
        assert_eq!(out, "A.\n\nB.");
        let t = "A.\n\nsource site-29";
        let s = t.find("source").unwrap();
        let (r, _) = delete_line(t, &(s..t.len()));
        let mut out = t.to_string();
        out.replace_range(r, "");
        assert_eq!(out, "A.");
        let t = "A.\n\nsource site-29\n";
        let s = t.find("source").unwrap();
        let (r, _) = delete_line(t, &(s..s + 14));
        let mut out = t.to_string();
        out.replace_range(r, "");
        assert_eq!(out, "A.\n");
        let t = "Read also: x\r\n\r\nB.\r\n";
        let (r, _) = delete_line(t, &(0..12));
        let mut out = t.to_string();
        out.replace_range(r, "");
        assert_eq!(out, "B.\r\n");
    }
}
