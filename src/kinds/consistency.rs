//! `consistency`: one name spelled two ways in one article ("Achot" and
//! "Ashot", "Zelensky" and "Zelenskyy"). Capitalized words are compared with
//! Jaro-Winkler similarity (`strsim`); inflections that make a different
//! word (Russia/Russian, Korea/Koreans) are not variants.

use super::{Ctx, Hit, HitSuggestion};
use crate::rules::RuleSpec;
use std::collections::HashMap;
use std::ops::Range;

/// A word's occurrences in `Consistency::run`'s list: how many, and the
/// first and last (each links to the next).
struct Chain {
    count: usize,
    first: usize,
    last: usize,
}

pub struct Consistency {
    min_similarity: f64,
    min_len: usize,
    suffixes: Vec<String>,
}

const DEFAULT_SUFFIXES: &[&str] = &[
    "s", "es", "'s", "n", "an", "ian", "ns", "ans", "ians", "ese", "i", "is", "ic", "ism", "ist",
    "ists", "ite", "ites", "ed", "er", "ers", "ing", "ia", "ern", "ly", "al",
];

impl Consistency {
    pub fn compile(spec: &RuleSpec) -> Result<Consistency, (String, String)> {
        let min_similarity = spec.min_similarity.unwrap_or(0.9);
        if !(0.0..=1.0).contains(&min_similarity) {
            return Err((
                "min_similarity".into(),
                "min_similarity is between 0 and 1".into(),
            ));
        }
        let suffixes = if spec.allow_suffixes.is_empty() {
            DEFAULT_SUFFIXES.iter().map(|s| s.to_string()).collect()
        } else {
            spec.allow_suffixes.clone()
        };
        Ok(Consistency {
            min_similarity,
            min_len: spec.min_len.unwrap_or(5),
            suffixes,
        })
    }

    fn inflection(&self, a: &str, b: &str) -> bool {
        let (short, long) = if a.len() <= b.len() { (a, b) } else { (b, a) };
        let common = short
            .chars()
            .zip(long.chars())
            .take_while(|(x, y)| x == y)
            .count();
        let sa: String = short.chars().skip(common).collect();
        let lb: String = long.chars().skip(common).collect();
        let ok = |s: &str| s.is_empty() || self.suffixes.iter().any(|x| x == s);
        ok(&sa) && ok(&lb)
    }

