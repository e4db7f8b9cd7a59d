//! Helpers shared by the machine-readable formats: positions in the units
//! each consumer expects, merged suggestion edits, a stable hash, XML and
//! URI escaping, per-rule counts.

use super::Report;
use crate::excerpt::Excerpts;
use crate::finding::{Finding, Severity, Suggestion};
use std::collections::HashMap;
use std::path::{Component, Path};

/// The project's home page: Cargo.toml `repository` (empty when unset; the
/// formats then leave out the fields that would carry it).
pub const REPOSITORY: &str = env!("CARGO_PKG_REPOSITORY");

/// A position in a file in every unit a consumer may ask for. Lines and
/// columns are 1-based.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Pos {
    pub line: usize,
    /// Column in Unicode scalar values (code points): JSON, SARIF with
    /// `columnKind: unicodeCodePoints`, GitHub, checkstyle.
    pub col: usize,
    /// Column in UTF-8 bytes: reviewdog.
    pub byte_col: usize,
}

pub fn pos(text: &Excerpts, off: usize) -> Pos {
    let off = text.floor_char(off);
    let (line, col) = text.line_col(off);
    let start = text.line_range(line).start;
    Pos {
        line,
        col,
        byte_col: off.saturating_sub(start) + 1,
    }
}

/// A suggestion's edits as ONE replacement of a byte range: from the first
/// edit's start to the last edit's end, the untouched text between the edits
/// kept. Consumers that take one range per fix (reviewdog, a GitHub
/// suggestion block) need this; a quotation pair is two edits on one line.
/// `None` when the edits overlap or fall outside the text.
pub fn merged_edit(text: &Excerpts, s: &Suggestion) -> Option<(usize, usize, String)> {
    let mut edits: Vec<_> = s.edits.iter().collect();
    edits.sort_by_key(|e| (e.start, e.end));
    let first = edits.first()?;
    let (start, mut at) = (first.start, first.start);
    let mut out = String::new();
    for e in &edits {
        if e.start < at || e.end < e.start || e.end > text.len() {
            return None;
        }
        out.push_str(text.get(at..e.start)?);
        out.push_str(&e.replacement);
        at = e.end;
    }
    Some((start, at, out))
}

/// "replace with `x`" or "delete this text".
pub fn suggestion_label(s: &Suggestion) -> String {
    if s.replacement.is_empty() {
        "delete this text".to_string()
    } else {
        format!("replace with `{}`", s.replacement)
    }
}

/// FNV-1a, 64 bits: a simple, stable, non-cryptographic hash (fingerprints
/// must not change between releases or platforms, so no std `Hasher`).
pub fn fnv1a64(bytes: &[u8]) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for &b in bytes {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0000_0100_0000_01b3);
    }
    h
}

/// Code points of context taken on each side of a finding for its
/// fingerprint.
const CONTEXT: usize = 24;

fn fold_ws(s: &str, out: &mut String) {
    let mut space = false;
    for c in s.chars() {
        if c.is_whitespace() {
            space = true;
        } else {
            if space && !out.is_empty() {
                out.push(' ');
            }
            space = false;
            out.push(c);
        }
    }
}

/// A fingerprint that survives edits elsewhere in the file: a hash of the
/// rule, the matched text and up to 24 code points on each side (within the
/// same lines), whitespace folded. Line numbers are NOT part of it. Equal
/// hashes in one file are told apart by an occurrence number (`hash:n`,
/// counting from 1 in file order), as GitHub does for its own line hash.
pub fn fingerprints(text: &Excerpts, findings: &[Finding]) -> Vec<String> {
    let mut seen: HashMap<u64, usize> = HashMap::new();
    findings
        .iter()
        .map(|f| {
            let s = text.floor_char(f.span.start);
            let e = text.floor_char(f.span.end).max(s);
            let line_start = text.line_range(text.line_col(s).0).start.min(s);
            let line_end = text.line_range(text.line_col(e).0).end.max(e);
            let slice = |a: usize, b: usize| text.get(a..b).unwrap_or("");
            let before: String = {
                let mut v: Vec<char> = slice(line_start, s).chars().rev().take(CONTEXT).collect();
                v.reverse();
                v.into_iter().collect()
            };
            let after: String = slice(e, line_end).chars().take(CONTEXT).collect();
            let mut key = String::new();
            key.push_str(&f.rule);
            key.push('\u{0}');
            fold_ws(slice(s, e), &mut key);
            key.push('\u{0}');
            fold_ws(&before, &mut key);
            key.push('\u{0}');
            fold_ws(&after, &mut key);
            let h = fnv1a64(key.as_bytes());
            let n = seen.entry(h).or_insert(0);
            *n += 1;
            format!("{h:016x}:{n}")
        })
        .collect()
}

