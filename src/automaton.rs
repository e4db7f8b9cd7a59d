//! The shared string matcher: every phrase entry and every prefilter
//! literal of a rule set, ASCII case folded, found wherever it occurs
//! (overlapping occurrences included) in one pass over the text.
//!
//! Most literals matter only where a word starts (a phrase, or a regex
//! literal after `\b`). Those that begin with an ASCII letter or digit and
//! are at least [`SHORT_KEY`] bytes long are looked up in a hash table
//! ([`WordIndex`]) at each word start of the text: by their first
//! `KEY_LEN` bytes, or all their bytes up to `SHORT_KEY` when shorter than
//! `KEY_LEN`. That is two lookups per word, mostly answered by an L1-sized
//! filter. So are those made of one ASCII byte that is no word byte and
//! such a word (` of the `, `(born`): by the word, the byte before it
//! compared, and the short acronyms found in their case (`UN`, `Mme`),
//! where a word starts with an upper-case letter ([`cap_word`]). The rest
//! (short words, `ou` inside a word, ` 2`, `n°`) go into an Aho-Corasick
//! automaton over the whole text, small enough to be a DFA.
//!
//! For the built-in rules (3,897 literals) the index holds 3,570 and the
//! automaton 327, as 289 keys: a DFA of 846 states and 65 byte classes
//! ([`dfa`], 110 KB of 16-bit transitions; the aho-corasick crate's was
//! 0.44 MB), well inside the L2 cache of a core. With only literals of 8
//! bytes or more in the index, the automaton had 1,270 keys and a 2.3 MB
//! DFA that did not fit, and the scan waited on memory. Each step that moved keys out of it paid: on
//! 2 MB of news in 100 files, the 5-to-7-byte words (1,270 to 592 keys)
//! cut cachegrind's data misses by 10% and instructions by 2.6%; the
//! literals led by a space or `(` (592 to 412 keys) cut data misses by 7%
//! and instructions by 1.6%, and the literal pass on 8 MB by 16%. Keys of
//! 3 or 4 bytes cost more in confirmations (`at`, `may`) than they save.
//!
//! Both hold *keys*: literals cut to their first `KEY_LEN` bytes and
//! deduplicated. An occurrence of a key is confirmed against each literal
//! that starts with it by one comparison, case folded or, for a
//! case-sensitive literal (`Pr`, `UN`), exact: the caller is not called
//! for the thousands of `pr` and `un` of ordinary words.

use aho_corasick::{AhoCorasick, AhoCorasickBuilder, AhoCorasickKind, MatchKind};
use std::ops::Range;
use std::sync::OnceLock;

mod dfa;

/// Bytes of a literal that go into a key.
const KEY_LEN: usize = 8;
/// Word-start literals of `SHORT_KEY` to `KEY_LEN - 1` bytes are looked up
/// in the word index too, by their first `SHORT_KEY` bytes.
const SHORT_KEY: usize = 5;
/// Marks a short key in the word index (no 8-byte key of a literal has
/// bytes 5 to 7 zero, a literal holds no NUL).
const SHORT_TAG: u64 = 1 << 63;
const SHORT_MASK: u64 = (1 << (8 * SHORT_KEY)) - 1;
/// Most keys for which the automaton is a DFA (more: the aho-corasick
/// crate's contiguous NFA, cheaper to build, slower to run).
const DFA_KEYS: usize = 1500;

/// The automaton over the keys: [`dfa::Dfa`] when its table holds them (it
/// does the built-in rules' with room to spare), else the aho-corasick
/// crate's, a DFA up to `DFA_KEYS` keys and a contiguous NFA past that.
/// On 2 MB of news the crate's overlapping search spent 40.6 M
/// instructions, ours 28.4 M, its two interleaved chains of table loads
/// also waiting half as long; `--stats` puts the literal pass on 20 MB at
/// 223–228 ms against 254 ms (median of six interleaved runs each).
enum Matcher {
    Dfa(Box<dfa::Dfa>),
    Ac(AhoCorasick),
}

