//! Rule kinds. Each is a small module that a YAML rule parameterizes; the
//! engine (`crate::engine`) drives them over a document in one pass per kind.

pub mod brackets;
pub mod consistency;
pub mod foreign;
pub mod language;
pub mod lexical;
pub mod literals;
pub(crate) use literals::gather;
pub mod pattern;
pub mod prebuilt;
pub mod quotes;
pub mod repetition;
pub mod script;
pub mod sentence_case;
pub mod wordindex;

pub use crate::text::ByteFinder;
use std::ops::Range;

/// A finding in normalized-text coordinates, before mapping to the file.
#[derive(Debug, Clone)]
pub struct Hit {
    pub rule: usize,
    pub span: Range<usize>,
    pub message: String,
    pub suggestions: Vec<HitSuggestion>,
}

/// A suggestion: the replacement of the hit's span, and the edits (in
/// normalized coordinates) that make it; empty `edits` = replace the span.
#[derive(Debug, Clone)]
pub struct HitSuggestion {
    pub replacement: String,
    pub edits: Vec<(Range<usize>, String)>,
}

impl HitSuggestion {
    pub fn plain(replacement: String) -> Self {
        HitSuggestion {
            replacement,
            edits: Vec::new(),
        }
    }
}

/// The text being checked, with its paragraphs and sentences (normalized
/// coordinates).
pub struct Ctx<'a> {
    pub text: &'a str,
    pub paras: Vec<Range<usize>>,
    pub sents: Vec<Range<usize>>,
    /// The text as ASCII, for regexes (see `text::AsciiView`).
    pub ascii: crate::text::AsciiView<'a>,
    /// The `words` of every paragraph, and where each paragraph's start in
    /// that list: computed once, on first use, for all the scan kinds.
    words: std::sync::OnceLock<(Vec<Range<usize>>, Vec<usize>)>,
    /// A key per word of `words` (see [`word_key`]).
    keys: std::sync::OnceLock<Vec<u64>>,
}

/// A word's quick comparison key: its length and first six bytes, ASCII
/// lower-cased. Two ASCII words equal but for case have the same key; a
/// non-ASCII word gets `u64::MAX`, which always asks for a full comparison.
pub fn word_key(w: &[u8]) -> u64 {
    if !w.is_ascii() {
        return u64::MAX;
    }
    let mut k = (w.len().min(0xFFFF) as u64) << 48;
    for (j, &b) in w.iter().take(6).enumerate() {
        k |= u64::from(b.to_ascii_lowercase()) << (8 * j);
    }
    k
}

/// [`word_key`] of the word `r` of `b` (the reference for `ascii_key_at`).
#[cfg(test)]
fn word_key_at(b: &[u8], r: Range<usize>) -> u64 {
    match b.get(r.clone()) {
        Some(w) if w.is_ascii() => ascii_key_at(b, r),
        _ => u64::MAX,
    }
}

/// [`word_key`] of the word `r` of `b`, known to be ASCII, computed eight
/// bytes at a time: the first six are read as one number and lower-cased
/// together.
fn ascii_key_at(b: &[u8], r: Range<usize>) -> u64 {
    let len = r.end.saturating_sub(r.start);
    let x = load_le(b, r.start, len.min(6));
    let upper = bytes_in(x, b'A', b'Z');
    ((len.min(0xFFFF) as u64) << 48) | x | (upper >> 2)
}

/// The first `n` (up to 8) bytes of `b` from `i`, little-endian, zero
/// past `n` and past the end of `b`: one load where 8 bytes are there.
pub(crate) fn load_le(b: &[u8], i: usize, n: usize) -> u64 {
    let keep = |x: u64| {
        if n >= 8 {
            x
        } else {
            x & ((1u64 << (8 * n)) - 1)
        }
    };
    match b.get(i..i + 8) {
        Some(w) => keep(u64::from_le_bytes(w.try_into().unwrap_or_default())),
        None => keep(
            b.get(i..)
                .unwrap_or_default()
                .iter()
                .rev()
                .fold(0, |k, &c| (k << 8) | u64::from(c)),
        ),
    }
}

/// A class of bytes that [`masks`] tests: a range of ASCII bytes, the
/// same once ASCII-lower-cased (bit 5 set), or a range of non-ASCII bytes.
#[derive(Clone, Copy, Debug)]
pub(crate) enum Class {
    /// `lo..=hi`, both ASCII or both not.
    Range(u8, u8),
    /// An ASCII byte whose lower case (`| 0x20`) is in `lo..=hi`.
    Folded(u8, u8),
}

