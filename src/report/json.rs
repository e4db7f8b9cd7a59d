//! `--format json`: one object, `{"version": 1, "findings": [...], "summary": {...}}`.
//! The contract is documented in README.md ("JSON output").

use super::Report;
use crate::excerpt::Excerpts;
use serde_json::{Value, json};

pub fn finding_value(path: &str, li: &Excerpts, f: &crate::finding::Finding) -> Value {
    let (line, column) = li.line_col(f.span.start);
    let (end_line, end_column) = li.line_col(f.span.end);
    json!({
        "path": path,
        "rule": &*f.rule,
        "severity": f.severity.as_str(),
        "category": &*f.category,
        "message": f.message,
        "start": f.span.start,
        "end": f.span.end,
        "line": line,
        "column": column,
        "end_line": end_line,
        "end_column": end_column,
        "suggestions": f.suggestions.iter().map(|s| {
            let mut v = json!({
                "replacement": s.replacement,
                "applicability": s.applicability.as_str(),
                "edits": s.edits,
            });
            if s.preferred {
                v["preferred"] = json!(true);
            }
            v
        }).collect::<Vec<_>>(),
    })
}

/// `finding_value` pretty-printed at the indent of a finding in the
/// report, appended to `out`: the same bytes, without building the
/// `Value` tree and its string (a few microseconds per finding, a few
/// percent of a run with thousands of findings). Into a byte buffer, not
/// a `dyn Write`: its integers, keys and escaped strings are each a call
/// through the formatting machinery and the writer otherwise (42.8 M of
/// 1,682 M instructions on 8 MB of news, 6,894 findings).
fn write_finding(out: &mut Vec<u8>, path: &str, li: &Excerpts, f: &crate::finding::Finding) {
    fn string(out: &mut Vec<u8>, s: &str) {
        // writing to a Vec cannot fail
        let _ = serde_json::to_writer(&mut *out, s);
    }
    fn num(out: &mut Vec<u8>, n: usize) {
        let mut digits = [0u8; 20];
        let mut i = digits.len();
        let mut n = n;
        loop {
            i -= 1;
            digits[i] = b'0' + (n % 10) as u8;
            n /= 10;
            if n == 0 {
                break;
            }
        }
        out.extend_from_slice(&digits[i..]);
    }
    /// A pretty-printed array: `[]`, or each item (which writes its own
    /// indent) on its lines and `]` at `indent`.
    fn array<T>(out: &mut Vec<u8>, items: &[T], indent: &str, each: impl Fn(&mut Vec<u8>, &T)) {
        if items.is_empty() {
            out.extend_from_slice(b"[]");
            return;
        }
        for (i, x) in items.iter().enumerate() {
            out.extend_from_slice(if i == 0 { b"[\n" } else { b",\n" });
            each(out, x);
        }
        out.push(b'\n');
        out.extend_from_slice(indent.as_bytes());
        out.push(b']');
    }
    let (line, column) = li.line_col(f.span.start);
    let (end_line, end_column) = li.line_col(f.span.end);
    out.extend_from_slice(b"{\n      \"category\": ");
    string(out, &f.category);
    out.extend_from_slice(b",\n      \"column\": ");
    num(out, column);
    out.extend_from_slice(b",\n      \"end\": ");
    num(out, f.span.end);
    out.extend_from_slice(b",\n      \"end_column\": ");
    num(out, end_column);
    out.extend_from_slice(b",\n      \"end_line\": ");
    num(out, end_line);
    out.extend_from_slice(b",\n      \"line\": ");
    num(out, line);
    out.extend_from_slice(b",\n      \"message\": ");
    string(out, &f.message);
    out.extend_from_slice(b",\n      \"path\": ");
    string(out, path);
    out.extend_from_slice(b",\n      \"rule\": ");
    string(out, &f.rule);
    out.extend_from_slice(b",\n      \"severity\": \"");
    out.extend_from_slice(f.severity.as_str().as_bytes());
    out.extend_from_slice(b"\",\n      \"start\": ");
    num(out, f.span.start);
    out.extend_from_slice(b",\n      \"suggestions\": ");
    array(out, &f.suggestions, "      ", |out, s| {
        out.extend_from_slice(b"        {\n          \"applicability\": \"");
        out.extend_from_slice(s.applicability.as_str().as_bytes());
        out.extend_from_slice(b"\",\n          \"edits\": ");
        array(out, &s.edits, "          ", |out, e| {
            out.extend_from_slice(b"            {\n              \"end\": ");
            num(out, e.end);
            out.extend_from_slice(b",\n              \"replacement\": ");
            string(out, &e.replacement);
            out.extend_from_slice(b",\n              \"start\": ");
            num(out, e.start);
            out.extend_from_slice(b"\n            }");
        });
        if s.preferred {
            out.extend_from_slice(b",\n          \"preferred\": true");
        }
        out.extend_from_slice(b",\n          \"replacement\": ");
        string(out, &s.replacement);
        out.extend_from_slice(b"\n        }");
    });
    out.extend_from_slice(b"\n    }");
}

