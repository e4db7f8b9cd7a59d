//! Measured figures per rule (`rules/metrics.tsv`, written by
//! `scripts/measure.py` and embedded at build time), shown by `calque rules`.

use std::collections::HashMap;
use std::sync::OnceLock;

/// The embedded table.
pub const METRICS_TSV: &str = include_str!("../rules/metrics.tsv");

/// One rule's figures on the evaluation sets (development split).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Measured {
    /// Findings per 1000 words on human news (false alarms).
    pub clean_per_1000_words: Option<f64>,
    /// Findings on MT output with MQM error spans, and the share on a span.
    pub mqm_findings: u64,
    pub mqm_precision: Option<f64>,
    /// Findings per 1000 words on French→English MT and on the references.
    pub fren_mt_per_1000_words: Option<f64>,
    pub fren_ref_per_1000_words: Option<f64>,
    pub fren_ratio: Option<f64>,
    /// Recall per synthetic perturbation kind, as "kind:hit/total …".
    pub demetr: String,
}

const COLUMNS: &[&str] = &[
    "rule",
    "clean_per_1000_words",
    "mqm_findings",
    "mqm_precision",
    "fren_mt_per_1000_words",
    "fren_ref_per_1000_words",
    "fren_ratio",
    "demetr",
];

fn num(s: &str) -> Result<Option<f64>, String> {
    let s = s.trim();
    if s.is_empty() || s == "–" || s == "-" {
        return Ok(None);
    }
    s.parse::<f64>()
        .map(Some)
        .map_err(|_| format!("not a number: {s:?}"))
}

/// Parse the TSV: `#` comments, a header naming [`COLUMNS`], one rule a line.
pub fn parse(text: &str) -> Result<HashMap<String, Measured>, String> {
    let mut lines = text
        .lines()
        .enumerate()
        .filter(|(_, l)| !l.starts_with('#') && !l.trim().is_empty());
    let Some((_, header)) = lines.next() else {
        return Ok(HashMap::new());
    };
    let cols: Vec<&str> = header.split('\t').collect();
    if cols != COLUMNS {
        return Err(format!("unexpected header {cols:?} (expected {COLUMNS:?})"));
    }
    let mut out = HashMap::new();
    for (n, line) in lines {
        let f: Vec<&str> = line.split('\t').collect();
        if f.len() != COLUMNS.len() {
            return Err(format!(
                "line {}: {} fields, expected {}",
                n + 1,
                f.len(),
                COLUMNS.len()
            ));
        }
        let at = |e: String| format!("line {}: {e}", n + 1);
        let m = Measured {
            clean_per_1000_words: num(f[1]).map_err(at)?,
            mqm_findings: f[2]
                .trim()
                .parse()
                .map_err(|_| format!("line {}: bad mqm_findings {:?}", n + 1, f[2]))?,
            mqm_precision: num(f[3]).map_err(at)?,
            fren_mt_per_1000_words: num(f[4]).map_err(at)?,
            fren_ref_per_1000_words: num(f[5]).map_err(at)?,
            fren_ratio: num(f[6]).map_err(at)?,
            demetr: f[7].trim().to_string(),
        };
        out.insert(f[0].to_string(), m);
    }
    Ok(out)
}

/// The embedded figures (empty if the table does not parse; a test checks it
/// does).
pub fn builtin() -> &'static HashMap<String, Measured> {
    static M: OnceLock<HashMap<String, Measured>> = OnceLock::new();
    M.get_or_init(|| parse(METRICS_TSV).unwrap_or_default())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_rows_and_blanks() {
        let t = "# comment\nrule\tclean_per_1000_words\tmqm_findings\tmqm_precision\tfren_mt_per_1000_words\tfren_ref_per_1000_words\tfren_ratio\tdemetr\na/b\t0.012\t40\t0.90\t0.000\t0.014\t–\t\nc/d\t0.000\t0\t–\t1.5\t0.1\t15.0\trepeat2:198/200\n";
        let m = parse(t).unwrap();
        assert_eq!(m["a/b"].mqm_precision, Some(0.9));
        assert_eq!(m["a/b"].fren_ratio, None);
        assert_eq!(m["c/d"].demetr, "repeat2:198/200");
        assert!(parse("rule\tx\n").is_err());
        assert!(parse(&t.replace("\t40\t", "\tforty\t")).is_err());
    }
}