/// ASCII letters, digits, `_`: the word bytes of the literal pass and
/// the word table.
pub(crate) const LETTERS: Class = Class::Folded(b'a', b'z');
pub(crate) const DIGITS: Class = Class::Range(b'0', b'9');
pub(crate) const UNDERSCORE: Class = Class::Range(b'_', b'_');
pub(crate) const WORD: &[Class] = &[LETTERS, DIGITS, UNDERSCORE];
/// Every non-ASCII byte, and those that start a character of 2 to 4 bytes.
pub(crate) const NON_ASCII: Class = Class::Range(0x80, 0xFF);
pub(crate) const LEADS: Class = Class::Range(0xC0, 0xFF);

impl Class {
    /// Whether byte `b` is in the class (the reference for both paths).
    #[cfg(test)]
    fn has(self, b: u8) -> bool {
        match self {
            Class::Range(lo, hi) => (lo..=hi).contains(&b),
            Class::Folded(lo, hi) => b.is_ascii() && (lo..=hi).contains(&(b | 0x20)),
        }
    }

    /// Bit 7 of each of the eight bytes of `x` in the class.
    #[inline(always)]
    fn swar(self, x: u64) -> u64 {
        const LOW7: u64 = 0x7F7F_7F7F_7F7F_7F7F;
        const HIGH: u64 = 0x8080_8080_8080_8080;
        match self {
            Class::Folded(lo, hi) => bytes_in((x | 0x2020_2020_2020_2020) & LOW7, lo, hi) & !x,
            Class::Range(lo, hi) if hi < 0x80 => bytes_in(x & LOW7, lo, hi) & !x,
            Class::Range(lo, hi) => bytes_in(x & LOW7, lo & 0x7F, hi & 0x7F) & x & HIGH,
        }
    }
}

/// Bit 7 of each of the eight bytes of `x` in one of the classes of `set`.
#[inline(always)]
fn swar_any(set: &[Class], x: u64) -> u64 {
    set.iter().fold(0, |t, c| t | c.swar(x))
}

/// One bit per byte of `chunk` (up to 64 bytes; bit `i` for byte `i`) for
/// each of the `N` unions of classes in `sets` (bytes past the end are in
/// none). With SSE2 (every x86-64 CPU), sixteen bytes a step; elsewhere
/// eight at a time in a `u64`, their flags gathered with one multiply.
/// The literal pass's two masks of 8 MB of news took 0.95 ms the first
/// way and 4.6 ms the second in a throwaway harness; with the word table's
/// and the language pretest's, checking those 8 MB runs 5.0% fewer
/// instructions (1,976.1 M to 1,878.1 M).
#[inline(always)]
pub(crate) fn masks<const N: usize>(chunk: &[u8], sets: [&[Class]; N]) -> [u64; N] {
    #[cfg(target_arch = "x86_64")]
    {
        let mut buf = [0u8; 64];
        let full: &[u8; 64] = match <&[u8; 64]>::try_from(chunk) {
            Ok(full) => full,
            Err(_) => {
                let n = chunk.len().min(64);
                buf[..n].copy_from_slice(&chunk[..n]);
                &buf
            }
        };
        // SAFETY: SSE2 is part of the x86-64 baseline: every CPU that runs
        // an x86_64 binary has it.
        unsafe { masks_sse2(full, sets) }
    }
    #[cfg(not(target_arch = "x86_64"))]
    {
        masks_swar(chunk, sets)
    }
}

/// [`masks`], eight bytes at a time in a `u64` (where there is no SSE2;
/// a test compares the two).
#[cfg_attr(all(target_arch = "x86_64", not(test)), allow(dead_code))]
#[inline(always)]
fn masks_swar<const N: usize>(chunk: &[u8], sets: [&[Class]; N]) -> [u64; N] {
    #[inline(always)]
    fn each<const N: usize>(chunk: &[u8], sets: [&[Class]; N]) -> [u64; N] {
        let mut out = [0u64; N];
        for (k, i) in (0..chunk.len().min(64)).step_by(8).enumerate() {
            let x = load_le(chunk, i, 8.min(chunk.len() - i));
            for (o, set) in out.iter_mut().zip(sets) {
                *o |= gather(swar_any(set, x)) << (8 * k);
            }
        }
        out
    }
    // A full block goes through a copy of the loop made for its known
    // length: unrolled, with eight whole loads.
    match <&[u8; 64]>::try_from(chunk) {
        Ok(full) => each(full, sets),
        Err(_) => each(chunk, sets),
    }
}

