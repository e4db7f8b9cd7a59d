//! `--format jsonl`: one JSON object per finding per line, with the same
//! fields as a finding of `--format json`. Files that could not be read are
//! reported on stderr only (and make the exit code 2).

use super::Report;
use crate::text::LineIndex;

pub fn render(report: &Report) -> String {
    let mut out = String::new();
    for f in &report.files {
        let li = LineIndex::new(&f.text);
        for x in &f.findings {
            let v = super::json::finding_value(&f.path, &li, x);
            out.push_str(&serde_json::to_string(&v).unwrap_or_default());
            out.push('\n');
        }
    }
    out
}
