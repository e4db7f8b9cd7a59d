//! `--format jsonl`: one JSON object per finding per line, with the same
//! fields as a finding of `--format json`. Files that could not be read are
//! reported on stderr only (and make the exit code 2).

use super::Report;

pub fn render(report: &Report) -> String {
    let mut out = Vec::new();
    let _ = write(report, &mut out);
    String::from_utf8(out).unwrap_or_default()
}

/// `render`, written as it is produced.
pub fn write(report: &Report, w: &mut dyn std::io::Write) -> std::io::Result<()> {
    for f in &report.files {
        for x in &f.findings {
            let v = super::json::finding_value(&f.path, &f.text, x);
            w.write_all(serde_json::to_string(&v).unwrap_or_default().as_bytes())?;
            w.write_all(b"\n")?;
        }
    }
    Ok(())
}
