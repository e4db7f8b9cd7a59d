//! `brackets`: an opening bracket never closed in its paragraph, or a
//! closing one never opened. One pass per paragraph with a stack.
//!
//! Not flagged: list enumerators ("a)", "2)", "iv)" after a space or at a
//! line start) and emoticons (":)", ";-(").

use super::{Ctx, Hit, Scan, render};
use crate::rules::RuleSpec;

pub struct Brackets {
    pairs: Vec<(char, char)>,
    /// Every pair is ASCII; `table` marks their bytes.
    ascii: bool,
    table: [bool; 256],
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
        for &(o, c) in &pairs {
            if ascii {
                table[o as usize] = true;
                table[c as usize] = true;
            }
        }
        Brackets {
            pairs,
            ascii,
            table,
        }
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
        for para in &ctx.paras {
            let p = &text[para.clone()];
            let mut stack: Vec<(usize, char)> = Vec::new();
            let mut bad: Vec<(usize, char)> = Vec::new();
            // Only the chars of a pair matter (few, and usually ASCII).
            let marks: Vec<(usize, char)> = if self.ascii {
                p.bytes()
                    .enumerate()
                    .filter(|&(_, b)| self.table[usize::from(b)])
                    .map(|(i, b)| (i, char::from(b)))
                    .collect()
            } else {
                p.char_indices()
                    .filter(|&(_, c)| self.pairs.iter().any(|&(o, cl)| o == c || cl == c))
                    .collect()
            };
            for (i, c) in marks {
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
            bad.extend(stack);
            bad.sort_unstable();
            for (i, c) in bad {
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
