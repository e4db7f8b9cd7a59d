//! `--format junit`: JUnit XML for CI test reports (GitLab, Jenkins, Azure).
//!
//! One `<testsuite name="calque">`; one `<testcase>` per checked file
//! (`name` = the path). A file with findings has ONE `<failure>` listing all
//! of them, one per line as `path:line:column: severity[rule] message`
//! (most consumers show only the first `<failure>` of a test case). Every
//! finding counts, whatever `--fail-on` says. A file that could not be read
//! has an `<error>`. Columns count Unicode scalar values.

use super::Report;
use super::common::{pos, suggestion_label, xml_escape, xml_text};
use std::fmt::Write;

pub fn render(report: &Report) -> String {
    let tests = report.files.len();
    let failures = report
        .files
        .iter()
        .filter(|f| !f.findings.is_empty())
        .count();
    let errors = report.file_errors();
    let mut cases = String::new();
    for f in &report.files {
        let name = xml_escape(&f.path);
        let _ = write!(
            cases,
            "    <testcase classname=\"calque\" name=\"{name}\" file=\"{name}\""
        );
        if let Some(e) = &f.error {
            let _ = write!(
                cases,
                ">\n      <error type=\"io\" message=\"{}\"/>\n    </testcase>\n",
                xml_escape(e)
            );
            continue;
        }
        if f.findings.is_empty() {
            cases.push_str("/>\n");
            continue;
        }
        let mut c = super::Counts::default();
        let mut body = String::new();
        for x in &f.findings {
            c.add(x.severity);
            let p = pos(&f.text, x.span.start);
            let _ = writeln!(
                body,
                "{}:{}:{}: {}[{}] {}",
                f.path,
                p.line,
                p.col,
                x.severity.as_str(),
                x.rule,
                x.message
            );
            for s in &x.suggestions {
                let _ = writeln!(
                    body,
                    "    fix ({}): {}",
                    s.applicability.as_str(),
                    suggestion_label(s)
                );
            }
        }
        let message = format!(
            "{} finding{}: {} error{}, {} warning{}, {} info",
            c.total(),
            if c.total() == 1 { "" } else { "s" },
            c.error,
            if c.error == 1 { "" } else { "s" },
            c.warning,
            if c.warning == 1 { "" } else { "s" },
            c.info
        );
        let _ = write!(
            cases,
            ">\n      <failure type=\"calque\" message=\"{}\">{}</failure>\n    </testcase>\n",
            xml_escape(&message),
            xml_text(&body)
        );
    }
    let counts = format!("tests=\"{tests}\" failures=\"{failures}\" errors=\"{errors}\"");
    format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites name=\"calque\" {counts}>\n  <testsuite name=\"calque\" {counts} skipped=\"0\">\n{cases}  </testsuite>\n</testsuites>\n"
    )
}
