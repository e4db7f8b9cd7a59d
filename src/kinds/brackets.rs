//! `brackets`: an opening bracket never closed in its paragraph, or a
//! closing one never opened. One pass per paragraph with a stack.
//!
//! Not flagged: list enumerators ("a)", "2)", "iv)" after a space or at a
//! line start) and emoticons (":)", ";-(").

use super::{ByteFinder, Ctx, Hit, Scan, render};
use crate::rules::RuleSpec;

pub struct Brackets {
    pairs: Vec<(char, char)>,
    /// Every pair is ASCII; `table` marks their bytes, which `finder`
    /// looks for when they are four at most.
    ascii: bool,
    table: [bool; 256],
    finder: Option<ByteFinder>,
}

impl Brackets {
    pub fn compile(spec: &RuleSpec) -> Result<Brackets, (String, String)> {
        let mut pairs = Vec::new();
        let src: Vec<String> = if spec.pairs.is_empty() {
            vec!["()".into(), "[]".into(), "{}".into()]
        } else {
            spec.pairs.clone()
        };
        for p in &src {
            let cs: Vec<char> = p.chars().collect();
            if cs.len() != 2 || cs[0] == cs[1] {
                return Err((
                    "pairs".into(),
                    format!("a bracket pair is two different characters, like \"()\", not {p:?}"),
                ));
            }
            pairs.push((cs[0], cs[1]));
        }
        Ok(Brackets::new(pairs))
    }

    fn new(pairs: Vec<(char, char)>) -> Brackets {
        let ascii = pairs.iter().all(|&(o, c)| o.is_ascii() && c.is_ascii());
        let mut table = [false; 256];
        let mut set = Vec::new();
        for &(o, c) in &pairs {
            if ascii {
                for b in [o as u8, c as u8] {
                    table[usize::from(b)] = true;
                    set.push(b);
                }
            }
        }
        Brackets {
            pairs,
            ascii,
            table,
            finder: ByteFinder::new(&set),
        }
    }
}

/// The first byte at or after `from` in `b` that `table` marks, with
/// `finder` when there is one.
fn next_marked(
    b: &[u8],
    from: usize,
    finder: Option<&ByteFinder>,
    table: &[bool; 256],
) -> Option<usize> {
    match finder {
        Some(f) => f.find(b, from),
        None => b
            .get(from..)?
            .iter()
            .position(|&c| table[usize::from(c)])
            .map(|k| from + k),
    }
}

/// `)` closing a list enumerator such as "a)", "12)", "iv)".
fn enumerator(p: &str, close: usize) -> bool {
    let before = &p[..close];
    let start = before
        .rfind(|c: char| !c.is_alphanumeric())
        .map(|i| i + before[i..].chars().next().map_or(1, char::len_utf8))
        .unwrap_or(0);
    let tok = &before[start..];
    let lead_ok = start == 0 || before[..start].ends_with([' ', '\n', '\t']);
    let short = (1..=2).contains(&tok.chars().count())
        || (tok.len() <= 4 && tok.chars().all(|c| matches!(c, 'i' | 'v' | 'x')))
        || (tok.len() <= 3 && tok.bytes().all(|b| b.is_ascii_digit()));
    lead_ok && !tok.is_empty() && short
}

fn emoticon(p: &str, at: usize) -> bool {
    let before = p[..at].trim_end_matches('-');
    before.ends_with([':', ';', '='])
}

