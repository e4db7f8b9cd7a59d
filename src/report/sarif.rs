//! `--format sarif`: SARIF 2.1.0, as GitHub code scanning accepts it
//! (`github/codeql-action/upload-sarif`).
//!
//! - one run; `tool.driver.rules` lists every ENABLED rule (after `--select`
//!   / `--ignore`), in rule-set order, so `ruleIndex` is stable across runs
//!   and the log says what was checked, not only what fired;
//! - `columnKind: unicodeCodePoints`: columns count Unicode scalar values,
//!   as in `--format json`; `endColumn` is exclusive (SARIF's convention);
//! - `artifactLocation.uri` is relative to the current directory (run calque
//!   from the repository root), `/`-separated and percent-encoded;
//! - `partialFingerprints["calqueMatchHash/v1"]` hashes the rule, the matched
//!   text and its nearby context (see `common::fingerprints`): moving a
//!   paragraph does not reopen an alert;
//! - each suggestion becomes a `fix` whose replacements are its `edits`;
//! - unreadable files are `toolExecutionNotifications` of the invocation,
//!   and make `executionSuccessful` false.

use super::Report;
use super::common::{REPOSITORY, fingerprints, pos, rule_url, suggestion_label, uri_reference};
use crate::engine::RuleSet;
use crate::excerpt::Excerpts;
use crate::finding::Severity;
use serde_json::{Map, Value, json};
use std::collections::HashMap;

pub const SCHEMA: &str = "https://json.schemastore.org/sarif-2.1.0.json";
pub const FINGERPRINT_KEY: &str = "calqueMatchHash/v1";

fn level(s: Severity) -> &'static str {
    match s {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info => "note",
    }
}

