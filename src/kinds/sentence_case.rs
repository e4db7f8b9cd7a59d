//! `sentence-case`: a sentence that starts with a lower-case letter. One pass
//! over each paragraph: a start is the paragraph's first word, the first word
//! of a line that follows a line ending a sentence (when the line reads as a
//! sentence: it ends with `.`, `!`, `?` or has four words or more, so labels
//! like "source site-29" are left alone), and the first word after `.` (with
//! any closing quotes or brackets) and spaces.
//!
//! Not flagged: a word after an abbreviation, an initial or a short
//! capitalized abbreviation ("U.S. officials", "a.m. on", "e. coli", "Kft.
//! in"), after a small number ("1. station"), after an ellipsis, after `!`
//! or `?` (a speech tag: "“Why?” she asked"), a bracketed start ("(applause)"),
//! a word with an inner capital ("iPhone", "eBay"), a handle or a web
//! address, and the words of `ignore`.

use super::{ByteFinder, Ctx, Hit, HitSuggestion, Scan, render};
use crate::rules::RuleSpec;
use std::collections::HashSet;

pub struct SentenceCase {
    ignore: HashSet<String>,
    line_starts: bool,
}

impl SentenceCase {
    pub fn compile(spec: &RuleSpec) -> Result<SentenceCase, (String, String)> {
        Ok(SentenceCase {
            ignore: spec.ignore.iter().cloned().collect(),
            line_starts: spec.line_starts.unwrap_or(true),
        })
    }

    /// The word starting at `pos` if it should be capitalized.
    fn word_at(&self, text: &str, pos: usize) -> Option<std::ops::Range<usize>> {
        let rest = &text[pos..];
        let first = rest.chars().next()?;
        if !first.is_lowercase() {
            return None;
        }
        let len = rest
            .char_indices()
            .find(|&(_, c)| !(c.is_alphanumeric() || c == '\'' || c == '’' || c == '-'))
            .map(|(i, _)| i)
            .unwrap_or(rest.len());
        let word = &rest[..len];
        let after = rest[len..].chars().next();
        let inner_cap = word.chars().skip(1).any(|c| c.is_uppercase());
        let web = matches!(after, Some('.' | '@' | '/' | ':' | '_'))
            && rest[len + 1..].starts_with(|c: char| c.is_alphanumeric());
        let before = text[..pos].chars().next_back();
        let handle = matches!(before, Some('@' | '#' | '/' | '_'));
        if inner_cap || web || handle || self.ignore.contains(word) {
            return None;
        }
        Some(pos..pos + word.trim_end_matches(['\'', '’', '-']).len())
    }
}

fn is_open(c: char) -> bool {
    matches!(c, '"' | '“' | '‘' | '\'' | '«' | '¿' | '¡')
}
fn is_close(c: char) -> bool {
    matches!(c, '"' | '”' | '’' | '\'' | ')' | ']' | '»')
}

/// A line that reads as a sentence: it ends with a full stop, question or
/// exclamation mark, or has at least four words (not a label such as
/// "source site-29" or "(applause)").
fn sentence_like(from: &str) -> bool {
    let line = from.split('\n').next().unwrap_or("").trim_end();
    line.trim_end_matches(is_close).ends_with(['.', '!', '?'])
        || line.split_whitespace().count() >= 4
}

/// Skip opening quotes and brackets (and spaces after a guillemet) at `i`.
fn skip_open(p: &str, mut i: usize) -> usize {
    while let Some(c) = p[i..].chars().next() {
        if is_open(c) {
            i += c.len_utf8();
        } else {
            break;
        }
    }
    i
}

/// Does the char at byte `pos` of `text` start with a lower-case letter
/// (the first test of `word_at`)? ASCII bytes answer without decoding.
fn lower_at(text: &str, pos: usize) -> bool {
    match text.as_bytes().get(pos) {
        Some(c) if c.is_ascii() => c.is_ascii_lowercase(),
        Some(_) => text
            .get(pos..)
            .and_then(|r| r.chars().next())
            .is_some_and(char::is_lowercase),
        None => false,
    }
}

/// The first byte at or after `from` that may end a sentence or a line;
/// `finder` looks for those bytes.
fn next_mark(b: &[u8], from: usize, finder: Option<&ByteFinder>) -> Option<usize> {
    match finder {
        Some(f) => f.find(b, from),
        None => b
            .get(from..)?
            .iter()
            .position(|&c| matches!(c, b'\n' | b'.' | b'!' | b'?'))
            .map(|d| from + d),
    }
}