/// The report, pretty-printed. Findings are serialized one at a time into
/// the output (a tree of every finding's `Value` first costs several KB per
/// finding: hundreds of MB for a large archive).
pub fn render(report: &Report) -> String {
    let mut out = Vec::new();
    let _ = write(report, &mut out);
    String::from_utf8(out).unwrap_or_default()
}

/// `render`, written as it is produced (a large report is never held whole).
pub fn write(report: &Report, w: &mut dyn std::io::Write) -> std::io::Result<()> {
    let c = report.counts();
    let errors: Vec<Value> = report
        .files
        .iter()
        .filter_map(|f| {
            f.error
                .as_ref()
                .map(|e| json!({"path": f.path, "message": e}))
        })
        .collect();
    let summary = json!({
        "files": report.checked,
        "files_with_findings": report.files.iter().filter(|f| !f.findings.is_empty()).count(),
        "findings": c.total(),
        "by_severity": {"error": c.error, "warning": c.warning, "info": c.info},
        "file_errors": errors,
    });
    // Keys in the order serde_json's map gives them: findings, summary,
    // version; two spaces of indent per level.
    let pretty = |v: &Value, indent: &str| -> String {
        serde_json::to_string_pretty(v)
            .unwrap_or_default()
            .replace('\n', &format!("\n{indent}"))
    };
    w.write_all(b"{\n  \"findings\": [")?;
    let mut first = true;
    // One finding at a time into this buffer, then to the writer.
    let mut buf: Vec<u8> = Vec::with_capacity(1024);
    for f in &report.files {
        let li = &f.text;
        for x in &f.findings {
            buf.clear();
            buf.extend_from_slice(if first { b"\n    " } else { b",\n    " });
            first = false;
            write_finding(&mut buf, &f.path, li, x);
            w.write_all(&buf)?;
        }
    }
    if !first {
        w.write_all(b"\n  ")?;
    }
    write!(
        w,
        "],\n  \"summary\": {},\n  \"version\": 1\n}}\n",
        pretty(&summary, "  ")
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::finding::{Applicability, Edit, Finding, Severity, Suggestion};

    /// The streamed finding is byte for byte the pretty-printed `Value`,
    /// whatever the suggestions hold.
    #[test]
    fn write_finding_is_the_pretty_value() {
        let text = "l’État a dit \"non\"\n\tet\\puis\u{1}é\n";
        let li = Excerpts::whole(text.to_string());
        let edit = |start, end, r: &str| Edit {
            start,
            end,
            replacement: r.to_string(),
        };
        let sugg = |r: &str, edits: Vec<Edit>, preferred| Suggestion {
            replacement: r.to_string(),
            applicability: Applicability::Safe,
            edits,
            preferred,
        };
        let suggestion_sets = vec![
            vec![],
            vec![sugg("", vec![], false)],
            vec![sugg("a \"b\"\n", vec![edit(0, 3, "x\u{7f}")], true)],
            vec![
                sugg("one", vec![edit(1, 2, "1"), edit(5, 9, "")], false),
                sugg("two\\", vec![], true),
            ],
            // every digit count, the largest offset
            vec![sugg(
                "n",
                [0, 9, 10, 99, 100, 12_345, 1 << 40, usize::MAX]
                    .iter()
                    .map(|&n| edit(n, n, "d"))
                    .collect(),
                false,
            )],
        ];
        for (i, suggestions) in suggestion_sets.into_iter().enumerate() {
            let f = Finding {
                rule: "x/\"rule\"".into(),
                severity: [Severity::Error, Severity::Warning, Severity::Info][i % 3],
                category: "cat/é\t".into(),
                message: format!("message {i} with “quotes” and \u{0}"),
                span: i..text.len() - i,
                suggestions,
            };
            let path = "dir/a \"b\".md";
            let mut got = Vec::new();
            write_finding(&mut got, path, &li, &f);
            let want = serde_json::to_string_pretty(&finding_value(path, &li, &f))
                .unwrap()
                .replace('\n', "\n    ");
            assert_eq!(String::from_utf8(got).unwrap(), want);
        }
    }
}
