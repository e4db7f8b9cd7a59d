//! `script`: letters of a non-Latin script (Han, Cyrillic, Arabic …) inside
//! English text: code-mixing, a word the translation left in the source
//! language. One pass over the text; letters of the listed scripts separated
//! only by spaces or punctuation (no Latin letter, digit or line break) form
//! one finding.

use super::{Ctx, Hit, Scan, render};
use crate::rules::RuleSpec;

/// Scripts and their main Unicode blocks.
const SCRIPTS: &[(&str, &[(u32, u32)])] = &[
    (
        "Han",
        &[
            (0x2E80, 0x2FDF),
            (0x3005, 0x3007),
            (0x3021, 0x3029),
            (0x3400, 0x4DBF),
            (0x4E00, 0x9FFF),
            (0xF900, 0xFAFF),
            (0x20000, 0x3134F),
        ],
    ),
    ("Hiragana", &[(0x3041, 0x309F)]),
    (
        "Katakana",
        &[(0x30A0, 0x30FF), (0x31F0, 0x31FF), (0xFF66, 0xFF9F)],
    ),
    (
        "Hangul",
        &[(0x1100, 0x11FF), (0x3130, 0x318F), (0xAC00, 0xD7AF)],
    ),
    (
        "Cyrillic",
        &[(0x0400, 0x052F), (0x1C80, 0x1C8F), (0xA640, 0xA69F)],
    ),
    ("Greek", &[(0x0370, 0x03FF), (0x1F00, 0x1FFF)]),
    ("Armenian", &[(0x0531, 0x058F)]),
    ("Georgian", &[(0x10A0, 0x10FF)]),
    ("Hebrew", &[(0x0591, 0x05FF)]),
    (
        "Arabic",
        &[
            (0x0600, 0x06FF),
            (0x0750, 0x077F),
            (0xFB50, 0xFDFF),
            (0xFE70, 0xFEFF),
        ],
    ),
    ("Devanagari", &[(0x0900, 0x097F)]),
    ("Bengali", &[(0x0980, 0x09FF)]),
    ("Gurmukhi", &[(0x0A00, 0x0A7F)]),
    ("Gujarati", &[(0x0A80, 0x0AFF)]),
    ("Tamil", &[(0x0B80, 0x0BFF)]),
    ("Telugu", &[(0x0C00, 0x0C7F)]),
    ("Thai", &[(0x0E00, 0x0E7F)]),
    ("Khmer", &[(0x1780, 0x17FF)]),
];

pub struct Script {
    /// Indices into SCRIPTS.
    scripts: Vec<usize>,
}

/// The first byte at or after `from` that starts a char of U+0340 or
/// above (a lead byte from 0xCD): below U+0370 no script of `SCRIPTS` has
/// a letter. ASCII is passed eight bytes at a time.
fn next_high(b: &[u8], from: usize) -> Option<usize> {
    const HIGH: u64 = 0x8080_8080_8080_8080;
    let rest = b.get(from..)?;
    let mut chunks = rest.chunks_exact(8);
    let mut at = from;
    for chunk in &mut chunks {
        let mut x = [0u8; 8];
        x.copy_from_slice(chunk);
        if u64::from_le_bytes(x) & HIGH != 0
            && let Some(k) = chunk.iter().position(|&c| c >= 0xCD)
        {
            return Some(at + k);
        }
        at += 8;
    }
    chunks
        .remainder()
        .iter()
        .position(|&c| c >= 0xCD)
        .map(|k| at + k)
}

impl Script {
    pub fn compile(spec: &RuleSpec) -> Result<Script, (String, String)> {
        let mut scripts = Vec::new();
        for name in &spec.scripts {
            let Some(i) = SCRIPTS
                .iter()
                .position(|(n, _)| n.eq_ignore_ascii_case(name))
            else {
                let known: Vec<&str> = SCRIPTS.iter().map(|(n, _)| *n).collect();
                return Err((
                    "scripts".into(),
                    format!("unknown script `{name}` (known: {})", known.join(", ")),
                ));
            };
            scripts.push(i);
        }
        if scripts.is_empty() {
            return Err((
                "scripts".into(),
                "a script rule needs `scripts`, e.g. [Han, Cyrillic]".into(),
            ));
        }
        Ok(Script { scripts })
    }