/// One literal to find, and where its occurrences matter.
#[derive(Clone, Debug, Default)]
pub struct Literal {
    pub text: String,
    /// Only where a word starts: when the literal starts with an ASCII
    /// letter or digit, its occurrences right after an ASCII letter, digit
    /// or `_` are left out.
    pub word_start: bool,
    /// Only in its exact case: an occurrence in another case is left out.
    pub case_sensitive: bool,
}

pub struct Strings {
    /// The literals, in the caller's order.
    lits: Vec<Literal>,
    /// The automaton's patterns: the distinct keys of the literals that
    /// are not in the word index.
    keys: Vec<String>,
    /// For key `k`, the literals that start with it:
    /// `members.of[starts[k]..starts[k + 1]]`.
    starts: Vec<usize>,
    members: Members,
    /// The literals found at word starts.
    at_words: Vec<usize>,
    /// Built on first use: a run that checks no text does not pay for them.
    ac: OnceLock<Option<Matcher>>,
    words: OnceLock<WordIndex>,
}

/// The first `KEY_LEN` bytes of `lit` (fewer, to end on a character
/// boundary), ASCII lower-cased.
fn key(lit: &str) -> String {
    let mut end = lit.len().min(KEY_LEN);
    while !lit.is_char_boundary(end) {
        end -= 1;
    }
    lit[..end].to_ascii_lowercase()
}

/// Whether `lit` is one ASCII byte that is no word byte (a space, `(`,
/// `/`) followed by at least `SHORT_KEY` bytes that start with an ASCII
/// letter or digit (" of the ", "(born"). What follows that byte starts a
/// word wherever the literal occurs, so the literal is looked up in the
/// word index by it, and the byte before the word compared.
fn lead_byte(lit: &str) -> bool {
    let b = lit.as_bytes();
    b.len() > SHORT_KEY
        && b[0].is_ascii()
        && !b[0].is_ascii_alphanumeric()
        && b[0] != b'_'
        && b[1].is_ascii_alphanumeric()
}

/// Whether `l` is a word-start literal of 2 to `SHORT_KEY - 1` bytes
/// found in its exact case, that starts with an ASCII upper-case letter
/// (`UN`, `Pr`, `Mme`, `By `). It is looked up in the word index by all its
/// bytes, as written, where a word starts with an upper-case letter. In
/// the automaton, case folded, the keys of these 128 literals matched
/// inside every other word (`un` in `under`, `ie` in `their`, `pr` in
/// `press`): 426,000 of its 721,000 occurrences on 20 MB of news, each
/// confirmed and rejected.
fn cap_word(l: &Literal) -> bool {
    l.case_sensitive
        && l.word_start
        && (2..SHORT_KEY).contains(&l.text.len())
        && l.text.as_bytes()[0].is_ascii_uppercase()
}

/// The word-index key of the `len` bytes of `b` at `at`, as written, for a
/// [`cap_word`] literal: bytes `len` to 4 zero, unlike the two other kinds
/// of key (a literal holds no NUL).
fn cap_key(b: &[u8], at: usize, len: usize) -> u64 {
    crate::kinds::load_le(b, at, len) | SHORT_TAG
}

/// One literal filed under a key, with what confirming an occurrence
/// needs: no lookup elsewhere, and its bytes next to those of the other
/// literals of its key (a confirmation used to chase the literal's
/// `String` and then its heap bytes, two cache misses).
#[derive(Clone, Copy, Debug)]
struct Member {
    /// The literal's number, in the caller's order.
    lit: u32,
    /// Its bytes: `Members::bytes[off..off + len]`.
    off: u32,
    len: u32,
    /// Found in its exact case only.
    exact: bool,
    /// Keyed after its lead byte (see [`lead_byte`]).
    led: bool,
    /// A word-start literal that starts with an ASCII letter or digit: an
    /// occurrence right after an ASCII word byte is no occurrence.
    word: bool,
    /// Its first 16 bytes as two little-endian words (zero past its end),
    /// ASCII lower-cased unless `exact`: most confirmations are two
    /// integer comparisons, not a byte loop from the first byte.
    head: [u64; 2],
}