/// [`masks`] of a full 64-byte block, sixteen bytes a step: a range test
/// is a subtraction, an unsigned minimum and a comparison, and a byte
/// mask becomes sixteen bits with one `movemask`.
#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "sse2")]
#[inline]
fn masks_sse2<const N: usize>(chunk: &[u8; 64], sets: [&[Class]; N]) -> [u64; N] {
    use std::arch::x86_64::*;
    let mut out = [0u64; N];
    for (k, part) in chunk.chunks_exact(16).enumerate() {
        let word = |i: usize| {
            let mut w = [0u8; 8];
            w.copy_from_slice(&part[i..i + 8]);
            u64::from_le_bytes(w) as i64
        };
        let v = _mm_set_epi64x(word(8), word(0));
        let folded = _mm_or_si128(v, _mm_set1_epi8(0x20));
        let range = |v: __m128i, lo: u8, hi: u8| {
            let t = _mm_sub_epi8(v, _mm_set1_epi8(lo as i8));
            _mm_cmpeq_epi8(_mm_min_epu8(t, _mm_set1_epi8(hi.wrapping_sub(lo) as i8)), t)
        };
        for (o, set) in out.iter_mut().zip(sets) {
            let m = set.iter().fold(_mm_setzero_si128(), |m, c| {
                _mm_or_si128(
                    m,
                    match *c {
                        Class::Range(lo, hi) => range(v, lo, hi),
                        // (a non-ASCII byte with bit 5 set is still one:
                        // out of every ASCII range)
                        Class::Folded(lo, hi) => range(folded, lo, hi),
                    },
                )
            });
            *o |= u64::from(_mm_movemask_epi8(m) as u16) << (16 * k);
        }
    }
    out
}

/// Bit 7 of each byte of `x` whose value is in `lo..=hi`; every byte of
/// `x` must be below 0x80 (then `x + 0x80 - c` has bit 7 set where the
/// byte is at least `c`, and no sum carries into the next byte).
pub(crate) fn bytes_in(x: u64, lo: u8, hi: u8) -> u64 {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGH: u64 = 0x8080_8080_8080_8080;
    let at_least = |c: u8| x.wrapping_add(ONES * u64::from(0x80 - c));
    at_least(lo) & !x.wrapping_add(ONES * u64::from(0x7F - hi)) & HIGH
}

/// Whether `c` is an ASCII letter, digit or `_` (one table lookup).
#[inline]
pub(crate) fn is_ascii_word(c: u8) -> bool {
    ASCII_WORD[usize::from(c)]
}

/// ASCII letters, digits and `_`: the ASCII word chars of [`words`].
static ASCII_WORD: [bool; 256] = {
    let mut t = [false; 256];
    let mut c = 0;
    while c < 128 {
        t[c] = (c as u8).is_ascii_alphanumeric() || c == b'_' as usize;
        c += 1;
    }
    t
};

impl<'a> Ctx<'a> {
    pub fn new(text: &'a str) -> Self {
        Self::with_paras(text, crate::text::paragraphs(text))
    }
    /// Paragraphs are also cut at the boundaries of `blocks` (sorted,
    /// disjoint): a heading and the line after it are two paragraphs.
    pub fn with_blocks(text: &'a str, blocks: &[Range<usize>]) -> Self {
        Self::with_paras(text, crate::text::paragraphs_in(text, blocks))
    }
    fn with_paras(text: &'a str, paras: Vec<Range<usize>>) -> Self {
        let mut sents = Vec::with_capacity(paras.len() * 4);
        for p in &paras {
            crate::text::sentences(text, p.clone(), &mut sents);
        }
        Ctx {
            text,
            paras,
            sents,
            ascii: crate::text::AsciiView::new(text),
            words: std::sync::OnceLock::new(),
            keys: std::sync::OnceLock::new(),
        }
    }
    /// Every paragraph's words, and where each paragraph's list starts.
    /// Their keys are made in the same pass, while the words are in cache.
    fn word_table(&self) -> &(Vec<Range<usize>>, Vec<usize>) {
        self.words.get_or_init(|| {
            let mut all = Vec::with_capacity(self.text.len() / 5);
            let mut starts = Vec::with_capacity(self.paras.len() + 1);
            let mut keys = Vec::with_capacity(all.capacity());
            for p in &self.paras {
                starts.push(all.len());
                words_into(self.text, p.clone(), &mut all, &mut keys);
            }
            starts.push(all.len());
            let _ = self.keys.set(keys);
            (all, starts)
        })
    }

    /// The words of paragraph `i` (see [`words`]).
    pub fn para_words(&self, i: usize) -> &[Range<usize>] {
        let (all, starts) = self.word_table();
        match (starts.get(i), starts.get(i + 1)) {
            (Some(&a), Some(&b)) => &all[a..b],
            _ => &[],
        }
    }

    /// The [`word_key`]s of the words of paragraph `i`.
    pub fn para_word_keys(&self, i: usize) -> &[u64] {
        let (all, starts) = self.word_table();
        let keys = self.keys.get_or_init(|| {
            let b = self.text.as_bytes();
            all.iter().map(|r| word_key(&b[r.clone()])).collect()
        });
        match (starts.get(i), starts.get(i + 1)) {
            (Some(&a), Some(&b)) => &keys[a..b],
            _ => &[],
        }
    }