    pub fn run(&self, rule: usize, message: &str, ctx: &Ctx, out: &mut Vec<Hit>) {
        let t = ctx.text;
        // Capitalized words not at the start of a sentence. Every
        // occurrence, in text order, with the index of the next occurrence
        // of its word; for each distinct word its number of occurrences,
        // its first and its last: one list for all, where a list per word
        // was an allocation for each (most occur once or twice).
        let mut occ: HashMap<&str, Chain, Fx> = HashMap::default();
        let mut all: Vec<(Range<usize>, usize)> = Vec::new();
        for s in &ctx.sents {
            capitalized(&t[s.clone()], self.min_len, |i, w| {
                let at = all.len();
                all.push((s.start + i..s.start + i + w.len(), usize::MAX));
                let c = occ.entry(w).or_insert(Chain {
                    count: 0,
                    first: at,
                    last: at,
                });
                if c.count > 0 {
                    all[c.last].1 = at;
                }
                c.count += 1;
                c.last = at;
            });
        }
        if occ.len() < 2 {
            return;
        }
        let mut words: Vec<&str> = occ.keys().copied().collect();
        words.sort_by_key(|w| (w.chars().next(), w.len(), *w));
        // Candidate pairs, without comparing every two words: a variant
        // (see `variant_shape`) ends with the same two chars, or doubles
        // the last one. Group by first char and last two chars; look the
        // doubled ones up. Then check pairs in the order of `words`.
        let index: HashMap<&str, usize, Fx> =
            words.iter().enumerate().map(|(i, w)| (*w, i)).collect();
        fn last2(w: &str) -> &str {
            let mut it = w.char_indices().rev();
            let _ = it.next();
            it.next().map_or(w, |(i, _)| &w[i..])
        }
        let mut groups: HashMap<(Option<char>, &str), Vec<usize>, Fx> = HashMap::default();
        for (i, w) in words.iter().enumerate() {
            groups
                .entry((w.chars().next(), last2(w)))
                .or_default()
                .push(i);
        }
        let mut pairs: Vec<(usize, usize)> = Vec::new();
        for g in groups.values() {
            for (k, &i) in g.iter().enumerate() {
                for &j in &g[k + 1..] {
                    if words[j].len() > words[i].len() + 2 {
                        break;
                    }
                    pairs.push((i, j));
                }
            }
        }
        for (j, w) in words.iter().enumerate() {
            let mut cs = w.char_indices().rev();
            if let (Some((i, c)), Some((_, d))) = (cs.next(), cs.next())
                && c == d
                && let Some(&i) = index.get(&w[..i])
                && i < j
            {
                pairs.push((i, j));
            }
        }
        pairs.sort_unstable();
        pairs.dedup();
        let mut reported: std::collections::HashSet<&str, Fx> = Default::default();
        for (i, j) in pairs {
            {
                let (a, b) = (&words[i], &words[j]);
                if b.len() > a.len() + 2 || b.chars().next() != a.chars().next() {
                    continue;
                }
                if self.inflection(a, b) || !variant_shape(a, b) {
                    continue;
                }
                let sim = strsim::jaro_winkler(a, b);
                if sim < self.min_similarity || strsim::levenshtein(a, b) > 2 {
                    continue;
                }
                // Report the rarer spelling (the later one on a tie).
                let (na, nb) = (occ[a].count, occ[b].count);
                let a_first = all[occ[a].first].0.start;
                let b_first = all[occ[b].first].0.start;
                let (minor, major) = if na < nb || (na == nb && a_first > b_first) {
                    (a, b)
                } else {
                    (b, a)
                };
                if !reported.insert(minor) {
                    continue;
                }
                let mut next = occ[minor].first;
                while let Some((span, after)) = all.get(next) {
                    next = *after;
                    let msg = super::render(message, &|k| match k {
                        "match" => Some(minor.to_string()),
                        "other" | "suggestion" => Some(major.to_string()),
                        _ => None,
                    });
                    out.push(Hit {
                        rule,
                        span: span.clone(),
                        message: msg,
                        suggestions: vec![HitSuggestion::plain(major.to_string())],
                    });
                }
            }
        }
    }
}

/// Spelling variants differ inside the word (Achot/Ashot,
/// Krafczyk/Kraftzcyk) or by a doubled last letter (Zelensky/Zelenskyy);
/// words that differ only at the end are derivations (German/Germany,
/// Prince/Princess), not variants.
fn variant_shape(a: &str, b: &str) -> bool {
    let (ca, cb): (Vec<char>, Vec<char>) = (a.chars().collect(), b.chars().collect());
    let (short, long) = if ca.len() <= cb.len() {
        (&ca, &cb)
    } else {
        (&cb, &ca)
    };
    if long.len() - short.len() > 1 {
        return false;
    }
    let doubled = long.len() == short.len() + 1
        && long[..short.len()] == short[..]
        && long[long.len() - 1] == long[long.len() - 2];
    doubled || (short.len() >= 3 && short[short.len() - 2..] == long[long.len() - 2..])
}

/// The char of `s` at byte `i` (a char boundary).
fn char_at(s: &str, i: usize) -> Option<char> {
    s.get(i..).and_then(|r| r.chars().next())
}

/// Is the char at byte `i` of `s` part of a word: a letter, or an
/// apostrophe or hyphen inside a word (`in_word`)? Its length if so.
fn word_char(s: &str, i: usize, in_word: bool) -> Option<usize> {
    match *s.as_bytes().get(i)? {
        c if c.is_ascii_alphabetic() || (in_word && (c == b'-' || c == b'\'')) => Some(1),
        c if c.is_ascii() => None,
        _ => char_at(s, i)
            .filter(|c| c.is_alphabetic())
            .map(char::len_utf8),
    }
}

/// One past the last char of the word (letters, inner apostrophes and
/// hyphens) that starts at byte `i` of `s`.
fn word_end(s: &str, mut i: usize) -> usize {
    while let Some(n) = word_char(s, i, true) {
        i += n;
    }
    i
}

/// Does a word go on at byte `i` of `s`: a letter before it, maybe
/// through apostrophes and hyphens?
fn in_word_at(s: &str, i: usize) -> bool {
    let before = s.as_bytes().get(..i).unwrap_or_default();
    let Some(q) = before.iter().rposition(|&c| c != b'-' && c != b'\'') else {
        return false;
    };
    match before.get(q) {
        Some(c) if c.is_ascii() => c.is_ascii_alphabetic(),
        _ => s
            .get(..q + 1)
            .and_then(|r| r.chars().next_back())
            .is_some_and(char::is_alphabetic),
    }
}