impl Scan for Brackets {
    fn run(&self, rule: usize, message: &str, ctx: &Ctx, out: &mut Vec<Hit>) {
        let text = ctx.text;
        // buffers reused from paragraph to paragraph
        let mut stack: Vec<(usize, char)> = Vec::new();
        let mut bad: Vec<(usize, char)> = Vec::new();
        let mut marks: Vec<(usize, char)> = Vec::new();
        for para in &ctx.paras {
            let p = &text[para.clone()];
            stack.clear();
            bad.clear();
            marks.clear();
            // Only the chars of a pair matter (few, and usually ASCII).
            if self.ascii {
                let b = p.as_bytes();
                let mut from = 0;
                while let Some(i) = next_marked(b, from, self.finder.as_ref(), &self.table) {
                    marks.push((i, char::from(b[i])));
                    from = i + 1;
                }
            } else {
                marks.extend(
                    p.char_indices()
                        .filter(|&(_, c)| self.pairs.iter().any(|&(o, cl)| o == c || cl == c)),
                );
            }
            if marks.is_empty() {
                continue;
            }
            for &(i, c) in &marks {
                if self.pairs.iter().any(|&(o, _)| o == c) {
                    if !emoticon(p, i) {
                        stack.push((i, c));
                    }
                } else if let Some(&(o, _)) = self.pairs.iter().find(|&&(_, cl)| cl == c) {
                    match stack.last() {
                        Some(&(_, top)) if top == o => {
                            stack.pop();
                        }
                        _ if c == ')' && enumerator(p, i) => {}
                        _ if emoticon(p, i) => {}
                        _ => bad.push((i, c)),
                    }
                }
            }
            bad.append(&mut stack);
            bad.sort_unstable();
            for &(i, c) in &bad {
                let (o, cl) = self
                    .pairs
                    .iter()
                    .copied()
                    .find(|&(o, cl)| o == c || cl == c)
                    .unwrap_or((c, c));
                let what = if c == o {
                    format!("`{o}` is never closed by `{cl}`")
                } else {
                    format!("`{cl}` closes no `{o}`")
                };
                let span = para.start + i..para.start + i + c.len_utf8();
                let msg = render(message, &|k| match k {
                    "detail" => Some(what.clone()),
                    "match" => Some(c.to_string()),
                    _ => None,
                });
                out.push(Hit {
                    rule,
                    span,
                    message: msg,
                    suggestions: vec![],
                });
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(text: &str) -> Vec<usize> {
        let b = Brackets::new(vec![('(', ')'), ('[', ']')]);
        let ctx = Ctx::new(text);
        let mut out = Vec::new();
        b.run(0, "{detail}", &ctx, &mut out);
        out.into_iter().map(|h| h.span.start).collect()
    }

    #[test]
    fn non_ascii_pairs() {
        let b = Brackets::new(vec![('(', ')'), ('«', '»')]);
        let text = "Il a dit « oui (vraiment).";
        let ctx = Ctx::new(text);
        let mut out = Vec::new();
        b.run(0, "{detail}", &ctx, &mut out);
        let starts: Vec<usize> = out.into_iter().map(|h| h.span.start).collect();
        assert_eq!(starts, [text.find('«').unwrap()]);
    }

    #[test]
    fn next_marked_agrees_with_a_byte_scan() {
        let few = Brackets::new(vec![('(', ')'), ('[', ']')]);
        let many = Brackets::new(vec![('(', ')'), ('[', ']'), ('{', '}')]);
        assert!(few.finder.is_some() && many.finder.is_none());
        let texts = [
            "",
            "(",
            "abcdefg)",
            "abcdefgh)",
            "no marks at all in this line of text",
            "Zürich (État) [x] {y} \u{2029}\u{FF08}) ))(( 0123456789abcdef[",
            "\u{80}\u{FF}((((((((((((((((]]]]]]]]]]]]]]]]]",
        ];
        for b in [few, many] {
            for t in texts {
                let bytes = t.as_bytes();
                for from in 0..=bytes.len() + 1 {
                    let want = (from..bytes.len()).find(|&i| b.table[usize::from(bytes[i])]);
                    let got = next_marked(bytes, from, b.finder.as_ref(), &b.table);
                    assert_eq!(got, want, "{t:?} {from}");
                }
            }
        }
    }

    #[test]
    fn unbalanced() {
        assert_eq!(run("The treaty (signed in 1992 was ratified."), [11]);
        assert_eq!(run("It was ratified) in 1992."), [15]);
        assert_eq!(run("A [b (c] d)."), [2, 7]);
    }

    #[test]
    fn balanced_or_exempt() {
        assert!(run("The treaty (signed in 1992) was [later] ratified.").is_empty());
        assert!(run("Two options: a) leave, b) stay; iv) other 2) more").is_empty());
        assert!(run("Nice :) and sad :-( too").is_empty());
        assert!(run("(open\n\nclosed)").len() == 2);
    }
}
