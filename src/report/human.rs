//! Human diagnostics in the style of rustc: the rule, the location, the line
//! with a caret under the span, the suggested fix; a one-line summary.

use super::Report;
use crate::finding::Severity;
use std::fmt::Write;

pub struct Style {
    pub color: bool,
}

impl Style {
    fn paint(&self, code: &str, s: &str) -> String {
        if self.color {
            format!("\x1b[{code}m{s}\x1b[0m")
        } else {
            s.to_string()
        }
    }
    fn sev(&self, sev: Severity, s: &str) -> String {
        let code = match sev {
            Severity::Error => "1;31",
            Severity::Warning => "1;33",
            Severity::Info => "1;36",
        };
        self.paint(code, s)
    }
}

/// Width (in chars) of the source excerpt shown for a long line.
const WINDOW: usize = 100;

pub fn render(report: &Report, style: &Style) -> String {
    let mut out = String::new();
    for f in &report.files {
        if let Some(e) = &f.error {
            let _ = writeln!(
                out,
                "{}: {}: {}\n",
                style.sev(Severity::Error, "error"),
                f.path,
                e
            );
            continue;
        }
        let li = &f.text;
        for x in &f.findings {
            let (line, col) = li.line_col(x.span.start);
            let (eline, ecol) = li.line_col(x.span.end);
            let _ = writeln!(
                out,
                "{}{}",
                style.sev(x.severity, &format!("{}[{}]", x.severity.as_str(), x.rule)),
                style.paint("1", &format!(": {}", x.message))
            );
            let gutter = " ".repeat(line.to_string().len());
            let _ = writeln!(
                out,
                "{gutter}{} {}:{}:{}",
                style.paint("1;34", "-->"),
                f.path,
                line,
                col
            );
            let lr = li.line_range(line);
            let src: Vec<char> = f.text.get(lr).unwrap_or("").chars().collect();
            // The caret covers the span on its first line.
            let c0 = col - 1;
            let c1 = if eline == line {
                (ecol - 1).max(c0 + 1)
            } else {
                src.len().max(c0 + 1)
            };
            let (from, to) = if src.len() <= WINDOW {
                (0, src.len())
            } else {
                let span_w = c1 - c0;
                let pad = WINDOW.saturating_sub(span_w) / 2;
                let from = c0.saturating_sub(pad);
                (from, (from + WINDOW.max(span_w)).min(src.len()))
            };
            let shown: String = src[from..to]
                .iter()
                .map(|c| if *c == '\t' { ' ' } else { *c })
                .collect();
            let pre = if from > 0 { "…" } else { "" };
            let post = if to < src.len() { "…" } else { "" };
            let bar = style.paint("1;34", "|");
            let _ = writeln!(out, "{gutter} {bar}");
            let _ = writeln!(
                out,
                "{} {bar} {pre}{shown}{post}",
                style.paint("1;34", &line.to_string())
            );
            let lead = " ".repeat(c0 - from + pre.chars().count());
            let carets = "^".repeat((c1.min(to) - c0).max(1));
            let _ = writeln!(
                out,
                "{gutter} {bar} {lead}{}",
                style.sev(x.severity, &carets)
            );
            for s in &x.suggestions {
                let shown = if s.replacement.is_empty() {
                    "delete this text".to_string()
                } else {
                    format!("replace with `{}`", s.replacement)
                };
                let _ = writeln!(
                    out,
                    "{gutter} {} fix ({}): {shown}",
                    style.paint("1;34", "="),
                    s.applicability.as_str()
                );
            }
            out.push('\n');
        }
    }
    let c = report.counts();
    let files = report.checked;
    let errs = report.file_errors();
    let mut summary = format!(
        "{} file{} checked: {} error{}, {} warning{}, {} info",
        files,
        if files == 1 { "" } else { "s" },
        c.error,
        if c.error == 1 { "" } else { "s" },
        c.warning,
        if c.warning == 1 { "" } else { "s" },
        c.info
    );
    if errs > 0 {
        let _ = write!(
            summary,
            "; {errs} file{} could not be read",
            if errs == 1 { "" } else { "s" }
        );
    }
    let rules = super::common::rule_counts(report);
    if !rules.is_empty() {
        let _ = writeln!(out, "{}", style.paint("1", "top rules:"));
        let w = rules[0].2.to_string().len();
        for (rule, sev, n) in rules.iter().take(TOP_RULES) {
            let _ = writeln!(out, "  {n:>w$}  {}", style.sev(*sev, rule));
        }
        if rules.len() > TOP_RULES {
            let rest = rules.len() - TOP_RULES;
            let _ = writeln!(
                out,
                "  … and {rest} more rule{}",
                if rest == 1 { "" } else { "s" }
            );
        }
    }
    let _ = writeln!(out, "{}", style.paint("1", &summary));
    out
}

/// How many rules the summary lists.
const TOP_RULES: usize = 5;