    /// The sentence holding byte `pos` (or an empty range at `pos`).
    pub fn sentence_at(&self, pos: usize) -> Range<usize> {
        let i = self.sents.partition_point(|s| s.end <= pos);
        match self.sents.get(i) {
            Some(s) if s.start <= pos => s.clone(),
            _ => pos..pos,
        }
    }
    /// Index of the paragraph holding byte `pos`.
    pub fn para_at(&self, pos: usize) -> Option<usize> {
        let i = self.paras.partition_point(|p| p.end <= pos);
        (i < self.paras.len() && self.paras[i].start <= pos).then_some(i)
    }
}

/// A regex checked when the rule is loaded and compiled on first use: a
/// rule set holds hundreds of them and a document needs few. It is built
/// as the pattern regexes are (`pattern::Compiled`, with Unicode): the
/// regex crate's default build also extracts a prefilter and builds a
/// one-pass DFA, which made compiling the eleven `unless` regexes that 8 MB
/// of news needs cost 4.5 ms instead of 1 ms, for searches of a sentence.
#[derive(Debug)]
pub struct LazyRegex {
    source: String,
    regex: std::sync::OnceLock<Option<pattern::Compiled>>,
}

impl LazyRegex {
    /// Check the syntax (a cheap parse); the regex is compiled by `get`.
    pub fn new(source: String) -> Result<Self, String> {
        regex_syntax::ast::parse::Parser::new()
            .parse(&source)
            .map_err(|e| e.to_string())?;
        Ok(LazyRegex {
            source,
            regex: std::sync::OnceLock::new(),
        })
    }

    /// The compiled regex; `None` if it does not compile (see `check`).
    fn get(&self) -> Option<&pattern::Compiled> {
        self.regex
            .get_or_init(|| pattern::Compiled::new(&self.source, false))
            .as_ref()
    }

    /// Compile now; the error when it does not compile (see
    /// `pattern::why_not`).
    pub fn check(&self) -> Result<(), String> {
        match self.get() {
            Some(_) => Ok(()),
            None => Err(pattern::why_not(&self.source, false)),
        }
    }

    fn is_match(&self, hay: &str) -> bool {
        self.get()
            .is_some_and(|r| r.is_match(regex_automata::Input::new(hay)))
    }
}

/// A structural kind that scans the whole document once (a single linear
/// pass) and pushes its hits: `repetition`, `sentence-case`, `brackets`,
/// `script`, `foreign-words`.
pub trait Scan: Send + Sync {
    fn run(&self, rule: usize, message: &str, ctx: &Ctx, out: &mut Vec<Hit>);
    /// Whether `run` reads the word table (`Ctx::para_words`), which the
    /// first such rule would build: `--stats` builds it first, as its own
    /// phase, so that rule's time is its own.
    fn uses_words(&self) -> bool {
        false
    }
}

/// The kinds compiled by [`compile_scan`].
pub const SCAN_KINDS: &[&str] = &[
    "repetition",
    "sentence-case",
    "brackets",
    "script",
    "foreign-words",
];

/// Compile a rule of one of the [`SCAN_KINDS`]; errors name the offending key.
pub fn compile_scan(
    spec: &crate::rules::RuleSpec,
    lists: &pattern::Lists,
) -> Result<Box<dyn Scan>, (String, String)> {
    Ok(match spec.kind.as_str() {
        "repetition" => Box::new(repetition::Repetition::compile(spec)?),
        "sentence-case" => Box::new(sentence_case::SentenceCase::compile(spec)?),
        "brackets" => Box::new(brackets::Brackets::compile(spec)?),
        "script" => Box::new(script::Script::compile(spec)?),
        "foreign-words" => Box::new(foreign::Foreign::compile(spec, lists)?),
        k => return Err(("kind".into(), format!("`{k}` is not a scan kind"))),
    })
}

/// Words of `text[range]`: maximal runs of letters and digits, with an
/// apostrophe or hyphen allowed between two of them ("don't", "re-elect").
pub fn words(text: &str, range: std::ops::Range<usize>) -> Vec<std::ops::Range<usize>> {
    let s = &text[range.clone()];
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len() / 5);
    // is there a word char at byte i (and how long is the char)?
    let word_at = |i: usize| -> (bool, usize) {
        match b.get(i) {
            None => (false, 0),
            Some(&c) if c.is_ascii() => (c.is_ascii_alphanumeric() || c == b'_', 1),
            Some(_) => {
                let ch = s[i..].chars().next().unwrap_or(' ');
                (crate::text::is_word_char(ch), ch.len_utf8())
            }
        }
    };
    let mut start: Option<usize> = None;
    let mut i = 0;
    while i < b.len() {
        let (is_word, len) = word_at(i);
        if is_word {
            start.get_or_insert(i);
            i += len;
            continue;
        }
        let joiner = b[i] == b'\'' || b[i] == b'-' || s[i..].starts_with('’');
        let jlen = if b[i] == 0xE2 { 3 } else { len.max(1) };
        if joiner && start.is_some() && word_at(i + jlen).0 {
            i += jlen;
            continue;
        }
        if let Some(st) = start.take() {
            out.push(range.start + st..range.start + i);
        }
        i += len.max(1);
    }
    if let Some(st) = start {
        out.push(range.start + st..range.end);
    }
    out
}