/// Escape text for XML 1.0 content and attribute values. Characters XML 1.0
/// cannot carry (most C0 controls) become U+FFFD; tab, CR and LF become
/// character references so attribute values keep them.
pub fn xml_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\t' => out.push_str("&#9;"),
            '\n' => out.push_str("&#10;"),
            '\r' => out.push_str("&#13;"),
            c if (c as u32) < 0x20 || c == '\u{FFFE}' || c == '\u{FFFF}' => out.push('\u{FFFD}'),
            c => out.push(c),
        }
    }
    out
}

/// Escape text for XML element content: as `xml_escape`, but tabs and line
/// feeds stay literal (readable in a `<failure>` body).
pub fn xml_text(s: &str) -> String {
    xml_escape(s).replace("&#10;", "\n").replace("&#9;", "\t")
}

fn percent_encode_segment(seg: &str, out: &mut String) {
    for b in seg.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~') {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
}

/// A SARIF `artifactLocation.uri` for a reported path: relative to `cwd`
/// (the repository root when calque runs there) with `/` separators and each
/// segment percent-encoded (everything but RFC 3986 unreserved characters),
/// so it is a valid relative URI reference. An absolute path outside `cwd`
/// becomes a `file://` URI. `-` (stdin) stays `-`.
pub fn uri_reference(path: &str, cwd: Option<&Path>) -> String {
    let p = Path::new(path);
    let rel = match cwd {
        Some(c) if p.is_absolute() => p.strip_prefix(c).unwrap_or(p),
        _ => p,
    };
    let mut segs: Vec<String> = Vec::new();
    let mut absolute = false;
    for c in rel.components() {
        match c {
            Component::Prefix(pre) => {
                // Windows drive: file:///C:/...
                absolute = true;
                segs.push(pre.as_os_str().to_string_lossy().replace('\\', "/"));
            }
            Component::RootDir => absolute = true,
            Component::CurDir => {}
            Component::ParentDir => segs.push("..".into()),
            Component::Normal(s) => {
                let mut e = String::new();
                percent_encode_segment(&s.to_string_lossy(), &mut e);
                segs.push(e);
            }
        }
    }
    if absolute {
        format!("file:///{}", segs.join("/"))
    } else if segs.is_empty() {
        ".".into()
    } else {
        segs.join("/")
    }
}

/// Findings per rule, most frequent first (then the more severe, then by
/// id): `(rule, severity, count)`.
pub fn rule_counts(report: &Report) -> Vec<(String, Severity, usize)> {
    let mut m: HashMap<(&str, Severity), usize> = HashMap::new();
    for f in &report.files {
        for x in &f.findings {
            *m.entry((&x.rule, x.severity)).or_insert(0) += 1;
        }
    }
    let mut v: Vec<(String, Severity, usize)> = m
        .into_iter()
        .map(|((r, s), n)| (r.to_string(), s, n))
        .collect();
    v.sort_by(|a, b| b.2.cmp(&a.2).then(b.1.cmp(&a.1)).then(a.0.cmp(&b.0)));
    v
}