    fn script_of(&self, c: char) -> Option<usize> {
        if (c as u32) < 0x0370 {
            return None;
        }
        let u = c as u32;
        self.scripts
            .iter()
            .copied()
            .find(|&i| SCRIPTS[i].1.iter().any(|&(a, b)| (a..=b).contains(&u)))
    }
}

impl Scan for Script {
    fn run(&self, rule: usize, message: &str, ctx: &Ctx, out: &mut Vec<Hit>) {
        let text = ctx.text;
        // (start, end, script) of the current run
        let mut run: Option<(usize, usize, usize)> = None;
        let mut flush = |run: &mut Option<(usize, usize, usize)>| {
            if let Some((s, e, sc)) = run.take() {
                let m = &text[s..e];
                let msg = render(message, &|k| match k {
                    "script" => Some(SCRIPTS[sc].0.to_string()),
                    "match" => Some(m.to_string()),
                    _ => None,
                });
                out.push(Hit {
                    rule,
                    span: s..e,
                    message: msg,
                    suggestions: vec![],
                });
            }
        };
        let bytes = text.as_bytes();
        let mut i = 0;
        while i < bytes.len() {
            if run.is_none() {
                // Outside a run only a letter of a listed script matters
                // (flushing nothing and extending nothing are no-ops).
                match next_high(bytes, i) {
                    Some(j) => i = j,
                    None => break,
                }
            }
            let b = bytes[i];
            if b.is_ascii() {
                // No script of interest is ASCII: a letter, digit or line
                // break ends a run, anything else is neutral.
                if run.is_some() && (b.is_ascii_alphanumeric() || b == b'\n') {
                    flush(&mut run);
                }
                i += 1;
                continue;
            }
            let c = text[i..].chars().next().unwrap_or(' ');
            let len = c.len_utf8();
            if let Some(sc) = self.script_of(c) {
                match &mut run {
                    Some((_, e, _)) => *e = i + c.len_utf8(),
                    None => run = Some((i, i + c.len_utf8(), sc)),
                }
            } else if c.is_alphanumeric() || c == '\n' {
                // combining marks (Devanagari vowel signs) are not alphanumeric
                flush(&mut run);
            } else if let Some((_, e, _)) = &mut run
                && is_mark(c)
            {
                *e = i + c.len_utf8();
            }
            i += len;
        }
        flush(&mut run);
    }
}

/// Combining marks and joiners that belong to the word before them.
fn is_mark(c: char) -> bool {
    let u = c as u32;
    (0x0300..=0x036F).contains(&u)
        || (0x0900..=0x0DFF).contains(&u)
        || (0x0E00..=0x0E7F).contains(&u)
        || u == 0x200C
        || u == 0x200D
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(text: &str) -> Vec<String> {
        let s = Script {
            scripts: ["Han", "Cyrillic", "Devanagari"]
                .iter()
                .map(|n| SCRIPTS.iter().position(|(x, _)| x == n).unwrap())
                .collect(),
        };
        let ctx = Ctx::new(text);
        let mut out = Vec::new();
        s.run(0, "{script}", &ctx, &mut out);
        out.into_iter().map(|h| text[h.span].to_string()).collect()
    }

    #[test]
    fn next_high_finds_lead_bytes_from_0xcd() {
        let texts = [
            "",
            "plain ASCII only, longer than eight bytes",
            "café Zürich ÿ ̀ ̿ Ͱ",
            "abcdefgh и/или 知道 “quoted” — done",
            "\u{36F}\u{370}\u{10FFFF}",
        ];
        for t in texts {
            let b = t.as_bytes();
            for from in 0..=b.len() + 1 {
                let want = (from..b.len()).find(|&i| b[i] >= 0xCD);
                assert_eq!(next_high(b, from), want, "{t:?} {from}");
            }
        }
        // chars from U+0340 (so all from U+0370) start with a byte from 0xCD
        assert_eq!("\u{340}".as_bytes()[0], 0xCD);
        assert_eq!("\u{370}".as_bytes()[0], 0xCD);
        assert!("\u{33F}".as_bytes()[0] < 0xCD);
    }

    #[test]
    fn runs_of_foreign_letters() {
        assert_eq!(run("I don't 知道 if you know."), ["知道"]);
        assert_eq!(run("place of residence и/или gender"), ["и/или"]);
        assert_eq!(run("near Bhiti गांव and"), ["गांव"]);
        assert!(run("The café in Zürich, α = 0.5, costs 5 €.").is_empty());
    }
}