/// How many bytes of `b` from `i` are ASCII word bytes (letters, digits,
/// `_`), counted eight at a time.
fn ascii_word_run(b: &[u8], i: usize) -> usize {
    const HIGH: u64 = 0x8080_8080_8080_8080;
    let mut n = 0;
    loop {
        let k = b.len().saturating_sub(i + n).min(8);
        let word = swar_any(WORD, load_le(b, i + n, 8));
        let run = ((!word & HIGH).trailing_zeros() / 8) as usize;
        n += run.min(k);
        if run < 8 || k < 8 {
            return n;
        }
    }
}

/// The words of the 64 bytes of `b` from `i` (not inside a word), or of
/// the bytes left when fewer, up to the first byte that may need the
/// char-by-char rules of [`words_into`]: a non-ASCII byte or a joiner
/// (`'`, `-`). Words of ASCII letters, digits and `_` that end before it
/// are pushed (with `base` added) at the cost of one bit scan each.
/// Returns where to go on, and the stopping byte's offset + 1, which the
/// caller passes char by char (the word touching the stop, or the end of
/// 64 bytes that do not end `b`, is left to it too).
fn ascii_block_words(
    b: &[u8],
    i: usize,
    base: usize,
    out: &mut Vec<Range<usize>>,
    keys: &mut Vec<u64>,
) -> (usize, usize) {
    // A paragraph is ~150 bytes: its last bytes are a short block, not
    // left to the byte loop.
    let Some(block) = b.get(i..b.len().min(i + 64)).filter(|x| !x.is_empty()) else {
        return (i, b.len());
    };
    // (a joiner: `'` or `-`)
    let [word, special] = masks(
        block,
        [
            WORD,
            &[
                NON_ASCII,
                Class::Range(b'\'', b'\''),
                Class::Range(b'-', b'-'),
            ],
        ],
    );
    // Bits before the first special byte; a word whose last byte is right
    // before it (or at the end of the block) may go on: left to the caller.
    let limit = special.trailing_zeros();
    let before = if limit == 64 {
        u64::MAX
    } else {
        (1u64 << limit) - 1
    };
    let w = word & before;
    let starts = w & !(w << 1);
    let ends = w & !(w >> 1);
    let touching = 1u64 << limit.saturating_sub(1).min(63);
    let (mut s, mut e) = (starts, ends);
    while s != 0 {
        let (a, z) = (s.trailing_zeros() as usize, e.trailing_zeros() as usize);
        if (1u64 << z) & touching != 0 {
            // The word may go on past the stop: from its start, char by char.
            return (i + a, i + limit as usize + 1);
        }
        out.push(base + i + a..base + i + z + 1);
        keys.push(ascii_key_at(b, i + a..i + z + 1));
        s &= s - 1;
        e &= e - 1;
    }
    // (past a short block's end the masks are 0: no stop, no word)
    let next = i + (limit as usize).min(block.len());
    (next, next + usize::from(limit < 64))
}

/// [`words`] of `text[range]`, appended to `out`, and their [`word_key`]s
/// to `keys`: the same words, found with a tight loop over runs of ASCII
/// letters and digits, which also tells whether a word is ASCII.
fn words_into(text: &str, range: Range<usize>, out: &mut Vec<Range<usize>>, keys: &mut Vec<u64>) {
    let Some(s) = text.get(range.clone()) else {
        return;
    };
    let b = s.as_bytes();
    let base = range.start;
    // is there a word char at byte i (and how long is the char)?
    let word_at = |i: usize| -> (bool, usize) {
        match b.get(i) {
            None => (false, 0),
            Some(&c) if c.is_ascii() => (is_ascii_word(c), 1),
            Some(_) => {
                let ch = s.get(i..).and_then(|r| r.chars().next()).unwrap_or(' ');
                (crate::text::is_word_char(ch), ch.len_utf8())
            }
        }
    };
    let mut i = 0;
    // The byte-at-a-time path below runs up to `slow_until`: past the
    // first byte that stopped the block path.
    let mut slow_until = 0;
    while i < b.len() {
        if i >= slow_until {
            let (next, stop) = ascii_block_words(b, i, base, out, keys);
            i = next;
            slow_until = stop;
            if i >= b.len() {
                break;
            }
        }
        // between words: pass ASCII that is no word char (a joiner too)
        while b.get(i).is_some_and(|&c| c.is_ascii() && !is_ascii_word(c)) {
            i += 1;
        }
        let (is_word, len) = word_at(i);
        if !is_word {
            i += len.max(1);
            continue;
        }
        let start = i;
        let mut ascii = len == 1;
        i += len;
        // in a word: runs of ASCII word chars, other word chars, and a
        // joiner (', -, ’) followed by a word char
        loop {
            i += ascii_word_run(b, i);
            let jlen = match b.get(i) {
                None => break,
                Some(b'\'' | b'-') => 1,
                Some(&c) if c.is_ascii() => break,
                Some(_) => {
                    let (w, l) = word_at(i);
                    if w {
                        ascii = false;
                        i += l;
                        continue;
                    }
                    if !s.get(i..).is_some_and(|r| r.starts_with('’')) {
                        break;
                    }
                    3
                }
            };
            if !word_at(i + jlen).0 {
                break;
            }
            ascii &= jlen == 1;
            i += jlen;
        }
        out.push(base + start..base + i);
        keys.push(if ascii {
            ascii_key_at(b, start..i)
        } else {
            u64::MAX
        });
    }
}

