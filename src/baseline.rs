//! Baselines: today's findings, recorded so that later runs report (and fail
//! on) new findings only.
//!
//! A finding's fingerprint is made of its rule, its matched text and the
//! words next to it (up to `CONTEXT_WORDS` each side, on the same line),
//! all normalized (NFC, white space folded; the context lowercased, words
//! only). Line numbers and offsets are not part of it, so inserting lines
//! above or editing other paragraphs does not make a finding new; editing
//! the words right next to it does. Findings are keyed by path and
//! fingerprint and counted: a baseline is a multiset, and a third identical
//! finding where the baseline has two is new.
//!
//! The file is JSON (README.md, "Baseline file"), one finding per line,
//! sorted, so it diffs well in git.

use crate::report::FileReport;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, HashMap};
use std::ops::Range;
use std::path::Path;
use unicode_normalization::UnicodeNormalization;

pub const VERSION: u32 = 1;
/// Words of context on each side of a finding.
pub const CONTEXT_WORDS: usize = 4;
/// Longest matched text stored (for the reader; not part of the match).
const TEXT_SHOWN: usize = 80;

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct Entry {
    pub path: String,
    pub rule: String,
    pub fingerprint: String,
    /// The matched text, for the reader.
    #[serde(default)]
    pub text: String,
    #[serde(default = "one")]
    pub count: usize,
}

fn one() -> usize {
    1
}

#[derive(Debug, Serialize, Deserialize)]
struct FileFormat {
    version: u32,
    findings: Vec<Entry>,
}

/// FNV-1a, 64 bits: a stable hash (std's hasher may change between Rust
/// releases, and a baseline must not).
fn fnv1a(parts: &[&str]) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for (i, p) in parts.iter().enumerate() {
        if i > 0 {
            h ^= 0x1f;
            h = h.wrapping_mul(0x0100_0000_01b3);
        }
        for b in p.bytes() {
            h ^= u64::from(b);
            h = h.wrapping_mul(0x0100_0000_01b3);
        }
    }
    h
}