/// The built-in rules' YAML page in the repository, when one is configured.
pub fn rule_url(source: &str) -> Option<String> {
    let file = source.strip_prefix(crate::rules::BUILTIN_PREFIX)?;
    if REPOSITORY.is_empty() {
        return None;
    }
    Some(format!(
        "{}/blob/main/{}",
        REPOSITORY.trim_end_matches('/'),
        file
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::finding::{Applicability, Edit};

    #[test]
    fn fnv1a64_reference_vectors() {
        // From the FNV reference test suite.
        assert_eq!(fnv1a64(b""), 0xcbf29ce484222325);
        assert_eq!(fnv1a64(b"a"), 0xaf63dc4c8601ec8c);
        assert_eq!(fnv1a64(b"foobar"), 0x85944171f73967e8);
    }

    #[test]
    fn fingerprints_use_context_not_position() {
        let f = |text: &str, word: &str, nth: usize| Finding {
            rule: "r/x".into(),
            severity: Severity::Warning,
            category: "c/x".into(),
            message: String::new(),
            span: {
                let s = text.match_indices(word).nth(nth).unwrap().0;
                s..s + word.len()
            },
            suggestions: vec![],
        };
        // Same rule, match and context twice: told apart by occurrence.
        let t = "A Poutine b.\nA Poutine b.\nC Poutine d.\n";
        let p = fingerprints(
            &Excerpts::whole(t.to_string()),
            &[f(t, "Poutine", 0), f(t, "Poutine", 1), f(t, "Poutine", 2)],
        );
        let hash = |s: &str| s.split(':').next().unwrap().to_string();
        assert_eq!(hash(&p[0]), hash(&p[1]));
        assert!(p[0].ends_with(":1") && p[1].ends_with(":2"));
        assert_ne!(hash(&p[0]), hash(&p[2]), "different context");
        // Moving the text down, or changing spacing, keeps the print.
        let t2 = "New.\n\nA  Poutine\tb.\n";
        let x2 = Excerpts::whole(t2.to_string());
        assert_eq!(fingerprints(&x2, &[f(t2, "Poutine", 0)])[0], p[0]);
    }

    #[test]
    fn uris_are_relative_encoded_references() {
        let cwd = Path::new("/repo");
        assert_eq!(uri_reference("a/b.txt", Some(cwd)), "a/b.txt");
        assert_eq!(uri_reference("./a/b.txt", Some(cwd)), "a/b.txt");
        assert_eq!(uri_reference("/repo/a/b c.txt", Some(cwd)), "a/b%20c.txt");
        assert_eq!(
            uri_reference("/elsewhere/é#1.md", Some(cwd)),
            "file:///elsewhere/%C3%A9%231.md"
        );
        // A colon in the first segment would read as a scheme.
        assert_eq!(uri_reference("c:d,e%.txt", None), "c%3Ad%2Ce%25.txt");
        assert_eq!(uri_reference("../x.txt", None), "../x.txt");
        assert_eq!(uri_reference("-", None), "-");
    }

    #[test]
    fn xml_escaping() {
        assert_eq!(
            xml_escape("a<b & \"c\" 'd'>\n\u{1}"),
            "a&lt;b &amp; &quot;c&quot; &apos;d&apos;&gt;&#10;\u{FFFD}"
        );
    }

    #[test]
    fn merged_edit_keeps_text_between_edits() {
        let text = "to obtain ” around twenty “ of arms";
        let open = text.find('”').unwrap();
        let close = text.find('“').unwrap();
        let s = Suggestion {
            replacement: String::new(),
            applicability: Applicability::Safe,
            edits: vec![
                Edit {
                    start: close - 1,
                    end: close + '“'.len_utf8(),
                    replacement: "”".into(),
                },
                Edit {
                    start: open,
                    end: open + '”'.len_utf8() + 1,
                    replacement: "“".into(),
                },
            ],
            preferred: false,
        };
        let (s0, e0, t) = merged_edit(&Excerpts::whole(text.to_string()), &s).unwrap();
        let fixed = format!("{}{}{}", &text[..s0], t, &text[e0..]);
        assert_eq!(fixed, "to obtain “around twenty” of arms");
        // Overlapping edits are refused.
        let bad = Suggestion {
            edits: vec![
                Edit {
                    start: 0,
                    end: 5,
                    replacement: "x".into(),
                },
                Edit {
                    start: 3,
                    end: 6,
                    replacement: "y".into(),
                },
            ],
            ..s
        };
        assert!(merged_edit(&Excerpts::whole(text.to_string()), &bad).is_none());
    }

    #[test]
    fn positions_in_code_points_and_bytes() {
        let text = "ab\na𐐀b\n";
        let b = text.rfind('b').unwrap();
        assert_eq!(
            pos(&Excerpts::whole(text.to_string()), b),
            Pos {
                line: 2,
                col: 3,
                byte_col: 6
            }
        );
    }
}