#[cfg(test)]
mod word_tests {
    use std::ops::Range;

    #[test]
    fn words_split() {
        let t = "Don't re-elect “Zürich’s” 3.5 - x_y l’État";
        let w: Vec<&str> = super::words(t, 0..t.len())
            .into_iter()
            .map(|r| &t[r])
            .collect();
        assert_eq!(
            w,
            ["Don't", "re-elect", "Zürich’s", "3", "5", "x_y", "l’État"]
        );
    }

    #[test]
    fn ascii_word_run_counts_like_a_byte_loop() {
        let plain = |b: &[u8], i: usize| {
            b[i.min(b.len())..]
                .iter()
                .take_while(|&&c| c.is_ascii_alphanumeric() || c == b'_')
                .count()
        };
        for c in 0..=255u8 {
            for len in [1, 7, 8, 9, 17] {
                for pos in 0..len {
                    let mut b = b"aZ09_zA9q_Qm3xY7w".to_vec();
                    b.truncate(len);
                    b[pos] = c;
                    for i in 0..=len {
                        assert_eq!(
                            super::ascii_word_run(&b, i),
                            plain(&b, i),
                            "{c:#x} at {pos} of {len}, from {i}"
                        );
                    }
                }
            }
        }
    }

    /// Both paths of `masks` find each class's bytes, at every length of
    /// a block, bytes past its end in none.
    #[test]
    fn masks_agree_with_a_byte_test() {
        use super::{Class, LEADS, NON_ASCII, WORD};
        let alphabet: Vec<u8> = vec![
            0x00, 0x1F, b' ', b'\'', b'-', b'/', b'0', b'9', b':', b'@', b'A', b'Z', b'[', b'_',
            b'`', b'a', b'z', b'{', 0x7F, 0x80, 0x9F, 0xBF, 0xC0, 0xDF, 0xE0, 0xFF,
        ];
        let sets: [&[Class]; 4] = [
            WORD,
            &[
                NON_ASCII,
                Class::Range(b'\'', b'\''),
                Class::Range(b'-', b'-'),
            ],
            &[LEADS],
            &[Class::Range(0x80, 0xBF), Class::Folded(b'0', b'9')],
        ];
        let mut x: u32 = 7;
        for len in 0..=64 {
            for _ in 0..40 {
                let chunk: Vec<u8> = (0..len)
                    .map(|_| {
                        x = x.wrapping_mul(1_103_515_245).wrapping_add(12345);
                        alphabet[(x >> 16) as usize % alphabet.len()]
                    })
                    .collect();
                let want = sets.map(|set| {
                    chunk.iter().enumerate().fold(0u64, |m, (i, &b)| {
                        m | (u64::from(set.iter().any(|c| c.has(b))) << i)
                    })
                });
                assert_eq!(super::masks(&chunk, sets), want, "{chunk:?}");
                assert_eq!(super::masks_swar(&chunk, sets), want, "{chunk:?}");
            }
        }
    }

