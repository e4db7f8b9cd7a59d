//! `--format github`: GitHub Actions workflow commands, one annotation per
//! finding:
//!
//! ```text
//! ::warning file=a.txt,line=3,endLine=3,col=5,endColumn=9,title=RULE::message
//! ```
//!
//! error → `::error`, warning → `::warning`, info → `::notice`. Columns count
//! Unicode scalar values, `endColumn` exclusive, and are only given when the
//! finding is on one line (GitHub ignores columns of multi-line
//! annotations). The message carries the suggested fixes on extra lines.
//! Escaping, as the runner decodes it: in the message `%` → `%25`, CR →
//! `%0D`, LF → `%0A`; in property values also `:` → `%3A` and `,` → `%2C`.
//! An unreadable file is an `::error` on that file.
//!
//! GitHub shows only a few annotations per step; `step_summary` is a
//! Markdown report (findings by rule and severity, and by file) that the CLI
//! appends to `$GITHUB_STEP_SUMMARY` when that variable is set.

use super::Report;
use super::common::{pos, rule_counts, suggestion_label};
use crate::finding::Severity;
use std::fmt::Write;

/// Escape a workflow command's message.
pub fn escape_data(s: &str) -> String {
    s.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// Escape a workflow command's property value.
pub fn escape_property(s: &str) -> String {
    escape_data(s).replace(':', "%3A").replace(',', "%2C")
}

fn command(s: Severity) -> &'static str {
    match s {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info => "notice",
    }
}

pub fn render(report: &Report) -> String {
    let mut out = String::new();
    for f in &report.files {
        let file = escape_property(&f.path);
        if let Some(e) = &f.error {
            let _ = writeln!(
                out,
                "::error file={file},title=calque::{}",
                escape_data(&format!("{}: {e}", f.path))
            );
            continue;
        }
        for x in &f.findings {
            let (s, e) = (pos(&f.text, x.span.start), pos(&f.text, x.span.end));
            let mut props = format!("file={file},line={},endLine={}", s.line, e.line);
            if s.line == e.line {
                let _ = write!(props, ",col={},endColumn={}", s.col, e.col);
            }
            let _ = write!(props, ",title={}", escape_property(&x.rule));
            let mut msg = x.message.clone();
            for sg in &x.suggestions {
                let _ = write!(
                    msg,
                    "\nfix ({}): {}",
                    sg.applicability.as_str(),
                    suggestion_label(sg)
                );
            }
            let _ = writeln!(
                out,
                "::{} {props}::{}",
                command(x.severity),
                escape_data(&msg)
            );
        }
    }
    out
}

/// Escape text for a Markdown table cell.
fn md(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '>' | '|' | '#' | '~' => {
                out.push('\\');
                out.push(c);
            }
            '\n' | '\r' => out.push(' '),
            c => out.push(c),
        }
    }
    out
}

fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

/// The Markdown job summary.
pub fn step_summary(report: &Report) -> String {
    let c = report.counts();
    let files = report.checked;
    let with = report
        .files
        .iter()
        .filter(|f| !f.findings.is_empty())
        .count();
    let mut s = String::from("## calque\n\n");
    let _ = writeln!(
        s,
        "**{}** in {} of {} checked: {}, {}, {} info.\n",
        plural(c.total(), "finding", "findings"),
        with,
        plural(files, "file", "files"),
        plural(c.error, "error", "errors"),
        plural(c.warning, "warning", "warnings"),
        c.info
    );
    let rules = rule_counts(report);
    if !rules.is_empty() {
        s.push_str("| rule | severity | findings |\n|---|---|---:|\n");
        for (rule, sev, n) in &rules {
            let _ = writeln!(s, "| {} | {} | {n} |", md(rule), sev.as_str());
        }
        s.push('\n');
        s.push_str("| file | errors | warnings | info |\n|---|---:|---:|---:|\n");
        for f in report.files.iter().filter(|f| !f.findings.is_empty()) {
            let mut fc = super::Counts::default();
            for x in &f.findings {
                fc.add(x.severity);
            }
            let _ = writeln!(
                s,
                "| {} | {} | {} | {} |",
                md(&f.path),
                fc.error,
                fc.warning,
                fc.info
            );
        }
        s.push('\n');
    }
    let errs: Vec<_> = report.files.iter().filter(|f| f.error.is_some()).collect();
    if !errs.is_empty() {
        s.push_str("Files that could not be read:\n\n");
        for f in errs {
            let _ = writeln!(
                s,
                "- {}: {}",
                md(&f.path),
                md(f.error.as_deref().unwrap_or(""))
            );
        }
        s.push('\n');
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escaping() {
        assert_eq!(escape_data("100%\r\na:b,c"), "100%25%0D%0Aa:b,c");
        assert_eq!(escape_property("100%\na:b,c"), "100%25%0Aa%3Ab%2Cc");
        assert_eq!(md("a|b_c\nd"), "a\\|b\\_c d");
    }
}
