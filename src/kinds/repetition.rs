//! `repetition`: a word or a phrase of `min_words`..=`max_words` words
//! written twice or more in a row ("the the", "of the of the"), separated
//! only by spaces. One pass over the words of each paragraph; at each word
//! the shortest repeated unit wins and the scan resumes after the run.

use super::{Ctx, Hit, HitSuggestion, Scan, render};
use crate::rules::RuleSpec;
use std::collections::HashSet;
use std::ops::Range;

pub struct Repetition {
    min: usize,
    max: usize,
    ignore: HashSet<String>,
}

impl Repetition {
    pub fn compile(spec: &RuleSpec) -> Result<Repetition, (String, String)> {
        let min = spec.min_words.unwrap_or(1);
        let max = spec.max_words.unwrap_or(min.max(4));
        if min == 0 || max < min || max > 8 {
            return Err((
                "max_words".into(),
                format!("need 1 <= min_words <= max_words <= 8 (got {min} and {max})"),
            ));
        }
        Ok(Repetition {
            min,
            max,
            ignore: spec.ignore.iter().map(|w| w.to_lowercase()).collect(),
        })
    }
}

fn same(a: &str, b: &str) -> bool {
    a.eq_ignore_ascii_case(b) || (!a.is_ascii() && lower_eq(a, b))
}

/// `a.to_lowercase() == b.to_lowercase()`, without allocating: char by char,
/// stopping at the first difference. `Σ`, whose lower case depends on its
/// place in the word, takes the allocating path.
fn lower_eq(a: &str, b: &str) -> bool {
    if a.contains('Σ') || b.contains('Σ') {
        return a.to_lowercase() == b.to_lowercase();
    }
    a.chars()
        .flat_map(char::to_lowercase)
        .eq(b.chars().flat_map(char::to_lowercase))
}

/// The first `i >= from` where the words at `i` and `i + n` could be
/// equal, and for `n` of 2 or more those at `i + 1` and `i + n + 1` too,
/// for some `n` in `min..=max` with two copies fitting in `keys`
/// (`keys.len()` when there is none): a copy of `n` words can start
/// nowhere else. Different keys, neither `u64::MAX` (non-ASCII), mean
/// different words; `ascii`: `keys` holds no such key.
fn next_candidate(keys: &[u64], from: usize, min: usize, max: usize, ascii: bool) -> usize {
    // (with no non-ASCII word, equal keys alone: a third of the tests)
    let may = |a: u64, b: u64| a == b || (!ascii && (a == u64::MAX || b == u64::MAX));
    let rest = keys.get(from..).unwrap_or(&[]);
    if min == 1 && max == 1 {
        return rest
            .windows(2)
            .position(|w| matches!(w, &[a, b] if may(a, b)))
            .map_or(keys.len(), |p| from + p);
    }
    // Two copies of `n` words from `p`: their first words may be equal,
    // and for `n` of 2 or more their second words too (a common word
    // such as `the` recurs two to four words on often; a pair rarely).
    // (plain loops: as iterator adaptors they cost ~40 instructions a word)
    for p in 0..rest.len() {
        let ka = rest[p];
        let mut n = min;
        while n <= max && p + 2 * n <= rest.len() {
            if may(ka, rest[p + n]) && (n == 1 || may(rest[p + 1], rest[p + n + 1])) {
                return from + p;
            }
            n += 1;
        }
    }
    keys.len()
}

/// Only spaces or tabs (at least one) between two words.
fn spaced(gap: &str) -> bool {
    !gap.is_empty() && gap.bytes().all(|b| b == b' ' || b == b'\t')
}

/// Between two copies of a word: spaces, with a bracket closing the first
/// copy and one opening the next ("(ODS) (ODS)", "(ODS (ODS"). Phrases
/// ("lipotransfer (lipotransfer)" glosses aside) need plain spaces.
fn spaced_copy(gap: &str) -> bool {
    let g = gap.strip_prefix([')', ']']).unwrap_or(gap);
    let g = g.strip_suffix(['(', '[']).unwrap_or(g);
    spaced(g)
}

fn all_caps(w: &str) -> bool {
    w.chars().filter(|c| c.is_alphabetic()).count() > 1 && !w.chars().any(char::is_lowercase)
}