    #[test]
    fn words_into_agrees_with_words() {
        let texts = [
            "",
            " ",
            "a",
            "Don't re-elect “Zürich’s” 3.5 - x_y l’État",
            "-a- 'b' ’c’ a-’b a’-b a--b a''b a’’b end-",
            "naïve café—déjà vu, 知道 и/или गांव ΟΔΟΣ\nnext\u{2019}line",
            "x\u{200D}y a\u{301}b ½ ² Ⅻ _x_ __ 12,000.5 e-mail’s’",
            "trailing joiner' and ’ alone ’",
        ];
        // Long texts too, for the 64-byte block path: words across block
        // edges, joiners and non-ASCII chars at every offset of a block.
        let mut long: Vec<String> = vec![
            "The quick brown fox jumps over the lazy dog, again and again. ".repeat(5),
            format!("{}x", "a".repeat(130)),
            format!(
                "{} re-elect {}",
                "word ".repeat(12),
                "l’État don't ".repeat(9)
            ),
        ];
        let alphabet = [
            "a", "Z", "9", "_", " ", " ", "ab", "-", "'", "’", "é", ".", "\n", ",", "知", "\u{301}",
        ];
        let mut x: u32 = 99;
        for len in [70, 100, 140, 200] {
            for _ in 0..60 {
                let t: String = (0..len)
                    .map(|_| {
                        x = x.wrapping_mul(1_103_515_245).wrapping_add(12345);
                        alphabet[(x >> 16) as usize % alphabet.len()]
                    })
                    .collect();
                long.push(t);
            }
        }
        let spans = |t: &str| -> Vec<(usize, usize)> {
            if t.len() < 64 {
                let b: Vec<usize> = (0..=t.len()).filter(|&i| t.is_char_boundary(i)).collect();
                b.iter()
                    .flat_map(|&s| b.iter().filter(move |&&e| e >= s).map(move |&e| (s, e)))
                    .collect()
            } else {
                let b: Vec<usize> = (0..=t.len())
                    .filter(|&i| t.is_char_boundary(i) && (i < 70 || i + 3 > t.len()))
                    .collect();
                b.iter().map(|&s| (s, t.len())).collect()
            }
        };
        for t in texts.iter().map(|t| t.to_string()).chain(long) {
            let t = t.as_str();
            for (start, end) in spans(t) {
                // a word already in the lists, which must stay
                let mut got: Vec<Range<usize>> = std::iter::once(0..0).collect();
                let mut keys = vec![7];
                super::words_into(t, start..end, &mut got, &mut keys);
                let mut want: Vec<Range<usize>> = std::iter::once(0..0).collect();
                want.extend(super::words(t, start..end));
                assert_eq!(got, want, "{t:?} {start}..{end}");
                let want_keys: Vec<u64> = std::iter::once(7)
                    .chain(
                        want[1..]
                            .iter()
                            .map(|r| super::word_key(&t.as_bytes()[r.clone()])),
                    )
                    .collect();
                assert_eq!(keys, want_keys, "{t:?} {start}..{end}");
            }
        }
    }
}

/// Context conditions shared by lexical and pattern rules.
#[derive(Debug, Default)]
pub struct Context {
    pub unless: Option<LazyRegex>,
    pub before: Option<LazyRegex>,
    pub after: Option<LazyRegex>,
}

impl Context {
    pub fn new(unless: Option<&str>, before: &[String], after: &[String]) -> Result<Self, String> {
        let words = |ws: &[String]| -> Result<Option<LazyRegex>, String> {
            if ws.is_empty() {
                return Ok(None);
            }
            let alts: Vec<String> = ws.iter().map(|w| regex::escape(w.trim())).collect();
            LazyRegex::new(format!(r"(?i)\b(?:{})\b", alts.join("|"))).map(Some)
        };
        Ok(Context {
            unless: unless
                .map(|u| LazyRegex::new(u.to_string()))
                .transpose()
                .map_err(|e| format!("bad `unless` regex: {e}"))?,
            before: words(before)?,
            after: words(after)?,
        })
    }

    /// Compile the context regexes now; the first error.
    pub fn check(&self) -> Result<(), String> {
        for r in [&self.unless, &self.before, &self.after]
            .into_iter()
            .flatten()
        {
            r.check().map_err(|e| format!("bad `unless` regex: {e}"))?;
        }
        Ok(())
    }

    pub fn is_empty(&self) -> bool {
        self.unless.is_none() && self.before.is_none() && self.after.is_none()
    }

    /// True when the sentence around `span` suppresses the finding.
    pub fn suppressed(&self, ctx: &Ctx, span: &Range<usize>) -> bool {
        if self.is_empty() {
            return false;
        }
        // The sentence, no more than CONTEXT_REACH bytes on either side: a
        // "sentence" with no full stop in a megabyte of text would be read
        // again for each finding in it.
        let s = ctx.sentence_at(span.start);
        let from = s.start.max(span.start.saturating_sub(CONTEXT_REACH));
        let to = s.end.min(span.end.saturating_add(CONTEXT_REACH));
        let s = crate::text::floor_char(ctx.text, from.min(span.start))
            ..ctx.text.ceil_char_boundary(to.max(span.end));
        if let Some(re) = &self.unless
            && re.is_match(&ctx.text[s.clone()])
        {
            return true;
        }
        if let Some(re) = &self.before
            && re.is_match(&ctx.text[s.start..span.start])
        {
            return true;
        }
        if let Some(re) = &self.after
            && re.is_match(&ctx.text[span.end..s.end])
        {
            return true;
        }
        false
    }
}

/// How far `unless`, `unless_before` and `unless_after` look from a
/// finding, at most, within its sentence.
pub const CONTEXT_REACH: usize = 500;

