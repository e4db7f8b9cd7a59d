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
/// report, written straight out: the same bytes, without building the
/// `Value` tree and its string (a few microseconds per finding, a few
/// percent of a run with thousands of findings).
fn write_finding(
    w: &mut dyn std::io::Write,
    path: &str,
    li: &Excerpts,
    f: &crate::finding::Finding,
) -> std::io::Result<()> {
    type W<'a> = &'a mut dyn std::io::Write;
    fn string(w: W, s: &str) -> std::io::Result<()> {
        serde_json::to_writer(&mut *w, s).map_err(std::io::Error::from)
    }
    /// A pretty-printed array: `[]`, or each item (which writes its own
    /// indent) on its lines and `]` at `indent`.
    fn array<T>(
        w: W,
        items: &[T],
        indent: &str,
        each: &mut dyn FnMut(W, &T) -> std::io::Result<()>,
    ) -> std::io::Result<()> {
        if items.is_empty() {
            return w.write_all(b"[]");
        }
        for (i, x) in items.iter().enumerate() {
            w.write_all(if i == 0 { b"[\n" } else { b",\n" })?;
            each(w, x)?;
        }
        write!(w, "\n{indent}]")
    }
    let (line, column) = li.line_col(f.span.start);
    let (end_line, end_column) = li.line_col(f.span.end);
    w.write_all(b"{\n      \"category\": ")?;
    string(w, &f.category)?;
    write!(
        w,
        ",\n      \"column\": {column},\n      \"end\": {},\n      \"end_column\": {end_column},\n      \"end_line\": {end_line},\n      \"line\": {line},\n      \"message\": ",
        f.span.end
    )?;
    string(w, &f.message)?;
    w.write_all(b",\n      \"path\": ")?;
    string(w, path)?;
    w.write_all(b",\n      \"rule\": ")?;
    string(w, &f.rule)?;
    write!(
        w,
        ",\n      \"severity\": \"{}\",\n      \"start\": {},\n      \"suggestions\": ",
        f.severity.as_str(),
        f.span.start
    )?;
    array(w, &f.suggestions, "      ", &mut |w, s| {
        write!(
            w,
            "        {{\n          \"applicability\": \"{}\",\n          \"edits\": ",
            s.applicability.as_str()
        )?;
        array(w, &s.edits, "          ", &mut |w, e| {
            write!(
                w,
                "            {{\n              \"end\": {},\n              \"replacement\": ",
                e.end
            )?;
            string(w, &e.replacement)?;
            write!(w, ",\n              \"start\": {}\n            }}", e.start)
        })?;
        if s.preferred {
            w.write_all(b",\n          \"preferred\": true")?;
        }
        w.write_all(b",\n          \"replacement\": ")?;
        string(w, &s.replacement)?;
        w.write_all(b"\n        }")
    })?;
    w.write_all(b"\n    }")
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
    for f in &report.files {
        let li = &f.text;
        for x in &f.findings {
            w.write_all(if first { b"\n    " } else { b",\n    " })?;
            first = false;
            write_finding(w, &f.path, li, x)?;
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
            write_finding(&mut got, path, &li, &f).unwrap();
            let want = serde_json::to_string_pretty(&finding_value(path, &li, &f))
                .unwrap()
                .replace('\n', "\n    ");
            assert_eq!(String::from_utf8(got).unwrap(), want);
        }
    }
}
