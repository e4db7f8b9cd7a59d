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
            w.write_all(pretty(&finding_value(&f.path, li, x), "    ").as_bytes())?;
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