/// Word `w` (0 or 1) of [`Member::head`] for the `len` bytes of `b` at
/// `at`: a literal's own bytes when it is filed, the text's when an
/// occurrence is confirmed.
#[inline]
fn head_word(b: &[u8], at: usize, len: usize, w: usize, exact: bool) -> u64 {
    let x = crate::kinds::load_le(b, at + 8 * w, len.saturating_sub(8 * w).min(8));
    if exact { x } else { lower8(x) }
}

/// Literals grouped by key, their bytes in one buffer in the same order.
#[derive(Default)]
struct Members {
    of: Vec<Member>,
    bytes: Vec<u8>,
}

impl Members {
    fn push(&mut self, i: usize, l: &Literal) {
        let off = self.bytes.len() as u32;
        self.bytes.extend_from_slice(l.text.as_bytes());
        let b = l.text.as_bytes();
        let head = |w| head_word(b, 0, b.len(), w, l.case_sensitive);
        self.of.push(Member {
            lit: i as u32,
            off,
            len: l.text.len() as u32,
            head: [head(0), head(1)],
            exact: l.case_sensitive,
            led: lead_byte(&l.text),
            word: l.word_start
                && l.text
                    .bytes()
                    .next()
                    .is_some_and(|b| b.is_ascii_alphanumeric()),
        });
    }

    #[inline]
    fn text(&self, m: &Member) -> &[u8] {
        &self.bytes[m.off as usize..(m.off + m.len) as usize]
    }
}

impl Strings {
    pub fn new(lits: Vec<Literal>) -> Strings {
        let mut at_words = Vec::new();
        let mut order: Vec<(String, usize)> = Vec::new();
        for (i, l) in lits.iter().enumerate() {
            if lead_byte(&l.text)
                || cap_word(l)
                || (l.word_start
                    && l.text.len() >= SHORT_KEY
                    && l.text
                        .bytes()
                        .next()
                        .is_some_and(|b| b.is_ascii_alphanumeric()))
            {
                at_words.push(i);
            } else {
                order.push((key(&l.text), i));
            }
        }
        order.sort();
        let mut keys: Vec<String> = Vec::new();
        let mut starts = Vec::new();
        let mut members = Members::default();
        for (k, i) in order {
            if keys.last() != Some(&k) {
                starts.push(members.of.len());
                keys.push(k);
            }
            members.push(i, &lits[i]);
        }
        starts.push(members.of.len());
        Strings {
            lits,
            keys,
            starts,
            members,
            at_words,
            ac: OnceLock::new(),
            words: OnceLock::new(),
        }
    }

    pub fn is_empty(&self) -> bool {
        self.lits.is_empty()
    }

    /// Whether the matcher is built.
    pub fn is_built(&self) -> bool {
        self.ac.get().is_some() && self.words.get().is_some()
    }

    /// Build the matcher now (a spare thread calls this while another
    /// runs the rules that do not need it).
    pub fn build(&self) {
        self.automaton();
        self.word_index();
    }

    fn word_index(&self) -> &WordIndex {
        self.words
            .get_or_init(|| WordIndex::new(&self.lits, &self.at_words))
    }

    fn automaton(&self) -> Option<&Matcher> {
        self.ac
            .get_or_init(|| {
                if self.keys.is_empty() {
                    return None;
                }
                if self.keys.len() <= DFA_KEYS
                    && let Some(d) = dfa::Dfa::new(&self.keys)
                {
                    return Some(Matcher::Dfa(Box::new(d)));
                }
                let kind = if self.keys.len() <= DFA_KEYS {
                    AhoCorasickKind::DFA
                } else {
                    AhoCorasickKind::ContiguousNFA
                };
                AhoCorasickBuilder::new()
                    .ascii_case_insensitive(true)
                    .match_kind(MatchKind::Standard)
                    .kind(Some(kind))
                    .build(&self.keys)
                    .map_err(|e| {
                        eprintln!(
                            "warning: phrase and prefilter automaton not built, phrase rules skipped: {e}"
                        );
                    })
                    .ok()
                    .map(Matcher::Ac)
            })
            .as_ref()
    }