/// The first byte at or after `i` of an ASCII capital or of a non-ASCII
/// char: where a capitalized word can start. Eight bytes at a time.
fn next_capital(b: &[u8], mut i: usize) -> Option<usize> {
    const LOW7: u64 = 0x7F7F_7F7F_7F7F_7F7F;
    const HIGH: u64 = 0x8080_8080_8080_8080;
    while let Some(rest) = b.get(i..).filter(|r| !r.is_empty()) {
        let x = super::load_le(rest, 0, rest.len().min(8));
        // `A`..=`Z` among the low seven bits, the high bit clear;
        // 0b11xx_xxxx starts a multi-byte char
        let upper = super::bytes_in(x & LOW7, b'A', b'Z') & !x;
        let m = upper | (x & (x << 1) & HIGH);
        if m != 0 {
            return Some(i + m.trailing_zeros() as usize / 8);
        }
        i += 8;
    }
    None
}

/// The capitalized words of sentence `s` that do not start it (the first
/// word is capitalized anyway), with their byte offsets: words (letters,
/// inner apostrophes and hyphens) of at least `min_len` chars that start
/// with a capital letter and are not acronyms (all capitals).
///
/// Only capitals are looked at: the scan jumps from one to the next, and
/// reads the bytes before one to tell whether it starts a word.
fn capitalized<'a>(s: &'a str, min_len: usize, mut f: impl FnMut(usize, &'a str)) {
    // the first word: at the first letter
    let mut i = 0;
    loop {
        match s.as_bytes().get(i) {
            None => return,
            Some(c) if c.is_ascii_alphabetic() => break,
            Some(c) if c.is_ascii() => i += 1,
            Some(_) => match char_at(s, i) {
                Some(c) if c.is_alphabetic() => break,
                Some(c) => i += c.len_utf8(),
                None => return,
            },
        }
    }
    let mut i = word_end(s, i);
    while let Some(p) = next_capital(s.as_bytes(), i) {
        let Some(c) = char_at(s, p) else {
            return;
        };
        i = p + c.len_utf8();
        if !(c.is_alphabetic() && c.is_uppercase()) || in_word_at(s, p) {
            continue;
        }
        let end = word_end(s, p);
        i = end;
        let Some(w) = s.get(p..end).map(|w| w.trim_end_matches(['-', '\''])) else {
            return;
        };
        let (n, acronym) = if w.is_ascii() {
            let b = w.as_bytes();
            (b.len(), b.iter().skip(1).all(u8::is_ascii_uppercase))
        } else {
            (w.chars().count(), w.chars().skip(1).all(char::is_uppercase))
        };
        if n >= min_len && !acronym {
            f(p, w);
        }
    }
}

/// A quick hasher for the word map (the order of a map is never used).
#[derive(Default, Clone, Copy)]
struct Fx;

impl std::hash::BuildHasher for Fx {
    type Hasher = FxHasher;
    fn build_hasher(&self) -> FxHasher {
        FxHasher(0)
    }
}

struct FxHasher(u64);

impl std::hash::Hasher for FxHasher {
    fn write(&mut self, bytes: &[u8]) {
        let mut chunks = bytes.chunks_exact(8);
        for c in &mut chunks {
            let mut w = [0u8; 8];
            w.copy_from_slice(c);
            self.add(u64::from_le_bytes(w));
        }
        let rest = chunks.remainder();
        if !rest.is_empty() {
            let mut w = [0u8; 8];
            w[..rest.len()].copy_from_slice(rest);
            self.add(u64::from_le_bytes(w));
        }
    }
    fn write_u8(&mut self, i: u8) {
        self.add(u64::from(i));
    }
    fn write_usize(&mut self, i: usize) {
        self.add(i as u64);
    }
    fn finish(&self) -> u64 {
        self.0
    }
}

