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

use super::{Ctx, Hit, HitSuggestion, Scan, render};
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

impl Scan for SentenceCase {
    fn run(&self, rule: usize, message: &str, ctx: &Ctx, out: &mut Vec<Hit>) {
        let text = ctx.text;
        let mut starts: Vec<usize> = Vec::new();
        for para in &ctx.paras {
            let p = &text[para.clone()];
            let b = p.as_bytes();
            if sentence_like(p) {
                starts.push(para.start + skip_open(p, 0));
            }
            let mut i = 0;
            while i < b.len() {
                let c = b[i];
                if c == b'\n' {
                    // a new line starts a sentence when the previous one ended one
                    let prev = p[..i].trim_end();
                    let ended = prev.trim_end_matches(is_close).ends_with(['.', '!', '?']);
                    let k = i + 1 + (p[i + 1..].len() - p[i + 1..].trim_start().len());
                    if self.line_starts && ended && !prev.ends_with("..") && sentence_like(&p[k..])
                    {
                        starts.push(para.start + skip_open(p, k));
                    }
                    i += 1;
                    continue;
                }
                if !(c == b'.' || c == b'!' || c == b'?') {
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
                let mut closed = false;
                while let Some(ch) = p[j..].chars().next() {
                    if is_close(ch) || matches!(ch, '!' | '?') {
                        closed |= is_close(ch);
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
                let skip = match c {
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
                };
                let _ = closed;
                if !skip {
                    starts.push(para.start + skip_open(p, k));
                }
                i = k;
            }
        }
        for s in starts {
            let Some(span) = self.word_at(text, s) else {
                continue;
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
        }
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
