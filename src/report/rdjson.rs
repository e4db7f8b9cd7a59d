//! `--format rdjson` / `rdjsonl`: the Reviewdog Diagnostic Format
//! (`reviewdog -f=rdjson` / `-f=rdjsonl`). rdjson is one
//! `DiagnosticResult` object; rdjsonl is one `Diagnostic` per line.
//!
//! Positions (from reviewdog's `proto/rdf/reviewdog.proto`): `line` and
//! `column` start at 1 and the column is a BYTE count in UTF-8 (its example:
//! in `a𐐀b` the column of `b` is 6); `end` is exclusive. reviewdog's GitHub
//! reporter slices source lines by these byte columns to build a suggestion
//! block, so they must be bytes, not code points.
//!
//! Each calque suggestion becomes one rdf `Suggestion`: its edits merged
//! into one range (the text between them kept), since a review suggestion
//! replaces one range. A finding's alternatives share its range, which
//! reviewdog requires of all suggestions of one diagnostic.

use super::Report;
use super::common::{REPOSITORY, merged_edit, pos, rule_url};
use crate::engine::RuleSet;
use crate::excerpt::Excerpts;
use crate::finding::Severity;
use serde_json::{Map, Value, json};

fn severity(s: Severity) -> &'static str {
    match s {
        Severity::Error => "ERROR",
        Severity::Warning => "WARNING",
        Severity::Info => "INFO",
    }
}

fn source() -> Value {
    let mut m = Map::new();
    m.insert("name".into(), json!("calque"));
    if !REPOSITORY.is_empty() {
        m.insert("url".into(), json!(REPOSITORY));
    }
    Value::Object(m)
}

fn range(text: &Excerpts, start: usize, end: usize) -> Value {
    let (s, e) = (pos(text, start), pos(text, end));
    json!({
        "start": {"line": s.line, "column": s.byte_col},
        "end": {"line": e.line, "column": e.byte_col},
    })
}

/// Every finding as an rdf `Diagnostic`, in report order.
pub fn diagnostics(report: &Report, set: &RuleSet) -> Vec<Value> {
    let mut out = Vec::new();
    for f in &report.files {
        for x in &f.findings {
            let mut code = Map::new();
            code.insert("value".into(), json!(&*x.rule));
            if let Some(u) = set.get(&x.rule).and_then(|r| rule_url(&r.meta.source)) {
                code.insert("url".into(), json!(u));
            }
            let suggestions: Vec<Value> = x
                .suggestions
                .iter()
                .filter_map(|s| merged_edit(&f.text, s))
                .map(|(s, e, t)| json!({"range": range(&f.text, s, e), "text": t}))
                .collect();
            let mut d = Map::new();
            d.insert("message".into(), json!(x.message));
            d.insert(
                "location".into(),
                json!({"path": f.path, "range": range(&f.text, x.span.start, x.span.end)}),
            );
            d.insert("severity".into(), json!(severity(x.severity)));
            d.insert("source".into(), source());
            d.insert("code".into(), Value::Object(code));
            if !suggestions.is_empty() {
                d.insert("suggestions".into(), Value::Array(suggestions));
            }
            out.push(Value::Object(d));
        }
    }
    out
}

pub fn render(report: &Report, set: &RuleSet) -> String {
    let worst = report
        .files
        .iter()
        .flat_map(|f| f.findings.iter().map(|x| x.severity))
        .max();
    let mut v = json!({
        "source": source(),
        "diagnostics": diagnostics(report, set),
    });
    if let (Some(w), Some(o)) = (worst, v.as_object_mut()) {
        o.insert("severity".into(), json!(severity(w)));
    }
    let mut s = serde_json::to_string_pretty(&v).unwrap_or_default();
    s.push('\n');
    s
}

pub fn render_lines(report: &Report, set: &RuleSet) -> String {
    let mut out = String::new();
    for d in diagnostics(report, set) {
        out.push_str(&serde_json::to_string(&d).unwrap_or_default());
        out.push('\n');
    }
    out
}