impl FxHasher {
    fn add(&mut self, w: u64) {
        self.0 = (self.0.rotate_left(5) ^ w).wrapping_mul(0x51_7c_c1_b7_27_22_0a_95);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Words (letters, inner apostrophes and hyphens), one char at a time.
    fn word_spans(s: &str) -> Vec<(usize, &str)> {
        let mut out = Vec::new();
        let mut start: Option<usize> = None;
        for (i, c) in s.char_indices() {
            if c.is_alphabetic() || (start.is_some() && (c == '-' || c == '\'')) {
                start.get_or_insert(i);
            } else if let Some(st) = start.take() {
                out.push((st, s[st..i].trim_end_matches(['-', '\''])));
            }
        }
        if let Some(st) = start {
            out.push((st, s[st..].trim_end_matches(['-', '\''])));
        }
        out
    }

    /// The definition of `capitalized`, over every word.
    fn reference(s: &str, min_len: usize) -> Vec<(usize, &str)> {
        word_spans(s)
            .into_iter()
            .skip(1)
            .filter(|(_, w)| {
                w.chars().next().is_some_and(char::is_uppercase)
                    && w.chars().count() >= min_len
                    && !w.chars().skip(1).all(char::is_uppercase)
            })
            .collect()
    }

    #[test]
    fn every_occurrence_of_the_rarer_spelling_is_reported_in_text_order() {
        let rule = Consistency {
            min_similarity: 0.9,
            min_len: 5,
            suffixes: DEFAULT_SUFFIXES.iter().map(|s| s.to_string()).collect(),
        };
        let text = "We met Zelenskyy today. We saw Zelensky there, and Zelenskyy and \
                    Stoltenberg, then Zelensky again with Zelenskyy.";
        let ctx = Ctx::new(text);
        let mut out = Vec::new();
        rule.run(0, "{match} / {other}", &ctx, &mut out);
        let got: Vec<(&str, usize, &str)> = out
            .iter()
            .map(|h| (&text[h.span.clone()], h.span.start, h.message.as_str()))
            .collect();
        let at = |n: usize| text.match_indices("Zelensky ").nth(n).map_or(0, |(i, _)| i);
        assert_eq!(
            got,
            [
                ("Zelensky", at(0), "Zelensky / Zelenskyy"),
                ("Zelensky", at(1), "Zelensky / Zelenskyy"),
            ]
        );
    }

    #[test]
    fn capitalized_matches_the_reference() {
        let cases = [
            "",
            "   ",
            "Zelensky met Zelenskyy.",
            "President Zelensky met Zelenskyy and NATO's Stoltenberg.",
            "well-known O'Brien's  -- 'Quoted' -Lead Trail- x--Yes McDonald's x'Abcdef",
            "Zürich’s Łódź, ÉTAT l’État Ölfeld 3Rd 42 ab3Cdefg Éric-Pierre Ⓐbcdef",
            "naïve\u{0301}Combining \u{1F600}Emoji\u{1F600}Sorted",
            "“Quoted” start Firstword Second",
            "a Bcdefgh",
            "ÜBER Über-Alles",
            "x-'Abcde x'-Abcde -'Abcde é-Abcde 1-Abcde",
            "Straße—Größe…“Ölfeld”Überall",
        ];
        for s in cases {
            for min_len in [0, 1, 5] {
                let mut got = Vec::new();
                capitalized(s, min_len, |i, w| got.push((i, w)));
                assert_eq!(got, reference(s, min_len), "{s:?} {min_len}");
            }
        }
    }

    #[test]
    fn next_capital_finds_capitals_and_leads() {
        let s = "abc Def ghij klmnopq Rst é x—y 0123456789 Z";
        let b = s.as_bytes();
        for i in 0..=b.len() {
            let want = (i..b.len()).find(|&j| b[j].is_ascii_uppercase() || b[j] >= 0xC0);
            assert_eq!(next_capital(b, i), want, "{i}");
        }
        assert_eq!(next_capital(b, b.len() + 5), None);
    }

    #[test]
    fn fx_hashes_differ_and_the_map_works() {
        use std::hash::BuildHasher;
        assert_ne!(Fx.hash_one("Ashot"), Fx.hash_one("Achot"));
        assert_ne!(Fx.hash_one("abcdefgh"), Fx.hash_one("abcdefgh\0"));
        let mut m: HashMap<&str, usize, Fx> = HashMap::default();
        for (i, w) in ["Ashot", "Achot", "Ashot", "Zelenskyy"].iter().enumerate() {
            *m.entry(w).or_default() += i;
        }
        assert_eq!((m["Ashot"], m["Achot"], m["Zelenskyy"]), (2, 1, 3));
    }
}