/// NFC with every run of white space folded to one space, trimmed.
fn fold(s: &str) -> String {
    let nfc: String = s.nfc().collect();
    nfc.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The lowercased words of `s` (letters and digits).
fn words(s: &str) -> Vec<String> {
    let nfc: String = s.nfc().collect();
    nfc.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(|w| w.to_lowercase())
        .collect()
}

/// The fingerprint of a finding of `rule` at `span` of `text`, and its
/// normalized matched text.
/// `fingerprint` on a report's kept lines (`excerpt::Excerpts`): the lines
/// of a finding are all it reads.
pub fn fingerprint_kept(
    rule: &str,
    text: &crate::excerpt::Excerpts,
    span: &Range<usize>,
) -> (String, String) {
    match text.lines_around(span) {
        Some((base, t)) => fingerprint(rule, t, &(span.start - base..span.end - base)),
        None => fingerprint(rule, "", &(0..0)),
    }
}

pub fn fingerprint(rule: &str, text: &str, span: &Range<usize>) -> (String, String) {
    let start = crate::text::floor_char(text, span.start);
    let end = crate::text::floor_char(text, span.end.max(start));
    let line_start = text[..start].rfind('\n').map_or(0, |i| i + 1);
    let line_end = text[end..].find('\n').map_or(text.len(), |i| end + i);
    let matched = fold(&text[start..end]);
    let before = words(&text[line_start..start]);
    let before = before[before.len().saturating_sub(CONTEXT_WORDS)..].join(" ");
    let after: Vec<String> = words(&text[end..line_end])
        .into_iter()
        .take(CONTEXT_WORDS)
        .collect();
    let after = after.join(" ");
    let h = fnv1a(&[rule, &matched, &before, &after]);
    (format!("{h:016x}"), matched)
}

/// The path a baseline records for a file: relative to the baseline's
/// folder (with `/`), so the baseline works from any directory and in any
/// clone; standard input keeps its name.
pub fn key_path(display: &str, real: Option<&Path>, base_dir: &Path) -> String {
    match real {
        Some(p) => crate::config::relative(&crate::config::absolute(p), base_dir),
        None => display.to_string(),
    }
}

/// The baseline entries of a run, sorted and counted.
pub fn entries(files: &[FileReport], keys: &[String]) -> Vec<Entry> {
    let mut map: BTreeMap<(String, String, String), (String, usize)> = BTreeMap::new();
    for (f, key) in files.iter().zip(keys) {
        for x in &f.findings {
            let (fp, matched) = fingerprint_kept(&x.rule, &f.text, &x.span);
            let e = map
                .entry((key.clone(), x.rule.to_string(), fp))
                .or_insert_with(|| (shorten(&matched), 0));
            e.1 += 1;
        }
    }
    map.into_iter()
        .map(|((path, rule, fingerprint), (text, count))| Entry {
            path,
            rule,
            fingerprint,
            text,
            count,
        })
        .collect()
}

fn shorten(s: &str) -> String {
    if s.chars().count() <= TEXT_SHOWN {
        s.to_string()
    } else {
        let mut t: String = s.chars().take(TEXT_SHOWN - 1).collect();
        t.push('…');
        t
    }
}

/// The baseline file's text: one entry per line, sorted.
pub fn render(entries: &[Entry]) -> String {
    let mut s = format!("{{\n  \"version\": {VERSION},\n  \"findings\": [");
    for (i, e) in entries.iter().enumerate() {
        s.push_str(if i == 0 { "\n    " } else { ",\n    " });
        s.push_str(&serde_json::to_string(e).unwrap_or_default());
    }
    s.push_str(if entries.is_empty() {
        "]\n}\n"
    } else {
        "\n  ]\n}\n"
    });
    s
}

/// A baseline read back: how many of each finding are known.
pub struct Baseline {
    counts: HashMap<(String, String, String), usize>,
}

impl Baseline {
    pub fn parse(text: &str) -> Result<Baseline, String> {
        let f: FileFormat =
            serde_json::from_str(text).map_err(|e| format!("not a calque baseline: {e}"))?;
        if f.version != VERSION {
            return Err(format!(
                "baseline version {} is not supported (expected {VERSION})",
                f.version
            ));
        }
        let mut counts = HashMap::new();
        for e in f.findings {
            *counts.entry((e.path, e.rule, e.fingerprint)).or_insert(0) += e.count;
        }
        Ok(Baseline { counts })
    }

    pub fn read(path: &Path) -> Result<Baseline, String> {
        let text = std::fs::read_to_string(path)
            .map_err(|e| format!("{}: cannot read baseline: {e}", path.display()))?;
        Baseline::parse(&text).map_err(|e| format!("{}: {e}", path.display()))
    }

    /// Remove the findings the baseline knows (each entry as many times as
    /// it was counted, earliest findings first); return how many.
    pub fn filter(&mut self, files: &mut [FileReport], keys: &[String]) -> usize {
        let mut removed = 0;
        for (f, key) in files.iter_mut().zip(keys) {
            let text = &f.text;
            let counts = &mut self.counts;
            f.findings.retain(|x| {
                let (fp, _) = fingerprint_kept(&x.rule, text, &x.span);
                match counts.get_mut(&(key.clone(), x.rule.to_string(), fp)) {
                    Some(n) if *n > 0 => {
                        *n -= 1;
                        removed += 1;
                        false
                    }
                    _ => true,
                }
            });
        }
        removed
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fp(text: &str, needle: &str) -> String {
        let s = text.find(needle).unwrap();
        fingerprint("r/x", text, &(s..s + needle.len())).0
    }

    #[test]
    fn fingerprints_ignore_position_but_not_nearby_words() {
        let a = "One.\nHe had had contacts with officials.\n";
        let b = "New first line.\n\nOne, edited.\nHe had had contacts with officials.\n";
        assert_eq!(fp(a, "had had"), fp(b, "had had"));
        // White space and NFC do not matter.
        let c = "He had\u{a0}had contacts  with officials.\n";
        assert_eq!(fp(a, "had had"), fp(c, "had\u{a0}had"));
        // A word next to the finding does.
        let d = "She had had contacts with officials.\n";
        assert_ne!(fp(a, "had had"), fp(d, "had had"));
        // So does the rule.
        let s = a.find("had had").unwrap();
        assert_ne!(
            fingerprint("r/x", a, &(s..s + 7)).0,
            fingerprint("r/y", a, &(s..s + 7)).0
        );
    }

    #[test]
    fn render_parses_back() {
        let e = vec![Entry {
            path: "a.txt".into(),
            rule: "r/x".into(),
            fingerprint: "00ff".into(),
            text: "had had".into(),
            count: 2,
        }];
        let t = render(&e);
        assert_eq!(t.lines().count(), 6);
        let b = Baseline::parse(&t).unwrap();
        assert_eq!(
            b.counts.get(&("a.txt".into(), "r/x".into(), "00ff".into())),
            Some(&2)
        );
        assert!(Baseline::parse(&render(&[])).is_ok());
        assert!(Baseline::parse("{\"version\": 9, \"findings\": []}").is_err());
        assert!(Baseline::parse("[]").is_err());
    }
}