fn collapse(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// `explain` has the shape "What it flags: … Why: … Example: … Fix …".
/// Short description: the "What it flags" part (or the first sentence);
/// full description: everything before "Example:".
fn descriptions(id: &str, explain: &str) -> (String, String) {
    let text = collapse(explain);
    if text.is_empty() {
        return (id.to_string(), id.to_string());
    }
    let full = match text.find(" Example:") {
        Some(i) if i > 0 => text[..i].to_string(),
        _ => text.clone(),
    };
    let short = match text.strip_prefix("What it flags:") {
        Some(rest) => {
            let rest = rest.trim_start();
            match rest.find(" Why:") {
                Some(i) => rest[..i].to_string(),
                None => rest.to_string(),
            }
        }
        None => match text.find(". ") {
            Some(i) => text[..=i].to_string(),
            None => text.clone(),
        },
    };
    let short = if short.trim().is_empty() {
        id.to_string()
    } else {
        short
    };
    (short, full)
}

fn descriptor(r: &crate::engine::Rule) -> Value {
    let m = &r.meta;
    let (short, full) = descriptions(&m.id, m.explain());
    let help = if m.explain().trim().is_empty() {
        m.id.to_string()
    } else {
        m.explain().trim().to_string()
    };
    let mut d = json!({
        "id": &*m.id,
        "shortDescription": {"text": short},
        "fullDescription": {"text": full},
        "help": {"text": help, "markdown": help},
        "defaultConfiguration": {"level": level(m.severity)},
        "properties": {
            "tags": [&*m.category],
            "kind": m.kind,
            "pack": m.pack,
            "fix": m.applicability.as_str(),
        },
    });
    if let (Some(u), Some(o)) = (rule_url(&m.source), d.as_object_mut()) {
        o.insert("helpUri".into(), json!(u));
    }
    d
}

fn region(text: &Excerpts, start: usize, end: usize) -> Value {
    let (s, e) = (pos(text, start), pos(text, end));
    json!({
        "startLine": s.line, "startColumn": s.col,
        "endLine": e.line, "endColumn": e.col,
    })
}

pub fn render(report: &Report, set: &RuleSet) -> String {
    let cwd = std::env::current_dir().ok();
    let mut rules: Vec<Value> = Vec::new();
    let mut index: HashMap<&str, usize> = HashMap::new();
    for r in set.rules.iter().filter(|r| r.enabled) {
        index.insert(&r.meta.id, rules.len());
        rules.push(descriptor(r));
    }
    // A finding from a rule not in the enabled list still gets a descriptor.
    for f in &report.files {
        for x in &f.findings {
            if !index.contains_key(&*x.rule) {
                index.insert(&x.rule, rules.len());
                rules.push(match set.get(&x.rule) {
                    Some(r) => descriptor(r),
                    None => json!({"id": &*x.rule, "shortDescription": {"text": &*x.rule}}),
                });
            }
        }
    }

    let mut results = Vec::new();
    let mut notifications = Vec::new();
    for f in &report.files {
        let uri = uri_reference(&f.path, cwd.as_deref());
        if let Some(e) = &f.error {
            notifications.push(json!({
                "level": "error",
                "message": {"text": format!("{}: {e}", f.path)},
                "locations": [{"physicalLocation": {"artifactLocation": {"uri": uri}}}],
                "descriptor": {"id": "calque/io"},
            }));
            continue;
        }
        let prints = fingerprints(&f.text, &f.findings);
        for (x, print) in f.findings.iter().zip(prints) {
            let fixes: Vec<Value> = x
                .suggestions
                .iter()
                .filter(|s| !s.edits.is_empty())
                .map(|s| {
                    let replacements: Vec<Value> = s
                        .edits
                        .iter()
                        .map(|e| {
                            json!({
                                "deletedRegion": region(&f.text, e.start, e.end),
                                "insertedContent": {"text": e.replacement},
                            })
                        })
                        .collect();
                    json!({
                        "description": {"text": format!("{} ({})", suggestion_label(s), s.applicability.as_str())},
                        "artifactChanges": [{"artifactLocation": {"uri": uri}, "replacements": replacements}],
                    })
                })
                .collect();
            let mut r = Map::new();
            r.insert("ruleId".into(), json!(&*x.rule));
            r.insert("ruleIndex".into(), json!(index.get(&*x.rule).copied()));
            r.insert("level".into(), json!(level(x.severity)));
            r.insert("message".into(), json!({"text": x.message}));
            r.insert(
                "locations".into(),
                json!([{"physicalLocation": {
                    "artifactLocation": {"uri": uri},
                    "region": region(&f.text, x.span.start, x.span.end),
                }}]),
            );
            r.insert(
                "partialFingerprints".into(),
                json!({ FINGERPRINT_KEY: print }),
            );
            if !fixes.is_empty() {
                r.insert("fixes".into(), Value::Array(fixes));
            }
            r.insert("properties".into(), json!({"category": &*x.category}));
            results.push(Value::Object(r));
        }
    }

    let mut driver = Map::new();
    driver.insert("name".into(), json!("calque"));
    driver.insert("version".into(), json!(env!("CARGO_PKG_VERSION")));
    driver.insert("semanticVersion".into(), json!(env!("CARGO_PKG_VERSION")));
    if !REPOSITORY.is_empty() {
        driver.insert("informationUri".into(), json!(REPOSITORY));
    }
    driver.insert("rules".into(), Value::Array(rules));
    let v = json!({
        "$schema": SCHEMA,
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": Value::Object(driver)},
            "invocations": [{
                "executionSuccessful": notifications.is_empty(),
                "toolExecutionNotifications": notifications,
            }],
            "columnKind": "unicodeCodePoints",
            "results": results,
        }]
    });
    let mut s = serde_json::to_string_pretty(&v).unwrap_or_default();
    s.push('\n');
    s
}

#[cfg(test)]
mod tests {
    use super::descriptions;

    #[test]
    fn descriptions_follow_the_explain_shape() {
        let (s, f) = descriptions(
            "x/y",
            "What it flags: a thing.\nWhy: because. Example: `a` becomes `b`. Fix (safe): b.",
        );
        assert_eq!(s, "a thing.");
        assert_eq!(f, "What it flags: a thing. Why: because.");
        let (s, _) = descriptions("x/y", "Flags things. More here.");
        assert_eq!(s, "Flags things.");
        assert_eq!(descriptions("x/y", "  ").0, "x/y");
    }
}
