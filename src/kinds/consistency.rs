//! `consistency`: one name spelled two ways in one article ("Achot" and
//! "Ashot", "Zelensky" and "Zelenskyy"). Capitalized words are compared with
//! Jaro-Winkler similarity (`strsim`); inflections that make a different
//! word (Russia/Russian, Korea/Koreans) are not variants.

use super::{Ctx, Hit, HitSuggestion};
use crate::rules::RuleSpec;
use std::collections::HashMap;
use std::ops::Range;

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
        // Capitalized words not at the start of a sentence.
        let mut occ: HashMap<&str, Vec<Range<usize>>> = HashMap::new();
        for s in &ctx.sents {
            let st = &t[s.clone()];
            let mut first = true;
            for (i, w) in word_spans(st) {
                let is_first = first;
                first = false;
                let c0 = w.chars().next().unwrap_or('a');
                if is_first || !c0.is_uppercase() || w.chars().count() < self.min_len {
                    continue;
                }
                if w.chars().skip(1).all(|c| c.is_uppercase()) {
                    continue; // acronyms
                }
                occ.entry(w)
                    .or_default()
                    .push(s.start + i..s.start + i + w.len());
            }
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
        let index: HashMap<&str, usize> = words.iter().enumerate().map(|(i, w)| (*w, i)).collect();
        fn last2(w: &str) -> &str {
            let mut it = w.char_indices().rev();
            let _ = it.next();
            it.next().map_or(w, |(i, _)| &w[i..])
        }
        let mut groups: HashMap<(Option<char>, &str), Vec<usize>> = HashMap::new();
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
        let mut reported: std::collections::HashSet<&str> = Default::default();
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
                let (na, nb) = (occ[a].len(), occ[b].len());
                let a_first = occ[a][0].start;
                let b_first = occ[b][0].start;
                let (minor, major) = if na < nb || (na == nb && a_first > b_first) {
                    (a, b)
                } else {
                    (b, a)
                };
                if !reported.insert(minor) {
                    continue;
                }
                for span in &occ[minor] {
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

/// Words (letters, inner apostrophes and hyphens) with their byte offsets.
fn word_spans(s: &str) -> impl Iterator<Item = (usize, &str)> {
    // Lazily, with no allocation: this runs over every sentence.
    let mut chars = s.char_indices().peekable();
    std::iter::from_fn(move || {
        let mut start: Option<usize> = None;
        while let Some(&(i, c)) = chars.peek() {
            if c.is_alphabetic() || (start.is_some() && (c == '-' || c == '\'')) {
                start.get_or_insert(i);
                chars.next();
            } else if let Some(st) = start {
                return Some((st, s[st..i].trim_end_matches(['-', '\''])));
            } else {
                chars.next();
            }
        }
        start.map(|st| (st, s[st..].trim_end_matches(['-', '\''])))
    })
}