    /// Call `f(literal, range)` for every occurrence of every literal in
    /// `text` (ASCII case folded, but in its exact case for a
    /// case-sensitive literal; overlapping occurrences included), but
    /// not those of a word-start literal that starts with an ASCII letter
    /// or digit right after an ASCII letter, digit or `_`. The caller
    /// checks word boundaries (with Unicode) in any case.
    pub fn find(&self, text: &str, mut f: impl FnMut(usize, Range<usize>)) {
        let bytes = text.as_bytes();
        let confirm = |lit: &[u8],
                       m: &Member,
                       start: usize,
                       key_len: usize,
                       f: &mut dyn FnMut(usize, Range<usize>)| {
            let end = start + lit.len();
            // A case-folded literal no longer than its key is the key.
            let ok = (!m.exact && lit.len() == key_len)
                || (end <= bytes.len()
                    && (0..2).all(|w| m.head[w] == head_word(bytes, start, lit.len(), w, m.exact))
                    && (lit.len() <= 16 || {
                        let (t, l) = (&bytes[start + 16..end], &lit[16..]);
                        if m.exact {
                            t == l
                        } else {
                            t.eq_ignore_ascii_case(l)
                        }
                    }));
            if ok {
                f(m.lit as usize, start..end);
            }
        };
        let mut key_at = |k: usize, start: usize, end: usize| {
            let after_word = start > 0 && crate::kinds::is_ascii_word(bytes[start - 1]);
            for m in &self.members.of[self.starts[k]..self.starts[k + 1]] {
                if !(m.word && after_word) {
                    confirm(self.members.text(m), m, start, end - start, &mut f);
                }
            }
        };
        match self.automaton() {
            Some(Matcher::Dfa(d)) => d.find(bytes, &mut key_at),
            Some(Matcher::Ac(ac)) => {
                for o in ac.find_overlapping_iter(text) {
                    key_at(o.pattern().as_usize(), o.start(), o.end());
                }
            }
            None => {}
        }
        let index = self.word_index();
        if index.members.of.is_empty() {
            return;
        }
        // Word starts, 64 bytes at a time, as bit masks: an ASCII letter or
        // digit not preceded by one or by `_`.
        let mut prev_word = 0u64;
        for (block, chunk) in bytes.chunks(64).enumerate() {
            let (word, alnum) = word_masks(chunk);
            let mut starts = alnum & !((word << 1) | prev_word);
            prev_word = word >> 63;
            while starts != 0 {
                let p = block * 64 + starts.trailing_zeros() as usize;
                starts &= starts - 1;
                // A literal keyed after its lead byte starts one byte
                // earlier, with that byte.
                let at = |m: &Member, key_len: usize, f: &mut dyn FnMut(usize, Range<usize>)| {
                    let lit = index.members.text(m);
                    if !m.led {
                        confirm(lit, m, p, key_len, f);
                    } else if p > 0 && bytes[p - 1] == lit[0] {
                        confirm(lit, m, p - 1, key_len + 1, f);
                    }
                };
                if index.caps != 0 && bytes[p].is_ascii_uppercase() {
                    for len in 2..SHORT_KEY {
                        if index.caps & (1 << len) != 0 && p + len <= bytes.len() {
                            for m in index.get(cap_key(bytes, p, len)) {
                                at(m, len, &mut f);
                            }
                        }
                    }
                }
                let key = match bytes.get(p..p + KEY_LEN) {
                    Some(head) => {
                        let key = lower8(u64::from_le_bytes(head.try_into().unwrap_or_default()));
                        for m in index.get(key) {
                            at(m, KEY_LEN, &mut f);
                        }
                        key
                    }
                    None if p + SHORT_KEY <= bytes.len() => {
                        lower8(crate::kinds::load_le(bytes, p, SHORT_KEY))
                    }
                    None => continue,
                };
                for m in index.get((key & SHORT_MASK) | SHORT_TAG) {
                    at(m, SHORT_KEY, &mut f);
                }
            }
        }
    }
}