impl Scan for SentenceCase {
    fn run(&self, rule: usize, message: &str, ctx: &Ctx, out: &mut Vec<Hit>) {
        let text = ctx.text;
        let finder = ByteFinder::new(b"\n.!?");
        let mut emit = |s: usize| {
            let Some(span) = self.word_at(text, s) else {
                return;
            };
            let word = &text[span.clone()];
            let mut cs = word.chars();
            let cap: String = cs
                .next()
                .map(|f| f.to_uppercase().chain(cs).collect())
                .unwrap_or_default();
            let msg = render(message, &|k| match k {
                "match" => Some(word.to_string()),
                "suggestion" => Some(cap.clone()),
                _ => None,
            });
            out.push(Hit {
                rule,
                span,
                message: msg,
                suggestions: vec![HitSuggestion::plain(cap)],
            });
        };
        // Most starts begin with a capital, which `word_at` rejects: test
        // that first, and whether the place is a sentence start only then.
        for para in &ctx.paras {
            let p = &text[para.clone()];
            let b = p.as_bytes();
            let s0 = para.start + skip_open(p, 0);
            if lower_at(text, s0) && sentence_like(p) {
                emit(s0);
            }
            let mut i = 0;
            while let Some(m) = next_mark(b, i, finder.as_ref()) {
                i = m;
                let c = b[i];
                if c == b'\n' {
                    // a new line starts a sentence when the previous one ended one
                    let k = i + 1 + (p[i + 1..].len() - p[i + 1..].trim_start().len());
                    let s = para.start + skip_open(p, k);
                    if self.line_starts && lower_at(text, s) {
                        let prev = p[..i].trim_end();
                        let ended = prev.trim_end_matches(is_close).ends_with(['.', '!', '?']);
                        if ended && !prev.ends_with("..") && sentence_like(&p[k..]) {
                            emit(s);
                        }
                    }
                    i += 1;
                    continue;
                }
                // an ellipsis or a run of marks: continue after it
                let mut j = i + 1;
                if c == b'.' && (b.get(j) == Some(&b'.') || (i > 0 && b[i - 1] == b'.')) {
                    while j < b.len() && b[j] == b'.' {
                        j += 1;
                    }
                    i = j;
                    continue;
                }
                while let Some(ch) = p[j..].chars().next() {
                    if is_close(ch) || matches!(ch, '!' | '?') {
                        j += ch.len_utf8();
                    } else {
                        break;
                    }
                }
                let k = j + (p[j..].len() - p[j..].trim_start_matches([' ', '\t']).len());
                if k == j || k >= b.len() {
                    i = j.max(i + 1);
                    continue;
                }
                let s = para.start + skip_open(p, k);
                if lower_at(text, s) && !after_stop(p, i, c) {
                    emit(s);
                }
                i = k;
            }
        }
    }
}

/// A mark at `i` of `p` (`c`: `.`, `!` or `?`) that does not end a
/// sentence: a `.` after an abbreviation, an initial, a small number or a
/// short capitalized abbreviation; any `!` or `?` (a speech tag may follow).
fn after_stop(p: &str, i: usize, c: u8) -> bool {
    match c {
        b'.' => {
            let w_start = p[..i]
                .rfind(|ch: char| !(ch.is_alphanumeric() || ch == '.'))
                .map(|x| x + p[x..].chars().next().map_or(1, char::len_utf8))
                .unwrap_or(0);
            let w = &p[w_start..i];
            let letters = w.chars().count();
            crate::text::is_abbrev(p, i)
                || w.contains('.')
                || (w.len() <= 2 && w.bytes().all(|x| x.is_ascii_digit()))
                // an initial or a short capitalized abbreviation
                // ("e. faecalis", "Kft. in", "Ed.)")
                || letters == 1
                || (letters <= 3 && w.starts_with(char::is_uppercase))
        }
        // “Why?” she asked. / Wow, really? she said.
        _ => true,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(text: &str) -> Vec<String> {
        let r = SentenceCase {
            ignore: ["iPhone".to_string()].into_iter().collect(),
            line_starts: true,
        };
        let ctx = Ctx::new(text);
        let mut out = Vec::new();
        r.run(0, "{match}", &ctx, &mut out);
        out.into_iter().map(|h| text[h.span].to_string()).collect()
    }

    #[test]
    fn lower_case_starts() {
        assert_eq!(run("i don't know."), ["i"]);
        assert_eq!(run("He left. then he came back."), ["then"]);
        assert_eq!(run("\"the plan\" failed. It did."), ["the"]);
        assert_eq!(run("It ended.\nthe next day came."), ["the"]);
    }

    #[test]
    fn lower_at_agrees_with_chars() {
        let t = "aZ 1 état Élan ß ǅ ª \u{2019}x \n’s İ i\u{307} σ";
        for pos in 0..=t.len() + 1 {
            let want = t
                .get(pos..)
                .and_then(|r| r.chars().next())
                .is_some_and(char::is_lowercase);
            assert_eq!(lower_at(t, pos), want, "{pos}");
        }
    }

    #[test]
    fn next_mark_finds_each_mark() {
        let t = "Dr. Who?\n“Yes!” … 3.5 état.";
        let b = t.as_bytes();
        for from in 0..=b.len() + 1 {
            let want = (from..b.len()).find(|&i| matches!(b[i], b'\n' | b'.' | b'!' | b'?'));
            let f = ByteFinder::new(b"\n.!?");
            assert_eq!(next_mark(b, from, f.as_ref()), want, "{from}");
            assert_eq!(next_mark(b, from, None), want, "{from}");
        }
    }

    #[test]
    fn same_starts_as_before_on_tricky_text() {
        assert_eq!(
            run("the first.\n  «élan» came. “Why?” she said! then... no. a. b. Ok. vs. then"),
            ["the", "élan"]
        );
        assert_eq!(
            run("It ended.\n(the next) day came.\nand so on and on"),
            ["and"]
        );
        assert!(run("").is_empty());
        assert!(run(".\n. \n?! ").is_empty());
    }

    #[test]
    fn not_sentence_starts() {
        assert!(run("The U.S. officials met at 3 p.m. on Monday.").is_empty());
        assert!(run("“Why?” she asked. Wait... and then.").is_empty());
        assert!(run("Make no mistake,\nin the mind of its founder.").is_empty());
        assert!(run("eBay sold it. iPhone sales rose. See www.example.com today.").is_empty());
        assert!(run("1. station of metastasis").is_empty());
        assert!(run("(applause) Found in e. faecalis and Pigal Kft. in May.").is_empty());
        assert!(run("Yes! This is it! exclaimed Graciela.").is_empty());
        assert!(run("source site-29\nsee also").is_empty());
        assert!(run("sold voices”… … “honest people. «Élan» x.").len() == 1);
    }
}