fn capitalized(w: &str) -> bool {
    w.chars().next().is_some_and(char::is_uppercase)
}

impl Scan for Repetition {
    fn uses_words(&self) -> bool {
        true
    }

    fn run(&self, rule: usize, message: &str, ctx: &Ctx, out: &mut Vec<Hit>) {
        let text = ctx.text;
        for pi in 0..ctx.paras.len() {
            let toks = ctx.para_words(pi);
            let w = |i: usize| &text[toks[i].clone()];
            let gap = |i: usize| &text[toks[i].end..toks[i + 1].start];
            let gap_ok = |i: usize| spaced(gap(i));
            // copies of tokens[a..a+n] at b: equal words, spaces only between
            let bytes = text.as_bytes();
            let keys = ctx.para_word_keys(pi);
            // Most word pairs differ in length or first letters, which their
            // keys tell at once; then compare bytes, and fall back to
            // Unicode case folding only for non-ASCII words.
            let eq = |a: usize, b: usize| {
                let (ka, kb) = (keys[a], keys[b]);
                if ka != kb && ka != u64::MAX && kb != u64::MAX {
                    return false;
                }
                let (x, y) = (&bytes[toks[a].clone()], &bytes[toks[b].clone()]);
                (x.len() == y.len() && x.eq_ignore_ascii_case(y))
                    || (!(x.is_ascii() && y.is_ascii()) && same(w(a), w(b)))
            };
            let equal = |a: usize, b: usize, n: usize| (0..n).all(|k| eq(a + k, b + k));
            // the words of copies start..start+copies*n, spaces only inside a copy
            // a number that is part of a larger one ("13.1", "1,000") is no word
            let numeric = |k: usize| w(k).starts_with(|c: char| c.is_ascii_digit());
            let whole = |k: usize| {
                let t = &toks[k];
                let b = text.as_bytes();
                let sep = |c: u8| c == b'.' || c == b',';
                let after = t.end + 1 < b.len() && sep(b[t.end]) && b[t.end + 1].is_ascii_digit();
                let before = t.start >= 2 && sep(b[t.start - 1]) && b[t.start - 2].is_ascii_digit();
                !after && !before
            };
            // words from..to are whole numbers or no numbers, with spaces
            // only between them (for copies of one word, brackets too)
            let run_ok = |from: usize, to: usize, n: usize| {
                (from..to).all(|k| !numeric(k) || whole(k))
                    && (from..to - 1).all(|k| {
                        if n == 1 && !numeric(k) {
                            spaced_copy(gap(k))
                        } else {
                            gap_ok(k)
                        }
                    })
            };
            if toks.len() < 2 * self.min || keys.len() != toks.len() {
                continue;
            }
            let ascii = !keys.contains(&u64::MAX);
            let mut i = 0;
            while i < toks.len() {
                // skip to where `equal(i, i + n, n)` below may hold
                i = next_candidate(keys, i, self.min, self.max, ascii);
                if i >= toks.len() {
                    break;
                }
                let mut found: Option<(usize, usize)> = None;
                for n in self.min..=self.max {
                    if i + 2 * n > toks.len() {
                        break;
                    }
                    if !equal(i, i + n, n) || !run_ok(i, i + 2 * n, n) {
                        continue;
                    }
                    let unit: Vec<&str> = (i..i + n).map(w).collect();
                    if n == 1 {
                        if self.ignore.contains(&unit[0].to_lowercase()) {
                            break;
                        }
                    } else if unit.iter().all(|u| same(u, unit[0]))
                        || self.ignore.contains(&unit.join(" ").to_lowercase())
                    {
                        continue;
                    }
                    // each further copy: its words, and the gap that joins it
                    // to the run (checking the whole run again at each copy
                    // made a long run quadratic)
                    let mut copies = 2;
                    while i + (copies + 1) * n <= toks.len()
                        && run_ok(i + copies * n - 1, i + (copies + 1) * n, n)
                        && equal(i, i + copies * n, n)
                    {
                        copies += 1;
                    }
                    // a heading before the same words ("CHAS-TIME Chas-Time"), or a
                    // title ("The New New Thing"): not a stutter
                    let (a, b) = (w(i), w(i + n));
                    let next_cap = toks.get(i + copies * n).is_some_and(|t| {
                        gap_ok(i + copies * n - 1) && capitalized(&text[t.clone()])
                    });
                    let sentence_start = text[..toks[i].start]
                        .trim_end_matches([' ', '"', '“', '(', '\''])
                        .chars()
                        .next_back()
                        .is_none_or(|c| matches!(c, '.' | '!' | '?' | '\n' | ':'));
                    if all_caps(a) != all_caps(b) || (capitalized(b) && next_cap && !sentence_start)
                    {
                        break;
                    }
                    found = Some((n, copies));
                    break;
                }
                let Some((n, copies)) = found else {
                    i += 1;
                    continue;
                };
                let last = i + copies * n - 1;
                let span: Range<usize> = toks[i].start..toks[last].end;
                let first = &text[toks[i].start..toks[i + n - 1].end];
                let matched = &text[span.clone()];
                let msg = render(message, &|k| match k {
                    "match" => Some(matched.to_string()),
                    "phrase" => Some(first.to_string()),
                    "count" => Some(copies.to_string()),
                    _ => None,
                });
                out.push(Hit {
                    rule,
                    span: span.clone(),
                    message: msg,
                    suggestions: vec![HitSuggestion {
                        replacement: first.to_string(),
                        edits: vec![(toks[i + n - 1].end..toks[last].end, String::new())],
                    }],
                });
                i = last + 1;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(spec_min: usize, spec_max: usize, text: &str) -> Vec<String> {
        let r = Repetition {
            min: spec_min,
            max: spec_max,
            ignore: ["had", "that"].iter().map(|s| s.to_string()).collect(),
        };
        let ctx = Ctx::new(text);
        let mut out = Vec::new();
        r.run(0, "{match}", &ctx, &mut out);
        out.into_iter().map(|h| text[h.span].to_string()).collect()
    }

    #[test]
    fn words_and_phrases() {
        assert_eq!(run(1, 1, "It is duty free free."), ["free free"]);
        assert_eq!(
            run(1, 1, "on Tuesday Tuesday Tuesday Tuesday."),
            ["Tuesday Tuesday Tuesday Tuesday"]
        );
        assert_eq!(run(1, 1, "The the cat had had enough."), ["The the"]);
        assert_eq!(
            run(1, 1, "Heraus, Heraus! the year 1959 1959."),
            ["1959 1959"]
        );
        assert_eq!(
            run(1, 1, "the Parks (SANParks) (SANParks)."),
            ["SANParks) (SANParks"]
        );
        assert_eq!(
            run(1, 1, "CHAS-TIME Chas-Time is on. The New New Thing"),
            Vec::<String>::new()
        );
        assert_eq!(
            run(1, 1, "was 13 (13.1%), or 20 (20%), 5 5.5 and 1 1,000"),
            Vec::<String>::new()
        );
        assert_eq!(run(2, 4, "part of the of the plan"), ["of the of the"]);
        assert_eq!(run(2, 4, "the the the the"), Vec::<String>::new());
        assert_eq!(
            run(2, 4, "cell lipotransfer (cell lipotransfer) is"),
            Vec::<String>::new()
        );
        assert_eq!(run(2, 4, "in the new new world"), Vec::<String>::new());
    }

    #[test]
    fn lower_eq_matches_to_lowercase() {
        let words = [
            "",
            "a",
            "A",
            "État",
            "état",
            "ÉTAT",
            "İstanbul",
            "i̇stanbul",
            "istanbul",
            "K",
            "k",
            "\u{212A}",
            "ΣΟΦΙΑ",
            "σοφια",
            "σοφιa",
            "ΟΔΟΣ",
            "οδος",
            "οδοσ",
            "Straße",
            "STRASSE",
            "strasse",
            "don’t",
            "DON’T",
            "l’État",
            "Zürich",
            "ZÜRICH",
            "1959",
            "x_y",
        ];
        for a in words {
            for b in words {
                let want = a.to_lowercase() == b.to_lowercase();
                assert_eq!(lower_eq(a, b), want, "{a:?} {b:?}");
                let same_ref = a.eq_ignore_ascii_case(b)
                    || (!a.is_ascii() && a.to_lowercase() == b.to_lowercase());
                assert_eq!(same(a, b), same_ref, "{a:?} {b:?}");
            }
        }
    }

    #[test]
    fn next_candidate_never_skips_a_repetition() {
        // with non-ASCII words, and with none
        for text in [
            "The the État état ÉTAT of the of the x K k 12 12 don’t don’t a b \
             the x the y the z the a b a b",
            "The the x of the of the x K k 12 12 a b the x the y the z the a b a b b",
        ] {
            candidates_of(text);
        }
    }

    fn candidates_of(text: &str) {
        let ctx = Ctx::new(text);
        let (toks, keys) = (ctx.para_words(0), ctx.para_word_keys(0));
        let ascii = !keys.contains(&u64::MAX);
        assert_eq!(ascii, text.is_ascii());
        let w = |i: usize| &text[toks[i].clone()];
        let may = |a: u64, b: u64| a == b || a == u64::MAX || b == u64::MAX;
        for (min, max) in [(1, 1), (2, 4), (1, 8), (3, 3)] {
            for from in 0..toks.len() + 2 {
                // the reference: the first i >= from where n words are
                // followed by the same n words
                let want = (from..toks.len())
                    .find(|&i| {
                        (min..=max)
                            .take_while(|&n| i + 2 * n <= toks.len())
                            .any(|n| (0..n).all(|k| same(w(i + k), w(i + n + k))))
                    })
                    .unwrap_or(toks.len());
                let got = next_candidate(keys, from, min, max, ascii);
                assert!(got <= want, "{from} {min} {max}: {got} > {want}");
                // and exactly where the keys allow the first pair of words,
                // and the second when copies are two words or more
                let by_keys = (from..keys.len())
                    .find(|&i| {
                        (min..=max)
                            .take_while(|&n| i + 2 * n <= keys.len())
                            .any(|n| {
                                may(keys[i], keys[i + n])
                                    && (n == 1 || may(keys[i + 1], keys[i + n + 1]))
                            })
                    })
                    .unwrap_or(keys.len());
                assert_eq!(got, by_keys, "{from} {min} {max}");
            }
        }
        // `the` two to four words on, with no second pair: no candidate
        // before `a b a b`
        let the = toks
            .iter()
            .position(|t| &text[t.clone()] == "y")
            .unwrap_or(0)
            - 3;
        assert_eq!((w(the), w(the + 7)), ("the", "a"));
        assert_eq!(next_candidate(keys, the, 2, 4, ascii), the + 7);
        assert_eq!(next_candidate(keys, 0, 1, 1, ascii), 0);
        let of = toks
            .iter()
            .position(|t| &text[t.clone()] == "of")
            .unwrap_or(0);
        assert_eq!(next_candidate(keys, of, 2, 4, ascii), of);
        if !ascii {
            assert_eq!(next_candidate(keys, 2, 2, 2, ascii), 2);
        }
        assert_eq!(next_candidate(&[], 0, 1, 1, true), 0);
        assert_eq!(next_candidate(&[], 3, 2, 4, true), 0);
        assert_eq!(next_candidate(&[5, 6, 7], 0, 1, 1, true), 3);
        assert_eq!(next_candidate(&[5, 6, 5], 0, 1, 1, true), 3);
        assert_eq!(next_candidate(&[5, 6, 5, 6], 0, 2, 2, true), 0);
        assert_eq!(next_candidate(&[5, 6, 5], 0, 2, 2, true), 3);
        assert_eq!(next_candidate(&[5, u64::MAX, 7], 0, 1, 1, false), 0);
    }

    #[test]
    fn fix_deletes_the_copies() {
        let r = Repetition {
            min: 1,
            max: 1,
            ignore: HashSet::new(),
        };
        let text = "duty free free free.";
        let ctx = Ctx::new(text);
        let mut out = Vec::new();
        r.run(0, "", &ctx, &mut out);
        let (range, rep) = &out[0].suggestions[0].edits[0];
        let mut fixed = text.to_string();
        fixed.replace_range(range.clone(), rep);
        assert_eq!(fixed, "duty free.");
    }
}