/// Bit `i` set where byte `i` of `chunk` (up to 64 bytes) is a word byte
/// (ASCII letter, digit, `_`), and where it is an ASCII letter or digit
/// (`kinds::masks`).
#[inline(always)]
fn word_masks(chunk: &[u8]) -> (u64, u64) {
    use crate::kinds::{DIGITS, LETTERS, WORD};
    let [word, alnum] = crate::kinds::masks(chunk, [WORD, &[LETTERS, DIGITS]]);
    (word, alnum)
}

/// ASCII lower case of eight bytes at once.
fn lower8(x: u64) -> u64 {
    const LOW7: u64 = 0x7F7F_7F7F_7F7F_7F7F;
    // ASCII upper-case letters: `A` to `Z` among the low seven bits, bit 7
    // of the byte clear.
    let upper = crate::kinds::bytes_in(x & LOW7, b'A', b'Z') & !x;
    x | (upper >> 2)
}

/// The literals of at least `SHORT_KEY` bytes looked up where words start,
/// by their first `KEY_LEN` bytes, or by their first `SHORT_KEY` bytes
/// marked with `SHORT_TAG` when shorter (ASCII lower-cased, packed
/// little-endian into a `u64`): two lookups per word of the text.
struct WordIndex {
    /// Open addressing: (key, `members` range); an empty range = an empty
    /// slot.
    slots: Vec<(u64, u32, u32)>,
    shift: u32,
    /// One bit per hash of a key (`FILTER_BITS` bits, small enough to stay
    /// in the L1 cache): most words start no key, and stop here instead
    /// of at a slot.
    filter: Vec<u64>,
    members: Members,
    /// Bit `n` set: some [`cap_word`] literal is `n` bytes long.
    caps: u32,
}

/// Bits of `WordIndex::filter`, as a power of two.
const FILTER_BITS: u32 = 16;

fn hash(key: u64) -> u64 {
    key.wrapping_mul(0x9E37_79B9_7F4A_7C15)
}

/// The filter bit of a hash: from its high bits, like the slot. (Bit `k`
/// of a product depends on bits 0 to `k` of the key only: middle bits
/// would filter by the key's first three bytes.)
fn filter_bit(h: u64) -> (usize, u64) {
    let b = (h >> (64 - FILTER_BITS)) as usize;
    (b >> 6, 1 << (b & 63))
}

impl WordIndex {
    fn new(lits: &[Literal], at_words: &[usize]) -> WordIndex {
        let mut caps = 0;
        let mut keyed: Vec<(u64, usize)> = at_words
            .iter()
            .map(|&i| {
                let text = &lits[i].text;
                if cap_word(&lits[i]) {
                    caps |= 1 << text.len();
                    return (cap_key(text.as_bytes(), 0, text.len()), i);
                }
                let lit = &text.as_bytes()[usize::from(lead_byte(text))..];
                let key = match lit.get(..KEY_LEN) {
                    Some(head) => lower8(u64::from_le_bytes(head.try_into().unwrap_or_default())),
                    None => lower8(crate::kinds::load_le(lit, 0, SHORT_KEY)) | SHORT_TAG,
                };
                (key, i)
            })
            .collect();
        keyed.sort_unstable();
        let distinct = keyed.chunk_by(|a, b| a.0 == b.0).count();
        let bits = (distinct * 2).max(2).next_power_of_two().trailing_zeros();
        let shift = 64 - bits;
        let mut slots = vec![(0u64, 0u32, 0u32); 1 << bits];
        let mut filter = vec![0u64; 1 << (FILTER_BITS - 6)];
        let mut members = Members::default();
        for group in keyed.chunk_by(|a, b| a.0 == b.0) {
            let key = group[0].0;
            let start = members.of.len() as u32;
            for g in group {
                members.push(g.1, &lits[g.1]);
            }
            let h = hash(key);
            let (w, bit) = filter_bit(h);
            filter[w] |= bit;
            let mut s = (h >> shift) as usize;
            while slots[s].1 != slots[s].2 {
                s = (s + 1) & (slots.len() - 1);
            }
            slots[s] = (key, start, members.of.len() as u32);
        }
        WordIndex {
            slots,
            shift,
            filter,
            members,
            caps,
        }
    }