/// Fill `{name}` placeholders; unknown names are left as written.
pub fn render(template: &str, lookup: &dyn Fn(&str) -> Option<String>) -> String {
    let mut out = String::with_capacity(template.len() + 16);
    let mut rest = template;
    while let Some(i) = rest.find('{') {
        out.push_str(&rest[..i]);
        let after = &rest[i + 1..];
        match after.find('}') {
            Some(j) if after[..j].chars().all(|c| c.is_alphanumeric() || c == '_') && j > 0 => {
                match lookup(&after[..j]) {
                    Some(v) => out.push_str(&v),
                    None => out.push_str(&rest[i..i + j + 2]),
                }
                rest = &after[j + 1..];
            }
            _ => {
                out.push('{');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

/// True when `span` of `text` starts and ends on word boundaries (a side
/// that is not itself a word char needs no boundary).
pub fn on_word_boundaries(text: &str, span: &Range<usize>) -> bool {
    use crate::text::{char_at, char_before, is_word_char};
    let first = char_at(text, span.start);
    let last = char_before(text, span.end);
    let left_ok = !first.is_some_and(is_word_char)
        || !char_before(text, span.start).is_some_and(is_word_char);
    let right_ok =
        !last.is_some_and(is_word_char) || !char_at(text, span.end).is_some_and(is_word_char);
    left_ok && right_ok
}

#[cfg(test)]
mod key_tests {
    use std::ops::Range;

    #[test]
    fn keys_agree_on_case_and_defer_non_ascii() {
        use super::word_key;
        assert_eq!(word_key(b"Government"), word_key(b"government"));
        assert_ne!(word_key(b"governments"), word_key(b"government"));
        assert_ne!(word_key(b"the"), word_key(b"tha"));
        assert_eq!(word_key("État".as_bytes()), u64::MAX);
        assert_ne!(word_key(b"abcdefgh"), u64::MAX);
    }

    #[test]
    fn word_key_at_is_word_key() {
        let words: [&[u8]; 12] = [
            b"",
            b"a",
            b"Z",
            b"AZaz09_@[`{",
            b"Government",
            b"GOVERNMENT",
            b"x_Y-z'W",
            b"abcdef",
            b"ABCDEFG",
            "État".as_bytes(),
            b"\x7f\x00\x40\x5b\x60\x7b",
            b"@[`{AZ",
        ];
        let mut hay: Vec<u8> = Vec::new();
        for c in 0u8..=0x7f {
            hay.extend([c, b'x', c, c.wrapping_add(1) & 0x7f, c, b'Y', c, b' ']);
        }
        for w in words {
            hay.extend_from_slice(w);
            hay.push(b' ');
        }
        hay.extend(vec![b'Q'; 70_000]);
        // every range, near the end too (fewer than eight bytes left)
        for start in (0..hay.len()).step_by(3).chain(hay.len() - 20..hay.len()) {
            for len in [0, 1, 2, 5, 6, 7, 9, 13] {
                let r = start..(start + len).min(hay.len());
                let want = super::word_key(&hay[r.clone()]);
                assert_eq!(super::word_key_at(&hay, r.clone()), want, "{r:?}");
            }
        }
        let r = hay.len() - 70_000..hay.len();
        assert_eq!(
            super::word_key_at(&hay, r.clone()),
            super::word_key(&hay[r])
        );
        let reversed = Range { start: 5, end: 3 };
        assert_eq!(super::word_key_at(&hay, reversed), u64::MAX);
        assert_eq!(super::word_key_at(b"ab", 0..9), u64::MAX);
    }
}

#[cfg(test)]
mod lazy_regex_tests {
    use super::LazyRegex;

    #[test]
    fn matches_as_the_regex_crate_does() {
        let cases = [
            r"(?i)\bper \d{1,3} \d{3}\b",
            r"(?i)\b(?:no one|nobody|let's|can't)\b",
            r"\b[Cc]hemin de Damas\b",
            r"\d +: +\d",
        ];
        let hays = [
            "PER 12 345 people",
            "per ١٢ ٣٤٥", // Arabic-Indic digits are \d with Unicode
            "nobody",
            "Nobodyé",
            "éNobody",
            "LET'S go",
            "le chemin de Damas",
            "3 : 4",
            "",
        ];
        for src in cases {
            let lazy = LazyRegex::new(src.to_string()).unwrap();
            let re = regex::Regex::new(src).unwrap();
            for h in hays {
                assert_eq!(lazy.is_match(h), re.is_match(h), "{src} on {h:?}");
            }
        }
    }

    #[test]
    fn check_reports_a_regex_that_does_not_compile() {
        assert!(LazyRegex::new(r"\p{Nope}".into()).unwrap().check().is_err());
        // Within the regex crate's size limit, past the engine's.
        let big = r"\w{150}";
        assert!(regex::Regex::new(big).is_ok());
        let e = LazyRegex::new(big.into()).unwrap().check().unwrap_err();
        assert!(e.contains("size"), "{e}");
        assert!(LazyRegex::new("(".into()).is_err());
    }
}
