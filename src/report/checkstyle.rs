//! `--format checkstyle`: Checkstyle XML, read by Jenkins' warnings plugin,
//! reviewdog (`-f=checkstyle`), SonarQube importers and others.
//!
//! `<checkstyle version="4.3"><file name="PATH"><error line column
//! severity message source/></file></checkstyle>`: one `<file>` per checked
//! file (files without findings included, as Checkstyle does), `severity`
//! is `error`, `warning` or `info`, `source` the rule id, `column` 1-based in
//! Unicode scalar values. An unreadable file gets one `error` with source
//! `calque/io` and no line.

use super::Report;
use super::common::{pos, xml_escape};
use std::fmt::Write;

pub fn render(report: &Report) -> String {
    let mut out =
        String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<checkstyle version=\"4.3\">\n");
    for f in &report.files {
        let _ = writeln!(out, "  <file name=\"{}\">", xml_escape(&f.path));
        if let Some(e) = &f.error {
            let _ = writeln!(
                out,
                "    <error severity=\"error\" message=\"{}\" source=\"calque/io\"/>",
                xml_escape(e)
            );
        }
        for x in &f.findings {
            let p = pos(&f.text, x.span.start);
            let _ = writeln!(
                out,
                "    <error line=\"{}\" column=\"{}\" severity=\"{}\" message=\"{}\" source=\"{}\"/>",
                p.line,
                p.col,
                x.severity.as_str(),
                xml_escape(&x.message),
                xml_escape(&x.rule)
            );
        }
        out.push_str("  </file>\n");
    }
    out.push_str("</checkstyle>\n");
    out
}