    /// The literals whose key is `key`.
    #[inline]
    fn get(&self, key: u64) -> &[Member] {
        let h = hash(key);
        let (w, bit) = filter_bit(h);
        if self.filter[w] & bit == 0 {
            return &[];
        }
        let mut s = (h >> self.shift) as usize;
        loop {
            let (k, a, b) = self.slots[s];
            if a == b {
                return &[];
            }
            if k == key {
                return &self.members.of[a as usize..b as usize];
            }
            s = (s + 1) & (self.slots.len() - 1);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn is_word_byte(b: u8) -> bool {
        b.is_ascii_alphanumeric() || b == b'_'
    }

    #[test]
    fn word_masks_classify_every_byte_at_every_position() {
        let reference = |chunk: &[u8]| {
            let (mut word, mut alnum) = (0u64, 0u64);
            for (i, &c) in chunk.iter().enumerate() {
                word |= u64::from(is_word_byte(c)) << i;
                alnum |= u64::from(c.is_ascii_alphanumeric()) << i;
            }
            (word, alnum)
        };
        for b in 0..=255u8 {
            for len in [1, 7, 8, 9, 63, 64] {
                for pos in 0..len {
                    let mut chunk: Vec<u8> = b"a_Z9 \xC3\xA9-`{@[/:"
                        .iter()
                        .copied()
                        .cycle()
                        .take(len)
                        .collect();
                    chunk[pos] = b;
                    assert_eq!(
                        word_masks(&chunk),
                        reference(&chunk),
                        "{b:#x} at {pos} of {len}"
                    );
                }
            }
        }
    }

    #[test]
    fn lower8_lowers_ascii_letters_only() {
        for b in 0..=255u8 {
            for pos in 0..8 {
                let mut bytes = *b"Az@[`{\xC3\x89";
                bytes[pos] = b;
                let want = bytes.map(|c| c.to_ascii_lowercase());
                assert_eq!(
                    lower8(u64::from_le_bytes(bytes)),
                    u64::from_le_bytes(want),
                    "{b:#x} at {pos}"
                );
            }
        }
    }

    /// Every occurrence, found the plain way: each literal at each offset;
    /// for a word-start literal that starts with an ASCII letter or digit,
    /// not right after an ASCII word byte; for a case-sensitive one, in its
    /// case.
    fn naive(lits: &[Literal], text: &str) -> Vec<(usize, Range<usize>)> {
        let mut out = Vec::new();
        let b = text.as_bytes();
        for (i, l) in lits.iter().enumerate() {
            let lb = l.text.as_bytes();
            for s in 0..text.len() {
                let e = s + lb.len();
                let after_word = s > 0 && is_word_byte(b[s - 1]);
                let same = b.get(s..e).is_some_and(|t| {
                    if l.case_sensitive {
                        t == lb
                    } else {
                        t.eq_ignore_ascii_case(lb)
                    }
                });
                if same
                    && !(l.word_start
                        && lb.first().is_some_and(u8::is_ascii_alphanumeric)
                        && after_word)
                {
                    out.push((i, s..e));
                }
            }
        }
        out.sort_by_key(|(i, r)| (r.start, r.end, *i));
        out
    }

    fn literals(lits: &[(&str, bool)]) -> Vec<Literal> {
        lits.iter()
            .map(|(l, w)| Literal {
                text: l.to_string(),
                word_start: *w,
                case_sensitive: false,
            })
            .collect()
    }

    fn found(s: &Strings, text: &str) -> Vec<(usize, Range<usize>)> {
        let mut out = Vec::new();
        s.find(text, |i, r| out.push((i, r)));
        out.sort_by_key(|(i, r)| (r.start, r.end, *i));
        out
    }

    #[test]
    fn case_sensitive_literals_are_found_in_their_case_only() {
        let mut lits = literals(&[
            ("UN", true),
            ("un", false),
            ("Ie", true),
            ("Ievgueni", true),
            ("IEVGUENI", true),
        ]);
        for i in [0, 2, 3] {
            lits[i].case_sensitive = true;
        }
        let s = Strings::new(lits.clone());
        let text = "UN, un, Un, UNO, under the UN; Ievgueni, IEVGUENI, ievgueni, IE, ie";
        let got = found(&s, text);
        assert_eq!(got, naive(&lits, text));
        let count = |i| got.iter().filter(|(j, _)| *j == i).count();
        // "UN" in "UN", "UNO", "UN"; "un" case folded in all six; "Ie"
        // once; "Ievgueni" once, its upper-case twin (case folded) thrice.
        assert_eq!((0..5).map(count).collect::<Vec<_>>(), vec![3, 6, 1, 1, 3]);
    }

    #[test]
    fn capitalized_acronyms_are_found_where_words_start() {
        // Looked up by all their bytes where a word starts with a capital
        // (`cap_word`); "Un" and "un" are case folded, so in the automaton.
        let mut lits = literals(&[
            ("UN", true),
            ("Mme", true),
            ("OTAN", true),
            ("By ", true),
            ("Un", true),
            ("un", true),
            ("UNESCO", true),
        ]);
        for l in &mut lits[..4] {
            l.case_sensitive = true;
        }
        assert!(lits[..4].iter().all(cap_word));
        assert!(!lits[4..].iter().any(cap_word));
        let s = Strings::new(lits.clone());
        let text = "UN UNO un Un _UN 9UN éUN xUN (UN) MmeMme Mme. MME OTANs OTA \
                    By me, BY, by, Bye; UNESCO";
        assert_eq!(found(&s, text), naive(&lits, text));
        // Near the end, after another word start in the last SHORT_KEY
        // bytes, and right at it.
        for end in [
            "a UN", "UN", "x Mme", "a b UN", "By", "By ", "OTAN", "a OTA",
        ] {
            assert_eq!(found(&s, end), naive(&lits, end), "{end:?}");
        }
    }

    #[test]
    fn keys_are_shared_and_every_occurrence_is_confirmed() {
        let lits = [
            ("at the eve of", true),
            ("at the evening", true),
            ("AT THE", true),
            ("eve", false),
            ("ou", false),
            ("Ou", false),
            ("café crème", true),
            ("caféine", true),
            ("pré-carré", false),
            ("x", true),
            (" blessed", false),
            ("blessed ", false),
            ("2e", true),
            ("état", true),
            ("é", false),
            ("ought", true),
            // Looked up after their lead byte.
            (" ought", false),
            (" ought to drink", true),
            ("(born in", false),
            ("/the evening", true),
            (" 2e, 12e", false),
        ];
        let lits = literals(&lits);
        let s = Strings::new(lits.clone());
        let text = "At the eve of the vote, at the evening news, you ought to \
                    drink a CAFÉ crème or a café crème, caféine, pré-carré; AT THE EVE OF \
                    x-ray, box, 2e, 12e, the blessed blessed x. État, état, l'état, Xétat, \
                    what the evening brings, bought OUGHT (born in 1901) x(BORN IN / \
                    /the evening/The Evening, Ought to ought";
        let got = found(&s, text);
        assert_eq!(got, naive(&lits, text));
        for i in [0, 1, 2, 4, 6, 7, 9, 10, 11, 12, 13, 16, 17, 18, 19, 20] {
            assert!(got.iter().any(|(j, _)| *j == i), "literal {i} not found");
        }
        // The key of "café crème" occurs in "CAFÉ crème" only as "caf":
        // non-ASCII letters are compared as written.
        assert_eq!(got.iter().filter(|(i, _)| *i == 6).count(), 1);
        // A word-start literal of SHORT_KEY bytes or more is looked up where
        // words start: "at the evening" is not found in "what the evening".
        assert_eq!(got.iter().filter(|(i, _)| *i == 1).count(), 1);
        // So is one of SHORT_KEY to KEY_LEN - 1 bytes: "ought", not
        // "bought".
        assert_eq!(got.iter().filter(|(i, _)| *i == 15).count(), 4);
        // A shorter one, found by the automaton, is not found right after an
        // ASCII word byte either ("x", not in "box"); the caller checks the
        // word boundary with Unicode.
        assert_eq!(got.iter().filter(|(i, _)| *i == 9).count(), 4);
        // A literal looked up after its lead byte: every occurrence, in any
        // case (" ought", " OUGHT", "(born in", "(BORN IN"), and none
        // without that byte ("bought").
        assert_eq!(got.iter().filter(|(i, _)| *i == 16).count(), 4);
        assert_eq!(got.iter().filter(|(i, _)| *i == 18).count(), 2);
        assert_eq!(got.iter().filter(|(i, _)| *i == 19).count(), 2);
    }

    #[test]
    fn overlapping_occurrences_are_all_found() {
        let lits = [
            ("the the", true),
            ("he", false),
            ("e t", false),
            ("then", true),
            ("hen the", true),
            ("n th", false),
            ("the", true),
            ("t", true),
        ];
        let lits = literals(&lits);
        let s = Strings::new(lits.clone());
        let text = "then the hen then THE THEN the the_the9the".repeat(3);
        assert_eq!(found(&s, &text), naive(&lits, &text));
    }

    #[test]
    fn many_literals_of_every_key_length() {
        // Lengths 1 to 12 sharing first bytes, so that keys collide in the
        // table's slots and in the byte-pair lengths.
        let words: Vec<String> = (1..=12)
            .flat_map(|n| {
                ["ab", "ac", "ba", "zz"].iter().map(move |p| {
                    format!("{p}{}", "abcdefghijkl".get(..n.max(2) - 2).unwrap_or(""))
                })
            })
            .chain((0..500).map(|i| format!("w{i} x")))
            .collect();
        let lits: Vec<(&str, bool)> = words
            .iter()
            .enumerate()
            .map(|(i, w)| (w.as_str(), i % 3 != 0))
            .collect();
        let lits = literals(&lits);
        let s = Strings::new(lits.clone());
        let text = format!(
            "{} w17 x w4 xw499 x {}",
            words.join(" "),
            words
                .iter()
                .map(|w| w.to_uppercase())
                .collect::<Vec<_>>()
                .join("-")
        );
        assert_eq!(found(&s, &text), naive(&lits, &text));
        // At the very end of the text, with fewer than KEY_LEN bytes left
        // (short keys), or fewer than SHORT_KEY.
        for end in [
            "a", "ab", "abc", "w4 x", "ababc", "ACABCD", "zzabcde", "xzzabcde",
        ] {
            let t = format!("x {end}");
            assert_eq!(found(&s, &t), naive(&lits, &t), "{t:?}");
        }
    }

    #[test]
    fn long_literals_are_confirmed_past_their_first_16_bytes() {
        // One key, literals that differ only in bytes 8 to 15, or only
        // past byte 16, in either case, and one that runs past the text.
        let base = "the government of ";
        let lits: Vec<(String, bool)> = [
            (base.to_string(), false),
            (format!("{base}France"), false),
            (format!("{base}Spain"), true),
            ("the governor".to_string(), false),
            ("the gOVERNMENT".to_string(), true),
            (format!("{base}France and Spain together"), false),
        ]
        .into_iter()
        .collect();
        // (text, found in its exact case only)
        let lits: Vec<Literal> = lits
            .into_iter()
            .map(|(text, case_sensitive)| Literal {
                text,
                word_start: true,
                case_sensitive,
            })
            .collect();
        let s = Strings::new(lits.clone());
        for t in [
            "The Government of France and Spain together",
            "the government of spain, the government of Spain",
            "THE GOVERNOR; the gOVERNMENT; the government",
            "the government of Franc",
            "the government of France and Spain togethe",
        ] {
            assert_eq!(found(&s, t), naive(&lits, t), "{t:?}");
        }
    }

    #[test]
    fn no_literals_find_nothing() {
        let s = Strings::new(Vec::new());
        assert!(s.is_empty());
        s.build();
        assert!(found(&s, "anything").is_empty());
    }
}
